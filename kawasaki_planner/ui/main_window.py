"""The main window: builds the tabs for the open plan and wires actions, documents and settings.

Public attributes for scripts and tests (all live for the plan currently open):

``window.document``            the :class:`~.document.PlanDocument` (``.plan``, ``.path``, ``.modified``)
``window.plan``                the :class:`~kawasaki_planner.core.plan.Plan` being edited
``window.undo_stack``          its QUndoStack (``isClean()`` is the saved state)
``window.menu_actions``        :class:`~.actions.Actions`: ``.new .open .save .save_as .report .quit .undo .redo
                               .copy .paste .clear .settings`` (QActions; ``.trigger()`` them); the same
                               QActions are in ``window.actions()`` (Qt's own list of the window's actions)
``window.section_tabs[n]``     the tab of plan section n (1–7): indicator sections (2, 3, 4, 6, 7) have
                               ``.table_model`` (IndicatorTableModel), ``.table`` (the view) and ``.chart``
                               (``.plan_curve`` / ``.actual_points`` plot items)
``window.forecast_tab``        section 5 (also ``section_tabs[5]``): ``.forecast_model``, ``.age_model``,
                               ``.excluded_model``, ``.share_model``, ``.population_chart``
                               (``.population_curve`` / ``.placed_curve``), ``.age_chart``, ``.eligible_chart``
``window.overview_tab``        進捗一覧: ``.overview_model``, ``.proxy`` and its filters
``window.evaluation_tab``      評価 (the yearly 点検・評価): ``.evaluation_model``, ``.proxy``, ``.table``, the filters,
                               ``.section_editor`` (総合評価) and ``.summary_choice`` (計画期間の総括)
``window.last_message``        the last message shown to the user (refused entry, paste report)
``window.session``             :class:`~.session.FileSession`: ``.lock``, ``.autosaver``, ``.read_only``
``window.comparison``          the open :class:`~.compare_panel.ComparisonPanel` (ファイル → 比較…), or None

The window's size, position and toolbars, and every splitter of each section's tab, are remembered in the
settings when the window closes (and a tab's splitters also when another plan replaces the tab) and restored
when the window is first shown and when the tab is built.

Editing through a model (``model.setData(model.index(r, c), "1,000")``) goes through the undo stack
exactly as typing does; a refused entry returns False, leaves the figure and shows a message.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoGroup
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from ..core.plan import FORECAST_SECTION
from . import dialogs
from . import evaluation_strings as E
from . import safety_strings as SS
from . import strings as S
from .actions import Actions
from .document import PlanDocument, empty_plan
from .lazy_tabs import LazyTabs, TabMapping
from .messages import MessageBar
from .narrative_tab import NarrativeTab
from .session import Claim, FileSession
from .settings import LAST_DIRECTORY, WINDOW_GEOMETRY, WINDOW_STATE, AppSettings, read, splitter_setting, write
from .settings_dialog import ThresholdDialog
from .structure_menu import install_structure_menu
from .table_view import FigureTableView

if TYPE_CHECKING:
    from .overview_tab import OverviewTab

OVERVIEW = "overview"
EVALUATION = "evaluation"

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".json")


class MainWindow(QMainWindow):
    def __init__(
        self, settings: AppSettings | None = None, document: PlanDocument | None = None, claim: Claim | None = None
    ) -> None:
        super().__init__()
        self.settings = settings or AppSettings(self)
        self.undo_group = QUndoGroup(self)
        # Not ``self.actions``: that would shadow QWidget.actions(), which scripts and Qt tools call.
        self.menu_actions = Actions(self, self.undo_group)
        self._shown = False  # set at the first show(): the saved layout is restored then, and saved only after
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.message_bar = MessageBar(self)
        self.session = FileSession(self)
        self.document: PlanDocument | None = None
        self.lazy_tabs = LazyTabs(self.tabs)
        self.section_tabs = TabMapping(self.lazy_tabs, lambda: [k for k in self.lazy_tabs.order if k not in (OVERVIEW, EVALUATION)])
        self.last_message = ""
        self.comparison = None
        self._build()
        self._connect_signals()
        self.set_document(document or PlanDocument(empty_plan()), claim)
        install_structure_menu(self)  # the 構成 menu, the context menus, and the tabs that follow the plan's sections

    # --- building -------------------------------------------------------------
    def _build(self) -> None:
        self.menu_actions.build_menus(self)
        self.menu_actions.build_toolbar(self)
        # Also the window's own: window.actions() lists them, and their shortcuts stay live with the menu bar hidden.
        self.addActions(self.menu_actions.all())
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.setAcceptDrops(True)
        self.statusBar()

    def _connect_signals(self) -> None:
        a = self.menu_actions
        a.new.triggered.connect(self.new_plan)
        a.open.triggered.connect(lambda: self.open_path())
        a.save.triggered.connect(self.save)
        a.save_as.triggered.connect(lambda: self.save_as())
        a.report.triggered.connect(self.export_report)
        a.compare.triggered.connect(self.compare)
        a.quit.triggered.connect(self.close)
        a.copy.triggered.connect(self.copy)
        a.paste.triggered.connect(self.paste)
        a.clear.triggered.connect(self.clear)
        a.settings.triggered.connect(self.edit_settings)
        a.about.triggered.connect(lambda: dialogs.show_about(self))
        a.recent_menu.aboutToShow.connect(
            lambda: a.fill_recent_menu(self.settings.recent_files(), lambda p: self.open_path(p))
        )
        a.clear_recent.triggered.connect(self.settings.clear_recent_files)
        self.settings.thresholds_changed.connect(self._on_thresholds_changed)
        self.session.message.connect(self.show_message)
        self.session.changed.connect(self.update_title)

    def _build_tabs(self) -> None:
        document = self.document
        for section in document.plan.sections:
            self.lazy_tabs.add(section.number, section.display_name, section.title,
                               lambda section=section: self.make_section_tab(section))
        self.lazy_tabs.add(OVERVIEW, S.TAB_OVERVIEW, S.TAB_OVERVIEW, self._make_overview_tab)
        self.lazy_tabs.add(EVALUATION, E.TAB_EVALUATION, E.TAB_TOOLTIP, self._make_evaluation_tab)

    def make_section_tab(self, section) -> QWidget:
        """A new tab for ``section`` as its kind needs (forecast, indicators, text only), its splitters restored."""
        tab = self._new_section_tab(section)
        self._restore_splitters(section.number, tab)
        return tab

    def _new_section_tab(self, section) -> QWidget:
        # Tabs with charts are imported when first built: pyqtgraph (and numpy) stay off the start-up path.
        if section.number == FORECAST_SECTION:
            from .forecast_tab import ForecastTab

            return ForecastTab(self.document, section)
        if section.indicators:
            from .section_tab import SectionTab

            return SectionTab(self.document, section, self.settings.thresholds())
        return NarrativeTab(self.document, section)

    def _make_overview_tab(self) -> OverviewTab:
        from .overview_tab import OverviewTab  # imported when first shown, as its tab is built: not before the first paint

        tab = OverviewTab(self.document, self.settings.thresholds())
        tab.indicator_activated.connect(self.show_indicator)
        return tab

    def _make_evaluation_tab(self) -> QWidget:
        from .evaluation_tab import EvaluationTab

        tab = EvaluationTab(self.document, self.settings.thresholds())
        tab.indicator_activated.connect(self.show_indicator)
        return tab

    @property
    def evaluation_tab(self):
        """The 評価 tab (EvaluationTab), built when asked for."""
        return self.lazy_tabs.get(EVALUATION) if EVALUATION in self.lazy_tabs.order else None

    @property
    def forecast_tab(self):
        """Section 5's tab (ForecastTab), or None for a plan without one."""
        return self.section_tabs.get(FORECAST_SECTION)

    @property
    def overview_tab(self) -> OverviewTab | None:
        return self.lazy_tabs.get(OVERVIEW) if OVERVIEW in self.lazy_tabs.order else None

    def _clear_tabs(self) -> None:
        self._save_splitters()  # the next plan's tabs are new widgets: they start from what this one left
        for tab in self.lazy_tabs.built():
            tab.detach()
        self.lazy_tabs.clear()

    # --- remembered layout ------------------------------------------------------------
    # Saved when the window closes and when a plan's tabs are replaced, not on every splitterMoved: that fires
    # for each mouse move of a drag, and each write syncs the settings file. Losing a layout to a crash is cheap.
    def _remembers_layout(self) -> bool:
        # A window never put on screen (take_screenshot) has a fixed size of its own and no user layout; one not
        # shown yet has nothing the user arranged (and its restore is still to come, at the first show).
        return self._shown and not self.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)

    @staticmethod
    def _splitters(tab: QWidget) -> dict[str, QSplitter]:
        """A tab's splitters by object name, else by their order in the tab (the same on every build)."""
        found = tab.findChildren(QSplitter)
        return {splitter.objectName() or f"splitter{n}": splitter for n, splitter in enumerate(found)}

    def _restore_splitters(self, key, tab: QWidget) -> None:
        # Also before the first show (tabs are built in __init__), but not for a screenshot: it shows the tabs as
        # built. (Its first tab is built before take_screenshot sets the attribute: a narrative, no splitters.)
        if self.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen):
            return
        for name, splitter in self._splitters(tab).items():
            state = read(splitter_setting(f"section-{key}", name))
            if state:
                splitter.restoreState(state)  # False (kept as built) for a state it does not recognise

    def _save_splitters(self) -> None:
        if not self._remembers_layout():
            return
        for tab in self.lazy_tabs.built():  # a tab never built keeps the state saved before, if any
            section = getattr(tab, "section", None)  # the overview has no splitter and no section
            if section is None:
                continue
            for name, splitter in self._splitters(tab).items():
                write(splitter_setting(f"section-{section.number}", name), splitter.saveState())

    def restore_layout(self) -> None:
        """The window's size, position and toolbars as last closed; done once, when it is first shown."""
        geometry, state = read(WINDOW_GEOMETRY), read(WINDOW_STATE)
        # restoreGeometry moves a window saved on a screen that is gone (or smaller now) onto a present one.
        if geometry:
            self.restoreGeometry(geometry)
        if state:
            self.restoreState(state)

    def save_layout(self) -> None:
        """Remember the window's size, position and toolbars and its tabs' splitters (done when it closes)."""
        if not self._remembers_layout():
            return
        write(WINDOW_GEOMETRY, self.saveGeometry())
        write(WINDOW_STATE, self.saveState())
        self._save_splitters()

    # --- the open plan ------------------------------------------------------------
    @property
    def plan(self):
        return self.document.plan

    @property
    def undo_stack(self):
        return self.document.undo_stack

    def set_document(self, document: PlanDocument, claim: Claim | None = None) -> None:
        """Show ``document``; ``claim`` is the lock taken when opening it (None: its path is locked silently)."""
        old = self.document
        current = self.tabs.currentIndex()
        self._clear_tabs()
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
            old.deleteLater()
        self.document = document
        document.setParent(self)
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        document.modified_changed.connect(self.update_title)
        document.message.connect(self.show_message)
        notices = self.session.attach(document, claim)
        self._build_tabs()
        if 0 <= current < self.tabs.count():
            self.tabs.setCurrentIndex(current)
        self.update_title()
        notices += [str(w) for w in getattr(document.plan, "load_warnings", []) or []]
        if notices:  # one bar, one text: a later message would hide an earlier one
            self.show_message("\n".join(notices))

    def update_title(self, *_args) -> None:
        name = self.document.display_name + (SS.READ_ONLY_MARK if self.session.read_only else "")
        self.setWindowTitle(S.TITLE_FORMAT.format(name=name, app=S.APP_NAME))
        self.setWindowModified(self.document.modified)

    def show_message(self, text: str) -> None:
        self.last_message = text
        self.message_bar.show_message(text)
        self.statusBar().showMessage(text, 15000)

    # --- file commands -----------------------------------------------------------------
    def maybe_save_changes(self) -> bool:
        """Ask about unsaved changes; True when it is fine to drop the open plan."""
        if not self.document.modified:
            return True
        answer = dialogs.ask_save_changes(self, self.document.display_name)
        if answer == dialogs.SAVE:
            return self.save()
        return answer == dialogs.DISCARD

    def new_plan(self) -> bool:
        if not self.maybe_save_changes():
            return False
        self.set_document(PlanDocument(empty_plan()))
        return True

    def open_path(self, path: str | Path | None = None) -> bool:
        if not self.maybe_save_changes():
            return False
        if path is None:
            path = dialogs.ask_open_path(self, self.settings_dir())
            if path is None:
                return False
        return self.load(path)

    def load(self, path: str | Path) -> bool:
        """Open ``path`` without the save question (lock question, errors shown; on failure the plan stays)."""
        opened = self.session.open_file(path)
        if opened is None:
            return False
        self.set_document(*opened)
        path = Path(path)
        self._remember(path)
        self.statusBar().showMessage(S.OPENED.format(name=path.name), 8000)
        return True

    def save(self) -> bool:
        """保存: over the plan's own .xlsx, or 名前を付けて保存 when read-only or it has none."""
        return self._saved(self.session.save(self.document))

    def save_as(self, path: str | Path | None = None) -> bool:
        return self._saved(self.session.save_as(self.document, path))

    def export_report(self) -> Path | None:
        """ファイル → 報告書を出力…: the dialog writes the file (or says why it cannot); returns its path."""
        from .report.dialog import ReportDialog

        dialog = ReportDialog(self.plan, self.settings.thresholds(), self.settings_dir(), self, self.document.path)
        dialog.exec()
        dialog.deleteLater()
        if dialog.written is not None:
            self.statusBar().showMessage(dialog.written_message(), 8000)
        return dialog.written

    def compare(self) -> None:
        """ファイル → 比較…: the open plan against its saved version, a backup or another workbook."""
        from .compare_panel import start_comparison

        start_comparison(self)

    def _saved(self, ok: bool) -> bool:
        if ok:
            path = self.document.path
            self._remember(path)
            self.update_title()
            self.statusBar().showMessage(S.SAVED.format(name=path.name), 8000)
        return ok

    def _remember(self, path: Path) -> None:
        if path.suffix.lower() == ".xlsx":
            self.settings.add_recent_file(str(path.resolve()))
        write(LAST_DIRECTORY, str(path.resolve().parent))

    def settings_dir(self) -> str:
        return read(LAST_DIRECTORY) or str(Path.home())

    # --- edit commands -------------------------------------------------------------------
    def focused_table(self) -> FigureTableView | None:
        widget = QApplication.focusWidget()
        while widget is not None and not isinstance(widget, FigureTableView):
            widget = widget.parentWidget()
        if widget is not None:
            return widget
        views = getattr(self.tabs.currentWidget(), "table_views", ())
        return views[0] if views else None

    def copy(self) -> bool:
        table = self.focused_table()
        return bool(table and table.copy_selection())

    def paste(self) -> bool:
        table = self.focused_table()
        return bool(table and table.paste())

    def clear(self) -> bool:
        table = self.focused_table()
        return bool(table and table.clear_selection())

    def edit_settings(self) -> None:
        dialog = ThresholdDialog(self.settings.thresholds(), self)
        if dialog.exec():
            self.settings.set_thresholds(dialog.thresholds())

    def _on_thresholds_changed(self, thresholds) -> None:
        for tab in self.lazy_tabs.built():  # tabs built later read the settings themselves
            tab.set_thresholds(thresholds)

    def show_indicator(self, section: int, id: str) -> None:
        tab = self.section_tabs.get(section)
        if tab is None:
            return
        self.tabs.setCurrentWidget(tab)
        ids = [i.id for i in tab.section.indicators]
        if id in ids:
            tab.select_indicator(ids.index(id))
            tab.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- window events --------------------------------------------------------------------
    def setVisible(self, visible: bool) -> None:
        # Restored at the first show rather than in __init__: create_main_window sizes the new window afterwards
        # (its size for a first start), and restoring before the native window appears avoids a visible jump.
        if visible and not self._shown:
            self._shown = True
            if self._remembers_layout():
                self.restore_layout()
        super().setVisible(visible)

    def closeEvent(self, event) -> None:
        if self.maybe_save_changes():
            self.save_layout()
            self.session.close()
            event.accept()
        else:
            event.ignore()

    def dragEnterEvent(self, event) -> None:
        if self._dropped_path(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        path = self._dropped_path(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_path(path)

    @staticmethod
    def _dropped_path(event) -> str | None:
        for url in event.mimeData().urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(WORKBOOK_SUFFIXES):
                return url.toLocalFile()
        return None
