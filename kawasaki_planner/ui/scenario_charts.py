"""The scenarios overlaid: 措置児童数 and 里親等委託率対象児童数 per year, a line per scenario.

The adopted scenario is drawn thick and solid, the others thinner and dashed; the legend, below the year axis,
names them (never over the data). Lines are kept and redrawn in place, only when their values moved; a scenario
added, removed, renamed or adopted rebuilds the lines.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from ..core import scenarios as sc
from ..core.plan import ACTUAL, PLAN, Plan
from ..core.scenario_report import figure_of
from . import scenario_strings as T
from . import strings as S
from .charts import ChartPanel, add_legend, axis_label, fit_y, numbers, set_counts, set_line

SCENARIO_COLORS = ("#d0481f", "#1f5fa8", "#2e8b57", "#8e44ad", "#b8860b", "#4d4d4d", "#c2185b", "#00838f")
ADOPTED_WIDTH = 3.5
OTHER_WIDTH = 2


class ScenarioChart(ChartPanel):
    """One section-5 row (``key``) of every scenario, as the plan prints it (実績 before the first forecast year)."""

    legend_columns = 3

    def __init__(self, plan: Plan, key: str, title: str, y_label: str, parent=None) -> None:
        super().__init__(plan.years, axis_label(y_label, "人"), title, parent)
        self.model_plan = plan
        self.key = key
        self.year_x = np.array(plan.years, dtype=float)
        item = self.plot.getPlotItem()
        self.legend = add_legend(item, self.legend_columns)
        set_counts(item, True)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._signature: tuple = ()
        plan.changed.connect(self._on_changed)
        self.redraw()

    def detach(self) -> None:
        self.model_plan.changed.disconnect(self._on_changed)

    def _on_changed(self, _change) -> None:
        self.follow()

    def series(self, id: str) -> np.ndarray:
        plan = self.model_plan
        scenario = sc.find(plan, id)
        result = sc.result(plan, id)
        first = plan.first_forecast_year
        return numbers(figure_of(plan, scenario, result, self.key, y, ACTUAL if y < first else PLAN).number
                       for y in plan.years)

    def _rebuild(self) -> None:
        item = self.plot.getPlotItem()
        for curve in self.curves.values():
            item.removeItem(curve)
            self.legend.removeItem(curve)
        self.curves = {}
        plan = self.model_plan
        # The others first, the adopted last: drawn on top of them.
        ordered = sorted(enumerate(plan.scenarios), key=lambda pair: sc.is_adopted(plan, pair[1].id))
        for n, scenario in ordered:
            color = SCENARIO_COLORS[n % len(SCENARIO_COLORS)]
            adopted = sc.is_adopted(plan, scenario.id)
            pen = pg.mkPen(color, width=ADOPTED_WIDTH if adopted else OTHER_WIDTH,
                           style=Qt.PenStyle.SolidLine if adopted else Qt.PenStyle.DashLine)
            curve = pg.PlotDataItem([], [], pen=pen, symbol="o" if adopted else "t", symbolSize=9 if adopted else 7,
                                    symbolBrush=color, symbolPen=None, connect="finite")
            item.addItem(curve)
            self.curves[scenario.id] = curve
        for scenario in plan.scenarios:  # the legend in the scenarios' own order
            self.legend.addItem(self.curves[scenario.id], scenario.name + (T.ADOPTED_MARK if sc.is_adopted(plan, scenario.id) else ""))

    def redraw(self) -> None:
        plan = self.model_plan
        signature = tuple((s.id, s.name, sc.is_adopted(plan, s.id)) for s in plan.scenarios)
        if signature != self._signature:
            self._signature = signature
            self._rebuild()
        values = []
        for id, curve in self.curves.items():
            series = self.series(id)
            values.append(series)
            set_line(curve, self.year_x, series)  # a line whose values stay is left as it is
        fit_y(self.plot.getPlotItem(), *values, from_zero=False, headroom=0.3)


def placed_chart(plan: Plan, parent=None) -> ScenarioChart:
    return ScenarioChart(plan, "placed", T.CHART_PLACED, S.SERIES_PLACED, parent)


def eligible_chart(plan: Plan, parent=None) -> ScenarioChart:
    return ScenarioChart(plan, "eligible.total", T.CHART_ELIGIBLE, S.SERIES_ELIGIBLE, parent)
