"""Starting the GUI: the QApplication, the main window, the event loop and offscreen screenshots.

``run_gui(None)`` starts with a new, empty plan built from the bundled template (the
published sections, texts, rows and age shares, no figures); a path opens that workbook.

Only ``run_gui`` installs the global error handler and runs the start-up questions (``start_session``:
restore what a crashed session left); ``create_main_window`` stays free of modal questions and global hooks
so scripts and tests can build windows freely.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from . import error_handler
from . import strings as S
from .document import PlanDocument, load_plan_file
from .main_window import MainWindow
from .session import Claim

JAPANESE_FONTS = ("Yu Gothic UI", "Meiryo UI", "Meiryo", "BIZ UDPGothic", "IPAexGothic", "Noto Sans CJK JP", "IPAGothic")
SCREENSHOT_SIZE = (1366, 768)
FONT_POINT_SIZE = 10
PRELOAD_DELAY_MS = 300


def ensure_app() -> QApplication:
    """The running QApplication, created (with a Japanese UI font) if there is none."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(S.ORG_NAME)
        QCoreApplication.setApplicationName(S.SETTINGS_APP)
        app = QApplication(sys.argv[:1])
    app.setApplicationDisplayName(S.APP_NAME)
    apply_japanese_font(app)
    install_japanese_translations(app)
    set_window_icon(app)
    return app


def install_japanese_translations(app: QApplication) -> None:
    """Qt's own texts (OK/キャンセル, file dialogs, context menus) in Japanese, from the translations Qt ships."""
    if getattr(app, "_kp_translator", None) is not None:
        return
    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Language.Japanese), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
        app._kp_translator = translator


def set_window_icon(app: QApplication) -> None:
    from importlib.resources import files

    icon = files("kawasaki_planner.resources").joinpath("app.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))


def apply_japanese_font(app: QApplication) -> None:
    families = set(QFontDatabase.families())
    for family in JAPANESE_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSize(FONT_POINT_SIZE)
            app.setFont(font)
            return


def create_main_window(path: str | Path | None = None, *, lock: bool = True) -> MainWindow:
    """The ready main window; the plan at ``path`` is loaded (errors propagate as PlanFormatError/OSError).

    Its workbook is locked without asking (held by someone else: read-only); ``lock=False`` is for a window that
    never edits, like a screenshot, so a colleague's lock or a read-only folder does not show in the picture.
    """
    ensure_app()
    document = PlanDocument(load_plan_file(path), path if Path(path).suffix.lower() == ".xlsx" else None) if path else None
    # Not locked (screenshot, or .xlsm/.json that is never saved over), but still named for the Save-As suggestion.
    unlocked = path and (not lock or Path(path).suffix.lower() != ".xlsx")
    window = MainWindow(document=document, claim=Claim(Path(path)) if unlocked else None)
    window.resize(*SCREENSHOT_SIZE)
    return window


def start_session(window: MainWindow, path: str | Path | None = None) -> bool:
    """The start-up flow, before the event loop: offer pending recoveries, then open ``path``.

    A restored plan wins over ``path`` (opening it would first ask to save the restored edits); True when the
    window shows a restored or opened plan.
    """
    if window.session.offer_recoveries():
        return True
    return bool(path) and window.load(path)


def preload_chart_tabs() -> None:
    """Load the charting tabs once the window is up, so the first switch to one does not wait for pyqtgraph."""
    from . import forecast_tab, section_tab  # noqa: F401


def run_gui(path: str | None = None) -> int:
    """Run the application until the window closes; a path that fails to load is reported, and a new plan shown."""
    app = ensure_app()
    error_handler.install()  # from here on an unexpected error is logged and shown, never fatal
    try:
        window = create_main_window()
        window.show()  # the start-up questions appear over the window, not alone on the desktop
        start_session(window, path)
        QTimer.singleShot(PRELOAD_DELAY_MS, preload_chart_tabs)
        return app.exec()
    finally:
        error_handler.uninstall()


def take_screenshot(plan_path: str, out_png: str, tab: int | None = None) -> int:
    """Render the window with ``plan_path`` open (tab index ``tab``) at 1366×768 into ``out_png``; 0 on success."""
    app = ensure_app()
    window = create_main_window(plan_path, lock=False)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    window.resize(*SCREENSHOT_SIZE)
    if tab is not None:
        if not 0 <= tab < window.tabs.count():
            print(f"タブ番号は 0〜{window.tabs.count() - 1} で指定してください", file=sys.stderr)
            return 2
        window.tabs.setCurrentIndex(tab)
    window.show()
    for _ in range(3):
        app.processEvents()
    ok = window.grab().save(str(out_png), "PNG")
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()
    app.processEvents()
    return 0 if ok else 1


__all__ = ["create_main_window", "run_gui", "start_session", "take_screenshot"]
