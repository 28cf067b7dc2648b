"""Table models over figures of the plan: rows are plan rows, columns are (fiscal year, 目標/実績).

Thin adapters: ``data`` reads the plan, ``setData`` hands the text to the document
(one undo command), and the plan's one notification per edit (``plan.changed``, a
:class:`~kawasaki_planner.core.change.Change` naming every figure it changed, computed ones included) drives
``dataChanged`` for exactly those cells. Column 0 is the row label; value columns carry two header levels (the
fiscal year and the kind) for :class:`~.headers.GroupedHeaderView`. A structure edit changes the rows
(:meth:`FigureTableModel.sync_rows`: inserted, removed and moved rows, each told to the views as such)
or the years (:meth:`FigureTableModel.set_columns`: a reset). A cell whose figure has a
plausibility finding (:mod:`kawasaki_planner.core.plausibility`) is marked: its text colour,
WARNING_ROLE for the delegate's corner mark, and the reason added to its tooltip.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ..core.change import Change
from ..core.fiscal import era_label, year_label
from ..core.plan import KINDS, FigureRef
from ..core.plausibility import Finding, figure_finding
from . import strings as S
from .document import PlanDocument
from .headers import GROUP_ROLE, SUB_ROLE
from .palette import DERIVED_BACKGROUND, DERIVED_FOREGROUND, WARNING_COLOR
from .row_sync import sync_rows

FIGURE_ROLE = Qt.ItemDataRole.UserRole + 1
REF_ROLE = Qt.ItemDataRole.UserRole + 2
WARNING_ROLE = Qt.ItemDataRole.UserRole + 3
"""The plausibility messages on a cell (one a line), None if it has none: the delegate marks such cells."""
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT_VALUE, LEFT_VALUE = int(RIGHT), int(LEFT)

Index = QModelIndex | QPersistentModelIndex
# Plain ints: the roles Qt passes in are ints, and comparing ints is the cheapest test (asked for every painted cell).
DISPLAY, EDIT, TOOLTIP = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.EditRole), int(Qt.ItemDataRole.ToolTipRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
MARKED_ROLES = frozenset(int(r) for r in (FOREGROUND, TOOLTIP, WARNING_ROLE))
VALUE_ROLES = frozenset(int(r) for r in (DISPLAY, EDIT, ALIGNMENT, FIGURE_ROLE, REF_ROLE))
LABEL_ROLES = frozenset({DISPLAY, TOOLTIP, ALIGNMENT})
READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDITABLE = READ_ONLY | Qt.ItemFlag.ItemIsEditable


@dataclass(frozen=True)
class RowDef:
    """One table row: which plan row it shows and how it is labelled."""

    section: int
    key: str
    label: str
    tooltip: str = ""
    per_year: bool = True
    typed: bool | None = None
    """Whether every figure of the row is typed (True) or computed (False), when that holds for the whole row; None
    when it depends on the column (section 5's rows, typed up to the forecast's first year)."""
    signature: tuple = ()
    """Whatever else the row's cells show depends on (an indicator's unit, direction): a change repaints the row."""


@dataclass(frozen=True)
class ColumnDef:
    year: int | None
    kind: str


def year_columns(years: tuple[int, ...], kinds: tuple[str, ...] = KINDS) -> list[ColumnDef]:
    return [ColumnDef(year, kind) for year in years for kind in kinds]


def emit_cells(model, cells: Iterable[tuple[int, int]]) -> None:
    """Tell the views of ``model`` that ``cells`` (row, column) changed: one dataChanged per run of adjacent cells
    in a row, so that no cell between two changed ones is repainted for nothing."""
    by_row: dict[int, list[int]] = {}
    for row, column in cells:
        by_row.setdefault(row, []).append(column)
    for row in sorted(by_row):
        columns = sorted(set(by_row[row]))
        start = previous = columns[0]
        for column in [*columns[1:], None]:
            if column is not None and column == previous + 1:
                previous = column
                continue
            # createIndex: the cells exist, and index() would ask rowCount and columnCount (Python) each time.
            model.dataChanged.emit(model.createIndex(row, start), model.createIndex(row, previous))
            if column is not None:
                start = previous = column


def mark(role: int, findings: tuple[Finding, ...], plain):
    """What a cell answers for ``role`` (one of MARKED_ROLES) given its findings; ``plain`` without any.

    The mark is the text colour (and the delegate's corner triangle): the background stays the cell's evaluation or
    derived colour, so both can be read at once. The tooltip keeps its text and adds why.
    """
    if not findings:
        return plain
    if role == FOREGROUND:
        return WARNING_COLOR
    if role == WARNING_ROLE:
        return "\n".join(f.message for f in findings)
    return "\n".join([*([plain] if plain else []), *(S.WARNING_LINE.format(message=f.message) for f in findings)])


class FigureTableModel(QAbstractTableModel):
    """Figures of ``rows`` × ``columns``; editable wherever the plan says a cell is typed.

    ``cell_roles`` and ``label_roles`` are the roles ``cell_data`` and ``label_data`` answer (a
    subclass answering more adds them): a view painting a cell asks for about seven roles, and the
    others are refused before any plan lookup. A table of thousands of rows repaints a page of
    hundreds of cells at each scroll step, so ``data`` and ``flags`` stay lean.
    """

    label_header = S.COL_ROW
    kind_labels = S.KIND_LABELS
    cell_roles = frozenset(int(r) for r in (Qt.ItemDataRole.BackgroundRole, FOREGROUND, TOOLTIP, WARNING_ROLE))
    label_roles = LABEL_ROLES

    def __init__(self, document: PlanDocument, rows: list[RowDef], columns: list[ColumnDef], parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.plan = document.plan
        self.rows = rows
        self.columns = columns
        self._row_of = {(r.section, r.key): i for i, r in enumerate(rows)}
        self._column_of = {(c.year, c.kind): i + 1 for i, c in enumerate(columns)}
        self._roles = frozenset(int(r) for r in VALUE_ROLES | self.cell_roles | self.label_roles)
        # The address of each cell, made once when first asked (building a FigureRef is most of what a data()
        # call costs); forgotten when the rows or columns change.
        self._refs: dict[tuple[int, int], FigureRef | None] = {}
        self._detached = False
        self.plan.changed.connect(self._on_changed)

    def detach(self) -> None:
        """Stop listening to the plan (the tab showing this model is going away)."""
        self._detached = True
        self.plan.changed.disconnect(self._on_changed)

    # --- rows and columns that change ----------------------------------------------
    def sync_rows(self, rows: list[RowDef]) -> None:
        """Make the model's rows ``rows`` (a structure edit): a row gone is removed, a new one inserted, one that
        stands elsewhere moved, each with its own begin/end pair so that views keep their selection, current
        cell and row heights; a row whose definition changed is repainted."""
        sync_rows(self, self.rows, list(rows), lambda r: (r.section, r.key), self._reindex)
        for row, spec in enumerate(rows):
            if self.rows[row] != spec:
                self.rows[row] = spec
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns)))

    def set_columns(self, rows: list[RowDef], columns: list[ColumnDef]) -> None:
        """New years (a reset: every column may have changed)."""
        self.beginResetModel()
        self.rows, self.columns = rows, columns
        self._column_of = {(c.year, c.kind): i + 1 for i, c in enumerate(columns)}
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self._row_of = {(r.section, r.key): i for i, r in enumerate(self.rows)}
        self._refs.clear()

    # --- addressing ------------------------------------------------------
    def ref(self, index: Index) -> FigureRef | None:
        if not index.isValid() or index.column() == 0:
            return None
        key = (index.row(), index.column())
        try:
            return self._refs[key]
        except KeyError:
            ref = self._refs[key] = self._make_ref(*key)
            return ref

    def _make_ref(self, row_number: int, column_number: int) -> FigureRef | None:
        row = self.rows[row_number]
        column = self.columns[column_number - 1]
        year = column.year if row.per_year else None
        if not row.per_year and column != self.columns[0]:
            return None
        return FigureRef(row.section, row.key, year, column.kind)

    def index_of(self, ref: FigureRef) -> QModelIndex:
        row = self._row_of.get((ref.section, ref.row))
        column = self._column_of.get((ref.year, ref.kind)) if ref.year is not None else 1
        if row is None or column is None:
            return QModelIndex()
        return self.index(row, column)

    def describe(self, index: Index) -> str:
        """Where a cell is, in words: 「児童人口 R8年度 見込み」."""
        ref = self.ref(index)
        if ref is None:
            return ""
        year = era_label(ref.year) if ref.year is not None else ""
        return " ".join(p for p in (self.rows[index.row()].label, year, self.kind_labels[ref.kind]) if p)

    def figure(self, ref: FigureRef):
        return self.plan.figure(ref)

    def is_editable(self, index: Index) -> bool:
        if index.column() and self.rows[index.row()].typed is not None:
            return self.rows[index.row()].typed
        ref = self.ref(index)
        return ref is not None and self.plan.is_input(ref)

    # --- Qt model API ------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns) + 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return EDITABLE if self.is_editable(index) else READ_ONLY

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if section == 0:
            return self.label_header if role == Qt.ItemDataRole.DisplayRole else None
        column = self.columns[section - 1]
        group = year_label(column.year) if column.year is not None else ""
        sub = self.kind_labels[column.kind]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{group}\n{sub}" if group else sub
        if role == GROUP_ROLE:
            return group or None
        if role == SUB_ROLE:
            return sub
        return None

    def data(self, index: Index, role: int = DISPLAY):
        if role not in self._roles or not index.isValid():
            return None
        if index.column() == 0:
            return self.label_data(index.row(), role)
        ref = self.ref(index)
        if ref is None:
            return None
        return self.cell_value(ref, role, self.findings(ref) if role in MARKED_ROLES else ())

    def multiData(self, index: Index, roleDataSpan) -> None:
        """data() for each role, in one call: painting a cell asks for seven at once, and its address and
        plausibility findings are worked out once for them all."""
        row, column = index.row(), index.column()
        ref = self.ref(index) if column else None
        findings = None
        for i in range(len(roleDataSpan)):
            item = roleDataSpan[i]
            role = item.role()
            if role not in self._roles:
                item.setData(None)
            elif column == 0:
                item.setData(self.label_data(row, role))
            elif ref is None:
                item.setData(None)
            else:
                if findings is None and role in MARKED_ROLES:
                    findings = self.findings(ref)
                item.setData(self.cell_value(ref, role, findings or ()))

    def cell_value(self, ref: FigureRef, role: int, findings: tuple[Finding, ...]):
        """What the value cell at ``ref`` answers for ``role``, ``findings`` being its plausibility findings (asked
        for the marked roles only)."""
        if role in (DISPLAY, EDIT):
            return self.figure(ref).text
        if role == ALIGNMENT:
            return RIGHT_VALUE
        if role == FIGURE_ROLE:
            return self.figure(ref)
        if role == REF_ROLE:
            return ref
        if role == WARNING_ROLE:  # asked by the delegate for every painted cell: no colours to look up
            return mark(role, findings, None)
        if role in MARKED_ROLES:
            return mark(role, findings, self.cell_data(ref, role))
        return self.cell_data(ref, role)

    def label_data(self, row: int, role: int):
        spec = self.rows[row]
        if role == DISPLAY:
            return spec.label
        if role == TOOLTIP:
            return spec.tooltip or spec.label
        if role == ALIGNMENT:
            return LEFT_VALUE
        return None

    def cell_data(self, ref: FigureRef, role: int):
        """Colours and tooltips of a value cell; derived cells look different."""
        if self.plan.is_input(ref):
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return DERIVED_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole:
            return DERIVED_FOREGROUND
        if role == Qt.ItemDataRole.ToolTipRole:
            return S.DERIVED_TOOLTIP
        return None

    def findings(self, ref: FigureRef) -> tuple[Finding, ...]:
        """The plausibility findings on a cell's figure (typed or computed); a subclass adds rules across figures."""
        finding = figure_finding(self.plan, ref, self.figure(ref))
        return () if finding is None else (finding,)

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.is_editable(index):
            return False
        ref = self.ref(index)
        text = S.CMD_EDIT.format(
            label=self.rows[index.row()].label,
            year=era_label(ref.year) if ref.year is not None else "",
            kind=self.kind_labels[ref.kind],
        )
        return self.document.set_figure(ref, value if value is None else str(value), text)

    # --- change notification ---------------------------------------------------
    def _on_changed(self, change: Change) -> None:
        if self._detached:
            return
        self.follow_structure(change)
        cells = set()
        row_of, column_of = self._row_of, self._column_of
        for ref in change.figures:  # as index_of, without making an index for each (a recompute names hundreds)
            row = row_of.get((ref.section, ref.row))
            column = column_of.get((ref.year, ref.kind)) if ref.year is not None else 1
            if row is not None and column is not None:
                cells.update(self.changed_cells(row, column))
        cells.update(self.also_changed(change))
        emit_cells(self, cells)

    def follow_structure(self, change: Change) -> None:
        """A structure edit (``change.sections``, ``change.plan_wide``): a table with rows that can come and go
        brings them in step here, before the figures' cells are told."""

    def changed_cells(self, row: int, column: int) -> Iterable[tuple[int, int]]:
        """The cells that show something of the figure at ``row``, ``column``: the cell itself."""
        return ((row, column),)

    def also_changed(self, change: Change) -> Iterable[tuple[int, int]]:
        """Cells an edit changes that are not its figures' own (a rule across cells)."""
        return ()

    def emit_all_values_changed(self) -> None:
        if self.rowCount() and len(self.columns):
            self.dataChanged.emit(self.index(0, 1), self.index(self.rowCount() - 1, len(self.columns)))
