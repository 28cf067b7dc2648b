"""The whole plan is editable in the window: indicators, the adoption row, status rows, the narrative, sections and
fiscal years, each edit one step on the undo stack, through the 構成 menu and the context menus, as a user would.

Until main_window installs the 構成 menu itself, each test installs it (install_structure_menu is idempotent).
"""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QLabel

from kawasaki_planner.core import foster
from kawasaki_planner.core import structure as st
from kawasaki_planner.core.plan import ADOPTION_ROLE, Direction, FigureRef, forecast_ref, plan_snapshot
from kawasaki_planner.io.workbook import load_plan
from kawasaki_planner.ui import structure_commands as C
from kawasaki_planner.ui import structure_strings as T
from kawasaki_planner.ui.structure_menu import install_structure_menu

from .conftest import SAMPLE_WORKBOOK

NEW_LABEL = "里親登録者への研修回数"
ADOPTION_RENAMED = "特別養子縁組の成立件数(児童相談所を通じたもの)"
GUIDELINE_8 = st.GUIDELINE_SECTIONS[0]
PERIOD = tuple(range(2024, 2035))  # R6–R16


def action(menu, text):
    found = [a for a in menu.actions() if a.text() == text]
    assert found, f"no 「{text}」 in {[a.text() for a in menu.actions()]}"
    return found[0]


def tab_texts(window):
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def keep_testing(model):
    """Qt's model tester on ``model`` for the rest of the test: it checks every signal the model sends (a warning
    fails the test: qt_log_level_fail)."""
    return QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)


def placed(plan, year=2027):
    return plan.figure(forecast_ref("placed", year)), plan.figure(forecast_ref("before_adoption", year))


@pytest.fixture
def ui(window):
    return install_structure_menu(window)


def open_workbook_copy(window, tmp_path, dialog_log):
    path = tmp_path / "計画.xlsx"
    shutil.copy(SAMPLE_WORKBOOK, path)
    assert window.load(path)
    dialog_log.drop_answer = True
    return path


