"""The scenarios on the section-5 tab: create, rename, edit, adopt, delete — each one undo step — the side-by-side
table and the overlaid charts following."""

from __future__ import annotations

import pytest

from kawasaki_planner.core import scenarios as sc
from kawasaki_planner.core.plan import forecast_ref, plan_snapshot
from kawasaki_planner.ui import scenario_dialogs as D
from kawasaki_planner.ui.scenario_charts import ADOPTED_WIDTH, OTHER_WIDTH

YEARS = (2025, 2026, 2027, 2028, 2029)
GROWTH = [(("growth", y, "plan"), "3.3%") for y in YEARS[1:]]


@pytest.fixture
def answers(monkeypatch):
    queued: dict[str, list] = {"ask_scenario_name": [], "ask_scenario_inputs": []}

    def ask(name):
        def answer(*_args):
            assert queued[name], f"unexpected dialog {name}"
            return queued[name].pop(0)
        return answer

    for name in D.ASK_FUNCTIONS:
        monkeypatch.setattr(D, name, ask(name))
    return queued


@pytest.fixture
def panel(window):
    return window.forecast_tab.scenario_panel


def placed(window):
    return [window.plan.figure(forecast_ref("placed", y)).text for y in YEARS]


def model_row(panel, key, name):
    model = panel.model
    for row in range(model.rowCount()):
        if model.rows[row][0] == key and model.index(row, 1).data().startswith(name):
            return [model.index(row, c).data() for c in range(3, model.columnCount())]
    raise AssertionError(f"no row {key} {name}")


def test_create_edit_adopt_and_undo_each(window, panel, answers, qtbot):
    start = plan_snapshot(window.plan)
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)  # the charts draw for the screen
    answers["ask_scenario_name"].append("増加率3.3%案")
    assert panel.new_scenario()
    assert [s.name for s in window.plan.scenarios] == ["採用案", "増加率3.3%案"]
    assert panel.combo.currentText() == "増加率3.3%案"
    assert tab.chart_pages.currentIndex() == 1
    assert panel.model.rowCount() == 10
    assert window.undo_stack.undoText() == "シナリオ「増加率3.3%案」の作成"

    answers["ask_scenario_inputs"].append(GROWTH)
    assert panel.edit_inputs()
    assert model_row(panel, "placed", "増加率3.3%案") == ["341", "347", "352", "356", "361"]
    assert model_row(panel, "placed", "採用案") == ["341", "345", "348", "350", "352"]
    assert placed(window) == ["341", "345", "348", "350", "352"]  # not adopted: the plan prints the same

    chart = tab.scenario_charts[0]
    assert list(chart.curves[panel.selected_id].getData()[1][1:]) == [341, 347, 352, 356, 361]
    assert chart.curves[window.plan.adopted_id].opts["pen"].widthF() == ADOPTED_WIDTH
    assert chart.curves[panel.selected_id].opts["pen"].widthF() == OTHER_WIDTH

    edited = plan_snapshot(window.plan)
    assert panel.adopt_scenario()
    assert placed(window) == ["341", "347", "352", "356", "361"]
    model = tab.forecast_model
    assert model.data(model.index_of(forecast_ref("placed", 2029))) == "361"
    assert model.data(model.index_of(forecast_ref("growth", 2027))) == "3.3%"
    assert chart.curves[window.plan.adopted_id].opts["pen"].widthF() == ADOPTED_WIDTH
    tab.chart_pages.setCurrentIndex(0)  # the forecast page, behind the overlays while they showed: drawn now
    assert tab.population_chart.placed_curve.getData()[1][-1] == 361
    assert not panel.adopt_button.isEnabled() and not panel.delete_button.isEnabled()

    window.menu_actions.undo.trigger()
    assert plan_snapshot(window.plan) == edited
    assert model.data(model.index_of(forecast_ref("placed", 2029))) == "352"
    window.menu_actions.redo.trigger()
    assert model.data(model.index_of(forecast_ref("placed", 2029))) == "361"
    for _ in range(3):
        window.menu_actions.undo.trigger()
    assert plan_snapshot(window.plan) == start
    assert panel.model.rowCount() == 5
    assert not window.isWindowModified()


def test_rename_and_delete_are_undoable(window, panel, answers):
    answers["ask_scenario_name"] += ["B", "C案"]
    panel.new_scenario()
    before = plan_snapshot(window.plan)
    assert panel.rename_scenario()
    assert [s.name for s in window.plan.scenarios] == ["採用案", "C案"]
    assert panel.combo.currentText() == "C案"
    assert any(panel.model.index(r, 1).data() == "C案" for r in range(panel.model.rowCount()))
    window.menu_actions.undo.trigger()
    assert plan_snapshot(window.plan) == before
    assert panel.delete_scenario()
    assert [s.name for s in window.plan.scenarios] == ["採用案"]
    window.menu_actions.undo.trigger()
    assert plan_snapshot(window.plan) == before


