"""The 構成 menu and the context menus that change the plan's structure, and the tabs that follow it.

``install_structure_menu(window)`` adds the 構成 menu to the main window (before ヘルプ) and, for every plan
the window opens:

* the menu's section and year edits (節を追加 / 題名を変更 / 削除, 計画期間を変更) and the current indicator's
  edits (the current row of a section table, or of the 進捗一覧);
* a context menu on each indicator row, status row and narrative block, and double-click to edit a status row
  or a block;
* the tabs following the plan: a section added gets its tab at its place by number, a removed one loses it, a
  renamed one is renamed, a section that gains its first indicators (or loses its last) is built anew as the
  kind of tab it now is, and section 5's tab is built anew for new fiscal years or another adoption row.

Every edit is one step on the plan's undo stack (:mod:`.structure_commands`, pushed by
``PlanDocument.edit_structure``); every question goes through :mod:`.structure_dialogs`, which tests replace.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import astuple

import shiboken6
from PySide6.QtCore import QItemSelectionModel, QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ..core import structure as st
from ..core.fiscal import era_label
from ..core.plan import ADOPTION_ROLE, FORECAST_SECTION, Section
from . import strings as S
from . import structure_commands as C
from . import structure_dialogs as SD
from . import structure_strings as T
from .narrative_tab import NarrativeTab
from .structure_commands import in_plan


def install_structure_menu(window) -> StructureUI:
    """Add the 構成 menu and the structure editing to ``window`` (once; later calls return the same)."""
    ui = getattr(window, "structure_ui", None)
    if ui is None:
        ui = window.structure_ui = StructureUI(window)
    return ui


class StructureUI(QObject):
    """Public: ``menu`` and the QActions ``add_indicator … set_years``; the ``*_menu`` context-menu builders;
    and one method per edit (``add_indicator_to(number)``, ``remove_indicator(number, id)``, …), as the menus
    call them."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.document = None
        self._forecast_signature: tuple | None = None
        self._build_actions()
        self._install_menu()
        window.undo_group.activeStackChanged.connect(self._on_active_stack)
        window.tabs.currentChanged.connect(self.update_actions)
        window.lazy_tabs.on_built.append(self._on_tab_built)
        for key, tab in window.lazy_tabs.built_items():
            self._on_tab_built(key, tab)
        if window.document is not None:
            self._attach(window.document)

    # --- actions and the menu ---------------------------------------------------------------------------
    def _build_actions(self) -> None:
        def make(text: str, slot, checkable: bool = False) -> QAction:
            action = QAction(text, self.window)
            action.setCheckable(checkable)
            action.triggered.connect(lambda _checked=False: slot())
            return action

        self.add_indicator = make(T.ACT_ADD_INDICATOR, lambda: self.add_indicator_to(None))
        self.rename_indicator_action = make(T.ACT_RENAME_INDICATOR, lambda: self._on_current(self.rename_indicator))
        self.change_unit_action = make(T.ACT_CHANGE_UNIT, lambda: self._on_current(self.change_unit))
        self.change_direction_action = make(T.ACT_CHANGE_DIRECTION, lambda: self._on_current(self.change_direction))
        self.move_up = make(T.ACT_MOVE_UP, lambda: self._on_current(self.move_indicator, -1))
        self.move_down = make(T.ACT_MOVE_DOWN, lambda: self._on_current(self.move_indicator, 1))
        self.adoption = make(T.ACT_SET_ADOPTION, lambda: self._on_current(self.toggle_adoption), checkable=True)
        self.remove_indicator_action = make(T.ACT_REMOVE_INDICATOR, lambda: self._on_current(self.remove_indicator))
        self.add_section_action = make(T.ACT_ADD_SECTION, self.add_section)
        self.rename_section_action = make(T.ACT_RENAME_SECTION, lambda: self._on_section(self.rename_section))
        self.remove_section_action = make(T.ACT_REMOVE_SECTION, lambda: self._on_section(self.remove_section))
        self.set_years_action = make(T.ACT_SET_YEARS, self.set_years)
        self.indicator_actions = (self.rename_indicator_action, self.change_unit_action, self.change_direction_action,
                                  self.move_up, self.move_down, self.adoption, self.remove_indicator_action)

    def _install_menu(self) -> None:
        bar = self.window.menuBar()
        self.menu = QMenu(T.MENU_STRUCTURE, self.window)
        self.menu.addAction(self.add_indicator)
        self.menu.addActions(list(self.indicator_actions[:3]))
        self.menu.addActions([self.move_up, self.move_down])
        self.menu.addAction(self.adoption)
        self.menu.addAction(self.remove_indicator_action)
        self.menu.addSeparator()
        self.menu.addActions([self.add_section_action, self.rename_section_action, self.remove_section_action])
        self.menu.addSeparator()
        self.menu.addAction(self.set_years_action)
        self.menu.aboutToShow.connect(self.update_actions)
        help_menu = next((a for a in bar.actions() if a.menu() is not None and a.text() == S.MENU_HELP), None)
        if help_menu is not None:
            bar.insertMenu(help_menu, self.menu)
        else:
            bar.addMenu(self.menu)

    # --- the open plan ------------------------------------------------------------------------------------
    @property
    def plan(self):
        return self.document.plan

    def _on_active_stack(self, _stack) -> None:
        if self.window.document is not self.document:
            self._attach(self.window.document)

    def _attach(self, document) -> None:
        if self.document is not None:
            self.document.plan.structure_changed.disconnect(self._on_structure_changed)
            self.document.undo_stack.indexChanged.disconnect(self.update_actions)
        self.document = document
        self._forecast_signature = None
        if document is not None:
            # Connected before any of the new plan's tabs is built: the tabs are sorted out before their views
            # hear the same announcement.
            document.plan.structure_changed.connect(self._on_structure_changed)
            document.undo_stack.indexChanged.connect(self.update_actions)
        self.update_actions()

    # --- where the user is -------------------------------------------------------------------------------
    def current_section(self) -> Section | None:
        section = getattr(self.window.tabs.currentWidget(), "section", None)
        return section if self.document is not None and in_plan(self.plan, section) else None

    def current_indicator(self) -> tuple[int, str] | None:
        """(section, indicator id) of the current row of the section table, the 進捗一覧 or the 評価 shown, if any."""
        tab = self.window.tabs.currentWidget()
        if self.document is None or tab is None:
            return None
        if getattr(tab, "proxy", None) is not None:  # the 進捗一覧 or the 評価: (section, indicator) of its current row
            current = tab.current_indicator()
            return None if current is None else (current[0].number, current[1].id)
        if hasattr(tab, "current_indicator") and in_plan(self.plan, tab.section):
            indicator = tab.current_indicator()
            return None if indicator is None else (tab.section.number, indicator.id)
        return None

    def _on_current(self, edit, *args) -> None:
        ref = self.current_indicator()
        if ref is None:
            self.document.message.emit(T.NO_INDICATOR)
            return
        edit(*ref, *args)

    def _on_section(self, edit) -> None:
        section = self.current_section()
        if section is not None:
            edit(section.number)

    def update_actions(self, *_args) -> None:
        if not shiboken6.isValid(self.window.tabs):  # the window is being torn down (its stack still signals)
            return
        has_plan = self.document is not None
        section = self.current_section() if has_plan else None
        ref = self.current_indicator() if has_plan else None
        self.add_indicator.setEnabled(section is not None and section.number != FORECAST_SECTION)
        self.rename_section_action.setEnabled(section is not None)
        self.remove_section_action.setEnabled(section is not None and section.number != FORECAST_SECTION)
        self.add_section_action.setEnabled(has_plan)
        self.set_years_action.setEnabled(has_plan)
        indicator = self.plan.section(ref[0]).indicator(ref[1]) if ref else None
        for action in self.indicator_actions:
            action.setEnabled(indicator is not None)
        if indicator is not None:
            siblings = self.plan.section(ref[0]).indicators
            index = siblings.index(indicator)
            self.move_up.setEnabled(index > 0)
            self.move_down.setEnabled(index < len(siblings) - 1)
            self.adoption.setEnabled(indicator.role in ("", ADOPTION_ROLE))
        self.adoption.setChecked(indicator is not None and indicator.role == ADOPTION_ROLE)

    # --- indicators -------------------------------------------------------------------------------------------
    def _indicator(self, number: int, id: str):
        return self.plan.section(number).indicator(id)

    def add_indicator_to(self, number: int | None, index: int | None = None) -> bool:
        """Ask for the label, unit and direction; add the indicator after the current row (or at ``index``)."""
        if number is None:
            section = self.current_section()
            if section is None:
                return False
            number = section.number
            ref = self.current_indicator()
            if index is None and ref is not None and ref[0] == number:
                index = self.plan.section(number).index_of(ref[1]) + 1
        section = self.plan.section(number)
        answer = SD.ask_new_indicator(self.window, section.display_name)
        if answer is None:
            return False
        label, unit, direction = answer
        index = len(section.indicators) if index is None else index
        command = C.add_indicator(self.plan, number, index, label, unit, direction)
        if not self.document.edit_structure(command):
            return False
        self.show_indicator(number, command.indicator.id)
        return True

    def show_indicator(self, number: int, id: str) -> None:
        """Make the indicator's row current in its section's tab (shown)."""
        tab = self.window.section_tabs.get(number)
        if tab is None or not hasattr(tab, "select_indicator"):
            return
        self.window.tabs.setCurrentWidget(tab)
        tab.select_indicator(self.plan.section(number).index_of(id))

    def rename_indicator(self, number: int, id: str) -> bool:
        old = self._indicator(number, id).label
        label = SD.ask_indicator_label(self.window, old)
        if label is None or label.strip() == old:
            return False
        return self.document.edit_structure(C.rename_indicator(self.plan, number, id, label))

    def change_unit(self, number: int, id: str) -> bool:
        """Ask for the unit and whether figures print it (「7か所」 or 「7」); one undo step for what changed."""
        indicator = self._indicator(number, id)
        answer = SD.ask_indicator_unit(self.window, indicator.unit, indicator.print_unit)
        if answer is None:
            return False
        unit, print_unit = answer[0].strip(), answer[1] and bool(answer[0].strip())
        if unit == indicator.unit and print_unit == indicator.print_unit:
            return False
        return self.document.edit_structure(C.change_unit(self.plan, number, id, unit, print_unit))

    def change_direction(self, number: int, id: str) -> bool:
        old = self._indicator(number, id).direction
        direction = SD.ask_direction(self.window, old)
        if direction is None or direction == old:
            return False
        return self.document.edit_structure(C.change_direction(self.plan, number, id, direction))

    def move_indicator(self, number: int, id: str, delta: int) -> bool:
        section = self.plan.section(number)
        index = section.index_of(id) + delta
        if not 0 <= index < len(section.indicators):
            return False
        return self.document.edit_structure(C.move_indicator(self.plan, number, id, index))

    def toggle_adoption(self, number: int, id: str) -> bool:
        """Make the indicator the one section 5 deducts as special adoptions, or (it is already) stop deducting."""
        indicator = self._indicator(number, id)
        if indicator.role == ADOPTION_ROLE:
            if not SD.confirm_removal(self.window, T.CONFIRM_CLEAR_ADOPTION.format(label=indicator.label),
                                      T.CONFIRM_REMOVE_ADOPTION_INFO):
                self.update_actions()  # the checkable action toggled itself: show the truth again
                return False
            ok = self.document.edit_structure(C.set_adoption(self.plan, None))
        else:
            ok = self.document.edit_structure(C.set_adoption(self.plan, (number, id)))
        self.update_actions()
        return ok

    def remove_indicator(self, number: int, id: str) -> bool:
        """Remove the indicator; the adoption row asks first (section 5 stops deducting it)."""
        indicator = self._indicator(number, id)
        if indicator.role == ADOPTION_ROLE and not SD.confirm_removal(
            self.window, T.CONFIRM_REMOVE_ADOPTION.format(label=indicator.label), T.CONFIRM_REMOVE_ADOPTION_INFO
        ):
            return False
        return self.document.edit_structure(C.remove_indicator(self.plan, number, id))

    # --- status rows and narrative blocks (the same list of two-text rows: structure_commands.TextRows) -------
    def edit_status(self, number: int, row: int) -> bool:
        return self._edit_text_row(C.STATUS, SD.ask_status_row, T.STATUS_TITLE_EDIT, number, row)

    def add_status(self, number: int, index: int | None = None) -> bool:
        return self._add_text_row(C.STATUS, SD.ask_status_row, T.STATUS_TITLE_ADD, number, index)

    def remove_status(self, number: int, row: int) -> bool:
        return self.document.edit_structure(C.remove_text_row(self.plan, C.STATUS, number, row))

    def move_status(self, number: int, row: int, delta: int) -> bool:
        return self._move_text_row(C.STATUS, number, row, delta)

    def edit_block(self, number: int, index: int) -> bool:
        return self._edit_text_row(C.NARRATIVE, SD.ask_block, T.BLOCK_TITLE_EDIT, number, index)

    def add_block(self, number: int, index: int | None = None) -> bool:
        return self._add_text_row(C.NARRATIVE, SD.ask_block, T.BLOCK_TITLE_ADD, number, index)

    def remove_block(self, number: int, index: int) -> bool:
        return self.document.edit_structure(C.remove_text_row(self.plan, C.NARRATIVE, number, index))

    def move_block(self, number: int, index: int, delta: int) -> bool:
        return self._move_text_row(C.NARRATIVE, number, index, delta)

    def _edit_text_row(self, kind, ask, title: str, number: int, row: int) -> bool:
        old = astuple(kind.rows_of(self.plan.section(number))[row])
        answer = ask(self.window, title, *old)
        if answer is None or tuple(answer) == old:
            return False
        return self.document.edit_structure(C.edit_text_row(self.plan, kind, number, row, *answer))

    def _add_text_row(self, kind, ask, title: str, number: int, index: int | None) -> bool:
        answer = ask(self.window, title, "", "")
        if answer is None:
            return False
        index = len(kind.rows_of(self.plan.section(number))) if index is None else index
        return self.document.edit_structure(C.add_text_row(self.plan, kind, number, index, *answer))

    def _move_text_row(self, kind, number: int, row: int, delta: int) -> bool:
        if not 0 <= row + delta < len(kind.rows_of(self.plan.section(number))):
            return False
        return self.document.edit_structure(C.move_text_row(self.plan, kind, number, row, row + delta))

    # --- sections and years -----------------------------------------------------------------------------------
    def add_section(self) -> bool:
        """Offer the 策定要領 items the plan lacks (by official title) or a section of the planner's own."""
        answer = SD.ask_new_section(self.window, st.missing_guideline_sections(self.plan))
        if answer is None:
            return False
        number, title, short_title = answer
        command = C.add_section(self.plan, title, short_title, number)
        if not self.document.edit_structure(command):
            return False
        self.window.tabs.setCurrentWidget(self.window.section_tabs[command.number])
        return True

    def rename_section(self, number: int) -> bool:
        section = self.plan.section(number)
        answer = SD.ask_section_title(self.window, section.title, section.short_title)
        if answer is None or answer == (section.title, section.short_title):
            return False
        return self.document.edit_structure(C.rename_section(self.plan, number, *answer))

    def remove_section(self, number: int) -> bool:
        """Remove a section (not section 5); one holding figures says how many go with it and asks first."""
        section = self.plan.section(number)
        if st.section_has_figures(section):
            count = sum(len(i.plan) + len(i.actual) for i in section.indicators)
            info = T.CONFIRM_REMOVE_SECTION_INFO.format(indicators=len(section.indicators), count=count)
            if any(i.role == ADOPTION_ROLE for i in section.indicators):
                info = T.CONFIRM_REMOVE_SECTION_ADOPTION + info
            if not st.texts_of(self.plan, number).is_empty:
                info += T.CONFIRM_REMOVE_TEXTS
            if not SD.confirm_removal(self.window, T.CONFIRM_REMOVE_SECTION.format(title=section.title), info):
                return False
        return self.document.edit_structure(C.remove_section(self.plan, number))

    def set_years(self) -> bool:
        """A new plan period; dropping years that hold figures lists them (how many each) and asks first."""
        plan = self.plan
        years = SD.ask_years(self.window, plan.years, plan.first_forecast_year)
        if years is None or tuple(years) == plan.years:
            return False
        dropped = set(plan.years) - set(years)
        written = st.years_with_texts(plan, dropped)
        held = sorted(set(st.years_with_figures(plan, dropped)) | set(written))
        if held:
            counts = figures_per_year(self.plan, set(held))
            details = "、".join(T.YEAR_COUNT.format(year=era_label(y), count=counts.get(y, 0)) for y in held)
            text = T.CONFIRM_DROP_YEARS.format(years="・".join(era_label(y) for y in held))
            info = T.CONFIRM_DROP_YEARS_INFO.format(details=details)
            if written:
                info += T.CONFIRM_DROP_YEARS_TEXTS.format(years="・".join(era_label(y) for y in written))
            if not SD.confirm_removal(self.window, text, info):
                return False
        return self.document.edit_structure(C.set_years(plan, tuple(years)))

    # --- context menus ---------------------------------------------------------------------------------------
    def indicator_menu(self, tab, row: int) -> QMenu:
        """The menu of an indicator row of a section table (row -1: below the rows, only 追加)."""
        return self._indicator_menu(tab, tab.section, row)

    def overview_menu(self, tab, section: Section, indicator) -> QMenu:
        """The menu of a 進捗一覧 row: the same edits as the indicator's row in its section's table."""
        return self._indicator_menu(tab, section, section.indicators.index(indicator))

    def _indicator_menu(self, parent, section: Section, row: int) -> QMenu:
        number = section.number
        menu = QMenu(parent)
        indicators = section.indicators
        menu.addAction(T.ACT_ADD_INDICATOR).triggered.connect(
            lambda: self.add_indicator_to(number, row + 1 if row >= 0 else len(indicators)))
        if 0 <= row < len(indicators):
            indicator = indicators[row]
            id = indicator.id
            menu.addSeparator()
            menu.addAction(T.ACT_RENAME_INDICATOR).triggered.connect(lambda: self.rename_indicator(number, id))
            menu.addAction(T.ACT_CHANGE_UNIT).triggered.connect(lambda: self.change_unit(number, id))
            menu.addAction(T.ACT_CHANGE_DIRECTION).triggered.connect(lambda: self.change_direction(number, id))
            up = menu.addAction(T.ACT_MOVE_UP)
            up.setEnabled(row > 0)
            up.triggered.connect(lambda: self.move_indicator(number, id, -1))
            down = menu.addAction(T.ACT_MOVE_DOWN)
            down.setEnabled(row < len(indicators) - 1)
            down.triggered.connect(lambda: self.move_indicator(number, id, 1))
            adoption = menu.addAction(T.ACT_SET_ADOPTION)
            adoption.setCheckable(True)
            adoption.setChecked(indicator.role == ADOPTION_ROLE)
            adoption.setEnabled(indicator.role in ("", ADOPTION_ROLE))
            adoption.triggered.connect(lambda: self.toggle_adoption(number, id))
            menu.addSeparator()
            menu.addAction(T.ACT_REMOVE_INDICATOR).triggered.connect(lambda: self.remove_indicator(number, id))
        return menu

    def status_menu(self, tab, row: int) -> QMenu:
        number = tab.section.number
        count = len(tab.section.status)
        menu = QMenu(tab)
        has_row = 0 <= row < count
        if has_row:
            menu.addAction(T.ACT_EDIT_STATUS).triggered.connect(lambda: self.edit_status(number, row))
        menu.addAction(T.ACT_ADD_STATUS).triggered.connect(lambda: self.add_status(number, row + 1 if has_row else count))
        if has_row:
            self._move_actions(menu, row, count, lambda delta: self.move_status(number, row, delta))
            menu.addSeparator()
            menu.addAction(T.ACT_REMOVE_STATUS).triggered.connect(lambda: self.remove_status(number, row))
        return menu

    def narrative_menu(self, tab, block: int | None, view=None, pos: QPoint | None = None) -> QMenu:
        """The narrative's menu: the view's own (コピー …) when shown from the view, then the block's edits."""
        number = tab.section.number
        count = len(tab.section.narrative)
        if view is not None and pos is not None:
            offset = QPoint(view.horizontalScrollBar().value(), view.verticalScrollBar().value())
            menu = view.createStandardContextMenu(pos + offset)
            menu.addSeparator()
        else:
            menu = QMenu(tab)
        has_block = block is not None and 0 <= block < count
        if has_block:
            menu.addAction(T.ACT_EDIT_BLOCK).triggered.connect(lambda: self.edit_block(number, block))
        menu.addAction(T.ACT_ADD_BLOCK).triggered.connect(lambda: self.add_block(number, block + 1 if has_block else count))
        if has_block:
            self._move_actions(menu, block, count, lambda delta: self.move_block(number, block, delta))
            menu.addSeparator()
            menu.addAction(T.ACT_REMOVE_BLOCK).triggered.connect(lambda: self.remove_block(number, block))
        return menu

    @staticmethod
    def _move_actions(menu: QMenu, row: int, count: int, move) -> None:
        up = menu.addAction(T.ACT_MOVE_UP)
        up.setEnabled(row > 0)
        up.triggered.connect(lambda: move(-1))
        down = menu.addAction(T.ACT_MOVE_DOWN)
        down.setEnabled(row < count - 1)
        down.triggered.connect(lambda: move(1))

    # --- tabs ----------------------------------------------------------------------------------------------------
    def _on_tab_built(self, key, tab) -> None:
        """Hook a built tab's views to the context menus and double-click edits."""
        if key == FORECAST_SECTION:
            self._forecast_signature = self._signature()
        table = getattr(tab, "table", None)
        if getattr(tab, "table_model", None) is not None and table is not None:
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            table.customContextMenuRequested.connect(lambda pos, tab=tab: self._show_indicator_menu(tab, pos))
            table.selectionModel().currentRowChanged.connect(self.update_actions)
        if getattr(tab, "proxy", None) is not None and table is not None:  # the 進捗一覧
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            table.customContextMenuRequested.connect(lambda pos, tab=tab: self._show_overview_menu(tab, pos))
            table.selectionModel().currentRowChanged.connect(self.update_actions)
        status = getattr(tab, "status_table", None)
        if status is not None:
            status.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            status.customContextMenuRequested.connect(lambda pos, tab=tab: self._show_status_menu(tab, pos))
            status.doubleClicked.connect(lambda index, tab=tab: self.edit_status(tab.section.number, index.row()))
        narrative = getattr(tab, "narrative", None)
        if narrative is not None and hasattr(narrative, "block_at"):
            narrative.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            narrative.customContextMenuRequested.connect(lambda pos, tab=tab: self._show_narrative_menu(tab, pos))
            narrative.block_activated.connect(lambda block, tab=tab: self.edit_block(tab.section.number, block))
        self.update_actions()

    def _show_indicator_menu(self, tab, pos: QPoint) -> None:
        row = tab.table.indexAt(pos).row()
        if row >= 0:
            tab.select_indicator(row)  # as a right-click in Excel: the row the menu is about becomes current
        run_menu(self.indicator_menu(tab, row), tab.table.viewport().mapToGlobal(pos))

    def _show_overview_menu(self, tab, pos: QPoint) -> None:
        index = tab.table.indexAt(pos)
        if not index.isValid():
            return
        # As a right-click in Excel: the row the menu is about becomes current.
        tab.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        section, indicator = tab.current_indicator()
        run_menu(self.overview_menu(tab, section, indicator), tab.table.viewport().mapToGlobal(pos))

    def _show_status_menu(self, tab, pos: QPoint) -> None:
        row = tab.status_table.indexAt(pos).row()
        run_menu(self.status_menu(tab, row), tab.status_table.viewport().mapToGlobal(pos))

    def _show_narrative_menu(self, tab, pos: QPoint) -> None:
        view = tab.narrative
        run_menu(self.narrative_menu(tab, view.block_at(pos), view, pos), view.viewport().mapToGlobal(pos))

    def _signature(self) -> tuple:
        """What section 5's tab is built for: the years of its tables and charts, and its note on the adoption row."""
        adoption = self.plan.adoption_indicator()
        return self.plan.years, self.plan.first_forecast_year, adoption.label if adoption else None

    def _on_structure_changed(self, number: int | None) -> None:
        """The tabs follow the sections: added at their place by number, removed, renamed, rebuilt as their kind."""
        window, lazy, plan = self.window, self.window.lazy_tabs, self.plan
        present = {s.number for s in plan.sections}
        for key in [k for k in lazy.order if isinstance(k, int) and k not in present]:
            lazy.remove(key)
        for section in plan.sections:
            key = section.number
            if key not in lazy.order:
                # Sections stand by number; the 進捗一覧 (a key that is no number) stays last.
                position = next((i for i, k in enumerate(lazy.order) if not isinstance(k, int) or k > key), len(lazy.order))
                lazy.insert(position, key, section.display_name, section.title, lambda s=section: window.make_section_tab(s))
                continue
            lazy.rename(key, section.display_name, section.title)
            if not lazy.is_built(key):
                continue
            tab = window.section_tabs[key]
            if key == FORECAST_SECTION:
                if self._signature() != self._forecast_signature:
                    lazy.rebuild(key)  # before plan.changed: the old tab's charts would redraw over the new years
                elif number == FORECAST_SECTION:
                    tab.narrative.refresh()
            elif tab.section is not section or isinstance(tab, NarrativeTab) == bool(section.indicators):
                # A text-only section that got its first indicator needs the table and chart (and the other way).
                lazy.rebuild(key, lambda s=section: window.make_section_tab(s))
        self.update_actions()


def run_menu(menu: QMenu, position: QPoint) -> None:
    """Show a context menu until the user picks or leaves (tests stand in for the user here)."""
    menu.exec(position)


def figures_per_year(plan, years: set[int]) -> Counter:
    """How many figures each of ``years`` holds (indicators and section-5 inputs): what dropping it takes away."""
    counts: Counter = Counter()
    for section in plan.sections:
        for indicator in section.indicators:
            for values in (indicator.plan, indicator.actual):
                counts.update(y for y in values if y in years)
    counts.update(key[1] for key in plan.forecast_inputs.cells if key[1] in years)
    return counts
