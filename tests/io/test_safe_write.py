"""atomic_write under fault injection: whatever goes wrong, the old file survives byte for byte."""

from __future__ import annotations

import errno
import os
import random
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

from kawasaki_planner.io import safe_write
from kawasaki_planner.io.errors import PlanFormatError, SaveError, SaveLockedError
from kawasaki_planner.io.safe_write import MSG_VERIFY, atomic_write, backup_paths, remove_leftovers

OLD = b"old workbook bytes \x00\x01" * 100
LOCKED_TEXT = "他のプログラム(Excelなど)で開かれているか読み取り専用のため保存できません"


@pytest.fixture(autouse=True)
def _no_retry_sleep(monkeypatch):
    monkeypatch.setattr(safe_write, "REPLACE_RETRY_DELAYS", ())


@pytest.fixture
def target(tmp_path) -> Path:
    path = tmp_path / "計画.xlsx"
    path.write_bytes(OLD)
    return path


def _writer(content: bytes):
    return lambda tmp: Path(tmp).write_bytes(content)


def _assert_untouched(target: Path, *, extra: set[str] = frozenset()) -> None:
    assert target.read_bytes() == OLD
    assert {p.name for p in target.parent.iterdir()} == {target.name, *extra}


def test_writes_a_new_file_without_backups_or_leftovers(tmp_path):
    path = tmp_path / "new.xlsx"
    assert atomic_write(path, _writer(b"new")) == []
    assert path.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["new.xlsx"]


def test_temp_file_is_beside_the_target_and_keeps_its_suffix(target):
    seen = []
    atomic_write(target, lambda tmp: (seen.append(Path(tmp)), Path(tmp).write_bytes(b"x")))
    tmp = seen[0]
    assert tmp.parent == target.parent
    assert tmp.name.startswith("~$計画.tmp-") and tmp.suffix == ".xlsx"
    assert not tmp.exists()


def test_backups_rotate_and_never_exceed_n(target):
    for version in range(1, 6):
        atomic_write(target, _writer(b"v%d" % version), backups=3)
    assert target.read_bytes() == b"v5"
    assert [p.read_bytes() for p in backup_paths(target, 3)] == [b"v4", b"v3", b"v2"]
    assert sorted(p.name for p in target.parent.iterdir()) == sorted(
        ["計画.xlsx", "計画.bak1.xlsx", "計画.bak2.xlsx", "計画.bak3.xlsx"]
    )


def test_lowering_n_removes_the_surplus_generations(target):
    for version in range(1, 6):
        atomic_write(target, _writer(b"v%d" % version), backups=4)
    atomic_write(target, _writer(b"v6"), backups=2)
    assert [p.read_bytes() for p in backup_paths(target, 2)] == [b"v5", b"v4"]
    assert len(list(target.parent.iterdir())) == 3


def test_zero_backups_keeps_none(target):
    atomic_write(target, _writer(b"new"), backups=0)
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_write_fn_failing_midway_leaves_everything_untouched(target):
    atomic_write(target, _writer(OLD), backups=3)  # creates bak1 == OLD
    backup_before = backup_paths(target, 1)[0].read_bytes()

    def half_then_fail(tmp):
        Path(tmp).write_bytes(b"partial")
        raise RuntimeError("disk went away")

    with pytest.raises(SaveError) as caught:
        atomic_write(target, half_then_fail)
    assert "保存を中止しました。元のファイルは変更されていません" in str(caught.value)
    assert isinstance(caught.value.__cause__, RuntimeError)
    _assert_untouched(target, extra={"計画.bak1.xlsx"})
    assert backup_paths(target, 1)[0].read_bytes() == backup_before


def test_plan_format_error_from_the_writer_passes_through(target):
    def refuse(tmp):
        raise PlanFormatError("は数値として読めません", sheet="2 権利擁護", cell="E7", value="abc")

    with pytest.raises(PlanFormatError, match="セル E7 の値「abc」は数値として読めません"):
        atomic_write(target, refuse)
    _assert_untouched(target)


def test_disk_full_is_explained(target):
    def full(tmp):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(SaveError, match="空き容量が不足"):
        atomic_write(target, full)
    _assert_untouched(target)


