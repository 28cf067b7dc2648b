"""Bringing a workbook's structure in line with its plan before a save writes the plan's cells (workbook_update.py).

When the plan's structure is not the workbook's, :func:`restructure` brings the workbook in line first, on a
working copy of the places (the source stays as read: the next save, an autosave, starts from the same bytes).
Rows and columns move with everything attached to them (sheet_shift.py); the places move with the cells.

- Sections: one the workbook lacks gets a sheet laid out as a new plan has it, after the sheets of the sections
  before it and before 情報; one the plan dropped loses its sheet (never 5: the reader needs it); a sheet's
  name follows the section's short title unless the name already reads as that title.
- Fiscal years: a new year gets two whole columns in each fiscal-year table, right of the year before it (left of
  the first). Whole columns, because widths and hidden flags belong to columns: the hidden ID column and the
  planner's columns right of the table move right with their widths, as with Excel's Insert Columns; cells of
  theirs elsewhere in those columns move along, so nothing ends up under a column that is not its own. The 構成比
  table is read at column D, so its rows keep their cells when a year goes in left of it. A dropped year's cells
  leave the table's rows and the later years close up; the columns that empties are then deleted whole if nothing
  else on the sheet stands in them (else they stay, empty).
- Rows of a block, bottom up (本文, 現在の整備・取組状況, 評価のための指標, so that each moves only what is below it):
  indicators are known by id, status rows and narrative blocks by their texts (the same texts first, then the rest
  in order: a row edited in place stays). Rows gone are deleted, or, when the planner wrote beside the table in
  them, only emptied of the plan's cells; rows kept change places among the rows they held, with the planner's
  notes, comments, heights; new rows go above the next row of the plan (below the previous one at the end) with
  the plan's styles. A block the sheet lacks is laid out above the blocks that come after it.

What cannot be done without losing something of the planner's (a merged range that would have to be split, their
text in the column of a dropped year inside a table, a sheet name that cannot hold the short title) raises
SaveError naming sheet and cells; the save is then refused and the file stays as it was.
"""

from __future__ import annotations

import unicodedata

from openpyxl.cell.cell import MergedCell
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..core.fiscal import year_label
from ..core.plan import FORECAST_SECTION, KINDS, PLAN, FigureRef, Plan, Section
from . import layout as L
from .book_source import BookSource, Move, TablePlace, text_key
from .errors import SaveError
from .section_read import SHORT_TITLES
from .sheet_shift import close_cols, column_dimension, delete_cols, delete_rows, insert_cols, insert_rows, rename_sheet, reorder_rows
from .workbook_layout import (
    HEADER,
    LABEL,
    META,
    YEAR_HEADER,
    YEAR_WIDTH,
    last_year_column,
    write_indicator_block,
    write_section_sheet,
    write_text_block,
    write_text_row,
)

MSG_KEEP_SECTION = "節{section}のシートは削除できません(計画のブックには第5節のシートが必要です)"
MSG_SHEET_NAME = ("節{section}の短い題名「{short}」はシート名「{name}」になり、読み直すと「{back}」になってしまうため保存できません。"
                  "31文字以内で、[ ] : * ? / \\ を使わない短い題名にしてください")
MSG_SHEET_TAKEN = ("節{section}のシート名「{name}」はほかのシートが使っているため付けられません。"
                   "そのシートの名前を変えてから保存してください")
MSG_YEAR_BUSY = ("{year}年度の列を表から除くと、表の中の計画以外のセル {cells} の内容が失われるため保存できません。"
                 "その内容を表の外へ移してから保存してください")


def restructure(book: Workbook, plan: Plan, places: BookSource) -> set[int]:
    """Sheets added, removed and renamed, year columns added and dropped, rows inserted, removed and reordered, so
    that every cell of the plan has its place; the places move with the cells. Returns the sections whose sheets
    were laid out anew (their cells are written already)."""
    sheets = {key[1]: place[0] for key, place in places.texts.items() if key[0] == "title"}
    wanted = {s.number for s in plan.sections}
    active, count = book.active, len(book.worksheets)
    for number, title in sorted(sheets.items()):
        if number not in wanted:
            if number == FORECAST_SECTION:
                raise SaveError(MSG_KEEP_SECTION.format(section=number))
            book.remove(book[title])
            places.forget_sheet(title)
            del sheets[number]
    fresh = set()
    for section in plan.sections:
        title = sheets.get(section.number)
        if title is None:
            sheets[section.number] = _new_sheet(book, plan, section, sheets, places.info_sheet)
            fresh.add(section.number)
            continue
        edit = _SheetEdit(book[title], plan, section, places)
        edit.years()
        edit.texts(L.NARRATIVE)  # bottom up: what a block does moves only the blocks below it
        edit.texts(L.STATUS)
        edit.indicators()
        sheets[section.number] = _rename(book, book[title], section, places)
    if fresh or len(book.worksheets) != count:
        _keep_active(book, active)
    return fresh


