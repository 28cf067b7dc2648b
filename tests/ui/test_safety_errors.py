"""Unexpected errors: caught, logged, reported in Japanese, and the open plan and its undo history survive."""

from __future__ import annotations

import socket
import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kawasaki_planner.core.plan import FigureRef, plan_snapshot
from kawasaki_planner.io.workbook import load_plan
from kawasaki_planner.ui import error_handler
from kawasaki_planner.ui import safety_strings as S
from kawasaki_planner.ui.document import PlanDocument

from .conftest import SAMPLE_WORKBOOK

REF = FigureRef(2, "意見表明支援を利用可能な児童数", 2025, "actual")


class Dialogs:
    """Stands in for the modal QMessageBox and records what it would have shown."""

    def __init__(self) -> None:
        self.shown: list[error_handler.Report] = []
        self.on_show = None

    def __call__(self, parent, report, log_path) -> None:
        self.shown.append(report)
        if self.on_show:
            self.on_show()


@pytest.fixture
def dialogs():
    return Dialogs()


@pytest.fixture
def handler(tmp_path, dialogs, qapp):
    handler = error_handler.install(log_dir=tmp_path / "logs", dialog=dialogs)
    yield handler
    error_handler.uninstall()


def log_text(handler) -> str:
    return handler.log_path.read_text(encoding="utf-8")


def boom() -> None:
    raise RuntimeError("計算中の想定外の状態")


def test_an_error_in_a_slot_is_logged_and_reported_and_the_plan_survives(handler, dialogs, qtbot):
    document = PlanDocument(load_plan(SAMPLE_WORKBOOK))
    document.set_figure(REF, "987人", "edit")
    before = (plan_snapshot(document.plan), document.undo_stack.index(), document.undo_stack.count())

    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: bool(handler.reports))

    assert [r.message for r in dialogs.shown] == [S.ERROR_TEXT]
    details = dialogs.shown[0].details
    assert "Traceback" in details and "RuntimeError: 計算中の想定外の状態" in details and "in boom" in details
    assert "RuntimeError: 計算中の想定外の状態" in log_text(handler)
    assert (plan_snapshot(document.plan), document.undo_stack.index(), document.undo_stack.count()) == before
    assert document.modified
    document.undo_stack.undo()  # the history still works
    assert document.plan.figure(REF) == load_plan(SAMPLE_WORKBOOK).figure(REF)
    alive = QTimer(singleShot=True, interval=0)
    with qtbot.waitSignal(alive.timeout):
        alive.start()  # the event loop still runs
    document.deleteLater()


def test_an_error_in_a_thread_is_reported_on_the_gui_thread(handler, dialogs, qtbot):
    worker = threading.Thread(target=boom, name="書き出し")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(dialogs.shown))
    assert "thread: 書き出し" in dialogs.shown[0].details
    assert "RuntimeError" in log_text(handler)


def test_a_failing_dialog_or_errors_during_it_never_recurse(handler, dialogs, qtbot):
    def second_error_then_fail():
        QTimer.singleShot(0, boom)
        qtbot.wait(20)  # the dialog's own event loop runs the second error
        raise ValueError("dialog broke")

    dialogs.on_show = second_error_then_fail
    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: len(handler.reports) == 2)
    assert len(dialogs.shown) == 1  # the second error was logged and recorded, not shown on top
    text = log_text(handler)
    assert text.count("RuntimeError: 計算中の想定外の状態") == 2
    assert "the error dialog itself failed" in text and "ValueError: dialog broke" in text


def test_the_same_fault_again_is_logged_but_not_shown_again_at_once(handler, dialogs, qtbot):
    QTimer.singleShot(0, boom)
    QTimer.singleShot(0, boom)
    QTimer.singleShot(0, lambda: {}["missing"])
    qtbot.waitUntil(lambda: len(handler.reports) == 3)
    assert [type(r.error) for r in dialogs.shown] == [RuntimeError, KeyError]
    assert log_text(handler).count("RuntimeError: 計算中の想定外の状態") == 2


def test_the_real_dialog_says_it_in_japanese_with_copyable_details(tmp_path, qapp):
    try:
        boom()
    except RuntimeError as error:
        report = error_handler.Report(S.ERROR_TEXT, "Traceback …", error)
    box = error_handler.build_dialog(None, report, tmp_path / "kawasaki-planner.log")
    assert box.text() == "予期しないエラーが発生しました。作業中の計画は保たれています。"
    assert str(tmp_path / "kawasaki-planner.log") in box.informativeText()
    assert box.detailedText() == "Traceback …"
    box.deleteLater()


def test_the_real_modal_dialog_is_shown_once_and_the_app_goes_on(tmp_path, qtbot):
    handler = error_handler.install(log_dir=tmp_path)  # the real QMessageBox this time
    seen = []

    def answer_the_dialog():
        box = QApplication.activeModalWidget()
        seen.append((box.text(), box.detailedText()))
        box.accept()

    try:
        QTimer.singleShot(0, boom)
        QTimer.singleShot(50, answer_the_dialog)
        qtbot.waitUntil(lambda: bool(seen))
    finally:
        error_handler.uninstall()
    assert seen[0][0] == S.ERROR_TEXT and "RuntimeError: 計算中の想定外の状態" in seen[0][1]
    assert len(handler.reports) == 1


def test_uninstall_restores_the_previous_hooks(tmp_path, qapp):
    before = (sys.excepthook, threading.excepthook)
    error_handler.install(log_dir=tmp_path)
    assert sys.excepthook != before[0]
    error_handler.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_the_log_rotates(tmp_path, monkeypatch, qapp):
    monkeypatch.setattr(error_handler, "LOG_MAX_BYTES", 2000)
    handler = error_handler.install(log_dir=tmp_path, dialog=lambda *args: None)
    try:
        for _ in range(10):
            handler.handle(RuntimeError, RuntimeError("x" * 500), None)
    finally:
        error_handler.uninstall()
    assert (tmp_path / "kawasaki-planner.log.1").exists()
    assert not (tmp_path / "kawasaki-planner.log.4").exists()  # three backups at most


def test_locking_autosaving_and_error_reporting_stay_offline(tmp_path, monkeypatch, qtbot):
    from kawasaki_planner.ui import app_paths
    from kawasaki_planner.ui.autosave import Autosaver, pending_recoveries
    from kawasaki_planner.ui.file_lock import PlanLock

    def refuse(*args, **kwargs):
        raise AssertionError("network use while offline")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refuse)
    monkeypatch.setattr(app_paths, "_override", tmp_path / "appdata")

    plan_path = tmp_path / "計画.xlsx"
    plan_path.write_bytes(SAMPLE_WORKBOOK.read_bytes())
    lock = PlanLock(plan_path)
    assert lock.acquire().ok
    document = PlanDocument(load_plan(plan_path), plan_path)
    autosaver = Autosaver(document, interval_ms=3_600_000)
    document.set_figure(REF, "987人", "edit")
    assert autosaver.save_now()
    assert pending_recoveries() == []
    handler = error_handler.install(log_dir=tmp_path / "logs", dialog=lambda *args: None)
    try:
        handler.handle(RuntimeError, RuntimeError("x"), None)
    finally:
        error_handler.uninstall()
    autosaver.close()
    lock.release()
    document.deleteLater()