def test_empty_output_is_refused(target):
    with pytest.raises(SaveError, match="保存データが空"):
        atomic_write(target, lambda tmp: None)
    _assert_untouched(target)


def test_verify_failure_leaves_everything_untouched(target):
    checked = []

    def verify(tmp):
        checked.append(Path(tmp).read_bytes())
        raise PlanFormatError("は数値として読めません", sheet="2 権利擁護", cell="E7", value="abc")

    with pytest.raises(SaveError, match="読み直して確認したところ問題が見つかった") as caught:
        atomic_write(target, _writer(b"new"), verify_fn=verify)
    message = str(caught.value)
    assert message.count("セル E7 の値「abc」は数値として読めません") == 1
    assert message.count("保存を中止しました") == 1 and message.count("元のファイルは変更されていません") == 1
    assert checked == [b"new"], "verify_fn reads the new content from the temp file"
    _assert_untouched(target)


def test_a_mismatch_from_the_verification_says_so_once(target):
    # What save_plan's verify raises when the plan read back differs: it must not be wrapped in MSG_VERIFY again.
    def verify(tmp):
        raise SaveError(MSG_VERIFY)

    with pytest.raises(SaveError) as caught:
        atomic_write(target, _writer(b"new"), verify_fn=verify)
    assert str(caught.value).count(MSG_VERIFY) == 1
    assert str(caught.value).count("保存を中止しました") == 1
    _assert_untouched(target)


def test_an_os_error_while_verifying_is_named_in_japanese(target):
    def verify(tmp):
        raise OSError(errno.EIO, "Input/output error")

    with pytest.raises(SaveError) as caught:
        atomic_write(target, _writer(b"new"), verify_fn=verify)
    assert str(caught.value) == safe_write.MSG_OS_ERROR.format(cause=safe_write.CAUSE_IO)
    _assert_untouched(target)


