"""The file side of the window's open plan (ファイルの安全な開閉): edit lock, autosave, open, save and close.

A :class:`FileSession` belongs to one MainWindow and owns, for the plan open in it, the
:class:`~.file_lock.PlanLock` of its workbook and the :class:`~.autosave.Autosaver` of its document. The window
calls it at each step; every question goes through ``dialogs`` / ``safety_dialogs`` (tests replace them)::

    open_file(path) -> (document, claim) | None   lock first (asking when someone else edits it), then load;
                                                  None: cancelled or unreadable, the current plan stays
    attach(document, claim) -> notices            from set_document: the old autosaver closes, the old lock is
                                                  released unless the new plan keeps the same file
    save(document) / save_as(document, path)      read-only or no .xlsx of its own -> save_as; SaveLockedError
                                                  -> offer save_as; a new path is locked before the old goes
    close()                                       normal close or 保存しない: recovery copy removed, lock released
    offer_recoveries()                            at start-up (app.start_session), before anything is opened

Only .xlsx files are locked: a .json source or a macro-enabled .xlsm is never saved over (document.path is
None for them), so nobody else needs to be kept out of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..io.book_source import BookSource
from ..io.errors import PlanFormatError, SaveLockedError
from ..io.excel_open import unkept_warning
from . import dialogs, safety_dialogs
from . import safety_strings as SS
from . import strings as S
from .autosave import Autosaver, Recovery, pending_recoveries
from .document import PlanDocument, load_plan_file
from .file_lock import PlanLock
from .long_task import run_with_progress

# What a user can cause when opening or saving (a file the app refuses, a disk or share that fails): said in a dialog.
# Anything else is a bug of the app's and goes to the error handler, which logs it with its traceback.
LOAD_ERRORS = (OSError, PlanFormatError)  # SaveError is a PlanFormatError


@dataclass(frozen=True)
class Claim:
    """What this window may do with the file a plan comes from: the lock it holds, or why it holds none."""

    source: Path | None  # the file opened (also .xlsm/.json): names the Save-As suggestion
    lock: PlanLock | None = None
    read_only: bool = False  # someone else edits it: 保存 goes to 名前を付けて保存
    holder: str = ""
    notice: str = ""  # said in the message bar once the plan is shown


def _same_file(a: Path | None, b: Path | None) -> bool:
    if a is None or b is None:
        return False
    return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())  # Windows: 計画.XLSX is 計画.xlsx


class FileSession(QObject):
    message = Signal(str)  # for the window's message bar
    changed = Signal()  # read-only state or file changed: the title follows

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.lock: PlanLock | None = None
        self.autosaver: Autosaver | None = None
        self.read_only = False
        self.source: Path | None = None

    def _shown(self):
        """The window, on the screen: at start-up it waits hidden until its plan is drawn (app.run_gui), but a
        question asked meanwhile appears over it, not alone on the desktop."""
        if not self.window.isVisible():
            self.window.show()
        return self.window

    # --- locking ------------------------------------------------------------------------------------
    def claim(self, path: str | Path, *, ask: bool = True) -> Claim | None:
        """Lock ``path`` for editing; None when the user cancelled. Without ``ask`` a held file is read-only."""
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            return Claim(path)
        if self.lock is not None and _same_file(path, self.source):
            return Claim(path, self.lock)  # reopening our own file: a second lock would find us holding it
        lock = PlanLock(path, parent=self)
        result = lock.acquire()
        while result.held and ask:
            answer = safety_dialogs.ask_when_locked(self._shown(), result)
            if answer == safety_dialogs.TAKE_OVER:
                result = lock.take_over()  # still held if the other PC came back meanwhile: ask again
            elif answer == safety_dialogs.READ_ONLY:
                break
            else:
                lock.deleteLater()
                return None
        if result.ok:
            lock.lost.connect(lambda: self._lost(lock))
            return Claim(path, lock)
        lock.deleteLater()
        if result.held:
            holder = result.holder_text
            return Claim(path, None, True, holder, SS.OPENED_READ_ONLY.format(name=path.name, holder=holder))
        return Claim(path, notice=SS.LOCK_UNAVAILABLE)

    def abandon(self, claim: Claim | None) -> None:
        """A claim whose plan will not be shown after all (failed load or save)."""
        if claim is not None and claim.lock is not None and claim.lock is not self.lock:
            claim.lock.release()
            claim.lock.deleteLater()

    def _take(self, claim: Claim) -> None:
        if self.lock is not None and self.lock is not claim.lock:
            self.lock.release()
            self.lock.deleteLater()
        self.lock, self.read_only, self.source = claim.lock, claim.read_only, claim.source
        self.changed.emit()

    def _lost(self, lock: PlanLock) -> None:
        if lock is not self.lock:
            return
        self.lock = None  # PlanLock already let go of the file without deleting the new holder's lock
        lock.deleteLater()
        self.read_only = True
        self.changed.emit()
        self.message.emit(SS.LOCK_LOST)

    # --- the open plan --------------------------------------------------------------------------------
    def open_file(self, path: str | Path) -> tuple[PlanDocument, Claim] | None:
        """Lock, then load ``path``; errors are shown and give None (the current plan stays)."""
        path = Path(path)
        claim = self.claim(path)
        if claim is None:
            return None
        try:
            plan = run_with_progress(self.window, S.LOADING.format(name=path.name),
                                     lambda progress: load_plan_file(path, progress))
        except FileNotFoundError:
            self.abandon(claim)
            dialogs.show_error(self._shown(), S.OPEN_FAILED, S.FILE_MISSING.format(path=path))
            return None
        except LOAD_ERRORS as error:
            self.abandon(claim)
            dialogs.show_error(self._shown(), S.OPEN_FAILED, str(error))
            return None
        except BaseException:
            self.abandon(claim)  # a bug goes on to the error handler, but the lock is not left behind
            raise
        return PlanDocument(plan, path if path.suffix.lower() == ".xlsx" else None), claim

    def attach(self, document: PlanDocument, claim: Claim | None = None) -> list[str]:
        """The window now shows ``document``; returns the notices to show. No claim: lock its path, never ask."""
        if claim is None:
            claim = self.claim(document.path, ask=False) if document.path else Claim(None)
        if self.autosaver is not None:
            self.autosaver.close()
            self.autosaver.deleteLater()
        self._take(claim)
        self.autosaver = Autosaver(document, parent=self)
        self.autosaver.failed.connect(self.message)
        return [claim.notice] if claim.notice else []

    def close(self) -> None:
        """The window closes after a save or 保存しない: nothing is left to recover, nobody is kept out."""
        if self.autosaver is not None:
            self.autosaver.close()
            self.autosaver = None
        self._take(Claim(None))

    # --- saving -------------------------------------------------------------------------------------------
    def save(self, document: PlanDocument) -> bool:
        if self.read_only or document.path is None:
            return self.save_as(document)
        return self._write(document, document.path, None)

    def save_as(self, document: PlanDocument, path: str | Path | None = None) -> bool:
        if path is None:
            path = dialogs.ask_save_path(self.window, self.suggested_path(document))
            if path is None:
                return False
        path = Path(path)
        if self.lock is not None and _same_file(path, self.source):
            return self._write(document, path, None)
        claim = self.claim(path, ask=False)
        if claim.read_only:  # never write over a colleague's open plan
            dialogs.show_error(self.window, S.SAVE_FAILED, SS.SAVE_TARGET_HELD.format(name=path.name, holder=claim.holder))
            return False
        return self._write(document, path, claim)

    def suggested_path(self, document: PlanDocument) -> str:
        """<folder>/<stem>.xlsx of the plan's file (also when it came from .xlsm or .json)."""
        base = document.path or self.source
        name = f"{base.stem}.xlsx" if base else SS.DEFAULT_FILE_NAME
        return str(Path(self.window.settings_dir()) / name)

    def _write(self, document: PlanDocument, path: Path, claim: Claim | None) -> bool:
        """Save; on failure the document stays modified (its recovery copy too) and the old lock stays ours."""
        def run(work):
            return run_with_progress(self.window, S.SAVING.format(name=path.name), work)

        if not self._may_drop_unkept(document, path):
            self.abandon(claim)
            return False
        try:
            warnings = document.save(path, run)
        except SaveLockedError as error:
            self.abandon(claim)
            if dialogs.ask_save_as_instead(self.window, str(error)):
                return self.save_as(document)
            return False
        except LOAD_ERRORS as error:
            self.abandon(claim)
            dialogs.show_error(self.window, S.SAVE_FAILED, str(error))
            return False
        if claim is not None:
            self._take(replace(claim, notice=""))
        notices = [*warnings, *([claim.notice] if claim and claim.notice else [])]
        if notices:
            self.message.emit("\n".join(notices))
        return True

    def _may_drop_unkept(self, document: PlanDocument, path: Path) -> bool:
        """Asked once per opened workbook, before the first save over it drops what openpyxl cannot keep."""
        source = document.plan.source
        if not isinstance(source, BookSource) or not source.unkept or source.unkept_confirmed:
            return True
        if not _same_file(path, self.source):
            return True  # another file: the workbook it came from keeps everything
        if not dialogs.ask_save_dropping(self.window, unkept_warning(source.unkept)):
            return False
        source.unkept_confirmed = True
        return True

    # --- start-up -------------------------------------------------------------------------------------------
    def offer_recoveries(self) -> bool:
        """Ask about each autosave a dead session left (newest first); True when one was restored.

        One window shows one plan: after a restore the others stay for the next start.
        """
        restored = False
        for recovery in pending_recoveries():
            if restored:
                recovery.release()
                continue
            answer = safety_dialogs.ask_restore(self._shown(), recovery)
            if answer == safety_dialogs.RESTORE:
                restored = self._restore(recovery)
            elif answer == safety_dialogs.DISCARD:
                recovery.discard()
            else:
                recovery.release()
        return restored

    def _restore(self, recovery: Recovery) -> bool:
        try:
            document = recovery.restore()
        except LOAD_ERRORS as error:
            recovery.release()  # kept: the user may still want it, or 破棄する it next time
            self.message.emit(SS.RECOVERY_LOAD_FAILED.format(reason=error))
            return False
        claim = self.claim(recovery.original, ask=False) if recovery.original else Claim(None)
        recovered = SS.RECOVERED.format(name=document.display_name, time=SS.format_time(recovery.saved_at))
        self.window.set_document(document, replace(claim, notice="\n".join(filter(None, [recovered, claim.notice]))))
        # Our own copy first; the old one goes only once the restored edits are safe again.
        if self.autosaver is not None and self.autosaver.save_now():
            recovery.discard()
        else:
            recovery.release()
        return True
