"""A new plan workbook laid out like the plan, built with openpyxl: what a plan without a workbook is saved as.

A plan read from a workbook is saved back into that workbook (workbook_update.py); this layout is for a
new plan (the template), a plan from its JSON source, and the bundled sample.

Cells that merge are kept few and borderless (the texts' B-to-last-year ranges): openpyxl spends about
5 ms per bordered merged range when it opens a workbook, which made the sample open five times slower.
Year headers are centred across their two columns (Excel's 「選択範囲内で中央」) instead of merged.
"""

from __future__ import annotations

import math
from copy import copy

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.workbook import Workbook
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..core import forecast as fc
from ..core.fiscal import year_label
from ..core.plan import ADOPTION_ROLE, FORECAST_SECTION, KINDS, Plan, Section, forecast_ref
from ..core.report import adoption_note
from ..core.values import Figure
from ..version import __version__
from . import layout as L
from .cells import cell_value, empty_format
from .progress import Progress

GRID = "A6A6A6"
LABEL_WIDTH = 52
UNIT_WIDTH = 7
META_WIDTH = 12
YEAR_WIDTH = 12
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 409  # Excel's limit, in points


def _style(name: str, *, bold: bool = False, size: float = 11, color: str | None = None, fill: str | None = None,
           border: str = "", horizontal: str | None = None, vertical: str | None = None, wrap: bool = False) -> NamedStyle:
    """A named cell style (it shows in Excel's style gallery). ``border``: which sides get a thin grid line (l, r, t, b)."""
    side = Side(style="thin", color="FF" + GRID)
    sides = {"l": "left", "r": "right", "t": "top", "b": "bottom"}
    return NamedStyle(
        name=name,
        font=Font(name="Calibri", bold=bold, size=size, color=("FF" + color) if color else None),
        fill=PatternFill("solid", fgColor="FF" + fill) if fill else PatternFill(),
        # Sides with no line are given as empty Sides, as Excel writes them: openpyxl then skips re-bordering a
        # merged range's cells when it opens the workbook (None sides make it restyle every covered cell).
        border=Border(**{name: side if key in border else Side() for key, name in sides.items()}, diagonal=Side()),
        alignment=Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap or None),
    )


TITLE = _style("計画 見出し", bold=True, size=14)
MARKER = _style("計画 表題", bold=True, color="1F3864")
NOTE = _style("計画 注記", size=9, color="595959")
HEADER = _style("計画 列見出し", bold=True, fill="DDEBF7", border="lrtb", horizontal="center", vertical="center", wrap=True)
HEADER_TOP = _style("計画 列見出し(上)", bold=True, fill="DDEBF7", border="lrt", horizontal="center", vertical="center", wrap=True)
HEADER_BOTTOM = _style("計画 列見出し(下)", bold=True, fill="DDEBF7", border="lrb", horizontal="center", vertical="center")
YEAR_HEADER = _style("計画 年度見出し", bold=True, fill="DDEBF7", border="lrtb", horizontal="centerContinuous", vertical="center")
LABEL = _style("計画 行見出し", border="lrtb", vertical="top", wrap=True)
META = _style("計画 区分", border="lrtb", horizontal="center", vertical="center", wrap=True)
FIGURE = _style("計画 数値", border="lrtb", horizontal="right", vertical="center")
DERIVED = _style("計画 計算値", border="lrtb", horizontal="right", vertical="center", fill="EDEDED", color="595959")
TEXT_HEAD = _style("計画 本文見出し", bold=True, vertical="top", wrap=True)
TEXT = _style("計画 本文", vertical="top", wrap=True)
TEXT_HEADERS = {L.STATUS: ("項目", "内容"), L.NARRATIVE: ("見出し", "本文")}
STYLES = (TITLE, MARKER, NOTE, HEADER, HEADER_TOP, HEADER_BOTTOM, YEAR_HEADER, LABEL, META, FIGURE, DERIVED, TEXT_HEAD, TEXT)


def add_styles(book: Workbook) -> None:
    """The plan's named styles the workbook lacks, as copies: openpyxl binds a style to the workbook it is added to,
    so adding the module's own would keep the last workbook saved (every cell of it) alive with the module."""
    have = set(book.style_names)
    for style in STYLES:
        if style.name not in have:
            book.add_named_style(copy(style))


