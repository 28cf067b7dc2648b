"""The 評価 tab: texts typed in place (line breaks kept, one undo step each), filters, live counts, the section's
総合評価, the period 総括 (IV needs a reason), jumping to the indicator, and save → reopen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from kawasaki_planner.core.evaluation import Status
from kawasaki_planner.core.evaluation_texts import IndicatorTexts, Summary, SummaryChoice
from kawasaki_planner.core.plan import FigureRef
from kawasaki_planner.ui import structure_commands as SC
from kawasaki_planner.ui.evaluation_model import DONE, FACTORS, INDICATOR, NEXT_STEPS, RATIO, STATUS, SUMMARY, TARGET
from kawasaki_planner.ui.palette import STATUS_COLORS

YEAR = 2025
# Actuals for R7 as a share of the target: one indicator of section 2 per level, 1 to 5.
FACTORS_BY_ROW = (Decimal("1.30"), Decimal("1.10"), Decimal("1.00"), Decimal("0.85"), Decimal("0.50"))


def enter_actuals(window) -> list:
    """R7 actuals for section 2's first indicators with a numeric target; returns those indicators, level 1 first."""
    plan = window.plan
    chosen = [i for i in plan.section(2).indicators if i.figure(YEAR, "plan").has_value][: len(FACTORS_BY_ROW)]
    changes = []
    for indicator, factor in zip(chosen, FACTORS_BY_ROW, strict=False):
        target = indicator.figure(YEAR, "plan").number
        changes.append((FigureRef(2, indicator.id, YEAR, "actual"), str((target * factor).quantize(Decimal("1")))))
    assert window.document.apply(changes, "実績の入力").ok
    return chosen


@pytest.fixture
def tab(window):
    enter_actuals(window)
    window.tabs.setCurrentWidget(window.evaluation_tab)
    return window.evaluation_tab


def view_index(tab, indicator, column):
    index = tab.select(2, indicator.id, column)
    assert index.isValid()
    return index


