"""Saving that cannot corrupt the plan workbook (安全な保存). No Qt: the CLI saves the same way as the GUI.

``atomic_write(path, write_fn, verify_fn=..., backups=3)``:

1. Remove what earlier, killed saves of this plan left behind (``remove_leftovers``, below), then refuse early,
   before any work, if the target cannot be opened for writing (Excel holds it open on Windows, or it is
   read-only) -> SaveLockedError.
2. Take the save's lock: create ``~$<stem>.tmp-<token>.lck`` and hold an OS lock on it until the save is over.
3. ``write_fn(tmp)`` writes the whole new file to ``~$<stem>.tmp-<token><suffix>`` in the *same folder* (so the
   final rename is atomic and never crosses drives; Office and OneDrive already treat ``~$`` files as
   temporary and do not sync them). The temp file is fsync'd.
4. ``verify_fn(tmp)`` reads it back (the loader loads the workbook and compares plans) and raises if wrong.
5. The current file is copied aside (``~$<stem>.tmp-<token>.old<suffix>``), then ``os.replace(tmp, path)``
   swaps the new file in atomically.
6. Only after that succeeds are backups rotated: ``<stem>.bak1<suffix>`` (the version just replaced),
   ``.bak2`` … ``.bak<N>`` beside the file, where a user can find and open them in Excel. Never more than N.
7. The lock file is removed and the lock released, last.

If anything fails before step 5 completes, the original file and the backups are untouched and the temp files
are removed. A process killed mid-save (or a PC losing power) leaves its temp files and its lock file; the OS
drops the lock with the process, so the next open (``load_plan`` calls ``remove_leftovers``) or save of that
plan, on any PC, removes them.

Why an OS lock and not "pid + PC name in the temp name": plans live on a shared folder and are opened from
several PCs. A pid only means something on the PC that wrote it, so a cleaner on PC B could never tell whether
PC A's save is still running; it would either never clean (leftovers of a crashed PC stay for ever) or guess
by age (and remove a slow save's temp on a busy share). PC names are not unique either (cloned images, the
same user on two PCs), and pids are reused. A byte-range lock is kept by the file server itself (SMB for
Windows clients and Linux cifs mounts, NLM/NFSv4 for NFS), so every client sees the same answer, and the
server drops it when the holder's process dies or its PC vanishes from the network. The cleaner removes a
save's files only after taking that save's lock itself; if it cannot, the save is alive. The lock sits on a
companion file rather than on the temp: on Windows a locked temp could not be written through ``write_fn``'s
own handle nor renamed onto the plan, and a POSIX lock would drop as soon as ``write_fn`` or ``verify_fn``
closed a handle of their own on the temp. POSIX locks are per process, so saves of *this* process are also
kept in ``_ACTIVE`` and the cleaner never opens their lock file at all (its close would release the lock).

A lock that cannot be taken on a filesystem without locking support is not taken as proof of anything: such
temps, and those of earlier versions (no lock file), are removed only once they are an hour old, as before.
If a share drops a live save's lock (a network outage longer than the server's timeout), another PC may
remove that save's temp; the save then fails with an error and the original file is still untouched.

Names always fit: the stem in the temp names is shortened so the longest of them stays within the folder's
file-name limit (255 bytes on Linux/macOS filesystems, 255 UTF-16 units on Windows, and within MAX_PATH on
Windows when the plan's own path is), so every name the OS accepts for the plan can be saved. A backup name
that would not fit is shortened too, to ``<shortened stem>~<6 hex of the full name>.bak1<suffix>``: the hash
keeps two long names that start alike from rotating each other's backups; the backup is only skipped (with
WARN_BACKUP) if not even that fits (a suffix of hundreds of characters).

Every failure is a SaveError whose message names its cause once, in Japanese (``os_error_cause``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import PlanFormatError, SaveError, SaveLockedError

_WINDOWS = os.name == "nt"
if _WINDOWS:
    import msvcrt
else:
    import fcntl

# Windows virus scanners and sync clients briefly lock a freshly written file; a short retry rides that out.
REPLACE_RETRY_DELAYS: tuple[float, ...] = (0.1, 0.3, 0.6)
# Only for temps whose lock cannot answer: earlier versions' leftovers and filesystems without locks.
STALE_TEMP_SECONDS = 3600

TEMP_MARK = ".tmp-"
LOCK_TAIL = ".lck"  # not ".lock"/".owner": those end the edit lock's files (ui/file_lock.py)
ASIDE_TAIL = ".old"
_TOKEN_HEX = 8
_TOKEN_ATTEMPTS = 20
_NAME_MAX = 255
_MAX_PATH_CHARS = 259  # Windows MAX_PATH (260) less the terminating NUL, when long paths are not enabled
_EDIT_LOCK_ENDINGS = (".lock", ".owner")

MSG_NO_FOLDER = "保存先のフォルダー「{folder}」が見つからないため保存できません"
MSG_IS_FOLDER = "「{name}」はフォルダーのため保存できません。ファイル名を指定してください"
MSG_OS_ERROR = "{cause}ため保存できません。元のファイルは変更されていません"
MSG_LOCKED = "{cause}ため保存できません。「名前を付けて保存」で別の名前で保存してください"
MSG_LOCKED_ELSEWHERE = "{cause}ため保存できません。「名前を付けて保存」で別の場所に保存してください"
MSG_FAILED = "保存中にエラーが発生したため保存を中止しました。元のファイルは変更されていません"
MSG_EMPTY = "保存データが空だったため保存を中止しました。元のファイルは変更されていません"
MSG_VERIFY = "保存したファイルを読み直して確認したところ内容が一致しないため、保存を中止しました。元のファイルは変更されていません"
MSG_VERIFY_DETAIL = (
    "保存したファイルを読み直して確認したところ問題が見つかったため、保存を中止しました({detail})。元のファイルは変更されていません"
)
MSG_VERIFY_FAILED = "保存したファイルを読み直して確認できなかったため、保存を中止しました。元のファイルは変更されていません"
WARN_BACKUP = "保存は完了しましたが、バックアップ「{name}」を作成できませんでした"

# --- causes: each is the phrase before 「ため」, so one sentence names it once ---------------------------------
CAUSE_DISK_FULL = "ディスクの空き容量が不足している"
CAUSE_QUOTA = "保存先で使える容量の上限に達している"
CAUSE_DENIED = "ファイルまたはフォルダーへの書き込みが許可されていない"
CAUSE_READ_ONLY_MEDIA = "保存先のドライブまたは共有フォルダーが読み取り専用の"
CAUSE_NAME_TOO_LONG = "ファイル名または保存先の場所が長すぎる"
CAUSE_NOT_FOUND = "保存先のフォルダーまたはファイルが見つからない"
CAUSE_IO = "ディスクまたはネットワークの読み書きに失敗した"
CAUSE_BUSY = "ファイルが他のプログラムで使用中の"
CAUSE_SHARING = "ファイルが他のプログラム(Excelなど)で開かれている"
CAUSE_LOCK_VIOLATION = "ファイルの一部が他のプログラムによってロックされている"
CAUSE_TOO_MANY_FILES = "同時に開いているファイルが多すぎる"
CAUSE_EXISTS = "同じ名前のファイルがすでにある"
CAUSE_IS_FOLDER = "同じ名前のフォルダーがある"
CAUSE_NOT_FOLDER = "保存先の場所にフォルダーではないファイルが含まれている"
CAUSE_BAD_NAME = "ファイル名または保存先の場所に使えない文字が含まれている"
CAUSE_TOO_BIG = "ファイルが大きすぎる"
CAUSE_NO_MEMORY = "メモリが不足している"
CAUSE_NETWORK = "ネットワーク(共有フォルダー)との接続が切れた"
CAUSE_UNKNOWN = "ファイルの読み書きでエラーが発生した"
CAUSE_UNKNOWN_CODE = "ファイルの読み書きでエラー(エラー番号 {code})が発生した"
MSG_DISK_FULL = MSG_OS_ERROR.format(cause=CAUSE_DISK_FULL)


def _errno_causes() -> dict[int, str]:
    table = (
        (CAUSE_DISK_FULL, ("ENOSPC",)),
        (CAUSE_QUOTA, ("EDQUOT",)),
        (CAUSE_DENIED, ("EACCES", "EPERM")),
        (CAUSE_READ_ONLY_MEDIA, ("EROFS",)),
        (CAUSE_NAME_TOO_LONG, ("ENAMETOOLONG",)),
        (CAUSE_NOT_FOUND, ("ENOENT",)),
        (CAUSE_IO, ("EIO",)),
        (CAUSE_BUSY, ("EBUSY", "ETXTBSY")),
        (CAUSE_TOO_MANY_FILES, ("EMFILE", "ENFILE")),
        (CAUSE_EXISTS, ("EEXIST", "ENOTEMPTY")),
        (CAUSE_IS_FOLDER, ("EISDIR",)),
        (CAUSE_NOT_FOLDER, ("ENOTDIR",)),
        (CAUSE_BAD_NAME, ("EINVAL", "EILSEQ")),
        (CAUSE_TOO_BIG, ("EFBIG",)),
        (CAUSE_NO_MEMORY, ("ENOMEM",)),
        (CAUSE_NETWORK, ("ESTALE", "ETIMEDOUT", "EHOSTDOWN", "EHOSTUNREACH", "ENETDOWN", "ENETUNREACH", "ENETRESET",
                         "ECONNABORTED", "ECONNRESET", "ECONNREFUSED", "ENOLINK", "EREMOTEIO")),
    )
    causes: dict[int, str] = {}
    for cause, names in table:
        for code in _errnos(*names):
            causes.setdefault(code, cause)  # first wins where a platform gives two names one number
    return causes


def _errnos(*names: str) -> list[int]:
    return [getattr(errno, name) for name in names if hasattr(errno, name)]  # not every platform has each


_CAUSE_BY_ERRNO = _errno_causes()

# Windows error codes are more precise than the errno Python derives from them (32 and 5 both become EACCES).
WINERROR_SHARING_VIOLATION, WINERROR_LOCK_VIOLATION, WINERROR_WRITE_PROTECT = 32, 33, 19
_CAUSE_BY_WINERROR: dict[int, str] = {
    2: CAUSE_NOT_FOUND, 3: CAUSE_NOT_FOUND,  # file / path not found
    4: CAUSE_TOO_MANY_FILES,
    5: CAUSE_DENIED,
    WINERROR_WRITE_PROTECT: CAUSE_READ_ONLY_MEDIA,
    23: CAUSE_IO, 1117: CAUSE_IO, 1392: CAUSE_IO,  # CRC error, device I/O error, file corrupt
    WINERROR_SHARING_VIOLATION: CAUSE_SHARING,
    WINERROR_LOCK_VIOLATION: CAUSE_LOCK_VIOLATION,
    39: CAUSE_DISK_FULL, 112: CAUSE_DISK_FULL,
    1295: CAUSE_QUOTA, 1816: CAUSE_QUOTA,  # quota of the drive / of the share
    51: CAUSE_NETWORK, 53: CAUSE_NETWORK, 59: CAUSE_NETWORK, 64: CAUSE_NETWORK, 67: CAUSE_NETWORK,
    121: CAUSE_NETWORK, 240: CAUSE_NETWORK, 1222: CAUSE_NETWORK, 1231: CAUSE_NETWORK,
    80: CAUSE_EXISTS, 183: CAUSE_EXISTS,
    123: CAUSE_BAD_NAME, 161: CAUSE_BAD_NAME,  # invalid name, bad path name
    206: CAUSE_NAME_TOO_LONG,  # file name or extension too long
    1224: CAUSE_BUSY,  # a mapped section is open (another program has it loaded)
}
_READ_ONLY_MEDIA_ERRNOS = set(_errnos("EROFS"))
_LOCK_HELD_ERRNOS = set(_errnos("EACCES", "EAGAIN", "EWOULDBLOCK", "EDEADLK", "EDEADLOCK"))


def os_error_cause(exc: OSError) -> str:
    """The Japanese phrase that goes before 「ため」 for an OS error; never the OS's own (English) text."""
    winerror = getattr(exc, "winerror", None)  # Windows only
    if winerror in _CAUSE_BY_WINERROR:
        return _CAUSE_BY_WINERROR[winerror]
    if exc.errno in _CAUSE_BY_ERRNO:
        return _CAUSE_BY_ERRNO[exc.errno]
    code = winerror or exc.errno
    return CAUSE_UNKNOWN_CODE.format(code=code) if code else CAUSE_UNKNOWN


