"""An indicator's trend in the report: targets (目標) as a line with squares, actuals (実績) as points, over the
plan's years; the y axis from 0 with whole-number ticks for counts, its unit in words over it, the legend below the
years (never over the data), the report's year as a light band.
"""

from __future__ import annotations

import math
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen

from ...core.evaluation_report import IndicatorRow
from ...core.fiscal import era_label
from ..palette import ACTUAL_COLOR, PLAN_COLOR
from . import strings as R
from .page import BAND_FILL, BORDER, Fonts


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


