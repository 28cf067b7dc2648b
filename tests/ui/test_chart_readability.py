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
    section = window.section_tabs[2]
    window.tabs.setCurrentWidget(section)
    qtbot.waitExposed(section.chart.plot)
    item = section.chart.plot.getPlotItem()
    assert item.legend.isVisible() and not _rect(item.legend).intersects(_rect(item.getViewBox()))


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


def _tick_labels(axis) -> list[str]:
    from PySide6.QtGui import QImage, QPainter

    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for _rect, _flags, text in specs[2]] if specs else []


def test_every_axis_from_zero_prints_its_zero_at_the_window_size_planners_use(window, qtbot):
    """pyqtgraph drops a tick label that leaves the axis; the 「0」 at the foot of a count axis used to be dropped."""
    window.resize(1366, 768)
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    for chart in (tab.age_chart, tab.eligible_chart):
        qtbot.waitExposed(chart.plot)
        assert "0" in _tick_labels(chart.plot.getPlotItem().getAxis("left")), chart.title
    section = window.section_tabs[6]
    window.tabs.setCurrentWidget(section)
    qtbot.waitExposed(section.chart.plot)
    labels = _tick_labels(section.chart.plot.getPlotItem().getAxis("left"))
    assert "0" in labels and all(label.replace(",", "").isdigit() for label in labels)


def test_value_axes_name_their_unit(window):
    tab = window.forecast_tab
    assert "(人)" in tab.age_chart.plot.getPlotItem().getAxis("left").labelText
    assert "(人)" in tab.eligible_chart.plot.getPlotItem().getAxis("left").labelText
    population = tab.population_chart.plot.getPlotItem()
    assert "(人)" in population.getAxis("left").labelText and "(人)" in population.getAxis("right").labelText
    section = window.section_tabs[6]
    for index, indicator in enumerate(section.section.indicators):
        section.select_indicator(index)
        assert f"({indicator.unit})" in section.chart.plot.getPlotItem().getAxis("left").labelText, indicator.label
