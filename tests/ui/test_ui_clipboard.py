"""Copy as Excel text, paste an Excel block (good cells kept, bad ones reported, one undo step)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QGuiApplication

from kawasaki_planner.core.plan import FigureRef, forecast_ref
from kawasaki_planner.ui.clipboard import parse_tsv, to_tsv

SECTION = 6
ROWS = ("一時保護施設の定員数", "第三者評価を実施している一時保護施設数")


def select(view, first, last):
    selection = view.selectionModel()
    selection.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    from PySide6.QtCore import QItemSelection

    selection.select(QItemSelection(first, last), QItemSelectionModel.SelectionFlag.Select)


def test_excel_clipboard_text_round_trips():
    block = [["1,000", "7か所(試行実施)"], ['say "hi"', "two\nlines"], ["", "-"]]
    assert parse_tsv(to_tsv(block)) == block
    assert parse_tsv("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert parse_tsv("5") == [["5"]]


def test_copy_puts_a_tab_separated_block_on_the_clipboard(window):
    tab = window.section_tabs[SECTION]
    model = tab.table_model
    first = model.index_of(FigureRef(SECTION, ROWS[0], 2025, "plan"))
    last = model.index_of(FigureRef(SECTION, ROWS[1], 2026, "actual"))
    select(tab.table, first, last)
    window.tabs.setCurrentWidget(tab)
    assert window.copy()
    assert QGuiApplication.clipboard().text() == "88人\t\t94人\t\r\n2か所\t\t2か所\t\r\n"


def test_paste_of_an_excel_block_keeps_good_cells_and_reports_bad_ones_as_one_step(window):
    tab = window.section_tabs[SECTION]
    model = tab.table_model
    anchor = model.index_of(FigureRef(SECTION, ROWS[0], 2025, "actual"))
    select(tab.table, anchor, anchor)
    before = window.undo_stack.count()
    tab.table.paste_text("９０人\tabc\r\n3\t2か所\r\n")
    plan = window.plan
    assert plan.figure(FigureRef(SECTION, ROWS[0], 2025, "actual")).text == "90人"
    assert plan.figure(FigureRef(SECTION, ROWS[0], 2026, "plan")).text == "94人"  # 「abc」 refused, old value kept
    assert plan.figure(FigureRef(SECTION, ROWS[1], 2025, "actual")).text == "3か所"
    assert "1セルは貼り付けませんでした" in window.last_message
    assert "一時保護施設の定員数 R8年度 目標" in window.last_message
    assert window.undo_stack.count() == before + 1
    window.menu_actions.undo.trigger()
    assert plan.figure(FigureRef(SECTION, ROWS[0], 2025, "actual")).is_blank
    assert plan.figure(FigureRef(SECTION, ROWS[1], 2025, "actual")).is_blank
    window.menu_actions.redo.trigger()
    assert plan.figure(FigureRef(SECTION, ROWS[1], 2025, "actual")).text == "3か所"


def test_paste_through_the_menu_action_uses_the_clipboard(window):
    tab = window.section_tabs[SECTION]
    anchor = tab.table_model.index_of(FigureRef(SECTION, ROWS[0], 2027, "actual"))
    select(tab.table, anchor, anchor)
    window.tabs.setCurrentWidget(tab)
    QGuiApplication.clipboard().setText("93\r\n")
    window.menu_actions.paste.trigger()
    assert window.plan.figure(FigureRef(SECTION, ROWS[0], 2027, "actual")).text == "93人"


def test_a_single_value_fills_the_selection(window):
    tab = window.section_tabs[SECTION]
    model = tab.table_model
    first = model.index_of(FigureRef(SECTION, ROWS[0], 2026, "plan"))
    last = model.index_of(FigureRef(SECTION, ROWS[1], 2026, "plan"))
    select(tab.table, first, last)
    tab.table.paste_text("5")
    assert model.data(first) == "5人"
    assert model.data(last) == "5か所"
    assert window.undo_stack.count() == 1


def test_paste_beyond_the_table_is_reported(window):
    tab = window.section_tabs[SECTION]
    model = tab.table_model
    anchor = model.index(model.rowCount() - 1, model.columnCount() - 1)
    select(tab.table, anchor, anchor)
    tab.table.paste_text("50.0%\t1\r\n2\t3\r\n")
    assert "表の範囲外 3セル" in window.last_message
    assert model.data(anchor) == "50.0%"


def test_paste_into_forecast_skips_hidden_columns_and_computed_cells(window):
    tab = window.forecast_tab
    model = tab.forecast_model
    anchor = model.index_of(forecast_ref("population", 2026))
    select(tab.forecast_table, anchor, anchor)
    tab.forecast_table.paste_text("240,000\t235,000\r\n0.2%\t0.3%\r\n")
    plan = window.plan
    assert plan.figure(forecast_ref("population", 2026)).text == "240,000"
    assert plan.figure(forecast_ref("population", 2027)).text == "235,000"  # the hidden R8 実績 column is skipped
    assert plan.figure(forecast_ref("rate", 2026)).text == "0.148%"
    assert "計算値のため入力できません" in window.last_message
