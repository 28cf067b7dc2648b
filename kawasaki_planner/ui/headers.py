"""Header sizing from the font: the two-level year header, column widths and row heights.

The horizontal header has two levels: the fiscal year spanning its 目標 and 実績 columns. Each
section paints its own slice of the spanning year cell (clipped to itself), so the year label
reads as one centred caption however the header is repainted.

Column widths and row heights are computed here from font metrics, never by Qt's per-cell
sizing (ResizeToContents, resizeRowsToContents/resizeColumnsToContents): that asks the delegate
for the size of every cell, a dozen data() calls each, and ResizeToContents repeats it on every
data change: minutes for a plan of 10,000 indicators. Sizes come from the font, so nothing is
clipped at 150 % scaling.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader

GROUP_ROLE = Qt.ItemDataRole.UserRole + 20
SUB_ROLE = Qt.ItemDataRole.UserRole + 21
PADDING = 10
MEASURED_ROWS = 100  # column widths read the texts of this many rows; beyond it, typical texts stand in
SYNC_ROWS = 500  # up to this many rows, heights follow a width change at once; beyond it, coalesced
LINE_SAMPLE = "あ漢Ag0,"  # one line of mixed Japanese and Latin text: its height is the one-line row


class GroupedHeaderView(QHeaderView):
    def __init__(self, parent=None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setHighlightSections(True)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)

    def _header(self, section: int, role: int):
        model = self.model()
        return None if model is None else model.headerData(section, self.orientation(), role)

    def _grouped(self) -> bool:
        model = self.model()
        return model is not None and any(self._header(i, GROUP_ROLE) for i in range(model.columnCount()))

    def line_height(self) -> int:
        return self.fontMetrics().height() + PADDING

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        lines = 2 if self._grouped() else 1
        return QSize(hint.width(), max(hint.height(), lines * self.line_height()))

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        size = super().sectionSizeFromContents(logicalIndex)
        sub = self._header(logicalIndex, SUB_ROLE)
        if sub is None:
            return size
        width = self.fontMetrics().horizontalAdvance(sub) + 2 * PADDING
        return QSize(width, 2 * self.line_height())

    def group_width(self, logicalIndex: int) -> int:
        """Width the year caption needs across its columns."""
        group = self._header(logicalIndex, GROUP_ROLE) or ""
        return self.fontMetrics().horizontalAdvance(group) + 2 * PADDING

    def group_span(self, logicalIndex: int) -> tuple[int, int]:
        group = self._header(logicalIndex, GROUP_ROLE)
        first = last = logicalIndex
        while first > 0 and self._header(first - 1, GROUP_ROLE) == group:
            first -= 1
        while last + 1 < self.count() and self._header(last + 1, GROUP_ROLE) == group:
            last += 1
        return first, last

    def paintSection(self, painter, rect: QRect, logicalIndex: int) -> None:
        group = self._header(logicalIndex, GROUP_ROLE)
        if not group:
            self._paint_part(painter, rect, rect, self._header(logicalIndex, Qt.ItemDataRole.DisplayRole) or "", logicalIndex)
            return
        half = rect.height() // 2
        first, last = self.group_span(logicalIndex)
        left = self.sectionViewportPosition(first)
        right = self.sectionViewportPosition(last) + self.sectionSize(last)
        top_rect = QRect(rect.left(), rect.top(), rect.width(), half)
        span_rect = QRect(left, rect.top(), right - left, half)
        self._paint_part(painter, span_rect, top_rect, group, logicalIndex)
        bottom = QRect(rect.left(), rect.top() + half, rect.width(), rect.height() - half)
        self._paint_part(painter, bottom, bottom, self._header(logicalIndex, SUB_ROLE) or "", logicalIndex)

    def _paint_part(self, painter, draw_rect: QRect, clip: QRect, text: str, logicalIndex: int) -> None:
        painter.save()
        painter.setClipRect(clip)
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = draw_rect
        option.section = logicalIndex
        option.text = text
        option.textAlignment = Qt.AlignmentFlag.AlignCenter
        option.position = QStyleOptionHeader.SectionPosition.Middle
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        painter.restore()


def text_margin(view) -> int:
    """Horizontal space an item view cell takes around its text: the style's margins and the grid line."""
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    return 2 * margin + grid_width(view)


