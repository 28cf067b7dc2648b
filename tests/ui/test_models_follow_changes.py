"""The table models hear the plan once per edit (plan.changed) and tell their views exactly the cells it changed;
what they show of progress is the core's one evaluation; the 進捗一覧 filters and sorts with Qt's proxy and has
the section tables' context menu; an indicator's print unit (「7か所」 or 「7」) is one undoable edit that saves."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QStyledItemDelegate

from kawasaki_planner.core import structure as st
from kawasaki_planner.core.evaluation import DEFAULT_THRESHOLDS, Status
from kawasaki_planner.core.plan import ACTUAL, PLAN, FigureRef, forecast_ref, plan_snapshot
from kawasaki_planner.core.plan_evaluation import evaluate_plan
from kawasaki_planner.io.source import load_source
from kawasaki_planner.io.workbook import load_plan
from kawasaki_planner.ui import structure_commands as C
from kawasaki_planner.ui import structure_menu
from kawasaki_planner.ui import structure_strings as T
from kawasaki_planner.ui.document import PlanDocument
from kawasaki_planner.ui.overview_model import (
    FIRST_YEAR_COLUMN,
    LATEST_COLUMN,
    LATEST_YEAR_COLUMN,
    RATIO_COLUMN,
    STATUS_ROLE,
    OverviewProxy,
)
from kawasaki_planner.ui.overview_tab import OverviewTab
from kawasaki_planner.ui.palette import STATUS_COLORS
from kawasaki_planner.ui.section_tab import SectionTab
from kawasaki_planner.ui.structure_menu import install_structure_menu

from .conftest import SAMPLE_SOURCE

LABEL = "一時保護施設の定員数"  # section 6, 人; target R7 88人
BACKGROUND = Qt.ItemDataRole.BackgroundRole


@pytest.fixture
def document():
    return PlanDocument(load_source(SAMPLE_SOURCE))


class Told:
    """Every cell a model's dataChanged names, and the Change of the edit."""

    def __init__(self, model, plan) -> None:
        self.model = model
        self.cells: list[tuple[int, int]] = []
        self.changes = []
        model.dataChanged.connect(self._on_data_changed)
        plan.changed.connect(self.changes.append)

    def _on_data_changed(self, top_left, bottom_right, _roles=()) -> None:
        self.cells += [(r, c) for r in range(top_left.row(), bottom_right.row() + 1)
                       for c in range(top_left.column(), bottom_right.column() + 1)]

    def clear(self) -> None:
        self.cells.clear()
        self.changes.clear()


def cells_of(model, refs) -> set[tuple[int, int]]:
    indexes = [model.index_of(ref) for ref in refs]
    return {(i.row(), i.column()) for i in indexes if i.isValid()}


# --- dataChanged names exactly the changed cells ------------------------------------------------------------

def test_a_section_5_input_repaints_exactly_the_derived_cells_it_moved(qtbot, document):
    from kawasaki_planner.ui.forecast_tab import ForecastTab

    plan = document.plan
    tab = ForecastTab(document, plan.section(5))
    qtbot.addWidget(tab)
    model = tab.forecast_model
    told = Told(model, plan)
    ref = forecast_ref("rate", plan.first_forecast_year)
    assert document.set_figure(ref, "0.150%", "edit")
    (change,) = told.changes
    derived = {r for r in change.figures if not plan.is_input(r)}
    assert derived, "措置率 moves the computed 措置児童数"
    # Each cell once, and none that the edit left as it was.
    assert sorted(told.cells) == sorted(cells_of(model, change.figures))
    assert cells_of(model, derived) <= set(told.cells)
    told.clear()
    document.undo_stack.undo()
    assert sorted(told.cells) == sorted(cells_of(model, told.changes[0].figures))
    tab.detach()


def test_an_indicator_edit_repaints_its_year_in_the_table_and_its_status_cells_in_the_overview(qtbot, document):
    plan = document.plan
    section_tab = SectionTab(document, plan.section(6), DEFAULT_THRESHOLDS)
    overview = OverviewTab(document, DEFAULT_THRESHOLDS)
    qtbot.addWidget(section_tab)
    qtbot.addWidget(overview)
    table, source = Told(section_tab.table_model, plan), Told(overview.overview_model, plan)
    ref = FigureRef(6, LABEL, 2025, ACTUAL)
    assert document.set_figure(ref, "100人", "edit")
    actual = section_tab.table_model.index_of(ref)
    assert sorted(table.cells) == [(actual.row(), actual.column() - 1), (actual.row(), actual.column())]  # 目標 and 実績
    row = next(r for r, (_, i) in enumerate(overview.overview_model.rows) if i.id == LABEL)
    r7 = FIRST_YEAR_COLUMN + plan.years.index(2025)
    assert sorted(source.cells) == [(row, LATEST_COLUMN), (row, LATEST_YEAR_COLUMN), (row, RATIO_COLUMN), (row, r7)]
    section_tab.detach()
    overview.detach()