def _translate(exc: BaseException) -> SaveError:
    if isinstance(exc, SaveError):
        return exc
    if not isinstance(exc, OSError):
        return SaveError(MSG_FAILED)
    winerror = getattr(exc, "winerror", None)
    # Offer 「名前を付けて保存」 (session.py does so for SaveLockedError) exactly when another name or place helps.
    if exc.errno in _READ_ONLY_MEDIA_ERRNOS or winerror == WINERROR_WRITE_PROTECT:
        return SaveLockedError(MSG_LOCKED_ELSEWHERE.format(cause=CAUSE_READ_ONLY_MEDIA))
    if winerror in (WINERROR_SHARING_VIOLATION, WINERROR_LOCK_VIOLATION):
        return SaveLockedError(MSG_LOCKED.format(cause=_CAUSE_BY_WINERROR[winerror]))
    if isinstance(exc, PermissionError):
        return SaveLockedError()  # Windows says "access denied" both for Excel's lock and a read-only file
    return SaveError(MSG_OS_ERROR.format(cause=os_error_cause(exc)))


# --- names that fit --------------------------------------------------------------------------------------
def _measure(windows: bool) -> Callable[[str], int]:
    if windows:  # NTFS, FAT and SMB count UTF-16 code units
        return lambda text: len(text.encode("utf-16-le", "surrogatepass")) // 2
    return lambda text: len(os.fsencode(text))  # Linux and macOS filesystems count bytes (UTF-8: 3 per かな)