def grid_width(view) -> int:
    return 1 if view.showGrid() else 0


def fit_columns(view, label_width: int | None = None, typical: Mapping[int, Iterable[str]] | None = None) -> None:
    """Size each shown column to its header and its texts, measured with the font; the label column to
    ``label_width``; year captions spread over their 目標/実績 columns.

    The texts of the first MEASURED_ROWS rows are measured (every row of the published plan); when
    there are more, the ``typical`` texts of a column stand in for the rest, e.g. 「1,000,000人」.
    """
    model = view.model()
    header = view.horizontalHeader()
    if model is None:
        return
    metrics = QFontMetricsF(view.font())  # fractional advances, rounded up as Qt's text layout does
    margin = text_margin(view)
    rows = min(model.rowCount(), MEASURED_ROWS)
    more = model.rowCount() > rows
    for column in range(model.columnCount()):
        if header.isSectionHidden(column) or (column == 0 and label_width is not None):
            continue
        texts = [model.index(row, column).data(Qt.ItemDataRole.DisplayRole) for row in range(rows)]
        if more and typical:
            texts.extend(typical.get(column, ()))
        widest = math.ceil(max((metrics.horizontalAdvance(str(t)) for t in texts if t not in (None, "")), default=0))
        header.resizeSection(column, max(widest + margin if widest else 0, header_width(header, column)))
    if label_width is not None:
        header.resizeSection(0, label_width)
    if not isinstance(header, GroupedHeaderView):
        return
    column = 1
    while column < header.count():
        first, last = header.group_span(column)
        if not header._header(column, GROUP_ROLE):
            column += 1
            continue
        shown = [i for i in range(first, last + 1) if not header.isSectionHidden(i)]
        if shown:
            needed = header.group_width(column)
            each = max(max(header.sectionSize(i) for i in shown), -(-needed // len(shown)))
            for i in shown:
                header.resizeSection(i, each)
        column = last + 1


def header_width(header: QHeaderView, column: int) -> int:
    """The width the header caption of ``column`` asks for (as resizeColumnsToContents would honour it)."""
    if isinstance(header, GroupedHeaderView):
        return header.sectionSizeFromContents(column).width()
    return max(header.sectionSizeHint(column), 0)


class RowHeights(QObject):
    """Fits a table's row heights to the wrapped texts of ``columns``, computed with the font.

    A row is as tall as its longest wrapped text (QFontMetrics.boundingRect at the column's width),
    at least one line: what Qt's own sizing gives, without asking the delegate about every cell.
    Heights are refitted only when a measured column's width or the font changes, or rows come and
    go (a filter); a figure edit never changes them. With ``uniform`` every row is one line (texts
    elide; the view should not wrap): a filter over thousands of rows then has nothing to fit.
    """

    def __init__(self, view, columns: Iterable[int], uniform: bool = False) -> None:
        super().__init__(view)
        self.view = view
        self.columns = tuple(columns)
        self.uniform = uniform
        self._fitted: tuple | None = None
        self._fitting = False
        # Widths announced by sectionResized: a stretching column reports its new width before
        # columnWidth() returns it.
        self._pending: dict[int, int] = {}
        self._widths: dict[int, int] = {}  # the widths of the fit in progress
        self._model = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        view.horizontalHeader().sectionResized.connect(self._on_section_resized)
        view.installEventFilter(self)
        self.watch(view.model())

    def watch(self, model) -> None:
        """Refit when ``model`` (the view's) adds or reorders rows."""
        if self._model is not None:
            self._model.modelReset.disconnect(self._on_rows_changed)
            self._model.layoutChanged.disconnect(self._on_rows_changed)
            self._model.rowsInserted.disconnect(self._on_rows_inserted)
        self._model = model
        if model is not None:
            model.modelReset.connect(self._on_rows_changed)
            model.layoutChanged.connect(self._on_rows_changed)
            model.rowsInserted.connect(self._on_rows_inserted)

    def line_height(self) -> int:
        """One line of text: the shortest row."""
        text = self.view.fontMetrics().boundingRect(LINE_SAMPLE).height()
        return max(self.view.verticalHeader().minimumSectionSize(), text + grid_width(self.view))

    def column_width(self, column: int) -> int:
        if column in self._widths:
            return self._widths[column]
        return self._pending.get(column, self.view.columnWidth(column))

    def row_height(self, row: int) -> int:
        """The height the row's texts need at the columns' current widths."""
        return self._measurer(self.line_height())(row)

    def _measurer(self, line: int):
        """row → height, with everything that is the same for every row worked out once."""
        if self.uniform:
            return lambda _row: line
        view = self.view
        model, metrics = view.model(), view.fontMetrics()
        margin, grid = text_margin(view), grid_width(view)
        widths = [(column, max(self.column_width(column) - margin, 1)) for column in self.columns]
        wrap = Qt.TextFlag.TextWordWrap

        def height(row: int) -> int:
            tallest = line
            for column, width in widths:
                text = model.index(row, column).data()
                if not text:
                    continue
                text = str(text)
                if "\n" not in text and metrics.horizontalAdvance(text) <= width:
                    continue  # one line
                bounds = metrics.boundingRect(QRect(0, 0, width, 1 << 20), wrap, text)
                tallest = max(tallest, bounds.height() + grid)
            return tallest

        return height

    def fit(self) -> None:
        """Set every row's height now."""
        self._timer.stop()
        model = self.view.model()
        if model is None or self._fitting:
            return
        header = self.view.verticalHeader()
        self._fitting = True
        try:
            # Fitting can bring or take away the vertical scroll bar, which changes the width of a
            # stretching column: fit again at the new width (Qt's ResizeToContents settles the same way).
            for _ in range(3):
                self._widths = {c: self.column_width(c) for c in self.columns}
                self._pending.clear()
                self._fitted = self._key()
                line = self.line_height()
                if header.defaultSectionSize() != line:
                    header.setDefaultSectionSize(line)
                if not self.uniform:
                    self._fit_rows(range(model.rowCount()), line)
                if all(self._widths[c] == w for c, w in self._pending.items()):
                    break
                self._widths = {}
        finally:
            self._widths = {}
            self._pending.clear()
            self._fitting = False

    def _fit_rows(self, rows: range, line: int) -> None:
        header = self.view.verticalHeader()
        measure = self._measurer(line)
        for row in rows:
            height = measure(row)
            if header.sectionSize(row) != height:
                header.resizeSection(row, height)

    def schedule(self) -> None:
        """Fit at once for a small table (no frame shows stale heights), else once the burst is over."""
        model = self.view.model()
        if model is not None and model.rowCount() <= SYNC_ROWS:
            self.fit()
        else:
            self._timer.start()

    def _key(self) -> tuple:
        return (self.view.font().key(), *(self.column_width(c) for c in self.columns))

    def _on_section_resized(self, column: int, _old: int, new: int) -> None:
        if column not in self.columns or self.uniform or self._fitted is None:
            return
        self._pending[column] = new
        if not self._fitting and self._key() != self._fitted:
            self.schedule()

    def _on_rows_changed(self, *_args) -> None:
        if not self.uniform:
            self.schedule()

    def _on_rows_inserted(self, _parent, first: int, last: int) -> None:
        """New rows start at the default (one-line) height; a filter showing them again fits only them."""
        if self.uniform or self._timer.isActive() or self._fitting:
            return
        if last - first < SYNC_ROWS:
            self._fit_rows(range(first, last + 1), self.line_height())
        else:
            self._timer.start()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.view and event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.schedule()
        return False
