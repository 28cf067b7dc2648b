"""The workbook a plan was read from, and where each of the plan's cells stands in it.

Saving writes the plan back into this workbook (load → change the plan's cells → save), so that
everything the app does not own survives: the planner's own sheets, notes beside a table, comments,
widths and colours they changed, print settings. The reader records every place it read; the writer
puts each figure and text back at its place.

A save works on a copy of the places (:meth:`BookSource.working_copy`): when it changes the workbook's
structure (rows inserted, years added) it moves the copy's places with the cells (:meth:`BookSource.remap`),
and the source stays as read, for the next save from the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

from ..core.plan import FigureRef

Place = tuple[str, int, int]  # sheet title, row, column (1-based)


class Move(Protocol):
    """Where a row/column operation on one sheet sent each cell (io/sheet_shift.py)."""

    def cell(self, row: int, col: int) -> tuple[int, int] | None: ...

    def row(self, row: int) -> int | None: ...

    def area(self, bounds: tuple[int, int, int, int]) -> object: ...


@dataclass
class TablePlace:
    """A fiscal-year table as it stands on its sheet: the header rows, the year columns, the last row read."""

    sheet: str
    marker_row: int
    columns: dict[tuple[int, str], int]
    last_row: int
    id_col: int | None = None  # the hidden column of indicator ids (none in a version-1 book)


@dataclass
class BookSource:
    """The bytes of the workbook as opened, and the places of the plan's cells in it."""

    data: bytes
    figures: dict[FigureRef, Place] = field(default_factory=dict)
    rows: dict[tuple[int, str], tuple[str, int]] = field(default_factory=dict)  # (section, row key) -> (sheet, row)
    added: set[Place] = field(default_factory=set)  # cells the app added (a new year column): they get the plan's styles
    # ("title", section) / ("narrative", section, index, 0|1) / ("status", section, index, 0|1) -> place
    texts: dict[tuple, Place] = field(default_factory=dict)
    tables: dict[tuple[int, str], TablePlace] = field(default_factory=dict)  # (section, marker) -> table
    info: dict[str, Place] = field(default_factory=dict)  # 情報 key -> the place of its value
    info_sheet: str | None = None
    unkept: list[str] = field(default_factory=list)  # what openpyxl will not write back (グラフ, 画像 …)
    unkept_confirmed: bool = False  # the user has agreed, once, to a save that drops them
    evaluation: object | None = None  # what the evaluation sheets held (evaluation_sheets.EvaluationSource)

    def working_copy(self) -> BookSource:
        """The places as one save may change them; the bytes are shared, never changed."""
        return replace(self, figures=dict(self.figures), rows=dict(self.rows), added=set(self.added), texts=dict(self.texts),
                       tables={key: replace(t, columns=dict(t.columns)) for key, t in self.tables.items()},
                       info=dict(self.info), unkept=list(self.unkept))

    def remap(self, sheet: str, move: Move) -> None:
        """Every place on ``sheet`` where ``move`` sent its cell; a place whose cell was deleted is forgotten."""
        def cell(place: Place) -> Place | None:
            if place[0] != sheet:
                return place
            new = move.cell(place[1], place[2])
            return None if new is None else (sheet, *new)

        self.figures = {ref: new for ref, place in self.figures.items() if (new := cell(place)) is not None}
        self.texts = {key: new for key, place in self.texts.items() if (new := cell(place)) is not None}
        self.added = {new for place in self.added if (new := cell(place)) is not None}
        rows = {}
        for key, (name, row) in self.rows.items():
            new_row = move.row(row) if name == sheet else row
            if new_row is not None:
                rows[key] = (name, new_row)
        self.rows = rows
        for table in self.tables.values():
            if table.sheet == sheet:
                _remap_table(table, move)

    def rename_sheet(self, old: str, new: str) -> None:
        def named(place: Place) -> Place:
            return (new, *place[1:]) if place[0] == old else place

        self.figures = {ref: named(place) for ref, place in self.figures.items()}
        self.texts = {key: named(place) for key, place in self.texts.items()}
        self.added = {named(place) for place in self.added}
        self.rows = {key: (new if name == old else name, row) for key, (name, row) in self.rows.items()}
        for table in self.tables.values():
            if table.sheet == old:
                table.sheet = new

    def forget_sheet(self, sheet: str) -> None:
        """A sheet removed from the workbook: nothing of the plan stands on it any more."""
        self.figures = {ref: place for ref, place in self.figures.items() if place[0] != sheet}
        self.texts = {key: place for key, place in self.texts.items() if place[0] != sheet}
        self.added = {place for place in self.added if place[0] != sheet}
        self.rows = {key: at for key, at in self.rows.items() if at[0] != sheet}
        self.tables = {key: t for key, t in self.tables.items() if t.sheet != sheet}


def _remap_table(table: TablePlace, move: Move) -> None:
    header = table.marker_row + 2
    span = move.area((1, table.marker_row, 1, table.last_row))
    if isinstance(span, tuple):  # rows inserted or deleted; rows that only change places leave the span as it is
        table.marker_row, table.last_row = span[1], span[3]
    columns = {}
    for key, col in table.columns.items():
        new = move.cell(header, col)
        if new is not None:
            columns[key] = new[1]
    table.columns = columns
    if table.id_col is not None:
        new = move.cell(header, table.id_col)
        table.id_col = None if new is None else new[1]


def text_key(kind: str, section: int, index: int, column: int) -> tuple:
    return (kind, section, index, column)
