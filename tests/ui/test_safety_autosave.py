"""Autosave and recovery: a killed session's edits come back; a live one's are never offered elsewhere."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from kawasaki_planner.core.plan import FigureRef
from kawasaki_planner.io import safe_write, workbook
from kawasaki_planner.io.safe_write import MSG_VERIFY
from kawasaki_planner.io.workbook import load_plan
from kawasaki_planner.ui import app_paths, safety_dialogs
from kawasaki_planner.ui import safety_strings as S
from kawasaki_planner.ui.autosave import Autosaver, pending_recoveries
from kawasaki_planner.ui.document import PlanDocument
from kawasaki_planner.ui.file_lock import machine_name

from .conftest import SAMPLE_WORKBOOK
from .safety_helpers import EDIT_REF, EDIT_VALUE, kill, run_child, start_child

REF = FigureRef(*EDIT_REF)
NEVER = 3_600_000  # an interval no test waits for
DEAD_PID = 999_999_999  # above any pid_max: no such process


@pytest.fixture(autouse=True)
def data_dir(tmp_path):
    folder = tmp_path / "appdata"
    app_paths.set_data_dir(folder)
    yield folder
    app_paths.set_data_dir(None)


@pytest.fixture(scope="module")
def sample_plan_bytes() -> bytes:
    return SAMPLE_WORKBOOK.read_bytes()


@pytest.fixture
def plan_path(tmp_path, sample_plan_bytes) -> Path:
    path = tmp_path / "計画.xlsx"
    path.write_bytes(sample_plan_bytes)
    return path


@pytest.fixture
def document(plan_path, qapp):
    document = PlanDocument(load_plan(plan_path), plan_path)
    yield document
    document.deleteLater()


def expected_figure():
    plan = load_plan(SAMPLE_WORKBOOK)
    return plan.prepare(REF, EDIT_VALUE)


def test_a_killed_session_is_offered_once_it_is_dead_and_restores_the_edit(plan_path, data_dir, qapp):
    child = start_child(data_dir, "autosave-kill", str(plan_path))
    try:
        assert list((data_dir / "recovery").glob("*/plan.xlsx"))  # the autosave is on disk
        assert pending_recoveries() == []  # live session: not offered to this instance…
        assert run_child(data_dir, "recoveries") == []  # …nor to a third one
    finally:
        kill(child)

    [recovery] = pending_recoveries()
    assert recovery.original == plan_path.resolve()
    assert recovery.load().figure(REF) == expected_figure()
    assert run_child(data_dir, "recoveries") == []  # claimed by this instance while it asks the user

    document = recovery.restore()
    assert document.modified and document.path == plan_path.resolve()
    assert document.plan.figure(REF) == expected_figure()
    recovery.discard()
    assert pending_recoveries() == [] and not recovery.folder.exists()
    document.deleteLater()


def test_a_released_recovery_is_offered_again(plan_path, data_dir, qapp):
    kill(start_child(data_dir, "autosave-kill", str(plan_path)))
    [recovery] = pending_recoveries()
    recovery.release()
    assert run_child(data_dir, "recoveries") == [str(plan_path.resolve())]
    assert len(pending_recoveries()) == 1


def test_autosave_writes_only_unsaved_changes_and_only_once_per_change(document, qtbot):
    autosaver = Autosaver(document, interval_ms=20)
    with qtbot.assertNotEmitted(autosaver.saved, wait=100):
        pass  # clean document: nothing to keep
    with qtbot.waitSignal(autosaver.saved) as saved:
        document.set_figure(REF, EDIT_VALUE, "edit")
    assert load_plan(saved.args[0]).figure(REF) == expected_figure()
    assert pending_recoveries() == []  # this instance's own live session is not a recovery
    with qtbot.assertNotEmitted(autosaver.saved, wait=100):
        pass  # nothing changed since the last autosave
    autosaver.close()


def test_the_timer_waits_for_a_pause_in_typing(document, qtbot, monkeypatch):
    from kawasaki_planner.ui import autosave

    autosaver = Autosaver(document, interval_ms=NEVER)
    document.set_figure(REF, "1人", "edit")
    with qtbot.assertNotEmitted(autosaver.saved):
        autosaver._tick()  # an edit just now: the write is put off, not done mid-burst
    assert autosaver._idle_retry.isActive()
    now = autosave.time.monotonic()
    monkeypatch.setattr(autosave.time, "monotonic", lambda: now + autosave.IDLE_MS / 1000 + 0.1)
    with qtbot.waitSignal(autosaver.saved, timeout=1000):
        autosaver._tick()
    autosaver.close()


def test_edits_alone_never_write_mid_burst(document, qtbot):
    autosaver = Autosaver(document, interval_ms=NEVER)
    with qtbot.assertNotEmitted(autosaver.saved, wait=50):
        for n in range(30):  # however many: only the timer writes, in a pause
            document.set_figure(REF, f"{n + 1}人", "edit")
    assert autosaver.folder is None
    autosaver.close()


def test_saving_the_plan_removes_its_recovery(document, plan_path, qtbot):
    autosaver = Autosaver(document, interval_ms=NEVER)
    document.set_figure(REF, EDIT_VALUE, "edit")
    assert autosaver.save_now()
    folder = autosaver.folder
    assert (folder / "plan.xlsx").exists()
    document.save(plan_path)
    assert not folder.exists() and autosaver.folder is None
    assert not autosaver.save_now()  # saved: nothing to keep
    autosaver.close()


def test_undoing_back_to_the_saved_state_removes_the_recovery(document, qtbot):
    autosaver = Autosaver(document, interval_ms=NEVER)
    document.set_figure(REF, EDIT_VALUE, "edit")
    assert autosaver.save_now()
    folder = autosaver.folder
    document.undo_stack.undo()
    assert not folder.exists()
    autosaver.close()


def test_closing_without_saving_discards_and_stops_watching(document, qtbot):
    autosaver = Autosaver(document, interval_ms=NEVER)
    document.set_figure(REF, EDIT_VALUE, "edit")
    assert autosaver.save_now()
    folder = autosaver.folder
    assert folder.exists()
    autosaver.close()
    assert not folder.exists()
    with qtbot.assertNotEmitted(autosaver.saved):
        document.set_figure(REF, "1人", "edit")  # a closed autosaver ignores a document still being torn down
    assert pending_recoveries() == []


def test_a_failing_autosave_is_reported_once_and_keeps_the_session(document, tmp_path, qtbot):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    app_paths.set_data_dir(blocker / "appdata")  # cannot be created: every write fails
    autosaver = Autosaver(document, interval_ms=NEVER)
    messages = []
    autosaver.failed.connect(messages.append)
    document.set_figure(REF, EDIT_VALUE, "edit")
    assert not autosaver.save_now() and not autosaver.save_now()
    assert len(messages) == 1 and messages[0].startswith("自動保存できませんでした(")
    # The OS's reason in Japanese (here: part of the folder's path is a file), not its English strerror.
    assert "Errno" not in messages[0] and "directory" not in messages[0]
    assert messages[0].endswith("ため)。こまめに保存してください。")
    assert document.plan.figure(REF) == expected_figure() and document.modified
    autosaver.close()


def _writing_instead(monkeypatch, write) -> None:
    """Make every atomic_write use ``write`` for the new file, keeping whatever verification its caller passes."""
    real = safe_write.atomic_write

    def swapped(path, _write_fn, *, verify_fn=None, backups=3):
        return real(path, write, verify_fn=verify_fn, backups=backups)

    monkeypatch.setattr(safe_write, "atomic_write", swapped)
    monkeypatch.setattr(workbook, "atomic_write", swapped, raising=False)  # save_plan's own name for it


def test_the_recovery_workbook_is_verified_like_a_real_save(document, plan_path, qtbot, monkeypatch):
    autosaver = Autosaver(document, interval_ms=NEVER)
    messages = []
    autosaver.failed.connect(messages.append)
    document.set_figure(REF, EDIT_VALUE, "edit")
    assert autosaver.save_now()
    good = (autosaver.folder / "plan.xlsx").read_bytes()
    # A writer that loses the edit: the workbook is valid, but reading it back gives the plan before the edit.
    _writing_instead(monkeypatch, lambda tmp: shutil.copyfile(plan_path, tmp))
    document.set_figure(REF, "1人", "edit")
    assert not autosaver.save_now()
    assert len(messages) == 1 and messages[0].count(MSG_VERIFY) == 1
    assert messages[0] == S.AUTOSAVE_FAILED.format(reason=MSG_VERIFY)
    assert (autosaver.folder / "plan.xlsx").read_bytes() == good, "the last good recovery copy is kept"
    assert sorted(p.name for p in autosaver.folder.iterdir()) == ["plan.xlsx", "recovery.json"]
    autosaver.close()


def test_a_full_disk_is_named_in_japanese_once(document, qtbot, monkeypatch):
    def full(tmp):
        raise OSError(errno.ENOSPC, "No space left on device")

    _writing_instead(monkeypatch, full)
    autosaver = Autosaver(document, interval_ms=NEVER)
    messages = []
    autosaver.failed.connect(messages.append)
    document.set_figure(REF, EDIT_VALUE, "edit")
    assert not autosaver.save_now()
    assert messages == [S.AUTOSAVE_FAILED.format(reason=S.AUTOSAVE_CAUSE.format(cause=safe_write.CAUSE_DISK_FULL))]
    assert messages[0].count(safe_write.CAUSE_DISK_FULL) == 1 and "No space" not in messages[0]
    autosaver.close()


def test_leftovers_without_a_complete_autosave_are_cleaned_up(data_dir, qapp):
    half = app_paths.recovery_dir() / "20250401-090000-1-abcdef01"
    half.mkdir()
    (half / "plan.xlsx").write_bytes(b"")  # killed before the record was written
    lock_only = app_paths.recovery_dir() / "20250401-090000-2-abcdef02.lock"
    lock_only.write_text(f"{DEAD_PID}\npython3\n{machine_name()}\n")  # killed before the folder was made
    assert pending_recoveries() == []
    assert list(app_paths.recovery_dir().iterdir()) == []


def test_the_restore_question_names_the_plan_and_the_time(plan_path, data_dir, qapp):
    kill(start_child(data_dir, "autosave-kill", str(plan_path)))
    [recovery] = pending_recoveries()
    box = safety_dialogs.restore_question(None, recovery)
    assert box.text() == S.RECOVERY_TEXT
    assert box.informativeText().startswith("「計画.xlsx」 ") and "に自動保存" in box.informativeText()
    assert {b.text() for b in box.buttons()} == {S.BTN_RESTORE, S.BTN_DISCARD_RECOVERY, S.BTN_LATER}
    assert box.defaultButton().text() == S.BTN_RESTORE
    box.deleteLater()
    shutil.copy(SAMPLE_WORKBOOK, plan_path)  # the original saved again after the autosave
    assert recovery.original_changed
    recovery.discard()
