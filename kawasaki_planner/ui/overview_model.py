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
from .row_sync import sync_rows

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
        self.rows: list[tuple[Section, Indicator]] = self._plan_rows()
        self._row_of = {(s.number, i.id): n for n, (s, i) in enumerate(self.rows)}
        self._set_years()
        # Per row, kept in step with the rows when indicators come, go or move (structure edits): the latest
        # evaluation, the evaluation of each year asked (year → None while no actual is entered) and the
        # (texts, backgrounds) painted; None until first asked.
        self._latest: list[tuple[int | None, Evaluation] | None] = [None] * len(self.rows)
        self._by_year: list[dict[int, Evaluation | None] | None] = [None] * len(self.rows)
        self._painted: list[tuple[tuple, tuple] | None] = [None] * len(self.rows)
        self._detached = False
        self.plan.figure_changed.connect(self._on_figure_changed)
        self.plan.structure_changed.connect(self._on_structure_changed)

    def _plan_rows(self) -> list[tuple[Section, Indicator]]:
        return [(section, indicator) for section in self.plan.sections for indicator in section.indicators]

    def _set_years(self) -> None:
        self.years = self.plan.years
        self._columns = len(FIXED_HEADERS) + len(self.years)
        self._era_labels = {year: era_label(year) for year in self.years}

    def detach(self) -> None:
        self._detached = True
        self.plan.figure_changed.disconnect(self._on_figure_changed)
        self.plan.structure_changed.disconnect(self._on_structure_changed)

    def _forget(self, row: int) -> None:
        self._latest[row] = self._by_year[row] = self._painted[row] = None

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        self._latest = [None] * len(self.rows)
        self._by_year = [None] * len(self.rows)
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
        latest = self._latest[row]
        if latest is None:
            latest = self._latest[row] = latest_evaluation(self.rows[row][1], self.years, self.thresholds)
        return latest

    def year_evaluation(self, row: int, year: int) -> Evaluation | None:
        """The evaluation of one year, None while no actual is entered."""
        years = self._by_year[row]
        if years is None:
            years = self._by_year[row] = {}
        if year not in years:
            indicator = self.rows[row][1]
            years[year] = evaluate_year(indicator, year, self.thresholds) if has_actual(indicator, year) else None
        return years[year]

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
            self._forget(row)
            self.dataChanged.emit(self.index(row, LATEST_COLUMN), self.index(row, self.columnCount() - 1))

    # --- following the structure ---------------------------------------------------------------
    def _on_structure_changed(self, number: int | None) -> None:
        """Indicators added, removed or moved are inserted, removed or moved rows; new years reset the columns.

        A section's edit (``number``) may have renamed it or its indicators or changed their units or directions:
        its rows are evaluated and painted again, the other rows keep what they remember.
        """
        if self._detached:
            return
        if self.years != self.plan.years:
            self.beginResetModel()
            self.rows = self._plan_rows()
            self._row_of = {(s.number, i.id): n for n, (s, i) in enumerate(self.rows)}
            self._set_years()
            self._latest, self._by_year, self._painted = ([None] * len(self.rows) for _ in range(3))
            self.endResetModel()
            return
        self._sync_rows(self._plan_rows())
        if number is not None:
            shown = [row for row, (section, _) in enumerate(self.rows) if section.number == number]
            for row in shown:
                self._forget(row)
            if shown:
                self.dataChanged.emit(self.index(shown[0], 0), self.index(shown[-1], self._columns - 1))

    def _sync_rows(self, rows: list[tuple[Section, Indicator]]) -> None:
        """The rows of the plan now (a structure edit): see row_sync.sync_rows."""
        caches = (self._latest, self._by_year, self._painted)

        def removed(row: int) -> None:
            for cache in caches:
                del cache[row]

        def inserted(row: int) -> None:
            for cache in caches:
                cache.insert(row, None)

        def moved(old: int, new: int) -> None:
            for cache in caches:
                cache.insert(new, cache.pop(old))

        sync_rows(self, self.rows, list(rows), lambda pair: (pair[0].number, pair[1].id), self._reindex,
                  removed, inserted, moved)
        for row, pair in enumerate(rows):
            if self.rows[row][0] is not pair[0] or self.rows[row][1] is not pair[1]:  # a section put back anew
                self.rows[row] = pair
                self._forget(row)
                self.dataChanged.emit(self.index(row, 0), self.index(row, self._columns - 1))

    def _reindex(self) -> None:
        self._row_of = {(s.number, i.id): n for n, (s, i) in enumerate(self.rows)}


