"""Every table model passes Qt's model tester; evaluation colours, the overview and its filters, thresholds."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from kawasaki_planner.core.evaluation import Status, Thresholds
from kawasaki_planner.core.plan import FigureRef
from kawasaki_planner.ui.indicator_model import STATUS_ROLE
from kawasaki_planner.ui.overview_model import LATEST_COLUMN
from kawasaki_planner.ui.palette import STATUS_COLORS
from kawasaki_planner.ui.settings import AppSettings

LABEL = "一時保護施設の定員数"


def all_models(window):
    for tab in window.section_tabs.values():
        if getattr(tab, "table_model", None) is not None:
            yield tab.table_model
            yield tab.status_model
    yield from window.forecast_tab.models
    yield window.overview_tab.overview_model
    yield window.overview_tab.proxy


def test_qtmodeltester_over_every_table_model(window, qtmodeltester):
    models = list(all_models(window))
    assert len(models) == 16
    for model in models:
        qtmodeltester.check(model, force_py=True)


def test_headers_are_fiscal_years_with_target_and_actual(window):
    model = window.section_tabs[6].table_model
    assert model.headerData(5, Qt.Orientation.Horizontal) == "R8年度 (2026)\n目標"
    assert model.headerData(6, Qt.Orientation.Horizontal) == "R8年度 (2026)\n実績"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "指標"
    alignment = model.data(model.index(0, 1), Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight


def test_actual_cells_are_coloured_by_status_with_a_tooltip(window):
    model = window.section_tabs[6].table_model
    actual = model.index_of(FigureRef(6, LABEL, 2025, "actual"))
    assert model.data(actual, Qt.ItemDataRole.BackgroundRole) is None  # nothing entered yet
    assert model.setData(actual, "100人")  # target 88人 → 113.6 %
    assert model.data(actual, STATUS_ROLE) is Status.ABOVE
    assert model.data(actual, Qt.ItemDataRole.BackgroundRole) == STATUS_COLORS[Status.ABOVE]
    tooltip = model.data(actual, Qt.ItemDataRole.ToolTipRole)
    assert "2 目標を上回って達成" in tooltip and "113.6%" in tooltip
    r6 = model.index_of(FigureRef(6, LABEL, 2024, "actual"))
    assert model.data(r6, STATUS_ROLE) is Status.NOT_RATED
    assert "目標がありません" in model.data(r6, Qt.ItemDataRole.ToolTipRole)


def test_lower_is_better_indicator(window):
    model = window.section_tabs[6].table_model
    actual = model.index_of(FigureRef(6, "一時保護施設平均入所日数", 2025, "actual"))
    assert model.setData(actual, "60日")  # target 52日 → 86.7 %
    assert model.data(actual, STATUS_ROLE) is Status.BELOW


def test_changing_thresholds_in_settings_recolours_at_once(window, qtbot):
    model = window.section_tabs[6].table_model
    actual = model.index_of(FigureRef(6, LABEL, 2025, "actual"))
    model.setData(actual, "100人")
    with qtbot.waitSignal(model.dataChanged):
        window.settings.set_thresholds(Thresholds(Decimal("1.10"), Decimal("1.05"), Decimal("0.95"), Decimal("0.80")))
    assert model.data(actual, STATUS_ROLE) is Status.FAR_ABOVE
    assert AppSettings().thresholds().far_above == Decimal("1.1")


def test_overview_lists_every_indicator_and_filters(window):
    tab = window.overview_tab
    source, proxy = tab.overview_model, tab.proxy
    assert source.rowCount() == 27
    index = window.section_tabs[6].table_model.index_of(FigureRef(6, LABEL, 2025, "actual"))
    window.section_tabs[6].table_model.setData(index, "100人")
    row = next(i for i, (_, ind) in enumerate(source.rows) if ind.label == LABEL)
    assert source.data(source.index(row, LATEST_COLUMN)) == "2 目標を上回って達成"
    tab.section_filter.setCurrentIndex(tab.section_filter.findData(6))
    assert proxy.rowCount() == 7
    tab.status_filter.setCurrentIndex(tab.status_filter.findData(int(Status.ABOVE)))
    assert proxy.rowCount() == 1
    tab.status_filter.setCurrentIndex(0)
    tab.section_filter.setCurrentIndex(0)
    tab.text_filter.setText("研修")
    assert 0 < proxy.rowCount() < 27
    assert all("研修" in proxy.data(proxy.index(r, 1)) for r in range(proxy.rowCount()))


def test_overview_double_click_opens_the_indicator(window):
    tab = window.overview_tab
    index = tab.proxy.index(5, 1)
    tab.table.doubleClicked.emit(index)
    section, indicator = tab.overview_model.rows[5]
    assert window.tabs.currentWidget() is window.section_tabs[section.number]
    assert window.section_tabs[section.number].chart.indicator is indicator
