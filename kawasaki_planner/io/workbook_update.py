"""Saving a plan back into the workbook it was read from: only the plan's own cells change.

The workbook is opened again from the bytes read at load (so a file changed or moved since does not
matter), each figure and text is written at the place the reader found it, and everything else stays as
the planner left it: their own sheets, notes beside a table, comments, colours, widths, print settings,
formulas outside the figure cells. A figure cell that held a formula gets the figure as a value: openpyxl
writes formulas without their results, and a figure the app cannot read back is not saved.

When the plan's structure is not the workbook's, workbook_structure.restructure brings the workbook in line first.
"""

from __future__ import annotations

from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..core import forecast as fc
from ..core.plan import FORECAST_SECTION, KINDS, FigureRef, Indicator, Plan, Section, forecast_ref
from ..core.values import Figure
from . import layout as L
from .book_source import BookSource, Place, TablePlace, text_key
from .cells import cell_value, empty_format
from .errors import SaveError
from .evaluation_sheets import replace_evaluation_sheets
from .excel_open import open_workbook
from .progress import Progress
from .sheet_shift import column_dimension
from .workbook_layout import (
    DERIVED,
    FIGURE,
    HEADER,
    add_styles,
    info_rows,
    place_scenario_sheet,
    write_info,
)
from .workbook_structure import free_column, restructure

MSG_MERGED = "セル {cell} は結合されているため、値「{value}」を書き込めません。Excelで結合を解除してから保存してください"
MSG_NOT_PLACED = "節{section}の「{what}」を書き込む場所がブックにありません。「名前を付けて保存」で新しいブックに保存してください"


class _Writer:
    def __init__(self, book: Workbook, source: BookSource) -> None:
        self.book = book
        self.source = source
        self.styled = set(book.style_names)

    def sheet(self, name: str) -> Worksheet:
        return self.book[name]

    def put(self, place: Place, value: object, fmt: str | None = None, style=None) -> None:
        ws = self.sheet(place[0])
        cell = ws.cell(place[1], place[2])
        if isinstance(cell, MergedCell):
            if value is None:
                return
            raise SaveError(MSG_MERGED.format(cell=f"{get_column_letter(place[2])}{place[1]}", value=value), sheet=place[0])
        if not _same(cell.value, value):
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # the planner's text, never a formula
        if style is not None and style.name in self.styled and cell.style != style.name:
            cell.style = style.name  # first: a named style brings its own number format
        if fmt is not None and cell.number_format != fmt:
            cell.number_format = fmt


def _same(old: object, new: object) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return old == new
    return type(old) is type(new) and old == new


def update_workbook(plan: Plan, source: BookSource, progress: Progress | None = None) -> Workbook:
    """The source workbook with the plan's cells written into it; raises SaveError (Japanese) when a cell has no place."""
    book = open_workbook(source.data, inspected=[]).book
    if progress:
        progress(0.4)
    add_styles(book)  # a workbook from elsewhere gets the plan's styles for the cells the app adds
    places = source.working_copy()  # the source stays as read: the next save starts from the same bytes and places
    fresh = restructure(book, plan, places)
    writer = _Writer(book, places)
    for done, section in enumerate(plan.sections, start=1):
        if section.number not in fresh:  # a sheet laid out anew holds the plan's cells already
            _section(writer, plan, section)
        if progress:
            progress(0.4 + 0.6 * done / len(plan.sections))
    place_scenario_sheet(book, plan)  # the 推計シナリオ sheet is the app's: laid out anew (or taken away)
    _info(writer, plan)
    replace_evaluation_sheets(book, plan, places.evaluation)
    return book


