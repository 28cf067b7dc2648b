"""Saving that cannot corrupt the plan workbook (安全な保存). No Qt: the CLI saves the same way as the GUI.

``atomic_write(path, write_fn, verify_fn=..., backups=3)``:

1. Refuse early, before any work, if the target cannot be opened for writing (Excel holds it open on
   Windows, or it is read-only) -> SaveLockedError.
2. ``write_fn(tmp)`` writes the whole new file to ``~$<name>.tmp-XXXXXXXX<suffix>`` in the *same folder*
   (so the final rename is atomic and never crosses drives; Office and OneDrive already treat ``~$`` files
   as temporary and do not sync them). The temp file is fsync'd.
3. ``verify_fn(tmp)`` reads it back (the loader loads the workbook and compares plans) and raises if wrong.
4. The current file is copied aside, then ``os.replace(tmp, path)`` swaps the new file in atomically.
5. Only after that succeeds are backups rotated: ``<stem>.bak1<suffix>`` (the version just replaced),
   ``.bak2`` … ``.bak<N>`` beside the file, where a user can find and open them in Excel. Never more than N.

If anything fails before step 4 completes, the original file and the backups are untouched and the temp
files are removed. A process killed mid-save leaves at most a stale ``~$…tmp-`` file, which a later save
removes once it is an hour old.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .errors import PlanFormatError, SaveError, SaveLockedError

# Windows virus scanners and sync clients briefly lock a freshly written file; a short retry rides that out.
REPLACE_RETRY_DELAYS: tuple[float, ...] = (0.1, 0.3, 0.6)
STALE_TEMP_SECONDS = 3600

MSG_NO_FOLDER = "保存先のフォルダー「{folder}」が見つからないため保存できません"
MSG_IS_FOLDER = "「{name}」はフォルダーのため保存できません。ファイル名を指定してください"
MSG_DISK_FULL = "ディスクの空き容量が不足しているため保存できません。元のファイルは変更されていません"
MSG_OS_ERROR = "ファイルの書き込みに失敗したため保存できません({detail})。元のファイルは変更されていません"
MSG_FAILED = "保存中にエラーが発生したため保存を中止しました。元のファイルは変更されていません"
MSG_EMPTY = "保存データが空だったため保存を中止しました。元のファイルは変更されていません"
MSG_VERIFY = "保存したファイルを読み直して確認したところ内容が一致しないため、保存を中止しました。元のファイルは変更されていません"
WARN_BACKUP = "保存は完了しましたが、バックアップ「{name}」を作成できませんでした"


def backup_paths(path: str | Path, backups: int) -> list[Path]:
    """``[<stem>.bak1<suffix>, …, <stem>.bak<N><suffix>]``, newest first."""
    target = Path(path)
    return [target.with_name(f"{target.stem}.bak{i}{target.suffix}") for i in range(1, backups + 1)]


def atomic_write(
    path: str | Path,
    write_fn: Callable[[Path], object],
    *,
    verify_fn: Callable[[Path], object] | None = None,
    backups: int = 3,
) -> list[str]:
    """Replace ``path`` with what ``write_fn`` writes, or leave it untouched; returns Japanese warnings.

    Raises SaveLockedError when the file or folder cannot be written, SaveError for any other failure,
    and lets a PlanFormatError from ``write_fn`` through unchanged (its message already explains itself).
    """
    target = Path(path)
    if target.is_symlink():  # replace the file the link points at, not the link
        target = Path(os.path.realpath(target))
    _preflight(target)
    _remove_stale_temps(target)

    tmp = _create_temp(target)
    aside: Path | None = None
    committed = False
    try:
        try:
            write_fn(tmp)
            _fsync_file(tmp)
        except PlanFormatError:
            raise
        except Exception as exc:
            raise _translate(exc) from exc
        if tmp.stat().st_size == 0:
            raise SaveError(MSG_EMPTY)
        if verify_fn is not None:
            try:
                verify_fn(tmp)
            except Exception as exc:
                detail = f"({exc})" if isinstance(exc, PlanFormatError) else ""
                raise SaveError(MSG_VERIFY + detail) from exc
        existed = target.exists()
        # mkstemp makes the file private (0600); keep the old file's mode, or an ordinary one for a new file.
        with contextlib.suppress(OSError):
            if existed:
                shutil.copymode(target, tmp)
            else:
                tmp.chmod(0o644)
        if existed and backups > 0:
            aside = _copy_aside(target)
        try:
            _replace_with_retry(tmp, target)
        except Exception as exc:
            raise _translate(exc) from exc
        committed = True
        _fsync_directory(target.parent)
        return _rotate_backups(target, aside, backups) if existed else []
    finally:
        if not committed:
            for leftover in (tmp, aside):
                if leftover is not None:
                    with contextlib.suppress(OSError):
                        leftover.unlink()


def _translate(exc: BaseException) -> SaveError:
    if isinstance(exc, SaveError):
        return exc
    if isinstance(exc, PermissionError):
        return SaveLockedError()
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return SaveError(MSG_DISK_FULL)
    if isinstance(exc, OSError):
        return SaveError(MSG_OS_ERROR.format(detail=exc.strerror or type(exc).__name__))
    return SaveError(MSG_FAILED)


def _preflight(target: Path) -> None:
    """Fail before writing anything when the save cannot succeed."""
    if not target.parent.is_dir():
        raise SaveError(MSG_NO_FOLDER.format(folder=target.parent))
    if target.is_dir():
        raise SaveError(MSG_IS_FOLDER.format(name=target.name))
    if target.exists():
        try:
            # Opening for update neither truncates nor touches mtime, but fails exactly when Excel holds the
            # file (Windows sharing violation) or it is read-only.
            with open(target, "r+b"):
                pass
        except PermissionError as exc:
            raise SaveLockedError() from exc
        except OSError as exc:
            raise _translate(exc) from exc


def _temp_prefix(target: Path) -> str:
    return f"~${target.stem}.tmp-"


def _create_temp(target: Path) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=target.suffix, dir=target.parent)
    except PermissionError as exc:  # read-only folder
        raise SaveLockedError() from exc
    except OSError as exc:
        raise _translate(exc) from exc
    os.close(fd)  # write_fn opens the path itself; on Windows an open handle here could get in its way
    return Path(name)


def _remove_stale_temps(target: Path) -> None:
    prefix, cutoff = _temp_prefix(target), time.time() - STALE_TEMP_SECONDS
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            if entry.name.startswith(prefix) and entry.name.endswith(target.suffix):
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime < cutoff:
                        entry.unlink()


def _fsync_file(path: Path) -> None:
    with open(path, "r+b") as f:  # Windows only flushes through a handle opened for writing
        os.fsync(f.fileno())


def _fsync_directory(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder and commits renames itself)."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _copy_aside(target: Path) -> Path | None:
    """Copy the current version to a temp name; it becomes .bak1 only once the save has succeeded."""
    try:
        aside = _create_temp(target)
    except SaveError:
        return None
    try:
        shutil.copy2(target, aside)
    except OSError:
        with contextlib.suppress(OSError):
            aside.unlink()
        return None
    return aside


def _replace_with_retry(source: Path, target: Path) -> None:
    for delay in REPLACE_RETRY_DELAYS:
        try:
            os.replace(source, target)
            return
        except PermissionError:
            time.sleep(delay)
    os.replace(source, target)


def _rotate_backups(target: Path, aside: Path | None, backups: int) -> list[str]:
    if backups <= 0:
        return []
    paths = backup_paths(target, backups)
    if aside is None:
        return [WARN_BACKUP.format(name=paths[0].name)]
    try:
        extra = backups + 1  # left over from a run with a larger N
        while (stale := target.with_name(f"{target.stem}.bak{extra}{target.suffix}")).exists():
            stale.unlink()
            extra += 1
        for newer, older in zip(reversed(paths[:-1]), reversed(paths[1:]), strict=True):
            if newer.exists():
                os.replace(newer, older)
        os.replace(aside, paths[0])
    except OSError:
        with contextlib.suppress(OSError):
            aside.unlink()
        return [WARN_BACKUP.format(name=paths[0].name)]
    return []
