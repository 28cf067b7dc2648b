"""The 進捗一覧 table: every indicator of the plan with its progress status, and its filter.

Columns: 節, 指標, 評価の向き, 最新の評価, 評価年度, 達成率, then one status per fiscal year.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ..core.evaluation import DEFAULT_THRESHOLDS, Status, Thresholds, evaluate_year, has_actual, latest_evaluation
from ..core.fiscal import era_label, year_label
from ..core.plan import FigureRef, Indicator, Section
from . import strings as S
from .document import PlanDocument
from .indicator_model import evaluation_tooltip
from .palette import STATUS_COLORS

Index = QModelIndex | QPersistentModelIndex
STATUS_ROLE = Qt.ItemDataRole.UserRole + 10
SECTION_ROLE = Qt.ItemDataRole.UserRole + 11
FIXED_HEADERS = (S.COL_SECTION, S.COL_INDICATOR, S.COL_DIRECTION, S.COL_LATEST, S.COL_LATEST_YEAR, S.COL_RATIO)
LATEST_COLUMN = 3
RATIO_COLUMN = 5


class OverviewModel(QAbstractTableModel):
    def __init__(self, document: PlanDocument, thresholds: Thresholds = DEFAULT_THRESHOLDS, parent=None) -> None:
        super().__init__(parent)
        self.plan = document.plan
        self.thresholds = thresholds
        self.rows: list[tuple[Section, Indicator]] = [
            (section, indicator) for section in self.plan.sections for indicator in section.indicators
        ]
        self._row_of = {(s.number, i.label): n for n, (s, i) in enumerate(self.rows)}
        self.years = self.plan.years
        self.plan.figure_changed.connect(self._on_figure_changed)

    def detach(self) -> None:
        self.plan.figure_changed.disconnect(self._on_figure_changed)

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, self.columnCount() - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED_HEADERS) + len(self.years)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        if section < len(FIXED_HEADERS):
            return FIXED_HEADERS[section]
        return year_label(self.years[section - len(FIXED_HEADERS)])

    def latest(self, row: int):
        return latest_evaluation(self.rows[row][1], self.years, self.thresholds)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        section, indicator = self.rows[index.row()]
        column = index.column()
        if role == SECTION_ROLE:
            return section.number
        if column >= len(FIXED_HEADERS):
            return self._year_data(indicator, self.years[column - len(FIXED_HEADERS)], role)
        if column < LATEST_COLUMN:
            text = (section.display_name, indicator.label, indicator.direction.label)[column]
            return text if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) else None
        year, evaluation = self.latest(index.row())
        if role == STATUS_ROLE:
            return evaluation.status
        if role == Qt.ItemDataRole.DisplayRole:
            if column == LATEST_COLUMN:
                return evaluation.status.label
            if column == RATIO_COLUMN:
                return evaluation.ratio_text
            return era_label(year) if year is not None else ""
        if role == Qt.ItemDataRole.BackgroundRole and column == LATEST_COLUMN:
            return STATUS_COLORS[evaluation.status]
        if role == Qt.ItemDataRole.ToolTipRole and year is not None:
            return evaluation_tooltip(indicator, year, evaluation)
        if role == Qt.ItemDataRole.ToolTipRole:
            return evaluation.reason
        if role == Qt.ItemDataRole.TextAlignmentRole and column == RATIO_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _year_data(self, indicator: Indicator, year: int, role: int):
        if not has_actual(indicator, year):
            return None
        evaluation = evaluate_year(indicator, year, self.thresholds)
        if role == Qt.ItemDataRole.DisplayRole:
            return evaluation.status.short_label
        if role == STATUS_ROLE:
            return evaluation.status
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATUS_COLORS[evaluation.status]
        if role == Qt.ItemDataRole.ToolTipRole:
            return evaluation_tooltip(indicator, year, evaluation)
        return None

    def _on_figure_changed(self, ref: FigureRef) -> None:
        row = self._row_of.get((ref.section, ref.row))
        if row is not None:
            self.dataChanged.emit(self.index(row, LATEST_COLUMN), self.index(row, self.columnCount() - 1))


class OverviewFilter(QSortFilterProxyModel):
    """Filter by section number, by latest status, and by text in the indicator name."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.section: int | None = None
        self.status: Status | None = None
        self.text = ""

    def set_filter(self, section: int | None = None, status: Status | None = None, text: str = "") -> None:
        self.beginFilterChange()
        self.section, self.status, self.text = section, status, text.strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 1, source_parent)
        if self.section is not None and index.data(SECTION_ROLE) != self.section:
            return False
        if self.status is not None and model.index(source_row, LATEST_COLUMN, source_parent).data(STATUS_ROLE) != self.status:
            return False
        return not self.text or self.text in str(index.data())