def _name_limits(folder: Path, target_name: str, windows: bool) -> list[int]:
    """Limits to try for a name in ``folder``, strictest first."""
    if windows:
        measure = _measure(True)
        room = _MAX_PATH_CHARS - measure(os.path.abspath(folder)) - 1
        # Only while the plan's own path is within MAX_PATH: beyond it long paths must be enabled anyway.
        return [room, _NAME_MAX] if measure(target_name) <= room < _NAME_MAX else [_NAME_MAX]
    limit = _NAME_MAX
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no such folder yet, or no pathconf
        reported = os.pathconf(folder, "PC_NAME_MAX")
        if reported > 0:
            limit = min(limit, reported)
    return [limit]


def _cut(text: str, room: int, measure: Callable[[str], int]) -> str | None:
    """The longest start of ``text`` that measures at most ``room``; None when room is negative."""
    if room < 0:
        return None
    while measure(text) > room:  # by whole code points: never half a character or a surrogate pair
        text = text[:-1]
    return text


@dataclass(frozen=True)
class _Layout:
    """The names of one save's files: ``prefix + token + tail``."""

    prefix: str  # "~$<stem, shortened if needed>.tmp-"
    suffix: str  # the plan's suffix; shortened only when it alone is too long for any temp name
    lock_tail: str

    def new(self, token: str) -> str:
        return f"{self.prefix}{token}{self.suffix}"

    def aside(self, token: str) -> str:
        return f"{self.prefix}{token}{ASIDE_TAIL}{self.suffix}"

    def lock(self, token: str) -> str:
        return f"{self.prefix}{token}{self.lock_tail}"

    def pattern(self) -> re.Pattern[str]:
        """Matches ``os.path.normcase``'d names of any save's files: group 1 the token, group 2 the tail."""
        tails = {os.path.normcase(tail) for tail in (self.suffix, ASIDE_TAIL + self.suffix, self.lock_tail)}
        alternatives = "|".join(re.escape(tail) for tail in sorted(tails, key=len, reverse=True))
        return re.compile(f"{re.escape(os.path.normcase(self.prefix))}([0-9a-f]{{{_TOKEN_HEX}}})({alternatives})")


