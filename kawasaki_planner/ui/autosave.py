"""Autosave and recovery (自動保存と復元): unsaved edits survive a crash, a kill or a power cut.

A document with unsaved edits owns ``<data>/recovery/<time>-<pid>-<id>/`` (``plan.xlsx`` written atomically,
``recovery.json``: original path or null, time, pid, PC, user) and, beside it, ``<…>.lock``: a QLockFile held
while the session lives, so another running instance never offers it; once the process is dead the lock is
stale and the next start offers the folder. ``Autosaver`` writes every 60 s, put off to the next 2 s pause in
typing, only while the undo stack is not clean and something changed since its last write (on the GUI thread: a
Plan is not thread-safe). It writes through ``save_plan`` like a real save, so the recovery workbook is read back and
compared before it replaces the previous one: a copy that would not restore is refused and reported, never kept
in place of a good one. A clean stack (saved, or undone to the saved state) removes it.

Wiring in the window (the questions are in safety_dialogs.py), done in session.py and app.start_session::

    at start-up, before opening anything:  for recovery in pending_recoveries():   # newest first
        ask_restore(window, recovery) == RESTORE: document = recovery.restore()  # unsaved; path = original/None
            lock the original (file_lock) if any; set_document(document); self.autosaver.save_now();
            recovery.discard(); show S.RECOVERED; release() the remaining ones
        == DISCARD: recovery.discard()        == LATER: recovery.release()   # offered again next start
    set_document(document): old autosaver.close(); self.autosaver = Autosaver(document, parent=self);
                            self.autosaver.failed.connect(self.show_message)
    closing after 「保存しない」, or quitting: self.autosaver.close()      after a save: nothing to do
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

from ..core.plan import Plan
from . import app_paths, long_task
from . import safety_strings as S
from .document import PlanDocument
from .file_lock import machine_name, user_name

INTERVAL_MS = 60_000
# Writing the recovery copy takes a noticeable moment on the GUI thread (about 0.5 s for the published plan,
# and reading it back to verify it adds to that), so it waits for a pause in typing rather than interrupting a
# burst of edits; for the same reason there is no save after so many edits, which would land mid-burst.
IDLE_MS = 2_000
WORKBOOK, META = "plan.xlsx", "recovery.json"


def _claim(folder: Path) -> QLockFile | None:
    # Beside the folder, not in it: a new session takes its lock before the folder exists, so no other instance
    # can ever see (and clean away) a session folder that is not yet locked.
    lock = QLockFile(str(folder.with_name(folder.name + ".lock")))
    lock.setStaleLockTime(0)  # a live session may go hours without autosaving; only a dead pid frees it
    return lock if lock.tryLock(0) else None


def _remove(folder: Path, lock: QLockFile) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    lock.unlock()  # last: until the folder is gone, no other instance may claim it


def _reason(error: Exception) -> str:
    """Why an autosave failed, in Japanese: the OS's cause if there is one, else the save's own message."""
    from ..io.errors import PlanFormatError
    from ..io.safe_write import os_error_cause

    cause = error if isinstance(error, OSError) else error.__cause__
    if isinstance(cause, OSError):  # not the save's sentence: 「自動保存できませんでした(…保存できません…)」 says it twice
        return S.AUTOSAVE_CAUSE.format(cause=os_error_cause(cause))
    if isinstance(error, PlanFormatError):  # SaveError too: already Japanese (a failed verification, an empty file)
        return str(error)
    return S.AUTOSAVE_UNEXPECTED.format(kind=type(error).__name__)  # a bug: its text is English, its name is enough


@dataclass
class Recovery:
    """An autosave left behind by a session that is no longer running; claimed until discarded or released."""

    folder: Path
    original: Path | None
    saved_at: datetime
    _lock: QLockFile | None = field(default=None, repr=False)

    @property
    def original_changed(self) -> bool:
        """The original workbook was saved after this autosave (restoring would drop that later save)."""
        with contextlib.suppress(OSError):
            return self.original is not None and self.original.stat().st_mtime > self.saved_at.timestamp()
        return False

    def load(self) -> Plan:
        """The autosaved plan; raises PlanFormatError/OSError like opening any workbook."""
        from ..io.workbook import load_plan

        return load_plan(self.folder / WORKBOOK)

    def restore(self) -> PlanDocument:
        """A document of the autosaved plan, marked unsaved: it differs from its file, or has none yet."""
        document = PlanDocument(self.load(), self.original)
        document.undo_stack.resetClean()
        return document

    def discard(self) -> None:
        lock = self._lock or _claim(self.folder)
        if lock is not None:  # released and claimed by another instance meanwhile: theirs to decide
            _remove(self.folder, lock)
        self._lock = None

    def release(self) -> None:
        """Keep it for a later start (「後で決める」)."""
        if self._lock is not None:
            self._lock.unlock()
        self._lock = None


def pending_recoveries() -> list[Recovery]:
    """Autosaves of sessions that ended without saving, newest first; each is claimed by this process."""
    found = []
    for folder in sorted(app_paths.recovery_dir().iterdir(), reverse=True):
        if folder.suffix == ".lock" and not folder.with_suffix("").exists() and (lock := _claim(folder.with_suffix(""))):
            lock.unlock()  # killed between taking the lock and making the folder
        if not folder.is_dir() or (lock := _claim(folder)) is None:
            continue  # a live session, here or in another running instance
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
            (folder / WORKBOOK).stat()  # raises if missing: the record alone restores nothing
            original = Path(meta["original"]) if meta.get("original") else None
            recovery = Recovery(folder, original, datetime.fromisoformat(meta["saved_at"]), lock)
        except (OSError, ValueError, KeyError, TypeError):
            _remove(folder, lock)  # killed before its first complete autosave: nothing to restore
            continue
        found.append(recovery)
    return found


class Autosaver(QObject):
    """Keeps a recovery copy of one document's unsaved edits."""

    saved = Signal(str)  # the recovery workbook's path, after each write
    failed = Signal(str)  # a Japanese message for the user; said once until autosaving works again

    def __init__(self, document: PlanDocument, *, interval_ms: int = INTERVAL_MS, parent=None):
        super().__init__(parent)
        self.document = document
        self.folder: Path | None = None
        self._lock: QLockFile | None = None
        self._pending, self._failing, self._closed = document.modified, False, False
        self._last_edit = 0.0
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._idle_retry = QTimer(self, singleShot=True, interval=IDLE_MS)
        self._idle_retry.timeout.connect(self._tick)
        document.undo_stack.indexChanged.connect(self._edited)
        document.undo_stack.cleanChanged.connect(lambda clean: clean and self.discard())  # saved: no longer needed

    def _edited(self, _index: int) -> None:
        if self._closed:
            return
        self._pending = True
        self._last_edit = time.monotonic()

    def _tick(self) -> None:
        if not self._pending or self._closed:
            return
        if (time.monotonic() - self._last_edit) * 1000 < IDLE_MS or long_task.is_running():
            self._idle_retry.start()  # the planner is typing, or a save is reading the plan: write in the next pause
            return
        self.save_now()

    def save_now(self) -> bool:
        """Write the recovery copy now if the document has unsaved edits; False if none or it failed."""
        if self._closed or not self.document.modified:
            return False
        try:
            self._write()
        except Exception as error:  # any failure (disk, bug) must only cost the autosave, never the session
            if not self._failing:
                self.failed.emit(S.AUTOSAVE_FAILED.format(reason=_reason(error)))
            self._failing = True
            return False
        self._pending, self._failing = False, False
        self.saved.emit(str(self.folder / WORKBOOK))
        return True

    def _write(self) -> None:
        from ..io.workbook import save_plan

        if self.folder is None:
            folder = app_paths.recovery_dir() / f"{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            self._lock = _claim(folder)  # a fresh name: only fails if the folder cannot be written at all
            if self._lock is None:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))
            folder.mkdir()
            self.folder = folder
        # Verified like a real save: an unverified copy could be offered after a crash and fail to restore.
        save_plan(self.document.plan, self.folder / WORKBOOK, backups=0)
        path = self.document.path
        meta = {"original": str(path.resolve()) if path else None, "saved_at": datetime.now().isoformat(),
                "pid": os.getpid(), "host": machine_name(), "user": user_name()}
        (temp := self.folder / (META + ".tmp")).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, self.folder / META)  # readers see the old or the new record, never half of one

    def discard(self) -> None:
        """Forget this session's recovery copy (after a save, or when the edits are thrown away)."""
        if self.folder is not None:
            _remove(self.folder, self._lock)
        elif self._lock is not None:
            self._lock.unlock()
        self.folder, self._lock, self._pending = None, None, False

    def close(self) -> None:
        """The document is being closed or replaced: stop watching it and remove its recovery copy."""
        self._timer.stop()
        self._idle_retry.stop()
        self._closed = True  # rather than disconnecting: the document may already be half torn down
        self.discard()

