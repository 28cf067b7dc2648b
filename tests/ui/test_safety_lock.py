"""One editor at a time: the lock beside the workbook, seen from a second real process."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kawasaki_planner.ui import file_lock, safety_dialogs
from kawasaki_planner.ui import safety_strings as S
from kawasaki_planner.ui.file_lock import PlanLock, machine_name, user_name

from .safety_helpers import fake_foreign_lock, kill, run_child, start_child


@pytest.fixture
def plan_path(tmp_path) -> Path:
    path = tmp_path / "共有" / "社会的養育推進計画.xlsx"  # Japanese names, as on the city's shares
    path.parent.mkdir()
    path.write_bytes(b"")  # the lock never reads the workbook
    return path


@pytest.fixture
def lock(plan_path, qapp):
    lock = PlanLock(plan_path)
    yield lock
    lock.release()


def test_a_second_process_sees_who_holds_the_lock_and_gets_it_after_release(lock, plan_path, tmp_path):
    assert lock.acquire().ok
    assert lock.lock_path.exists() and lock.owner_path.exists()

    seen = run_child(tmp_path, "lock-probe", str(plan_path))
    assert seen["status"] == file_lock.HELD
    assert (seen["pid"], seen["host"], seen["user"]) == (os.getpid(), machine_name(), user_name())
    assert seen["text"] == S.LOCK_HOLDER_SELF  # same PC and user: "another window of yours"

    lock.release()
    assert not lock.lock_path.exists() and not lock.owner_path.exists()
    assert run_child(tmp_path, "lock-probe", str(plan_path))["status"] == file_lock.ACQUIRED


def test_the_lock_of_a_killed_process_is_taken_over(lock, plan_path, tmp_path):
    child = start_child(tmp_path, "lock-hold", str(plan_path))
    try:
        result = lock.acquire()
        assert result.held and result.holder.pid == child.pid
        assert not result.may_take_over  # alive on this PC: never offered
    finally:
        kill(child)
    assert lock.acquire().ok  # QLockFile: dead pid on this host means stale


def test_a_lock_from_another_pc_names_its_user_and_is_never_taken_silently(lock, plan_path):
    fake_foreign_lock(plan_path, user="山田", silent_hours=0)
    result = lock.acquire()
    assert result.held
    assert result.holder_text == "山田さん(PC名: KWS-PC-0042)"
    assert result.holder.since.hour == 9
    assert not result.may_take_over  # its heartbeat is fresh
    assert S.LOCK_HELD_TEXT.format(holder=result.holder_text) == (
        "このファイルは 山田さん(PC名: KWS-PC-0042) が編集中です。読み取り専用で開きますか?"
    )


def test_a_silent_lock_from_another_pc_is_taken_over_only_when_asked(lock, plan_path):
    fake_foreign_lock(plan_path, user="山田", silent_hours=3)
    result = lock.acquire()
    assert result.held and result.may_take_over
    assert lock.acquire().held  # still held: nothing happens without the user's answer
    assert lock.take_over().ok
    assert json.loads(lock.owner_path.read_text(encoding="utf-8"))["pid"] == os.getpid()


def test_without_an_owner_record_the_pc_is_named(lock, plan_path):
    fake_foreign_lock(plan_path, user=None, silent_hours=0)
    assert lock.acquire().holder_text == "PC「KWS-PC-0042」の利用者"


def test_a_lock_whose_owner_cannot_be_read_still_names_someone(lock, plan_path):
    """A lock path taken by a folder (nothing readable in it): held, and the sentence still has a holder."""
    lock.lock_path.mkdir()
    result = lock.acquire()
    assert result.held and result.holder_text == S.LOCK_HOLDER_UNKNOWN
    assert "  " not in S.LOCK_HELD_TEXT.format(holder=result.holder_text)


def test_a_folder_where_no_lock_can_be_made_is_reported_not_fatal(tmp_path, qapp):
    result = PlanLock(tmp_path / "ない" / "計画.xlsx").acquire()
    assert result.status == file_lock.UNAVAILABLE and not result.ok and not result.held


def test_the_heartbeat_refreshes_the_owner_record(monkeypatch, plan_path, qtbot):
    monkeypatch.setattr(file_lock, "HEARTBEAT_MS", 20)
    lock = PlanLock(plan_path)
    assert lock.acquire().ok
    try:
        os.utime(lock.owner_path, (0, 0))
        qtbot.waitUntil(lambda: lock.owner_path.stat().st_mtime > 0)
    finally:
        lock.release()


def test_a_lock_taken_over_from_another_pc_is_noticed(monkeypatch, plan_path, qtbot):
    monkeypatch.setattr(file_lock, "HEARTBEAT_MS", 20)
    lock = PlanLock(plan_path)
    assert lock.acquire().ok
    lock.lock_path.unlink()  # what take_over() on a colleague's PC does once it was told we are silent
    fake_foreign_lock(plan_path, user="山田", silent_hours=0)
    with qtbot.waitSignal(lock.lost):
        pass
    lock.release()
    assert lock.lock_path.exists()  # releasing ours never removes theirs


def test_the_lock_question_offers_take_over_only_for_a_silent_lock(lock, plan_path, qapp):
    fake_foreign_lock(plan_path, user="山田", silent_hours=0)
    box = safety_dialogs.lock_question(None, lock.acquire())
    assert "山田さん(PC名: KWS-PC-0042) が編集中です" in box.text()
    assert {b.text() for b in box.buttons()} == {S.BTN_READ_ONLY, S.BTN_CANCEL}
    assert box.defaultButton().text() == S.BTN_READ_ONLY
    box.deleteLater()

    fake_foreign_lock(plan_path, user="山田", silent_hours=3)
    box = safety_dialogs.lock_question(None, lock.acquire())
    assert S.BTN_TAKE_OVER in [b.text() for b in box.buttons()]
    assert "2時間以上" in box.informativeText()
    box.deleteLater()
