"""The 進捗一覧 table: every indicator of the plan with its progress status, and the filters and sorting over it.

Columns: 節, 指標, 評価の向き, 最新の評価, 評価年度, 達成率, then one status per fiscal year.

A thin adapter: ``data`` asks the core's evaluation (:mod:`kawasaki_planner.core.evaluation`, the one the section
tables, the 評価 view and the report use) for what a cell shows and answers Qt's roles from it; the view paints
with Qt's own delegate. The model hears the plan once per edit (``plan.changed``): a figure edit repaints its year's
status and the three cells of the latest evaluation in its row, a structure edit inserts, removes or moves rows
(:mod:`.row_sync`) and repaints the rows of the section it names, new fiscal years reset the columns. :class:`OverviewProxy` (a
QSortFilterProxyModel) filters and sorts what the view shows.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ..core.change import Change
from ..core.evaluation import DEFAULT_THRESHOLDS, Evaluation, Status, Thresholds, evaluate_year, has_actual, latest_evaluation
from ..core.fiscal import era_label, year_label
from ..core.plan import Indicator, Section
from ..core.plan_evaluation import evaluated_indicators
from . import strings as S
from .document import PlanDocument
from .figure_model import emit_cells
from .indicator_model import evaluation_tooltip
from .palette import STATUS_COLORS
from .row_sync import sync_rows

Index = QModelIndex | QPersistentModelIndex
STATUS_ROLE = Qt.ItemDataRole.UserRole + 10
SECTION_ROLE = Qt.ItemDataRole.UserRole + 11
SORT_ROLE = Qt.ItemDataRole.UserRole + 12
"""What a column sorts by: plan order for 節, the status's level (評価不能 last), the year, the ratio."""
# Plain ints: the roles Qt passes in are ints, and comparing ints is the cheapest test (asked for every painted cell).
DISPLAY, TOOLTIP = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole)
BACKGROUND, ALIGNMENT = int(Qt.ItemDataRole.BackgroundRole), int(Qt.ItemDataRole.TextAlignmentRole)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
FIXED_HEADERS = (S.COL_SECTION, S.COL_INDICATOR, S.COL_DIRECTION, S.COL_LATEST, S.COL_LATEST_YEAR, S.COL_RATIO)
SECTION_COLUMN, LABEL_COLUMN, DIRECTION_COLUMN = 0, 1, 2
LATEST_COLUMN = 3
LATEST_YEAR_COLUMN = 4
RATIO_COLUMN = 5
FIRST_YEAR_COLUMN = len(FIXED_HEADERS)
ANSWERED = frozenset(int(r) for r in (DISPLAY, TOOLTIP, BACKGROUND, ALIGNMENT, STATUS_ROLE, SECTION_ROLE, SORT_ROLE))
UNRATED_LAST = len(Status)  # 評価不能 (0) sorts after level 5


def _judges(column: int, role: int) -> bool:
    """Whether the cell's answer for ``role`` needs its evaluation."""
    return column >= LATEST_COLUMN and role not in (ALIGNMENT, SECTION_ROLE)


def status_order(status: Status) -> int:
    return UNRATED_LAST if status is Status.NOT_RATED else int(status)


