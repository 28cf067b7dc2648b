"""One editor at a time (編集ロック): a QLockFile beside the open workbook, visible to colleagues on the share.

For ``計画.xlsx``: ``~$計画.xlsx.lock`` (QLockFile: pid, process, PC) and ``~$計画.xlsx.owner`` (JSON: the user
name QLockFile cannot record, since when; its mtime is a 5-minute heartbeat). ``~$`` like Excel's owner files,
and not ending in ``.xlsx``, so the save code's temp-file cleanup never touches them.

``setStaleLockTime(0)``, as Qt advises for document locks: a plan stays open all day and QLockFile never touches
its file again, so an age limit would hand a live lock to a colleague. QLockFile frees a lock whose process is
dead *on this PC*; another PC's lock is only reported, with ``may_take_over`` once its heartbeat has been silent
for ``SILENT_AFTER`` (crash, power or network loss), and ``take_over()`` only after the user agrees. On Windows
even that removal fails while the other app really holds the file open, so a wrong answer breaks nothing.

Wiring in the window (.xlsx paths only; a .json source is never saved over), done in session.py::

    lock = PlanLock(path, parent=window); result = lock.acquire()      # at open, before showing the plan
    result.held: answer = safety_dialogs.ask_when_locked(window, result)   # READ_ONLY / TAKE_OVER / CANCEL
        TAKE_OVER -> result = lock.take_over() (may still be held: ask again); CANCEL -> keep the current plan
        READ_ONLY -> open it; 上書き保存 becomes 名前を付けて保存; title + S.READ_ONLY_MARK
    result.status == UNAVAILABLE (folder not writable): open normally, show S.LOCK_UNAVAILABLE
    lock.lost -> show S.LOCK_LOST, switch to read-only        lock.release() -> on close/replace and at quit
    名前を付けて保存: acquire a PlanLock on the new path first (refuse if held), then release the old one.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QSysInfo, QTimer, Signal

from . import safety_strings as S

ACQUIRED, HELD, UNAVAILABLE = "acquired", "held", "unavailable"
HEARTBEAT_MS = 5 * 60 * 1000
SILENT_AFTER = timedelta(hours=2)


def machine_name() -> str:
    # The same name QLockFile writes; on Windows QSysInfo may try a name lookup, so use the environment as Qt does.
    return os.environ.get("COMPUTERNAME", "") if sys.platform == "win32" else QSysInfo.machineHostName()


def user_name() -> str:
    with contextlib.suppress(OSError, KeyError):  # no USERNAME/LOGNAME nor passwd entry: "unknown", not a failure
        return getpass.getuser()
    return ""


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    app: str
    user: str = ""
    since: datetime | None = None
    last_seen: datetime | None = None

    def text(self) -> str:
        if self.host == machine_name() and self.user == user_name():
            return S.LOCK_HOLDER_SELF
        if self.user:
            return S.LOCK_HOLDER.format(user=self.user, host=self.host)
        return S.LOCK_HOLDER_NO_USER.format(host=self.host)


@dataclass(frozen=True)
class LockResult:
    status: str
    holder: LockHolder | None = None

    @property
    def ok(self) -> bool:
        return self.status == ACQUIRED

    @property
    def held(self) -> bool:
        return self.status == HELD

    @property
    def holder_text(self) -> str:
        return self.holder.text() if self.holder else S.LOCK_HOLDER_UNKNOWN  # a lock whose owner record is unreadable

    @property
    def may_take_over(self) -> bool:
        """Held from another PC whose heartbeat has been silent for longer than SILENT_AFTER."""
        holder = self.holder
        if not self.held or holder is None or holder.host == machine_name() or holder.last_seen is None:
            return False
        return datetime.now() - holder.last_seen > SILENT_AFTER


class PlanLock(QObject):
    """The edit lock of one workbook; ``acquire`` never waits (tryLock(0))."""

    lost = Signal()  # our lock was taken over from another PC: stop overwriting the file (S.LOCK_LOST)

    def __init__(self, plan_path: str | Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        plan_path = Path(plan_path).resolve()
        self.lock_path = plan_path.with_name(f"~${plan_path.name}.lock")
        self.owner_path = plan_path.with_name(f"~${plan_path.name}.owner")
        self._lock = QLockFile(str(self.lock_path))
        self._lock.setStaleLockTime(0)
        self._heartbeat = QTimer(self, interval=HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._beat)

    def acquire(self) -> LockResult:
        """ACQUIRED (also when already ours), HELD with the holder, or UNAVAILABLE (no lock can be made there)."""
        if self._lock.isLocked() or self._try():
            return LockResult(ACQUIRED)
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            return LockResult(UNAVAILABLE)
        holder = self.holder()
        if holder is None and self._try():  # released between our two looks
            return LockResult(ACQUIRED)
        return LockResult(HELD, holder)

    def _try(self) -> bool:
        if not self._lock.tryLock(0):
            return False
        self._write_owner()
        self._heartbeat.start()
        return True

    def take_over(self) -> LockResult:
        """Remove another PC's lock (only after the user confirmed it is abandoned) and acquire."""
        if not self._lock.isLocked():
            self._lock.removeStaleLockFile()
        return self.acquire()

    def release(self) -> None:
        self._heartbeat.stop()
        if self._lock.isLocked() and self._read_owner().get("pid") == os.getpid():
            with contextlib.suppress(OSError):
                self.owner_path.unlink()
        self._lock.unlock()  # nothing happens when it was not ours

    def _forget(self) -> None:
        # QLockFile.unlock deletes by name, which would delete the new holder's lock: step it aside meanwhile.
        # (On Windows the new holder's open handle refuses both the rename and the delete anyway.)
        self._heartbeat.stop()
        aside = self.lock_path.with_name(f"{self.lock_path.name}.{os.getpid()}.keep")
        with contextlib.suppress(OSError):
            os.replace(self.lock_path, aside)
        self._lock.unlock()
        with contextlib.suppress(OSError):
            os.replace(aside, self.lock_path)

    def holder(self) -> LockHolder | None:
        pid, host, app = self._lock.getLockInfo()  # PySide6 gives (0, "", "") when it cannot read the lock
        if pid <= 0:
            return None
        owner = self._read_owner()
        if owner.get("pid") != pid or owner.get("host") != host:
            owner = {}  # a leftover from an earlier holder: do not put a wrong name in front of the user
        since = _parse_time(owner.get("since")) or _mtime(self.lock_path)
        last_seen = _mtime(self.owner_path) if owner else since
        return LockHolder(pid, host, app, owner.get("user", ""), since, last_seen)

    def _write_owner(self) -> None:
        owner = {"pid": os.getpid(), "host": machine_name(), "user": user_name(), "since": datetime.now().isoformat()}
        with contextlib.suppress(OSError):  # the lock still protects the file; only the user name would be missing
            self.owner_path.write_text(json.dumps(owner, ensure_ascii=False), encoding="utf-8")

    def _read_owner(self) -> dict:
        with contextlib.suppress(OSError, ValueError):
            owner = json.loads(self.owner_path.read_text(encoding="utf-8"))
            return owner if isinstance(owner, dict) else {}
        return {}

    def _beat(self) -> None:
        pid, host, _app = self._lock.getLockInfo()
        if (pid, host) != (os.getpid(), machine_name()):  # a colleague took it over (after being asked)
            self._forget()
            self.lost.emit()
            return
        try:
            os.utime(self.owner_path)
        except OSError:  # someone tidied the folder: without the record we would look silent after SILENT_AFTER
            self._write_owner()


def _parse_time(text: object) -> datetime | None:
    with contextlib.suppress(ValueError, TypeError):
        return datetime.fromisoformat(text)
    return None


def _mtime(path: Path) -> datetime | None:
    with contextlib.suppress(OSError):
        return datetime.fromtimestamp(path.stat().st_mtime)
    return None

