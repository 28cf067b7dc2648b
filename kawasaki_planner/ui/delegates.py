"""The cell editor for figures: a plain line edit holding the printed text; and the plausibility mark.

It knows nothing of figures; parsing and refusal happen in the plan via the model. A cell whose
figure has a plausibility finding (the model answers WARNING_ROLE) gets a small triangle in its
top-left corner, as Excel marks a cell it has doubts about: it takes no room from the text and
shows on any background colour.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QPainter, QPolygon
from PySide6.QtWidgets import QLineEdit, QStyledItemDelegate

from .figure_model import WARNING_ROLE
from .palette import WARNING_COLOR


def mark_size(font_height: int) -> int:
    """The corner triangle's side in pixels: grows with the font, so it stays visible at any scale."""
    return max(6, font_height * 2 // 5)


def paint_warning_mark(painter: QPainter, rect: QRect, size: int) -> None:
    x, y = rect.left(), rect.top()
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(WARNING_COLOR)
    painter.drawPolygon(QPolygon([QPoint(x, y), QPoint(x + size, y), QPoint(x, y + size)]))
    painter.restore()


class FigureDelegate(QStyledItemDelegate):
    def paint(self, painter, option, index) -> None:
        super().paint(painter, option, index)
        if index.column() and index.data(WARNING_ROLE):
            paint_warning_mark(painter, option.rect, mark_size(option.fontMetrics.height()))

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return editor

    def setEditorData(self, editor, index) -> None:
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
