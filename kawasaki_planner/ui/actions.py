"""Menus, toolbar and their actions, with the standard shortcuts.

Undo/redo come from a QUndoGroup so they always follow the open plan's QUndoStack.
The actions only trigger; the main window connects them to what they do. The window keeps them as
``window.menu_actions`` (not ``actions``: that would shadow ``QWidget.actions()``) and adds them to itself, so
``window.actions()`` lists them like any Qt window's actions.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QMainWindow, QMenu, QStyle, QToolBar

from . import compare_strings as C
from . import strings as S
from .report import strings as R


class Actions:
    """Public: new, open, save, save_as, report, compare, quit, undo, redo, copy, paste, clear, settings, about;
    recent_menu."""

    def __init__(self, window: QMainWindow, undo_group: QUndoGroup) -> None:
        style = window.style()
        icon = style.standardIcon

        def make(text: str, shortcut=None, pixmap=None) -> QAction:
            action = QAction(text, window)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            if pixmap is not None:
                action.setIcon(icon(pixmap))
            return action

        SP = QStyle.StandardPixmap
        Key = QKeySequence.StandardKey
        self.new = make(S.ACT_NEW, Key.New, SP.SP_FileIcon)
        self.open = make(S.ACT_OPEN, Key.Open, SP.SP_DialogOpenButton)
        self.save = make(S.ACT_SAVE, Key.Save, SP.SP_DialogSaveButton)
        self.save_as = make(S.ACT_SAVE_AS, Key.SaveAs)
        self.save_as.setShortcuts([QKeySequence(Key.SaveAs), QKeySequence("Ctrl+Shift+S")])
        self.report = make(R.ACT_REPORT)
        self.compare = make(C.ACT_COMPARE)
        self.compare.setStatusTip(C.ACT_COMPARE_TIP)
        self.quit = make(S.ACT_QUIT, Key.Quit)
        self.quit.setShortcuts([QKeySequence(Key.Quit), QKeySequence("Ctrl+Q")])
        self.undo = undo_group.createUndoAction(window, S.ACT_UNDO)
        self.undo.setShortcuts(QKeySequence.keyBindings(Key.Undo))
        self.undo.setIcon(icon(SP.SP_ArrowBack))
        self.redo = undo_group.createRedoAction(window, S.ACT_REDO)
        self.redo.setShortcuts([*QKeySequence.keyBindings(Key.Redo), QKeySequence("Ctrl+Y")])
        self.redo.setIcon(icon(SP.SP_ArrowForward))
        self.copy = make(S.ACT_COPY, Key.Copy)
        self.paste = make(S.ACT_PASTE, Key.Paste)
        self.clear = make(S.ACT_CLEAR)
        self.settings = make(S.ACT_SETTINGS)
        self.about = make(S.ACT_ABOUT)
        for action in (self.copy, self.paste):
            # The tables handle these keys themselves; the menu entries stay for discoverability.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.recent_menu = QMenu(S.MENU_RECENT, window)
        self.clear_recent = QAction(S.RECENT_CLEAR, window)

    def all(self) -> list[QAction]:
        """Every command action, in menu order (the recent files are made each time the menu opens)."""
        return [self.new, self.open, self.save, self.save_as, self.report, self.compare, self.quit, self.undo, self.redo,
                self.copy, self.paste, self.clear, self.settings, self.about, self.clear_recent]

    def build_menus(self, window: QMainWindow) -> None:
        bar = window.menuBar()
        file_menu = bar.addMenu(S.MENU_FILE)
        file_menu.addActions([self.new, self.open])
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.save, self.save_as])
        file_menu.addSeparator()
        file_menu.addAction(self.report)
        file_menu.addAction(self.compare)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit_menu = bar.addMenu(S.MENU_EDIT)
        edit_menu.addActions([self.undo, self.redo])
        edit_menu.addSeparator()
        edit_menu.addActions([self.copy, self.paste, self.clear])
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings)
        help_menu = bar.addMenu(S.MENU_HELP)
        help_menu.addAction(self.about)

    def build_toolbar(self, window: QMainWindow) -> QToolBar:
        toolbar = window.addToolBar(S.TOOLBAR)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.new, self.open, self.save])
        toolbar.addSeparator()
        toolbar.addActions([self.undo, self.redo])
        return toolbar

    def fill_recent_menu(self, paths: list[str], open_path) -> None:
        menu = self.recent_menu
        menu.clear()
        if not paths:
            empty = menu.addAction(S.RECENT_EMPTY)
            empty.setEnabled(False)
            return
        for number, path in enumerate(paths, start=1):
            action = menu.addAction(f"&{number} {path}")
            action.triggered.connect(lambda _checked=False, p=path: open_path(p))
        menu.addSeparator()
        menu.addAction(self.clear_recent)
