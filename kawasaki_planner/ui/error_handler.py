"""Unexpected errors (予期しないエラー): logged, shown in Japanese, and survived — the app never quits over one.

PySide6 hands an exception raised in a slot, a virtual method or a timer callback to ``sys.excepthook`` and then
carries on with the event loop; an exception in a Python thread goes to ``threading.excepthook``. This module
takes both: it writes the traceback to ``<data>/logs/kawasaki-planner.log`` (rotating, 1 MB × 3), records a
:class:`Report`, and shows one QMessageBox (text in Japanese, traceback as copyable detailed text). Nothing is
re-raised or quit, so the open plan and its undo history stay as they were.

Never recursive: while the dialog is open, further errors are logged and recorded but not shown, and if the
dialog itself fails that failure is only logged. The same error (type and line) is not shown again for
``QUIET_SECONDS`` after its dialog closed, so a broken paint event cannot bury the user in dialogs; it is still
logged every time. Errors from other threads are shown on the GUI thread.

Wiring (app.run_gui, once, right after the QApplication exists; never in create_main_window)::

    handler = error_handler.install()       # keeps a reference; returns the ErrorHandler
    ...  app.exec()  ...
    error_handler.uninstall()               # optional, at exit

Tests pass ``dialog=`` (a callable(parent, Report, log_path)) or replace the module-level ``show_dialog``, then
assert on ``handler.reports`` and the log file.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QObject, QSysInfo, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ..version import __version__ as APP_VERSION
from . import app_paths
from . import safety_strings as S

LOG_NAME = "kawasaki-planner.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
QUIET_SECONDS = 60
MAX_REPORTS = 50
logger = logging.getLogger("kawasaki_planner")


@dataclass(frozen=True)
class Report:
    message: str  # what the user reads (Japanese)
    details: str  # versions, thread and traceback: what the user copies for the help desk
    error: BaseException
    origin: tuple = ()  # (type name, file, line) where it was raised: repeats of one fault share it


def build_dialog(parent: QWidget | None, report: Report, log_path: Path) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Critical, S.ERROR_TITLE, report.message, parent=parent)
    box.setInformativeText(S.ERROR_INFO.format(log=log_path))
    box.setDetailedText(report.details)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box


def show_dialog(parent: QWidget | None, report: Report, log_path: Path) -> None:
    build_dialog(parent, report, log_path).exec()


class _ClosingLogHandler(RotatingFileHandler):
    """Closes the file after each record: two running instances share one log, and Windows cannot rotate or
    remove a file that another process holds open."""

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # reopened by the next record


class ErrorHandler(QObject):
    _from_thread = Signal(object)  # queued to the GUI thread, where widgets may be touched

    def __init__(self, log_dir: str | Path | None = None, dialog: Callable | None = None) -> None:
        super().__init__()
        self.log_path = Path(log_dir or app_paths.log_dir()) / LOG_NAME
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.reports: deque[Report] = deque(maxlen=MAX_REPORTS)  # each keeps its traceback's frames alive
        self._dialog = dialog
        self._showing = False
        self._quiet_until: dict[tuple, float] = {}
        self._file = _ClosingLogHandler(self.log_path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS,
                                        encoding="utf-8", delay=True)
        self._file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self._previous: tuple = ()
        self._from_thread.connect(self._present)

    def install(self) -> None:
        logger.addHandler(self._file)
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        if self._previous:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = ()
        logger.removeHandler(self._file)
        self._file.close()

    def handle(self, exc_type, error, tb, thread_name: str | None = None) -> None:
        """``sys.excepthook``: log, record, show; never raises."""
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a console is a request, not a fault
            sys.__excepthook__(exc_type, error, tb)
            return
        try:
            report = Report(S.ERROR_TEXT, _details(exc_type, error, tb, thread_name), error, _origin(exc_type, tb))
            logger.error("unexpected error\n%s", report.details)
            if threading.current_thread() is threading.main_thread():
                self._present(report)
            else:
                self._from_thread.emit(report)
        except Exception:  # the handler itself failed: fall back to the plain report, never to recursion
            _last_resort(exc_type, error, tb)

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # how a thread ends itself on purpose
            return
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, getattr(args.thread, "name", None))

    def _present(self, report: Report) -> None:
        self.reports.append(report)
        quiet = time.monotonic() < self._quiet_until.get(report.origin, 0)
        if self._showing or quiet or not isinstance(QApplication.instance(), QApplication):
            return  # one dialog at a time, and not the same one over and over
        self._showing = True
        try:
            (self._dialog or show_dialog)(QApplication.activeWindow(), report, self.log_path)
        except Exception:
            logger.exception("the error dialog itself failed")
        finally:
            self._showing = False
            self._quiet_until[report.origin] = time.monotonic() + QUIET_SECONDS


def _details(exc_type, error, tb, thread_name: str | None) -> str:
    lines = [
        datetime.now().isoformat(timespec="seconds"),
        f"Kawasaki Planner {APP_VERSION} / Python {platform.python_version()} / PySide6 {PYSIDE_VERSION}",
        QSysInfo.prettyProductName(),  # not platform.uname(): on Windows that may start a `ver` subprocess
    ]
    if thread_name:
        lines.append(f"thread: {thread_name}")
    return "\n".join(lines) + "\n\n" + "".join(traceback.format_exception(exc_type, error, tb)).rstrip()


def _origin(exc_type, tb) -> tuple:
    frames = traceback.extract_tb(tb) if tb is not None else []
    return (exc_type.__name__, frames[-1].filename, frames[-1].lineno) if frames else (exc_type.__name__,)


def _last_resort(exc_type, error, tb) -> None:
    if sys.stderr is not None:  # a windowed (PyInstaller) build has no stderr at all
        sys.__excepthook__(exc_type, error, tb)


_installed: ErrorHandler | None = None


def install(log_dir: str | Path | None = None, dialog: Callable | None = None) -> ErrorHandler:
    """Install the global handler (replacing an earlier one) and keep it alive; returns it."""
    global _installed
    uninstall()
    _installed = ErrorHandler(log_dir, dialog)
    _installed.install()
    return _installed


def uninstall() -> None:
    global _installed
    if _installed is not None:
        _installed.uninstall()
        _installed = None