def test_replace_refused_by_the_os_raises_save_locked(target, monkeypatch):
    real_replace = os.replace

    def locked(src, dst):
        if Path(dst) == target:
            raise PermissionError(13, "The process cannot access the file", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(safe_write.os, "replace", locked)
    with pytest.raises(SaveLockedError) as caught:
        atomic_write(target, _writer(b"new"))
    assert LOCKED_TEXT in str(caught.value)
    assert "「名前を付けて保存」で別の名前で保存してください" in str(caught.value)
    _assert_untouched(target)


def test_transient_lock_is_retried(target, monkeypatch):
    monkeypatch.setattr(safe_write, "REPLACE_RETRY_DELAYS", (0, 0))
    real_replace, attempts = os.replace, []

    def flaky(src, dst):
        if Path(dst) == target and len(attempts) < 2:
            attempts.append(dst)
            raise PermissionError(13, "virus scanner", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(safe_write.os, "replace", flaky)
    atomic_write(target, _writer(b"new"))
    assert target.read_bytes() == b"new"


def test_target_held_open_is_refused_before_writing(target, monkeypatch):
    # What Windows does when Excel has the workbook open: opening it for update fails.
    real_open = open

    def sharing_violation(file, mode="r", *args, **kwargs):
        if Path(file) == target and "+" in mode:
            raise PermissionError(13, "sharing violation", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", sharing_violation)
    with pytest.raises(SaveLockedError, match="Excelなど"):
        atomic_write(target, lambda tmp: pytest.fail("must not write when the target is locked"))
    _assert_untouched(target)


def test_read_only_folder_raises_save_locked(target, monkeypatch):
    # Root ignores directory modes, so simulate the OS refusing to create the save's files.
    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safe_write, "_create_exclusive", read_only)
    with pytest.raises(SaveLockedError, match="読み取り専用"):
        atomic_write(target, _writer(b"new"))
    _assert_untouched(target)


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root and Windows ignore POSIX modes")
def test_read_only_folder_by_mode(target):
    target.parent.chmod(0o555)
    try:
        with pytest.raises(SaveLockedError):
            atomic_write(target, _writer(b"new"))
    finally:
        target.parent.chmod(0o755)
    _assert_untouched(target)


def test_missing_folder(tmp_path):
    with pytest.raises(SaveError, match="保存先のフォルダー"):
        atomic_write(tmp_path / "nowhere" / "plan.xlsx", _writer(b"x"))


def test_keyboard_interrupt_cleans_up_and_propagates(target):
    def interrupted(tmp):
        Path(tmp).write_bytes(b"partial")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, interrupted)
    _assert_untouched(target)


def test_backup_failure_does_not_block_the_save(target, monkeypatch):
    def cannot_copy(*args, **kwargs):
        raise PermissionError(13, "backup locked")

    monkeypatch.setattr(safe_write.shutil, "copy2", cannot_copy)
    warnings = atomic_write(target, _writer(b"new"))
    assert target.read_bytes() == b"new"
    assert warnings == ["保存は完了しましたが、バックアップ「計画.bak1.xlsx」を作成できませんでした"]
    assert [p.name for p in target.parent.iterdir()] == [target.name]


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_file_mode_is_kept(target):
    target.chmod(0o640)
    atomic_write(target, _writer(b"new"))
    assert target.stat().st_mode & 0o777 == 0o640


def test_lockless_temps_are_cleaned_only_once_an_hour_old(target):
    # What versions before the save's lock left (mkstemp names, no lock file): nothing can say whether such a
    # save is alive, so only age decides, as before.
    stale = target.with_name("~$計画.tmp-dead_234.xlsx")
    fresh = target.with_name("~$計画.tmp-live_678.xlsx")
    other = target.with_name("~$別の計画.tmp-dead_999.xlsx")
    for path in (stale, fresh, other):
        path.write_bytes(b"junk")
    _age(stale, other)
    atomic_write(target, _writer(b"new"), backups=0)
    assert not stale.exists()
    assert fresh.exists() and other.exists()


def _age(*paths: Path) -> None:
    old = time.time() - 2 * safe_write.STALE_TEMP_SECONDS
    for path in paths:
        os.utime(path, (old, old))


def test_real_workbook_round_trip_with_verification(tmp_path):
    path = tmp_path / "plan.xlsx"

    def write(tmp):
        wb = openpyxl.Workbook()
        wb.active.title = "2 権利擁護"
        wb.active["E7"] = 98
        wb.save(tmp)

    def verify(tmp):
        if openpyxl.load_workbook(tmp)["2 権利擁護"]["E7"].value != 98:
            raise PlanFormatError("内容が一致しません")

    for _ in range(2):
        atomic_write(path, write, verify_fn=verify)
    assert openpyxl.load_workbook(path)["2 権利擁護"]["E7"].value == 98
    assert openpyxl.load_workbook(backup_paths(path, 1)[0])["2 権利擁護"]["E7"].value == 98


# --- what a killed save leaves, and who may remove it ---------------------------------------------------
_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kawasaki_planner.io import safe_write

    target, stage = Path(sys.argv[1]), sys.argv[2]

    def announce_and_hang(*args):
        print("READY", flush=True)
        sys.stdin.read()  # blocks until the parent kills us; no sleeps, no races

    def write(tmp):
        with open(tmp, "wb") as f:
            if stage == "empty":
                announce_and_hang()
            f.write(b"half a workbook" * 1000)
            f.flush()
            if stage == "write":
                announce_and_hang()
            f.write(b"the other half")

    def verify(tmp):
        if stage == "verify":
            announce_and_hang()

    if stage == "replace":  # the new file verified and the old one copied aside, not yet swapped in
        safe_write._replace_with_retry = announce_and_hang
    safe_write.atomic_write(target, write, verify_fn=verify)
    """
)


def _start_child_save(target: Path, stage: str) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(target), stage], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline().strip() == b"READY"
    except BaseException:
        _kill(child)
        raise
    return child


def _kill(child: subprocess.Popen) -> None:
    child.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no cleanup code runs
    child.wait(timeout=30)
    child.stdin.close()
    child.stdout.close()


def _others(target: Path, *keep: Path) -> set[str]:
    return {p.name for p in target.parent.iterdir()} - {target.name, *(p.name for p in keep)}


_STAGE_LEFTOVERS = {  # what each killed stage leaves besides the plan: the temp (empty/truncated/complete), lock, aside
    "empty": {".xlsx", ".lck"},
    "write": {".xlsx", ".lck"},
    "verify": {".xlsx", ".lck"},
    "replace": {".xlsx", ".lck", ".old.xlsx"},
}


@pytest.mark.parametrize("stage", list(_STAGE_LEFTOVERS))
def test_killed_mid_save_leaves_the_old_file_intact_and_the_next_save_removes_its_leftovers(target, stage):
    atomic_write(target, _writer(OLD))  # so there is a .bak1 to protect as well
    bak1 = backup_paths(target, 1)[0]
    _kill(_start_child_save(target, stage))

    assert target.read_bytes() == OLD
    assert bak1.read_bytes() == OLD
    leftovers = _others(target, bak1)
    assert all(name.startswith("~$計画.tmp-") for name in leftovers)
    assert {name[len("~$計画.tmp-") + 8:] for name in leftovers} == _STAGE_LEFTOVERS[stage]
    if stage == "empty":
        assert next(p for p in target.parent.glob("~$*.tmp-*.xlsx")).stat().st_size == 0

    # At once, not an hour later: the dead save's lock is free.
    atomic_write(target, _writer(b"after the crash"))
    assert target.read_bytes() == b"after the crash"
    assert _others(target, *backup_paths(target, 2)) == set()


@pytest.mark.parametrize("stage", ["empty", "verify", "replace"])
def test_remove_leftovers_removes_a_dead_save_and_counts_its_files(target, stage):
    _kill(_start_child_save(target, stage))
    count = len(_others(target))
    assert count == len(_STAGE_LEFTOVERS[stage])
    assert remove_leftovers(target) == count
    assert _others(target) == set() and target.read_bytes() == OLD
    assert remove_leftovers(target) == 0


def test_a_save_running_in_another_process_is_left_alone(target):
    child = _start_child_save(target, "verify")
    try:
        theirs = _others(target)
        assert len(theirs) == 2  # its temp and its lock
        assert remove_leftovers(target) == 0
        atomic_write(target, _writer(b"ours"), backups=0)  # our own save of the same plan meanwhile
        assert target.read_bytes() == b"ours"
        assert _others(target) == theirs, "a live save's files are never removed"
    finally:
        _kill(child)
    assert remove_leftovers(target) == 2
    assert _others(target) == set()


_PROBE = "import sys; from kawasaki_planner.io.safe_write import remove_leftovers; print(remove_leftovers(sys.argv[1]))"


def test_a_save_in_this_process_is_left_alone_and_keeps_its_lock(target):
    seen = {}

    def clean_meanwhile(tmp):
        # A cleaner in the same process (the window opening the plan while a save runs): POSIX would grant it
        # the live save's lock, and closing its handle would drop that lock for every other process too.
        assert remove_leftovers(target) == 0
        assert Path(tmp).exists()
        probe = subprocess.run([sys.executable, "-c", _PROBE, str(target)], capture_output=True, text=True, timeout=60)
        seen["other process removed"] = probe.stdout.strip()
        assert Path(tmp).exists()

    def write(tmp):
        Path(tmp).write_bytes(b"new")
        clean_meanwhile(tmp)

    atomic_write(target, write, verify_fn=clean_meanwhile)
    assert seen["other process removed"] == "0"
    assert target.read_bytes() == b"new"
    assert _others(target, *backup_paths(target, 1)) == set()


def test_the_edit_locks_files_are_never_touched(target):
    lock, owner = target.with_name("~$計画.xlsx.lock"), target.with_name("~$計画.xlsx.owner")
    other_lock = target.with_name("~$計画.tmp-12345678.xlsx.lock")  # the edit lock of a plan named 計画.tmp-12345678
    for path in (lock, owner, other_lock):
        path.write_text("4242\nkawasaki-planner\nPC-1\n")
    _age(lock, owner, other_lock)
    _kill(_start_child_save(target, "write"))
    atomic_write(target, _writer(b"new"))
    assert remove_leftovers(target) == 0
    assert _others(target, *backup_paths(target, 1)) == {lock.name, owner.name, other_lock.name}
    assert lock.read_text() == "4242\nkawasaki-planner\nPC-1\n"


def test_an_orphan_lock_file_is_removed_and_a_fresh_lockless_temp_kept(target):
    orphan = target.with_name("~$計画.tmp-0badf00d.lck")  # killed after its temps were gone
    lockless = target.with_name("~$計画.tmp-0badf00e.xlsx")  # its lock already removed: age decides
    orphan.write_bytes(b"")
    lockless.write_bytes(b"x")
    assert remove_leftovers(target) == 1
    assert _others(target) == {lockless.name}


def test_without_locks_on_the_filesystem_only_age_decides(target, monkeypatch):
    monkeypatch.setattr(safe_write, "_try_lock", lambda fd: None)
    old = [target.with_name(f"~$計画.tmp-0000aaaa{tail}") for tail in (".xlsx", ".lck")]
    new = [target.with_name(f"~$計画.tmp-0000bbbb{tail}") for tail in (".xlsx", ".lck")]
    for path in (*old, *new):
        path.write_bytes(b"x")
    _age(*old)
    atomic_write(target, _writer(b"saved without a lock"), backups=0)
    assert target.read_bytes() == b"saved without a lock"
    assert _others(target) == {p.name for p in new}


def test_remove_leftovers_never_raises(tmp_path):
    assert remove_leftovers(tmp_path / "nowhere" / "計画.xlsx") == 0
    assert remove_leftovers(tmp_path / ("あ" * 300 + ".xlsx")) == 0


def test_saves_killed_at_random_moments_leave_nothing_after_the_next_save(target):
    # Each child saves in a loop (a 300 kB write in pieces, then a read-back) and is killed after a random delay.
    loop = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from kawasaki_planner.io.safe_write import atomic_write

        target, payload = Path(sys.argv[1]), sys.argv[2].encode() * 100_000

        def write(tmp):
            with open(tmp, "wb") as f:
                for start in range(0, len(payload), 4096):
                    f.write(payload[start:start + 4096])
                    f.flush()

        def verify(tmp):
            assert Path(tmp).read_bytes() == payload

        print("READY", flush=True)
        while True:
            atomic_write(target, write, verify_fn=verify, backups=2)
        """
    )
    rng = random.Random(20250401)
    payloads = {OLD}
    for i in range(10):
        tag = f"v{i:02d}"
        payloads.add(tag.encode() * 100_000)
        child = subprocess.Popen([sys.executable, "-c", loop, str(target), tag], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE)
        try:
            assert child.stdout.readline().strip() == b"READY"
            time.sleep(rng.uniform(0, 0.15))
        finally:
            _kill(child)
        assert target.read_bytes() in payloads, "the plan is always a complete version"
        # Each save removed what the one killed before it left: leftovers never pile up (39 after 60 kills, before).
        assert len(_others(target, *backup_paths(target, 2))) <= len(_STAGE_LEFTOVERS["replace"])
    atomic_write(target, _writer(b"final"), backups=2)
    assert target.read_bytes() == b"final"
    assert _others(target, *backup_paths(target, 2)) == set()
    assert all(p.read_bytes() in payloads for p in backup_paths(target, 2) if p.exists())


