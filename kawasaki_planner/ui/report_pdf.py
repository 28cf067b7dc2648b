"""The 点検・評価結果報告書 drawn with QPainter: one code for the PDF (QPdfWriter) and the print preview (QPrinter).

The pages are laid out first (``layout_report``), in a device-independent unit of 0.1 mm on an A4 landscape
page, and painted afterwards (``paint_pages``) onto any QPagedPaintDevice scaled to it; so the page count is
known before the first page is drawn (「3 / 12」), and the PDF and the preview are the same drawing.

Texts are laid out with QTextLayout into lines and placed line by line: a long text wraps, and breaks onto
the next page between two lines, never cut. Fonts are pixel-sized in the layout unit, so that measuring and
drawing agree on every device. The trend charts are drawn here too (targets as a line, actuals as points,
the y axis from 0 with whole-number ticks for counts, the unit over the axis, the legend below the years).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QTextLayout,
    QTextOption,
)

from ..core.evaluation import Status
from ..core.evaluation_report import COUNT_ORDER, EvaluationReport, IndicatorRow, SectionReport
from ..core.evaluation_texts import TEXT_FIELD_LABELS
from ..core.fiscal import era_label
from . import report_strings as R
from .fonts import PRINT_FONTS, japanese_family
from .palette import ACTUAL_COLOR, PLAN_COLOR, STATUS_COLORS

# --- the page, in 0.1 mm --------------------------------------------------------------------------------
PAGE_W, PAGE_H = 2970, 2100  # A4 landscape
LEFT, RIGHT, TOP, BOTTOM = 150, 150, 140, 160
CONTENT_W = PAGE_W - LEFT - RIGHT
BODY_BOTTOM = PAGE_H - BOTTOM
PDF_RESOLUTION = 600
PT = 254 / 72  # one typographic point in 0.1 mm

CHART_W, CHART_H = 1250, 520
GAP = 40
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


def _text_in(painter: QPainter, rect: QRectF, text: str, font: QFont, flags=Qt.AlignmentFlag.AlignLeft,
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


def _table_row_height(cells: list[Lines]) -> float:
    return max((c.height for c in cells), default=0) + 2 * CELL_PAD


def _cells(texts: list[str], columns: list[Column], font: QFont) -> list[Lines]:
    return [lay_out(t, font, c.width - 2 * CELL_PAD, spacing=1.2, align=c.align) for t, c in zip(texts, columns, strict=True)]


def _draw_row(painter: QPainter, x: float, y: float, columns: list[Column], cells: list[Lines], height: float,
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
    header_cells = _cells([c.title for c in columns], columns, fonts.table_bold)
    header_height = _table_row_height(header_cells)

    def header() -> None:
        y = flow.y
        flow.add(lambda p: _draw_row(p, LEFT, y, columns, header_cells, header_height, [HEADER_FILL] * len(columns)),
                 header_height)

    flow.need(header_height * 2)
    header()
    for index, texts in enumerate(rows):
        cells = _cells(texts, columns, fonts.table)
        height = _table_row_height(cells)
        if flow.y + height > BODY_BOTTOM:
            flow.new_page()
            header()
        y = flow.y
        row_fills = fills(index) if fills else None
        flow.add(lambda p, y=y, cells=cells, height=height, f=row_fills: _draw_row(p, LEFT, y, columns, cells, height, f),
                 height)


# --- charts ----------------------------------------------------------------------------------------------
def nice_ticks(high: float, counts: bool, target: int = 5) -> list[float]:
    """Ticks from 0 to at least ``high``: steps of 1, 2 or 5 × 10ⁿ (whole numbers only for counts)."""
    if not math.isfinite(high) or high <= 0:
        high = 1.0
    raw = high / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if counts:
        step = max(1.0, float(math.ceil(step)))
    top = math.ceil(high / step - 1e-9) * step
    if top < high * 1.05:  # a little room above the highest point
        top += step
    count = round(top / step)
    return [step * i for i in range(count + 1)]


def tick_text(value: float, ticks: list[float]) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    decimals = 0 if float(step).is_integer() else min(4, max(1, -math.floor(math.log10(step - math.floor(step) or step))))
    return f"{value:,.{decimals}f}"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def draw_chart(painter: QPainter, rect: QRectF, row: IndicatorRow, report_year: int, fonts: Fonts) -> None:
    """The indicator's targets and actuals over the plan's years, in ``rect``."""
    years = [point.year for point in row.trend]
    targets = [_number(p.target) for p in row.trend]
    actuals = [_number(p.actual) for p in row.trend]
    values = [v for v in targets + actuals if v is not None]
    ticks = nice_ticks(max(values, default=0.0), row.counts)
    metrics = QFontMetricsF(fonts.chart)
    label_w = max(metrics.horizontalAdvance(tick_text(t, ticks)) for t in ticks) + 30
    unit_h = metrics.height() * 2.2
    legend_h = metrics.height() * 1.6
    year_h = metrics.height() * 1.5 + 20
    plot = QRectF(rect.left() + label_w, rect.top() + unit_h, rect.width() - label_w - 20,
                  rect.height() - unit_h - year_h - legend_h)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(BORDER, 2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
    slot = plot.width() / max(1, len(years))

    def x_of(index: int) -> float:
        return plot.left() + slot * (index + 0.5)

    def y_of(value: float) -> float:
        return plot.bottom() - plot.height() * value / ticks[-1]

    if report_year in years:  # the year this report evaluates, as a light band
        band = years.index(report_year)
        painter.fillRect(QRectF(plot.left() + slot * band, plot.top(), slot, plot.height()), BAND_FILL)
    painter.setFont(fonts.chart)
    for tick in ticks:
        y = y_of(tick)
        painter.setPen(QPen(QColor("#d0d0d0"), 1.5))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QColor("black"))
        painter.drawText(QRectF(rect.left(), y - metrics.height() / 2, label_w - 15, metrics.height()),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), tick_text(tick, ticks))
    painter.setPen(QPen(QColor("black"), 2.5))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    painter.drawLine(plot.bottomLeft(), plot.topLeft())
    unit = R.CHART_UNIT.format(unit=row.unit) if row.unit else R.CHART_NO_UNIT
    painter.drawText(QRectF(rect.left() + 15, rect.top() + 5, rect.width() - 30, unit_h - 5),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), unit)
    for index, year in enumerate(years):
        painter.drawText(QRectF(x_of(index) - slot / 2, plot.bottom() + 20, slot, year_h),
                         int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), era_label(year).removesuffix("年度"))
    # Targets: a line through the years that have one (broken where one is missing), squares on it.
    plan_pen = QPen(QColor(PLAN_COLOR), 5)
    path = QPainterPath()
    drawing = False
    for index, value in enumerate(targets):
        if value is None:
            drawing = False
            continue
        point = QPointF(x_of(index), y_of(value))
        if drawing:
            path.lineTo(point)
        else:
            path.moveTo(point)
            drawing = True
    painter.setPen(plan_pen)
    painter.drawPath(path)
    painter.setBrush(QColor(PLAN_COLOR))
    painter.setPen(Qt.PenStyle.NoPen)
    for index, value in enumerate(targets):
        if value is not None:
            painter.drawRect(QRectF(x_of(index) - 14, y_of(value) - 14, 28, 28))
    painter.setBrush(QColor(ACTUAL_COLOR))
    painter.setPen(QPen(QColor("white"), 3))
    for index, value in enumerate(actuals):
        if value is not None:
            painter.drawEllipse(QPointF(x_of(index), y_of(value)), 18, 18)
    # The legend, below the year axis: never over the data.
    legend_y = plot.bottom() + year_h + legend_h / 2
    entries = [(R.SERIES_PLAN, "square"), (R.SERIES_ACTUAL, "circle")]
    widths = [metrics.horizontalAdvance(text) + 90 for text, _ in entries]
    x = rect.center().x() - sum(widths) / 2
    painter.setPen(QColor("black"))
    for (text, mark), width in zip(entries, widths, strict=True):
        if mark == "square":
            painter.setPen(plan_pen)
            painter.drawLine(QPointF(x, legend_y), QPointF(x + 60, legend_y))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(PLAN_COLOR))
            painter.drawRect(QRectF(x + 16, legend_y - 14, 28, 28))
        else:
            painter.setBrush(QColor(ACTUAL_COLOR))
            painter.setPen(QPen(QColor("white"), 3))
            painter.drawEllipse(QPointF(x + 30, legend_y), 18, 18)
        painter.setPen(QColor("black"))
        painter.drawText(QRectF(x + 70, legend_y - metrics.height() / 2, width, metrics.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        x += width + 40
    painter.restore()


# --- the report's parts --------------------------------------------------------------------------------------
def _count_columns(first: str, first_width: float) -> list[Column]:
    right = Qt.AlignmentFlag.AlignRight
    rest = (CONTENT_W - first_width) / (len(COUNT_ORDER) + 1)
    return [Column(first, first_width)] + [Column(R.count_heading(s), rest, right) for s in COUNT_ORDER] + [
        Column(R.COUNT_TOTAL, rest, right)]


def _count_cells(counts) -> list[str]:
    numbers = [n for _, n in counts]
    return [str(n) for n in numbers] + [str(sum(numbers))]


def _level_fills(columns: int, statuses: list[Status]) -> Callable[[int], list[QColor | None]]:
    def fills(index: int) -> list[QColor | None]:
        out: list[QColor | None] = [None] * columns
        out[-1] = STATUS_COLORS[statuses[index]]
        return out

    return fills


def _cover(flow: Flow, report: EvaluationReport, fonts: Fonts) -> None:
    flow.new_page(cover=True)
    y = 420 if len(report.sections) <= 6 else 260  # a plan of many sections: its count table still fits the cover

    def draw(painter: QPainter) -> None:
        _text_in(painter, QRectF(LEFT, y, CONTENT_W, 120), report.plan_title, fonts.cover_plan, Qt.AlignmentFlag.AlignHCenter)
        _text_in(painter, QRectF(LEFT, y + 150, CONTENT_W, 180), R.REPORT_NAME, fonts.cover_title, Qt.AlignmentFlag.AlignHCenter)
        _text_in(painter, QRectF(LEFT, y + 340, CONTENT_W, 110), R.COVER_YEAR.format(year=report.year_label), fonts.cover_year,
                 Qt.AlignmentFlag.AlignHCenter)
        painter.setPen(QPen(QColor(PLAN_COLOR), 6))
        painter.drawLine(QPointF(LEFT + 500, y + 480), QPointF(PAGE_W - RIGHT - 500, y + 480))

    flow.add(draw, 0)
    flow.y = y + 560
    flow.text(R.COVER_COUNTS, fonts.subheading, full_width(), spacing=1.5)
    rows = [[section.short_heading, *_count_cells(section.counts)] for section in report.sections]
    rows.append([R.COUNT_ALL, *_count_cells(report.counts)])
    table(flow, _count_columns(R.COL_SECTION, 640), rows, fonts)
    flow.y += 30
    flow.text(R.scale_note(), fonts.small, full_width(), MUTED)


def _heading(flow: Flow, text: str, font: QFont, fill: QColor | None = None, height_factor: float = 1.6) -> None:
    height = QFontMetricsF(font).height() * height_factor
    flow.need(height)
    y = flow.y

    def draw(painter: QPainter) -> None:
        if fill is not None:
            painter.fillRect(QRectF(LEFT, y, CONTENT_W, height), fill)
        _text_in(painter, QRectF(LEFT + 20, y, CONTENT_W - 40, height), text, font)

    flow.add(draw, height)


def _section(flow: Flow, section: SectionReport, report: EvaluationReport, fonts: Fonts) -> None:
    flow.continuation = None
    flow.new_page()
    _heading(flow, section.heading, fonts.heading, HEADER_FILL, 1.9)
    flow.y += 30
    _heading(flow, R.SECTION_COUNTS, fonts.subheading, height_factor=1.5)
    table(flow, _count_columns(R.COL_SECTION, 640), [[section.short_heading, *_count_cells(section.counts)]], fonts)
    flow.y += 40
    _heading(flow, R.SECTION_TABLE, fonts.subheading, height_factor=1.5)
    columns = [Column(R.COL_NO, 100, Qt.AlignmentFlag.AlignHCenter), Column(R.COL_INDICATOR, 1060),
               Column(R.COL_TARGET, 300, Qt.AlignmentFlag.AlignRight), Column(R.COL_ACTUAL, 300, Qt.AlignmentFlag.AlignRight),
               Column(R.COL_RATIO, 220, Qt.AlignmentFlag.AlignRight)]
    columns.append(Column(R.COL_LEVEL, CONTENT_W - sum(c.width for c in columns)))
    rows = [[str(r.number), r.label, r.target.text, r.actual.text, r.ratio_text, r.level_text] for r in section.rows]
    table(flow, columns, rows, fonts, _level_fills(len(columns), [r.status for r in section.rows]))
    flow.y += 40
    _heading(flow, R.SECTION_OVERALL, fonts.subheading, height_factor=1.5)
    flow.text(section.overall or R.NOT_WRITTEN, fonts.text, full_width(20), None if section.overall else MUTED)
    for row in section.rows:
        _indicator(flow, section, row, report, fonts)


def _facts(row: IndicatorRow, report: EvaluationReport) -> list[tuple[str, str]]:
    facts = [(R.COL_TARGET, row.target.text or R.NOT_ENTERED), (R.COL_ACTUAL, row.actual.text or R.NOT_ENTERED),
             (R.COL_RATIO, row.ratio_text or R.NONE), (R.COL_LEVEL, row.level_text)]
    if row.level is not None and row.reason:
        facts.append((R.COL_REASON, row.reason))
    if report.shows_summary:
        summary = f"{row.summary}({row.summary_note})" if row.summary and row.summary_note else row.summary
        facts.append((R.COL_SUMMARY, summary or R.NONE))
    return facts


def _indicator(flow: Flow, section: SectionReport, row: IndicatorRow, report: EvaluationReport, fonts: Fonts) -> None:
    """An indicator's block, kept on one page when it fits on one (laid out once on a scratch page to know)."""
    scratch = Flow()
    scratch.new_page()
    _indicator_block(scratch, section, row, report, fonts)
    if len(scratch.pages) == 1:
        flow.need(scratch.y - TOP)
    _indicator_block(flow, section, row, report, fonts)


