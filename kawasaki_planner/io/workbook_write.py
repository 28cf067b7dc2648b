"""Writing a plan as a workbook a planner can read, print and edit in Excel."""

from __future__ import annotations

import math
from pathlib import Path
from typing import IO

from .. import __version__
from ..core import forecast as fc
from ..core.fiscal import year_label
from ..core.plan import ADOPTION_LABEL, FORECAST_SECTION, Plan, Section, forecast_ref
from ..core.values import Figure
from . import layout as L
from .cells import cell_value
from .progress import Progress, span
from .xlsx_package import CellStyle, Package, Sheet

GRID = "A6A6A6"
TITLE = CellStyle("計画 見出し", bold=True, size=14)
MARKER = CellStyle("計画 表題", bold=True, color="1F3864")
NOTE = CellStyle("計画 注記", size=9, color="595959")
HEADER = CellStyle("計画 列見出し", bold=True, fill="DDEBF7", border=GRID, horizontal="center", vertical="center", wrap=True)
LABEL = CellStyle("計画 行見出し", border=GRID, vertical="top", wrap=True)
META = CellStyle("計画 区分", border=GRID, horizontal="center", vertical="center", wrap=True)
FIGURE = CellStyle("計画 数値", border=GRID, horizontal="right", vertical="center")
DERIVED = CellStyle("計画 計算値", border=GRID, horizontal="right", vertical="center", fill="EDEDED", color="595959")

LABEL_WIDTH = 52
UNIT_WIDTH = 7
META_WIDTH = 12
YEAR_WIDTH = 12
LINE_HEIGHT = 15


def write_plan(plan: Plan, target: str | Path | IO[bytes], progress: Progress | None = None) -> None:
    """Write ``plan`` to ``target`` (a path or a binary stream). Derived figures are written as values.

    ``progress`` hears 0–1: laying out the sheets is the first 70 %, serialising and compressing the rest.
    """
    package = Package(f"Kawasaki Planner {__version__}")
    sizes = [1 + len(section.indicators) for section in plan.sections]
    done, total = 0, sum(sizes)
    for section, size in zip(plan.sections, sizes, strict=True):
        sheet = package.add_sheet(L.sheet_name(section.number, section.short_title))
        _SheetWriter(sheet, plan).write_section(section)
        done += size
        if progress:
            progress(0.7 * done / total)
    _write_info(package.add_sheet(L.INFO_SHEET), plan)
    package.save(target, span(progress, 0.7, 1.0))


def _write_info(sheet: Sheet, plan: Plan) -> None:
    rows = [
        (L.FORMAT_KEY, L.FORMAT_VERSION),
        ("アプリ", f"Kawasaki Planner {__version__}"),
        ("計画名", plan.title),
        ("年度", ",".join(str(y) for y in plan.years)),
        ("推計の初年度", plan.first_forecast_year),
    ]
    for row, (key, value) in enumerate(rows, start=1):
        sheet.put(row, 1, key, HEADER)
        sheet.put(row, 2, value if value != "" else None)
    sheet.widths.update({1: 16, 2: 40})


class _SheetWriter:
    """Writes one section sheet top to bottom, keeping track of the next free row."""

    def __init__(self, sheet: Sheet, plan: Plan) -> None:
        self.sheet = sheet
        self.plan = plan
        self.row = 1
        self.last_col = L.FIRST_YEAR_COL + 2 * len(plan.years) - 1
        self.freeze: tuple[int, int] | None = None

    def write_section(self, section: Section) -> None:
        self._text(self.row, 1, section.title, TITLE)
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
        self.sheet.freeze = self.freeze
        self.sheet.landscape_fit_width = True

    # --- pieces ------------------------------------------------------------
    def _text(self, row: int, col: int, text: str | None, style: CellStyle | None = None) -> None:
        self.sheet.put(row, col, text if text != "" else None, style)

    def _marker(self, marker: str) -> None:
        self._text(self.row, 1, marker, MARKER)
        self.row += 1

    def _year_header(self, first: str, meta: str, plan_header: str) -> None:
        top, bottom = self.row, self.row + 1
        for col, text in ((L.LABEL_COL, first), (L.UNIT_COL, "単位"), (L.META_COL, meta)):
            self._text(top, col, text, HEADER)
            self._merge(top, col, bottom, col, HEADER)
        for col, year, kind in L.year_columns(self.plan.years):
            if kind == "plan":
                self._text(top, col, year_label(year), HEADER)
                self._merge(top, col, top, col + 1, HEADER)
            self._text(bottom, col, plan_header if kind == "plan" else L.ACTUAL_HEADER, HEADER)
        if self.freeze is None:
            self.freeze = (bottom + 1, L.FIRST_YEAR_COL)
        self.row += 2

    def _merge(self, top: int, left: int, bottom: int, right: int, style: CellStyle) -> None:
        """Merge a range; its covered cells carry the style so the border is drawn all round."""
        self.sheet.merge(top, left, bottom, right)
        for row in range(top, bottom + 1):
            for col in range(left, right + 1):
                if (row, col) != (top, left):
                    self.sheet.put(row, col, None, style)

    def _figure_cell(self, row: int, col: int, figure: Figure, derived: bool) -> None:
        value, fmt = cell_value(figure)
        self.sheet.put(row, col, value, DERIVED if derived else FIGURE, fmt)

    def _row_head(self, label: str, unit: str, meta: str) -> None:
        for col, text in ((L.LABEL_COL, label), (L.UNIT_COL, unit), (L.META_COL, meta)):
            self._text(self.row, col, text, LABEL if col == L.LABEL_COL else META)

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
        self._text(self.row - 1, 1, note, NOTE)
        self.row += 1
        self._marker(L.AGE)
        self._year_header("区分", "入力/計算", L.FORECAST_PLAN_HEADER)
        self._forecast_rows(fc.AGE_ROWS)
        self._marker(L.SHARES)
        for col, text in ((L.LABEL_COL, "年齢区分"), (L.UNIT_COL, "単位"), (L.META_COL, "入力/計算"), (4, "構成比")):
            self._text(self.row, col, text, HEADER)
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
        self._text(self.row, 1, first, LABEL)
        self._text(self.row, 2, text, LABEL)
        self._merge(self.row, 2, self.row, self.last_col, LABEL)
        self.sheet.heights[self.row] = LINE_HEIGHT * self._lines(first, text)
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
        self._text(self.row, 1, headers[0], HEADER)
        self._text(self.row, 2, headers[1], HEADER)
        self._merge(self.row, 2, self.row, self.last_col, HEADER)
        self.row += 1
        for first, text in rows:
            self._long_text_row(first, text)

    def _set_widths(self) -> None:
        widths = {L.LABEL_COL: LABEL_WIDTH, L.UNIT_COL: UNIT_WIDTH, L.META_COL: META_WIDTH}
        for col in range(1, self.last_col + 1):
            self.sheet.widths[col] = widths.get(col, YEAR_WIDTH)
