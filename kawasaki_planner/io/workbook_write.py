"""Writing a plan as a workbook a planner can read, print and edit in Excel."""

from __future__ import annotations

import math
from copy import copy
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from ..core import forecast as fc
from ..core.fiscal import year_label
from ..core.plan import ADOPTION_LABEL, FORECAST_SECTION, Plan, Section, forecast_ref
from ..core.values import Figure
from . import layout as L
from .cells import cell_value, is_formula_like

THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def _style(name: str, **parts) -> NamedStyle:
    style = NamedStyle(name=name)
    for key, value in parts.items():
        setattr(style, key, value)
    return style


# Named styles are registered once per workbook; assigning one to a cell is a cheap
# lookup, where assigning fonts and borders cell by cell hashes every style object.
TITLE = _style("計画 見出し", font=Font(bold=True, size=14))
MARKER = _style("計画 表題", font=Font(bold=True, size=11, color="1F3864"))
NOTE = _style("計画 注記", font=Font(size=9, color="595959"))
HEADER = _style("計画 列見出し", font=Font(bold=True), fill=PatternFill("solid", fgColor="DDEBF7"), border=BOX,
                alignment=CENTER)
LABEL = _style("計画 行見出し", border=BOX, alignment=WRAP_TOP)
META = _style("計画 区分", border=BOX, alignment=CENTER)
FIGURE = _style("計画 数値", border=BOX, alignment=RIGHT)
DERIVED = _style("計画 計算値", border=BOX, alignment=RIGHT, fill=PatternFill("solid", fgColor="EDEDED"),
                 font=Font(color="595959"))
STYLES = (TITLE, MARKER, NOTE, HEADER, LABEL, META, FIGURE, DERIVED)

LABEL_WIDTH = 52
UNIT_WIDTH = 7
META_WIDTH = 12
YEAR_WIDTH = 12
LINE_HEIGHT = 15