# --- names at the limit -------------------------------------------------------------------------------
def _name_bytes(path: Path | str) -> int:
    return len(os.fsencode(Path(path).name))


@pytest.mark.skipif(os.name == "nt", reason="POSIX filesystems count bytes")
def test_a_248_byte_japanese_name_saves_and_gets_its_backups(tmp_path):
    target = tmp_path / ("あ" * 81 + ".xlsx")
    assert _name_bytes(target) == 248
    target.write_bytes(OLD)
    seen: list[Path] = []

    def write(tmp):
        seen.extend(Path(tmp).parent.iterdir())  # the temp and the lock, as they exist during the save
        Path(tmp).write_bytes(b"new")

    assert atomic_write(target, write, verify_fn=lambda tmp: None) == []
    assert atomic_write(target, _writer(b"newer")) == []
    assert target.read_bytes() == b"newer"
    bak1, bak2 = backup_paths(target, 2)
    assert bak1.name == "あ" * 81 + ".bak1.xlsx"  # fits (253 bytes): the usual name
    assert (bak1.read_bytes(), bak2.read_bytes()) == (b"new", OLD)
    temps = [p for p in seen if p.name.startswith("~$")]
    assert len(temps) == 2 and all(_name_bytes(p) <= 255 for p in temps)
    assert all(p.name.startswith("~$あああ") for p in temps), "the stem is shortened, not dropped"
    assert _others(target, bak1, bak2) == set()


