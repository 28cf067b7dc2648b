"""Starting the GUI: the QApplication, the main window, the event loop and offscreen screenshots.

``run_gui(path)`` opens that workbook. ``run_gui(None)`` opens the most recent plan (the first of the recent
files that still exists), else the bundled sample (the plan as published), and says which in the status bar
(``open_start_plan``). The sample is opened as a plan without a file of its own: 保存 asks for a name, so the
bundled copy is never written over (nor locked).

Only ``run_gui`` installs the global error handler and runs the start-up questions (``start_session``:
restore what a crashed session left); ``create_main_window`` stays free of modal questions and global hooks
so scripts and tests can build windows freely. ``run_gui`` shows its window once the start-up plan is in, so the
first thing painted is the plan; a question, or an open slower than the progress panel's delay, shows it sooner.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The Qt-free half of the app (the workbook layer and the core) before PySide6: once imported, PySide6 checks every
# module imported after it (it reads the module's source, to see whether it uses PySide6's __feature__ switches), and
# openpyxl and numpy alone are some 260 modules. About 35 ms less CPU for a start from the command line.
from ..io import workbook as _workbook  # noqa: F401

# isort: split
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from . import error_handler
from . import strings as S
from .document import PlanDocument, load_plan_file
from .fonts import JAPANESE_FONTS, japanese_family
from .long_task import run_with_progress
from .main_window import MainWindow
from .session import LOAD_ERRORS, Claim

SCREENSHOT_SIZE = (1366, 768)
FONT_POINT_SIZE = 10
PRELOAD_DELAY_MS = 300

# Start-up and screenshot messages (could join strings.py).
STARTED_RECENT = "最近使った計画「{name}」を開きました"
STARTED_SAMPLE = "同梱の計画(公表版)を開きました。保存するときは名前を付けて保存します"
SAMPLE_MISSING = "同梱の計画が見つからないため、新しい計画を表示しています"
SAMPLE_FAILED = "同梱の計画を開けませんでした: {reason}"
SHOT_NO_FOLDER = "エラー: スクリーンショットの保存先フォルダー「{folder}」がありません"
SHOT_NOT_PNG = "エラー: スクリーンショットの保存先「{path}」はフォルダーです。ファイル名(….png)を指定してください"
SHOT_SAVE_FAILED = "エラー: スクリーンショットを「{path}」に保存できませんでした(書き込みできない場所か、ディスクがいっぱいです)"
SHOT_PLAN_MISSING = "エラー: 計画ファイル「{path}」が見つかりません"
SHOT_PLAN_FAILED = "エラー: 計画「{path}」を開けません: {reason}"
SHOT_BAD_TAB = "エラー: タブ番号は 0〜{last} で指定してください"


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
    family = japanese_family(JAPANESE_FONTS)
    if family in JAPANESE_FONTS:
        font = QFont(family)
        font.setPointSize(FONT_POINT_SIZE)
        app.setFont(font)


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


def open_start_plan(window: MainWindow) -> str | None:
    """A start without a file: the most recent plan that still exists, else the bundled sample; the status bar says
    which. Returns the path opened (None: a new plan stays). A recent plan that fails to open (reported as any
    open is) or whose lock question is cancelled gives way to the sample.
    """
    from ..samples import sample_plan_path

    recent = next((Path(p) for p in window.settings.recent_files() if Path(p).is_file()), None)
    if recent is not None and window.load(recent):
        window.statusBar().showMessage(STARTED_RECENT.format(name=recent.name))
        return str(recent)
    sample = sample_plan_path()
    if sample is None:
        window.statusBar().showMessage(SAMPLE_MISSING)
        return None
    try:
        plan = run_with_progress(window, S.LOADING.format(name=sample.name), lambda progress: load_plan_file(sample, progress))
    except LOAD_ERRORS as error:
        window.show_message(SAMPLE_FAILED.format(reason=error))
        return None
    # No path of its own: 保存 becomes 名前を付けて保存 (suggesting the sample's name in the last folder used).
    window.set_document(PlanDocument(plan), Claim(sample))
    window.statusBar().showMessage(STARTED_SAMPLE)
    return str(sample)


def run_gui(path: str | None = None) -> int:
    """Run the application until the window closes; a path that fails to load is reported, and a new plan shown.

    Without a path: a plan restored from a crashed session, else the most recent plan, else the bundled sample.
    """
    app = ensure_app()
    error_handler.install()  # from here on an unexpected error is logged and shown, never fatal
    try:
        window = create_main_window()
        # Shown once its plan is in: the first picture is the plan, not an empty window painted first. A start-up
        # question (a recovery, a lock, a file that cannot be read) or a slow open shows it earlier (session, long_task).
        try:
            if not start_session(window, path) and not path:
                open_start_plan(window)
        finally:
            window.show()
        QTimer.singleShot(PRELOAD_DELAY_MS, preload_chart_tabs)
        return app.exec()
    finally:
        error_handler.uninstall()


def take_screenshot(plan_path: str, out_png: str, tab: int | None = None) -> int:
    """Render the window with ``plan_path`` open (tab index ``tab``) at 1366×768 into ``out_png``.

    0 on success; otherwise a Japanese message on stderr and 2 (no folder, a folder given, an unreadable plan,
    a bad tab number, a picture that could not be written).
    """
    out = Path(out_png)
    if out.is_dir():
        return _refuse(SHOT_NOT_PNG.format(path=out))
    if not out.parent.is_dir():  # checked before Qt renders anything: the answer is known now
        return _refuse(SHOT_NO_FOLDER.format(folder=out.parent))
    app = ensure_app()
    try:
        window = create_main_window(plan_path, lock=False)
    except FileNotFoundError:
        return _refuse(SHOT_PLAN_MISSING.format(path=plan_path))
    except LOAD_ERRORS as error:
        return _refuse(SHOT_PLAN_FAILED.format(path=plan_path, reason=getattr(error, "strerror", None) or error))
    try:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        window.resize(*SCREENSHOT_SIZE)
        if tab is not None:
            if not 0 <= tab < window.tabs.count():
                return _refuse(SHOT_BAD_TAB.format(last=window.tabs.count() - 1))
            window.tabs.setCurrentIndex(tab)
        window.show()
        for _ in range(3):
            app.processEvents()
        if not window.grab().save(str(out), "PNG"):
            return _refuse(SHOT_SAVE_FAILED.format(path=out))
        return 0
    finally:
        window.document.undo_stack.setClean()
        window.close()
        window.deleteLater()
        app.processEvents()


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


__all__ = ["create_main_window", "open_start_plan", "run_gui", "start_session", "take_screenshot"]
