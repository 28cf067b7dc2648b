"""Section-5 charts: population against 措置児童数 (two axes), the age split, 里親等委託率対象児童数.

Each year shows the column the plan prints: actuals before the first forecast year
(R6), the forecast from then on.

Every recompute reaches every chart, but an edit often leaves a series as it was (one
more child in 児童人口 rarely moves a rounded count): a chart hands a series to its plot
item only when it differs from what it drew, so an unchanged chart is not repainted.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ..core import forecast as fc
from ..core.plan import ACTUAL, FORECAST_SECTION, PLAN, Plan, forecast_ref
from . import strings as S
from .charts import ChartPanel, add_legend, axis_label, fit_y, numbers, set_counts, set_line
from .palette import AGE_COLORS, ELIGIBLE_COLOR, PLACED_COLOR, POPULATION_COLOR

BAR_WIDTH = 0.6


def printed_series(plan: Plan, key: str) -> np.ndarray:
    """The value the plan prints for ``key`` each year (実績 before the first forecast year)."""
    first = plan.first_forecast_year
    return numbers(plan.figure(forecast_ref(key, y, ACTUAL if y < first else PLAN)).number for y in plan.years)


class ForecastChart(ChartPanel):
    legend_columns = 3
    rows: frozenset[str] = frozenset()  # the section-5 rows it draws: an edit that moves none of them leaves it be

    def __init__(self, plan: Plan, y_label: str, title: str, parent=None, right_axis: bool = False) -> None:
        super().__init__(plan.years, y_label, title, parent, right_axis)
        self.model_plan = plan
        self.year_x = np.array(plan.years, dtype=float)
        self.legend = add_legend(self.plot.getPlotItem(), self.legend_columns)
        set_counts(self.plot.getPlotItem(), True, "left", "right")  # every section-5 chart counts children

    def attach(self) -> None:
        self.model_plan.changed.connect(self._on_changed)
        self.redraw()

    def detach(self) -> None:
        self.model_plan.changed.disconnect(self._on_changed)

    def _on_changed(self, change) -> None:
        # The plan says once per edit what moved, derived rows included: a pasted block redraws once, an edit that
        # moves none of this chart's rows not at all.
        if change.plan_wide or any(ref.section == FORECAST_SECTION and ref.row in self.rows for ref in change.figures):
            self.follow()


class PopulationChart(ForecastChart):
    """児童人口 on the left axis, 措置児童数 on the right."""

    rows = frozenset({"population", "placed"})

    def __init__(self, plan: Plan, parent=None) -> None:
        super().__init__(plan, axis_label(S.SERIES_POPULATION, "人"), S.CHART_POPULATION, parent, right_axis=True)
        item = self.plot.getPlotItem()
        self.population_curve = item.plot(
            [], [], pen=pg.mkPen(POPULATION_COLOR, width=2), symbol="s", symbolSize=7,
            symbolBrush=POPULATION_COLOR, symbolPen=None, connect="finite", name=S.SERIES_POPULATION,
        )  # fmt: skip
        self.placed_box = pg.ViewBox(enableMouse=False, enableMenu=False)
        self.placed_box.enableAutoRange(x=False, y=False)
        right = item.getAxis("right")
        item.scene().addItem(self.placed_box)
        right.linkToView(self.placed_box)
        self.placed_box.setXLink(item)
        right.setLabel(axis_label(S.SERIES_PLACED, "人"))
        self.placed_curve = pg.PlotDataItem(
            [], [], pen=pg.mkPen(PLACED_COLOR, width=2, style=pg.QtCore.Qt.PenStyle.DashLine), symbol="o",
            symbolSize=8, symbolBrush=PLACED_COLOR, symbolPen=None, connect="finite", name=S.SERIES_PLACED,
        )  # fmt: skip
        self.placed_box.addItem(self.placed_curve)
        self.legend.addItem(self.placed_curve, S.SERIES_PLACED)
        item.vb.sigResized.connect(self._sync_boxes)
        self.attach()

    def _sync_boxes(self) -> None:
        self.placed_box.setGeometry(self.plot.getPlotItem().vb.sceneBoundingRect())
        self.placed_box.linkedViewChanged(self.plot.getPlotItem().vb, self.placed_box.XAxis)

    def redraw(self) -> None:
        population = printed_series(self.model_plan, "population")
        placed = printed_series(self.model_plan, "placed")
        set_line(self.population_curve, self.year_x, population)
        set_line(self.placed_curve, self.year_x, placed)
        # Neither axis from zero: the point is the trend of each series, side by side.
        # Two trends on two axes: from zero both lines would run flat along the top, one over the other.
        fit_y(self.plot.getPlotItem(), population, from_zero=False, headroom=0.3)
        fit_y(self.placed_box, placed, from_zero=False, headroom=0.3)


class AgeChart(ForecastChart):
    """措置児童数 per year stacked by age group."""

    rows = frozenset(f"age.{key}" for key, _ in fc.AGE_GROUPS)

    def __init__(self, plan: Plan, parent=None) -> None:
        super().__init__(plan, axis_label(S.SERIES_PLACED, "人"), S.CHART_AGE, parent)
        item = self.plot.getPlotItem()
        self.bars = []
        for (_, label), color in zip(fc.AGE_GROUPS, AGE_COLORS, strict=True):
            bar = pg.BarGraphItem(x=self.year_x, height=np.zeros(len(self.year_x)), y0=0, width=BAR_WIDTH, brush=color, pen="w")
            item.addItem(bar)
            self.legend.addItem(bar, label)
            self.bars.append(bar)
        self.attach()

    def group_counts(self) -> list[np.ndarray]:
        return [np.nan_to_num(printed_series(self.model_plan, f"age.{key}")) for key, _ in fc.AGE_GROUPS]

    def redraw(self) -> None:
        groups = self.group_counts()
        base = np.zeros(len(self.year_x))
        for bar, counts in zip(self.bars, groups, strict=True):
            bar.setOpts(x=self.year_x, y0=base.copy(), height=counts, width=BAR_WIDTH)
            base = base + counts
        fit_y(self.plot.getPlotItem(), base)


class EligibleChart(ForecastChart):
    """里親等委託率対象児童数 per year, with the count printed on each bar."""

    rows = frozenset({"eligible.total"})

    def __init__(self, plan: Plan, parent=None) -> None:
        super().__init__(plan, axis_label(S.SERIES_ELIGIBLE, "人"), S.CHART_ELIGIBLE, parent)
        item = self.plot.getPlotItem()
        self.bar = pg.BarGraphItem(
            x=self.year_x, height=np.zeros(len(self.year_x)), width=BAR_WIDTH, brush=ELIGIBLE_COLOR, pen="w"
        )
        item.addItem(self.bar)
        # One series, named by the title: a legend would only cover the counts printed above the bars.
        item.legend.hide()
        self.labels = [pg.TextItem("", color="k", anchor=(0.5, 1.0)) for _ in self.year_x]
        for label in self.labels:
            item.addItem(label)
        self.attach()

    def values(self) -> np.ndarray:
        return printed_series(self.model_plan, "eligible.total")

    def redraw(self) -> None:
        values = self.values()
        heights = np.nan_to_num(values)
        self.bar.setOpts(x=self.year_x, height=heights, width=BAR_WIDTH)
        for label, x, value in zip(self.labels, self.year_x, values, strict=True):
            text = "" if np.isnan(value) else f"{value:,.0f}"
            if label.toPlainText() != text:  # an actual year's count stays when a forecast input moves
                label.setText(text)
                label.setPos(x, 0 if np.isnan(value) else value)
        fit_y(self.plot.getPlotItem(), values, headroom=0.25)
