"""The window's own actions, and its size, position and splitters remembered from one start to the next.

Settings are isolated per test by the ``fresh_settings`` fixture of conftest.py, so a window closed here writes
its layout to the test's temporary folder and the next window built in the same test reads it back.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSplitter

from kawasaki_planner import create_main_window
from kawasaki_planner.ui import settings

from .conftest import SAMPLE_SOURCE

INDICATORS = 2
# Within the offscreen screen (800×600): restoreGeometry fits a window to its screen, which would shrink a
# larger one and move its splitters with it.
SMALL = (760, 560)


@pytest.fixture
def open_window(qtbot):
    """Builds and shows windows of the sample plan; closes whatever is still open at the end."""
    made = []

    def make(size=SMALL):
        win = create_main_window(str(SAMPLE_SOURCE))
        made.append(win)
        if size:
            win.resize(*size)  # a saved geometry still wins at show(), as after create_main_window's resize
        win.show()
        qtbot.waitExposed(win)
        return win

    yield make
    for win in made:
        win.undo_stack.setClean()
        win.close()
        win.deleteLater()


def reopen(open_window, win):
    assert win.close()
    return open_window()


def test_window_actions_is_qts_list_with_the_menu_actions(window):
    actions = window.actions()
    assert all(isinstance(a, QAction) for a in actions)
    save = window.menu_actions.save
    assert save in actions and save.shortcut().toString() == "Ctrl+S"
    assert {window.menu_actions.undo, window.menu_actions.open, window.menu_actions.quit} <= set(actions)
    assert [a for a in window.actions() if a.shortcut().toString() == "Ctrl+S"] == [save]


def test_ctrl_s_still_triggers_save_once(window, qtbot, dialog_log):
    # In the menu and on the window: one shortcut, not an ambiguous pair that would trigger nothing.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    triggered = []
    window.menu_actions.save.triggered.connect(lambda: triggered.append(True))
    qtbot.keyClick(window.tabs, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert triggered == [True]
    assert dialog_log.suggested  # 保存 of a plan without a file asked for a name (and was cancelled)


def test_the_size_and_toolbar_state_come_back_after_closing(open_window, qtbot):
    win = open_window()
    win.resize(720, 520)
    qtbot.waitUntil(lambda: win.size().toTuple() == (720, 520))
    win = reopen(open_window, win)
    assert win.size().toTuple() == (720, 520)
    assert settings.read(settings.WINDOW_GEOMETRY) and settings.read(settings.WINDOW_STATE)


def test_a_first_start_keeps_the_default_size(open_window):
    assert settings.read(settings.WINDOW_GEOMETRY) == b""
    assert open_window(size=None).size().toTuple() == (1366, 768)  # create_main_window's


def test_a_saved_geometry_that_qt_cannot_read_is_ignored(open_window):
    settings.write(settings.WINDOW_GEOMETRY, b"not a geometry")
    settings.write(settings.WINDOW_STATE, b"\x00\x01")
    assert open_window(size=None).size().toTuple() == (1366, 768)


def test_a_position_on_a_screen_that_is_gone_is_brought_back(open_window, qtbot):
    win = open_window()
    win.resize(700, 500)
    win.move(-20_000, -20_000)  # where a second monitor used to be
    win = reopen(open_window, win)
    assert win.size().toTuple() == (700, 500)  # restored…
    assert win.screen().availableGeometry().intersects(win.frameGeometry())  # …onto the screen that is there


def splitters(tab) -> dict[str, QSplitter]:
    return {s.objectName(): s for s in tab.findChildren(QSplitter)}


def drag(splitter: QSplitter, qtbot) -> list[int]:
    """Moves the splitter's handles well away from where they were built, as a drag would; the sizes it ends at."""
    qtbot.waitUntil(splitter.isVisible)  # laid out at the window's size, as the planner sees it
    before = splitter.sizes()
    total, rest = sum(before), len(before) - 1
    first = total // 4  # a quarter to the first pane, the others share the remainder
    splitter.setSizes([first, *[(total - first) // rest] * rest])
    assert splitter.sizes() != before
    return splitter.sizes()


def test_the_forecast_tabs_splitters_come_back_after_closing(open_window, qtbot):
    win = open_window()
    win.tabs.setCurrentWidget(win.forecast_tab)
    named = splitters(win.forecast_tab)
    assert set(named) == {"tablesAndCharts", "charts", "scenarioCharts"}
    moved = {}
    for name, splitter in named.items():
        win.forecast_tab.chart_pages.setCurrentIndex(1 if name == "scenarioCharts" else 0)  # the page it stands on
        moved[name] = drag(splitter, qtbot)
    win = reopen(open_window, win)
    win.tabs.setCurrentWidget(win.forecast_tab)
    qtbot.waitUntil(lambda: win.forecast_tab.isVisible())
    sizes = {}
    for name, splitter in splitters(win.forecast_tab).items():
        win.forecast_tab.chart_pages.setCurrentIndex(1 if name == "scenarioCharts" else 0)
        qtbot.waitUntil(splitter.isVisible)
        sizes[name] = splitter.sizes()
    assert sizes == moved


def test_an_indicator_tabs_splitters_come_back_and_stay_its_own(open_window, qtbot):
    win = open_window()
    win.tabs.setCurrentWidget(win.section_tabs[INDICATORS])
    tab = win.section_tabs[INDICATORS]
    moved = drag(tab.splitter, qtbot)
    win.tabs.setCurrentWidget(win.section_tabs[3])
    other_default = win.section_tabs[3].splitter.sizes()
    win = reopen(open_window, win)
    win.tabs.setCurrentWidget(win.section_tabs[INDICATORS])
    qtbot.waitUntil(lambda: win.section_tabs[INDICATORS].isVisible())
    assert win.section_tabs[INDICATORS].splitter.sizes() == moved
    win.tabs.setCurrentWidget(win.section_tabs[3])
    qtbot.waitUntil(lambda: win.section_tabs[3].isVisible())
    assert win.section_tabs[3].splitter.sizes() == other_default  # section 3 was not moved: not section 2's


def test_opening_another_plan_keeps_the_splitters_moved_in_the_first(open_window, qtbot, tmp_path):
    win = open_window()
    win.tabs.setCurrentWidget(win.forecast_tab)
    moved = drag(splitters(win.forecast_tab)["tablesAndCharts"], qtbot)
    assert win.load(SAMPLE_SOURCE)  # the tabs are rebuilt for the plan opened
    win.tabs.setCurrentWidget(win.forecast_tab)
    qtbot.waitUntil(lambda: win.forecast_tab.isVisible())
    assert splitters(win.forecast_tab)["tablesAndCharts"].sizes() == moved