def test_a_section_5_edit_repaints_section_8s_computed_placements(qtbot, document):
    plan = document.plan
    assert document.edit_structure(C.add_section(plan, *st.GUIDELINE_SECTIONS[0][1:], st.GUIDELINE_SECTIONS[0][0]))
    section = plan.section(8)
    rate = next(i for i in section.indicators if i.role and plan.is_input(FigureRef(8, i.id, 2029, PLAN)))
    assert document.set_figure(FigureRef(8, rate.id, 2029, PLAN), "40%", "target")
    tab = SectionTab(document, section, DEFAULT_THRESHOLDS)
    qtbot.addWidget(tab)
    model = tab.table_model
    told = Told(model, plan)
    assert document.set_figure(forecast_ref("population", 2029), "230,000", "population")
    (change,) = told.changes
    computed = {r for r in change.figures if r.section == 8}
    assert computed and all(not plan.is_input(r) for r in computed)
    assert set(told.cells) == {cell for r in computed for cell in model.changed_cells(*_cell(model, r))}
    index = model.index_of(next(iter(computed)))
    assert index.data() == plan.figure(next(iter(computed))).text
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    tab.detach()


def _cell(model, ref):
    index = model.index_of(ref)
    return index.row(), index.column()


# --- colours from the core's evaluation --------------------------------------------------------------------

def test_colours_and_statuses_are_the_core_evaluation_everywhere(qtbot, document):
    plan = document.plan
    for ref, text in ((FigureRef(6, LABEL, 2025, ACTUAL), "100人"), (FigureRef(6, "一時保護施設平均入所日数", 2025, ACTUAL), "60日")):
        assert document.set_figure(ref, text, "edit")
    overview = OverviewTab(document, DEFAULT_THRESHOLDS)
    qtbot.addWidget(overview)
    tabs = {n: SectionTab(document, plan.section(n), DEFAULT_THRESHOLDS) for n in (2, 3, 4, 6, 7)}
    source = overview.overview_model
    row_of = {(s.number, i.id): r for r, (s, i) in enumerate(source.rows)}
    seen = set()
    for year in plan.years:
        column = FIRST_YEAR_COLUMN + plan.years.index(year)
        for section in evaluate_plan(plan, year).sections:
            model = tabs[section.number].table_model
            for result in section.results:
                ref = FigureRef(section.number, result.indicator.id, year, ACTUAL)
                cell = source.index(row_of[(section.number, result.indicator.id)], column)
                if result.actual.is_blank:  # nothing to judge yet: no colour
                    assert model.index_of(ref).data(BACKGROUND) is None and cell.data(BACKGROUND) is None
                    continue
                colour = STATUS_COLORS[result.evaluation.status]
                assert model.index_of(ref).data(BACKGROUND) == colour
                assert model.index_of(ref).data(STATUS_ROLE) is result.evaluation.status
                assert cell.data(BACKGROUND) == colour and cell.data(STATUS_ROLE) is result.evaluation.status
                seen.add(result.evaluation.status)
    assert {Status.ABOVE, Status.BELOW} <= seen
    for tab in tabs.values():
        tab.detach()
    overview.detach()


def test_the_views_paint_with_qts_own_delegate(qtbot, document):
    overview = OverviewTab(document, DEFAULT_THRESHOLDS)
    qtbot.addWidget(overview)
    assert type(overview.table.itemDelegate()) is QStyledItemDelegate
    assert isinstance(overview.proxy, QSortFilterProxyModel)
    overview.detach()


# --- the 進捗一覧's proxy -----------------------------------------------------------------------------------

def labels(proxy) -> list[str]:
    return [proxy.index(r, 1).data() for r in range(proxy.rowCount())]


def test_the_proxy_filters_by_section_status_and_text_together(qtbot, document):
    assert document.set_figure(FigureRef(6, LABEL, 2025, ACTUAL), "100人", "edit")  # 2 上回る
    tab = OverviewTab(document, DEFAULT_THRESHOLDS)
    qtbot.addWidget(tab)
    proxy, plan = tab.proxy, document.plan
    assert isinstance(proxy, OverviewProxy)
    everything = labels(proxy)
    assert everything == [i.label for s in plan.sections for i in s.indicators]
    proxy.set_filter(section=6)
    assert labels(proxy) == [i.label for i in plan.section(6).indicators]
    proxy.set_filter(section=6, text="研修")
    assert labels(proxy) == [i.label for i in plan.section(6).indicators if "研修" in i.label] != []
    proxy.set_filter(section=6, status=Status.ABOVE, text="定員")
    assert labels(proxy) == [LABEL]
    proxy.set_filter(section=6, status=Status.ABOVE, text="研修")
    assert labels(proxy) == []
    proxy.set_filter(section=2, status=Status.ABOVE)
    assert labels(proxy) == []
    proxy.set_filter()
    assert labels(proxy) == everything
    tab.detach()


