"""One editor at a time (編集ロック): a QLockFile beside the open workbook, visible to colleagues on the share.

For ``計画.xlsx`` the lock is ``~$計画.xlsx.lock`` (QLockFile: pid, process name, PC name) plus
``~$計画.xlsx.owner`` (JSON: Windows user name, since when). QLockFile cannot record the user, so the sidecar
does; its modification time is refreshed every few minutes as a heartbeat. Both names start with ``~$`` like
Excel's own owner files, and do not end in ``.xlsx``, so the save code's temp-file cleanup never touches them.

Stale locks: ``setStaleLockTime(0)`` as the Qt documentation advises for long-lived document locks, so a lock is
never taken over for its age alone (a plan legitimately stays open all day). QLockFile itself removes a lock
whose process is dead *on this PC*. It cannot check processes on other PCs: such a lock is only reported, and
``may_take_over`` is True once its heartbeat has been silent for ``SILENT_AFTER`` (the PC crashed or lost the
network). Only after the user agrees does the window call ``take_over()``; on Windows the removal still fails
while the other PC's app really holds the file open, so a wrong answer cannot break a live session.

Wiring in the window::

    lock = PlanLock(path, parent=window)         # only for .xlsx paths (a .json source is never saved over)
    result = lock.acquire()                       # at open, before showing the plan
    if result.held:                               # someone else edits it
        answer = safety_dialogs.ask_when_locked(window, result)  # READ_ONLY / TAKE_OVER / CANCEL
        if answer == TAKE_OVER: result = lock.take_over()   # may still be held: ask again
        if answer == READ_ONLY: open it; disable 上書き保存 (save → save_as), title + READ_ONLY_MARK
    elif result.status == UNAVAILABLE:            # read-only folder: open normally, show S.LOCK_UNAVAILABLE
    lock.release()                                # when the plan is closed or replaced, and before quitting
    # 名前を付けて保存: acquire a PlanLock on the new path first (refuse if held), then release the old one.
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

from PySide6.QtCore import QLockFile, QObject, QSysInfo, QTimer

from . import safety_strings as S

ACQUIRED, HELD, UNAVAILABLE = "acquired", "held", "unavailable"
HEARTBEAT_MS = 5 * 60 * 1000
SILENT_AFTER = timedelta(hours=2)


def machine_name() -> str:
    # The same name QLockFile writes; on Windows QSysInfo may try a name lookup, so use the environment as Qt does.
    return os.environ.get("COMPUTERNAME", "") if sys.platform == "win32" else QSysInfo.machineHostName()


def user_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no USERNAME/LOGNAME and no passwd entry: report "unknown" rather than fail
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

    def silent_for(self) -> timedelta | None:
        return datetime.now() - self.last_seen if self.last_seen else None


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
        return self.holder.text() if self.holder else ""

    @property
    def may_take_over(self) -> bool:
        """Held from another PC whose heartbeat has been silent for longer than SILENT_AFTER."""
        if not self.held or self.holder is None or self.holder.host == machine_name():
            return False
        silent = self.holder.silent_for()
        return silent is not None and silent > SILENT_AFTER


class PlanLock(QObject):
    """The edit lock of one workbook; ``acquire`` never waits (tryLock(0))."""

    def __init__(self, plan_path: str | Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        plan_path = Path(plan_path).resolve()
        self.lock_path = plan_path.with_name(f"~${plan_path.name}.lock")
        self.owner_path = plan_path.with_name(f"~${plan_path.name}.owner")
        self._lock = QLockFile(str(self.lock_path))
        self._lock.setStaleLockTime(0)
        self._heartbeat = QTimer(self, interval=HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._beat)

    @property
    def held(self) -> bool:
        return self._lock.isLocked()

    def acquire(self) -> LockResult:
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
        if not self._lock.isLocked():
            return
        if self._read_owner().get("pid") == os.getpid():
            with contextlib.suppress(OSError):
                self.owner_path.unlink()
        self._lock.unlock()

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
        try:
            owner = json.loads(self.owner_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return owner if isinstance(owner, dict) else {}

    def _beat(self) -> None:
        with contextlib.suppress(OSError):
            os.utime(self.owner_path)


def _parse_time(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return None

