"""The questions of the scenario edits (tests replace the ``ask_*`` functions).

``ask_scenario_name(parent, title, info, name)``  -> the name typed, or None
``ask_scenario_inputs(parent, plan, scenario)``    -> [((key, year, kind), text), …] of the cells changed, or None

``inputs_dialog`` builds the inputs dialog without showing it (for screenshots and tests).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem

from ..core import forecast as fc
from ..core import scenarios as sc
from ..core.fiscal import year_label
from ..core.plan import Plan, forecast_ref
from ..core.values import FigureError
from . import scenario_strings as T
from . import strings as S
from .structure_dialogs import FormDialog

ASK_FUNCTIONS = ("ask_scenario_name", "ask_scenario_inputs")
VALUE_COLUMN = 3


class NameDialog(FormDialog):
    def __init__(self, parent, title: str, info: str, name: str) -> None:
        super().__init__(parent, title, info)
        self.name = self.line(T.NAME_LABEL, name, T.NAME_PLACEHOLDER)
        self.name.selectAll()
        self.update_ok()

    def valid(self) -> bool:
        return bool(self.name.text().strip())


def ask_scenario_name(parent, title: str, info: str, name: str) -> str | None:
    dialog = NameDialog(parent, title, info, name)
    return dialog.name.text() if dialog.exec() else None


class InputsDialog(FormDialog):
    """A scenario's inputs, one row per cell (項目 | 年度 | 区分 | 値); OK checks every changed value first."""

    def __init__(self, parent, plan: Plan, scenario: sc.Scenario) -> None:
        super().__init__(parent, T.DIALOG_INPUTS.format(name=scenario.name), T.DIALOG_INPUTS_INFO)
        self.plan = plan
        self.positions = sc.input_positions(plan)
        inputs = sc.effective_inputs(plan, scenario)
        self.table = QTableWidget(len(self.positions), 4, self)
        self.table.setHorizontalHeaderLabels([T.COL_ROW, T.COL_YEAR, T.COL_KIND, T.COL_VALUE])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.original: list[str] = []
        for row, (key, year, kind) in enumerate(self.positions):
            texts = (fc.printed_label(fc.ALL_ROWS[key]) if not key.startswith(("share.", "excluded.")) else fc.ALL_ROWS[key].label,
                     year_label(year) if year is not None else "",
                     S.FORECAST_KIND_LABELS[kind] if year is not None else T.SHARE_KIND)
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, item)
            value = inputs.get(key, year, kind).text
            self.original.append(value)
            item = QTableWidgetItem(value)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, VALUE_COLUMN, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VALUE_COLUMN, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(VALUE_COLUMN, self.table.fontMetrics().horizontalAdvance("0") * 16)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setMinimumSize(620, 420)
        self.form.addRow(self.table)
        self.problem = QLabel("", self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #8b0000")
        self.form.addRow(self.problem)

    def set_value(self, position: tuple, text: str) -> None:
        self.table.item(self.positions.index(position), VALUE_COLUMN).setText(text)

    def changes(self) -> list[tuple[tuple, str]]:
        out = []
        for row, position in enumerate(self.positions):
            text = self.table.item(row, VALUE_COLUMN).text()
            if text.strip() != self.original[row].strip():
                out.append((position, text))
        return out

    def accept(self) -> None:
        problems = []
        for (key, year, kind), text in self.changes():
            try:
                self.plan.prepare(forecast_ref(key, year, kind), text)
            except FigureError as error:
                where = " ".join(t for t in (fc.ALL_ROWS[key].label, year_label(year) if year else "") if t)
                problems.append(T.INPUT_REFUSED.format(where=where, reason=error))
        if problems:
            self.problem.setText("\n".join(problems[:5]))
            return
        super().accept()


def inputs_dialog(parent, plan: Plan, scenario: sc.Scenario) -> InputsDialog:
    return InputsDialog(parent, plan, scenario)


def ask_scenario_inputs(parent, plan: Plan, scenario: sc.Scenario) -> list | None:
    dialog = inputs_dialog(parent, plan, scenario)
    return dialog.changes() if dialog.exec() else None