def build_workbook(plan: Plan, progress: Progress | None = None) -> Workbook:
    """The whole plan as a new workbook. Derived figures are written as values, so any spreadsheet shows them."""
    book = Workbook()
    add_styles(book)
    book.remove(book.active)
    for done, section in enumerate(plan.sections, start=1):
        ws = book.create_sheet(L.sheet_name(section.number, section.short_title))
        _SheetWriter(ws, plan).write_section(section)
        if progress:
            progress(done / len(plan.sections))
    place_scenario_sheet(book, plan)
    from .evaluation_sheets import write_evaluation_sheets  # it lays its sheets out with the styles above

    write_evaluation_sheets(book, plan)
    write_info(book.create_sheet(L.INFO_SHEET), plan)
    return book


def place_scenario_sheet(book: Workbook, plan: Plan) -> None:
    from .scenario_sheet import place_sheet  # the scenarios' sheet reuses this module's styles

    place_sheet(book, plan)


def info_rows(plan: Plan) -> list[tuple[str, object]]:
    return [
        (L.FORMAT_KEY, L.FORMAT_VERSION),
        ("アプリ", f"Kawasaki Planner {__version__}"),
        ("計画名", plan.title),
        ("年度", ",".join(str(y) for y in plan.years)),
        ("推計の初年度", plan.first_forecast_year),
        (L.SECTIONS_KEY, ",".join(str(s.number) for s in plan.sections)),
        (L.ADOPTION_KEY, adoption_text(plan)),
        (L.ROLES_KEY, roles_text(plan)),
        (L.UNIT_UNPRINTED_KEY, unit_unprinted_text(plan)),
    ]


def unit_unprinted_text(plan: Plan) -> str:
    """Rows with a unit that print none (「7」, not 「7か所」) and have no figure yet: a row with figures says it in
    their number formats, a row without has no format to say it."""
    return "; ".join(f"{s.number}:{i.id}" for s in plan.sections for i in s.indicators
                     if i.unit and not i.print_unit and not (i.plan or i.actual))


def roles_text(plan: Plan) -> str:
    return "; ".join(f"{s.number}:{i.id}={i.role}" for s in plan.sections for i in s.indicators
                     if i.role and i.role != ADOPTION_ROLE)


def adoption_text(plan: Plan) -> str:
    ref = plan.adoption_ref()
    return "" if ref is None else f"{ref[0]}:{ref[1]}"


def write_info(ws: Worksheet, plan: Plan) -> None:
    rows = [(key, value) for key, value in info_rows(plan) if value != "" or key not in L.OPTIONAL_INFO_KEYS]
    for row, (key, value) in enumerate(rows, start=1):
        ws.cell(row, 1, key).style = HEADER.name
        ws.cell(row, 2, value if value != "" else None)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 40


def row_height(text_lines: int) -> float:
    return min(MAX_ROW_HEIGHT, LINE_HEIGHT * max(1, text_lines))