def _layout(target: Path, windows: bool = _WINDOWS) -> _Layout:
    measure = _measure(windows)
    suffix = target.suffix
    lock_tail = LOCK_TAIL if suffix.lower() != LOCK_TAIL else LOCK_TAIL + "~"  # a plan named *.lck: keep them apart
    head = f"~$_{TEMP_MARK}{'0' * _TOKEN_HEX}"  # "_" stands for the stem, measured separately
    fixed = measure(head) - 1
    for limit in _name_limits(target.parent, target.name, windows):
        stem = _cut(target.stem, limit - fixed - max(measure(ASIDE_TAIL + suffix), measure(lock_tail)), measure)
        if stem is not None:
            return _Layout(f"~${stem}{TEMP_MARK}", suffix, lock_tail)
    # A suffix of hundreds of characters: keep as much of it as fits, with no stem at all.
    kept = _cut(suffix, _NAME_MAX - fixed - measure(ASIDE_TAIL), measure) or ""
    return _Layout(f"~${TEMP_MARK}", kept, lock_tail)


def _backup_name(target: Path, generation: int, windows: bool = _WINDOWS) -> str:
    name = f"{target.stem}.bak{generation}{target.suffix}"
    measure = _measure(windows)
    limits = _name_limits(target.parent, target.name, windows)
    if measure(name) <= limits[0]:
        return name
    tag = "~" + hashlib.sha256(target.name.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    # Room for three digits whatever the generation, so .bak1 … .bak999 share one stem.
    digits = "9" * max(3, len(str(generation)))
    for limit in limits:
        stem = _cut(target.stem, limit - measure(f"{tag}.bak{digits}{target.suffix}"), measure)
        if stem is not None:
            return f"{stem}{tag}.bak{generation}{target.suffix}"
    return name  # cannot fit: creating it fails and the save warns WARN_BACKUP


def backup_paths(path: str | Path, backups: int) -> list[Path]:
    """``[<stem>.bak1<suffix>, …, <stem>.bak<N><suffix>]``, newest first (shortened when too long, see above)."""
    target = Path(path)
    return [target.with_name(_backup_name(target, i)) for i in range(1, backups + 1)]


# --- the save's lock -------------------------------------------------------------------------------------
# POSIX record locks belong to the process: a cleaner in this process would be granted a live save's lock, and
# closing its handle would release it. So this process's live saves are also listed here, by (device, inode),
# and the cleaner never opens them. Windows locks belong to the handle, so there the OS lock alone answers.
_ACTIVE: set[tuple[int, int]] = set()
# Held by a cleaner for its whole sweep and by a save while it creates, registers and locks its lock file, so a
# cleaner in this process never sees a lock file that is not yet locked and listed.
_CLEANING = threading.Lock()


def _create_exclusive(path: Path) -> int:
    """A new file opened for reading and writing; FileExistsError if the name is taken."""
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)


