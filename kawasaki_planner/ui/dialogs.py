"""The few modal questions the app asks, in one place (tests replace these functions)."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from . import safety_strings as SS
from . import strings as S

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_save_changes(parent: QWidget, name: str) -> str:
    """「変更を保存しますか?」: SAVE, DISCARD or CANCEL."""
    box = QMessageBox(QMessageBox.Icon.Warning, S.UNSAVED_TITLE, S.UNSAVED_TEXT.format(name=name), parent=parent)
    save = box.addButton(S.BTN_SAVE, QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(S.BTN_DISCARD, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(S.BTN_CANCEL, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return SAVE
    if clicked is discard:
        return DISCARD
    return CANCEL


def ask_open_path(parent: QWidget, directory: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, S.DIALOG_OPEN, directory, S.OPEN_FILTER)
    return path or None


def ask_save_path(parent: QWidget, suggested: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, S.DIALOG_SAVE, suggested, S.FILE_FILTER)
    if path and not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    return path or None


def ask_save_as_instead(parent: QWidget, reason: str) -> bool:
    """「上書き保存できません」 with the reason (Excel holds the file, read-only): True for 名前を付けて保存."""
    box = QMessageBox(QMessageBox.Icon.Warning, SS.SAVE_LOCKED_TITLE, reason, parent=parent)
    box.setInformativeText(SS.SAVE_LOCKED_INFO)
    save_as = box.addButton(SS.BTN_SAVE_AS, QMessageBox.ButtonRole.AcceptRole)
    box.setEscapeButton(box.addButton(S.BTN_CANCEL, QMessageBox.ButtonRole.RejectRole))
    box.setDefaultButton(save_as)
    box.exec()
    return box.clickedButton() is save_as


def ask_save_dropping(parent: QWidget, text: str) -> bool:
    """Before the first save over a workbook holding what the app cannot keep (グラフ, 画像 …): True to go on."""
    box = QMessageBox(QMessageBox.Icon.Warning, S.UNKEPT_TITLE, text, parent=parent)
    box.setInformativeText(S.UNKEPT_INFO)
    overwrite = box.addButton(S.BTN_OVERWRITE, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(S.BTN_CANCEL, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is overwrite


def show_error(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.critical(parent, title, text)


def show_about(parent: QWidget) -> None:
    QMessageBox.about(parent, S.APP_NAME, S.ABOUT_TEXT)