@pytest.mark.parametrize("origin", ["source", "workbook"])
def test_editing_the_whole_plan_then_undo_redo_save_and_reopen(window, ui, dialog_log, qtmodeltester, tmp_path, origin):
    """source: the published plan's source, saved as a new workbook; workbook: the sample workbook, saved over itself
    (the structure changes are written back into it: io/workbook_update)."""
    if origin == "workbook":
        path = open_workbook_copy(window, tmp_path, dialog_log)
    else:
        path = tmp_path / "新しい計画.xlsx"
        dialog_log.save_path = str(path)
    plan, undo, redo = window.plan, window.menu_actions.undo, window.menu_actions.redo
    opened = plan_snapshot(plan)
    overview = window.overview_tab.overview_model
    testers = [keep_testing(overview), keep_testing(window.overview_tab.proxy)]

    # 1. add an indicator to section 2 (構成 → 指標を追加, after the current row) and type its targets
    tab2 = window.section_tabs[2]
    window.tabs.setCurrentWidget(tab2)
    qtmodeltester.check(tab2.table_model)
    tab2.select_indicator(0)
    dialog_log.answer("ask_new_indicator", (NEW_LABEL, "回", Direction.AT_LEAST))
    ui.add_indicator.trigger()
    model = tab2.table_model
    assert model.data(model.index(1, 0)) == NEW_LABEL and model.rowCount() == 5
    new_id = plan.section(2).indicators[1].id
    assert tab2.table.currentIndex().row() == 1 and tab2.chart.indicator.label == NEW_LABEL
    for year in range(2026, 2030):
        assert model.setData(model.index_of(FigureRef(2, new_id, year, "plan")), "2回"), window.last_message
    assert model.data(model.index_of(FigureRef(2, new_id, 2027, "plan"))) == "2回"
    assert [i.label for _, i in overview.rows].index(NEW_LABEL) == 1
    assert undo.text().endswith("の編集")

    # 2. rename the adoption indicator (context menu on its row): section 5 still deducts it
    tab7 = window.section_tabs[7]
    window.tabs.setCurrentWidget(tab7)
    adoption = plan.adoption_indicator()
    row = tab7.section.indicators.index(adoption)
    before = placed(plan)
    dialog_log.answer("ask_indicator_label", ADOPTION_RENAMED)
    action(ui.indicator_menu(tab7, row), T.ACT_RENAME_INDICATOR).trigger()
    assert tab7.table_model.data(tab7.table_model.index(row, 0)) == ADOPTION_RENAMED
    assert plan.adoption_indicator() is adoption and placed(plan) == before
    assert undo.text().endswith(T.CMD_RENAME_INDICATOR.format(old="児童相談所を通じた特別養子縁組の成立件数", new=ADOPTION_RENAMED))
    notes = [label.text() for label in window.forecast_tab.findChildren(QLabel)]
    assert any(ADOPTION_RENAMED in text for text in notes)  # section 5 names the row it deducts

    # 3. delete it after answering yes: the forecast deducts nothing; undo brings it back
    tab7.select_indicator(row)
    window.tabs.setCurrentWidget(tab7)
    dialog_log.removal_answer = True
    ui.update_actions()
    ui.remove_indicator_action.trigger()
    assert "第5節の見込みで特別養子縁組を控除しなくなります" in dialog_log.removal_asked[-1][1]
    assert plan.adoption_indicator() is None
    after, before_adoption = placed(plan)
    assert after == before_adoption and after != before[0]
    assert all(i.label != ADOPTION_RENAMED for i in plan.section(7).indicators)
    assert ADOPTION_RENAMED not in [i.label for _, i in overview.rows]
    undo.trigger()
    assert plan.adoption_indicator() is adoption and adoption.role == ADOPTION_ROLE and placed(plan) == before
    assert tab7.table_model.data(tab7.table_model.index(row, 0)) == ADOPTION_RENAMED

    # 4. add section 8 (構成 → 節を追加, the 策定要領 item by its official title): its tab appears at its place
    dialog_log.answer("ask_new_section", GUIDELINE_8)
    ui.add_section_action.trigger()
    offered = dialog_log.structure_asked[-1][1][0]
    assert [n for n, _, _ in offered] == [8, 9, 10, 11, 12]
    assert tab_texts(window)[7:] == ["8 里親等委託の推進", "進捗一覧", "評価"]
    assert window.tabs.currentWidget() is window.section_tabs[8]
    assert window.section_tabs[8].section.title == GUIDELINE_8[1]

    # 5. extend the plan to R16 and type a population for R12: the forecast table shows R12
    dialog_log.answer("ask_years", PERIOD)
    ui.set_years_action.trigger()
    assert plan.years == PERIOD
    forecast = window.forecast_tab.forecast_model
    r12 = forecast.index_of(forecast_ref("population", 2030))
    assert r12.isValid() and forecast.setData(r12, "230,000"), window.last_message
    assert forecast.data(forecast.index_of(forecast_ref("population", 2030))) == "230,000"
    headers = {forecast.headerData(c, Qt.Orientation.Horizontal).split("\n")[0] for c in range(1, forecast.columnCount())}
    assert "R12年度 (2030)" in headers
    assert window.section_tabs[2].table_model.columnCount() == 1 + 2 * len(PERIOD)
    assert overview.columnCount() == 6 + len(PERIOD)

    # 6. edit a narrative block (its context menu; a plain-text editor keeps the line break) and a status row
    block = plan.section(2).narrative[0]
    dialog_log.answer("ask_block", (block.heading + "(改訂)", block.text + "\n改訂で加えた一文。\n二行目。"))
    action(ui.narrative_menu(tab2, 0), T.ACT_EDIT_BLOCK).trigger()
    assert plan.section(2).narrative[0].text.endswith("改訂で加えた一文。\n二行目。")
    assert "改訂で加えた一文。" in tab2.narrative.toPlainText()
    status = plan.section(2).status[0]
    dialog_log.answer("ask_status_row", (status.item, status.description + "\n・令和8年度から研修を拡充します。"))
    action(ui.status_menu(tab2, 0), T.ACT_EDIT_STATUS).trigger()
    assert tab2.status_model.data(tab2.status_model.index(0, 1)).endswith("研修を拡充します。")

    # undo ALL of it back to the plan as opened, then redo it all
    edited = plan_snapshot(plan)
    steps = 0
    while undo.isEnabled():
        undo.trigger()
        steps += 1
    assert plan_snapshot(plan) == opened
    assert 8 not in window.section_tabs and len(tab_texts(window)) == 9
    assert window.section_tabs[2].table_model.rowCount() == 4
    while redo.isEnabled():
        redo.trigger()
        steps -= 1
    assert steps == 0 and plan_snapshot(plan) == edited
    assert tab_texts(window)[7] == "8 里親等委託の推進"
    qtmodeltester.check(window.section_tabs[2].table_model)

    # save (over the workbook it came from, or as a new one) and reopen: identical
    assert window.save(), dialog_log.errors
    assert window.undo_stack.isClean()
    assert plan_snapshot(load_plan(path)) == edited
    del testers


