"""Charts over fiscal years (pyqtgraph): shared axes and the indicator chart.

Charts keep their plot items and redraw them in place with ``setData``. Their tabs call ``redraw`` when the
plan's one notification per edit (``plan.changed``) names a figure they show: a pasted block is one edit, so
one redraw, and a chart is current when the edit returns.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPaintEngine
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ..core.fiscal import era_label
from ..core.plan import ACTUAL, PLAN, Indicator
from ..core.plausibility import COUNT_UNITS
from . import strings as S
from .chart_export import ask_export_path, export_plot
from .palette import ACTUAL_COLOR, PLAN_COLOR


class CachedAxis(pg.AxisItem):
    """An axis Qt keeps as a pixmap, so that repainting a curve does not redraw its ticks and labels.

    pyqtgraph repaints every axis whose area (with a grid, the whole plot) is exposed, replaying
    its ticks and labels; redrawn text is the costliest part of a chart's repaint. With
    ``DeviceCoordinateCache`` Qt blits the pixels instead and calls ``paint`` only when the axis
    has changed (its range, size or labels). Clipping to the axis's own rectangle first changes
    nothing drawn but keeps the raster engine on its fast path for the grid lines: under the
    fractional offset of the cache pixmap, Qt's exposure clip alone makes each line cost about a
    hundred microseconds.
    """

    def __init__(self, orientation: str, **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def paint(self, p, opt, widget) -> None:
        if p.paintEngine().type() != QPaintEngine.Type.Raster:
            super().paint(p, opt, widget)  # an SVG: QtSvg ignores clipping
            return
        p.save()
        try:
            # One pixel wider: the ends of the axis line lie half a pixel outside the bounding rectangle.
            p.setClipRect(self.boundingRect().toAlignedRect().adjusted(-1, -1, 1, 1), Qt.ClipOperation.IntersectClip)
            super().paint(p, opt, widget)
        finally:
            p.restore()


class NumberAxis(CachedAxis):
    """Tick labels as the plan prints numbers (241,047), never with an SI prefix; whole numbers only for counts."""

    counts = False  # 人, 件, か所 …: a tick at 0.5 children would mislead
    label_overflow = 12  # pixels a tick label may reach past the end of the axis

    def boundingRect(self):
        # pyqtgraph drops a tick label that leaves this rectangle, and with a grid the rectangle ends where the view
        # ends: the 「0」 a count axis stands on, half outside, was never printed. Room for half a label at each end.
        rect = super().boundingRect()
        if self.orientation in ("left", "right"):
            return rect.adjusted(0, -self.label_overflow, 0, self.label_overflow)
        return rect

    def tickValues(self, minVal, maxVal, size):
        levels = super().tickValues(minVal, maxVal, size)
        if not self.counts:
            return levels
        whole = [(max(1.0, spacing), [v for v in values if float(v).is_integer()]) for spacing, values in levels]
        return [(spacing, values) for spacing, values in whole if values] or [(1.0, [float(round(minVal))])]

    def tickStrings(self, values, scale, spacing):
        decimals = 0 if spacing >= 1 else min(6, math.ceil(-math.log10(spacing)))
        return [f"{v * scale:,.{decimals}f}" for v in values]


class YearAxis(CachedAxis):
    """Fiscal years as 「R8年度」 ticks."""

    def __init__(self, years: tuple[int, ...], **kwargs) -> None:
        super().__init__("bottom", **kwargs)
        self.setTicks([[(year, era_label(year)) for year in years], []])


def make_plot(years: tuple[int, ...], y_label: str, right_axis: bool = False) -> pg.PlotWidget:
    axes = {"bottom": YearAxis(years), "left": NumberAxis("left")}
    if right_axis:
        axes["right"] = NumberAxis("right")
    plot = pg.PlotWidget(background="w", axisItems=axes)
    item = plot.getPlotItem()
    item.setMenuEnabled(False)
    item.hideButtons()
    item.setMouseEnabled(x=False, y=False)
    item.showGrid(x=False, y=True, alpha=0.25)
    if right_axis:
        item.showAxis("right")
    for name in ("left", "bottom", "right"):
        axis = item.getAxis(name)
        axis.setPen("k")
        axis.setTextPen("k")
    item.setLabel("bottom", S.AXIS_YEAR)
    item.setLabel("left", y_label)
    item.setXRange(years[0] - 0.6, years[-1] + 0.6, padding=0)
    return plot


def axis_label(label: str, unit: str) -> str:
    return S.AXIS_WITH_UNIT.format(label=label, unit=unit) if unit else label


def numbers(values) -> np.ndarray:
    return np.array([float(v) if v is not None else np.nan for v in values], dtype=float)




def set_counts(plot_item, counts: bool, *axes: str) -> None:
    """Whether the value axes show whole numbers only (a count unit) or any number (a rate)."""
    for name in axes or ("left",):
        axis = plot_item.getAxis(name)
        if isinstance(axis, NumberAxis) and axis.counts != counts:
            axis.counts = counts
            axis.picture = None  # pyqtgraph redraws an axis from its cached picture until told otherwise
            axis.update()


def fit_y(plot_item_or_box, *series: np.ndarray, from_zero: bool = True, headroom: float = 0.12) -> None:
    """Y range from zero (or just below the smallest value) to a little above the largest."""
    finite = np.concatenate([s[np.isfinite(s)] for s in series]) if series else np.array([])
    if finite.size == 0:
        low, high = 0.0, 1.0
    else:
        low, high = float(finite.min()), float(finite.max())
        if from_zero or low == high:
            low = min(0.0, low)
        else:
            low -= (high - low) * 0.6
        high = high + (high - low) * headroom if high > low else low + 1.0
        if from_zero and low == 0.0:
            low = -0.03 * high  # a sliver below zero, so that the axis prints its 「0」 and bars stand on it
    current_low, current_high = plot_item_or_box.viewRange()[1]
    if finite.size and _still_fits(current_low, current_high, float(finite.min()), float(finite.max()), low, high):
        return
    plot_item_or_box.setYRange(low, high, padding=0)
    # pyqtgraph moves the items to the new range only when the view starts painting, and moving them
    # then makes Qt paint the chart a second time; moved now, the one paint draws them in place.
    box = plot_item_or_box.getViewBox() if isinstance(plot_item_or_box, pg.PlotItem) else plot_item_or_box
    box.prepareForPaint()


def _still_fits(current_low: float, current_high: float, data_low: float, data_high: float, low: float, high: float) -> bool:
    """Keep the axis still while the data stays well inside it.

    A one-person change in 措置児童数 would otherwise rescale the axis on every keystroke: the
    chart would jitter and every axis would be re-laid out and redrawn, the costliest part of a
    repaint. The range follows when data leaves it or it has become much too wide.
    """
    span = high - low
    room_above = (high - data_high) * 0.5
    return (
        current_low <= data_low
        and current_high >= data_high + room_above
        and (current_high - current_low) <= span * 1.5
        and (current_low >= low - span * 0.25)
    )


LEGEND_ROW = 4  # PlotItem's grid: title 0, top axis 1, view 2, bottom axis 3; the row below is free


def add_legend(plot_item, columns: int) -> pg.LegendItem:
    """A one-row legend below the year axis: outside the view, so it never covers a bar, a point or a label."""
    legend = pg.LegendItem(colCount=columns, labelTextColor="k", verSpacing=-6)
    plot_item.layout.addItem(legend, LEGEND_ROW, 1)
    plot_item.legend = legend  # items plotted with a name join it, as with PlotItem.addLegend
    return legend


def set_line(item: pg.PlotDataItem, x: np.ndarray, y: np.ndarray) -> None:
    """A line with gaps where values are missing (an all-missing series is drawn as nothing).

    A line already showing these values is left as it is: pyqtgraph rebuilds every point of a line with symbols
    (≈ 0.6 ms), and an edit of 措置率 moves the 措置児童数 line but not the 児童人口 line beside it.
    """
    drawn = getattr(item, "_kp_drawn", None)
    if drawn is not None and np.array_equal(drawn[0], x) and np.array_equal(drawn[1], y, equal_nan=True):
        return
    item._kp_drawn = (np.array(x, dtype=float), np.array(y, dtype=float))
    if np.isfinite(y).any():
        item.setData(x, y, connect="finite")
    else:
        item.setData([], [])


class ChartPanel(QWidget):
    """A plot with an export button; subclasses fill ``redraw``."""

    _stale = False  # the plan moved what it draws while it was not on the screen (follow)

    def __init__(
        self, years: tuple[int, ...], y_label: str, title: str = "", parent=None, right_axis: bool = False
    ) -> None:
        super().__init__(parent)
        self.years = years
        self.title = title
        self.plot = make_plot(years, y_label, right_axis)
        if title:
            self.plot.getPlotItem().setTitle(title)
        self.export_button = QPushButton(S.EXPORT_BUTTON, self)
        self.export_button.clicked.connect(self._ask_export)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.export_button)
        layout.addLayout(row)

    def redraw(self) -> None:
        raise NotImplementedError

    def follow(self) -> None:
        """The plan moved what this chart draws: redraw now if it is on the screen, else when it is next shown.

        A chart on a chart page not in front (section 5's scenario overlays while its forecast page shows, or the
        other way round), on a tab not in front, or in a window not yet shown has nobody to draw for; an edit of
        措置率 would otherwise redraw both pages' five charts.
        """
        if self.isVisible():
            self._stale = False
            self.redraw()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        if self._stale:
            self._stale = False
            self.redraw()
        super().showEvent(event)

    def export(self, path: str | Path) -> Path:
        # Rendered through a cache, an axis would reach an SVG as an embedded bitmap, not as lines and text.
        axes = [item for item in self.plot.scene().items() if isinstance(item, CachedAxis)]
        for axis in axes:
            axis.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        try:
            return export_plot(self.plot, path)
        finally:
            for axis in axes:
                axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def _ask_export(self) -> None:
        path = ask_export_path(self, (self.title or "chart") + ".png")
        if path:
            self.export(path)


class IndicatorChart(ChartPanel):
    """The selected indicator: targets (目標) as a line, actuals (実績) as points, R6–R11."""

    def __init__(self, years: tuple[int, ...], parent=None) -> None:
        super().__init__(years, S.AXIS_VALUE, parent=parent)
        item = self.plot.getPlotItem()
        add_legend(item, 2)
        self.plan_curve = item.plot(
            [], [], pen=pg.mkPen(PLAN_COLOR, width=2), symbol="s", symbolSize=7, symbolBrush=PLAN_COLOR,
            symbolPen=None, connect="finite", name=S.SERIES_PLAN,
        )  # fmt: skip
        self.actual_points = item.plot(
            [], [], pen=None, symbol="o", symbolSize=11, symbolBrush=ACTUAL_COLOR, symbolPen="w", name=S.SERIES_ACTUAL
        )
        self.indicator: Indicator | None = None
        self.redraw()

    def set_indicator(self, indicator: Indicator | None) -> None:
        self.indicator = indicator
        self.redraw()

    def redraw(self) -> None:
        item = self.plot.getPlotItem()
        indicator = self.indicator
        x = np.array(self.years, dtype=float)
        if indicator is None:
            plan = actual = np.full(len(x), np.nan)
            item.setTitle(S.CHART_NO_SELECTION)
            item.setLabel("left", S.AXIS_VALUE)
        else:
            plan = numbers(indicator.figure(y, PLAN).number for y in self.years)
            actual = numbers(indicator.figure(y, ACTUAL).number for y in self.years)
            self.title = indicator.label
            item.setTitle(indicator.label)
            item.setLabel("left", axis_label(S.SERIES_PLAN + "・" + S.SERIES_ACTUAL, indicator.unit))
            set_counts(item, indicator.unit in COUNT_UNITS)
        set_line(self.plan_curve, x, plan)
        keep = np.isfinite(actual)
        self.actual_points.setData(x[keep], actual[keep])
        fit_y(item, plan, actual)
