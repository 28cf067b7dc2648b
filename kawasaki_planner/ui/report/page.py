"""The report's page and what goes down it: a device-independent A4 landscape page in 0.1 mm, pixel-sized fonts,
texts laid out line by line (QTextLayout), the flow that places blocks down the pages and breaks long texts
between two lines, and tables whose rows break across pages with their header repeated.

Fonts are pixel-sized in the layout unit, so that measuring and drawing agree on every device (a PDF at 600 dpi,
a printer, an image).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QTextLayout, QTextOption

from ..fonts import PRINT_FONTS, japanese_family

# --- the page, in 0.1 mm --------------------------------------------------------------------------------
PAGE_W, PAGE_H = 2970, 2100  # A4 landscape
LEFT, RIGHT, TOP, BOTTOM = 150, 150, 140, 160
CONTENT_W = PAGE_W - LEFT - RIGHT
BODY_BOTTOM = PAGE_H - BOTTOM
PT = 254 / 72  # one typographic point in 0.1 mm

BORDER = QColor("#808080")
HEADER_FILL = QColor("#dde5f0")
BAND_FILL = QColor("#eef2f8")
MUTED = QColor("#666666")


def _font(size_pt: float, bold: bool = False) -> QFont:
    font = QFont(_family() or "")
    font.setPixelSize(max(1, round(size_pt * PT)))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setKerning(False)
    return font


_FAMILY: list[str | None] = []


def _family() -> str | None:
    if not _FAMILY:
        _FAMILY.append(japanese_family(PRINT_FONTS))
    return _FAMILY[0]


class Fonts:
    def __init__(self) -> None:
        self.cover_title = _font(26, bold=True)
        self.cover_plan = _font(16)
        self.cover_year = _font(14)
        self.heading = _font(14, bold=True)
        self.subheading = _font(11, bold=True)
        self.text = _font(10)
        self.small = _font(8.5)
        self.table = _font(9)
        self.table_bold = _font(9, bold=True)
        self.chart = _font(8)


# --- text ------------------------------------------------------------------------------------------------
@dataclass
class Lines:
    """A text laid out to a width: its QTextLayouts (one per paragraph) and each line's (layout, index, height)."""

    layouts: list[QTextLayout]
    lines: list[tuple[int, int, float]]

    @property
    def height(self) -> float:
        return sum(h for _, _, h in self.lines)

    def draw(self, painter: QPainter, x: float, y: float, start: int = 0, stop: int | None = None) -> None:
        for layout_index, line_index, height in self.lines[start:stop]:
            line = self.layouts[layout_index].lineAt(line_index)
            line.draw(painter, QPointF(x, y - line.y()))
            y += height


def lay_out(text: str, font: QFont, width: float, spacing: float = 1.35, align=Qt.AlignmentFlag.AlignLeft) -> Lines:
    option = QTextOption(align)
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    leading = QFontMetricsF(font).height() * spacing
    layouts, lines = [], []
    for paragraph in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        layout = QTextLayout(paragraph, font)
        layout.setTextOption(option)
        layout.setCacheEnabled(True)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
        layout.endLayout()
        for index in range(layout.lineCount()):
            lines.append((len(layouts), index, leading))
        layouts.append(layout)
    return Lines(layouts, lines)


def text_in(painter: QPainter, rect: QRectF, text: str, font: QFont, flags=Qt.AlignmentFlag.AlignLeft,
             color: QColor | None = None) -> None:
    painter.setFont(font)
    painter.setPen(color or QColor("black"))
    painter.drawText(rect, int(flags | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap), text)


# --- the flow of pages ---------------------------------------------------------------------------------------
Op = Callable[[QPainter], None]


@dataclass
class Page:
    ops: list[Op] = field(default_factory=list)
    cover: bool = False


