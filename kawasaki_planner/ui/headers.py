"""A horizontal header with two levels: the fiscal year spanning its 目標 and 実績 columns.

Each section paints its own slice of the spanning year cell (clipped to itself), so the
year label reads as one centred caption however the header is repainted.
Sizes come from the font, so nothing is clipped at 150 % scaling.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader

GROUP_ROLE = Qt.ItemDataRole.UserRole + 20
SUB_ROLE = Qt.ItemDataRole.UserRole + 21
PADDING = 10


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


def fit_columns(view, label_width: int | None = None) -> None:
    """Size value columns to their contents and year captions; the label column to ``label_width``."""
    header = view.horizontalHeader()
    view.resizeColumnsToContents()
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
