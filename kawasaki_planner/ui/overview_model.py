"""The 進捗一覧 table: every indicator of the plan with its progress status, and its filter.

Columns: 節, 指標, 評価の向き, 最新の評価, 評価年度, 達成率, then one status per fiscal year.

Evaluations are remembered per indicator: painting a page asks data() for a dozen roles of every
cell, and the latest evaluation scans every year, so without this a plan of 10,000 indicators would
re-evaluate hundreds of thousands of years to scroll or filter. What a row paints (its texts and
colours) is remembered the same way, made in one pass over the row the first time it is painted.
The memory is exact, not a guess: an indicator's entries are dropped when one of its figures
changes (plan.figure_changed), all of them when the thresholds change.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

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
from .painted_roles import PaintedRows, fill_roles
from .palette import STATUS_COLORS

Index = QModelIndex | QPersistentModelIndex
STATUS_ROLE = Qt.ItemDataRole.UserRole + 10
SECTION_ROLE = Qt.ItemDataRole.UserRole + 11
DISPLAY, TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
BACKGROUND, ALIGNMENT = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.TextAlignmentRole
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
FIXED_HEADERS = (S.COL_SECTION, S.COL_INDICATOR, S.COL_DIRECTION, S.COL_LATEST, S.COL_LATEST_YEAR, S.COL_RATIO)
LATEST_COLUMN = 3
FIRST_YEAR_COLUMN = len(FIXED_HEADERS)
RATIO_COLUMN = 5


class OverviewModel(PaintedRows, QAbstractTableModel):
    def __init__(self, document: PlanDocument, thresholds: Thresholds = DEFAULT_THRESHOLDS, parent=None) -> None:
        super().__init__(parent)
        self.plan = document.plan
        self.thresholds = thresholds
        self.rows: list[tuple[Section, Indicator]] = [
            (section, indicator) for section in self.plan.sections for indicator in section.indicators
        ]
        self._row_of = {(s.number, i.id): n for n, (s, i) in enumerate(self.rows)}
        self.years = self.plan.years
        self._columns = len(FIXED_HEADERS) + len(self.years)
        self._era_labels = {year: era_label(year) for year in self.years}
        self._latest: dict[int, tuple[int | None, Evaluation]] = {}
        self._by_year: dict[tuple[int, int], Evaluation | None] = {}
        # Per row, (texts, backgrounds) of its cells; None until the row is first painted.
        self._painted: list[tuple[tuple, tuple] | None] = [None] * len(self.rows)
        self.plan.figure_changed.connect(self._on_figure_changed)

    def detach(self) -> None:
        self.plan.figure_changed.disconnect(self._on_figure_changed)

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        self._latest.clear()
        self._by_year.clear()
        self._painted = [None] * len(self.rows)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, self.columnCount() - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # Qt's own index() asks rowCount() and columnCount() (two calls into Python) for every cell.
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

    def _paint(self, row: int) -> tuple[tuple, tuple]:
        section, indicator = self.rows[row]
        year, evaluation = self.latest(row)
        status = evaluation.status
        texts = [
            section.display_name,
            indicator.label,
            indicator.direction.label,
            status.label,
            self._era_labels[year] if year is not None else "",
            evaluation.ratio_text,
        ]
        backgrounds = [None, None, None, STATUS_COLORS[status], None, None]
        for year in self.years:
            evaluation = self.year_evaluation(row, year)
            if evaluation is None:
                texts.append(None)
                backgrounds.append(None)
            else:
                texts.append(evaluation.status.short_label)
                backgrounds.append(STATUS_COLORS[evaluation.status])
        return tuple(texts), tuple(backgrounds)

    def data(self, index: Index, role: int = DISPLAY):
        if not index.isValid():
            return None
        return self.cell_data(index.row(), index.column(), role)

    def cell_data(self, row: int, column: int, role: int):
        """data() of the cell at ``row``, ``column`` (the row of this model, unfiltered)."""
        if role == DISPLAY:
            return self.painted(row)[0][column]
        if role == BACKGROUND:
            return self.painted(row)[1][column]
        if role == ALIGNMENT:
            return RIGHT if column == RATIO_COLUMN else None
        if role == SECTION_ROLE:
            return self.rows[row][0].number
        if role != STATUS_ROLE and role != TOOLTIP:
            return None
        section, indicator = self.rows[row]
        if column >= FIRST_YEAR_COLUMN:
            year = self.years[column - FIRST_YEAR_COLUMN]
            evaluation = self.year_evaluation(row, year)
            if evaluation is None:
                return None
            return evaluation.status if role == STATUS_ROLE else evaluation_tooltip(indicator, year, evaluation)
        if column < LATEST_COLUMN:
            return None if role == STATUS_ROLE else (section.display_name, indicator.label, indicator.direction.label)[column]
        year, evaluation = self.latest(row)
        if role == STATUS_ROLE:
            return evaluation.status
        return evaluation.reason if year is None else evaluation_tooltip(indicator, year, evaluation)

    def multiData(self, index: Index, roleDataSpan) -> None:
        self.fill(index.row(), index.column(), roleDataSpan)

    def fill(self, row: int, column: int, roleDataSpan) -> None:
        """multiData() for the cell at ``row``, ``column``: painting a cell asks for seven roles at once,
        all but the text, colour and alignment empty here, so those come from the row's painted tuples."""
        fill_roles(roleDataSpan, self.painted(row), column, RIGHT if column == RATIO_COLUMN else None,
                   lambda role: self.cell_data(row, column, role))

    def _on_figure_changed(self, ref: FigureRef) -> None:
        row = self._row_of.get((ref.section, ref.row))
        if row is not None:
            self._latest.pop(row, None)
            for year in self.years:
                self._by_year.pop((row, year), None)
            self._painted[row] = None
            self.dataChanged.emit(self.index(row, LATEST_COLUMN), self.index(row, self.columnCount() - 1))


