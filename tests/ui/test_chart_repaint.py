"""Section-5 charts after an edit: the plot items hold the new data, and what is painted (axes kept
as cached pixmaps) is what a fresh drawing of the chart shows."""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtWidgets import QGraphicsItem

from kawasaki_planner.core.plan import ACTUAL, forecast_ref
from kawasaki_planner.ui.charts import CachedAxis
from kawasaki_planner.ui.forecast_charts import BAR_WIDTH, printed_series

POPULATION_R6 = forecast_ref("population", 2024, ACTUAL)


def edit(tab, ref, text):
    model = tab.forecast_model
    assert model.setData(model.index_of(ref), text)


def axes_of(chart):
    return [item for item in chart.plot.scene().items() if isinstance(item, CachedAxis)]


def painted(chart):
    return chart.plot.grab().toImage()


def drawn_afresh(chart):
    """The chart as pyqtgraph draws it with no item cache: the reference a cached paint must match."""
    axes = axes_of(chart)
    for axis in axes:
        axis.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        return chart.plot.grab().toImage()
    finally:
        for axis in axes:
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def test_every_axis_is_kept_as_a_pixmap(window):
    for chart in window.forecast_tab.charts:
        axes = axes_of(chart)
        assert len(axes) >= 2
        assert all(a.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache for a in axes)


def test_an_edit_reaches_the_curve_before_the_chart_is_painted(window, qtbot):
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    chart = tab.population_chart
    qtbot.waitExposed(chart.plot)
    before = painted(chart)
    y_range = chart.plot.getPlotItem().viewRange()[1]
    edit(tab, POPULATION_R6, "244,000")  # inside the range the axis shows
    x, y = chart.population_curve.getData()
    assert y.tolist() == printed_series(window.plan, "population").tolist()
    assert y[x.tolist().index(2024)] == 244000
    assert chart.plot.getPlotItem().viewRange()[1] == y_range  # the axis stays: only the curve moved
    after = painted(chart)
    assert after != before
    assert after == drawn_afresh(chart)


def test_an_edit_beyond_the_axis_rescales_and_repaints_it(window, qtbot):
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    chart = tab.population_chart
    qtbot.waitExposed(chart.plot)
    painted(chart)  # the axes are in their caches
    left = chart.plot.getPlotItem().getAxis("left")
    low, high = chart.plot.getPlotItem().viewRange()[1]
    edit(tab, forecast_ref("population", 2027), "400,000")
    new_low, new_high = chart.plot.getPlotItem().viewRange()[1]
    assert (new_low, new_high) != (low, high)
    assert new_high >= 400_000
    ticks = [value for level in left.tickValues(new_low, new_high, left.height()) for value in level[1]]
    assert max(ticks) > high
    assert painted(chart) == drawn_afresh(chart)


def test_age_and_eligible_charts_follow_a_recompute(window, qtbot):
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    qtbot.waitExposed(tab.age_chart.plot)
    painted(tab.age_chart), painted(tab.eligible_chart)
    edit(tab, forecast_ref("rate", 2025), "0.200%")
    counts = tab.age_chart.group_counts()
    base = np.zeros(len(counts[0]))
    for bar, group in zip(tab.age_chart.bars, counts, strict=True):
        assert np.array_equal(bar.opts["height"], group)
        assert np.array_equal(bar.opts["y0"], base)
        assert bar.opts["width"] == BAR_WIDTH
        base = base + group
    values = tab.eligible_chart.values()
    assert np.array_equal(tab.eligible_chart.bar.opts["height"], np.nan_to_num(values))
    assert [label.textItem.toPlainText() for label in tab.eligible_chart.labels] == [f"{v:,.0f}" for v in values]
    for chart in (tab.age_chart, tab.eligible_chart):
        assert painted(chart) == drawn_afresh(chart)


def test_undo_brings_back_the_drawn_data(window):
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    chart = tab.population_chart
    published = chart.placed_curve.getData()[1].copy()
    edit(tab, forecast_ref("rate", 2025), "0.200%")
    assert not np.array_equal(chart.placed_curve.getData()[1], published)
    window.menu_actions.undo.trigger()
    assert np.array_equal(chart.placed_curve.getData()[1], published)


def test_svg_export_draws_the_axes_as_text_and_keeps_the_cache(window, tmp_path):
    chart = window.forecast_tab.population_chart
    svg = chart.export(tmp_path / "population.svg").read_text(encoding="utf-8")
    texts = [text.strip() for text in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]
    assert "350" in texts and "R8" in texts
    assert all(a.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache for a in axes_of(chart))