class Flow:
    """Places blocks down the pages: ``room`` says what is left, ``need`` opens a new page when too little is."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.y = TOP
        self.continuation: Callable[[], None] | None = None  # draws a 「(続き)」 heading on a page a block spills to

    def new_page(self, cover: bool = False) -> None:
        self.pages.append(Page(cover=cover))
        self.y = TOP
        if self.continuation is not None and not cover:
            self.continuation()

    @property
    def room(self) -> float:
        return BODY_BOTTOM - self.y

    def need(self, height: float) -> None:
        if not self.pages or self.y + height > BODY_BOTTOM:
            self.new_page()

    def add(self, op: Op, height: float) -> None:
        self.pages[-1].ops.append(op)
        self.y += height

    def text(self, text: str, font: QFont, region: Callable[[float], tuple[float, float]], color: QColor | None = None,
             spacing: float = 1.35, keep_with: float = 0.0) -> None:
        """A text laid out line by line where ``region(y)`` says (x, width): a line that does not fit goes to the
        next page. ``keep_with``: room wanted below the first line (a text's label stays with its first line)."""
        leading = QFontMetricsF(font).height() * spacing
        option = QTextOption(Qt.AlignmentFlag.AlignLeft)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        if self.y + leading + keep_with > BODY_BOTTOM:
            self.new_page()
        for paragraph in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            layout = QTextLayout(paragraph, font)
            layout.setTextOption(option)
            layout.setCacheEnabled(True)
            placed: list[tuple[int, float, float]] = []
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                if self.y + leading > BODY_BOTTOM:
                    self._place(layout, placed, color)
                    placed = []
                    self.new_page()
                x, width = region(self.y)
                line.setLineWidth(width)
                placed.append((line.lineNumber(), x, self.y))
                self.y += leading
            layout.endLayout()
            self._place(layout, placed, color)

    def _place(self, layout: QTextLayout, placed: list[tuple[int, float, float]], color: QColor | None) -> None:
        if not placed:
            return

        def draw(painter: QPainter) -> None:
            painter.setPen(color or QColor("black"))
            for index, x, y in placed:
                line = layout.lineAt(index)
                line.draw(painter, QPointF(x, y - line.y()))

        self.pages[-1].ops.append(draw)


def full_width(indent: float = 0.0) -> Callable[[float], tuple[float, float]]:
    return lambda _y: (LEFT + indent, CONTENT_W - indent)


# --- tables ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


CELL_PAD = 18


def cells_height(cells: list[Lines]) -> float:
    return max((c.height for c in cells), default=0) + 2 * CELL_PAD


def lay_out_cells(texts: list[str], columns: list[Column], font: QFont) -> list[Lines]:
    return [lay_out(t, font, c.width - 2 * CELL_PAD, spacing=1.2, align=c.align) for t, c in zip(texts, columns, strict=True)]


def draw_row(painter: QPainter, x: float, y: float, columns: list[Column], cells: list[Lines], height: float,
              fills: list[QColor | None] | None = None) -> None:
    painter.setPen(QPen(BORDER, 2))
    for index, (column, cell) in enumerate(zip(columns, cells, strict=True)):
        rect = QRectF(x, y, column.width, height)
        fill = fills[index] if fills else None
        painter.setBrush(QBrush(fill) if fill else Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(BORDER, 2))
        painter.drawRect(rect)
        painter.setPen(QColor("black"))
        cell.draw(painter, x + CELL_PAD, y + CELL_PAD)
        x += column.width


def table(flow: Flow, columns: list[Column], rows: list[list[str]], fonts: Fonts,
          fills: Callable[[int], list[QColor | None] | None] | None = None) -> None:
    """A table whose rows break across pages, its header repeated on each."""
    header_cells = lay_out_cells([c.title for c in columns], columns, fonts.table_bold)
    header_height = cells_height(header_cells)

    def header() -> None:
        y = flow.y
        flow.add(lambda p: draw_row(p, LEFT, y, columns, header_cells, header_height, [HEADER_FILL] * len(columns)),
                 header_height)

    flow.need(header_height * 2)
    header()
    for index, texts in enumerate(rows):
        row_cells = lay_out_cells(texts, columns, fonts.table)
        height = cells_height(row_cells)
        if flow.y + height > BODY_BOTTOM:
            flow.new_page()
            header()
        y = flow.y
        row_fills = fills(index) if fills else None
        flow.add(lambda p, y=y, c=row_cells, height=height, f=row_fills: draw_row(p, LEFT, y, columns, c, height, f),
                 height)


