"""The main window: tabs, title and unsaved mark, close prompt, open/save, drop, recent files, screenshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from kawasaki_planner.core.plan import FigureRef
from kawasaki_planner.ui import dialogs, settings
from kawasaki_planner.ui.app import take_screenshot

from .conftest import SAMPLE_SOURCE, SAMPLE_WORKBOOK

SECTION = 2
LABEL = "意見表明支援を利用可能な児童数"
REF = FigureRef(SECTION, LABEL, 2026, "plan")


def edit(window, text="1,111"):
    model = window.section_tabs[SECTION].table_model
    assert model.setData(model.index_of(REF), text)


def test_tabs_follow_the_plan_then_the_overview_and_the_evaluation(window):
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert names == [
        "1 基本的な考え方",
        "2 権利擁護",
        "3 児童家庭支援体制",
        "4 妊産婦等支援",
        "5 代替養育の見込み",
        "6 一時保護",
        "7 パーマネンシー保障",
        "進捗一覧",
        "評価",
    ]
    assert window.section_tabs[5] is window.forecast_tab
    assert "本市における社会的養育" in window.section_tabs[1].narrative.toPlainText()


def test_title_shows_the_name_and_an_unsaved_mark_derived_from_the_undo_stack(window):
    assert "[*]" in window.windowTitle()
    assert not window.isWindowModified()
    edit(window)
    assert window.isWindowModified()
    window.menu_actions.undo.trigger()
    assert not window.isWindowModified()
    window.menu_actions.redo.trigger()
    assert window.isWindowModified()


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(window, dialog_log):
    edit(window)
    dialog_log.save_answer = dialogs.CANCEL
    assert not window.close()
    assert dialog_log.asked == ["無題"]
    assert window.isVisible()
    dialog_log.save_answer = dialogs.DISCARD
    assert window.close()


def test_closing_without_changes_does_not_ask(window, dialog_log):
    assert window.close()
    assert dialog_log.asked == []


def test_save_answer_saves_through_the_workbook_writer(window, dialog_log, tmp_path, monkeypatch):
    saved = []
    monkeypatch.setattr("kawasaki_planner.ui.document.save_plan_file", lambda plan, path, progress=None: saved.append(Path(path)))
    edit(window)
    dialog_log.save_answer = dialogs.SAVE
    dialog_log.save_path = str(tmp_path / "計画.xlsx")
    assert window.close()
    assert saved == [tmp_path / "計画.xlsx"]
    assert window.undo_stack.isClean()
    assert window.document.path.name == "計画.xlsx"
    assert settings.AppSettings().recent_files() == [str((tmp_path / "計画.xlsx").resolve())]


def test_new_plan_asks_then_starts_empty(window, dialog_log):
    edit(window)
    dialog_log.save_answer = dialogs.DISCARD
    window.menu_actions.new.trigger()
    assert window.plan.figure(REF).is_blank
    assert window.undo_stack.count() == 0
    assert window.section_tabs[SECTION].table_model.plan is window.plan


def test_opening_a_missing_file_reports_and_keeps_the_plan(window, dialog_log, tmp_path):
    assert not window.load(tmp_path / "ない.xlsx")
    assert "見つかりません" in dialog_log.errors[0]
    assert window.plan.figure(REF).text == "997人"


def test_a_dropped_file_is_opened(window, tmp_path):
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(SAMPLE_SOURCE))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    old_plan = window.plan
    window.dropEvent(event)
    assert window.plan is not old_plan
    assert window.plan.figure(REF).text == "997人"


@pytest.mark.skipif(not SAMPLE_WORKBOOK.exists(), reason="sample workbook not built yet")
def test_the_sample_workbook_opens_from_the_command_line_entry_point(qtbot):
    from kawasaki_planner import create_main_window

    win = create_main_window(str(SAMPLE_WORKBOOK))
    try:
        assert win.document.path == SAMPLE_WORKBOOK
        assert win.windowTitle().startswith("kawasaki_plan_r8.xlsx")
        assert win.plan.figure(REF).text == "997人"
    finally:
        win.close()
        win.deleteLater()


def test_recent_files_menu_lists_remembered_files(window):
    window.settings.add_recent_file("C:/計画/a.xlsx")
    window.settings.add_recent_file("C:/計画/b.xlsx")
    window.menu_actions.recent_menu.aboutToShow.emit()
    texts = [a.text() for a in window.menu_actions.recent_menu.actions() if a.text()]
    assert texts[:2] == ["&1 C:/計画/b.xlsx", "&2 C:/計画/a.xlsx"]


def test_standard_shortcuts(window):
    a = window.menu_actions
    assert a.save.shortcut().toString() == "Ctrl+S"
    assert a.open.shortcut().toString() == "Ctrl+O"
    assert a.new.shortcut().toString() == "Ctrl+N"
    assert a.undo.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Y" in [s.toString() for s in a.redo.shortcuts()]


def test_screenshot_of_every_tab(tmp_path, qapp):
    for tab in (0, 4, 7):
        out = tmp_path / f"tab{tab}.png"
        assert take_screenshot(str(SAMPLE_SOURCE), str(out), tab) == 0
        assert out.read_bytes()[:4] == b"\x89PNG"
    assert take_screenshot(str(SAMPLE_SOURCE), str(tmp_path / "x.png"), 99) == 2


def test_qt_standard_buttons_speak_japanese_and_the_app_has_its_icon(window):
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.buttons()[0].text() == "キャンセル"
    assert not QApplication.instance().windowIcon().isNull()
