"""Charts a planner can read: the legend never over the data, whole-number ticks for counts, bars from zero."""

from __future__ import annotations

from kawasaki_planner.core.plan import FigureRef


def _rect(item):
    return item.mapRectToScene(item.boundingRect())


def test_no_legend_covers_its_plot_area(window, qtbot):
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    window.resize(1366, 768)
    for chart in tab.charts:
        qtbot.waitExposed(chart.plot)
        item = chart.plot.getPlotItem()
        if item.legend.isVisible():
            assert not _rect(item.legend).intersects(_rect(item.getViewBox())), chart.title


def test_count_axes_tick_whole_numbers_only(window, qtbot):
    tab = window.section_tabs[7]
    window.tabs.setCurrentWidget(tab)
    adoption = window.plan.adoption_indicator()
    tab.select_indicator([i.id for i in tab.section.indicators].index(adoption.id))
    chart = tab.chart
    axis = chart.plot.getPlotItem().getAxis("left")
    assert axis.counts
    low, high = chart.plot.getPlotItem().viewRange()[1]
    for _spacing, values in axis.tickValues(low, high, 300):
        assert all(float(v).is_integer() for v in values)
    window.document.set_figure(FigureRef(7, adoption.id, 2026, "plan"), "2件", "edit")
    assert chart.plot.getPlotItem().viewRange()[1][0] <= 0  # counts stand on zero


def test_the_age_bars_start_at_zero(window, qtbot):
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    low, high = tab.age_chart.plot.getPlotItem().viewRange()[1]
    assert low <= 0 < high
