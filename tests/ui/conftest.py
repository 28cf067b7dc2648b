"""Fixtures for GUI tests: settings and app data in temporary folders, no modal dialogs, the published plan open."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from kawasaki_planner.ui import app_paths, dialogs, safety_dialogs, structure_dialogs

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


@pytest.fixture(autouse=True)
def fresh_data_dir(tmp_path, monkeypatch):
    """Autosaves and error logs of every test go to its own folder, never to the real profile."""
    folder = tmp_path / "appdata"
    monkeypatch.delenv(app_paths.ENV_VAR, raising=False)
    app_paths.set_data_dir(folder)
    yield folder
    app_paths.set_data_dir(None)


class DialogLog:
    """Answers the modal questions instead of a user, and records them."""

    def __init__(self) -> None:
        self.save_answer: str | None = None
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.open_path: str | None = None
        self.save_path: str | None = None
        self.suggested: list[str] = []
        self.lock_answer: str | None = None
        self.locked_asked: list = []
        self.restore_answer: str | None = None
        self.save_as_instead: bool | None = None
        self.save_locked: list[str] = []
        self.drop_answer: bool | None = None
        self.drop_asked: list[str] = []
        # Structure edits (structure_dialogs): answers queued per input dialog, and the removal question.
        self.structure_answers: dict[str, list] = {}
        self.structure_asked: list[tuple[str, tuple]] = []
        self.removal_answer: bool | None = None
        self.removal_asked: list[tuple[str, str]] = []

    def answer(self, name: str, *answers) -> None:
        """Queue what the input dialog ``name`` (structure_dialogs.ASK_FUNCTIONS) answers, in turn; None cancels."""
        self.structure_answers.setdefault(name, []).extend(answers)

    def structure_dialog(self, name: str):
        def ask(parent, *args):
            self.structure_asked.append((name, args))
            answers = self.structure_answers.get(name)
            if not answers:
                raise AssertionError(f"unexpected structure dialog {name}{args}")
            return answers.pop(0)

        return ask

    def confirm_removal(self, parent, text, info):
        self.removal_asked.append((text, info))
        if self.removal_answer is None:
            raise AssertionError(f"unexpected 「削除の確認」 question: {text} {info}")
        return self.removal_answer

    def ask_save_changes(self, parent, name):
        self.asked.append(name)
        if self.save_answer is None:
            raise AssertionError("unexpected 「変更の保存」 question")
        return self.save_answer

    def show_error(self, parent, title, text):
        self.errors.append(text)

    def ask_save_path(self, parent, suggested):
        self.suggested.append(suggested)
        return self.save_path

    def ask_when_locked(self, parent, result):
        self.locked_asked.append(result)
        if self.lock_answer is None:
            raise AssertionError("unexpected 「ほかの人が編集中です」 question")
        return self.lock_answer

    def ask_restore(self, parent, recovery):
        if self.restore_answer is None:
            raise AssertionError("unexpected 「前回の作業の復元」 question")
        return self.restore_answer

    def ask_save_as_instead(self, parent, reason):
        self.save_locked.append(reason)
        if self.save_as_instead is None:
            raise AssertionError("unexpected 「上書き保存できません」 question")
        return self.save_as_instead

    def ask_save_dropping(self, parent, text):
        self.drop_asked.append(text)
        if self.drop_answer is None:
            raise AssertionError("unexpected 「保存すると失われるものがあります」 question")
        return self.drop_answer


@pytest.fixture(autouse=True)
def dialog_log(monkeypatch):
    log = DialogLog()
    monkeypatch.setattr(dialogs, "ask_save_changes", log.ask_save_changes)
    monkeypatch.setattr(dialogs, "show_error", log.show_error)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda parent, directory: log.open_path)
    monkeypatch.setattr(dialogs, "ask_save_path", log.ask_save_path)
    monkeypatch.setattr(dialogs, "ask_save_as_instead", log.ask_save_as_instead)
    monkeypatch.setattr(dialogs, "ask_save_dropping", log.ask_save_dropping)
    monkeypatch.setattr(safety_dialogs, "ask_when_locked", log.ask_when_locked)
    monkeypatch.setattr(safety_dialogs, "ask_restore", log.ask_restore)
    for name in structure_dialogs.ASK_FUNCTIONS:
        monkeypatch.setattr(structure_dialogs, name, log.structure_dialog(name))
    monkeypatch.setattr(structure_dialogs, "confirm_removal", log.confirm_removal)
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