class OverviewFilter(QAbstractTableModel):
    """The overview's rows that pass the filters (section number, latest status, text in the indicator
    name), in plan order. What the view shows.

    Not a QSortFilterProxyModel: that calls filterAcceptsRow (Python) for every row of the plan on
    each keystroke, and index() twice for every painted cell to map it to the source. Here a filter
    is one pass over the rows and the view is told with a layout change (the selection and current
    cell follow their rows). Like the proxy's dynamic filtering, an edit that moves an indicator in
    or out of the status filter shows or hides its row at once.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.section: int | None = None
        self.status: Status | None = None
        self.text = ""
        self._source: OverviewModel | None = None
        self._rows: list[int] = []  # the source rows shown, ascending

    # --- the source --------------------------------------------------------------
    def setSourceModel(self, model: OverviewModel) -> None:
        self.beginResetModel()
        if self._source is not None:
            self._source.dataChanged.disconnect(self._on_source_data_changed)
        self._source = model
        self._rows = self._accepted_rows()
        model.dataChanged.connect(self._on_source_data_changed)
        self.endResetModel()

    def sourceModel(self) -> OverviewModel | None:
        return self._source

    def mapToSource(self, index: Index) -> QModelIndex:
        if not index.isValid() or self._source is None:
            return QModelIndex()
        return self._source.index(self._rows[index.row()], index.column())

    def mapFromSource(self, index: Index) -> QModelIndex:
        if not index.isValid():
            return QModelIndex()
        row = self._position(index.row())
        return QModelIndex() if row is None else self.createIndex(row, index.column())

    def _position(self, source_row: int) -> int | None:
        row = bisect_left(self._rows, source_row)
        return row if row < len(self._rows) and self._rows[row] == source_row else None

    # --- filtering ---------------------------------------------------------------
    def set_filter(self, section: int | None = None, status: Status | None = None, text: str = "") -> None:
        self.section, self.status, self.text = section, status, text.strip()
        self._refilter()

    def _tests(self) -> list[Callable[[int], bool]]:
        """The filter, one test per criterion set, on source rows: the only place the rule is written."""
        model = self._source
        if model is None:
            return []
        rows, tests = model.rows, []
        if self.section is not None:
            section = self.section
            tests.append(lambda r: rows[r][0].number == section)
        if self.text:
            text = self.text
            tests.append(lambda r: text in rows[r][1].label)
        if self.status is not None:
            status, latest = self.status, model.latest
            tests.append(lambda r: latest(r)[1].status == status)
        return tests

    def _accepted_rows(self) -> list[int]:
        if self._source is None:
            return []
        shown: range | list[int] = range(len(self._source.rows))
        for test in self._tests():  # criterion by criterion: the cheap ones narrow the rows first
            shown = [r for r in shown if test(r)]
        return list(shown)

    def _accepts(self, source_row: int) -> bool:
        return all(test(source_row) for test in self._tests())

    def _refilter(self) -> None:
        rows = self._accepted_rows()
        if rows == self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        old_rows, self._rows = self._rows, rows
        persistent = self.persistentIndexList()
        if persistent:
            position = {source_row: row for row, source_row in enumerate(rows)}
            moved = []
            for index in persistent:
                row = position.get(old_rows[index.row()]) if 0 <= index.row() < len(old_rows) else None
                moved.append(QModelIndex() if row is None else self.createIndex(row, index.column()))
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _on_source_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles=()) -> None:
        first, last = top_left.row(), bottom_right.row()
        if self.status is not None:  # the latest status may have moved the rows in or out of the filter
            if first == last:
                self._follow_row(first)
            else:
                self._refilter()
        lo, hi = bisect_left(self._rows, first), bisect_left(self._rows, last + 1) - 1
        if lo <= hi:
            self.dataChanged.emit(self.createIndex(lo, top_left.column()), self.createIndex(hi, bottom_right.column()))

    def _follow_row(self, source_row: int) -> None:
        row = bisect_left(self._rows, source_row)
        shown = row < len(self._rows) and self._rows[row] == source_row
        accepted = self._accepts(source_row)
        if accepted and not shown:
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, source_row)
            self.endInsertRows()
        elif shown and not accepted:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    # --- Qt model API ------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._source is None else self._source.columnCount()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # The view asks for the index of every cell it paints: one call into Python, not three.
        if parent.isValid() or self._source is None or not (0 <= row < len(self._rows) and 0 <= column < self._source._columns):
            return QModelIndex()
        return self.createIndex(row, column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if self._source is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            if not 0 <= section < len(self._rows):
                return None
            section = self._rows[section]
        return self._source.headerData(section, orientation, role)

    def data(self, index: Index, role: int = DISPLAY):
        if not index.isValid() or self._source is None:
            return None
        return self._source.cell_data(self._rows[index.row()], index.column(), role)

    def multiData(self, index: Index, roleDataSpan) -> None:
        self._source.fill(self._rows[index.row()], index.column(), roleDataSpan)

    def painted(self, row: int) -> tuple[tuple, tuple]:
        """The (texts, backgrounds) of the shown ``row``: see OverviewModel.painted."""
        return self._source.painted(self._rows[row])