@pytest.mark.skipif(os.name == "nt", reason="POSIX filesystems count bytes")
def test_a_name_at_the_limit_gets_shortened_backups_that_rotate(tmp_path):
    target = tmp_path / ("あ" * 83 + ".xlsx")  # 254 bytes: "<stem>.bak1.xlsx" would be 259
    other = tmp_path / ("あ" * 82 + "い.xlsx")  # starts alike: its backups must stay apart
    for path in (target, other):
        path.write_bytes(OLD)
    for version in range(1, 5):
        atomic_write(target, _writer(b"v%d" % version), backups=3)
    atomic_write(other, _writer(b"other"), backups=3)
    paths = backup_paths(target, 3)
    assert [p.read_bytes() for p in paths] == [b"v3", b"v2", b"v1"]
    assert all(_name_bytes(p) <= 255 and p.name.startswith("あ" * 60) for p in paths)
    assert [p.name[-10:] for p in paths] == [".bak1.xlsx", ".bak2.xlsx", ".bak3.xlsx"]
    assert backup_paths(other, 1)[0].read_bytes() == OLD
    assert target.read_bytes() == b"v4" and other.read_bytes() == b"other"
    assert len(list(tmp_path.iterdir())) == 2 + 3 + 1  # no leftovers


def test_an_ascii_name_of_255_bytes_saves(tmp_path):
    target = tmp_path / ("a" * 250 + ".xlsx")
    target.write_bytes(OLD)
    atomic_write(target, _writer(b"new"))
    assert target.read_bytes() == b"new" and backup_paths(target, 1)[0].read_bytes() == OLD
    assert len(list(tmp_path.iterdir())) == 2


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_windows_names_are_measured_in_utf16_units(tmp_path):
    target = tmp_path / ("あ" * 245 + ".xlsx")  # 250 units: fine on NTFS (740 bytes: not here)
    layout = safe_write._layout(target, windows=True)
    names = [layout.new("0123abcd"), layout.aside("0123abcd"), layout.lock("0123abcd")]
    assert max(map(_utf16, names)) == 255 and names[0].startswith("~$あ") and names[0].endswith(".xlsx")
    backup = safe_write._backup_name(target, 1, windows=True)
    assert _utf16(backup) <= 255 and backup.endswith(".bak1.xlsx")
    # An emoji is two UTF-16 units: never cut in half.
    emoji = safe_write._layout(tmp_path / ("😀" * 124 + ".xlsx"), windows=True).new("0123abcd")
    assert _utf16(emoji) <= 255 and emoji.encode("utf-16-le", "strict")


