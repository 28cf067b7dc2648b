"""The 点検・評価結果報告書 drawn with QPainter: one code for the PDF (QPdfWriter) and the print preview (QPrinter).

The pages are laid out first (``layout_report``, with page.py's flow), and painted afterwards (``paint_pages``) onto
any paged device scaled to the page; so the page count is known before the first page is drawn (「3 / 12」), and
the PDF and the preview are the same drawing. A cover (plan, report, year, the counts per level of every section);
per section its counts, the table of its indicators and its 総合評価; per indicator its figures, its trend chart
and its three texts, which wrap and continue on the next pages as long as they run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from ...core.evaluation import Status
from ...core.evaluation_report import COUNT_ORDER, EvaluationReport, IndicatorRow, SectionReport
from ...core.evaluation_texts import TEXT_FIELD_LABELS
from ..palette import PLAN_COLOR, STATUS_COLORS
from . import strings as R
from .chart import draw_chart
from .page import (
    BAND_FILL,
    BORDER,
    BOTTOM,
    CONTENT_W,
    HEADER_FILL,
    LEFT,
    MUTED,
    PAGE_H,
    PAGE_W,
    RIGHT,
    TOP,
    Column,
    Flow,
    Fonts,
    Page,
    cells_height,
    draw_row,
    full_width,
    lay_out,
    lay_out_cells,
    table,
    text_in,
)
from .pdf_text import unify_ideographs

CHART_W, CHART_H = 1250, 520
GAP = 40
PDF_RESOLUTION = 600


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
        text_in(painter, QRectF(LEFT, y, CONTENT_W, 120), report.plan_title, fonts.cover_plan, Qt.AlignmentFlag.AlignHCenter)
        text_in(painter, QRectF(LEFT, y + 150, CONTENT_W, 180), R.REPORT_NAME, fonts.cover_title, Qt.AlignmentFlag.AlignHCenter)
        text_in(painter, QRectF(LEFT, y + 340, CONTENT_W, 110), R.COVER_YEAR.format(year=report.year_label), fonts.cover_year,
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
        text_in(painter, QRectF(LEFT + 20, y, CONTENT_W - 40, height), text, font)

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
    keys = lay_out_cells([k for k, _ in facts], columns, fonts.table_bold)
    values = lay_out_cells([v for _, v in facts], columns, fonts.table)
    keys_h, values_h = cells_height(keys), cells_height(values)
    flow.continuation = None
    flow.y += 40
    flow.need(heading_h + 20 + keys_h + values_h + 20 + CHART_H)
    _heading(flow, title, fonts.subheading, BAND_FILL, 1.7)
    flow.y += 20
    y = flow.y
    fills = [None] * len(columns)
    fills[3] = STATUS_COLORS[row.status]

    def draw_facts(painter: QPainter) -> None:
        draw_row(painter, LEFT, y, columns, keys, keys_h, [HEADER_FILL] * len(columns))
        draw_row(painter, LEFT, y + keys_h, columns, values, values_h, fills)

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
        text_in(painter, QRectF(LEFT, 50, CONTENT_W, 60), f"{report.plan_title} {report.title}", fonts.small,
                 Qt.AlignmentFlag.AlignRight, MUTED)
        painter.setPen(QPen(BORDER, 2))
        painter.drawLine(QPointF(LEFT, 115), QPointF(PAGE_W - RIGHT, 115))
    text_in(painter, QRectF(LEFT, PAGE_H - BOTTOM + 50, CONTENT_W, 70), R.PAGE_NUMBER.format(page=number, pages=total),
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


def write_report_pdf(report: EvaluationReport, path: str | Path) -> int:
    """Write the PDF to ``path`` whole or not at all (io's atomic_write); returns the page count.

    Raises SaveError/SaveLockedError with a Japanese message when it cannot be written.
    """
    from ...io.safe_write import atomic_write

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