def _keep_active(book: Workbook, active) -> None:
    """The sheet that was open stays open (else the first visible one), and it alone is selected: Excel opens sheets
    selected together as a group, where typing goes into all of them."""
    if active not in book.worksheets or active.sheet_state != "visible":
        active = next((ws for ws in book.worksheets if ws.sheet_state == "visible"), book.worksheets[0])
    book.active = active
    for ws in book.worksheets:
        ws.sheet_view.tabSelected = ws is active


def _new_sheet(book: Workbook, plan: Plan, section: Section, sheets: dict[int, str], info_sheet: str | None) -> str:
    """A section the workbook lacks: its sheet laid out anew, after the sheets of the sections before it."""
    name = _sheet_name(book, section, None)
    names = book.sheetnames
    before = [names.index(t) + 1 for n, t in sheets.items() if n < section.number and t in names]
    after = [names.index(t) for n, t in sheets.items() if n > section.number and t in names]
    index = max(before) if before else min(after) if after else len(names)
    if info_sheet in names:
        index = min(index, names.index(info_sheet))
    write_section_sheet(book.create_sheet(name, index), plan, section)
    return name


def _rename(book: Workbook, ws: Worksheet, section: Section, places: BookSource) -> str:
    """The sheet name follows the section's short title (「2 権利擁護」); a name that still reads as it is stays."""
    if _short_title(ws.title, section) == section.short_title:
        return ws.title
    old, name = ws.title, _sheet_name(book, section, ws)
    rename_sheet(ws, name)
    places.rename_sheet(old, name)
    return name


def _sheet_name(book: Workbook, section: Section, ws: Worksheet | None) -> str:
    name = L.sheet_name(section.number, section.short_title)
    back = _short_title(name, section)
    if back != section.short_title:
        raise SaveError(MSG_SHEET_NAME.format(section=section.number, short=section.short_title, name=name, back=back))
    if any(other.lower() == name.lower() and (ws is None or other != ws.title) for other in book.sheetnames):
        raise SaveError(MSG_SHEET_TAKEN.format(section=section.number, name=name))
    return name


def _short_title(name: str, section: Section) -> str:
    """The short title the reader takes from a sheet name (section_read.py)."""
    prefix = f"{section.number} "
    text = unicodedata.normalize("NFKC", name)
    short = text[len(prefix):].strip() if text.startswith(prefix) else SHORT_TITLES.get(section.number, "")
    return short or section.title


def free_column(ws: Worksheet, first: int) -> int:
    """The first column from ``first`` with nothing in it on the whole sheet."""
    used = {col for (_, col), cell in ws._cells.items() if col >= first and cell.value not in (None, "")}
    while first in used:
        first += 1
    return first


