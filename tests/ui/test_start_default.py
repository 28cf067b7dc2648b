"""A start without a file: the most recent plan that still exists, else the bundled sample, and the status bar says
which. Settings live in the test's own folder (conftest.fresh_settings), so the real recent-files list is never read.
"""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QApplication

from kawasaki_planner.io.tidy import tidy_rows
from kawasaki_planner.samples import sample_plan_path
from kawasaki_planner.ui import app
from kawasaki_planner.ui.settings import RECENT_FILES, read, write

from .conftest import SAMPLE_WORKBOOK


@pytest.fixture
def bare_window(qtbot):
    """The window as run_gui creates it, before anything is opened."""
    win = app.create_main_window()
    win.show()
    yield win
    win.undo_stack.setClean()
    win.close()
    win.deleteLater()


@pytest.fixture
def recent_plan(tmp_path):
    path = tmp_path / "計画.xlsx"
    shutil.copy(SAMPLE_WORKBOOK, path)
    return path


def sample_lock_files() -> list[str]:
    return sorted(p.name for p in sample_plan_path().parent.iterdir() if p.name.startswith("~$"))


def test_with_no_recent_plan_the_bundled_sample_opens_without_a_file_of_its_own(bare_window):
    assert read(RECENT_FILES) == []
    before = sample_lock_files()
    assert app.open_start_plan(bare_window) == str(sample_plan_path())
    assert bare_window.statusBar().currentMessage() == app.STARTED_SAMPLE
    assert bare_window.statusBar().currentMessage().startswith("同梱の計画(公表版)を開きました")
    assert sum(1 for _ in tidy_rows(bare_window.plan)) == 239  # the published plan, every figure
    # Never saved over nor locked: 保存 asks for a name, suggesting the sample's.
    assert bare_window.document.path is None and bare_window.session.lock is None
    assert bare_window.session.suggested_path(bare_window.document).endswith("kawasaki_plan_r8.xlsx")
    assert sample_lock_files() == before
    assert read(RECENT_FILES) == []  # the sample does not become a recent plan


def test_the_most_recent_plan_that_still_exists_is_opened(bare_window, recent_plan, tmp_path):
    write(RECENT_FILES, [str(tmp_path / "消えた計画.xlsx"), str(recent_plan), str(SAMPLE_WORKBOOK)])
    assert app.open_start_plan(bare_window) == str(recent_plan)
    assert bare_window.statusBar().currentMessage() == "最近使った計画「計画.xlsx」を開きました"
    assert bare_window.document.path == recent_plan
    assert bare_window.session.lock is not None  # opened for editing, like any plan
    assert read(RECENT_FILES)[0] == str(recent_plan.resolve())


def test_a_recent_plan_that_cannot_be_read_gives_way_to_the_sample(bare_window, tmp_path, dialog_log):
    broken = tmp_path / "壊れた計画.xlsx"
    broken.write_bytes(b"not a workbook")
    write(RECENT_FILES, [str(broken)])
    assert app.open_start_plan(bare_window) == str(sample_plan_path())
    assert len(dialog_log.errors) == 1  # the failed open is reported as any open is
    assert bare_window.statusBar().currentMessage() == app.STARTED_SAMPLE


def test_run_gui_without_a_path_opens_the_recent_plan(qapp, monkeypatch, recent_plan):
    write(RECENT_FILES, [str(recent_plan)])
    seen = {}

    def exec_instead_of_the_event_loop():
        [win] = [w for w in QApplication.topLevelWidgets() if w.isVisible() and hasattr(w, "session")]
        seen.update(path=win.document.path, message=win.statusBar().currentMessage())
        win.undo_stack.setClean()
        win.close()
        win.deleteLater()
        return 0

    monkeypatch.setattr(qapp, "exec", exec_instead_of_the_event_loop)
    monkeypatch.setattr(app, "ensure_app", lambda: qapp)
    assert app.run_gui(None) == 0
    assert seen == {"path": recent_plan, "message": "最近使った計画「計画.xlsx」を開きました"}


def test_run_gui_with_nothing_recent_shows_the_sample(qapp, monkeypatch):
    seen = {}

    def exec_instead_of_the_event_loop():
        [win] = [w for w in QApplication.topLevelWidgets() if w.isVisible() and hasattr(w, "session")]
        seen.update(figures=sum(1 for _ in tidy_rows(win.plan)), message=win.statusBar().currentMessage())
        win.undo_stack.setClean()
        win.close()
        win.deleteLater()
        return 0

    monkeypatch.setattr(qapp, "exec", exec_instead_of_the_event_loop)
    monkeypatch.setattr(app, "ensure_app", lambda: qapp)
    assert app.run_gui(None) == 0
    assert seen == {"figures": 239, "message": app.STARTED_SAMPLE}
