"""Opening and saving run beside the event loop: the window paints, shows progress, and takes no edits meanwhile."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kawasaki_planner.core.plan import FigureRef
from kawasaki_planner.io.errors import SaveLockedError
from kawasaki_planner.ui import long_task
from kawasaki_planner.ui.long_task import ProgressPanel, run_with_progress

from .conftest import SAMPLE_WORKBOOK


def _slow(seconds: float, result=None, error: Exception | None = None, seen: dict | None = None):
    def work(progress):
        if seen is not None:
            seen["thread"] = threading.current_thread()
        steps = 20
        for i in range(steps):
            time.sleep(seconds / steps)
            progress((i + 1) / steps)
        if error:
            raise error
        return result
    return work


@pytest.fixture
def host(qtbot):
    widget = QWidget()
    widget.resize(800, 500)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _panels(host):
    return [p for p in host.findChildren(ProgressPanel) if p.isVisible()]


def test_the_event_loop_runs_and_progress_shows_while_work_goes_on(host):
    beats, shown = [], []
    heartbeat = QTimer(interval=10)
    heartbeat.timeout.connect(lambda: beats.append(1))
    watcher = QTimer(interval=50)
    cursors = []
    watcher.timeout.connect(lambda: shown.extend((p.label.text(), p.bar.value(), p.geometry()) for p in _panels(host)))
    watcher.timeout.connect(lambda: cursors.append(QApplication.overrideCursor() and QApplication.overrideCursor().shape()))
    heartbeat.start()
    watcher.start()
    seen: dict = {}
    assert run_with_progress(host, "「大きな計画.xlsx」を保存しています…", _slow(1.2, "done", seen=seen)) == "done"
    heartbeat.stop()
    watcher.stop()
    assert seen["thread"] is not threading.main_thread()
    assert len(beats) > 20  # a blocked loop would have beaten once or not at all
    assert shown and shown[0][0] == "「大きな計画.xlsx」を保存しています…"
    values = [value for _, value, _ in shown]
    assert values == sorted(values) and values[-1] > values[0]
    assert host.rect().contains(shown[0][2]) and shown[0][2].center().x() in range(390, 411)
    assert Qt.CursorShape.BusyCursor in cursors and QApplication.overrideCursor() is None
    assert not _panels(host) and QApplication.activeModalWidget() is None
    assert not long_task.is_running()


class _PaintCounter(QWidget):
    def __init__(self, parent):
        super().__init__(parent)
        self.paints = 0

    def paintEvent(self, event):
        self.paints += 1


def test_a_window_asked_to_repaint_during_the_work_is_painted(host):
    """The hold paints windows itself while the worker runs: what was asked for is painted, during the work."""
    child = _PaintCounter(host)
    child.setGeometry(0, 0, 200, 100)
    child.show()
    QApplication.processEvents()
    during = []

    def ask():
        during.append(child.paints)
        child.update()

    asker = QTimer(interval=60)
    asker.timeout.connect(ask)
    asker.start()
    run_with_progress(host, "x", _slow(0.6))
    asker.stop()
    assert len(during) >= 3
    assert during[-1] > during[0]


def test_quick_work_runs_once_and_its_error_reaches_the_caller(host):
    seen = []
    run_with_progress(host, "x", lambda progress: seen.append(threading.current_thread()))
    assert len(seen) == 1 and seen[0] is not threading.main_thread()
    with pytest.raises(ValueError):
        run_with_progress(host, "x", lambda progress: int("x"))
    assert not long_task.is_running()


def test_a_quick_operation_shows_no_panel(host, monkeypatch):
    shown = []
    monkeypatch.setattr(ProgressPanel, "show_centred", lambda self: shown.append(self))
    assert run_with_progress(host, "x", lambda progress: 42) == 42
    assert shown == []


def test_errors_reach_the_caller_unchanged(host):
    error = SaveLockedError("Excelで開かれているため保存できません")
    with pytest.raises(SaveLockedError) as caught:
        run_with_progress(host, "x", _slow(0.1, error=error))
    assert caught.value is error
    assert not long_task.is_running()


def _delete_cell(view, index) -> None:
    view.setFocus()
    view.setCurrentIndex(index)
    QTest.keyClick(view, Qt.Key.Key_Delete)


def test_keys_are_held_back_until_the_operation_ends(window, qtbot):
    tab = window.section_tabs[2]
    window.tabs.setCurrentWidget(tab)
    index = tab.table_model.index_of(FigureRef(2, "意見表明支援を利用可能な児童数", 2026, "plan"))
    shown = index.data()
    QTimer.singleShot(100, lambda: _delete_cell(tab.table, index))
    run_with_progress(window, "x", _slow(0.5))
    assert index.data() == shown and window.undo_stack.count() == 0
    _delete_cell(tab.table, index)  # the same key afterwards does clear: the check above means something
    assert index.data() == "" and window.undo_stack.count() == 1


def test_saving_through_the_window_runs_in_a_worker_and_marks_the_plan_saved(window, tmp_path, monkeypatch, qtbot):
    from kawasaki_planner.ui import document as document_module

    real = document_module.save_plan_file
    threads = []

    def slow_save(plan, path, progress=None):
        threads.append(threading.current_thread())
        time.sleep(0.5)
        return real(plan, path, progress)

    monkeypatch.setattr(document_module, "save_plan_file", slow_save)
    model = window.section_tabs[2].table_model
    index = model.index(0, 3)
    assert model.setData(index, "12")
    target = tmp_path / "計画.xlsx"
    assert window.save_as(str(target))
    assert threads and threads[0] is not threading.main_thread()
    assert window.undo_stack.isClean() and Path(window.document.path) == target
    assert target.exists()


def test_opening_through_the_window_runs_in_a_worker(window, monkeypatch, qtbot):
    from kawasaki_planner.ui import session as session_module

    real = session_module.load_plan_file
    threads = []

    def slow_load(path, progress=None):
        threads.append(threading.current_thread())
        time.sleep(0.3)
        return real(path, progress)

    monkeypatch.setattr(session_module, "load_plan_file", slow_load)
    assert window.load(SAMPLE_WORKBOOK)
    assert threads and threads[0] is not threading.main_thread()
    assert window.document.path == SAMPLE_WORKBOOK


def test_autosave_waits_while_a_save_reads_the_plan(window, qtbot, monkeypatch):
    autosaver = window.session.autosaver
    written = []
    monkeypatch.setattr(autosaver, "save_now", lambda: written.append(1) or True)
    model = window.section_tabs[2].table_model
    assert model.setData(model.index(0, 3), "13")
    autosaver._last_edit = 0.0  # long ago: only the running operation can hold it back
    QTimer.singleShot(100, autosaver._tick)
    run_with_progress(window, "x", _slow(0.4))
    assert written == []
    autosaver._tick()
    assert written == [1]


def test_a_replaced_plan_is_freed(window, qtbot):
    import gc
    import weakref

    from kawasaki_planner.ui.document import PlanDocument, load_plan_file

    plan = window.document.plan
    plan.cycle = [plan]  # as callbacks and signal connections do: only the cyclic collector can free it
    first = weakref.ref(plan)
    del plan
    window.document.undo_stack.setClean()
    window.set_document(PlanDocument(load_plan_file(SAMPLE_WORKBOOK), None))
    QApplication.sendPostedEvents(None, 52)  # deferred deletes of the old tabs
    gc.collect()  # nothing of the window holds on to the plan it replaced
    assert first() is None


def test_a_window_not_yet_shown_stays_hidden_for_a_quick_open(qtbot):
    """At start-up the window waits for its plan: a quick open does not show it, so its first picture has the plan."""
    hidden = QWidget()
    qtbot.addWidget(hidden)
    assert run_with_progress(hidden, "x", _slow(0.05, "done")) == "done"
    assert not hidden.isVisible() and not _panels(hidden)


def test_a_window_not_yet_shown_appears_with_the_panel_when_the_open_takes_long(qtbot):
    hidden = QWidget()
    hidden.resize(800, 500)
    qtbot.addWidget(hidden)
    seen = []
    watcher = QTimer(interval=50)
    watcher.timeout.connect(lambda: seen.append((round((time.monotonic() - started) * 1000), hidden.isVisible(), bool(_panels(hidden)))))
    started = time.monotonic()
    watcher.start()
    run_with_progress(hidden, "「大きな計画.xlsx」を開いています…", _slow(1.0))
    watcher.stop()
    early = [visible for ms, visible, _ in seen if ms < long_task.SHOW_AFTER_MS - 50]
    late = [(visible, panel) for ms, visible, panel in seen if ms > long_task.SHOW_AFTER_MS + 100]
    assert early and not any(early)  # hidden while the open might still be quick
    assert late and all(visible and panel for visible, panel in late)  # then on the screen, saying what it does
    assert hidden.isVisible() and not _panels(hidden)
