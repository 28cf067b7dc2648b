"""Opening and saving a large plan without freezing the window (時間のかかる処理の進行表示).

``run_with_progress(window, label, work)`` runs ``work(progress)`` (Qt-free io code) in a worker thread
while the window keeps painting, and shows a progress panel over the middle of the window once it has
taken longer than SHOW_AFTER_MS, so a quick save of an ordinary plan shows nothing. The panel is a child
of the window, not a dialog: a dialog takes the activation, and a window turning inactive repaints every
widget in its inactive colours, which for a 10,000-row table costs more than the wait it is meant to show.

It returns what ``work`` returned or raises what it raised, so callers handle errors exactly as for a
direct call.

A window not yet shown (the plan opened at start-up) stays hidden while the work runs, so it first appears with
the plan drawn, not empty and then again full; if the work takes longer than SHOW_AFTER_MS it is shown then,
with the panel, so a large plan never starts with nothing on the screen.

While it runs, keyboard, mouse and close events for the application are held back: the plan must not
change under a save that is reading it, and nothing may start a second open or save. Scrolling and
repainting go on. The worker never touches Qt: it only stores the latest fraction, which a timer on the
GUI thread shows.

While the worker runs Python, every call from Qt into Python on the GUI thread (a model's ``data``, a delegate,
this module's event filter, PySide building the Python type of an object it meets for the first time) first waits
for the worker to hand over the GIL, which CPython does only after its switch interval (5 ms). A repaint of the
window makes hundreds of such calls, and so did the first save of a session, when the main window relays out for
the new panel (animating its toolbars): the window stalled for up to a second. So the window's answer to the panel
is handled before the worker starts, and during the operation the hold paints a window itself (its UpdateRequest,
where all of its widgets are painted): the GUI thread then holds the GIL once for the whole repaint, sharing it
with the worker as two Python threads do, instead of waiting for it at every cell.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QProgressBar, QVBoxLayout, QWidget

T = TypeVar("T")

SHOW_AFTER_MS = 400
POLL_MS = 15
STEPS = 1000

_HELD_BACK = {
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut,
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Drop, QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Close, QEvent.Type.ContextMenu,
    QEvent.Type.TouchBegin, QEvent.Type.InputMethod,
}


class _InputHold(QObject):
    """Swallows input for every object while a long operation runs (the progress panel has no buttons), and paints
    windows under the GIL (see the module docstring)."""

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind in _HELD_BACK:
            if kind == QEvent.Type.Close:
                event.ignore()
            return True
        if kind == QEvent.Type.UpdateRequest and isinstance(obj, QWidget) and obj.isWindow():
            obj.event(event)  # PySide keeps the GIL through QWidget.event: the paint's calls into Python do not wait
            return True
        return False


_running = threading.Event()


def is_running() -> bool:
    """Whether an open or save is in progress (autosave and the like wait)."""
    return _running.is_set()


class ProgressPanel(QFrame):
    """The label and bar shown over the middle of the window while an operation runs."""

    def __init__(self, label: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("progressPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFrameShadow(QFrame.Shadow.Raised)
        self.setAutoFillBackground(True)  # opaque: updating the bar repaints nothing beneath it
        self.label = QLabel(label, self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, STEPS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.hide()

    def show_centred(self) -> None:
        hint = self.sizeHint()
        area = self.parentWidget().rect()
        width = min(max(hint.width(), 420), area.width())
        self.setGeometry(area.x() + (area.width() - width) // 2, area.y() + (area.height() - hint.height()) // 2,
                         width, hint.height())
        self.raise_()
        self.show()


def run_with_progress(window: QWidget, label: str, work: Callable[[Callable[[float], None]], T]) -> T:
    app = QApplication.instance()
    fraction = [0.0]
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work(lambda f: fraction.__setitem__(0, f))
        except BaseException as error:  # handed to the GUI thread, which raises it to the caller
            outcome["error"] = error

    worker = threading.Thread(target=target, name="plan-file-io", daemon=True)
    panel = ProgressPanel(label, window)
    hold = _InputHold()
    loop = QEventLoop()
    poll = QTimer(interval=POLL_MS)
    started = time.monotonic()

    def tick() -> None:
        if not worker.is_alive():
            loop.quit()
            return
        if panel.isVisible():
            panel.bar.setValue(min(STEPS - 1, int(fraction[0] * STEPS)))
        elif (time.monotonic() - started) * 1000 >= SHOW_AFTER_MS:
            panel.bar.setValue(min(STEPS - 1, int(fraction[0] * STEPS)))
            if not window.isVisible():
                window.show()
            panel.show_centred()
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)  # clicks are held back: say so

    poll.timeout.connect(tick)
    app.installEventFilter(hold)
    _running.set()
    try:
        if window.isVisible():  # a hidden window has nothing to answer (docstring)
            for _ in range(3):  # the window's answer to the new panel, before the worker competes for the GIL
                app.processEvents()  # each pass delivers what the one before posted
        worker.start()
        poll.start()
        loop.exec()
        worker.join()
    finally:
        poll.stop()
        app.removeEventFilter(hold)
        _running.clear()
        if panel.isVisible():
            QApplication.restoreOverrideCursor()
        panel.hide()
        panel.deleteLater()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