def _fact_columns(facts: list[tuple[str, str]]) -> list[Column]:
    """目標 / 実績 / 達成率 narrow, 達成度 and the rest sharing what is left of the width."""
    right = Qt.AlignmentFlag.AlignRight
    columns = [Column(facts[0][0], 330, right), Column(facts[1][0], 330, right), Column(facts[2][0], 240, right)]
    rest = facts[3:]
    width = (CONTENT_W - sum(c.width for c in columns)) / len(rest)
    return columns + [Column(key, width) for key, _ in rest]


def _indicator_block(flow: Flow, section: SectionReport, row: IndicatorRow, report: EvaluationReport, fonts: Fonts) -> None:
    """The indicator's heading and its figures in one row; its chart on the left and its three texts beside it while
    it lasts, over the full width below it, and on the next pages as long as they run."""
    title = R.INDICATOR_HEADING.format(section=section.number, number=row.number, label=row.label)
    heading_h = QFontMetricsF(fonts.subheading).height() * 1.7
    facts = _facts(row, report)
    columns = _fact_columns(facts)
    keys = _cells([k for k, _ in facts], columns, fonts.table_bold)
    values = _cells([v for _, v in facts], columns, fonts.table)
    keys_h, values_h = _table_row_height(keys), _table_row_height(values)
    flow.continuation = None
    flow.y += 40
    flow.need(heading_h + 20 + keys_h + values_h + 20 + CHART_H)
    _heading(flow, title, fonts.subheading, BAND_FILL, 1.7)
    flow.y += 20
    y = flow.y
    fills = [None] * len(columns)
    fills[3] = STATUS_COLORS[row.status]

    def draw_facts(painter: QPainter) -> None:
        _draw_row(painter, LEFT, y, columns, keys, keys_h, [HEADER_FILL] * len(columns))
        _draw_row(painter, LEFT, y + keys_h, columns, values, values_h, fills)

    flow.add(draw_facts, keys_h + values_h + 25)
    top = flow.y
    flow.add(lambda painter: draw_chart(painter, QRectF(LEFT, top, CHART_W, CHART_H), row, report.year, fonts), 0)
    page = len(flow.pages)
    chart_bottom = top + CHART_H + 20
    right_x = LEFT + CHART_W + GAP
    right_w = CONTENT_W - CHART_W - GAP

    def region(y: float, indent: float = 0.0) -> tuple[float, float]:
        if len(flow.pages) == page and y < chart_bottom:
            return right_x + indent, right_w - indent
        return LEFT + indent, CONTENT_W - indent

    def continued() -> None:
        _heading(flow, title + R.CONTINUED, fonts.subheading, BAND_FILL, 1.7)
        flow.y += 20

    flow.continuation = continued
    label_leading = QFontMetricsF(fonts.subheading).height() * 1.45
    body_leading = QFontMetricsF(fonts.text).height() * 1.35
    for name in ("done", "factors", "next_steps"):
        text = getattr(row.texts, name)
        if len(flow.pages) == page and flow.y < chart_bottom < flow.y + label_leading + body_leading:
            flow.y = chart_bottom  # a label beside the chart and its text below it would read as two things
        flow.text(TEXT_FIELD_LABELS[name], fonts.subheading, region, QColor(PLAN_COLOR), spacing=1.45, keep_with=body_leading)
        flow.text(text or R.NOT_WRITTEN, fonts.text, lambda y: region(y, 50), None if text else MUTED)
        flow.y += 12
    flow.continuation = None
    if len(flow.pages) == page:
        flow.y = max(flow.y, chart_bottom)