def _match(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[int | None]:
    """For each new text row, the old row it is: the same texts first, then the rest in order (rows edited in place)."""
    free: dict[tuple[str, str], list[int]] = {}
    for index, texts in enumerate(old):
        free.setdefault(texts, []).append(index)
    out: list[int | None] = [free[texts].pop(0) if free.get(texts) else None for texts in new]
    left = iter(sorted(set(range(len(old))) - set(out)))
    return [index if index is not None else next(left, None) for index in out]


class _SheetEdit:
    """One section sheet brought in line with its section; every move is applied to the places as well."""

    def __init__(self, ws: Worksheet, plan: Plan, section: Section, places: BookSource) -> None:
        self.ws = ws
        self.plan = plan
        self.section = section
        self.number = section.number
        self.places = places

    def apply(self, move: Move) -> Move:
        self.places.remap(self.ws.title, move)
        return move

    def tables(self) -> list[tuple[str, TablePlace]]:
        return [(marker, t) for (n, marker), t in self.places.tables.items() if n == self.number and t.sheet == self.ws.title]

    def rows_in(self, table: TablePlace) -> dict[str, int]:
        """The plan's rows of a table (indicator ids, section-5 row keys) -> their rows on the sheet."""
        return {key: row for (n, key), (sheet, row) in self.places.rows.items()
                if n == self.number and sheet == table.sheet and table.marker_row + 2 < row <= table.last_row}

    def markers(self) -> dict[str, int]:
        """Each block's marker row, found as the reader finds them (the first of each; nothing after 本文's)."""
        found: dict[str, int] = {}
        for row in sorted(r for (r, c) in self.ws._cells if c == 1 and r >= 2):
            marker = L.marker_of(self.ws._cells[row, 1].value)
            if marker and marker not in found:
                found[marker] = row
                if marker == L.NARRATIVE:
                    break
        return found

    # --- fiscal years: two columns each ------------------------------------------------------------------
    def years(self) -> None:
        for year in self.plan.years:  # first: a table whose every year goes still has the new ones to close up on
            self._add_year(year)
        wanted = set(self.plan.years)
        gaps = set()
        for _, table in self.tables():
            dropped = sorted({year for year, _ in table.columns} - wanted)
            if not dropped:
                continue
            end = max(table.columns.values())
            for year in dropped:
                self._drop_year(table, year)
            gaps.add((max(table.columns.values()) + 1, end))
        if len(gaps) == 1:  # tables that do not line up keep their gaps: a whole column would cut through one
            self._close_gap(*gaps.pop())

    def _drop_year(self, table: TablePlace, year: int) -> None:
        """The year's cells leave the table's rows and the later years close up; right of the table nothing moves."""
        cols = sorted(c for (y, _), c in table.columns.items() if y == year)
        band = (table.marker_row + 1, table.last_row)
        own = {table.marker_row + 1, table.marker_row + 2, *self.rows_in(table).values()}
        busy = sorted(((r, c) for (r, c), cell in self.ws._cells.items()
                       if c in cols and band[0] <= r <= band[1] and r not in own and cell.value not in (None, "")))
        if busy:
            raise SaveError(MSG_YEAR_BUSY.format(year=year_label(year), cells=_cells_text(busy)), sheet=self.ws.title)
        for col in reversed(cols):
            self.apply(close_cols(self.ws, col, 1, band, max(table.columns.values())))

    def _close_gap(self, first: int, last: int) -> None:
        """The columns the dropped years left empty go, whole, when nothing else on the sheet stands in them: the
        hidden ID column and the planner's columns right of the tables then close up with their widths."""
        if first > last:
            return
        for (_, col), cell in self.ws._cells.items():
            if first <= col <= last and (cell.value not in (None, "") or cell.comment is not None):
                return  # the planner's cell in those columns: the gap stays, nothing of theirs moves
        self.apply(delete_cols(self.ws, first, last - first + 1))

    def _add_year(self, year: int) -> None:
        """Two whole columns where the year goes in each table: right of the year before it (the hidden ID column
        and the planner's columns move right, widths and all), or left of the first year."""
        lacking = [(m, t) for m, t in self.tables() if not any(y == year for y, _ in t.columns)]
        while lacking:
            at = {id(t): _year_column(t, year) for _, t in lacking}
            table = lacking[0][1]
            col = at[id(table)]
            # The 構成比 table is read at column D: inserting left of it must leave its cells where they are.
            keep = self._fixed_rows() if col <= L.FIRST_YEAR_COL else ()
            width = _column_width(self.ws, col - 1 if any(y < year for y, _ in table.columns) else col)
            self.apply(insert_cols(self.ws, col, 2, keep))
            for new in (col, col + 1):
                dimension = column_dimension(self.ws, new)
                dimension.width, dimension.hidden = width, False
            for m, t in lacking:
                if at[id(t)] == col:  # tables whose years stand in the same columns share the inserted ones
                    self._year_cells(m, t, year, col)
            lacking = [(m, t) for m, t in lacking if at[id(t)] != col]

    def _fixed_rows(self) -> list[tuple[int, int]]:
        markers = self.markers()
        if L.SHARES not in markers:
            return []
        start = markers[L.SHARES]
        ends = [row - 1 for row in markers.values() if row > start]
        return [(start, min(ends) if ends else self.ws.max_row)]

    def _year_cells(self, marker: str, table: TablePlace, year: int, col: int) -> None:
        sheet = self.ws.title
        plan_header = L.PLAN_HEADER if marker == L.INDICATORS else L.FORECAST_PLAN_HEADER
        for at, kind in zip((col, col + 1), KINDS, strict=True):
            _new_cell(self.ws, table.marker_row + 1, at, year_label(year) if kind == PLAN else None, YEAR_HEADER)
            _new_cell(self.ws, table.marker_row + 2, at, plan_header if kind == PLAN else L.ACTUAL_HEADER, HEADER)
            table.columns[(year, kind)] = at
            for key, row in self.rows_in(table).items():
                place = (sheet, row, at)
                self.places.figures[FigureRef(self.number, key, year, kind)] = place
                self.places.added.add(place)

    # --- rows: indicators, status rows, narrative blocks -----------------------------------------------------
    def indicators(self) -> None:
        table = self.places.tables.get((self.number, L.INDICATORS))
        wanted = [indicator.id for indicator in self.section.indicators]
        if table is None:
            if wanted:
                self._new_indicator_block()
            return
        rows = self.rows_in(table)
        if sorted(rows, key=rows.__getitem__) == wanted:
            return
        own = {L.LABEL_COL, L.UNIT_COL, L.META_COL, *table.columns.values(), *([table.id_col] if table.id_col else [])}
        placed = self._arrange(rows, wanted, table.marker_row + 3, own, lambda key, row: self._indicator_row(table, key, row),
                               self._forget_indicator)
        table.last_row = max([placed[key] for key in wanted] or [table.marker_row + 2])

    def _indicator_row(self, table: TablePlace, id: str, row: int) -> None:
        """A new indicator's row: the plan's styles; label, figures and id are written with the plan's cells."""
        sheet = self.ws.title
        for col, style in ((L.LABEL_COL, LABEL), (L.UNIT_COL, META), (L.META_COL, META)):
            self.ws.cell(row, col).style = style.name
        self.places.rows[(self.number, id)] = (sheet, row)
        for (year, kind), col in table.columns.items():
            place = (sheet, row, col)
            self.places.figures[FigureRef(self.number, id, year, kind)] = place
            self.places.added.add(place)

    def _forget_indicator(self, id: str) -> None:
        self.places.rows.pop((self.number, id), None)
        self.places.figures = {ref: place for ref, place in self.places.figures.items()
                               if (ref.section, ref.row) != (self.number, id)}

    def _new_indicator_block(self) -> None:
        """The section's first indicators: a table laid out as a new plan has it, above the status and the narrative."""
        ws, sheet, indicators = self.ws, self.ws.title, self.section.indicators
        following = [row for marker, row in self.markers().items() if marker in (L.STATUS, L.NARRATIVE)]
        if following:
            at = min(following)
            self.apply(insert_rows(ws, at, len(indicators) + 4))  # marker, two header rows, the rows, a blank row
        else:
            at = ws.max_row + 2
        id_col = free_column(ws, last_year_column(self.plan) + 1)
        column_dimension(ws, id_col)  # its own dimension, to hide, out of any span of columns the sheet has
        write_indicator_block(ws, self.plan, self.section, at, id_col)
        columns = {(year, kind): col for col, year, kind in L.year_columns(self.plan.years)}
        self.places.tables[(self.number, L.INDICATORS)] = TablePlace(sheet, at, columns, at + 2 + len(indicators), id_col)
        for row, indicator in enumerate(indicators, start=at + 3):
            self.places.rows[(self.number, indicator.id)] = (sheet, row)
            for (year, kind), col in columns.items():
                self.places.figures[FigureRef(self.number, indicator.id, year, kind)] = (sheet, row, col)
        for col in columns.values():
            if not _has_width(ws, col):
                column_dimension(ws, col).width = YEAR_WIDTH

    def texts(self, marker: str) -> None:
        kind = "status" if marker == L.STATUS else "narrative"
        items = ([(x.item, x.description) for x in self.section.status] if kind == "status"
                 else [(b.heading, b.text) for b in self.section.narrative])
        rows: list[int] = []
        while (place := self.places.texts.get(text_key(kind, self.number, len(rows), 0))) is not None:
            rows.append(place[1])
        old = [(_text(self.ws, row, 1), _text(self.ws, row, 2)) for row in rows]
        match = _match(old, [((a or "").strip(), (b or "").strip()) for a, b in items])
        if match == list(range(len(old))):
            return  # the same rows, perhaps edited: the texts are written in place with the plan's cells
        markers = self.markers()
        if not rows and marker not in markers:
            self._new_text_block(marker, kind, items, markers)
            return
        span = self._text_span(rows)
        wanted = [("old", i) if i is not None else ("new", j) for j, i in enumerate(match)]
        first = markers[marker] + 2 if marker in markers else rows[0]
        placed = self._arrange({("old", i): row for i, row in enumerate(rows)}, wanted, first, {1, 2},
                               lambda key, row: write_text_row(self.ws, self.plan, row, *items[key[1]], span))
        self._text_places(kind, [placed[key] for key in wanted])

    def _text_places(self, kind: str, rows: list[int]) -> None:
        texts = self.places.texts
        for key in [k for k in texts if k[0] == kind and k[1] == self.number]:
            del texts[key]
        for index, row in enumerate(rows):
            texts[text_key(kind, self.number, index, 0)] = (self.ws.title, row, 1)
            texts[text_key(kind, self.number, index, 1)] = (self.ws.title, row, 2)

    def _new_text_block(self, marker: str, kind: str, items: list[tuple[str, str]], markers: dict[str, int]) -> None:
        if not items:
            return
        if marker == L.STATUS and L.NARRATIVE in markers:
            at = markers[L.NARRATIVE]
            self.apply(insert_rows(self.ws, at, len(items) + 3))  # marker, header, the rows, a blank row
        else:
            at = self.ws.max_row + 2
        write_text_block(self.ws, self.plan, marker, items, at)
        self._text_places(kind, list(range(at + 2, at + 2 + len(items))))

    def _text_span(self, rows: list[int]) -> int:
        """The last column a new text row merges to: as its neighbours do, else as a new plan does."""
        for merged in self.ws.merged_cells.ranges:
            if merged.min_row == merged.max_row and merged.min_row in rows and merged.min_col == 2 and merged.max_col > 2:
                return merged.max_col
        return max(3, last_year_column(self.plan))

    def _arrange(self, existing: dict, wanted: list, first_row: int, own: set[int], write, forget=None) -> dict:
        """Rows of one block in the plan's order: rows gone are deleted (or, when they hold the planner's cells, only
        emptied of the plan's), rows kept change places among themselves, new rows are inserted above the next row
        of the plan (below the previous one at the end). Returns each wanted key's row."""
        rows = dict(existing)
        keep = set(wanted)
        for key in sorted((k for k in rows if k not in keep), key=rows.__getitem__, reverse=True):
            row = rows.pop(key)
            if forget:
                forget(key)
            if self._holds_planners(row, own):
                for col in own:
                    cell = self.ws._cells.get((row, col))
                    if cell is not None and not isinstance(cell, MergedCell):
                        cell.value = None
                continue
            move = self.apply(delete_rows(self.ws, row))
            rows = {k: move.row(r) for k, r in rows.items()}
        kept = [key for key in wanted if key in rows]
        mapping = dict(zip((rows[key] for key in kept), sorted(rows[key] for key in kept), strict=True))
        if any(old != new for old, new in mapping.items()):
            move = self.apply(reorder_rows(self.ws, mapping))
            rows = {k: move.row(r) for k, r in rows.items()}
        for index, key in enumerate(wanted):
            if key in rows:
                continue
            after = next((rows[k] for k in wanted[index + 1:] if k in rows), None)
            before = next((rows[k] for k in reversed(wanted[:index]) if k in rows), None)
            at = after if after is not None else before + 1 if before is not None else first_row
            move = self.apply(insert_rows(self.ws, at, 1))
            rows = {k: move.row(r) for k, r in rows.items()}
            rows[key] = at
            write(key, at)
        return rows

    def _holds_planners(self, row: int, own: set[int]) -> bool:
        return any(r == row and c not in own and cell.value not in (None, "") for (r, c), cell in self.ws._cells.items())


def _year_column(table: TablePlace, year: int) -> int:
    before = [col for (y, _), col in table.columns.items() if y < year]
    return max(before) + 1 if before else min(table.columns.values())


def _column_width(ws: Worksheet, col: int) -> float:
    for key, dimension in ws.column_dimensions.items():
        lo = dimension.min or column_index_from_string(key)
        if lo <= col <= (dimension.max or lo) and dimension.width:
            return dimension.width
    return YEAR_WIDTH


def _has_width(ws: Worksheet, col: int) -> bool:
    return _column_width(ws, col) != YEAR_WIDTH or get_column_letter(col) in ws.column_dimensions


def _new_cell(ws: Worksheet, row: int, col: int, value: object, style) -> None:
    cell = ws.cell(row, col)
    cell.value = value
    cell.style = style.name


def _text(ws: Worksheet, row: int, col: int) -> str:
    cell = ws._cells.get((row, col))
    return "" if cell is None or cell.value is None else str(cell.value).strip()


def _cells_text(cells: list[tuple[int, int]]) -> str:
    shown = "、".join(f"{get_column_letter(c)}{r}" for r, c in cells[:10])
    return shown + (f" ほか{len(cells) - 10}か所" if len(cells) > 10 else "")


__all__ = ["free_column", "restructure"]
