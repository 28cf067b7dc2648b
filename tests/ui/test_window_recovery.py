"""Autosave, start-up recovery and unexpected errors, through the real main window and run_gui's start-up flow."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kawasaki_planner import create_main_window
from kawasaki_planner.core.plan import FigureRef, plan_snapshot
from kawasaki_planner.io.workbook import load_plan
from kawasaki_planner.ui import app, app_paths, dialogs, error_handler, safety_dialogs
from kawasaki_planner.ui import safety_strings as SS
from kawasaki_planner.ui.autosave import pending_recoveries

from .conftest import SAMPLE_WORKBOOK
from .safety_helpers import EDIT_REF, EDIT_VALUE, kill, start_child

REF = FigureRef(*EDIT_REF)

pytestmark = pytest.mark.skipif(not SAMPLE_WORKBOOK.exists(), reason="sample workbook not built yet")


@pytest.fixture
def plan_path(tmp_path) -> Path:
    path = tmp_path / "計画.xlsx"
    shutil.copy(SAMPLE_WORKBOOK, path)
    return path


def recovery_folders() -> list[Path]:
    return sorted(p for p in app_paths.recovery_dir().iterdir() if p.is_dir())


def left_behind(name: str = "20250401-090000-1-abcdef01", original: Path | None = None) -> Path:
    """A recovery as a crashed session leaves it (its lock died with the process)."""
    folder = app_paths.recovery_dir() / name
    folder.mkdir()
    shutil.copy(SAMPLE_WORKBOOK, folder / "plan.xlsx")
    meta = {"original": str(original) if original else None, "saved_at": "2025-04-01T09:00:00"}
    (folder / "recovery.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_edits_of_a_killed_window_are_restored_at_start_up(window, plan_path, fresh_data_dir, dialog_log):
    child = start_child(fresh_data_dir, "window-edit", str(plan_path))  # a real window, autosaved, then killed
    kill(child)
    [crashed] = recovery_folders()

    dialog_log.restore_answer = safety_dialogs.RESTORE
    assert app.start_session(window)
    assert window.plan.figure(REF).text == EDIT_VALUE
    assert window.document.modified and window.isWindowModified()
    assert window.document.path == plan_path.resolve()
    assert window.session.lock is not None and not window.session.read_only  # the dead child's lock was freed
    assert window.last_message.startswith("「計画.xlsx」を") and "自動保存から復元しました" in window.last_message
    assert not crashed.exists() and len(recovery_folders()) == 1  # our own autosave replaced the crashed one

    assert window.save()
    assert load_plan(plan_path).figure(REF).text == EDIT_VALUE
    assert recovery_folders() == []  # saved: nothing left to recover


def test_discard_and_later_at_start_up(window, monkeypatch):
    kept, dropped = left_behind("20250401-090000-1-aaaaaaaa"), left_behind("20250402-090000-1-bbbbbbbb")
    answers = iter([safety_dialogs.DISCARD, safety_dialogs.LATER])  # newest first
    asked = []
    monkeypatch.setattr(safety_dialogs, "ask_restore", lambda parent, r: asked.append(r.folder) or next(answers))
    plan = window.plan
    assert not app.start_session(window)
    assert asked == [dropped, kept]
    assert window.plan is plan
    assert not dropped.exists() and kept.exists()
    assert [r.folder for r in pending_recoveries()] == [kept]  # offered again at the next start


def test_only_one_plan_is_restored_and_the_others_wait(window, plan_path, dialog_log):
    older, newer = left_behind("20250401-090000-1-aaaaaaaa"), left_behind("20250402-090000-1-bbbbbbbb")
    dialog_log.restore_answer = safety_dialogs.RESTORE
    assert app.start_session(window, plan_path)  # a restored plan wins over the file given
    assert window.document.path is None and window.document.modified  # the plan, not the file given
    assert not newer.exists() and older.exists()


def test_with_nothing_to_restore_start_up_opens_the_file(window, plan_path):
    assert app.start_session(window, plan_path)  # no question asked (conftest would fail the test)
    assert window.document.path == plan_path and window.session.lock is not None


def test_closing_without_saving_removes_the_recovery_and_the_lock(window, plan_path, dialog_log):
    assert window.load(plan_path)
    window.document.set_figure(REF, EDIT_VALUE, "edit")
    assert window.session.autosaver.save_now()
    assert len(recovery_folders()) == 1
    dialog_log.save_answer = dialogs.DISCARD
    assert window.close()
    assert recovery_folders() == []
    assert not plan_path.with_name("~$計画.xlsx.lock").exists()


def test_replacing_the_plan_stops_its_autosave(window, dialog_log):
    window.document.set_figure(REF, EDIT_VALUE, "edit")
    old = window.session.autosaver
    assert old.save_now()
    dialog_log.save_answer = dialogs.DISCARD
    window.menu_actions.new.trigger()
    assert recovery_folders() == [] and window.session.autosaver is not old
    assert window.session.autosaver.document is window.document


def test_create_main_window_asks_nothing_and_hooks_nothing(qapp):
    left_behind()
    hook = sys.excepthook
    win = create_main_window(str(SAMPLE_WORKBOOK))  # conftest fails the test on any restore question
    try:
        assert sys.excepthook is hook
        assert len(recovery_folders()) == 1
    finally:
        win.close()
        win.deleteLater()


def test_run_gui_installs_the_error_handler_and_offers_recoveries(qapp, monkeypatch, dialog_log):
    left_behind()
    dialog_log.restore_answer = safety_dialogs.RESTORE
    seen = {}

    def exec_instead_of_the_event_loop():
        [win] = [w for w in QApplication.topLevelWidgets() if w.isVisible() and hasattr(w, "session")]
        seen.update(handler=error_handler._installed, hook=sys.excepthook, restored=win.document.modified)
        win.undo_stack.setClean()
        win.close()
        win.deleteLater()
        return 0

    monkeypatch.setattr(qapp, "exec", exec_instead_of_the_event_loop)
    monkeypatch.setattr(app, "ensure_app", lambda: qapp)
    hook = sys.excepthook
    assert app.run_gui(None) == 0
    assert seen["handler"] is not None and seen["hook"] == seen["handler"].handle
    assert seen["restored"]
    assert error_handler._installed is None and sys.excepthook is hook  # uninstalled after the loop


def test_an_error_during_an_action_keeps_the_plan_and_its_history(window, tmp_path, qtbot, monkeypatch):
    reports = []
    handler = error_handler.install(log_dir=tmp_path / "logs", dialog=lambda parent, report, log: reports.append(report))
    try:
        window.document.set_figure(REF, EDIT_VALUE, "edit")
        before = (plan_snapshot(window.plan), window.undo_stack.index(), window.undo_stack.count())

        def broken_table():
            raise RuntimeError("貼り付け先の表が壊れています")

        monkeypatch.setattr(window, "focused_table", broken_table)
        QTimer.singleShot(0, window.menu_actions.paste.trigger)  # as from the menu, inside the event loop
        qtbot.waitUntil(lambda: bool(handler.reports))

        assert [r.message for r in reports] == [SS.ERROR_TEXT]
        assert "貼り付け先の表が壊れています" in handler.log_path.read_text(encoding="utf-8")
        assert (plan_snapshot(window.plan), window.undo_stack.index(), window.undo_stack.count()) == before
        assert window.isVisible() and window.document.modified
        window.menu_actions.undo.trigger()
        assert window.plan.figure(REF) == load_plan(SAMPLE_WORKBOOK).figure(REF)
    finally:
        error_handler.uninstall()


def test_the_recovered_message_names_the_time(window, dialog_log):
    left_behind()
    dialog_log.restore_answer = safety_dialogs.RESTORE
    assert app.start_session(window)
    when = SS.format_time(datetime(2025, 4, 1, 9, 0))
    assert window.last_message == SS.RECOVERED.format(name="無題", time=when)