class OverviewFilter(QAbstractTableModel):
    """The overview's rows that pass the filters (section number, latest status, text in the indicator
    name), in plan order. What the view shows.

    Not a QSortFilterProxyModel: that calls filterAcceptsRow (Python) for every row of the plan on
    each keystroke, and index() twice for every painted cell to map it to the source. Here a filter
    is one pass over the rows and the view is told with a layout change (the selection and current
    cell follow their rows). Like the proxy's dynamic filtering, an edit that moves an indicator in
    or out of the status filter shows or hides its row at once. Rows the source inserts, removes or
    moves (structure edits) are inserted, removed or moved here too, when the filter shows them.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.section: int | None = None
        self.status: Status | None = None
        self.text = ""
        self._source: OverviewModel | None = None
        self._rows: list[int] = []  # the source rows shown, ascending
        self._removing: tuple[int, int, int, int] | None = None  # source first, last; shown lo, hi

    # --- the source --------------------------------------------------------------
    def _source_signals(self, model: OverviewModel) -> list:
        return [
            (model.dataChanged, self._on_source_data_changed),
            (model.rowsAboutToBeRemoved, self._on_source_rows_about_to_be_removed),
            (model.rowsRemoved, self._on_source_rows_removed),
            (model.rowsInserted, self._on_source_rows_inserted),
            (model.rowsMoved, self._on_source_rows_moved),
            (model.modelAboutToBeReset, self.beginResetModel),
            (model.modelReset, self._on_source_reset),
        ]

    def setSourceModel(self, model: OverviewModel) -> None:
        self.beginResetModel()
        if self._source is not None:
            for signal, slot in self._source_signals(self._source):
                signal.disconnect(slot)
        self._source = model
        self._rows = self._accepted_rows()
        for signal, slot in self._source_signals(model):
            signal.connect(slot)
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

    # --- rows the source inserts, removes or moves ----------------------------------------------
    def _on_source_rows_about_to_be_removed(self, _parent, first: int, last: int) -> None:
        # The shown rows among them go now, while both models still hold them (a view may ask about them).
        lo, hi = bisect_left(self._rows, first), bisect_left(self._rows, last + 1) - 1
        self._removing = (first, last, lo, hi)
        if lo <= hi:
            self.beginRemoveRows(QModelIndex(), lo, hi)

    def _on_source_rows_removed(self, _parent, first: int, last: int) -> None:
        first, last, lo, hi = self._removing or (first, last, 0, -1)
        self._removing = None
        if lo <= hi:
            del self._rows[lo:hi + 1]
        count = last - first + 1
        self._rows = [r - count if r > last else r for r in self._rows]  # the rows after them, renumbered
        if lo <= hi:
            self.endRemoveRows()

    def _on_source_rows_inserted(self, _parent, first: int, last: int) -> None:
        count = last - first + 1
        self._rows = [r + count if r >= first else r for r in self._rows]  # the same rows, renumbered
        tests = self._tests()
        for source_row in range(first, last + 1):
            if all(test(source_row) for test in tests):
                row = bisect_left(self._rows, source_row)
                self.beginInsertRows(QModelIndex(), row, row)
                self._rows.insert(row, source_row)
                self.endInsertRows()

    def _on_source_rows_moved(self, _parent, first: int, last: int, _destination, child: int) -> None:
        count = last - first + 1

        def moved(r: int) -> int:
            """Where source row ``r`` (numbered before the move) stands now."""
            if first <= r <= last:
                return r - first + (child if child < first else child - count)
            if child < first and child <= r < first:
                return r + count
            if child > last and last < r < child:
                return r - count
            return r

        rows = sorted(moved(r) for r in self._rows)
        if [moved(r) for r in self._rows] == rows:
            self._rows = rows  # the shown rows keep their order: nothing moves in the view
            return
        # The order of shown rows changed: told as a layout change, the selection and current cell follow.
        self.layoutAboutToBeChanged.emit()
        old_rows, self._rows = self._rows, rows
        position = {source_row: row for row, source_row in enumerate(rows)}
        persistent = self.persistentIndexList()
        if persistent:
            self.changePersistentIndexList(
                persistent,
                [self.createIndex(position[moved(old_rows[i.row()])], i.column()) for i in persistent],
            )
        self.layoutChanged.emit()

    def _on_source_reset(self) -> None:
        self._rows = self._accepted_rows()
        self.endResetModel()

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