def test_section_5_cannot_be_removed_and_a_refused_edit_is_no_step(window, ui, dialog_log):
    window.tabs.setCurrentWidget(window.forecast_tab)
    ui.update_actions()
    assert not ui.remove_section_action.isEnabled()
    assert not window.document.edit_structure(C.remove_section(window.plan, 5))
    assert "第5節" in window.last_message
    label = window.plan.section(2).indicators[0].label
    assert not window.document.edit_structure(C.add_indicator(window.plan, 2, 0, label))
    assert "同じ名前" in window.last_message and window.undo_stack.count() == 0


def test_removing_a_section_with_figures_asks_and_undo_restores_it(window, ui, dialog_log):
    plan, opened = window.plan, plan_snapshot(window.plan)
    tab6 = window.section_tabs[6]
    window.tabs.setCurrentWidget(tab6)
    dialog_log.removal_answer = False
    ui.remove_section_action.trigger()
    assert "指標 7件" in dialog_log.removal_asked[-1][1] and 6 in window.section_tabs
    dialog_log.removal_answer = True
    ui.remove_section_action.trigger()
    assert 6 not in window.section_tabs and all(s.number != 6 for s in plan.sections)
    assert all(s.number != 6 for s, _ in window.overview_tab.overview_model.rows)
    window.menu_actions.undo.trigger()
    assert tab_texts(window)[5] == "6 一時保護" and plan_snapshot(plan) == opened


def test_a_section_without_figures_goes_without_a_question(window, ui, dialog_log):
    dialog_log.answer("ask_new_section", (None, "13 こどもの居場所づくり", "居場所づくり"))
    ui.add_section_action.trigger()
    assert tab_texts(window)[-3:] == ["13 居場所づくり", "進捗一覧", "評価"]
    dialog_log.answer("ask_section_title", ("13 こどもの居場所づくりの推進", "居場所"))
    ui.rename_section_action.trigger()
    assert tab_texts(window)[-3] == "13 居場所"
    assert window.tabs.tabToolTip(window.tabs.count() - 3) == "13 こどもの居場所づくりの推進"
    ui.remove_section_action.trigger()  # no figures: nothing to ask
    assert dialog_log.removal_asked == [] and "13 居場所" not in tab_texts(window)


def test_a_text_only_section_becomes_an_indicator_tab_with_its_first_indicator(window, ui, dialog_log, qtbot):
    window.tabs.setCurrentIndex(0)
    assert window.section_tabs[1].table_model is None
    dialog_log.answer("ask_new_indicator", ("基本方針の周知回数", "回", Direction.HIGHER))
    ui.add_indicator.trigger()
    tab = window.section_tabs[1]
    assert tab.table_model is not None and tab.table_model.rowCount() == 1
    assert window.tabs.currentWidget() is tab and tab_texts(window)[0] == "1 基本的な考え方"
    window.menu_actions.undo.trigger()
    assert window.section_tabs[1].table_model is None


def test_moving_indicators_moves_rows_and_their_selection(window, ui, qtmodeltester):
    tab = window.section_tabs[6]
    window.tabs.setCurrentWidget(tab)
    model = tab.table_model
    qtmodeltester.check(model)
    overview = window.overview_tab.overview_model
    tester = keep_testing(overview)
    labels = [i.label for i in tab.section.indicators]
    moves = []
    model.rowsMoved.connect(lambda *args: moves.append((args[1], args[4])))
    tab.select_indicator(0)
    ui.update_actions()
    assert not ui.move_up.isEnabled()
    ui.move_down.trigger()
    assert moves == [(1, 0)]  # told as a move (row 1 up before row 0), not a reset
    assert [model.data(model.index(r, 0)) for r in range(2)] == [labels[1], labels[0]]
    assert tab.table.currentIndex().row() == 1 and tab.chart.indicator.label == labels[0]
    first6 = next(r for r, (s, _) in enumerate(overview.rows) if s.number == 6)
    assert overview.rows[first6][1].label == labels[1]
    assert overview.data(overview.index(first6 + 1, 1)) == labels[0]
    window.menu_actions.undo.trigger()
    assert [model.data(model.index(r, 0)) for r in range(len(labels))] == labels
    del tester