class OverviewModel(QAbstractTableModel):
    def __init__(self, document: PlanDocument, thresholds: Thresholds = DEFAULT_THRESHOLDS, parent=None) -> None:
        super().__init__(parent)
        self.plan = document.plan
        self.thresholds = thresholds
        self.rows: list[tuple[Section, Indicator]] = self._plan_rows()
        self._reindex()
        self.years = self.plan.years
        self._detached = False
        self.plan.changed.connect(self._on_changed)

    def _plan_rows(self) -> list[tuple[Section, Indicator]]:
        """The indicators judged against a target, as the core's evaluation lists them (not section 8's computed
        placements)."""
        return list(evaluated_indicators(self.plan))

    def _reindex(self) -> None:
        self._row_of = {(s.number, i.id): n for n, (s, i) in enumerate(self.rows)}

    def detach(self) -> None:
        self._detached = True
        self.plan.changed.disconnect(self._on_changed)

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        if self.rows:
            self.dataChanged.emit(self.index(0, LATEST_COLUMN), self.index(len(self.rows) - 1, self.columnCount() - 1))

    # --- Qt model API ------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED_HEADERS) + len(self.years)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # The proxy maps every role of every painted cell through here; Qt's own index() would ask rowCount and
        # columnCount (two more calls into Python) each time.
        if parent.isValid() or not (0 <= row < len(self.rows) and 0 <= column < len(FIXED_HEADERS) + len(self.years)):
            return QModelIndex()
        return self.createIndex(row, column)

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
        return latest_evaluation(self.rows[row][1], self.years, self.thresholds)

    def year_evaluation(self, row: int, year: int) -> Evaluation | None:
        """The evaluation of one year, None while no actual is entered (nothing to judge yet)."""
        indicator = self.rows[row][1]
        return evaluate_year(indicator, year, self.thresholds) if has_actual(indicator, year) else None

    def judged(self, row: int, column: int) -> tuple[int | None, Evaluation | None]:
        """The year and evaluation a column from 最新の評価 on shows: the year's own, or the latest."""
        if column >= FIRST_YEAR_COLUMN:
            year = self.years[column - FIRST_YEAR_COLUMN]
            return year, self.year_evaluation(row, year)
        return self.latest(row)

    def data(self, index: Index, role: int = DISPLAY):
        if role not in ANSWERED or not index.isValid():
            return None
        row, column = index.row(), index.column()
        return self.cell(row, column, role, self.judged(row, column) if _judges(column, role) else None)

    def multiData(self, index: Index, roleDataSpan) -> None:
        """data() for every role painting asks (seven at once: the text, colour and alignment, the others empty
        here), with the cell's evaluation made once for them all."""
        row, column = index.row(), index.column()
        judged = self.judged(row, column) if column >= LATEST_COLUMN else None
        text, background = self.shown(row, column, judged)
        for i in range(len(roleDataSpan)):
            item = roleDataSpan[i]
            role = item.role()
            if role == DISPLAY:
                item.setData(text)
            elif role == BACKGROUND:
                item.setData(background)
            elif role in ANSWERED:
                item.setData(self.cell(row, column, role, judged))
            else:
                item.setData(None)

    def shown(self, row: int, column: int, judged: tuple[int | None, Evaluation | None] | None) -> tuple:
        """(text, background colour) of the cell: what painting it shows."""
        section, indicator = self.rows[row]
        if column < LATEST_COLUMN:
            return (section.display_name, indicator.label, indicator.direction.label)[column], None
        year, evaluation = judged
        if evaluation is None:
            return None, None
        if column == LATEST_COLUMN:
            return evaluation.status.label, STATUS_COLORS[evaluation.status]
        if column >= FIRST_YEAR_COLUMN:
            return evaluation.status.short_label, STATUS_COLORS[evaluation.status]
        if column == RATIO_COLUMN:
            return evaluation.ratio_text, None
        return (era_label(year) if year is not None else ""), None

    def cell(self, row: int, column: int, role: int, judged: tuple[int | None, Evaluation | None] | None):
        """What the cell at ``row``, ``column`` answers for ``role``, given its ``judged`` year and evaluation."""
        if role == DISPLAY:
            return self.shown(row, column, judged)[0]
        if role == BACKGROUND:
            return self.shown(row, column, judged)[1]
        section, indicator = self.rows[row]
        if role == SECTION_ROLE:
            return section.number
        if role == ALIGNMENT:
            return RIGHT if column == RATIO_COLUMN else None
        if column < LATEST_COLUMN:
            if role == SORT_ROLE and column == SECTION_COLUMN:
                return row  # plan order: sections by number, their indicators as the section lists them
            if role in (TOOLTIP, SORT_ROLE):
                return (section.display_name, indicator.label, indicator.direction.label)[column]
            return None
        year, evaluation = judged
        if column == LATEST_COLUMN or column >= FIRST_YEAR_COLUMN:
            return self._status_data(indicator, year, evaluation, role)
        if role == SORT_ROLE:
            if column == RATIO_COLUMN:
                return -1.0 if evaluation.ratio is None else float(evaluation.ratio)
            return 0 if year is None else year
        if role == TOOLTIP:
            return self._tooltip(indicator, year, evaluation)
        if role == STATUS_ROLE:
            return evaluation.status
        return None

    def _status_data(self, indicator: Indicator, year: int | None, evaluation: Evaluation | None, role: int):
        if evaluation is None:
            return UNRATED_LAST + 1 if role == SORT_ROLE else None
        status = evaluation.status
        if role == TOOLTIP:
            return self._tooltip(indicator, year, evaluation)
        if role == STATUS_ROLE:
            return status
        if role == SORT_ROLE:
            return status_order(status)
        return None

    @staticmethod
    def _tooltip(indicator: Indicator, year: int | None, evaluation: Evaluation) -> str:
        return evaluation.reason if year is None else evaluation_tooltip(indicator, year, evaluation)

    # --- following the plan ------------------------------------------------------------------------------
    def _on_changed(self, change: Change) -> None:
        """One edit: the rows it reaches are told, their evaluated columns (a figure) or all of them (a structure
        edit of their section); indicators added, removed or moved are inserted, removed or moved rows."""
        if self._detached:
            return
        if change.plan_wide and self.years != self.plan.years:
            self.beginResetModel()
            self.rows = self._plan_rows()
            self._reindex()
            self.years = self.plan.years
            self.endResetModel()
            return
        if change.plan_wide or change.sections:
            self._sync_rows()
        touched = [row for row, (section, _) in enumerate(self.rows) if change.plan_wide or section.number in change.sections]
        if touched:  # a section renamed, an indicator reworded or given another direction
            self.dataChanged.emit(self.index(touched[0], 0), self.index(touched[-1], self.columnCount() - 1))
        cells = set()
        for ref in change.figures:
            row = self._row_of.get((ref.section, ref.row))
            if row is not None and ref.year in self.years:
                # The year's own status, and the latest evaluation it may have become or stopped being.
                cells.update((row, column) for column in (LATEST_COLUMN, LATEST_YEAR_COLUMN, RATIO_COLUMN))
                cells.add((row, FIRST_YEAR_COLUMN + self.years.index(ref.year)))
        emit_cells(self, cells)

    def _sync_rows(self) -> None:
        wanted = self._plan_rows()
        sync_rows(self, self.rows, wanted, lambda pair: (pair[0].number, pair[1].id), self._reindex)
        # A section put back anew (an undone removal) holds other objects under the same numbers and ids.
        self.rows[:] = wanted


class OverviewProxy(QSortFilterProxyModel):
    """The overview's rows that pass the filters (section number, latest status, text in the indicator name),
    sorted as the view's header asks (plan order until a column is clicked).

    Qt's proxy keeps the view's selection and current cell on their rows through filtering and sorting, and
    re-filters a row whose data changed: an edit that moves an indicator in or out of the status filter shows or
    hides its row at once.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.section: int | None = None
        self.status: Status | None = None
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def sourceModel(self) -> OverviewModel:
        return super().sourceModel()

    def set_filter(self, section: int | None = None, status: Status | None = None, text: str = "") -> None:
        self.beginFilterChange()
        self.section, self.status, self.text = section, status, text.strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def multiData(self, index: Index, roleDataSpan) -> None:
        # Qt's proxy would answer each of the seven roles a painted cell asks for with its own data() call, each
        # mapping the cell to the source again; mapped once here, the source answers them together.
        self.sourceModel().multiData(self.mapToSource(index), roleDataSpan)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        section, indicator = model.rows[source_row]
        if self.section is not None and section.number != self.section:
            return False
        if self.text and self.text not in indicator.label:
            return False
        return self.status is None or model.latest(source_row)[1].status == self.status
