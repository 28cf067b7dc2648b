"""Fixtures for GUI tests: settings in a temporary folder, no modal dialogs, the published plan open."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from kawasaki_planner.ui import dialogs

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SOURCE = ROOT / "sample_data" / "plan_source.json"
SAMPLE_WORKBOOK = ROOT / "sample_data" / "kawasaki_plan_r8.xlsx"

# The offscreen platform plugin warns that it cannot propagate size hints; that says nothing about the app.
IGNORED_QT_MESSAGES = ("propagateSizeHints",)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/ui" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(*IGNORED_QT_MESSAGES))


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path, monkeypatch):
    """Every test starts with default settings stored under its own temporary folder."""
    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


class DialogLog:
    """Answers the modal questions instead of a user, and records them."""

    def __init__(self) -> None:
        self.save_answer: str | None = None
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.open_path: str | None = None
        self.save_path: str | None = None

    def ask_save_changes(self, parent, name):
        self.asked.append(name)
        if self.save_answer is None:
            raise AssertionError("unexpected 「変更の保存」 question")
        return self.save_answer

    def show_error(self, parent, title, text):
        self.errors.append(text)


@pytest.fixture(autouse=True)
def dialog_log(monkeypatch):
    log = DialogLog()
    monkeypatch.setattr(dialogs, "ask_save_changes", log.ask_save_changes)
    monkeypatch.setattr(dialogs, "show_error", log.show_error)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda parent, directory: log.open_path)
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, suggested: log.save_path)
    return log


@pytest.fixture
def window(qtbot):
    from kawasaki_planner import create_main_window

    win = create_main_window(str(SAMPLE_SOURCE))
    win.show()
    qtbot.wait(1)
    yield win
    # Not qtbot.addWidget: pytest-qt would close the window before this fixture could mark it saved.
    win.undo_stack.setClean()
    win.close()
    win.deleteLater()


@pytest.fixture
def plan(window):
    return window.plan
