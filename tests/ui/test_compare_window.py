"""ファイル → 比較…: the open plan against its saved version, listed, marked in the tables, jumped to, exported."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from kawasaki_planner.core import structure
from kawasaki_planner.core.compare import CHANGED, MOVED, RENAMED
from kawasaki_planner.core.plan import FigureRef
from kawasaki_planner.ui import compare_dialogs
from kawasaki_planner.ui.compare_marks import CellMarks

from .conftest import SAMPLE_WORKBOOK

SECTION = 2
LABEL = "意見表明支援を利用可能な児童数"
REF = FigureRef(SECTION, LABEL, 2026, "plan")


@pytest.fixture
def saved_window(qtbot, tmp_path):
    from kawasaki_planner import create_main_window

    path = tmp_path / "plan.xlsx"
    shutil.copy(SAMPLE_WORKBOOK, path)
    win = create_main_window(str(path))
    win.show()
    qtbot.wait(1)
    yield win
    win.undo_stack.setClean()
    win.close()
    win.deleteLater()


def compare_with_saved(window, monkeypatch):
    chosen = []

    def ask(parent, choices):
        chosen.extend(choices)
        return next(c for c in choices if c.kind == "saved")

    monkeypatch.setattr(compare_dialogs, "ask_source", ask)
    window.menu_actions.compare.trigger()
    assert window.comparison is not None
    return window.comparison, chosen


def test_compare_is_in_the_file_menu(saved_window):
    menu = saved_window.menuBar().actions()[0].menu()
    assert saved_window.menu_actions.compare in menu.actions()


def test_an_edit_is_listed_against_the_last_saved_version_and_its_cell_framed(saved_window, monkeypatch, qtbot,
                                                                            qtmodeltester):
    tab = saved_window.section_tabs[SECTION]
    model = tab.table_model
    assert model.setData(model.index_of(REF), "1,111")
    panel, choices = compare_with_saved(saved_window, monkeypatch)
    assert [c.kind for c in choices] == ["saved", "other"]  # no backups yet: never saved by the app
    assert [(d.section, d.item, d.fiscal_year, d.kind, d.change, d.before, d.after) for d in panel.differences] == [
        (SECTION, LABEL, 2026, "plan", CHANGED, "997人", "1,111人"),
    ]
    assert panel.proxy.rowCount() == 1
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.proxy)
    marks = panel.marks[tab.table]
    cell = model.index_of(REF)
    assert marks.marked_indexes() == {(cell.row(), cell.column()): "比較(変更): 改定前 997人 → 改定後 1,111人"}
    assert not marks.isHidden() and marks.geometry() == tab.table.viewport().geometry()
    # Undone, the plan is the saved one again: the list empties and the frame goes.
    saved_window.menu_actions.undo.trigger()
    qtbot.waitUntil(lambda: not panel.differences)
    assert marks.marked_indexes() == {}


def test_double_click_jumps_to_the_cell(saved_window, monkeypatch, qtbot):
    plan = saved_window.plan
    ref = FigureRef(6, plan.section(6).indicators[1].id, 2028, "actual")
    plan.set_figure(ref, "3")
    panel, _ = compare_with_saved(saved_window, monkeypatch)
    saved_window.tabs.setCurrentIndex(0)
    row = next(r for r in range(panel.proxy.rowCount()) if panel.difference_at(r).section == 6)
    rect = panel.table.visualRect(panel.proxy.index(row, 1))
    assert panel.table.viewport().rect().contains(rect.center())
    with qtbot.waitSignal(panel.table.activated):
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    tab = saved_window.section_tabs[6]
    assert saved_window.tabs.currentWidget() is tab
    assert tab.table.currentIndex() == tab.table_model.index_of(ref)
    # A tab built after the comparison opened is framed too.
    assert (tab.table_model.index_of(ref).row(), tab.table_model.index_of(ref).column()) in panel.marks[tab.table].marked_indexes()


def test_a_renamed_and_moved_indicator_frames_its_label(saved_window, monkeypatch):
    plan = saved_window.plan
    first = plan.section(3).indicators[0]
    structure.edit_indicator(plan, 3, first.id, label="こども家庭センターの設置か所数")
    structure.move_indicator(plan, 3, first.id, 2)
    panel, _ = compare_with_saved(saved_window, monkeypatch)
    assert [d.change for d in panel.differences] == [RENAMED, MOVED]
    tab = saved_window.section_tabs[3]
    row = [i.id for i in plan.section(3).indicators].index(first.id)
    assert (row, 0) in panel.marks[tab.table].marked_indexes()


def test_closing_clears_the_marks(saved_window, monkeypatch, qtbot):
    model = saved_window.section_tabs[SECTION].table_model
    assert model.setData(model.index_of(REF), "1,111")
    panel, _ = compare_with_saved(saved_window, monkeypatch)
    table = saved_window.section_tabs[SECTION].table
    assert panel.marks[table].marked_indexes()
    panel.close_button.click()
    qtbot.waitUntil(lambda: saved_window.comparison is None)
    assert [w for w in table.findChildren(CellMarks) if not w.isHidden()] == []


def test_backups_are_offered_with_their_dates(saved_window, monkeypatch):
    model = saved_window.section_tabs[SECTION].table_model
    assert model.setData(model.index_of(REF), "1,111")
    assert saved_window.save()
    choices = compare_dialogs.sources(saved_window.document.path)
    assert [c.kind for c in choices] == ["saved", "backup", "other"]
    assert choices[1].path.name == "plan.bak1.xlsx" and "保存:" in choices[1].label
    monkeypatch.setattr(compare_dialogs, "ask_source", lambda parent, offered: offered[1])
    saved_window.menu_actions.compare.trigger()
    assert [(d.before, d.after) for d in saved_window.comparison.differences] == [("997人", "1,111人")]


def test_the_list_exports_the_comparison_table(saved_window, monkeypatch, tmp_path):
    model = saved_window.section_tabs[SECTION].table_model
    assert model.setData(model.index_of(REF), "1,111")
    panel, _ = compare_with_saved(saved_window, monkeypatch)
    target = tmp_path / "対照表.xlsx"
    monkeypatch.setattr(compare_dialogs, "ask_export_path", lambda parent, suggested, suffix: str(target))
    panel.xlsx_button.click()
    sheet = load_workbook(target).active
    values = [[str(c.value) if c.value is not None else "" for c in row] for row in sheet.iter_rows(min_row=5)]
    assert any(row[0].startswith(LABEL) and row[1] == "997人" and row[2] == "1,111人" for row in values)
    pdf = tmp_path / "対照表.pdf"
    assert panel.export(".pdf", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_reworded_status_row_is_framed_and_jumped_to(saved_window, monkeypatch):
    from kawasaki_planner.core.plan import StatusItem

    plan = saved_window.plan
    items = list(plan.section(3).status)
    items[1] = StatusItem(items[1].item, items[1].description + "拡充します。")
    structure.set_status(plan, 3, items)
    panel, _ = compare_with_saved(saved_window, monkeypatch)
    (difference,) = panel.differences
    tab = saved_window.section_tabs[3]
    marked = panel.marks[tab.status_table].marked_indexes()
    assert list(marked) == [(1, 1)] and marked[(1, 1)].startswith("比較(文章の変更): 改定前 ")
    assert panel.marks[tab.table].marked_indexes() == {}
    assert panel.jump_to(difference)
    assert tab.texts.currentWidget() is tab.status_table and tab.status_table.currentIndex().row() == 1


def test_the_list_filters_by_kind_and_text(saved_window, monkeypatch):
    from kawasaki_planner.core.plan import forecast_ref

    plan = saved_window.plan
    plan.set_figure(forecast_ref("population", 2027), "230,000")
    structure.edit_indicator(plan, 3, plan.section(3).indicators[0].id, label="こども家庭センターの設置か所数")
    panel, _ = compare_with_saved(saved_window, monkeypatch)
    every = panel.proxy.rowCount()
    assert every == len(panel.differences) > 2
    panel.change_filter.setCurrentIndex(panel.change_filter.findData(RENAMED))
    assert [panel.difference_at(r).change for r in range(panel.proxy.rowCount())] == [RENAMED]
    panel.change_filter.setCurrentIndex(0)
    panel.computed_filter.setChecked(False)
    assert panel.proxy.rowCount() == 2  # the population and the rename; the recomputed counts are hidden
    panel.text_filter.setText("児童人口")
    assert [panel.difference_at(r).item for r in range(panel.proxy.rowCount())] == ["児童人口"]


def test_a_reworded_narrative_block_is_selected_when_jumped_to(saved_window, monkeypatch):
    from kawasaki_planner.core.plan import NarrativeBlock

    plan = saved_window.plan
    blocks = list(plan.section(2).narrative)
    blocks[1] = NarrativeBlock(blocks[1].heading, blocks[1].text + "追記します。")
    structure.set_narrative(plan, 2, blocks)
    panel, _ = compare_with_saved(saved_window, monkeypatch)
    (difference,) = panel.differences
    assert panel.jump_to(difference)
    tab = saved_window.section_tabs[2]
    assert tab.texts.currentWidget() is tab.narrative
    selected = tab.narrative.textCursor().selectedText()
    assert selected.startswith(blocks[1].heading) and "追記します。" in selected


@pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")  # offscreen, showing the tooltip
def test_a_framed_cell_tells_before_and_after_in_its_tooltip(saved_window, monkeypatch, qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    tab = saved_window.section_tabs[SECTION]
    saved_window.tabs.setCurrentWidget(tab)
    model = tab.table_model
    assert model.setData(model.index_of(REF), "1,111")
    compare_with_saved(saved_window, monkeypatch)
    centre = tab.table.visualRect(model.index_of(REF)).center()
    viewport = tab.table.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, centre, viewport.mapToGlobal(centre)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text().startswith("比較(変更): 改定前 997人 → 改定後 1,111人")
    QToolTip.hideText()