def _section(w: _Writer, plan: Plan, section: Section) -> None:
    place = w.source.texts.get(text_key("title", section.number, 0, 0))
    if place is None:
        raise SaveError(MSG_NOT_PLACED.format(section=section.number, what="シート"))
    w.put(place, section.title or None)
    if section.number == FORECAST_SECTION:
        for spec in fc.ALL_ROWS.values():
            years = [None] if not spec.per_year else plan.years
            kinds = [fc.PLAN] if not spec.per_year else KINDS
            for year in years:
                for kind in kinds:
                    ref = forecast_ref(spec.key, year, kind)
                    _figure(w, plan, ref, plan.figure(ref), not plan.is_input(ref), empty_format(spec.unit, spec.print_unit, [],
                                                                                                   spec.decimals))
    table = w.source.tables.get((section.number, L.INDICATORS))
    for indicator in section.indicators:
        _row_head(w, section.number, indicator, table)
        figures = [indicator.figure(y, k) for y in plan.years for k in KINDS]
        empty = empty_format(indicator.unit, indicator.print_unit, figures)
        for year in plan.years:
            for kind in KINDS:
                _figure(w, plan, FigureRef(section.number, indicator.id, year, kind), indicator.figure(year, kind), False, empty)
    for kind, rows in (("status", [(x.item, x.description) for x in section.status]),
                       ("narrative", [(b.heading, b.text) for b in section.narrative])):
        for index, pair in enumerate(rows):
            for column, text in enumerate(pair):
                place = w.source.texts.get(text_key(kind, section.number, index, column))
                if place is None:
                    raise SaveError(MSG_NOT_PLACED.format(section=section.number, what=pair[0] or pair[1][:20]))
                w.put(place, text or None)


def _row_head(w: _Writer, number: int, indicator: Indicator, table: TablePlace | None) -> None:
    """Label, unit and direction where the row stands, and its id in the hidden ID column (added to a version-1 book)."""
    at = w.source.rows.get((number, indicator.id))
    if at is None or table is None:
        return  # a row the workbook does not have: its figures say so when they find no place
    sheet, row = at
    w.put((sheet, row, L.LABEL_COL), indicator.label)
    w.put((sheet, row, L.UNIT_COL), indicator.unit or None)
    w.put((sheet, row, L.META_COL), indicator.direction.label)
    if table.id_col is None:
        table.id_col = _free_column(w, table)
        w.put((sheet, table.marker_row + 2, table.id_col), L.ID_HEADER)
        column_dimension(w.sheet(sheet), table.id_col).hidden = True
    w.put((sheet, row, table.id_col), indicator.id)


def _free_column(w: _Writer, table: TablePlace) -> int:
    """Right after the years if that column is empty (sorting then takes the ids along), else past the planner's own
    columns; empty in the whole sheet, so that hiding it hides nothing of the planner's."""
    return free_column(w.sheet(table.sheet), max(table.columns.values()) + 1)


def _figure(w: _Writer, plan: Plan, ref: FigureRef, figure: Figure, derived: bool, empty_fmt: str) -> None:
    place = w.source.figures.get(ref)
    if place is None:
        if figure.is_blank or derived:  # a computed figure whose row the sheet lacks: recomputed at every load
            return
        raise SaveError(MSG_NOT_PLACED.format(section=ref.section, what=f"{ref.row} {ref.year}年度"))
    value, fmt = cell_value(figure)
    if value is None and w.sheet(place[0]).cell(place[1], place[2]).number_format == "General":
        fmt = empty_fmt  # so that a number typed there later prints like its row
    style = (DERIVED if derived else FIGURE) if place in w.source.added else None
    w.put(place, value, fmt, style)


def _info(w: _Writer, plan: Plan) -> None:
    if w.source.info_sheet is None or w.source.info_sheet not in w.book.sheetnames:
        write_info(w.book.create_sheet(L.INFO_SHEET), plan)
        return
    ws = w.sheet(w.source.info_sheet)
    for key, value in info_rows(plan):
        place = w.source.info.get(key)
        if place is None and value == "" and key in L.OPTIONAL_INFO_KEYS:
            continue
        if place is None:
            row = ws.max_row + 1
            w.put((ws.title, row, 1), key, style=HEADER)
            place = (ws.title, row, 2)
        w.put(place, value if value != "" else None)


# --- structure: the workbook's sections, years, rows and texts brought in line with the plan's --------------------
