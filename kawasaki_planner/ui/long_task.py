"""Opening and saving a large plan without freezing the window (時間のかかる処理の進行表示).

``run_with_progress(parent, label, work)`` runs ``work(progress)`` (Qt-free io code) in a worker thread
while the window keeps painting, and shows a progress bar once it has taken longer than SHOW_AFTER_MS, so
a quick save of an ordinary plan shows nothing. It returns what ``work`` returned or raises what it
raised, so callers handle errors exactly as for a direct call.

While it runs, keyboard, mouse and close events for the application are held back: the plan must not
change under a save that is reading it, and nothing may start a second open or save. Scrolling and
repainting go on. The worker never touches Qt: it only stores the latest fraction, which a timer on the
GUI thread shows.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from ..io.collection import collection_paused
from . import strings as S

T = TypeVar("T")

SHOW_AFTER_MS = 400
POLL_MS = 15
STEPS = 1000
SWITCH_INTERVAL = 0.001  # seconds; Python's default is 0.005

_HELD_BACK = {
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut,
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Drop, QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Close, QEvent.Type.ContextMenu,
    QEvent.Type.TouchBegin, QEvent.Type.InputMethod,
}


class _InputHold(QObject):
    """Swallows input for every object while a long operation runs (the progress dialog has no buttons)."""

    def eventFilter(self, _obj, event) -> bool:
        if event.type() in _HELD_BACK:
            if event.type() == QEvent.Type.Close:
                event.ignore()
            return True
        return False


_running = threading.Event()


def is_running() -> bool:
    """Whether an open or save is in progress (autosave and the like wait)."""
    return _running.is_set()


def run_with_progress(parent: QWidget | None, label: str, work: Callable[[Callable[[float], None]], T]) -> T:
    app = QApplication.instance()
    fraction = [0.0]
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work(lambda f: fraction.__setitem__(0, f))
        except BaseException as error:  # handed to the GUI thread, which raises it to the caller
            outcome["error"] = error

    worker = threading.Thread(target=target, name="plan-file-io", daemon=True)
    dialog = QProgressDialog(label, None, 0, STEPS, parent)
    dialog.setWindowTitle(S.APP_NAME)
    # Not modal, and shown without taking the focus: a window that turns inactive repaints every widget in
    # its inactive colours, which for a 10,000-row table costs more than the whole wait it is meant to show.
    # Input is held back by the filter below instead.
    dialog.setWindowModality(Qt.WindowModality.NonModal)
    dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(SHOW_AFTER_MS)  # Qt shows it by itself once this has passed
    hold = _InputHold()
    loop = QEventLoop()
    poll = QTimer(interval=POLL_MS)

    def tick() -> None:
        dialog.setValue(min(STEPS - 1, int(fraction[0] * STEPS)))
        if not worker.is_alive():
            loop.quit()

    poll.timeout.connect(tick)
    app.installEventFilter(hold)
    _running.set()
    # The worker holds the GIL while it runs Python; a shorter switch interval hands it to the GUI thread
    # sooner whenever that has something to paint.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    # A full garbage collection triggered by the worker's allocations would traverse every object of the
    # open plan and its tables while holding the GIL (0.7 s with 10,000 indicators shown): the window
    # would stop for that long. What a read or write allocates is freed by reference counting.
    with collection_paused():
        try:
            worker.start()
            poll.start()
            loop.exec()
            worker.join()
        finally:
            poll.stop()
            sys.setswitchinterval(interval)
            app.removeEventFilter(hold)
            _running.clear()
            dialog.close()
            dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