def test_renaming_changing_unit_and_direction_repaint_the_row(window, ui, dialog_log):
    tab = window.section_tabs[6]
    window.tabs.setCurrentWidget(tab)
    tab.select_indicator(0)
    indicator = tab.section.indicators[0]
    dialog_log.answer("ask_direction", Direction.LOWER)
    ui.change_direction_action.trigger()
    assert indicator.direction is Direction.LOWER
    assert "低いほど良い" in tab.table_model.data(tab.table_model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    overview = window.overview_tab.overview_model
    row = next(r for r, (_, i) in enumerate(overview.rows) if i is indicator)
    assert overview.data(overview.index(row, 2)) == "低いほど良い"
    dialog_log.answer("ask_indicator_unit", ("名", True))
    ui.change_unit_action.trigger()
    ref = FigureRef(6, indicator.id, 2025, "plan")
    assert tab.table_model.data(tab.table_model.index_of(ref)).endswith("名")
    window.menu_actions.undo.trigger()
    window.menu_actions.undo.trigger()
    assert indicator.direction is Direction.HIGHER and tab.table_model.data(tab.table_model.index_of(ref)).endswith("人")


def test_a_unit_the_figures_cannot_take_is_refused(window, ui, dialog_log):
    plan, document = window.plan, window.document
    number, id = next((s.number, i.id) for s in plan.sections for i in s.indicators if i.unit == "%")
    before = plan_snapshot(plan)
    assert not document.edit_structure(C.change_unit(plan, number, id, "人"))  # its 86.9 % would be 86.9 people
    assert "「人」" in window.last_message and "整数" in window.last_message
    assert plan_snapshot(plan) == before and window.undo_stack.count() == 0


def test_dropping_years_with_figures_lists_them_and_asks(window, ui, dialog_log):
    plan, opened = window.plan, plan_snapshot(window.plan)
    dialog_log.answer("ask_years", tuple(range(2025, 2030)), tuple(range(2025, 2030)))
    dialog_log.removal_answer = False
    ui.set_years_action.trigger()
    text, info = dialog_log.removal_asked[-1]
    assert "R6年度" in text and "R6年度" in info and "件" in info
    assert plan.years[0] == 2024
    dialog_log.removal_answer = True
    ui.set_years_action.trigger()
    assert plan.years == tuple(range(2025, 2030))
    assert window.section_tabs[6].table_model.headerData(1, Qt.Orientation.Horizontal).startswith("R7年度")
    window.menu_actions.undo.trigger()
    assert plan_snapshot(plan) == opened


def test_status_rows_and_narrative_blocks_are_added_moved_and_removed(window, ui, dialog_log, qtmodeltester):
    plan, opened = window.plan, plan_snapshot(window.plan)
    tab = window.section_tabs[3]
    window.tabs.setCurrentWidget(tab)
    status = tab.status_model
    qtmodeltester.check(status)
    count = status.rowCount()
    dialog_log.answer("ask_status_row", ("里親支援", "フォスタリング機関と連携しています。\n二行目"))
    action(ui.status_menu(tab, 0), T.ACT_ADD_STATUS).trigger()
    assert status.rowCount() == count + 1 and status.data(status.index(1, 0)) == "里親支援"
    action(ui.status_menu(tab, 1), T.ACT_MOVE_UP).trigger()
    assert status.data(status.index(0, 0)) == "里親支援"
    action(ui.status_menu(tab, 0), T.ACT_REMOVE_STATUS).trigger()
    assert status.rowCount() == count
    blocks = len(plan.section(3).narrative)
    dialog_log.answer("ask_block", ("新しい見出し", "一行目\n\n三行目"))
    action(ui.narrative_menu(tab, blocks - 1), T.ACT_ADD_BLOCK).trigger()
    assert plan.section(3).narrative[-1].text == "一行目\n\n三行目"
    assert "新しい見出し" in tab.narrative.toPlainText()
    action(ui.narrative_menu(tab, blocks), T.ACT_REMOVE_BLOCK).trigger()
    assert len(plan.section(3).narrative) == blocks
    assert window.undo_stack.count() == 5
    while window.menu_actions.undo.isEnabled():
        window.menu_actions.undo.trigger()
    assert plan_snapshot(plan) == opened


def test_the_narrative_knows_which_block_is_where(window, ui, dialog_log, qtbot):
    tab = window.section_tabs[2]
    window.tabs.setCurrentWidget(tab)
    tab.texts.setCurrentWidget(tab.narrative)
    view = tab.narrative
    qtbot.waitExposed(view)
    narrative = tab.section.narrative
    document = view.document()
    seen = set()
    paragraph = document.begin().next()  # past the section title
    while paragraph.isValid():
        rect = document.documentLayout().blockBoundingRect(paragraph)
        point = QPoint(int(rect.left()) + 4, int(rect.center().y()) - view.verticalScrollBar().value())
        if 0 <= point.y() < view.viewport().height():
            block = view.block_at(point)
            assert block is not None
            text = paragraph.text()
            assert text == narrative[block].heading or text in narrative[block].text
            seen.add(block)
        paragraph = paragraph.next()
    assert 0 in seen
    title = document.documentLayout().blockBoundingRect(document.begin())
    assert view.block_at(QPoint(4, int(title.center().y()))) is None
    menu = ui.narrative_menu(tab, 0, view, QPoint(4, 4))
    assert any("コピー" in a.text() for a in menu.actions())  # the view's own entries stay


def test_setting_the_adoption_row_moves_the_deduction(window, ui, dialog_log):
    plan = window.plan
    before = placed(plan)
    tab = window.section_tabs[7]
    window.tabs.setCurrentWidget(tab)
    other = next(i for i in tab.section.indicators if i.role == "")
    tab.select_indicator(tab.section.indicators.index(other))
    ui.update_actions()
    assert not ui.adoption.isChecked()
    ui.adoption.trigger()
    assert plan.adoption_indicator() is other and ui.adoption.isChecked()
    dialog_log.removal_answer = True
    ui.adoption.trigger()  # checked: stop deducting, after the question
    assert plan.adoption_indicator() is None and dialog_log.removal_asked
    window.menu_actions.undo.trigger()
    window.menu_actions.undo.trigger()
    assert plan.adoption_indicator().label == "児童相談所を通じた特別養子縁組の成立件数" and placed(plan) == before


def test_a_section_added_again_after_an_undo_takes_the_figures_typed(window, ui, dialog_log):
    """The section added the second time equals the one undone (same 策定要領 item, same rows): figures typed in
    its tab must land in it, not in the one taken away."""
    dialog_log.answer("ask_new_section", GUIDELINE_8, GUIDELINE_8)
    ui.add_section_action.trigger()
    assert window.section_tabs[8].table_model is not None  # the tab built for the first one
    window.menu_actions.undo.trigger()
    ui.add_section_action.trigger()
    tab = window.section_tabs[8]
    model = tab.table_model
    rate = next(i for i in tab.section.indicators if i.role == foster.RATE_ROLE + "infant")
    ref = FigureRef(8, rate.id, 2027, "plan")
    assert model.setData(model.index_of(ref), "30"), window.last_message
    assert window.plan.section(8) is tab.section and model.data(model.index_of(ref)) == "30%"
    needed = next(i for i in tab.section.indicators if i.role == foster.NEEDED_ROLE + "infant")
    shown = model.data(model.index_of(FigureRef(8, needed.id, 2027, "plan")))
    assert shown and shown == needed.figure(2027, "plan").text  # computed from section 5, repainted


def test_a_section_5_block_is_edited_from_the_forecast_tab(window, ui, dialog_log):
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    plan, opened = window.plan, plan_snapshot(window.plan)
    block = plan.section(5).narrative[1]
    assert block.heading.startswith("■")  # the published plan's own heading, taken back on undo
    dialog_log.answer("ask_block", (block.heading, block.text + "\n見直しで加えた一文。"))
    action(ui.narrative_menu(tab, 1), T.ACT_EDIT_BLOCK).trigger()
    assert "見直しで加えた一文。" in window.forecast_tab.narrative.toPlainText(), window.last_message
    window.menu_actions.undo.trigger()
    assert plan_snapshot(plan) == opened and "見直しで加えた一文。" not in window.forecast_tab.narrative.toPlainText()