def _identity(fd: int) -> tuple[int, int]:
    info = os.fstat(fd)
    return info.st_dev, info.st_ino


def _try_lock(fd: int) -> bool | None:
    """True: now ours; False: another holder has it; None: this filesystem cannot lock."""
    try:
        if _WINDOWS:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # LockFile: mandatory, per handle, kept by the SMB server
        else:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fcntl record lock: goes to NFS and SMB servers
    except OSError as exc:
        if exc.errno in _LOCK_HELD_ERRNOS or getattr(exc, "winerror", None) == WINERROR_LOCK_VIOLATION:
            return False
        return None
    return True


def _close_lock(fd: int, path: Path, *, remove: bool) -> bool:
    """Release and close; remove the file too if asked. True if it was removed."""
    removed = False
    # POSIX: unlink while still holding it, so no one can lock a file that is about to vanish. Windows cannot
    # delete a file while a handle without FILE_SHARE_DELETE is open, so it unlocks and closes first.
    if remove and not _WINDOWS:
        removed = _unlink(path)
    if _WINDOWS:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    os.close(fd)  # POSIX: this releases the record lock
    if remove and _WINDOWS:
        removed = _unlink(path)
    return removed


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except OSError:  # gone already, or held open by a virus scanner or a viewer: next time
        return False
    return True