def layout_report(report: EvaluationReport) -> list[Page]:
    """Every page of the report, laid out (nothing drawn yet)."""
    fonts = Fonts()
    flow = Flow()
    _cover(flow, report, fonts)
    if not report.sections:
        flow.new_page()
        message = lay_out(R.NO_INDICATORS, fonts.text, CONTENT_W)
        flow.add(lambda p: message.draw(p, LEFT, TOP), message.height)
    for section in report.sections:
        _section(flow, section, report, fonts)
    return flow.pages


def _frame(painter: QPainter, report: EvaluationReport, number: int, total: int, fonts: Fonts) -> None:
    """Running header (plan, report, year) and the page number 「3 / 12」 in the footer."""
    if number > 1:
        _text_in(painter, QRectF(LEFT, 50, CONTENT_W, 60), f"{report.plan_title} {report.title}", fonts.small,
                 Qt.AlignmentFlag.AlignRight, MUTED)
        painter.setPen(QPen(BORDER, 2))
        painter.drawLine(QPointF(LEFT, 115), QPointF(PAGE_W - RIGHT, 115))
    _text_in(painter, QRectF(LEFT, PAGE_H - BOTTOM + 50, CONTENT_W, 70), R.PAGE_NUMBER.format(page=number, pages=total),
             fonts.small, Qt.AlignmentFlag.AlignHCenter)


