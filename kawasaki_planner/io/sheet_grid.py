"""A worksheet as the plan reader sees it: each cell's value and number format by (row, column), read once.

openpyxl holds the workbook; this is a plain, cheap view of one sheet for the table readers, with what a
spreadsheet hides from the eye (formulas, merged ranges, hidden rows and sheets) noted for the warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from . import layout as L
from .errors import PlanFormatError
from .excel_open import open_workbook

MAX_ROWS = 200_000
MAX_COLS = 200


@dataclass(frozen=True)
class Cell:
    value: object = None
    fmt: str | None = None


EMPTY = Cell()


@dataclass
class Grid:
    """A sheet's cells by 1-based (row, column), read once, and what the reader noticed on it."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    formulas: set[str] = field(default_factory=set)
    uncached: set[str] = field(default_factory=set)  # formulas saved without their result (read as blank)
    merged: list[str] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden: bool = False
    figure_rows: set[int] = field(default_factory=set)
    undressed: list[str] = field(default_factory=list)  # figure cells whose number format was lost
    undressed_percent: bool = False
    warnings: list[str] = field(default_factory=list)

    def cell(self, row: int, col: int) -> Cell:
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return EMPTY

    def text(self, row: int, col: int) -> str:
        value = self.cell(row, col).value
        if value is None:
            return ""
        return str(value).strip()

    def width(self, row: int) -> int:
        return len(self.rows[row - 1]) if 1 <= row <= len(self.rows) else 0

    def error(self, message: str, row: int, col: int, value: object = None) -> PlanFormatError:
        return PlanFormatError(message, sheet=self.name, cell=f"{get_column_letter(col)}{row}", value=value)

    def warn(self, message: str, row: int | None = None, col: int | None = None, value: object = None) -> None:
        cell = f"{get_column_letter(col)}{row}" if row is not None and col is not None else None
        self.warnings.append(str(PlanFormatError(message, sheet=self.name, cell=cell, value=value)))


@dataclass
class Info:
    values: dict[str, object] = field(default_factory=dict)
    places: dict[str, tuple[str, int, int]] = field(default_factory=dict)


def grid_of(ws: Worksheet) -> Grid:
    grid = Grid(ws.title, hidden=ws.sheet_state != "visible")
    # The cells openpyxl read, by (row, column): iter_rows would create an empty Cell for every gap first.
    filled: dict[int, dict[int, Cell]] = {}
    for (row, col), cell in ws._cells.items():
        value = cell.value
        if value is None or col > MAX_COLS:
            continue
        if row > MAX_ROWS:
            raise PlanFormatError(f"シートが大きすぎます({MAX_ROWS:,}行まで)", sheet=ws.title)
        if cell.data_type == "f":
            grid.formulas.add(cell.coordinate)
        filled.setdefault(row, {})[col] = Cell(value, cell.number_format)
    last_row = max(filled, default=0)
    for row in range(1, last_row + 1):
        cols = filled.get(row)
        if not cols:
            grid.rows.append([])
            continue
        line = [EMPTY] * max(cols)
        for col, cell in cols.items():
            line[col - 1] = cell
        grid.rows.append(line)
    grid.merged = [str(r) for r in ws.merged_cells.ranges]
    grid.hidden_rows = {int(r) for r, d in ws.row_dimensions.items() if d.hidden}
    return grid


def cached_formula_values(data: bytes, grids: dict[int, Grid]) -> None:
    """Formulas are never evaluated: their result as last saved is read, from a second, values-only open."""
    if not any(g.formulas for g in grids.values()):
        return
    book = open_workbook(data, data_only=True, inspected=[], for_writing=False).book
    for grid in grids.values():
        if not grid.formulas:
            continue
        ws = book[grid.name]
        for coordinate in grid.formulas:
            col, row, _, _ = range_boundaries(coordinate)
            if row <= len(grid.rows):
                cells = grid.rows[row - 1]
                while len(cells) < col:
                    cells.append(EMPTY)
                cached = ws.cell(row, col).value
                cells[col - 1] = Cell(cached, cells[col - 1].fmt)
                if cached is None:  # written by a program that does not calculate (a script, openpyxl itself)
                    grid.uncached.add(coordinate)


def read_info(ws: Worksheet) -> Info:
    info = Info()
    for row in range(1, min(ws.max_row, 50) + 1):
        key = ws.cell(row, 1).value
        if key is not None:
            info.values[L.folded(str(key))] = ws.cell(row, 2).value
            info.places[L.folded(str(key))] = (ws.title, row, 2)
    return info