def write_plan(plan: Plan, target: str | Path | IO[bytes]) -> None:
    """Write ``plan`` to ``target`` (a path or a binary stream). Derived figures are written as values."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for style in STYLES:
        workbook.add_named_style(style)
    for section in plan.sections:
        sheet = workbook.create_sheet(L.sheet_name(section.number, section.short_title))
        _SheetWriter(sheet, plan).write_section(section)
    _write_info(workbook.create_sheet(L.INFO_SHEET), plan)
    workbook.save(target)


def _write_info(sheet: Worksheet, plan: Plan) -> None:
    rows = [
        (L.FORMAT_KEY, L.FORMAT_VERSION),
        ("アプリ", f"Kawasaki Planner {__version__}"),
        ("計画名", plan.title),
        ("年度", ",".join(str(y) for y in plan.years)),
        ("推計の初年度", plan.first_forecast_year),
    ]
    for row, (key, value) in enumerate(rows, start=1):
        sheet.cell(row, 1, key).style = HEADER.name
        cell = sheet.cell(row, 2, value)
        if isinstance(value, str):
            cell.data_type = "s"
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 40


class _SheetWriter:
    """Writes one section sheet top to bottom, keeping track of the next free row."""

    def __init__(self, sheet: Worksheet, plan: Plan) -> None:
        self.sheet = sheet
        self.plan = plan
        self.row = 1
        self.last_col = L.FIRST_YEAR_COL + 2 * len(plan.years) - 1
        self.freeze: str | None = None
        self.styles: dict[tuple[str, str | None], object] = {}

    def write_section(self, section: Section) -> None:
        self._text(self.row, 1, section.title).style = TITLE.name
        self.row += 2
        if section.number == FORECAST_SECTION:
            self._forecast_blocks()
        elif section.indicators:
            self._indicator_block(section)
        if section.status:
            self._status_block(section)
        if section.narrative:
            self._narrative_block(section)
        self._set_widths()
        if self.freeze:
            self.sheet.freeze_panes = self.freeze
        setup = self.sheet.page_setup
        setup.orientation = "landscape"
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True

    # --- pieces ------------------------------------------------------------
    def _text(self, row: int, col: int, text: str):
        cell = self.sheet.cell(row, col, text if text != "" else None)
        if isinstance(text, str) and is_formula_like(text):
            cell.data_type = "s"
        return cell

    def _marker(self, marker: str) -> None:
        self._text(self.row, 1, marker).style = MARKER.name
        self.row += 1

    def _year_header(self, first: str, meta: str, plan_header: str) -> None:
        top, bottom = self.row, self.row + 1
        for col, text in ((L.LABEL_COL, first), (L.UNIT_COL, "単位"), (L.META_COL, meta)):
            self._header_cell(top, col, text)
            self._header_cell(bottom, col, None)
            self._merge(top, col, bottom, col, HEADER)
        for col, year, kind in L.year_columns(self.plan.years):
            if kind == "plan":
                self._header_cell(top, col, year_label(year))
                self._header_cell(top, col + 1, None)
                self._merge(top, col, top, col + 1, HEADER)
            self._header_cell(bottom, col, plan_header if kind == "plan" else L.ACTUAL_HEADER)
        if self.freeze is None:
            self.freeze = f"{get_column_letter(L.FIRST_YEAR_COL)}{bottom + 1}"
        self.row += 2

    def _merge(self, top: int, left: int, bottom: int, right: int, style: NamedStyle) -> None:
        """Merge a range with its border drawn all round.

        openpyxl's merge_cells re-formats every covered cell through style hashing (most of the
        time of saving a plan); registering the range and giving the covered cells the named style
        writes the same workbook.
        """
        rng = CellRange(min_col=left, min_row=top, max_col=right, max_row=bottom)
        self.sheet.merged_cells.add(rng)
        for row in range(top, bottom + 1):
            for col in range(left, right + 1):
                if (row, col) != (top, left):
                    self.sheet.cell(row, col).style = style.name

    def _header_cell(self, row: int, col: int, text: str | None) -> None:
        cell = self.sheet.cell(row, col, text)
        cell.style = HEADER.name

    def _styled(self, cell, style: NamedStyle, fmt: str | None = None) -> None:
        """Give ``cell`` a named style and number format.

        A large plan has a hundred thousand figure cells but only a handful of distinct styles:
        the first cell of each (style, format) pair goes through openpyxl's style setters, the
        rest copy its resolved style array (the same thing the setters store, without looking
        the named style up and hashing the format again for every cell).
        """
        key = (style.name, fmt)
        resolved = self.styles.get(key)
        if resolved is None:
            cell.style = style.name
            if fmt:
                cell.number_format = fmt
            self.styles[key] = copy(cell._style)
        else:
            cell._style = copy(resolved)

    def _figure_cell(self, row: int, col: int, figure: Figure, derived: bool) -> None:
        value, fmt = cell_value(figure)
        cell = self._text(row, col, value) if isinstance(value, str) else self.sheet.cell(row, col, value)
        self._styled(cell, DERIVED if derived else FIGURE, fmt)

    def _row_head(self, label: str, unit: str, meta: str) -> None:
        for col, text in ((L.LABEL_COL, label), (L.UNIT_COL, unit), (L.META_COL, meta)):
            self._styled(self._text(self.row, col, text), LABEL if col == L.LABEL_COL else META)

    def _indicator_block(self, section: Section) -> None:
        self._marker(L.INDICATORS)
        self._year_header("指標", "評価の方向", L.PLAN_HEADER)
        for indicator in section.indicators:
            self._row_head(indicator.label, indicator.unit, indicator.direction.label)
            for col, year, kind in L.year_columns(self.plan.years):
                self._figure_cell(self.row, col, indicator.figure(year, kind), derived=False)
            self.row += 1
        self.row += 1

    def _forecast_rows(self, specs, labels: list[str] | None = None) -> None:
        for index, spec in enumerate(specs):
            refs = [(col, forecast_ref(spec.key, year, kind)) for col, year, kind in L.year_columns(self.plan.years)]
            inputs = [self.plan.is_input(ref) for _, ref in refs]
            meta = L.INPUT_MARK if all(inputs) else L.DERIVED_MARK if not any(inputs) else "入力/計算"
            self._row_head(labels[index] if labels else spec.label, spec.unit, meta)
            for (col, ref), typed in zip(refs, inputs, strict=True):
                self._figure_cell(self.row, col, self.plan.figure(ref), derived=not typed)
            self.row += 1
        self.row += 1

    def _forecast_blocks(self) -> None:
        self._marker(L.FORECAST)
        self._year_header("区分", "入力/計算", L.FORECAST_PLAN_HEADER)
        self._forecast_rows(fc.FORECAST_ROWS)
        note = f"※特別養子縁組の見込み・実績は「7」シートの「{ADOPTION_LABEL}」を控除に使います(灰色は計算値)"
        self._text(self.row - 1, 1, note).style = NOTE.name
        self.row += 1
        self._marker(L.AGE)
        self._year_header("区分", "入力/計算", L.FORECAST_PLAN_HEADER)
        self._forecast_rows(fc.AGE_ROWS)
        self._marker(L.SHARES)
        for col, text in ((L.LABEL_COL, "年齢区分"), (L.UNIT_COL, "単位"), (L.META_COL, "入力/計算"), (4, "構成比")):
            self._header_cell(self.row, col, text)
        self.row += 1
        for key, label in fc.AGE_GROUPS:
            self._row_head(label, "%", L.INPUT_MARK)
            self._figure_cell(self.row, 4, self.plan.figure(forecast_ref(f"share.{key}", None)), derived=False)
            self.row += 1
        self.row += 1
        self._marker(L.EXCLUDED)
        self._year_header("年齢区分", "入力/計算", L.FORECAST_PLAN_HEADER)
        self._forecast_rows([fc.ALL_ROWS[f"excluded.{key}"] for key, _ in fc.AGE_GROUPS], [g for _, g in fc.AGE_GROUPS])

    def _long_text_row(self, first: str, text: str) -> None:
        self._text(self.row, 1, first).style = LABEL.name
        self._text(self.row, 2, text).style = LABEL.name
        self._merge(self.row, 2, self.row, self.last_col, LABEL)
        self.sheet.row_dimensions[self.row].height = LINE_HEIGHT * self._lines(first, text)
        self.row += 1

    def _lines(self, first: str, text: str) -> int:
        wide = UNIT_WIDTH + META_WIDTH + YEAR_WIDTH * 2 * len(self.plan.years)
        per_line = max(10, wide // 2 - 2)
        body = sum(max(1, math.ceil(len(part) / per_line)) for part in (text or "").split("\n"))
        head = math.ceil(len(first or "") / max(1, LABEL_WIDTH // 2 - 1))
        return max(1, body, head)

    def _status_block(self, section: Section) -> None:
        self._text_block(L.STATUS, ("項目", "内容"), [(x.item, x.description) for x in section.status])
        self.row += 1

    def _narrative_block(self, section: Section) -> None:
        self._text_block(L.NARRATIVE, ("見出し", "本文"), [(b.heading, b.text) for b in section.narrative])

    def _text_block(self, marker: str, headers: tuple[str, str], rows: list[tuple[str, str]]) -> None:
        self._marker(marker)
        self._header_cell(self.row, 1, headers[0])
        self._header_cell(self.row, 2, headers[1])
        self._merge(self.row, 2, self.row, self.last_col, HEADER)
        self.row += 1
        for first, text in rows:
            self._long_text_row(first, text)

    def _set_widths(self) -> None:
        widths = {L.LABEL_COL: LABEL_WIDTH, L.UNIT_COL: UNIT_WIDTH, L.META_COL: META_WIDTH}
        for col in range(1, self.last_col + 1):
            self.sheet.column_dimensions[get_column_letter(col)].width = widths.get(col, YEAR_WIDTH)
