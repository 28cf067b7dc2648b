"""Indicator charts: data after edits, redraw on selection, axes, export."""

from __future__ import annotations

import numpy as np

from kawasaki_planner.core.plan import FigureRef

SECTION = 2
LABEL = "意見表明支援を利用可能な児童数"


def test_chart_shows_targets_as_a_line_and_actuals_as_points(window):
    tab = window.section_tabs[SECTION]
    chart = tab.chart
    assert chart.indicator.label == LABEL
    x, y = chart.plan_curve.getData()
    assert x.tolist() == [2024, 2025, 2026, 2027, 2028, 2029]
    assert np.isnan(y[0]) and y[1:].tolist() == [993, 997, 1000, 1002, 1004]
    assert chart.actual_points.getData()[0].tolist() == [2024]
    assert chart.actual_points.getData()[1].tolist() == [993]
    left = chart.plot.getPlotItem().getAxis("left")
    assert "人" in left.labelText
    assert left.autoSIPrefix is False


def test_chart_data_follow_an_edit_and_undo(window):
    tab = window.section_tabs[SECTION]
    model = tab.table_model
    assert model.setData(model.index_of(FigureRef(SECTION, LABEL, 2025, "actual")), "990")
    assert tab.chart.actual_points.getData()[1].tolist() == [993, 990]
    window.menu_actions.undo.trigger()
    assert tab.chart.actual_points.getData()[1].tolist() == [993]


def test_selecting_another_row_redraws_the_same_items(window):
    tab = window.section_tabs[SECTION]
    curve = tab.chart.plan_curve
    tab.select_indicator(1)
    assert tab.chart.plan_curve is curve
    assert tab.chart.indicator.label == tab.section.indicators[1].label
    assert curve.getData()[1][2] == 100
    assert "日" in tab.chart.plot.getPlotItem().getAxis("left").labelText


def test_a_pasted_block_redraws_once_at_once_and_other_rows_not_at_all(window):
    """One edit (a pasted block) is one plan.changed: the chart is redrawn once, before the edit returns."""
    tab = window.section_tabs[SECTION]
    calls = []
    original = tab.chart.redraw
    tab.chart.redraw = lambda: (calls.append(1), original())
    window.plan.set_figures([(FigureRef(SECTION, LABEL, year, "actual"), "1") for year in (2025, 2026, 2027)])
    assert calls == [1]
    assert tab.chart.actual_points.getData()[1].tolist() == [993, 1, 1, 1]
    other = tab.section.indicators[1]
    window.plan.set_figure(FigureRef(SECTION, other.id, 2025, "actual"), "5")
    assert calls == [1]


def test_charts_export_to_png_and_svg(window, tmp_path):
    tab = window.section_tabs[SECTION]
    window.tabs.setCurrentWidget(tab)
    png = tab.chart.export(tmp_path / "chart.png")
    svg = window.forecast_tab.population_chart.export(tmp_path / "population.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "児童人口" in text


def test_the_axis_stays_still_for_a_small_change_and_follows_a_large_one(window):
    import numpy as np

    from kawasaki_planner.core.plan import forecast_ref

    chart = window.forecast_tab.population_chart
    box = chart.placed_box
    before = box.viewRange()[1]
    window.forecast_tab.forecast_model.setData(
        window.forecast_tab.forecast_model.index_of(forecast_ref("population", 2026)), "237,500")
    chart.redraw()
    assert box.viewRange()[1] == before
    window.forecast_tab.forecast_model.setData(
        window.forecast_tab.forecast_model.index_of(forecast_ref("population", 2026)), "400,000")
    chart.redraw()
    low, high = box.viewRange()[1]
    placed = chart.placed_curve.getData()[1]
    assert low <= np.nanmin(placed) and high >= np.nanmax(placed)
    assert (low, high) != tuple(before)
