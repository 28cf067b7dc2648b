"""Reading a plan workbook, forgiving what people do in Excel and precise about what it refuses.

Numbers typed as text, 「１，０００人」, blanks, extra spaces and edited narratives are
accepted; anything else is refused with a Japanese message naming sheet, cell and value.
"""

from __future__ import annotations

import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException

from ..core import forecast as fc
from ..core.fiscal import FIRST_FORECAST_YEAR, PLAN_YEARS, parse_year_label
from ..core.plan import FORECAST_SECTION, Direction, Indicator, NarrativeBlock, Plan, Section, StatusItem
from ..core.values import UNIT_SYNONYMS, Figure, FigureError, check_fits, dress
from . import layout as L
from .a1 import column_letter as get_column_letter
from .a1 import range_boundaries
from .cells import cell_to_figure
from .errors import PlanFormatError
from .progress import Progress, span
from .xlsx_cells import EMPTY, MAX_CELLS, Cell, SheetCells, read_cells

MAX_ROWS = 200_000
MAX_COLS = 200
SHORT_TITLES = {1: "基本的な考え方", 5: "代替養育の見込み"}


@dataclass
class Grid:
    """A sheet's cells by 1-based (row, column), read once."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    formulas: set[str] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden: bool = False
    figure_rows: set[int] = field(default_factory=set)

    def cell(self, row: int, col: int) -> Cell:
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return EMPTY

    def text(self, row: int, col: int) -> str:
        value = self.cell(row, col).value
        if value is None:
            return ""
        return str(value).strip()

    def error(self, message: str, row: int, col: int, value: object = None) -> PlanFormatError:
        return PlanFormatError(message, sheet=self.name, cell=f"{get_column_letter(col)}{row}", value=value)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").strip()


def read_plan(path: str | Path, progress: Progress | None = None) -> Plan:
    """Load a plan workbook; raises PlanFormatError with a Japanese message when it cannot.

    ``progress`` hears 0–1: reading the sheets is the first 60 %, building the plan from them the rest.
    """
    grids: dict[int, Grid] = {}
    info: dict[str, object] = {}
    try:
        for sheet in read_cells(Path(path), MAX_ROWS, MAX_COLS, span(progress, 0.0, 0.6)):
            if _norm(sheet.name) == _norm(L.INFO_SHEET):
                info = _read_info(sheet)
                continue
            number = L.section_number(sheet.name)
            if number is None:
                continue
            if number in grids:
                raise PlanFormatError(f"節{number}のシートが2つあります(「{grids[number].name}」「{sheet.name}」)")
            grids[number] = Grid(sheet.name, sheet.rows, sheet.formulas, sheet.merged, sheet.hidden_rows, sheet.hidden)
    except PlanFormatError:
        raise
    except OverflowError as exc:
        raise PlanFormatError(f"シートが大きすぎます({MAX_ROWS:,}行・{MAX_CELLS:,}セルまで)") from exc
    except (DefusedXmlException, ParseError, ExpatError) as exc:
        raise PlanFormatError("ブック内のXMLが壊れているか、安全でない宣言を含むため読めません") from exc
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, zlib.error) as exc:
        raise PlanFormatError(f"Excelブック(.xlsx)として読めません(ファイルが壊れています: {type(exc).__name__})") from exc
    return _build_plan(grids, info, span(progress, 0.6, 1.0))


def _read_info(sheet: SheetCells) -> dict[str, object]:
    info = {}
    for row in sheet.rows[:50]:
        if row and row[0].value is not None:
            info[_norm(str(row[0].value))] = row[1].value if len(row) > 1 else None
    return info


def _build_plan(grids: dict[int, Grid], info: dict[str, object], progress: Progress | None = None) -> Plan:
    if not grids:
        raise PlanFormatError("計画のシート(「1 基本的な考え方」〜「7 パーマネンシー保障」)が見つかりません")
    version = info.get(_norm(L.FORMAT_KEY))
    if isinstance(version, (int, float)) and version > L.FORMAT_VERSION:
        raise PlanFormatError(f"新しい版のアプリで保存されたブックです(形式バージョン {version})。アプリを更新してください")
    missing = [n for n in (FORECAST_SECTION, 7) if n not in grids]
    if missing:
        raise PlanFormatError(f"節{'・'.join(map(str, missing))}のシートが見つかりません")
    first_year = _int_or(info.get(_norm("推計の初年度")), FIRST_FORECAST_YEAR)
    years: set[int] = set(_years_from_info(info))
    sections: list[Section] = []
    inputs = fc.ForecastInputs(first_year=first_year)
    stored: dict = {}
    sizes = {number: max(1, len(grid.rows)) for number, grid in grids.items()}
    done, total = 0, sum(sizes.values())
    for number in sorted(grids):
        reader = _SectionReader(grids[number], number)
        section = reader.read(inputs, stored)
        years |= reader.years
        sections.append(section)
        done += sizes[number]
        if progress:
            progress(done / total)
    plan_years = tuple(sorted(years)) or PLAN_YEARS
    inputs.years = plan_years
    title = str(info.get(_norm("計画名")) or "川崎市社会的養育推進計画")
    plan = Plan(sections, inputs, title=title, years=plan_years)
    plan.stored_derived = stored
    plan.load_warnings = [w for g in grids.values() for w in (*_formula_warnings(g), *_layout_warnings(g))]
    return plan


def _int_or(value: object, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _years_from_info(info: dict[str, object]) -> list[int]:
    text = info.get(_norm("年度"))
    if not text:
        return []
    return [int(y) for y in str(text).replace("、", ",").split(",") if y.strip().isdigit()]


def _formula_warnings(grid: Grid) -> list[str]:
    if not grid.formulas:
        return []
    cells = "、".join(sorted(grid.formulas)[:10]) + (" ほか" if len(grid.formulas) > 10 else "")
    return [f"シート「{grid.name}」のセル {cells} は数式です。保存されていた計算結果を値として読み込みました(数式は評価しません)"]


def _layout_warnings(grid: Grid) -> list[str]:
    """What Excel hides from the eye in the figure tables: merged figure cells, hidden rows, a hidden sheet."""
    out = []
    if grid.hidden:
        out.append(f"シート「{grid.name}」は非表示になっていますが、読み込みました")
    hidden = sorted(grid.hidden_rows & grid.figure_rows)
    if hidden:
        out.append(f"シート「{grid.name}」の{_rows_text(hidden)}行目は非表示ですが、その数値も読み込みました")
    for ref in grid.merged:
        try:
            _, first_row, last_col, last_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        if last_col >= L.FIRST_YEAR_COL and any(r in grid.figure_rows for r in range(first_row, last_row + 1)):
            out.append(f"シート「{grid.name}」のセル範囲 {ref} は結合されています。左上のセルの値だけを読み込み、ほかは空欄としました")
    return out


def _rows_text(rows: list[int]) -> str:
    shown = "、".join(map(str, rows[:10]))
    return shown + (" ほか" if len(rows) > 10 else "")


class _SectionReader:
    def __init__(self, grid: Grid, number: int) -> None:
        self.grid = grid
        self.number = number
        self.years: set[int] = set()

    # --- blocks ----------------------------------------------------------
    def read(self, inputs: fc.ForecastInputs, stored: dict) -> Section:
        grid = self.grid
        title = grid.text(1, 1) or grid.name
        prefix = f"{self.number} "
        short = grid.name[len(prefix):].strip() if grid.name.startswith(prefix) else SHORT_TITLES.get(self.number, "")
        section = Section(self.number, title, short or title)
        blocks = self._blocks()
        if self.number == FORECAST_SECTION:
            self._read_forecast(blocks, inputs, stored)
        if L.INDICATORS in blocks:
            section.indicators = self._read_indicators(blocks[L.INDICATORS])
        if L.STATUS in blocks:
            section.status = [StatusItem(a, b) for a, b in self._text_rows(blocks[L.STATUS] + 1, stop_on_blank=True)]
        if L.NARRATIVE in blocks:
            section.narrative = [NarrativeBlock(a, b) for a, b in self._text_rows(blocks[L.NARRATIVE] + 1, False)]
        return section

    def _blocks(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for row in range(1, len(self.grid.rows) + 1):
            marker = L.marker_of(self.grid.cell(row, 1).value)
            if marker:
                if marker in found:
                    raise self.grid.error(f"「{marker}」が2回あります", row, 1)
                found[marker] = row
                if marker == L.NARRATIVE:
                    break  # the narrative comes last; its headings may read like markers
        return found

    def _is_end(self, row: int) -> bool:
        text = self.grid.text(row, 1)
        return not text or text.startswith("※") or L.marker_of(text) is not None or row > len(self.grid.rows)

    def _text_rows(self, header_row: int, stop_on_blank: bool) -> list[tuple[str, str]]:
        out = []
        row = header_row + 1
        while row <= len(self.grid.rows):
            first, second = self.grid.text(row, 1), self.grid.text(row, 2)
            if stop_on_blank and L.marker_of(first):
                break
            if not first and not second:
                if stop_on_blank:
                    break
                row += 1
                continue
            out.append((first, second))
            row += 1
        return out

    def _year_header(self, marker_row: int, plan_headers: tuple[str, ...]) -> list[tuple[int, int, str]]:
        """(column, year, kind) from the two header rows below a marker."""
        top, bottom = marker_row + 1, marker_row + 2
        columns = []
        year = None
        for col in range(L.FIRST_YEAR_COL, max(len(self.grid.rows[top - 1]) if top <= len(self.grid.rows) else 0,
                                              L.FIRST_YEAR_COL) + 1):
            label = self.grid.text(top, col)
            kind_text = _norm(self.grid.text(bottom, col))
            if label:
                year = parse_year_label(label)
                if year is None:
                    raise self.grid.error("は年度の見出しとして読めません(例: R8年度 (2026))", top, col, label)
            if not kind_text:
                continue
            if year is None:
                raise self.grid.error("の上に年度の見出しがありません", bottom, col, kind_text)
            if kind_text in plan_headers:
                kind = "plan"
            elif kind_text == L.ACTUAL_HEADER:
                kind = "actual"
            else:
                raise self.grid.error("は「目標」「見込み」「実績」のどれでもありません", bottom, col, kind_text)
            columns.append((col, year, kind))
            self.years.add(year)
        if not columns:
            raise self.grid.error("の下に年度の列がありません", marker_row, 1, self.grid.text(marker_row, 1))
        return columns

    def _raw_figure(self, row: int, col: int, unit: str) -> Figure:
        """The cell as typed, checked against the row's unit but not yet dressed."""
        cell = self.grid.cell(row, col)
        try:
            figure = _checked_figure(cell.value, cell.fmt, unit)
        except FigureError as exc:
            raise self.grid.error(f"を読めません: {exc}", row, col, cell.value) from exc
        return figure

    def _figure(self, row: int, col: int, unit: str, print_unit: bool) -> Figure:
        return dress(self._raw_figure(row, col, unit), unit, print_unit)

    # --- indicator tables ------------------------------------------------
    def _read_indicators(self, marker_row: int) -> list[Indicator]:
        columns = self._year_header(marker_row, (L.PLAN_HEADER, L.FORECAST_PLAN_HEADER))
        indicators: list[Indicator] = []
        seen: set[str] = set()
        row = marker_row + 3
        while not self._is_end(row):
            label = self.grid.text(row, L.LABEL_COL)
            if label in seen:
                raise self.grid.error("という指標名が同じ節に2回あります", row, L.LABEL_COL, label)
            seen.add(label)
            unit = _unit(self.grid.text(row, L.UNIT_COL))
            direction = self._direction(row)
            parsed = {(y, k): self._raw_figure(row, c, unit) for c, y, k in columns}
            values = [f for f in parsed.values() if f.has_value]
            print_unit = not values or any(f.unit for f in values)
            indicator = Indicator(label, unit, print_unit, direction)
            for (year, kind), figure in parsed.items():
                indicator.set_figure(year, kind, dress(figure, unit, print_unit))
            indicators.append(indicator)
            self.grid.figure_rows.add(row)
            row += 1
        return indicators

    def _direction(self, row: int) -> Direction:
        text = self.grid.text(row, L.META_COL)
        if not text:
            return Direction.HIGHER
        direction = Direction.from_label(_norm(text))
        if direction is None:
            choices = "・".join(d.label for d in Direction)
            raise self.grid.error(f"は評価の方向として読めません({choices}のどれか)", row, L.META_COL, text)
        return direction

    # --- section 5 ---------------------------------------------------------
    def _read_forecast(self, blocks: dict[str, int], inputs: fc.ForecastInputs, stored: dict) -> None:
        for marker in (L.FORECAST, L.AGE, L.SHARES, L.EXCLUDED):
            if marker not in blocks:
                raise PlanFormatError(f"「{marker}」の表が見つかりません", sheet=self.grid.name)
        by_label = {_norm(s.label): s for s in fc.FORECAST_ROWS}
        self._forecast_table(blocks[L.FORECAST], lambda label, prev: by_label.get(_norm(label)), inputs, stored)
        self._forecast_table(blocks[L.AGE], _age_row, inputs, stored)
        groups = {_norm(label): key for key, label in fc.AGE_GROUPS}
        excluded = {_norm(fc.ALL_ROWS[f"excluded.{key}"].label): key for key, _ in fc.AGE_GROUPS} | groups
        self._forecast_table(
            blocks[L.EXCLUDED], lambda label, prev: fc.ALL_ROWS.get(f"excluded.{excluded.get(_norm(label))}"),
            inputs, stored,
        )
        row = blocks[L.SHARES] + 2
        while not self._is_end(row):
            label = self.grid.text(row, L.LABEL_COL)
            key = groups.get(_norm(label))
            if key is None:
                raise self.grid.error("は年齢区分として読めません", row, L.LABEL_COL, label)
            figure = self._figure(row, L.FIRST_YEAR_COL, "%", True)
            if not figure.is_blank:
                inputs.cells[(f"share.{key}", None, fc.PLAN)] = figure
            row += 1

    def _forecast_table(self, marker_row: int, resolve, inputs: fc.ForecastInputs, stored: dict) -> None:
        columns = self._year_header(marker_row, (L.FORECAST_PLAN_HEADER, L.PLAN_HEADER))
        row = marker_row + 3
        previous = None
        while not self._is_end(row):
            label = self.grid.text(row, L.LABEL_COL)
            spec = resolve(label, previous)
            if spec is None:
                raise self.grid.error("はこの表の行として読めません", row, L.LABEL_COL, label)
            for col, year, kind in columns:
                figure = self._figure(row, col, spec.unit, spec.print_unit)
                if figure.is_blank:
                    continue
                target = inputs.cells if fc.is_input(spec.key, year, kind, inputs.first_year) else stored
                target[(spec.key, year, kind)] = figure
            previous = spec
            self.grid.figure_rows.add(row)
            row += 1


@lru_cache(maxsize=65536, typed=True)
def _checked_figure(value: object, fmt: str | None, unit: str) -> Figure:
    # Cached: a large plan repeats the same few thousand (value, format, unit) cells; figures are immutable.
    figure = cell_to_figure(value, fmt)
    check_fits(figure, unit)
    return figure


def _age_row(label: str, previous: fc.RowSpec | None) -> fc.RowSpec | None:
    text = _norm(label)
    if text.strip("()") == _norm(fc.ELIGIBLE):
        if previous is None or not previous.key.startswith("age."):
            return None
        return fc.ALL_ROWS["eligible." + previous.key.split(".", 1)[1]]
    for spec in fc.AGE_ROWS:
        if spec.key.startswith("age.") and _norm(spec.label) == text:
            return spec
    return None


def _unit(text: str) -> str:
    unit = unicodedata.normalize("NFKC", text).strip()
    return UNIT_SYNONYMS.get(unit, unit)
