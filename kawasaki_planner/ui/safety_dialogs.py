"""The two start-up/open questions of the safety features; tests replace these functions, as with dialogs.py.

``ask_when_locked(parent, lock_result)`` -> READ_ONLY / TAKE_OVER / CANCEL   (file_lock.PlanLock.acquire was HELD)
``ask_restore(parent, recovery)``        -> RESTORE / DISCARD / LATER         (autosave.pending_recoveries)

They belong beside ``dialogs.ask_save_changes`` and can move into dialogs.py unchanged.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from . import safety_strings as S
from .autosave import Recovery
from .file_lock import SILENT_AFTER, LockResult

READ_ONLY, TAKE_OVER, CANCEL = "read_only", "take_over", "cancel"
RESTORE, DISCARD, LATER = "restore", "discard", "later"


def lock_question(parent: QWidget | None, result: LockResult) -> QMessageBox:
    """「このファイルは 〇〇さん(PC名: …)が編集中です。読み取り専用で開きますか?」, not yet shown."""
    holder = result.holder_text
    box = QMessageBox(QMessageBox.Icon.Question, S.LOCK_HELD_TITLE, S.LOCK_HELD_TEXT.format(holder=holder), parent=parent)
    hours = int(SILENT_AFTER.total_seconds() // 3600)
    silent = result.may_take_over
    box.setInformativeText(S.LOCK_SILENT_INFO.format(hours=hours, holder=holder) if silent else S.LOCK_HELD_INFO)
    box.setDefaultButton(box.addButton(S.BTN_READ_ONLY, QMessageBox.ButtonRole.AcceptRole))
    if silent:  # offering to break a lock is only sensible when its owner has been silent for hours
        box.addButton(S.BTN_TAKE_OVER, QMessageBox.ButtonRole.DestructiveRole)
    box.setEscapeButton(box.addButton(S.BTN_CANCEL, QMessageBox.ButtonRole.RejectRole))
    return box


def ask_when_locked(parent: QWidget | None, result: LockResult) -> str:
    box = lock_question(parent, result)
    box.exec()
    return _answer(box, {S.BTN_READ_ONLY: READ_ONLY, S.BTN_TAKE_OVER: TAKE_OVER}, CANCEL)


def restore_question(parent: QWidget | None, recovery: Recovery) -> QMessageBox:
    """「保存されないまま終了した作業が見つかりました。復元しますか?」, not yet shown."""
    box = QMessageBox(QMessageBox.Icon.Question, S.RECOVERY_TITLE, S.RECOVERY_TEXT, parent=parent)
    name = recovery.original.name if recovery.original else S.RECOVERY_NEW_PLAN
    text = S.RECOVERY_ITEM.format(name=name, time=S.format_time(recovery.saved_at))
    box.setInformativeText(text + ("\n" + S.RECOVERY_ORIGINAL_CHANGED if recovery.original_changed else ""))
    box.setDefaultButton(box.addButton(S.BTN_RESTORE, QMessageBox.ButtonRole.AcceptRole))
    box.addButton(S.BTN_DISCARD_RECOVERY, QMessageBox.ButtonRole.DestructiveRole)
    box.setEscapeButton(box.addButton(S.BTN_LATER, QMessageBox.ButtonRole.RejectRole))
    return box


def ask_restore(parent: QWidget | None, recovery: Recovery) -> str:
    box = restore_question(parent, recovery)
    box.exec()
    return _answer(box, {S.BTN_RESTORE: RESTORE, S.BTN_DISCARD_RECOVERY: DISCARD}, LATER)


def _answer(box: QMessageBox, by_text: dict[str, str], default: str) -> str:
    clicked = box.clickedButton()
    return by_text.get(clicked.text(), default) if clicked is not None else default
