"""Tables size themselves from the font, not by measuring cells: a 10,000-indicator plan builds and filters,
and the published plan's wrapped labels still get rows as tall as Qt's own measure would make them.

Sizes and data only; how long it takes is for benchmarks/run.py.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTabWidget

from kawasaki_planner.core.evaluation import DEFAULT_THRESHOLDS, Status, Thresholds
from kawasaki_planner.core.plan import FigureRef, Indicator
from kawasaki_planner.core.values import parse_for_row
from kawasaki_planner.io.source import load_source
from kawasaki_planner.ui.document import PlanDocument
from kawasaki_planner.ui.headers import SYNC_ROWS
from kawasaki_planner.ui.overview_model import LATEST_COLUMN, SECTION_ROLE, STATUS_ROLE
from kawasaki_planner.ui.overview_tab import OverviewTab
from kawasaki_planner.ui.section_tab import SectionTab
from kawasaki_planner.ui.table_view import TYPICAL_FIGURES

from .conftest import SAMPLE_SOURCE

LARGE_SECTIONS = (2, 3, 4, 6)
PER_SECTION = 2_500
LONG_LABEL = "親への相談支援に関する児童相談所職員に対する研修の実施回数"


def large_plan():
    """The sample plan plus 4 × 2,500 indicators, every year targeted and reported."""
    plan = load_source(SAMPLE_SOURCE)
    target, actual = parse_for_row("1,234人", "人", True), parse_for_row("1,000人", "人", True)
    number = 0
    for section_number in LARGE_SECTIONS:
        section = plan.section(section_number)
        for _ in range(PER_SECTION):
            indicator = Indicator(label=f"合成指標 {number:05d}", unit="人")
            for year in plan.years:
                indicator.set_figure(year, "plan", target)
                indicator.set_figure(year, "actual", actual)
            section.indicators.append(indicator)
            number += 1
    return plan


def shown(qtbot, *tabs):
    """The tabs in a tab widget the size of a small laptop screen, shown and laid out."""
    widget = QTabWidget()
    for tab in tabs:
        widget.addTab(tab, "")
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def qt_row_height(view, row: int) -> int:
    """The height ResizeToContents would give the row."""
    return max(view.verticalHeader().minimumSectionSize(), view.sizeHintForRow(row))


def rows_fit(view) -> bool:
    rows = range(view.model().rowCount())
    return [view.rowHeight(r) for r in rows] == [qt_row_height(view, r) for r in rows]


def assert_rows_fit(view) -> None:
    rows = range(view.model().rowCount())
    assert [view.rowHeight(r) for r in rows] == [qt_row_height(view, r) for r in rows]


@pytest.fixture(scope="module")
def big_plan():
    return large_plan()


@pytest.fixture
def sample_document():
    return PlanDocument(load_source(SAMPLE_SOURCE))


def test_a_10000_indicator_section_builds_with_one_line_rows_and_wide_enough_figures(qtbot, big_plan):
    document = PlanDocument(big_plan)
    tab = SectionTab(document, big_plan.section(2), DEFAULT_THRESHOLDS)
    widget = shown(qtbot, tab)
    view = tab.table
    assert view.model().rowCount() > PER_SECTION
    assert view.verticalHeader().sectionResizeMode(0) != QHeaderView.ResizeMode.ResizeToContents
    line = view.row_heights.line_height()
    first_new = view.model().rowCount() - PER_SECTION
    assert {view.rowHeight(r) for r in range(first_new, view.model().rowCount())} == {line}
    assert_rows_fit_sampled(view, [0, 1, first_new, view.model().rowCount() - 1])
    widest = max(view.fontMetrics().horizontalAdvance(t) for t in TYPICAL_FIGURES)
    assert all(view.columnWidth(c) > widest for c in range(1, view.model().columnCount()))
    tab.detach()
    widget.close()


def assert_rows_fit_sampled(view, rows) -> None:
    assert [view.rowHeight(r) for r in rows] == [qt_row_height(view, r) for r in rows]


def test_a_figure_edit_leaves_row_heights_alone(qtbot, sample_document):
    tab = SectionTab(sample_document, sample_document.plan.section(2), DEFAULT_THRESHOLDS)
    widget = shown(qtbot, tab)
    view = tab.table
    before = [view.rowHeight(r) for r in range(view.model().rowCount())]
    model = tab.table_model
    assert model.setData(model.index(0, 1), "1,234,567,890人")
    assert [view.rowHeight(r) for r in range(view.model().rowCount())] == before
    tab.detach()
    widget.close()


def test_the_overview_of_10000_indicators_has_one_line_rows_and_filters(qtbot, big_plan):
    document = PlanDocument(big_plan)
    tab = OverviewTab(document, DEFAULT_THRESHOLDS)
    widget = shown(qtbot, tab)
    view, proxy, model = tab.table, tab.proxy, tab.overview_model
    assert model.rowCount() == 4 * PER_SECTION + 27 > SYNC_ROWS
    assert not view.wordWrap()
    assert view.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    assert view.verticalHeader().defaultSectionSize() == tab.row_heights.line_height()
    assert view.verticalHeader().length() == proxy.rowCount() * tab.row_heights.line_height()
    long_row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 1).data() == LONG_LABEL)
    assert proxy.index(long_row, 1).data(Qt.ItemDataRole.ToolTipRole) == LONG_LABEL  # elided in the cell

    tab.text_filter.setText("合成指標 0123")
    assert proxy.rowCount() == 10
    assert all(proxy.index(r, 1).data().startswith("合成指標 0123") for r in range(10))
    tab.text_filter.setText("")
    tab.section_filter.setCurrentIndex(tab.section_filter.findData(3))
    assert proxy.rowCount() == len(big_plan.section(3).indicators)
    tab.status_filter.setCurrentIndex(tab.status_filter.findData(int(Status.BELOW)))  # 1,000 of 1,234: 81 %
    assert proxy.rowCount() >= PER_SECTION
    assert {proxy.index(r, LATEST_COLUMN).data(STATUS_ROLE) for r in range(proxy.rowCount())} == {Status.BELOW}
    assert {proxy.index(r, 0).data(SECTION_ROLE) for r in range(proxy.rowCount())} == {3}
    assert view.verticalHeader().length() == proxy.rowCount() * tab.row_heights.line_height()
    tab.detach()
    widget.close()


def test_overview_evaluations_follow_edits_and_thresholds(qtbot, sample_document):
    tab = OverviewTab(sample_document, DEFAULT_THRESHOLDS)
    qtbot.addWidget(tab)
    model = tab.overview_model
    row = next(i for i, (_, indicator) in enumerate(model.rows) if indicator.label == "一時保護施設の定員数")
    latest = model.index(row, LATEST_COLUMN)
    before = latest.data()
    sample_document.plan.set_figure(FigureRef(6, "一時保護施設の定員数", 2025, "actual"), "100人")  # 88人 → 113.6 %
    assert latest.data() == "2 目標を上回って達成" != before
    tab.set_thresholds(Thresholds(far_above="1.10"))
    assert latest.data() == "1 目標を大きく上回って達成"
    tab.detach()


@pytest.mark.parametrize("section", [2, 3, 4, 6, 7])
def test_sample_section_rows_are_as_tall_as_their_wrapped_labels(qtbot, sample_document, section):
    tab = SectionTab(sample_document, sample_document.plan.section(section), DEFAULT_THRESHOLDS)
    widget = shown(qtbot, tab)
    assert_rows_fit(tab.table)
    assert_rows_fit(tab.status_table)
    tab.detach()
    widget.close()


def test_sample_overview_wraps_its_labels(qtbot, sample_document):
    tab = OverviewTab(sample_document, DEFAULT_THRESHOLDS)
    widget = shown(qtbot, tab)
    view = tab.table
    assert view.wordWrap()
    assert_rows_fit(view)
    assert max(view.rowHeight(r) for r in range(view.model().rowCount())) > tab.row_heights.line_height()
    tab.text_filter.setText("研修")
    assert 0 < tab.proxy.rowCount() < 27
    assert_rows_fit(view)
    tab.text_filter.setText("")
    assert_rows_fit(view)
    tab.detach()
    widget.close()


def test_rows_refit_when_the_label_column_narrows(qtbot, sample_document):
    tab = SectionTab(sample_document, sample_document.plan.section(3), DEFAULT_THRESHOLDS)
    widget = shown(qtbot, tab)
    view = tab.table
    before = [view.rowHeight(r) for r in range(view.model().rowCount())]
    view.horizontalHeader().resizeSection(0, view.columnWidth(0) // 2)
    after = [view.rowHeight(r) for r in range(view.model().rowCount())]
    assert sum(after) > sum(before)
    assert_rows_fit(view)
    tab.detach()
    widget.close()


def test_status_rows_follow_the_stretching_description(qtbot, sample_document):
    tab = SectionTab(sample_document, sample_document.plan.section(3), DEFAULT_THRESHOLDS)
    widget = shown(qtbot, tab)
    assert_rows_fit(tab.status_table)
    width = tab.status_table.columnWidth(1)
    widget.resize(900, 700)
    qtbot.waitUntil(lambda: tab.status_table.columnWidth(1) < width)
    assert_rows_fit(tab.status_table)
    tab.detach()
    widget.close()