def test_an_edit_redraws_the_charts_whose_rows_it_moves_and_no_other(window, monkeypatch):
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    redrawn = []
    for chart in tab.charts:
        monkeypatch.setattr(chart, "redraw", lambda chart=chart: redrawn.append(type(chart).__name__))
    indicator = window.plan.section(2).indicators[0]
    window.plan.set_figure(type(POPULATION_R6)(2, indicator.id, 2025, ACTUAL), "1,000人")
    assert redrawn == []  # another section's figure moves no section-5 row
    window.plan.set_figure(forecast_ref("excluded.school", 2027), "5")
    assert sorted(redrawn) == ["EligibleChart"]  # the age groups' counts stay; only the eligible ones move
    redrawn.clear()
    edit(tab, POPULATION_R6, "244,000")
    assert sorted(redrawn) == ["PopulationChart"]  # R6 is an actual: the forecast years do not move
    redrawn.clear()
    window.plan.set_figure(forecast_ref("population", 2027), "230,000")
    assert sorted(redrawn) == ["AgeChart", "EligibleChart", "PopulationChart"]


def test_a_chart_not_on_the_screen_is_drawn_when_it_is_shown_not_at_each_edit(window, monkeypatch):
    """An edit redraws only the charts in view; the others, once, as they come into view (tab or chart page)."""
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    redrawn = []
    for chart in (*tab.charts, *tab.scenario_charts):
        monkeypatch.setattr(chart, "redraw", lambda chart=chart, draw=chart.redraw: (redrawn.append(chart), draw()))
    assert tab.chart_pages.currentIndex() == 0  # one scenario: the forecast page; the overlays are behind it
    for text in ("0.200%", "0.210%"):
        edit(tab, forecast_ref("rate", 2025), text)
    assert set(redrawn) == set(tab.charts) and len(redrawn) == 2 * len(tab.charts)
    redrawn.clear()
    tab.chart_pages.setCurrentIndex(1)
    assert sorted(map(id, redrawn)) == sorted(map(id, tab.scenario_charts))  # once each, with the latest figures
    overlay = tab.scenario_charts[0]
    assert overlay.curves[window.plan.adopted_id].getData()[1].tolist() == printed_series(window.plan, "placed").tolist()
    redrawn.clear()
    window.tabs.setCurrentIndex(0)  # section 1: section 5 out of view
    edit(tab, forecast_ref("rate", 2025), "0.220%")
    assert redrawn == []
    window.tabs.setCurrentWidget(tab)
    assert sorted(map(id, redrawn)) == sorted(map(id, tab.scenario_charts))  # the page in front, nothing else
    redrawn.clear()
    tab.chart_pages.setCurrentIndex(0)
    assert set(redrawn) == set(tab.charts)
    assert tab.population_chart.placed_curve.getData()[1].tolist() == printed_series(window.plan, "placed").tolist()


def test_a_line_whose_values_stay_is_not_rebuilt(window, monkeypatch):
    """措置率 moves 措置児童数, not 児童人口: only the line that moved is given new data (pyqtgraph rebuilds every point
    of a line it is given), and the bar labels of the actual years stay as they are."""
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    chart = tab.population_chart
    given = []
    for curve in (chart.population_curve, chart.placed_curve):
        monkeypatch.setattr(curve, "setData", lambda *a, curve=curve, set_data=curve.setData, **k: (given.append(curve), set_data(*a, **k)))
    labels = {id(label): label.toPlainText() for label in tab.eligible_chart.labels}
    retexted = []
    for label in tab.eligible_chart.labels:
        monkeypatch.setattr(label, "setText", lambda text, label=label, set_text=label.setText: (retexted.append(label), set_text(text)))
    edit(tab, forecast_ref("rate", 2025), "0.200%")
    assert given == [chart.placed_curve]
    assert chart.placed_curve.getData()[1].tolist() == printed_series(window.plan, "placed").tolist()
    first = window.plan.first_forecast_year
    moved = [label for label, year in zip(tab.eligible_chart.labels, window.plan.years, strict=True) if year >= first]
    assert retexted and set(map(id, retexted)) <= set(map(id, moved))
    assert all(label.toPlainText() == labels[id(label)] for label in tab.eligible_chart.labels if label not in moved)
    given.clear()
    edit(tab, forecast_ref("rate", 2025), "0.200%")  # the same figure again: nothing moves
    assert given == []