def test_windows_temp_paths_stay_within_max_path_while_the_plan_does(tmp_path):
    folder = tmp_path / ("d" * (200 - len(os.path.abspath(tmp_path)) - 1))
    target = folder / ("川崎市社会的養育推進計画" * 4 + ".xlsx")
    assert len(os.path.abspath(target)) == 254
    layout = safe_write._layout(target, windows=True)
    longest = max(len(os.path.abspath(folder / layout.aside("0123abcd"))), len(os.path.abspath(folder / layout.lock("0123abcd"))))
    assert longest == 259
    assert layout.new("0123abcd").startswith("~$川崎市")
    assert len(os.path.abspath(folder / safe_write._backup_name(target, 3, windows=True))) <= 259


# --- every failure names its cause once, in Japanese -------------------------------------------------------
_CAUSES = [
    (errno.ENOSPC, "No space left on device", safe_write.CAUSE_DISK_FULL),
    (errno.EDQUOT, "Disk quota exceeded", safe_write.CAUSE_QUOTA),
    (errno.ENAMETOOLONG, "File name too long", safe_write.CAUSE_NAME_TOO_LONG),
    (errno.ENOENT, "No such file or directory", safe_write.CAUSE_NOT_FOUND),
    (errno.EIO, "Input/output error", safe_write.CAUSE_IO),
    (errno.EBUSY, "Device or resource busy", safe_write.CAUSE_BUSY),
    (errno.ETXTBSY, "Text file busy", safe_write.CAUSE_BUSY),
    (errno.EMFILE, "Too many open files", safe_write.CAUSE_TOO_MANY_FILES),
    (errno.EEXIST, "File exists", safe_write.CAUSE_EXISTS),
    (errno.ESTALE, "Stale file handle", safe_write.CAUSE_NETWORK),
    (9999, "Some new error", safe_write.CAUSE_UNKNOWN_CODE.format(code=9999)),
]


