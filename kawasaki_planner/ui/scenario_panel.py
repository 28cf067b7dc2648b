"""The scenarios on the section-5 tab: which one is chosen, the actions on it, and the side-by-side table.

新しいシナリオ (a copy of the chosen one), 名前の変更, 入力値の編集, 削除, 採用: buttons, and the same in the table's
context menu (for the scenario of the row clicked). Each is one step on the document's undo stack
(:mod:`.scenario_commands`); the questions go through :mod:`.scenario_dialogs`, which tests replace.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core import scenarios as sc
from . import scenario_commands as C
from . import scenario_dialogs as D
from . import scenario_strings as T
from .document import PlanDocument
from .scenario_model import ScenarioCompareModel
from .section_tab import heading


class ScenarioPanel(QWidget):
    """Public: ``combo`` (the chosen scenario), the buttons ``new_button`` …, ``table`` and its ``model``;
    ``selected_id``; one method per action (``new_scenario()``, ``rename_scenario()``, ``edit_inputs()``,
    ``delete_scenario()``, ``adopt_scenario()``), each returning whether the plan changed."""

    scenarios_shown = Signal()  # a scenario was added: the tab may show the comparison charts

    def __init__(self, document: PlanDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.plan = document.plan
        self.model = ScenarioCompareModel(self.plan, self)
        self.combo = QComboBox(self)
        self.combo.setMinimumContentsLength(14)
        self.combo.currentIndexChanged.connect(self._update_buttons)
        self.new_button = self._button(T.ACT_NEW, self.new_scenario, T.TIP_NEW)
        self.rename_button = self._button(T.ACT_RENAME, self.rename_scenario)
        self.edit_button = self._button(T.ACT_EDIT, self.edit_inputs, T.TIP_EDIT)
        self.delete_button = self._button(T.ACT_DELETE, self.delete_scenario)
        self.adopt_button = self._button(T.ACT_ADOPT, self.adopt_scenario, T.TIP_ADOPT)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_menu)
        self.table.clicked.connect(lambda index: self.choose(self.model.scenario_at(index.row())))
        self.model.modelReset.connect(self._fit)
        self._build()
        self.plan.changed.connect(self._on_changed)
        self._fill_combo(sc.adopted(self.plan).id)
        self._fit()

    def _button(self, text: str, slot, tip: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(lambda _checked=False: slot())
        if tip:
            button.setToolTip(tip)
        return button

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(T.HEADING))
        intro = QLabel(T.INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(QLabel(T.CURRENT))
        row.addWidget(self.combo)
        for button in (self.new_button, self.rename_button, self.edit_button, self.delete_button, self.adopt_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.table)

    def detach(self) -> None:
        self.plan.changed.disconnect(self._on_changed)
        self.model.detach()

    # --- the chosen scenario ------------------------------------------------------------------------------------
    @property
    def selected_id(self) -> str:
        return self.combo.currentData() or sc.adopted(self.plan).id

    def choose(self, id: str | None) -> None:
        index = self.combo.findData(id)
        if index >= 0:
            self.combo.setCurrentIndex(index)

    def _fill_combo(self, keep: str | None) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        for scenario in self.plan.scenarios:
            mark = T.ADOPTED_MARK if sc.is_adopted(self.plan, scenario.id) else ""
            self.combo.addItem(scenario.name + mark, scenario.id)
        index = self.combo.findData(keep)
        self.combo.setCurrentIndex(index if index >= 0 else self.combo.findData(sc.adopted(self.plan).id))
        self.combo.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        adopted = sc.is_adopted(self.plan, self.selected_id)
        self.delete_button.setEnabled(not adopted and len(self.plan.scenarios) > 1)
        self.adopt_button.setEnabled(not adopted)

    def _on_changed(self, change) -> None:
        if change.scenarios:
            self._fill_combo(self.selected_id)

    def _fit(self, *_args) -> None:
        table = self.table
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(self.model.rowCount()))
        table.setFixedHeight(height)

    # --- actions ------------------------------------------------------------------------------------------------
    def new_scenario(self, source: str | None = None) -> bool:
        source = source or self.selected_id
        base = sc.find(self.plan, source).name
        name = D.ask_scenario_name(self, T.DIALOG_NEW, T.DIALOG_NEW_INFO.format(source=base), sc.suggested_name(self.plan, base))
        if name is None:
            return False
        before = {s.id for s in self.plan.scenarios}
        if not C.push(self.document, C.create(self.plan, name, source)):
            return False
        created = next(s.id for s in self.plan.scenarios if s.id not in before)
        self.choose(created)
        self.scenarios_shown.emit()
        return True

    def rename_scenario(self, id: str | None = None) -> bool:
        id = id or self.selected_id
        old = sc.find(self.plan, id).name
        name = D.ask_scenario_name(self, T.DIALOG_RENAME, "", old)
        if name is None or name.strip() == old:
            return False
        return C.push(self.document, C.rename(self.plan, id, name))

    def edit_inputs(self, id: str | None = None) -> bool:
        id = id or self.selected_id
        changes = D.ask_scenario_inputs(self, self.plan, sc.find(self.plan, id))
        if not changes:
            return False
        return C.push(self.document, C.set_inputs(self.plan, id, changes))

    def delete_scenario(self, id: str | None = None) -> bool:
        return C.push(self.document, C.delete(self.plan, id or self.selected_id))

    def adopt_scenario(self, id: str | None = None) -> bool:
        id = id or self.selected_id
        if sc.is_adopted(self.plan, id):
            return False
        return C.push(self.document, C.adopt(self.plan, id))

    # --- the context menu -----------------------------------------------------------------------------------------
    def context_menu(self, id: str) -> QMenu:
        menu = QMenu(self)
        adopted = sc.is_adopted(self.plan, id)
        for text, slot, enabled in (
            (T.ACT_NEW, self.new_scenario, True),
            (T.ACT_RENAME, self.rename_scenario, True),
            (T.ACT_EDIT, self.edit_inputs, True),
            (T.ACT_ADOPT, self.adopt_scenario, not adopted),
            (T.ACT_DELETE, self.delete_scenario, not adopted and len(self.plan.scenarios) > 1),
        ):
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(lambda _checked=False, slot=slot: slot(id))
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        id = self.model.scenario_at(self.table.indexAt(pos).row()) or self.selected_id
        self.choose(id)
        self.context_menu(id).exec(self.table.viewport().mapToGlobal(pos))
