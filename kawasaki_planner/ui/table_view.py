"""The spreadsheet-like view used for every figure table: type to edit, Delete clears, copy/paste blocks.

Edits never touch the plan directly: the view builds (ref, text) changes and hands them
to the model's document, which makes one undo command of them (paste policy: see
:mod:`.clipboard`). Row heights follow the font and the label column's width, so wrapped
CJK labels are never clipped; they are computed from the labels alone (:class:`.headers.RowHeights`),
so a table of thousands of rows builds and scrolls without Qt measuring its cells.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableView

from . import strings as S
from .clipboard import parse_tsv, paste_message, plan_paste, selection_block, to_tsv
from .delegates import FigureDelegate
from .headers import GroupedHeaderView, RowHeights, fit_columns

TYPICAL_FIGURES = ("1,000,000人", "100.0%")  # widths of figures in rows not measured


class FigureTableView(QTableView):
    def __init__(self, model=None, label_width: int = 300, parent=None) -> None:
        super().__init__(parent)
        self.label_width = label_width
        self.setHorizontalHeader(GroupedHeaderView(self))
        self.setItemDelegate(FigureDelegate(self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.verticalHeader().setVisible(False)
        # Row heights come from the labels (RowHeights) and follow the label column's width; a figure
        # edit never changes them. ResizeToContents would re-measure every cell of the table on each edit.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.row_heights = RowHeights(self, (0,))
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        if model is not None:
            self.setModel(model)

    def setModel(self, model) -> None:
        super().setModel(model)
        self.row_heights.watch(model)
        self.fit()

    def fit(self) -> None:
        """Column widths from the header and figure texts, row heights from the wrapped labels."""
        model = self.model()
        if model is not None:
            fit_columns(self, self.label_width, {c: TYPICAL_FIGURES for c in range(1, model.columnCount())})
            self.row_heights.fit()

    def content_height(self) -> int:
        """The height showing every row without a scroll bar."""
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        height += self.verticalHeader().length() if self.model() else 0
        if self.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff and (
            self.horizontalHeader().length() > self.viewport().width()
        ):
            height += self.horizontalScrollBar().sizeHint().height()
        return height

    def visible_columns(self) -> list[int]:
        return [c for c in range(self.model().columnCount()) if not self.isColumnHidden(c)]

    @property
    def document(self):
        return self.model().document

    # --- commands ---------------------------------------------------------------
    def copy_selection(self) -> bool:
        _, block = selection_block(self.selectionModel(), self.visible_columns())
        if not block:
            return False
        QGuiApplication.clipboard().setText(to_tsv(block))
        return True

    def paste_text(self, text: str) -> bool:
        """Paste Excel clipboard text at the selection (one undo step); returns whether anything changed."""
        block = parse_tsv(text)
        if not block or not any(cell.strip() for row in block for cell in row):
            self.document.message.emit(S.CLIPBOARD_EMPTY)
            return False
        anchor, selected = selection_block(self.selectionModel(), self.visible_columns())
        if not anchor.isValid():
            anchor = self.model().index(0, 1)
        fill = (len(selected), len(selected[0])) if selected else None
        plan = plan_paste(self.model(), anchor, block, fill, self.visible_columns())
        result = self.document.apply(plan.changes, S.CMD_PASTE.format(count=len(plan.changes)))
        message = paste_message(plan, len(plan.changes) - len(result.refused), result.refused)
        if message:
            self.document.message.emit(message)
        return bool(result.applied)

    def paste(self) -> bool:
        return self.paste_text(QGuiApplication.clipboard().text())

    def clear_selection(self) -> bool:
        indexes = [i for i in self.selectionModel().selectedIndexes() if self.model().is_editable(i)]
        if not indexes and self.model().is_editable(self.currentIndex()):
            indexes = [self.currentIndex()]
        changes = [(self.model().ref(i), None) for i in indexes]
        if not changes:
            return False
        return bool(self.document.apply(changes, S.CMD_CLEAR.format(count=len(changes))).applied)

    def keyPressEvent(self, event) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_selection()
                return
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            ):
                self.clear_selection()
                return
        super().keyPressEvent(event)
