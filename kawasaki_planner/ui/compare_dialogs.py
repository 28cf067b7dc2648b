"""The comparison's questions: which version to compare with, where to save the 新旧対照表.

Module-level functions so that tests answer them instead of a user (as :mod:`.dialogs`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QButtonGroup, QDialog, QDialogButtonBox, QFileDialog, QLabel, QRadioButton, QVBoxLayout, QWidget

from ..io.safe_write import backup_paths
from . import compare_strings as C
from . import strings as S

BACKUPS = 3  # the generations io/safe_write.py keeps beside a saved plan


@dataclass(frozen=True)
class Source:
    """A version to compare the open plan with: its file, and how the chooser names it."""

    path: Path | None  # None: ask for another workbook
    label: str
    kind: str  # "saved", "backup", "other"


def _date(path: Path) -> str:
    return _dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")


def sources(document_path: Path | None) -> list[Source]:
    """The versions on offer: the plan as saved, its backups .bak1–.bak3 that exist (newest first), another book."""
    found: list[Source] = []
    if document_path is not None and document_path.is_file():
        found.append(Source(document_path, C.SOURCE_SAVED.format(name=document_path.name, date=_date(document_path)), "saved"))
        for n, backup in enumerate(backup_paths(document_path, BACKUPS), start=1):
            if backup.is_file():
                found.append(Source(backup, C.SOURCE_BACKUP.format(n=n, name=backup.name, date=_date(backup)), "backup"))
    found.append(Source(None, C.SOURCE_OTHER, "other"))
    return found


def ask_source(parent: QWidget, choices: list[Source]) -> Source | None:
    """The chosen version (None: cancelled); the first choice is preselected."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(C.DIALOG_TITLE)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel(C.DIALOG_TEXT))
    group = QButtonGroup(dialog)
    for n, choice in enumerate(choices):
        button = QRadioButton(choice.label)
        if choice.kind == "saved":
            button.setToolTip(C.SOURCE_SAVED_TIP)
        group.addButton(button, n)
        layout.addWidget(button)
        button.setChecked(n == 0)
    if not any(c.kind == "saved" for c in choices):
        note = QLabel(C.NO_SAVED)
        note.setWordWrap(True)
        layout.addWidget(note)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(S.BTN_CANCEL)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    if not dialog.exec():
        return None
    return choices[group.checkedId()] if group.checkedId() >= 0 else None


def ask_other_workbook(parent: QWidget, directory: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, C.DIALOG_OPEN_OTHER, directory, S.OPEN_FILTER)
    return path or None


def ask_export_path(parent: QWidget, suggested: str, suffix: str) -> str | None:
    name_filter = C.EXPORT_XLSX_FILTER if suffix == ".xlsx" else C.EXPORT_PDF_FILTER
    path, _ = QFileDialog.getSaveFileName(parent, C.EXPORT_TITLE, suggested, name_filter)
    if path and not path.lower().endswith(suffix):
        path += suffix
    return path or None
