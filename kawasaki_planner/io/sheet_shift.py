"""Inserting, deleting and reordering rows and columns of a worksheet with everything attached to them.

openpyxl's insert_rows / delete_rows / move_range move cell values and styles only: merged ranges, row heights,
hidden rows, column widths, hidden columns, conditional formats, data validations, the frozen pane and the
formulas that point at the moved cells stay where they were, so a planner's merged note ends up over the wrong
cells and the hidden ID column over a year. Each function here does what a spreadsheet program's Insert and
Delete do, for what a plan workbook holds:

- cells move with their values, styles, number formats, comments and hyperlinks;
- merged ranges move; they grow when lines are inserted inside them and shrink when some of theirs are deleted;
- row heights and hidden rows move with row operations, column widths and hidden columns with whole-column ones
  (a span of columns, as LibreOffice writes them, grows and shrinks the same way);
- the ranges of conditional formats and data validations, the auto filter, the print area and print titles and
  the frozen pane follow;
- references in the formulas of every sheet and in defined names follow the cells they point at; one whose
  cells were deleted becomes #REF!, as in Excel.

Not moved: formulas inside conditional-format rules and data validations, the targets of links within the
workbook, Excel tables (ListObjects), the ranges of array formulas, 3-D references (Sheet1:Sheet3!A1), the
selection in the sheet view; charts, images and pivot tables are not kept by openpyxl at all.

A move that cannot be made without splitting a merged range raises SaveError naming the sheet and the range,
before anything has changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.formatting.formatting import ConditionalFormatting, ConditionalFormattingList
from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from .errors import SaveError

MAX_ROW = 1_048_576
MAX_COL = 16_384
CROSS = "cross"  # an area only part of which moves: it cannot follow
MSG_MERGED = "セル範囲 {ref} が結合されているため、{what}。Excelで結合を解除してから保存してください"

Bounds = tuple[int, int, int, int]  # min_col, min_row, max_col, max_row, as range_boundaries gives them


@dataclass(frozen=True)
class Lines:
    """Along one axis: ``count`` lines inserted before ``at`` (count > 0), or deleted from ``at`` on (count < 0).

    ``end`` (deletions only) is the last line that closes up; the lines after it stay where they are.
    """

    at: int
    count: int
    end: int | None = None

    def index(self, i: int) -> int | None:
        if i < self.at:
            return i
        if self.count > 0:
            return i + self.count
        if i < self.at - self.count:
            return None
        if self.end is not None and i > self.end:
            return i
        return i + self.count

    def interval(self, lo: int, hi: int) -> tuple[int, int] | str | None:
        """Where lines lo..hi go: an insertion inside them widens them, a deletion narrows them (None: all deleted)."""
        if self.count > 0:
            return self.index(lo), self.index(hi)
        gone = self.at - self.count  # the first line after the deleted ones
        if self.end is not None and lo <= self.end < hi and hi >= self.at:
            return CROSS
        first = lo if lo < self.at else max(lo, gone)
        last = hi if hi >= gone else min(hi, self.at - 1)
        if first > last:
            return None
        return self.index(first), self.index(last)

    def touches(self, lo: int, hi: int) -> bool:
        return hi >= self.at and (self.end is None or self.count > 0 or lo <= self.end)


class Move:
    """Where each cell and area of a sheet goes; ``rows`` (column moves) are the rows whose cells move."""

    axis = "row"

    def cell(self, row: int, col: int) -> tuple[int, int] | None:
        raise NotImplementedError

    def area(self, bounds: Bounds) -> Bounds | str | None:
        raise NotImplementedError

    def row(self, row: int) -> int | None:
        """The new row of a whole row (column moves leave rows where they are)."""
        return row


@dataclass(frozen=True)
class RowMove(Move):
    lines: Lines

    def cell(self, row: int, col: int) -> tuple[int, int] | None:
        new = self.lines.index(row)
        return None if new is None else (new, col)

    def area(self, bounds: Bounds) -> Bounds | str | None:
        rows = self.lines.interval(bounds[1], bounds[3])
        if rows is None or rows == CROSS:
            return rows
        return bounds[0], rows[0], bounds[2], rows[1]

    def row(self, row: int) -> int | None:
        return self.lines.index(row)


@dataclass(frozen=True)
class ColMove(Move):
    lines: Lines
    rows: tuple[tuple[int, int], ...] | None = None  # None: whole columns

    axis = "col"

    def moves(self, row: int) -> bool:
        return self.rows is None or any(lo <= row <= hi for lo, hi in self.rows)

    def cell(self, row: int, col: int) -> tuple[int, int] | None:
        if not self.moves(row):
            return row, col
        new = self.lines.index(col)
        return None if new is None else (row, new)

    def area(self, bounds: Bounds) -> Bounds | str | None:
        min_col, min_row, max_col, max_row = bounds
        if not self.lines.touches(min_col, max_col):
            return bounds
        if self.rows is not None:
            inside = any(lo <= min_row and max_row <= hi for lo, hi in self.rows)
            if not inside:
                outside = all(max_row < lo or min_row > hi for lo, hi in self.rows)
                return bounds if outside else CROSS
        cols = self.lines.interval(min_col, max_col)
        if cols is None or cols == CROSS:
            return cols
        return cols[0], min_row, cols[1], max_row


@dataclass(frozen=True)
class RowOrder(Move):
    """Rows exchanged among themselves: ``mapping`` old row -> new row, a permutation of its keys."""

    mapping: dict[int, int]

    def cell(self, row: int, col: int) -> tuple[int, int] | None:
        return self.mapping.get(row, row), col

    def area(self, bounds: Bounds) -> Bounds | str | None:
        min_col, min_row, max_col, max_row = bounds
        if min_row == max_row:
            row = self.mapping.get(min_row, min_row)
            return min_col, row, max_col, row
        if any(min_row <= r <= max_row for r in self.mapping):
            return CROSS  # it spans rows that change places: a range over the whole table still covers it
        return bounds

    def row(self, row: int) -> int | None:
        return self.mapping.get(row, row)


# --- the operations ------------------------------------------------------------------------------------------

def insert_rows(ws: Worksheet, at: int, count: int) -> Move:
    """``count`` empty rows before row ``at``; the rows from ``at`` on move down."""
    return _apply(ws, RowMove(Lines(at, count)), "行を挿入できません")


def delete_rows(ws: Worksheet, at: int, count: int = 1) -> Move:
    """Rows at..at+count-1 removed with what is in them; the rows below move up."""
    return _apply(ws, RowMove(Lines(at, -count)), "行を削除できません")


def reorder_rows(ws: Worksheet, mapping: dict[int, int]) -> Move:
    """Rows change places (old row -> new row; the new rows are the old ones in another order)."""
    mapping = {old: new for old, new in mapping.items() if old != new}
    if sorted(mapping) != sorted(mapping.values()):
        raise ValueError(f"not a permutation of rows: {mapping}")
    return _apply(ws, RowOrder(mapping), "行を並べ替えられません")


def insert_cols(ws: Worksheet, at: int, count: int, keep_rows: Iterable[tuple[int, int]] = ()) -> Move:
    """``count`` whole columns before column ``at``; widths and hidden columns move with them.

    The cells of ``keep_rows`` (intervals of rows) stay where they are: a table read at fixed columns.
    """
    rows = _complement(sorted(keep_rows)) if keep_rows else None
    return _apply(ws, ColMove(Lines(at, count), rows), "列を挿入できません", columns=True)


def delete_cols(ws: Worksheet, at: int, count: int = 1) -> Move:
    """Whole columns at..at+count-1 removed with what is in them; the columns right of them move left."""
    return _apply(ws, ColMove(Lines(at, -count)), "列を削除できません", columns=True)


def close_cols(ws: Worksheet, at: int, count: int, rows: tuple[int, int], end: int) -> Move:
    """Within ``rows`` only: the cells of columns at..at+count-1 removed and those up to column ``end`` moved left
    to close the gap; everything right of ``end``, and the widths of the columns, stay."""
    return _apply(ws, ColMove(Lines(at, -count, end), (rows,)), "列を削除できません")


def _complement(keep: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out, start = [], 1
    for lo, hi in keep:
        if lo > start:
            out.append((start, lo - 1))
        start = max(start, hi + 1)
    out.append((start, MAX_ROW))
    return tuple(out)


def _apply(ws: Worksheet, move: Move, what: str, columns: bool = False) -> Move:
    merged = _merged_after(ws, move, what)  # first: it may refuse, and then nothing has changed
    _move_cells(ws, move)
    _set_merged(ws, merged)
    if move.axis == "row":
        _move_row_dimensions(ws, move)
    elif columns:
        _move_column_dimensions(ws, move.lines)
    if move.axis == "row" or columns:
        _move_pane(ws, move)  # it stays over the header: a move within some rows leaves it alone
    _move_ranges(ws, move)
    _move_references(ws, move)
    return move


def _merged_after(ws: Worksheet, move: Move, what: str) -> list[Bounds]:
    out = []
    for merged in ws.merged_cells.ranges:
        new = move.area(merged.bounds)
        if new == CROSS:
            raise SaveError(MSG_MERGED.format(ref=merged.coord, what=what), sheet=ws.title)
        if new is not None and (new[0], new[1]) != (new[2], new[3]):
            out.append(new)
    return out


def _move_cells(ws: Worksheet, move: Move) -> None:
    cells = {}
    for (row, col), cell in ws._cells.items():
        place = move.cell(row, col)
        if place is None:
            continue
        if place != (row, col):
            cell.row, cell.column = place
            link = getattr(cell, "_hyperlink", None)
            if link is not None:
                link.ref = cell.coordinate
        cells[place] = cell
    ws._cells = cells


def _set_merged(ws: Worksheet, ranges: list[Bounds]) -> None:
    """The merged ranges at their new places; the top-left cell of each is a real cell, the others MergedCells."""
    ws.merged_cells = MultiCellRange()
    covered = set()
    for min_col, min_row, max_col, max_row in ranges:
        merged = MergedCellRange(ws, CellRange(min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row).coord)
        ws.merged_cells.add(merged)
        for row in range(min_row, max_row + 1):
            for col in range(min_col, max_col + 1):
                if (row, col) != (min_row, min_col):
                    covered.add((row, col))
                    if (row, col) not in ws._cells:
                        ws._cells[row, col] = MergedCell(ws, row, col)
    for place, cell in list(ws._cells.items()):
        if isinstance(cell, MergedCell) and place not in covered:
            real = Cell(ws, row=place[0], column=place[1])  # a range's top-left whose old top-left was deleted
            real._style = copy(cell._style)
            ws._cells[place] = real


def _move_row_dimensions(ws: Worksheet, move: Move) -> None:
    dims = {}
    for row, dim in ws.row_dimensions.items():
        new = move.row(row)
        if new is not None:
            dim.index = new
            dims[new] = dim
    ws.row_dimensions.clear()
    ws.row_dimensions.update(dims)


def _move_column_dimensions(ws: Worksheet, lines: Lines) -> None:
    dims = {}
    for key, dim in ws.column_dimensions.items():
        lo = dim.min or column_index_from_string(key)
        hi = dim.max or lo
        new = lines.interval(lo, hi)
        if new is None or new == CROSS:
            continue
        dim.min, dim.max = new
        dim.index = get_column_letter(new[0])
        dims[dim.index] = dim
    ws.column_dimensions.clear()
    ws.column_dimensions.update(dims)


def column_dimension(ws: Worksheet, col: int) -> ColumnDimension:
    """The dimension of column ``col`` alone, to set its width or hide it: a span of columns that holds it is split."""
    dims = ws.column_dimensions
    for key, dim in list(dims.items()):
        lo = dim.min or column_index_from_string(key)
        hi = dim.max or lo
        if lo <= col <= hi and lo != hi:
            del dims[key]
            for first, last in ((lo, col - 1), (col, col), (col + 1, hi)):
                if first <= last:
                    piece = copy(dim)
                    piece.index, piece.min, piece.max = get_column_letter(first), first, last
                    dims[piece.index] = piece
            break
    dim = dims[get_column_letter(col)]
    dim.min = dim.max = col
    return dim


# --- ranges: conditional formats, validations, filter, print settings, frozen pane ---------------------------

def _ranges(move: Move, sqref: MultiCellRange) -> list[str]:
    out = []
    for cell_range in sqref.ranges:
        new = move.area(cell_range.bounds)
        if new == CROSS:
            out.append(cell_range.coord)
        elif new is not None:
            out.append(CellRange(min_col=new[0], min_row=new[1], max_col=new[2], max_row=new[3]).coord)
    return out


def _move_ranges(ws: Worksheet, move: Move) -> None:
    formats = ConditionalFormattingList()
    formats.max_priority = ws.conditional_formatting.max_priority
    for cf in ws.conditional_formatting:
        ranges = _ranges(move, cf.sqref)
        if ranges:
            key = ConditionalFormatting(sqref=" ".join(ranges), pivot=cf.pivot)
            formats._cf_rules.setdefault(key, []).extend(cf.rules)
    ws.conditional_formatting = formats
    validations = []
    for dv in ws.data_validations.dataValidation:
        ranges = _ranges(move, dv.sqref)
        if ranges:
            dv.sqref = MultiCellRange(" ".join(ranges))
            validations.append(dv)
    ws.data_validations.dataValidation = validations
    if ws.auto_filter.ref:
        new = move.area(range_boundaries(ws.auto_filter.ref))
        if new is None:
            ws.auto_filter.ref = None
        elif new != CROSS:
            ws.auto_filter.ref = CellRange(min_col=new[0], min_row=new[1], max_col=new[2], max_row=new[3]).coord
    if ws.print_area:
        area = _rewrite("=" + ws.print_area, None, ws.title, move)
        ws.print_area = area[1:] if area and "#REF!" not in area else None
    for name in ("print_title_rows", "print_title_cols"):
        titles = getattr(ws, name)
        if titles:
            new = _rewrite("=" + titles, ws.title, ws.title, move)
            setattr(ws, name, None if "#REF!" in new else new[1:].replace("$", ""))


def _move_pane(ws: Worksheet, move: Move) -> None:
    """The frozen pane stays over the header: it moves only when lines are inserted or deleted above or left of it."""
    if not ws.freeze_panes or isinstance(move, RowOrder):
        return
    col, row, _, _ = range_boundaries(ws.freeze_panes)
    lines = move.lines
    at = row if move.axis == "row" else col
    if lines.at >= at:
        return
    shift = lines.count if lines.count > 0 else -min(-lines.count, at - lines.at)
    row, col = (row + shift, col) if move.axis == "row" else (row, col + shift)
    ws.freeze_panes = f"{get_column_letter(col)}{row}"


# --- formulas and defined names --------------------------------------------------------------------------------

_PART = r"\$?[A-Za-z]{1,3}\$?\d+|\$?[A-Za-z]{1,3}|\$?\d+"
_REFERENCE = re.compile(rf"^(?:(?P<sheet>'(?:[^']|'')+'|[^'!:]+)!)?(?P<a>{_PART})(?::(?P<b>{_PART}))?$")
_POINT = re.compile(r"^(?P<cabs>\$?)(?P<col>[A-Za-z]{1,3})?(?P<rabs>\$?)(?P<row>\d+)?$")


def _move_references(ws: Worksheet, move: Move) -> None:
    book = ws.parent
    for sheet in book.worksheets:
        for cell in sheet._cells.values():
            if cell.data_type == "f" and isinstance(cell.value, str) and (sheet is ws or ws.title.lower() in cell.value.lower()):
                cell.value = _rewrite(cell.value, sheet.title, ws.title, move)
    for names in (book.defined_names, *(s.defined_names for s in book.worksheets)):
        for defined in names.values():
            if defined.attr_text and ws.title.lower() in defined.attr_text.lower():
                defined.attr_text = _rewrite("=" + defined.attr_text, None, ws.title, move)[1:]


def rename_sheet(ws: Worksheet, title: str) -> None:
    """Rename a sheet and the references to it in every formula and defined name (openpyxl renames the sheet only)."""
    old = ws.title
    book = ws.parent
    for sheet in book.worksheets:
        for cell in sheet._cells.values():
            if cell.data_type == "f" and isinstance(cell.value, str) and old.lower() in cell.value.lower():
                cell.value = _rewrite(cell.value, sheet.title, old, None, title)
    for names in (book.defined_names, *(s.defined_names for s in book.worksheets)):
        for defined in names.values():
            if defined.attr_text and old.lower() in defined.attr_text.lower():
                defined.attr_text = _rewrite("=" + defined.attr_text, None, old, None, title)[1:]
    ws.title = title


def _rewrite(formula: str, host: str | None, target: str, move: Move | None, rename: str | None = None) -> str:
    """``formula`` (on sheet ``host``) with its references to sheet ``target`` moved, or renamed to ``rename``."""
    try:
        tokens = Tokenizer(formula)
    except TokenizerError:
        return formula  # what openpyxl cannot parse is left as the planner wrote it
    changed = False
    for token in tokens.items:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            new = _reference(token.value, host, target, move, rename)
            if new != token.value:
                token.value, changed = new, True
    return tokens.render() if changed else formula


def _reference(text: str, host: str | None, target: str, move: Move | None, rename: str | None) -> str:
    match = _REFERENCE.match(text)
    if not match:
        return text  # a defined name, a 3-D or external reference
    sheet = match.group("sheet")
    name = sheet[1:-1].replace("''", "'") if sheet and sheet.startswith("'") else sheet
    where = name if name is not None else host
    if where is None or where.lower() != target.lower():
        return text
    if move is None:
        return ("'" + str(rename).replace("'", "''") + "'!" + text[len(sheet) + 1:]) if sheet else text
    a, b = _point(match.group("a")), _point(match.group("b") or match.group("a"))
    if a is None or b is None or (a[1] is None) != (b[1] is None) or (a[3] is None) != (b[3] is None):
        return text
    if match.group("b") is None and (a[1] is None or a[3] is None):
        return text  # a lone column or row is not a reference
    if (a[1] is None and move.axis == "col") or (a[3] is None and move.axis == "row"):
        return text  # whole rows do not change with columns, whole columns not with rows
    bounds = (a[1] or 1, a[3] or 1, b[1] or MAX_COL, b[3] or MAX_ROW)
    new = move.area(bounds)
    if new == CROSS:
        return text
    if new is None:
        return "#REF!"
    first = _format_point(a, new[0], new[1])
    if match.group("b") is None:
        return (sheet + "!" if sheet else "") + first
    return (sheet + "!" if sheet else "") + first + ":" + _format_point(b, new[2], new[3])


def _point(text: str) -> tuple[str, int | None, str, int | None] | None:
    match = _POINT.match(text)
    if not match or (match.group("col") is None and match.group("row") is None):
        return None
    col = column_index_from_string(match.group("col").upper()) if match.group("col") else None
    row = int(match.group("row")) if match.group("row") else None
    if col is None:  # "$5": the dollar belongs to the row
        return "", None, match.group("cabs") or match.group("rabs"), row
    return match.group("cabs"), col, match.group("rabs"), row


def _format_point(point: tuple[str, int | None, str, int | None], col: int, row: int) -> str:
    cabs, c, rabs, r = point
    return (f"{cabs}{get_column_letter(col)}" if c is not None else "") + (f"{rabs}{row}" if r is not None else "")