def text_lines(years: int, first: str, text: str) -> int:
    """How many lines a text row takes when its text is merged across ``years`` fiscal years."""
    wide = UNIT_WIDTH + META_WIDTH + YEAR_WIDTH * 2 * years
    per_line = max(10, wide // 2 - 2)
    body = sum(max(1, math.ceil(len(part) / per_line)) for part in (text or "").split("\n"))
    head = math.ceil(len(first or "") / max(1, LABEL_WIDTH // 2 - 1))
    return max(1, body, head)


# --- pieces the updater reuses on a workbook it writes back into (workbook_update.py) ------------------------

def write_section_sheet(ws: Worksheet, plan: Plan, section: Section) -> None:
    """A section's whole sheet, as build_workbook lays it out."""
    _SheetWriter(ws, plan).write_section(section)


def write_indicator_block(ws: Worksheet, plan: Plan, section: Section, row: int, id_col: int | None = None) -> int:
    """The 評価のための指標 block from ``row`` (marker, headers, rows; ids in ``id_col``, else right of the years) on
    rows that are free; freezes the header when the sheet has no frozen pane. Returns the row after the block's blank row."""
    writer = _SheetWriter(ws, plan)
    writer.row = row
    writer._indicator_block(section, id_col)
    if not ws.freeze_panes:
        ws.freeze_panes = writer.freeze
    return writer.row


def write_text_block(ws: Worksheet, plan: Plan, marker: str, rows: list[tuple[str, str]], row: int) -> int:
    """A 現在の整備・取組状況 or 本文 block from ``row`` on rows that are free; returns the row after its last text."""
    writer = _SheetWriter(ws, plan)
    writer.row = row
    writer._text_block(marker, rows)
    return writer.row


def write_text_row(ws: Worksheet, plan: Plan, row: int, first: str, text: str, last_col: int) -> None:
    writer = _SheetWriter(ws, plan)
    writer.row = row
    writer.text_row(first, text, last_col)


def last_year_column(plan: Plan) -> int:
    return L.FIRST_YEAR_COL + 2 * len(plan.years) - 1


class _SheetWriter:
    """Writes one section sheet top to bottom, keeping track of the next free row."""

    def __init__(self, ws: Worksheet, plan: Plan) -> None:
        self.ws = ws
        self.plan = plan
        self.row = 1
        self.last_col = L.FIRST_YEAR_COL + 2 * len(plan.years) - 1
        self.freeze: str | None = None

    def write_section(self, section: Section) -> None:
        self._put(1, 1, section.title, TITLE)
        self.row = 3
        if section.number == FORECAST_SECTION:
            self._forecast_blocks()
        elif section.indicators:
            self._indicator_block(section)
        if section.status:
            self._text_block(L.STATUS, [(x.item, x.description) for x in section.status])
            self.row += 1
        if section.narrative:
            self._text_block(L.NARRATIVE, [(b.heading, b.text) for b in section.narrative])
        self._page_setup()

    # --- pieces ------------------------------------------------------------
    def _put(self, row: int, col: int, value: object, style: NamedStyle | None = None, fmt: str | None = None) -> None:
        cell = self.ws.cell(row, col)
        cell.value = None if value == "" else value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # the planner's text, never a formula
        if style is not None:
            cell.style = style.name
        if fmt:
            cell.number_format = fmt

    def _marker(self, marker: str) -> None:
        self._put(self.row, 1, marker, MARKER)
        self.row += 1

    def _year_header(self, first: str, meta: str, plan_header: str) -> None:
        top, bottom = self.row, self.row + 1
        for col, text in ((L.LABEL_COL, first), (L.UNIT_COL, "単位"), (L.META_COL, meta)):
            self._put(top, col, text, HEADER_TOP)
            self._put(bottom, col, None, HEADER_BOTTOM)
        for col, year, kind in L.year_columns(self.plan.years):
            self._put(top, col, year_label(year) if kind == "plan" else None, YEAR_HEADER)
            self._put(bottom, col, plan_header if kind == "plan" else L.ACTUAL_HEADER, HEADER)
        if self.freeze is None:
            self.freeze = f"{_letter(L.FIRST_YEAR_COL)}{bottom + 1}"
        self.row += 2

    def _figure_cell(self, row: int, col: int, figure: Figure, derived: bool, empty_fmt: str) -> None:
        value, fmt = cell_value(figure)
        self._put(row, col, value, DERIVED if derived else FIGURE, fmt or (empty_fmt if value is None else None))

    def _row_head(self, label: str, unit: str, meta: str) -> None:
        self._put(self.row, L.LABEL_COL, label, LABEL)
        self._put(self.row, L.UNIT_COL, unit, META)
        self._put(self.row, L.META_COL, meta, META)

    def _indicator_block(self, section: Section, id_col: int | None = None) -> None:
        self._marker(L.INDICATORS)
        self._year_header("指標", "評価の方向", L.PLAN_HEADER)
        id_col = id_col or self.last_col + 1
        self._put(self.row - 1, id_col, L.ID_HEADER)
        self.ws.column_dimensions[_letter(id_col)].hidden = True  # the planner reads labels; ids are for the app
        for indicator in section.indicators:
            self._row_head(indicator.label, indicator.unit, indicator.direction.label)
            self._put(self.row, id_col, indicator.id)
            figures = [indicator.figure(y, k) for y in self.plan.years for k in KINDS]
            empty = empty_format(indicator.unit, indicator.print_unit, figures)
            for col, year, kind in L.year_columns(self.plan.years):
                self._figure_cell(self.row, col, indicator.figure(year, kind), False, empty)
            self.row += 1
        self.row += 1

    def _forecast_rows(self, specs, labels: list[str] | None = None) -> None:
        for index, spec in enumerate(specs):
            refs = [(col, forecast_ref(spec.key, year, kind)) for col, year, kind in L.year_columns(self.plan.years)]
            inputs = [self.plan.is_input(ref) for _, ref in refs]
            meta = L.INPUT_MARK if all(inputs) else L.DERIVED_MARK if not any(inputs) else "入力/計算"
            self._row_head(labels[index] if labels else spec.label, spec.unit, meta)
            empty = empty_format(spec.unit, spec.print_unit, [], spec.decimals)
            for (col, ref), typed in zip(refs, inputs, strict=True):
                self._figure_cell(self.row, col, self.plan.figure(ref), not typed, empty)
            self.row += 1
        self.row += 1

    def _forecast_blocks(self) -> None:
        self._marker(L.FORECAST)
        self._year_header("区分", "入力/計算", L.FORECAST_PLAN_HEADER)
        self._forecast_rows(fc.FORECAST_ROWS)
        note = adoption_note(self.plan) + "(灰色は計算値)"
        self._put(self.row - 1, 1, note, NOTE)
        self.row += 1
        self._marker(L.AGE)
        self._year_header("区分", "入力/計算", L.FORECAST_PLAN_HEADER)
        self._forecast_rows(fc.AGE_ROWS)
        self._marker(L.SHARES)
        for col, text in ((L.LABEL_COL, "年齢区分"), (L.UNIT_COL, "単位"), (L.META_COL, "入力/計算"), (L.FIRST_YEAR_COL, "構成比")):
            self._put(self.row, col, text, HEADER)
        self.row += 1
        for key, label in fc.AGE_GROUPS:
            self._row_head(label, "%", L.INPUT_MARK)
            spec = fc.ALL_ROWS[f"share.{key}"]
            self._figure_cell(self.row, L.FIRST_YEAR_COL, self.plan.figure(forecast_ref(spec.key, None)), False,
                              empty_format("%", True, [], spec.decimals))
            self.row += 1
        self.row += 1
        self._marker(L.EXCLUDED)
        self._year_header("年齢区分", "入力/計算", L.FORECAST_PLAN_HEADER)
        self._forecast_rows([fc.ALL_ROWS[f"excluded.{key}"] for key, _ in fc.AGE_GROUPS], [g for _, g in fc.AGE_GROUPS])

    def _text_block(self, marker: str, rows: list[tuple[str, str]]) -> None:
        self._marker(marker)
        for col, header in enumerate(TEXT_HEADERS[marker], start=1):
            self._put(self.row, col, header, HEADER)
        self.row += 1
        for first, text in rows:
            self.text_row(first, text, self.last_col)
            self.row += 1

    def text_row(self, first: str, text: str, last_col: int) -> None:
        """One row of a text block at the current row: the heading in A, the text in B merged up to ``last_col``."""
        self._put(self.row, 1, first, TEXT_HEAD)
        self._put(self.row, 2, text, TEXT)
        self.ws.merge_cells(start_row=self.row, start_column=2, end_row=self.row, end_column=last_col)
        self.ws.row_dimensions[self.row].height = row_height(text_lines(len(self.plan.years), first, text))

    def _page_setup(self) -> None:
        widths = {L.LABEL_COL: LABEL_WIDTH, L.UNIT_COL: UNIT_WIDTH, L.META_COL: META_WIDTH}
        for col in range(1, self.last_col + 1):
            self.ws.column_dimensions[_letter(col)].width = widths.get(col, YEAR_WIDTH)
        self.ws.freeze_panes = self.freeze
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)
