"""The safety features as a planner meets them in the main window: locks, read-only, .xlsm, failed saves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from kawasaki_planner import create_main_window
from kawasaki_planner.core.plan import FigureRef
from kawasaki_planner.io import workbook
from kawasaki_planner.io.errors import SaveError, SaveLockedError
from kawasaki_planner.io.workbook import load_plan
from kawasaki_planner.ui import dialogs, file_lock, safety_dialogs
from kawasaki_planner.ui import safety_strings as SS
from kawasaki_planner.ui import strings as S

from .conftest import SAMPLE_WORKBOOK
from .safety_helpers import EDIT_REF, EDIT_VALUE, fake_foreign_lock, kill, start_child

REF = FigureRef(*EDIT_REF)
REAL_SAVE = workbook.save_plan
REAL_ASK_SAVE_AS = dialogs.ask_save_as_instead  # conftest replaces it in every test

pytestmark = pytest.mark.skipif(not SAMPLE_WORKBOOK.exists(), reason="sample workbook not built yet")


@pytest.fixture(scope="module")
def sample_bytes() -> bytes:
    return SAMPLE_WORKBOOK.read_bytes()


@pytest.fixture(scope="module")
def original(sample_bytes) -> str:
    """The edited figure as published (blank: the edit fills it in)."""
    return load_plan(SAMPLE_WORKBOOK).figure(REF).text


@pytest.fixture
def plan_path(tmp_path, sample_bytes) -> Path:
    path = tmp_path / "共有" / "計画.xlsx"
    path.parent.mkdir()
    path.write_bytes(sample_bytes)
    return path


def lock_file(path: Path) -> Path:
    return path.with_name(f"~${path.name}.lock")


def edit(window, value=EDIT_VALUE) -> None:
    assert window.document.set_figure(REF, value, "edit")


def test_a_plan_open_in_another_process_opens_read_only_and_save_goes_to_save_as(
    window, plan_path, tmp_path, fresh_data_dir, dialog_log, original
):
    child = start_child(fresh_data_dir, "window-hold", str(plan_path))  # a colleague's app, a real process
    try:
        dialog_log.lock_answer = safety_dialogs.READ_ONLY
        assert window.load(plan_path)
        [asked] = dialog_log.locked_asked
        assert asked.held and asked.holder_text == SS.LOCK_HOLDER_SELF  # same PC and user in this test
        assert window.session.read_only and window.session.lock is None
        assert SS.READ_ONLY_MARK in window.windowTitle()
        assert "読み取り専用で開きました" in window.last_message
        assert window.plan.figure(REF).text == original

        edit(window)
        dialog_log.save_path = str(plan_path)  # over the colleague's open file: refused
        window.menu_actions.save.trigger()  # 保存 (Ctrl+S)
        assert dialog_log.suggested == [str(plan_path.parent / "計画.xlsx")]
        assert dialog_log.errors == [SS.SAVE_TARGET_HELD.format(name="計画.xlsx", holder=SS.LOCK_HOLDER_SELF)]
        assert window.document.modified

        copy = tmp_path / "自分用.xlsx"
        dialog_log.save_path = str(copy)
        assert window.save()
        assert not window.document.modified and window.document.path == copy
        assert load_plan(copy).figure(REF).text == EDIT_VALUE
        assert load_plan(plan_path).figure(REF).text == original  # the colleague's file untouched
        assert not window.session.read_only and SS.READ_ONLY_MARK not in window.windowTitle()
        assert lock_file(copy).exists() and lock_file(plan_path).exists()  # ours, and still the colleague's
    finally:
        kill(child)


def test_a_second_window_sees_the_lock_without_being_asked(window, plan_path, dialog_log):
    assert window.load(plan_path) and window.session.lock is not None
    second = create_main_window(str(plan_path))  # scripts: never a modal question
    try:
        assert second.session.read_only and SS.READ_ONLY_MARK in second.windowTitle()
        assert SS.LOCK_HOLDER_SELF in second.last_message
        assert dialog_log.locked_asked == []
    finally:
        second.close()
        second.deleteLater()
    assert lock_file(plan_path).exists()  # closing the read-only window left the first window's lock


def test_cancel_at_the_lock_question_keeps_the_current_plan(window, plan_path, fresh_data_dir, dialog_log):
    edit(window)
    child = start_child(fresh_data_dir, "lock-hold", str(plan_path))
    try:
        dialog_log.lock_answer, dialog_log.save_answer = safety_dialogs.CANCEL, dialogs.DISCARD
        plan = window.plan
        assert not window.load(plan_path)
        assert window.plan is plan and window.plan.figure(REF).text == EDIT_VALUE and window.document.modified
        assert not window.session.read_only
    finally:
        kill(child)


def test_the_lock_follows_the_open_plan_and_goes_at_close(window, plan_path, tmp_path, sample_bytes):
    other = tmp_path / "別の計画.xlsx"
    other.write_bytes(sample_bytes)
    assert window.load(plan_path) and lock_file(plan_path).exists()
    assert window.load(plan_path)  # reopening our own file keeps our lock rather than finding it held
    assert window.load(other)
    assert not lock_file(plan_path).exists() and lock_file(other).exists()
    window.menu_actions.new.trigger()
    assert not lock_file(other).exists()
    assert window.load(other)
    window.close()
    assert not lock_file(other).exists()


def test_a_failed_load_keeps_the_plan_and_its_lock(window, plan_path, tmp_path, dialog_log):
    assert window.load(plan_path)
    edit(window)
    broken = tmp_path / "壊れた.xlsx"
    broken.write_bytes(b"not a workbook")
    dialog_log.save_answer = dialogs.DISCARD
    plan = window.plan
    assert not window.open_path(broken)
    assert len(dialog_log.errors) == 1
    assert window.plan is plan and window.document.path == plan_path
    assert lock_file(plan_path).exists() and not lock_file(broken).exists()


def test_a_silent_colleague_lock_is_taken_over_when_the_user_says_so(window, plan_path, dialog_log):
    fake_foreign_lock(plan_path, user="山田", silent_hours=3)
    dialog_log.lock_answer = safety_dialogs.TAKE_OVER
    assert window.load(plan_path)
    [asked] = dialog_log.locked_asked
    assert asked.may_take_over and "山田さん" in asked.holder_text
    assert window.session.lock is not None and not window.session.read_only
    assert SS.READ_ONLY_MARK not in window.windowTitle()


def test_a_lost_lock_says_so_and_makes_the_plan_read_only(window, plan_path, dialog_log, qtbot, monkeypatch):
    monkeypatch.setattr(file_lock, "HEARTBEAT_MS", 20)
    assert window.load(plan_path)
    plan_path.with_name("~$計画.xlsx.lock").unlink()  # what 「編集中の目印を解除して開く」 on another PC does
    fake_foreign_lock(plan_path, user="山田", silent_hours=0)
    qtbot.waitUntil(lambda: window.session.read_only)  # noticed at the next heartbeat
    assert window.last_message == SS.LOCK_LOST
    assert window.session.read_only and SS.READ_ONLY_MARK in window.windowTitle()
    edit(window)
    window.save()
    assert dialog_log.suggested  # 保存 went to 名前を付けて保存
    dialog_log.save_answer = dialogs.DISCARD
    window.close()
    assert lock_file(plan_path).exists()  # the colleague's lock stays


def test_a_macro_workbook_is_never_saved_over(window, plan_path, dialog_log, original):
    macro = plan_path.with_name("マクロ付き.xlsm")
    plan_path.rename(macro)
    assert "*.xlsm" in S.OPEN_FILTER
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(macro))])
    drop = QDropEvent(QPoint(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    assert window.plan.figure(REF).text == original
    assert window.document.path is None and "マクロ" in window.last_message
    assert not lock_file(macro).exists()
    edit(window)
    assert not window.save()  # the user cancels the save dialog
    assert dialog_log.suggested == [str(macro.parent / "マクロ付き.xlsx")]
    assert window.document.modified
    scripted = create_main_window(str(macro))  # the same from a script
    try:
        assert "マクロ" in scripted.last_message
        assert scripted.session.suggested_path(scripted.document).endswith("マクロ付き.xlsx")
    finally:
        scripted.close()
        scripted.deleteLater()


def test_a_file_held_by_excel_offers_save_as_and_loses_nothing(window, plan_path, tmp_path, dialog_log, monkeypatch):
    def save_unless_excel_has_it(plan, path, **kwargs):
        if Path(path) == plan_path:
            raise SaveLockedError()
        return REAL_SAVE(plan, path, **kwargs)

    monkeypatch.setattr(workbook, "save_plan", save_unless_excel_has_it)
    assert window.load(plan_path)
    edit(window)
    dialog_log.save_as_instead = False
    assert not window.save()
    assert dialog_log.save_locked == [SaveLockedError.DEFAULT_MESSAGE]
    assert window.document.modified and window.document.path == plan_path

    dialog_log.save_as_instead = True
    dialog_log.save_path = str(tmp_path / "別名.xlsx")
    window.menu_actions.save.trigger()
    assert not window.document.modified and window.document.path == tmp_path / "別名.xlsx"
    assert load_plan(tmp_path / "別名.xlsx").figure(REF).text == EDIT_VALUE
    assert lock_file(tmp_path / "別名.xlsx").exists() and not lock_file(plan_path).exists()


def test_a_failed_save_is_reported_and_the_plan_stays_unsaved(window, plan_path, dialog_log, monkeypatch):
    def fail(plan, path, **kwargs):
        raise SaveError("保存した内容を確認できませんでした")

    monkeypatch.setattr(workbook, "save_plan", fail)
    assert window.load(plan_path)
    edit(window)
    assert not window.save()
    assert dialog_log.errors == ["保存した内容を確認できませんでした"]
    assert window.document.modified and lock_file(plan_path).exists()


def test_save_warnings_are_shown_in_the_message_bar(window, plan_path, monkeypatch):
    monkeypatch.setattr(workbook, "save_plan", lambda plan, path, **kw: ["バックアップを作れませんでした"])
    assert window.load(plan_path)
    edit(window)
    assert window.save()
    assert window.last_message == "バックアップを作れませんでした" and window.message_bar.isVisible()


def test_the_save_as_instead_question_reads_in_japanese(qapp, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    assert REAL_ASK_SAVE_AS(None, SaveLockedError.DEFAULT_MESSAGE) is False
    [box] = shown
    assert box.text() == SaveLockedError.DEFAULT_MESSAGE and box.informativeText() == SS.SAVE_LOCKED_INFO
    assert [b.text() for b in box.buttons()] == [SS.BTN_SAVE_AS, S.BTN_CANCEL]
    assert box.defaultButton().text() == SS.BTN_SAVE_AS
    box.deleteLater()


def test_a_screenshot_window_neither_locks_nor_says_read_only(plan_path, tmp_path, qapp):
    from kawasaki_planner.ui.app import create_main_window as create
    from kawasaki_planner.ui.app import take_screenshot

    fake_foreign_lock(plan_path, user="山田", silent_hours=0)
    win = create(str(plan_path), lock=False)
    try:
        assert not win.session.read_only and win.session.lock is None and win.last_message == ""
    finally:
        win.close()
        win.deleteLater()
    assert take_screenshot(str(plan_path), str(tmp_path / "shot.png")) == 0
    owner = json.loads(lock_file(plan_path).with_suffix(".owner").read_text(encoding="utf-8"))
    assert owner["user"] == "山田"  # theirs, untouched


def test_a_reader_bug_reaches_the_error_handler_not_a_cannot_open_dialog(window, plan_path, dialog_log, monkeypatch):
    """Only what a user can cause (a refused file, a failing disk) is 「開けませんでした」; a bug is logged with its traceback."""
    def bug(*args, **kwargs):
        raise KeyError("a reader bug")

    before = window.plan
    monkeypatch.setattr(workbook, "read_plan", bug)
    with pytest.raises(KeyError):
        window.load(plan_path)
    assert dialog_log.errors == [] and window.plan is before
    assert not lock_file(plan_path).exists()
