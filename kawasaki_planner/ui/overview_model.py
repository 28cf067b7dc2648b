"""The 進捗一覧 table: every indicator of the plan with its progress status, and its filter.

Columns: 節, 指標, 評価の向き, 最新の評価, 評価年度, 達成率, then one status per fiscal year.

Evaluations are remembered per indicator: painting a page asks data() for a dozen roles of every
cell, and the latest evaluation scans every year, so without this a plan of 10,000 indicators would
re-evaluate hundreds of thousands of years to scroll or filter. The memory is exact, not a guess:
an indicator's entries are dropped when one of its figures changes (plan.figure_changed), all of
them when the thresholds change.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ..core.evaluation import (
    DEFAULT_THRESHOLDS,
    Evaluation,
    Status,
    Thresholds,
    evaluate_year,
    has_actual,
    latest_evaluation,
)
from ..core.fiscal import era_label, year_label
from ..core.plan import FigureRef, Indicator, Section
from . import strings as S
from .document import PlanDocument
from .indicator_model import evaluation_tooltip
from .palette import STATUS_COLORS

Index = QModelIndex | QPersistentModelIndex
STATUS_ROLE = Qt.ItemDataRole.UserRole + 10
SECTION_ROLE = Qt.ItemDataRole.UserRole + 11
DISPLAY, TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
BACKGROUND, ALIGNMENT = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.TextAlignmentRole
ANSWERED_ROLES = frozenset({DISPLAY, TOOLTIP, BACKGROUND, ALIGNMENT, STATUS_ROLE, SECTION_ROLE})
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
FIXED_HEADERS = (S.COL_SECTION, S.COL_INDICATOR, S.COL_DIRECTION, S.COL_LATEST, S.COL_LATEST_YEAR, S.COL_RATIO)
LATEST_COLUMN = 3
FIRST_YEAR_COLUMN = len(FIXED_HEADERS)
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
        self._columns = len(FIXED_HEADERS) + len(self.years)
        self._latest: dict[int, tuple[int | None, Evaluation]] = {}
        self._by_year: dict[tuple[int, int], Evaluation | None] = {}
        self.plan.figure_changed.connect(self._on_figure_changed)

    def detach(self) -> None:
        self.plan.figure_changed.disconnect(self._on_figure_changed)

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        self._latest.clear()
        self._by_year.clear()
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, self.columnCount() - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # Qt's own index() asks rowCount() and columnCount() (two calls into Python) for every cell
        # the filter maps to the source.
        if parent.isValid() or not (0 <= row < len(self.rows) and 0 <= column < self._columns):
            return QModelIndex()
        return self.createIndex(row, column)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._columns

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        if section < len(FIXED_HEADERS):
            return FIXED_HEADERS[section]
        return year_label(self.years[section - len(FIXED_HEADERS)])

    def latest(self, row: int) -> tuple[int | None, Evaluation]:
        """The latest rated year of the row's indicator and its evaluation (評価年度, 最新の評価)."""
        latest = self._latest.get(row)
        if latest is None:
            latest = self._latest[row] = latest_evaluation(self.rows[row][1], self.years, self.thresholds)
        return latest

    def year_evaluation(self, row: int, year: int) -> Evaluation | None:
        """The evaluation of one year, None while no actual is entered."""
        key = (row, year)
        if key not in self._by_year:
            indicator = self.rows[row][1]
            self._by_year[key] = evaluate_year(indicator, year, self.thresholds) if has_actual(indicator, year) else None
        return self._by_year[key]

    def section_number(self, row: int) -> int:
        return self.rows[row][0].number

    def label(self, row: int) -> str:
        return self.rows[row][1].label

    def latest_status(self, row: int) -> Status:
        return self.latest(row)[1].status

    def data(self, index: Index, role: int = DISPLAY):
        if role not in ANSWERED_ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        section, indicator = self.rows[row]
        if role == SECTION_ROLE:
            return section.number
        if column >= FIRST_YEAR_COLUMN:
            year = self.years[column - FIRST_YEAR_COLUMN]
            return self._year_data(indicator, year, self.year_evaluation(row, year), role)
        if column < LATEST_COLUMN:
            if role != DISPLAY and role != TOOLTIP:
                return None
            return (section.display_name, indicator.label, indicator.direction.label)[column]
        year, evaluation = self.latest(row)
        if role == STATUS_ROLE:
            return evaluation.status
        if role == DISPLAY:
            if column == LATEST_COLUMN:
                return evaluation.status.label
            if column == RATIO_COLUMN:
                return evaluation.ratio_text
            return era_label(year) if year is not None else ""
        if role == BACKGROUND and column == LATEST_COLUMN:
            return STATUS_COLORS[evaluation.status]
        if role == TOOLTIP:
            return evaluation.reason if year is None else evaluation_tooltip(indicator, year, evaluation)
        if role == ALIGNMENT and column == RATIO_COLUMN:
            return RIGHT
        return None

    def _year_data(self, indicator: Indicator, year: int, evaluation: Evaluation | None, role: int):
        if evaluation is None:
            return None
        if role == DISPLAY:
            return evaluation.status.short_label
        if role == STATUS_ROLE:
            return evaluation.status
        if role == BACKGROUND:
            return STATUS_COLORS[evaluation.status]
        if role == TOOLTIP:
            return evaluation_tooltip(indicator, year, evaluation)
        return None

    def _on_figure_changed(self, ref: FigureRef) -> None:
        row = self._row_of.get((ref.section, ref.row))
        if row is not None:
            self._latest.pop(row, None)
            for year in self.years:
                self._by_year.pop((row, year), None)
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

    def multiData(self, index: Index, roleDataSpan) -> None:
        """The source's data() for each role, in one call: painting a cell asks for seven roles, and
        Qt's default would map the index to the source and call into Python for each of them."""
        source, model = self.mapToSource(index), self.sourceModel()
        for i in range(len(roleDataSpan)):
            item = roleDataSpan[i]
            item.setData(model.data(source, item.role()))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        # Straight to the overview model's rows, not through index().data(): this runs for every row
        # of the plan on each keystroke in the text filter.
        model: OverviewModel = self.sourceModel()
        if self.section is not None and model.section_number(source_row) != self.section:
            return False
        if self.status is not None and model.latest_status(source_row) != self.status:
            return False
        return not self.text or self.text in model.label(source_row)
