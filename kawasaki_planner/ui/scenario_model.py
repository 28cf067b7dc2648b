"""The scenarios side by side: a read-only table of the main section-5 rows, one line per scenario and row.

Rows come in groups (児童人口, 措置率, 措置率増加率, 措置児童数, 里親等委託率対象児童数), a line per scenario in each,
the adopted one in bold; columns are the fiscal years as the plan prints them (R6 実績, then 見込み). Every edit
of the plan may move any scenario (an adoption target of section 7 is every scenario's deduction): the model
recomputes on each ``plan.changed`` and reports exactly the cells whose text changed; only a scenario added or
removed re-lays out the rows.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont

from ..core import forecast as fc
from ..core import scenarios as sc
from ..core.fiscal import era_label
from ..core.plan import ACTUAL, PLAN, Plan
from ..core.scenario_report import MAIN_ROWS, figure_of
from . import scenario_strings as T
from .palette import DERIVED_BACKGROUND

LABEL_COLUMNS = 2


class ScenarioCompareModel(QAbstractTableModel):
    def __init__(self, plan: Plan, parent=None) -> None:
        super().__init__(parent)
        self.plan = plan
        first = plan.first_forecast_year
        self.columns = [(y, ACTUAL if y < first else PLAN) for y in plan.years]
        self.rows: list[tuple[str, str]] = []  # (row key, scenario id)
        self._texts: list[list[str]] = []
        self._names: dict[str, str] = {}
        self._compute()
        plan.changed.connect(self._on_changed)

    def detach(self) -> None:
        self.plan.changed.disconnect(self._on_changed)

    # --- what it shows ----------------------------------------------------------------------------
    def _compute(self) -> None:
        plan = self.plan
        results = {s.id: sc.result(plan, s.id) for s in plan.scenarios}
        self.rows = [(key, s.id) for key in MAIN_ROWS for s in plan.scenarios]
        self._names = {s.id: s.name + (T.ADOPTED_MARK if sc.is_adopted(plan, s.id) else "") for s in plan.scenarios}
        by_id = {s.id: s for s in plan.scenarios}
        self._texts = [[figure_of(plan, by_id[id], results[id], key, year, kind).text for year, kind in self.columns]
                       for key, id in self.rows]

    def scenario_at(self, row: int) -> str | None:
        return self.rows[row][1] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else LABEL_COLUMNS + len(self.columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return T.COL_ROW
        if section == 1:
            return T.COL_SCENARIO
        year, kind = self.columns[section - LABEL_COLUMNS]
        return T.ACTUAL_COLUMN.format(year=era_label(year)) if kind == ACTUAL else era_label(year)

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key, id = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                first_of_group = index.row() == 0 or self.rows[index.row() - 1][0] != key
                return fc.printed_label(fc.ALL_ROWS[key]) if first_of_group else ""
            if column == 1:
                return self._names[id]
            return self._texts[index.row()][column - LABEL_COLUMNS]
        if role == Qt.ItemDataRole.FontRole and sc.is_adopted(self.plan, id) and column > 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= LABEL_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and MAIN_ROWS.index(key) % 2 == 1:
            return DERIVED_BACKGROUND
        return None

    # --- following the plan -------------------------------------------------------------------------
    def _on_changed(self, _change) -> None:
        old_rows, old_texts, old_names = self.rows, self._texts, self._names
        if [s.id for s in self.plan.scenarios] != list(dict.fromkeys(id for _, id in old_rows)):
            self.beginResetModel()  # a scenario added or removed: every group gains or loses a line
            self._compute()
            self.endResetModel()
            return
        self._compute()
        last = self.columnCount() - 1
        for row, (old, new) in enumerate(zip(old_texts, self._texts, strict=True)):
            id = self.rows[row][1]
            if old_names.get(id) != self._names[id]:
                self.dataChanged.emit(self.index(row, 1), self.index(row, last))
                continue
            changed = [c for c, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
            if changed:
                self.dataChanged.emit(self.index(row, LABEL_COLUMNS + min(changed)), self.index(row, LABEL_COLUMNS + max(changed)))
