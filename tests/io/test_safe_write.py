"""atomic_write under fault injection: whatever goes wrong, the old file survives byte for byte."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

from kawasaki_planner.io import safe_write
from kawasaki_planner.io.errors import PlanFormatError, SaveError, SaveLockedError
from kawasaki_planner.io.safe_write import atomic_write, backup_paths

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
        raise PlanFormatError("計画の内容が一致しません")

    with pytest.raises(SaveError, match="読み直して確認したところ内容が一致しない") as caught:
        atomic_write(target, _writer(b"new"), verify_fn=verify)
    assert "計画の内容が一致しません" in str(caught.value)
    assert checked == [b"new"], "verify_fn reads the new content from the temp file"
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
    # Root ignores directory modes, so simulate the OS refusing to create the temp file.
    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safe_write.tempfile, "mkstemp", read_only)
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


def test_stale_temp_files_are_cleaned_but_fresh_ones_kept(target):
    stale = target.with_name("~$計画.tmp-dead1234.xlsx")
    fresh = target.with_name("~$計画.tmp-live5678.xlsx")
    other = target.with_name("~$別の計画.tmp-dead9999.xlsx")
    for path in (stale, fresh, other):
        path.write_bytes(b"junk")
    old = time.time() - 2 * safe_write.STALE_TEMP_SECONDS
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    atomic_write(target, _writer(b"new"), backups=0)
    assert not stale.exists()
    assert fresh.exists() and other.exists()


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


_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kawasaki_planner.io.safe_write import atomic_write

    target, stage = Path(sys.argv[1]), sys.argv[2]

    def announce_and_hang():
        print("READY", flush=True)
        sys.stdin.read()  # blocks until the parent kills us; no sleeps, no races

    def write(tmp):
        with open(tmp, "wb") as f:
            f.write(b"half a workbook" * 1000)
            f.flush()
            if stage == "write":
                announce_and_hang()
            f.write(b"the other half")

    def verify(tmp):
        announce_and_hang()

    atomic_write(target, write, verify_fn=verify)
    """
)


@pytest.mark.parametrize("stage", ["write", "verify"])
def test_killed_mid_save_leaves_the_old_file_intact(target, stage):
    atomic_write(target, _writer(OLD))  # so there is a .bak1 to protect as well
    bak1 = backup_paths(target, 1)[0]
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(target), stage],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert child.stdout.readline().strip() == b"READY"
    finally:
        child.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no cleanup code runs
        child.wait(timeout=30)
        child.stdin.close()
        child.stdout.close()

    assert target.read_bytes() == OLD
    assert bak1.read_bytes() == OLD
    leftovers = {p.name for p in target.parent.iterdir()} - {target.name, bak1.name}
    assert len(leftovers) == 1 and next(iter(leftovers)).startswith("~$計画.tmp-")

    # The next save works, and once the leftover is old enough it is swept away.
    stale = target.parent / leftovers.pop()
    old = time.time() - 2 * safe_write.STALE_TEMP_SECONDS
    os.utime(stale, (old, old))
    atomic_write(target, _writer(b"after the crash"))
    assert target.read_bytes() == b"after the crash"
    assert not stale.exists()