def test_the_overview_sorts_by_a_clicked_column_and_back_to_plan_order(qtbot, document):
    for ref, text in ((FigureRef(6, LABEL, 2025, ACTUAL), "100人"), (FigureRef(6, "一時保護施設平均入所日数", 2025, ACTUAL), "60日")):
        assert document.set_figure(ref, text, "edit")
    tab = OverviewTab(document, DEFAULT_THRESHOLDS)
    qtbot.addWidget(tab)
    proxy, view = tab.proxy, tab.table
    plan_order = labels(proxy)
    assert view.isSortingEnabled() and proxy.sortColumn() == -1  # plan order until a header is clicked
    view.sortByColumn(LATEST_COLUMN, Qt.SortOrder.AscendingOrder)
    statuses = [proxy.index(r, LATEST_COLUMN).data(STATUS_ROLE) for r in range(proxy.rowCount())]
    assert statuses[0] is Status.ABOVE and statuses[1] is Status.BELOW and statuses[-1] is Status.NOT_RATED
    view.sortByColumn(RATIO_COLUMN, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, RATIO_COLUMN).data() for r in range(2)] == ["113.6%", "86.7%"]
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert labels(proxy) == plan_order
    tab.detach()


# --- the 進捗一覧's context menu ------------------------------------------------------------------------------

def test_a_right_click_on_an_overview_row_offers_the_indicator_edits(window, dialog_log, monkeypatch):
    ui = install_structure_menu(window)
    tab = window.overview_tab
    window.tabs.setCurrentWidget(tab)
    shown = []
    monkeypatch.setattr(structure_menu, "run_menu", lambda menu, _position: shown.append(menu))
    view, proxy = tab.table, tab.proxy
    assert view.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    row = labels(proxy).index(LABEL)
    view.scrollTo(proxy.index(row, 1))
    view.customContextMenuRequested.emit(view.visualRect(proxy.index(row, 1)).center())
    (menu,) = shown
    texts = [a.text() for a in menu.actions() if a.text()]
    for text in (T.ACT_RENAME_INDICATOR, T.ACT_CHANGE_UNIT, T.ACT_CHANGE_DIRECTION, T.ACT_MOVE_UP, T.ACT_MOVE_DOWN,
                 T.ACT_REMOVE_INDICATOR):
        assert text in texts
    assert view.currentIndex().row() == row  # the row the menu is about became current
    assert ui.current_indicator() == (6, LABEL)
    dialog_log.answer("ask_indicator_label", "一時保護施設の定員")
    next(a for a in menu.actions() if a.text() == T.ACT_RENAME_INDICATOR).trigger()
    assert window.plan.section(6).indicator(LABEL).label == "一時保護施設の定員"
    assert "一時保護施設の定員" in labels(proxy)
    down = next(a for a in menu.actions() if a.text() == T.ACT_MOVE_DOWN)
    down.trigger()
    assert [i.id for i in window.plan.section(6).indicators].index(LABEL) == 1
    window.menu_actions.undo.trigger()
    window.menu_actions.undo.trigger()
    assert labels(proxy)[row] == LABEL
    view.customContextMenuRequested.emit(QPoint(-5, -5))  # nowhere: no menu
    assert len(shown) == 1


# --- print unit ------------------------------------------------------------------------------------------------

def test_the_print_unit_is_one_undoable_edit_that_saves_and_reads_back(window, dialog_log, tmp_path):
    ui = install_structure_menu(window)
    plan, document = window.plan, window.document
    tab = window.section_tabs[6]
    window.tabs.setCurrentWidget(tab)
    tab.select_indicator(plan.section(6).index_of(LABEL))
    indicator = plan.section(6).indicator(LABEL)
    ref = FigureRef(6, LABEL, 2025, PLAN)
    cell = tab.table_model.index_of(ref)
    assert indicator.print_unit and cell.data() == "88人"
    opened = plan_snapshot(plan)

    dialog_log.answer("ask_indicator_unit", ("人", False))
    ui.change_unit_action.trigger()
    assert not indicator.print_unit and cell.data() == "88"
    assert window.undo_stack.count() == 1 and "「88」" not in window.undo_stack.undoText()
    assert "単位の表示" in window.undo_stack.undoText()
    window.menu_actions.undo.trigger()
    assert indicator.print_unit and cell.data() == "88人" and plan_snapshot(plan) == opened
    window.menu_actions.redo.trigger()
    assert not indicator.print_unit and cell.data() == "88"
    dialog_log.answer("ask_indicator_unit", ("人", False))
    ui.change_unit_action.trigger()  # nothing changed: no step
    assert window.undo_stack.count() == 1

    # A new row without figures keeps what it prints too: its figures' formats cannot say it.
    assert document.edit_structure(C.add_indicator(plan, 6, 0, "一時保護所の居室数", "室"))
    added = plan.section(6).indicators[0]
    assert document.edit_structure(C.change_unit(plan, 6, added.id, "室", False))
    saved = plan_snapshot(plan)
    path = tmp_path / "計画.xlsx"
    assert window.save_as(path)
    back = load_plan(path)
    assert plan_snapshot(back) == saved
    assert not back.section(6).indicator(LABEL).print_unit
    assert back.section(6).indicator(LABEL).figure(2025, PLAN).text == "88"
    assert not back.section(6).indicator(added.id).print_unit
