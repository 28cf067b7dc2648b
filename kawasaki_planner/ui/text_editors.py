"""Multi-line text editing that keeps line breaks: a cell editor for table texts, and a panel editor.

Enter makes a new line (as Alt+Enter does in Excel); Ctrl+Enter or leaving the editor commits; Esc in a cell
gives up the edit.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QPlainTextEdit, QStyledItemDelegate, QWidget

from ..core.evaluation_texts import plain_text as plain

EDITOR_LINES = 6  # a cell editor opens at least this tall, so that a paragraph can be read while it is typed
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def is_commit_key(event: QKeyEvent) -> bool:
    return event.key() in ENTER_KEYS and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)




def wrapped_lines(metrics: QFontMetrics, text: str, width: int) -> int:
    """How many lines ``text`` takes at ``width`` pixels (Japanese wraps at any character, so advance ÷ width)."""
    room = max(1, width)
    return sum(max(1, math.ceil(metrics.horizontalAdvance(line) / room)) for line in (text or "").split("\n"))


class MultiLineDelegate(QStyledItemDelegate):
    """Edits a cell's text in a QPlainTextEdit; shows it wrapped, line breaks kept."""

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setObjectName("cellTextEditor")
        return editor

    def setEditorData(self, editor: QWidget, index) -> None:
        editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.moveCursor(editor.textCursor().MoveOperation.End)

    def setModelData(self, editor: QWidget, model, index) -> None:
        model.setData(index, plain(editor.toPlainText()), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option, index) -> None:
        rect = option.rect
        rect.setHeight(max(rect.height(), editor.fontMetrics().lineSpacing() * EDITOR_LINES + 10))
        view = editor.parentWidget()
        if view is not None and rect.bottom() > view.height():
            rect.moveBottom(max(rect.height() - 1, view.height() - 1))
        editor.setGeometry(rect)

    def displayText(self, value, locale) -> str:
        return str(value or "").replace("\n", "\u2028")  # shown as line breaks, not as one run-on line

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QPlainTextEdit) and is_commit_key(event):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(editor, event)


class CommitTextEdit(QPlainTextEdit):
    """A text panel that says ``committed(text)`` when it is left or Ctrl+Enter is pressed after a change."""

    committed = Signal(str)

    def set_text(self, text: str) -> None:
        """Show ``text`` (the stored one) unless the user is in the middle of changing it."""
        if self.document().isModified() and self.hasFocus():
            return
        if self.toPlainText() != text:
            self.setPlainText(text)
        self.document().setModified(False)

    def commit(self) -> None:
        if self.document().isModified():
            self.document().setModified(False)
            self.committed.emit(plain(self.toPlainText()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_commit_key(event):
            self.commit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        self.commit()
        super().focusOutEvent(event)