@pytest.mark.parametrize(("code", "english", "cause"), _CAUSES)
def test_os_errors_are_explained_in_japanese_once(target, code, english, cause):
    def fail(tmp):
        raise OSError(code, english)

    with pytest.raises(SaveError) as caught:
        atomic_write(target, fail)
    message = str(caught.value)
    assert message == safe_write.MSG_OS_ERROR.format(cause=cause)
    assert message.count(cause) == 1 and english not in message and "Errno" not in message
    _assert_untouched(target)


def test_disk_full_is_the_documented_sentence(target):
    with pytest.raises(SaveError) as caught:
        atomic_write(target, lambda tmp: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")))
    assert str(caught.value) == safe_write.MSG_DISK_FULL
    assert safe_write.MSG_DISK_FULL == "ディスクの空き容量が不足しているため保存できません。元のファイルは変更されていません"


def test_a_read_only_filesystem_offers_another_place(target, monkeypatch):
    real_replace = os.replace

    def read_only(src, dst):
        if Path(dst) == target:
            raise OSError(errno.EROFS, "Read-only file system", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(safe_write.os, "replace", read_only)
    with pytest.raises(SaveLockedError) as caught:
        atomic_write(target, _writer(b"new"))
    assert str(caught.value) == safe_write.MSG_LOCKED_ELSEWHERE.format(cause=safe_write.CAUSE_READ_ONLY_MEDIA)
    assert "Read-only" not in str(caught.value)
    _assert_untouched(target)


def test_a_name_the_filesystem_refuses_is_explained(tmp_path):
    target = tmp_path / ("a" * 300 + ".xlsx")  # longer than any Linux/Windows filesystem takes
    with pytest.raises(SaveError) as caught:
        atomic_write(target, _writer(b"new"))
    assert safe_write.CAUSE_NAME_TOO_LONG in str(caught.value) and "too long" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("winerror", "cause"), [(32, safe_write.CAUSE_SHARING), (33, safe_write.CAUSE_LOCK_VIOLATION)])
def test_windows_sharing_and_lock_violations_are_named(target, monkeypatch, winerror, cause):
    real_replace = os.replace

    def violation(src, dst):
        if Path(dst) == target:
            error = PermissionError(errno.EACCES, "The process cannot access the file", str(dst))
            error.winerror = winerror  # what Windows sets; on POSIX the attribute is simply added
            raise error
        return real_replace(src, dst)

    monkeypatch.setattr(safe_write.os, "replace", violation)
    with pytest.raises(SaveLockedError) as caught:
        atomic_write(target, _writer(b"new"))
    assert str(caught.value) == safe_write.MSG_LOCKED.format(cause=cause)
    _assert_untouched(target)


def test_every_cause_is_japanese():
    causes = {*safe_write._CAUSE_BY_ERRNO.values(), *safe_write._CAUSE_BY_WINERROR.values(), safe_write.CAUSE_UNKNOWN}
    for cause in causes:
        assert not re.search(r"[A-Za-z]{2,}", cause.replace("Excel", "")), cause
    assert safe_write.os_error_cause(OSError("something in English")) == safe_write.CAUSE_UNKNOWN
