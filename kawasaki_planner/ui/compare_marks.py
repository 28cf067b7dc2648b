"""Changed cells framed in the section tables while a comparison is open.

A :class:`CellMarks` is a transparent widget laid over a table's viewport (a sibling above it, so the view's
scrolling never moves it): it draws a coloured frame and a corner mark on each cell that changed, and adds
「改定前 → 改定後」 to the cell's tooltip. It reads nothing but the view's own geometry and its model's rows, so
the table models and their delegates stay as they are (and whatever proxy a view shows, marks follow the
source's cells through it); closing the comparison takes the marks away and leaves the view untouched.

Marks are keyed by identity: (section, row id or section-5 key, fiscal year, kind) for a figure, (section,
row id, None, "") for a row's label cell (renamed, added, moved, unit or direction changed); in a section's
「現在の整備・取組状況」 table, (STATUS, row number) for a row added or reworded.
"""

from __future__ import annotations

from collections.abc import Mapping

import shiboken6
from PySide6.QtCore import QAbstractProxyModel, QEvent, QModelIndex, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygon
from PySide6.QtWidgets import QAbstractItemView, QToolTip, QWidget

from ..core.plan import FigureRef

MARK_COLOUR = QColor("#d35400")
STATUS = "status"
Key = tuple  # (section, row, year, kind), or (STATUS, row number)


def _source(model):
    """The model that knows figures (``index_of``), and a function taking its indexes to ``model``'s."""
    maps = []
    while isinstance(model, QAbstractProxyModel):
        maps.append(model.mapFromSource)
        model = model.sourceModel()

    def to_view(index: QModelIndex) -> QModelIndex:
        for mapping in reversed(maps):
            index = mapping(index)
        return index

    return model, to_view


def index_for(view: QAbstractItemView, key: Key) -> QModelIndex:
    """The view's index of the cell ``key`` names (invalid if the view does not show it)."""
    model, to_view = _source(view.model())
    if model is None:
        return QModelIndex()
    if key[0] == STATUS:
        return to_view(model.index(key[1], 1)) if 0 <= key[1] < model.rowCount() else QModelIndex()
    section, row, year, kind = key
    if kind == "":  # the row's label cell
        rows = getattr(model, "rows", None) or []
        found = next((n for n, r in enumerate(rows) if (r.section, r.key) == (section, row)), None)
        return QModelIndex() if found is None else to_view(model.index(found, 0))
    index_of = getattr(model, "index_of", None)
    if index_of is None:
        return QModelIndex()
    return to_view(index_of(FigureRef(section, row, year, kind)))


class CellMarks(QWidget):
    """Frames over the cells of ``view`` listed in ``marks`` (key → the tooltip line saying what changed)."""

    def __init__(self, view: QAbstractItemView, marks: Mapping[Key, str]) -> None:
        super().__init__(view)
        self.view = view
        self.marks = dict(marks)
        self.setObjectName("compareMarks")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)
        for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
            bar.valueChanged.connect(self.update)
        for header in (view.horizontalHeader(), view.verticalHeader()):
            header.sectionResized.connect(self.update)
        model = view.model()
        for signal in (model.dataChanged, model.layoutChanged, model.modelReset, model.rowsInserted, model.rowsRemoved,
                       model.rowsMoved):
            signal.connect(self.update)
        self._place()
        self.show()

    def set_marks(self, marks: Mapping[Key, str]) -> None:
        self.marks = dict(marks)
        self.update()

    def marked_indexes(self) -> dict[tuple[int, int], str]:
        """(row, column) of the view's model → tooltip line, for every mark the view shows."""
        out = {}
        for key, text in self.marks.items():
            index = index_for(self.view, key)
            if index.isValid():
                out[(index.row(), index.column())] = text
        return out

    def alive(self) -> bool:
        """False once its view is gone (a tab rebuilt or closed takes its overlay with it)."""
        return shiboken6.isValid(self) and shiboken6.isValid(self.view)

    def remove(self) -> None:
        if not self.alive():
            return
        self.view.removeEventFilter(self)
        self.view.viewport().removeEventFilter(self)
        self.hide()
        self.setParent(None)
        self.deleteLater()

    def _place(self) -> None:
        self.setGeometry(self.view.viewport().geometry())
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show, QEvent.Type.LayoutRequest):
            self._place()
        elif kind == QEvent.Type.ToolTip and watched is self.view.viewport():
            index = self.view.indexAt(event.pos())
            line = self.marked_indexes().get((index.row(), index.column())) if index.isValid() else None
            if line:
                plain = index.data(Qt.ItemDataRole.ToolTipRole)
                QToolTip.showText(event.globalPos(), line + (f"\n\n{plain}" if plain else ""), self.view.viewport())
                return True
        return False

    def paintEvent(self, event) -> None:
        marked = self.marked_indexes()
        if not marked:
            return
        painter = QPainter(self)
        pen = QPen(MARK_COLOUR, 2)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        size = max(6, self.fontMetrics().height() * 2 // 5)
        model = self.view.model()
        for row, column in marked:
            rect = self.view.visualRect(model.index(row, column))
            if rect.isEmpty() or not rect.intersects(self.rect()):
                continue
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
            corner = QRect(rect)
            painter.setBrush(MARK_COLOUR)
            painter.drawPolygon(QPolygon([QPoint(corner.right() - size, corner.top()), QPoint(corner.right(), corner.top()),
                                          QPoint(corner.right(), corner.top() + size)]))
        painter.end()
