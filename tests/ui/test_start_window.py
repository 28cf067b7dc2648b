"""run_gui's window first appears with its plan drawn; a question asked at start-up appears over the window."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QApplication

from kawasaki_planner.ui import app, dialogs, safety_dialogs
from kawasaki_planner.ui.main_window import MainWindow

from .conftest import SAMPLE_WORKBOOK
from .test_window_recovery import left_behind


@pytest.fixture
def plan_path(tmp_path):
    path = tmp_path / "計画.xlsx"
    shutil.copy(SAMPLE_WORKBOOK, path)
    return path


def _run(qapp, monkeypatch, path) -> dict:
    """run_gui(path) up to its event loop: what the window showed then, and when it was shown."""
    seen: dict = {"documents": []}
    set_document = MainWindow.set_document

    def recording_set_document(self, document, claim=None):
        seen["documents"].append((document.path, self.isVisible()))
        set_document(self, document, claim)

    def exec_instead_of_the_event_loop():
        [win] = [w for w in QApplication.topLevelWidgets() if w.isVisible() and hasattr(w, "session")]
        seen["path"] = win.document.path
        win.undo_stack.setClean()
        win.close()
        win.deleteLater()
        return 0

    monkeypatch.setattr(MainWindow, "set_document", recording_set_document)
    monkeypatch.setattr(qapp, "exec", exec_instead_of_the_event_loop)
    monkeypatch.setattr(app, "ensure_app", lambda: qapp)
    assert app.run_gui(str(path) if path else None) == 0
    return seen


def test_the_window_is_shown_only_once_its_plan_is_in(qapp, monkeypatch, plan_path):
    seen = _run(qapp, monkeypatch, plan_path)
    assert seen["path"] == plan_path  # the loop starts on the opened plan
    # The empty plan the window is built with, then the plan: both while hidden, so nothing empty is ever painted.
    assert seen["documents"] == [(None, False), (plan_path, False)]


def test_the_sample_opened_at_a_start_without_a_file_is_also_in_before_the_window_shows(qapp, monkeypatch):
    seen = _run(qapp, monkeypatch, None)
    assert [visible for _, visible in seen["documents"]] == [False, False]
    assert seen["path"] is None  # the sample: a plan without a file of its own


def test_a_file_that_cannot_be_read_is_reported_over_the_shown_window(qapp, monkeypatch, tmp_path):
    broken = tmp_path / "壊れた計画.xlsx"
    broken.write_bytes(b"not a workbook")
    parents = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: parents.append((parent.isVisible(), text)))
    seen = _run(qapp, monkeypatch, broken)
    assert len(parents) == 1 and parents[0][0]  # the window was on the screen under the message
    assert seen["path"] is None  # a new plan stays


def test_a_recovery_question_at_start_up_is_asked_over_the_shown_window(qapp, monkeypatch, plan_path):
    left_behind()
    parents = []

    def ask_restore(parent, recovery):
        parents.append(parent.isVisible())
        return safety_dialogs.DISCARD

    monkeypatch.setattr(safety_dialogs, "ask_restore", ask_restore)
    seen = _run(qapp, monkeypatch, plan_path)
    assert parents == [True]
    assert seen["path"] == plan_path  # discarded: the file given opens