def _same_file(fd: int, path: Path) -> bool:
    with contextlib.suppress(OSError):
        info = os.stat(path)
        return _identity(fd) == (info.st_dev, info.st_ino)
    return False


class _Save:
    """One save's files (``new``, ``aside``) and the locked ``lock`` file that shows the save is alive."""

    def __init__(self, target: Path) -> None:
        layout, folder = _layout(target), target.parent
        for _ in range(_TOKEN_ATTEMPTS):
            token = secrets.token_hex(_TOKEN_HEX // 2)
            lock = folder / layout.lock(token)
            with _CLEANING:
                try:
                    fd = _create_exclusive(lock)
                except FileExistsError:
                    continue
                except OSError as exc:  # read-only folder -> SaveLockedError, like the temp itself would
                    raise _translate(exc) from exc
                self._identity = _identity(fd)
                _ACTIVE.add(self._identity)
                locked = _try_lock(fd)
            # False: another process's cleaner took it for an orphan between our create and our lock; on POSIX
            # it may even have unlinked it, leaving us a lock on a nameless file. Either way: another name.
            # None: no locks on this filesystem; the temps are then kept for STALE_TEMP_SECONDS by their age.
            if locked is False or (locked and not _WINDOWS and not _same_file(fd, lock)):
                os.close(fd)
                _ACTIVE.discard(self._identity)
                continue
            self.lock, self._fd = lock, fd
            self.new, self.aside = folder / layout.new(token), folder / layout.aside(token)
            try:
                os.close(_create_exclusive(self.new))  # write_fn opens it itself; on Windows our handle would be in its way
            except BaseException as exc:
                self._release()  # not close(): a temp of that name that already existed is not ours to remove
                if isinstance(exc, FileExistsError):  # a lockless leftover (an earlier version's) with this name
                    continue
                if isinstance(exc, OSError):
                    raise _translate(exc) from exc
                raise
            return
        raise SaveError(MSG_FAILED)

    def _release(self) -> None:
        _close_lock(self._fd, self.lock, remove=True)
        _ACTIVE.discard(self._identity)

    def close(self) -> None:
        """Remove what is left of the temps, then the lock: a lock without temps is an orphan any cleaner takes."""
        for leftover in (self.new, self.aside):
            _unlink(leftover)
        self._release()


# --- removing what killed saves left ----------------------------------------------------------------------
def remove_leftovers(path: str | Path) -> int:
    """Remove the temp files that dead saves of the plan at ``path`` left beside it; how many files went.

    Counts temps and their lock files. A save that is still running, in this or any other process or PC,
    holds its lock and is left alone; the edit lock's ``~$<name>.lock``/``.owner`` are never touched. Never
    raises: cleaning must not stop an open or a save.
    """
    try:
        target = _resolve(Path(path))
        with _CLEANING:
            return _sweep(target, time.time() - STALE_TEMP_SECONDS)
    except Exception:  # anything (a folder gone, a name the OS rejects): the leftovers wait for the next time
        return 0


def _resolve(target: Path) -> Path:
    if target.is_symlink():  # the file the link points at, not the link
        return Path(os.path.realpath(target))
    return target


def _sweep(target: Path, cutoff: float) -> int:
    layout, folder = _layout(target), target.parent
    pattern = layout.pattern()
    lock_tail = os.path.normcase(layout.lock_tail)
    legacy = os.path.normcase(f"~${target.stem}{TEMP_MARK}")  # before the lock: mkstemp names, nothing to lock
    suffix = os.path.normcase(target.suffix)
    saves: dict[str, tuple[list[Path], list[Path]]] = {}  # token -> (lock files, temps)
    lockless: list[Path] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = os.path.normcase(entry.name)  # Windows: 計画.XLSX is 計画.xlsx
            if not name.startswith("~$") or name.endswith(_EDIT_LOCK_ENDINGS):
                continue  # not ours, or the edit lock's files (ui/file_lock.py), which are never touched
            path = Path(entry.path)
            if match := pattern.fullmatch(name):
                locks, temps = saves.setdefault(match[1], ([], []))
                (locks if match[2] == lock_tail else temps).append(path)
            elif name.startswith(legacy) and name.endswith(suffix) and path != target:
                lockless.append(path)
    removed = 0
    for locks, temps in saves.values():
        if locks:
            removed += _sweep_save(locks[0], temps, cutoff)
        else:
            lockless.extend(temps)  # its lock was never made (an earlier version) or is already gone
    return removed + _remove_old(lockless, cutoff)


def _sweep_save(lock: Path, temps: list[Path], cutoff: float) -> int:
    """Remove one save's files if it is dead: only then can its lock be taken."""
    try:
        # Looked up before opening: on POSIX even opening and closing a live save's lock file in this process
        # would drop that save's lock (record locks belong to the process and go with any close of the file).
        info = os.stat(lock)
        if (info.st_dev, info.st_ino) in _ACTIVE:
            return 0
        fd = os.open(lock, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError:
        return 0  # gone meanwhile (its save just ended, or another cleaner has it): nothing to decide now
    state = _try_lock(fd)
    if state is False:
        os.close(fd)  # a live save elsewhere; we hold no lock, so closing releases nothing of theirs
        return 0
    if state is None:  # no locks on this filesystem: judge by age, as for temps without a lock file
        removed = _remove_old(temps, cutoff)
        return removed + _close_lock(fd, lock, remove=_all_gone(temps) and _is_old(lock, cutoff))
    removed = sum(_unlink(temp) for temp in temps)
    return removed + _close_lock(fd, lock, remove=_all_gone(temps))  # keep the lock while a temp resists


def _all_gone(paths: Iterable[Path]) -> bool:
    return not any(path.exists() for path in paths)


def _is_old(path: Path, cutoff: float) -> bool:
    with contextlib.suppress(OSError):
        return path.stat().st_mtime < cutoff
    return False


def _remove_old(paths: Iterable[Path], cutoff: float) -> int:
    return sum(_unlink(path) for path in paths if _is_old(path, cutoff))


# --- the save ----------------------------------------------------------------------------------------------
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
    try:
        target = _resolve(Path(path))
        remove_leftovers(target)  # before the preflight: a plan Excel holds open still gets its folder tidied
        _preflight(target)
    except OSError as exc:  # even looking at it failed (a name too long for the filesystem, a share gone)
        raise _translate(exc) from exc

    save = _Save(target)
    tmp = save.new
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
            _verify(verify_fn, tmp)
        existed = target.exists()
        # The temp is private (0600); keep the old file's mode, or an ordinary one for a new file.
        with contextlib.suppress(OSError):
            if existed:
                shutil.copymode(target, tmp)
            else:
                tmp.chmod(0o644)
        aside = _copy_aside(target, save.aside) if existed and backups > 0 else None
        try:
            _replace_with_retry(tmp, target)
        except Exception as exc:
            raise _translate(exc) from exc
        _fsync_directory(target.parent)
        return _rotate_backups(target, aside, backups) if existed else []
    finally:
        save.close()  # the temps that were not renamed, then the lock


def _verify(verify_fn: Callable[[Path], object], tmp: Path) -> None:
    try:
        verify_fn(tmp)
    except SaveError:
        raise  # says what went wrong already (save_plan raises MSG_VERIFY): wrapping it would say it twice
    except PlanFormatError as exc:  # the written file did not read back: name the place, once
        raise SaveError(MSG_VERIFY_DETAIL.format(detail=exc)) from exc
    except OSError as exc:
        raise _translate(exc) from exc
    except Exception as exc:
        raise SaveError(MSG_VERIFY_FAILED) from exc


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
        except OSError as exc:
            raise _translate(exc) from exc


def _fsync_file(path: Path) -> None:
    with open(path, "r+b") as f:  # Windows only flushes through a handle opened for writing
        os.fsync(f.fileno())


def _fsync_directory(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder and commits renames itself)."""
    if _WINDOWS:
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _copy_aside(target: Path, aside: Path) -> Path | None:
    """Copy the current version under the save's lock; it becomes .bak1 only once the save has succeeded."""
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
        while (stale := target.with_name(_backup_name(target, extra))).exists():
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