def paint_pages(painter: QPainter, device: QPagedPaintDevice, report: EvaluationReport, pages: list[Page],
                only: int | None = None) -> None:
    """Paint ``pages`` onto ``device`` (already opened by ``painter``), scaled to its page; ``only``: that page alone."""
    fonts = Fonts()
    scale = min(device.width() / PAGE_W, device.height() / PAGE_H)
    first = True
    for number, page in enumerate(pages, start=1):
        if only is not None and number != only:
            continue
        if not first:
            device.newPage()
        first = False
        painter.save()
        painter.scale(scale, scale)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        for op in page.ops:
            painter.save()
            op(painter)
            painter.restore()
        _frame(painter, report, number, len(pages), fonts)
        painter.restore()


def a4_landscape() -> QPageLayout:
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0),
                       QPageLayout.Unit.Millimeter)


def render_pdf(report: EvaluationReport, path: str | Path) -> int:
    """Write the report as a PDF at ``path`` (directly: callers go through io's atomic_write); returns the page count."""
    _need_gui()
    pages = layout_report(report)
    writer = QPdfWriter(str(path))
    writer.setPageLayout(a4_landscape())
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(report.title)
    writer.setCreator(R.CREATOR)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(R.PDF_FAILED)
    try:
        paint_pages(painter, writer, report, pages)
    finally:
        painter.end()
    del writer  # closes the file
    unify_ideographs(Path(path))
    return len(pages)