def type_text(editor, text: str) -> None:
    """Japanese as an input method commits it (QTest's key clicks know only Latin-1 keys)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(editor, event)


def open_editor(tab, index) -> QPlainTextEdit:
    tab.table.setCurrentIndex(index)
    tab.table.edit(index)
    editor = tab.table.indexWidget(index)
    assert isinstance(editor, QPlainTextEdit) and editor.isVisible()
    return editor


def test_the_tab_sits_beside_the_overview_and_starts_at_the_latest_year_with_actuals(window, tab, qtmodeltester):
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert names[-2:] == ["進捗一覧", "評価"]
    assert tab.year == YEAR and tab.year_choice.currentText() == "R7年度 (2025)"
    qtmodeltester.check(tab.evaluation_model)
    qtmodeltester.check(tab.proxy)


def test_each_row_shows_target_actual_ratio_and_the_coloured_level(window, tab):
    first = window.plan.section(2).indicators[0]
    model = tab.evaluation_model
    row = model.row_of(2, first.id)
    assert model.index(row, INDICATOR).data() == first.label
    assert model.index(row, TARGET).data() == first.figure(YEAR, "plan").text
    assert model.index(row, RATIO).data() == "130.0%"
    assert model.index(row, STATUS).data() == "1 大きく上回る"
    assert model.index(row, STATUS).data(Qt.ItemDataRole.BackgroundRole) == STATUS_COLORS[Status.FAR_ABOVE]


def test_typing_a_text_keeps_its_line_breaks_and_is_one_undo_step(qtbot, window, tab):
    indicator = window.plan.section(2).indicators[1]
    steps = window.undo_stack.count()
    editor = open_editor(tab, view_index(tab, indicator, DONE))
    type_text(editor, "研修を3回開催")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # a new line, not the end of the edit
    type_text(editor, "延べ120人が受講")
    assert window.plan.evaluation_texts.indicator(2, indicator.id, YEAR).is_empty
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    texts = window.plan.evaluation_texts.indicator(2, indicator.id, YEAR)
    assert texts == IndicatorTexts(done="研修を3回開催\n延べ120人が受講")
    assert window.undo_stack.count() == steps + 1 and window.isWindowModified()
    row = tab.evaluation_model.row_of(2, indicator.id)
    assert tab.evaluation_model.index(row, DONE).data() == "研修を3回開催\n延べ120人が受講"
    window.menu_actions.undo.trigger()
    assert window.plan.evaluation_texts.indicator(2, indicator.id, YEAR).is_empty
    assert tab.evaluation_model.index(row, DONE).data() == ""
    window.menu_actions.redo.trigger()
    assert window.plan.evaluation_texts.indicator(2, indicator.id, YEAR).done == "研修を3回開催\n延べ120人が受講"


def test_leaving_the_editor_commits_and_escape_gives_up(qtbot, window, tab):
    indicator = window.plan.section(2).indicators[0]
    editor = open_editor(tab, view_index(tab, indicator, FACTORS))
    type_text(editor, "体制が整ったため")
    tab.year_choice.setFocus()
    qtbot.waitUntil(lambda: window.plan.evaluation_texts.indicator(2, indicator.id, YEAR).factors == "体制が整ったため")
    editor = open_editor(tab, view_index(tab, indicator, NEXT_STEPS))
    type_text(editor, "取り消す文章")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert window.plan.evaluation_texts.indicator(2, indicator.id, YEAR).next_steps == ""


def test_filters_by_level_and_section_and_counts_follow_a_figure_edit(window, tab):
    chosen = window.plan.section(2).indicators
    assert tab.count_labels[Status.FAR_ABOVE].text() == "1 大きく上回る 1件"
    tab.status_filter.setCurrentIndex(tab.status_filter.findData(int(Status.BELOW)))
    assert tab.proxy.rowCount() == 1
    below = next(i for i in chosen if tab.evaluation_model.result(tab.evaluation_model.row_of(2, i.id)).status is Status.BELOW)
    assert tab.proxy.index(0, INDICATOR).data() == below.label
    # the actual typed again so that it meets the target: the row leaves the filter, the counts move at once
    assert window.document.set_figure(FigureRef(2, below.id, YEAR, "actual"), below.figure(YEAR, "plan").text, "実績")
    assert tab.proxy.rowCount() == 0
    assert tab.count_labels[Status.BELOW].text() == "4 下回る 0件"
    assert tab.count_labels[Status.MET].text() == "3 ほぼ達成 2件"
    tab.status_filter.setCurrentIndex(0)
    tab.section_filter.setCurrentIndex(tab.section_filter.findData(3))
    assert tab.proxy.rowCount() == len(window.plan.section(3).indicators)
    assert tab.count_labels[Status.NOT_RATED].text() == f"評価不能 {len(window.plan.section(3).indicators)}件"
    assert tab.total_label.text() == f"計 {len(window.plan.section(3).indicators)}件"


def test_a_year_of_its_own_texts(window, tab):
    indicator = window.plan.section(2).indicators[0]
    model = tab.evaluation_model
    row = model.row_of(2, indicator.id)
    assert model.setData(model.index(row, DONE), "R7の実績")
    tab.set_year(2026)
    assert model.index(row, DONE).data() == "" and model.index(row, STATUS).data() == "評価不能"
    assert model.setData(model.index(row, DONE), "R8の実績")
    tab.set_year(YEAR)
    assert model.index(row, DONE).data() == "R7の実績"
    assert window.plan.evaluation_texts.indicator(2, indicator.id, 2026).done == "R8の実績"


def test_the_section_text_is_edited_in_its_panel_and_undone(qtbot, window, tab):
    view_index(tab, window.plan.section(2).indicators[0], INDICATOR)
    assert "2 権利擁護" in tab.section_box.title() and "R7年度" in tab.section_box.title()
    tab.section_editor.setFocus()
    type_text(tab.section_editor, "概ね順調")
    qtbot.keyClick(tab.section_editor, Qt.Key.Key_Return)
    type_text(tab.section_editor, "課題あり")
    qtbot.keyClick(tab.section_editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.plan.evaluation_texts.section(2, YEAR) == "概ね順調\n課題あり"
    tab.table.setFocus()
    window.menu_actions.undo.trigger()
    assert window.plan.evaluation_texts.section(2, YEAR) == ""
    assert tab.section_editor.toPlainText() == ""


def test_the_summary_is_suggested_chosen_by_hand_and_iv_needs_a_reason(window, tab):
    plan = window.plan
    indicator = plan.section(2).indicators[0]
    view_index(tab, indicator, INDICATOR)
    row = tab.evaluation_model.row_of(2, indicator.id)
    assert tab.evaluation_model.index(row, SUMMARY).data() == ""  # the final year (R11) has no actual yet
    assert "R11年度の実績の入力待ち" in tab.suggestion_label.text()
    tab.reason_edit.clear()
    assert not tab.choose_summary(Summary.NOT_COMPARABLE, "")
    assert window.last_message == "IV(法制度等の改定により比較不能)を選ぶには、先に理由を入力してください"
    assert plan.evaluation_texts.summary(2, indicator.id) is None
    assert tab.summary_choice.currentData() is None
    tab.reason_edit.setText("国の定義変更のため")
    tab.summary_choice.setCurrentIndex(tab.summary_choice.findData("IV"))
    tab.summary_choice.activated.emit(tab.summary_choice.currentIndex())
    assert plan.evaluation_texts.summary(2, indicator.id) == SummaryChoice(Summary.NOT_COMPARABLE, "国の定義変更のため")
    assert tab.evaluation_model.index(row, SUMMARY).data() == "IV"
    window.menu_actions.undo.trigger()
    assert plan.evaluation_texts.summary(2, indicator.id) is None
    assert tab.summary_choice.currentData() is None


def test_double_click_and_the_context_menu_jump_to_the_indicator(window, tab):
    indicator = window.plan.section(3).indicators[2]
    index = tab.select(3, indicator.id, TARGET)
    tab.table.doubleClicked.emit(index)
    assert window.tabs.currentWidget() is window.section_tabs[3]
    assert window.section_tabs[3].chart.indicator is indicator
    window.tabs.setCurrentWidget(tab)
    other = window.plan.section(2).indicators[1]
    menu = tab.context_menu(tab.select(2, other.id, DONE))
    assert menu.actions()[0].text() == "指標の表へ移動"
    tab.go_to_action.trigger()
    assert window.tabs.currentWidget() is window.section_tabs[2]
    assert window.section_tabs[2].chart.indicator is other


def test_removing_an_indicator_takes_its_texts_and_undo_brings_them_back(window, tab, dialog_log):
    indicator = window.plan.section(2).indicators[0]
    model = tab.evaluation_model
    assert model.setData(model.index(model.row_of(2, indicator.id), DONE), "消える文章")
    rows = model.rowCount()
    assert window.document.edit_structure(SC.remove_indicator(window.plan, 2, indicator.id))
    assert model.rowCount() == rows - 1 and model.row_of(2, indicator.id) is None
    assert window.plan.evaluation_texts.indicator(2, indicator.id, YEAR).is_empty
    window.menu_actions.undo.trigger()
    assert model.index(model.row_of(2, indicator.id), DONE).data() == "消える文章"


def test_texts_typed_in_the_tab_survive_save_and_reopen(qtbot, window, tab, tmp_path):
    indicator = window.plan.section(2).indicators[1]
    editor = open_editor(tab, view_index(tab, indicator, NEXT_STEPS))
    type_text(editor, "来年度は")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    type_text(editor, "訪問を増やす")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    window.plan.set_section_text(2, YEAR, "総合評価の文章")  # set directly: the tab follows
    assert tab.section_editor.toPlainText() == "総合評価の文章"
    path = tmp_path / "評価.xlsx"
    assert window.save_as(path)
    assert window.load(path)
    reopened = window.evaluation_tab
    assert reopened is not tab and window.plan.load_warnings == []
    model = reopened.evaluation_model
    assert model.index(model.row_of(2, indicator.id), NEXT_STEPS).data() == "来年度は\n訪問を増やす"
    assert window.plan.evaluation_texts.section(2, YEAR) == "総合評価の文章"
    QApplication.processEvents()


def test_dropping_the_year_shown_asks_names_its_texts_and_undo_brings_them_back(window, tab, dialog_log):
    indicator = window.plan.section(2).indicators[0]
    model = tab.evaluation_model
    tab.set_year(2029)
    assert model.setData(model.index(model.row_of(2, indicator.id), DONE), "R11の文章")
    dialog_log.answer("ask_years", tuple(range(2024, 2029)))
    dialog_log.removal_answer = True
    window.structure_ui.set_years_action.trigger()
    assert "R11年度の点検・評価の文章も削除されます。" in dialog_log.removal_asked[-1][1]
    assert window.plan.evaluation_texts.indicator(2, indicator.id, 2029).is_empty
    assert tab.year == 2024 and tab.year_choice.currentText() == "R6年度 (2024)"
    window.menu_actions.undo.trigger()
    assert window.plan.evaluation_texts.indicator(2, indicator.id, 2029).done == "R11の文章"
    tab.set_year(2029)
    assert model.index(model.row_of(2, indicator.id), DONE).data() == "R11の文章"


def test_a_text_pasted_from_word_keeps_its_line_breaks_and_saves(window, tab, tmp_path):
    indicator = window.plan.section(2).indicators[2]
    model = tab.evaluation_model
    assert model.setData(model.index(model.row_of(2, indicator.id), FACTORS), "一行目\x0b二行目\x07")
    assert window.plan.evaluation_texts.indicator(2, indicator.id, YEAR).factors == "一行目\n二行目"
    assert window.save_as(tmp_path / "word.xlsx")


def test_a_row_grows_with_its_text_and_shrinks_back_on_undo(qtbot, window, tab):
    indicator = window.plan.section(2).indicators[3]
    model = tab.evaluation_model
    view_row = view_index(tab, indicator, DONE).row()
    before = tab.table.rowHeight(view_row)
    assert model.setData(model.index(model.row_of(2, indicator.id), DONE), "\n".join(["行"] * 5))
    qtbot.waitUntil(lambda: tab.table.rowHeight(view_row) >= 5 * tab.table.fontMetrics().lineSpacing())
    window.menu_actions.undo.trigger()
    qtbot.waitUntil(lambda: tab.table.rowHeight(view_row) == before)


def test_a_section_text_typed_stays_with_its_year_when_the_year_changes_under_it(qtbot, window, tab):
    view_index(tab, window.plan.section(2).indicators[0], INDICATOR)
    tab.section_editor.setFocus()
    type_text(tab.section_editor, "R7の総合評価")
    tab.set_year(2026)  # the year chosen with the mouse wheel: the editor keeps the focus
    assert window.plan.evaluation_texts.section(2, YEAR) == "R7の総合評価"
    assert window.plan.evaluation_texts.section(2, 2026) == ""
    assert tab.section_editor.toPlainText() == "" and "R8年度" in tab.section_box.title()


def test_a_cell_text_typed_stays_with_its_year_when_the_year_changes_under_it(window, tab):
    indicator = window.plan.section(2).indicators[1]
    editor = open_editor(tab, view_index(tab, indicator, DONE))
    type_text(editor, "R7に書いた")
    tab.set_year(2026)
    assert window.plan.evaluation_texts.indicator(2, indicator.id, YEAR).done == "R7に書いた"
    assert window.plan.evaluation_texts.indicator(2, indicator.id, 2026).is_empty