def test_a_refused_name_is_told_and_changes_nothing(window, panel, answers):
    answers["ask_scenario_name"].append("採用案")
    depth = window.undo_stack.count()
    assert not panel.new_scenario()
    assert "同じ名前のシナリオ「採用案」" in window.last_message
    assert window.undo_stack.count() == depth


def test_the_adopted_scenario_cannot_be_deleted_from_the_context_menu(window, panel, answers):
    answers["ask_scenario_name"].append("B")
    panel.new_scenario()
    menu = panel.context_menu(window.plan.adopted_id)
    enabled = {a.text(): a.isEnabled() for a in menu.actions()}
    assert enabled["削除"] is False and enabled["採用"] is False and enabled["名前の変更..."] is True
    other = next(s.id for s in window.plan.scenarios if s.id != window.plan.adopted_id)
    menu = panel.context_menu(other)
    next(a for a in menu.actions() if a.text() == "採用").trigger()
    assert window.plan.adopted_id == other


def test_the_inputs_dialog_refuses_an_impossible_value(window, panel, qtbot):
    dialog = D.inputs_dialog(window, window.plan, sc.adopted(window.plan))
    qtbot.addWidget(dialog)
    dialog.set_value(("population", 2026, "plan"), "-3")
    dialog.accept()
    assert dialog.result() == 0 and "負の値" in dialog.problem.text()
    dialog.set_value(("population", 2026, "plan"), "240,000")
    assert dialog.changes() == [(("population", 2026, "plan"), "240,000")]


def test_the_compare_model_is_a_sound_qt_model(window, panel, answers, qtmodeltester):
    answers["ask_scenario_name"].append("B")
    panel.new_scenario()
    qtmodeltester.check(panel.model)


def _rect(item):
    return item.mapRectToScene(item.boundingRect())


def test_the_legend_names_the_scenarios_and_covers_no_data(window, panel, answers, qtbot):
    answers["ask_scenario_name"].append("増加率3.3%案")
    panel.new_scenario()
    window.tabs.setCurrentWidget(window.forecast_tab)
    window.resize(1366, 768)
    for chart in window.forecast_tab.scenario_charts:
        qtbot.waitExposed(chart.plot)
        labels = [label.text for _, label in chart.legend.items]
        assert labels == ["採用案(採用)", "増加率3.3%案"]
        item = chart.plot.getPlotItem()
        assert not _rect(chart.legend).intersects(_rect(item.getViewBox())), chart.title


def test_adopting_repaints_section_8s_computed_placements(window, panel, answers, dialog_log):
    from kawasaki_planner.core import foster
    from kawasaki_planner.core import structure as st
    from kawasaki_planner.core.plan import FigureRef

    guideline = st.GUIDELINE_SECTIONS[0]
    dialog_log.answer("ask_new_section", guideline, guideline)
    window.structure_ui.add_section_action.trigger()
    tab = window.section_tabs[8]
    model = tab.table_model
    rate = next(i for i in tab.section.indicators if i.role == foster.RATE_ROLE + "school")
    needed = next(i for i in tab.section.indicators if i.role == foster.NEEDED_ROLE + "school")
    assert model.setData(model.index_of(FigureRef(8, rate.id, 2029, "plan")), "40")
    cell = model.index_of(FigureRef(8, needed.id, 2029, "plan"))
    before = model.data(cell)
    answers["ask_scenario_name"].append("増加率3.3%案")
    panel.new_scenario()
    answers["ask_scenario_inputs"].append(GROWTH)
    panel.edit_inputs()
    assert model.data(cell) == before  # a scenario not adopted leaves section 8 as it is
    repainted = []
    model.dataChanged.connect(lambda top, bottom, roles=(): repainted.append((top.row(), bottom.row())))
    assert panel.adopt_scenario()
    eligible = window.plan.figure(forecast_ref("eligible.school", 2029)).number
    expected = (eligible * 40 / 100).quantize(1, rounding="ROUND_HALF_UP")
    assert model.data(cell) != before and model.data(cell) == f"{expected}人"
    assert any(top <= cell.row() <= bottom for top, bottom in repainted)
    window.menu_actions.undo.trigger()
    assert model.data(cell) == before