# --- the text a reader copies out of the PDF ------------------------------------------------------------------
_TO_UNICODE = re.compile(rb"/ToUnicode (\d+) 0 R")
_HEX = re.compile(rb"<([0-9A-Fa-f]{4})>")
_RANGE = re.compile(rb"^(<[0-9A-Fa-f]{4}>) (<[0-9A-Fa-f]{4}>) (.*)$")


def _unified(match: re.Match) -> bytes:
    code = int(match.group(1), 16)
    if 0x2E80 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF:
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(folded) == 1 and ord(folded) <= 0xFFFF and folded != chr(code):
            return b"<%04X>" % ord(folded)
    return match.group(0)


def _unify_cmap(cmap: bytes) -> bytes:
    out = []
    section = b""
    for line in cmap.split(b"\n"):
        if line.endswith((b"beginbfrange", b"beginbfchar")):
            section = line.rsplit(b" ", 1)[-1]
        elif line in (b"endbfrange", b"endbfchar"):
            section = b""
        elif section == b"beginbfchar" and line.startswith(b"<"):
            source, _, target = line.partition(b" ")
            line = source + b" " + _HEX.sub(_unified, target)
        elif section == b"beginbfrange":
            match = _RANGE.match(line)
            # A range whose target is one code counts up from it: only a one-code range may be rewritten.
            if match and (match.group(3).startswith(b"[") or match.group(1) == match.group(2)):
                line = match.group(1) + b" " + match.group(2) + b" " + _HEX.sub(_unified, match.group(3))
        out.append(line)
    return b"\n".join(out)


def unify_ideographs(path: Path) -> None:
    """Copied or searched text gives 「子」, not the look-alike Kangxi radical 「⼦」 (U+2F26).

    Japanese fonts draw a Kangxi radical and its ideograph with one glyph; Qt's PDF writer maps each glyph back
    to the first code point that uses it, the radical. The ToUnicode maps are rewritten in place, each code to
    one of the same length, so no offset in the file moves.
    """
    data = path.read_bytes()
    changed = bytearray(data)
    for number in {m.group(1) for m in _TO_UNICODE.finditer(data)}:
        start = data.find(b"\n" + number + b" 0 obj")
        begin = data.find(b"stream\n", start) + len(b"stream\n")
        end = data.find(b"endstream", begin)
        if start < 0 or begin < len(b"stream\n") or end < 0:
            continue
        unified = _unify_cmap(data[begin:end])
        if len(unified) == end - begin:
            changed[begin:end] = unified
    if changed != data:
        path.write_bytes(bytes(changed))


def write_report_pdf(report: EvaluationReport, path: str | Path) -> int:
    """Write the PDF to ``path`` whole or not at all (io's atomic_write); returns the page count.

    Raises SaveError/SaveLockedError with a Japanese message when it cannot be written.
    """
    from ..io.safe_write import atomic_write

    pages: list[int] = []
    atomic_write(path, lambda target: pages.append(render_pdf(report, target)), backups=0)
    return pages[0]


def render_page_image(report: EvaluationReport, number: int, width: int = 1188):
    """One page as a QImage ``width`` pixels wide (white background): the self-test and the tests look at it."""
    from PySide6.QtGui import QImage

    _need_gui()
    pages = layout_report(report)
    height = round(width * PAGE_H / PAGE_W)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    device = _ImageDevice(image)
    painter = QPainter(image)
    try:
        paint_pages(painter, device, report, pages, only=number)
    finally:
        painter.end()
    return image, len(pages)


class _ImageDevice:
    """What paint_pages asks of a paged device, for an image holding one page."""

    def __init__(self, image) -> None:
        self._image = image

    def width(self) -> int:
        return self._image.width()

    def height(self) -> int:
        return self._image.height()

    def newPage(self) -> bool:
        return False


def page_size_mm() -> QSizeF:
    return QSizeF(PAGE_W / 10, PAGE_H / 10)


def _need_gui() -> None:
    if not isinstance(QGuiApplication.instance(), QGuiApplication):
        raise RuntimeError("drawing the report needs a QGuiApplication (ensure_gui_application)")


_APPLICATION: list[QGuiApplication] = []  # the one made here, kept for the rest of the process


def ensure_gui_application() -> bool:
    """A QGuiApplication to draw with (fonts need one), made if there is none: offscreen on Linux without a display,
    the normal platform otherwise. False when the process already runs a QCoreApplication, which cannot draw."""
    import os
    import sys

    app = QGuiApplication.instance()
    if app is not None:
        return isinstance(app, QGuiApplication)
    headless = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _APPLICATION.append(QGuiApplication(["kawasaki-planner"]))
    return True
