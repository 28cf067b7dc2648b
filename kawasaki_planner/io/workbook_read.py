"""Reading a plan workbook with openpyxl, forgiving what people do in spreadsheets and saying aloud what it doubts.

Numbers typed as text, 「１，０００人」, blank rows inside a table, reordered rows, notes and extra
columns beside a table, an edited narrative: all read. What the reader cannot place (a row with figures
but no label, a number under no year, a marker it does not know, a section sheet it cannot find, a cell
whose number format was lost) is a warning naming the sheet and cell; what it cannot read at all is a
PlanFormatError naming sheet, cell and value. Every place read is recorded, so a save writes the plan
back into the same workbook (see book_source.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from ..core import forecast as fc
from ..core.fiscal import FIRST_FORECAST_YEAR, PLAN_YEARS, parse_year_label
from ..core.plan import FORECAST_SECTION, Direction, FigureRef, Indicator, NarrativeBlock, Plan, Section, StatusItem, forecast_ref
from ..core.plausibility import Severity, plan_findings
from ..core.values import UNIT_SYNONYMS, Figure, FigureError, check_fits, dress
from . import layout as L
from .book_source import BookSource, TablePlace, text_key
from .cells import cell_to_figure
from .errors import PlanFormatError
from .excel_open import OpenedBook, open_workbook, unkept_warning
from .guard import inspect_workbook_file
from .progress import Progress, span

MAX_ROWS = 200_000
MAX_COLS = 200
SHORT_TITLES = {1: "基本的な考え方", 5: "代替養育の見込み"}
EXPECTED_SECTIONS = (1, 2, 3, 4, 5, 6, 7)  # what a workbook without a section list (format version 1) holds
_LIST_MAX = 10
_UNKNOWN_MARKER = re.compile(r"^[■□◆◇●]")
_GENERAL = ("", "general")


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


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").strip()


def read_plan(path: str | Path, progress: Progress | None = None, *, inspected: list[str] | None = None) -> Plan:
    """Load a plan workbook; raises PlanFormatError with a Japanese message when it cannot.

    The guard runs first (``inspected`` is its result when the caller already ran it). ``progress`` hears 0–1.
    """
    if inspected is None:
        inspected = inspect_workbook_file(path)
    data = Path(path).read_bytes()
    return read_plan_bytes(data, progress, inspected=inspected, path=path)


def read_plan_bytes(data: bytes, progress: Progress | None = None, *, inspected: list[str] | None = None,
                    path: str | Path | None = None) -> Plan:
    opened = open_workbook(data, path=path, inspected=inspected)
    if progress:
        progress(0.6)
    grids, info, info_sheet, warnings = _grids(opened, span(progress, 0.6, 0.8))
    _cached_formula_values(data, grids)
    plan, source = _build_plan(grids, info, warnings, span(progress, 0.8, 0.98))
    source.data = data
    source.info_sheet = info_sheet
    source.info = info.places
    source.unkept = opened.unkept
    plan.source = source
    plan.load_warnings = list(opened.warnings) + ([unkept_warning(opened.unkept)] if opened.unkept else []) + plan.load_warnings
    if progress:
        progress(1.0)
    return plan


@dataclass
class _Info:
    values: dict[str, object] = field(default_factory=dict)
    places: dict[str, tuple[str, int, int]] = field(default_factory=dict)


def _grids(opened: OpenedBook, progress: Progress | None = None) -> tuple[dict[int, Grid], _Info, str | None, list[str]]:
    grids: dict[int, Grid] = {}
    info = _Info()
    info_sheet = None
    warnings: list[str] = []
    adopted: list[tuple[Worksheet, int]] = []
    sheets = opened.book.worksheets
    for done, ws in enumerate(sheets, start=1):
        if progress:
            progress(done / len(sheets))
        if not isinstance(ws, Worksheet):
            continue
        if _norm(ws.title) == _norm(L.INFO_SHEET):
            info, info_sheet = _read_info(ws), ws.title
            continue
        number = L.section_number(ws.title)
        if number is None:
            number = _number_from_content(ws)
            if number is not None:
                adopted.append((ws, number))
            continue
        if number in grids:
            raise PlanFormatError(f"節{number}のシートが2つあります(「{grids[number].name}」「{ws.title}」)")
        grids[number] = _grid(ws)
    for ws, number in adopted:
        if number in grids:
            warnings.append(f"シート「{ws.title}」は計画の表を含みますが、節{number}のシート「{grids[number].name}」が別にあるため"
                            "読み込みませんでした(ファイルにはそのまま残ります)")
            continue
        grids[number] = _grid(ws)
        warnings.append(f"シート「{ws.title}」は名前が番号で始まらないため、セル A1 の見出しから節{number}として読み込みました"
                        f"(シート名は「{number} …」の形にしてください)")
    expected = _sections_from_info(info.values) or EXPECTED_SECTIONS
    for number in expected:
        if number not in grids:
            warnings.append(f"節{number}のシートが見つかりません。シート名を変えた場合は「{number} …」のように節の番号で始めてください"
                            f"(節{number}の内容は読み込んでいません)")
    return grids, info, info_sheet, warnings


def _number_from_content(ws: Worksheet) -> int | None:
    """A section sheet the planner renamed: its A1 title still starts with the number, and it holds plan markers."""
    title = ws.cell(1, 1).value
    if not isinstance(title, str):
        return None
    match = re.match(r"^\s*(\d+)\s", unicodedata.normalize("NFKC", title))
    if not match:
        return None
    for row in range(2, min(ws.max_row, 400) + 1):
        if L.marker_of(ws.cell(row, 1).value):
            return int(match.group(1))
    return None


def _grid(ws: Worksheet) -> Grid:
    if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLS * 100:
        raise PlanFormatError(f"シートが大きすぎます({MAX_ROWS:,}行まで)", sheet=ws.title)
    grid = Grid(ws.title, hidden=ws.sheet_state != "visible")
    width = min(ws.max_column, MAX_COLS)
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=width):
        cells = []
        for cell in row:
            value = cell.value
            if cell.data_type == "f":
                grid.formulas.add(cell.coordinate)
            cells.append(EMPTY if value is None and cell.number_format == "General" else Cell(value, cell.number_format))
        while cells and cells[-1].value is None:
            cells.pop()
        grid.rows.append(cells)
    while grid.rows and not grid.rows[-1]:
        grid.rows.pop()
    grid.merged = [str(r) for r in ws.merged_cells.ranges]
    grid.hidden_rows = {int(r) for r, d in ws.row_dimensions.items() if d.hidden}
    return grid


def _cached_formula_values(data: bytes, grids: dict[int, Grid]) -> None:
    """Formulas are never evaluated: their result as last saved is read, from a second, values-only open."""
    if not any(g.formulas for g in grids.values()):
        return
    book = open_workbook(data, data_only=True, inspected=[]).book
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
                cells[col - 1] = Cell(ws.cell(row, col).value, cells[col - 1].fmt)


def _read_info(ws: Worksheet) -> _Info:
    info = _Info()
    for row in range(1, min(ws.max_row, 50) + 1):
        key = ws.cell(row, 1).value
        if key is not None:
            info.values[_norm(str(key))] = ws.cell(row, 2).value
            info.places[_norm(str(key))] = (ws.title, row, 2)
    return info


def _sections_from_info(info: dict[str, object]) -> tuple[int, ...]:
    text = info.get(_norm(L.SECTIONS_KEY))
    if not text:
        return ()
    return tuple(int(n) for n in re.split(r"[,、\s]+", str(text)) if n.strip().isdigit())


def _build_plan(grids: dict[int, Grid], info: _Info, warnings: list[str], progress: Progress | None = None,
                ) -> tuple[Plan, BookSource]:
    values = info.values
    if not grids:
        raise PlanFormatError("このブックには計画のシート(「1 基本的な考え方」〜「7 パーマネンシー保障」のような、節の番号で始まる"
                              "シート)がありません。計画のブックではないようです")
    version = values.get(_norm(L.FORMAT_KEY))
    if isinstance(version, (int, float)) and version > L.FORMAT_VERSION:
        raise PlanFormatError(f"新しい版のアプリで保存されたブックです(形式バージョン {version})。アプリを更新してください")
    missing = [n for n in (FORECAST_SECTION, 7) if n not in grids]
    if missing:
        raise PlanFormatError(f"節{'・'.join(map(str, missing))}のシートが見つかりません(第5節の見込みには節5と節7が必要です)")
    first_year = _int_or(values.get(_norm("推計の初年度")), FIRST_FORECAST_YEAR)
    years: set[int] = set(_years_from_info(values))
    sections: list[Section] = []
    inputs = fc.ForecastInputs(first_year=first_year)
    stored: dict = {}
    source = BookSource(b"")
    for done, number in enumerate(sorted(grids), start=1):
        reader = _SectionReader(grids[number], number, source)
        sections.append(reader.read(inputs, stored))
        years |= reader.years
        if progress:
            progress(done / len(grids))
    plan_years = tuple(sorted(years)) or PLAN_YEARS
    inputs.years = plan_years
    title = str(values.get(_norm("計画名")) or "川崎市社会的養育推進計画")
    plan = Plan(sections, inputs, title=title, years=plan_years)
    plan.stored_derived = stored
    plan.load_warnings = [*warnings]
    placed: dict[str, set[str]] = {}
    for sheet, row, col in source.figures.values():
        placed.setdefault(sheet, set()).add(f"{get_column_letter(col)}{row}")
    for grid in grids.values():
        plan.load_warnings += [*grid.warnings, *_undressed_warnings(grid), *_formula_warnings(grid, placed.get(grid.name, set())),
                               *_layout_warnings(grid)]
    plan.load_warnings += _plausibility(plan, source, grids)
    return plan, source


def _plausibility(plan: Plan, source: BookSource, grids: dict[int, Grid]) -> list[str]:
    """Impossible figures refuse the workbook; implausible ones are warnings; both name the cell."""
    by_name = {g.name: g for g in grids.values()}
    out = []
    for ref, finding in plan_findings(plan):
        place = source.figures.get(ref)
        figure = plan.figure(ref)
        sheet, cell = (place[0], f"{get_column_letter(place[2])}{place[1]}") if place else (None, None)
        if finding.severity is Severity.REFUSED:
            raise PlanFormatError(f"は読み込めません: {finding.message}", sheet=sheet, cell=cell, value=figure.text)
        if place is None or place[0] not in by_name:
            out.append(finding.message)
            continue
        out.append(str(PlanFormatError(finding.message, sheet=sheet, cell=cell, value=figure.text)))
    return out


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


def _cells_text(cells: list[str]) -> str:
    shown = "、".join(cells[:_LIST_MAX])
    return shown + (f" ほか{len(cells) - _LIST_MAX}か所" if len(cells) > _LIST_MAX else "")


def _undressed_warnings(grid: Grid) -> list[str]:
    if not grid.undressed:
        return []
    percent = "% の行の値は Excel の保存のしかた(0.15 が 15%)として読みました。" if grid.undressed_percent else ""
    return [f"シート「{grid.name}」のセル {_cells_text(grid.undressed)} には計画の表示形式がありません(値だけのブック)。"
            f"単位は B 列から補いましたが、「以上」や注記などは復元できません。{percent}値を確認してください"]


def _formula_warnings(grid: Grid, figure_cells: set[str]) -> list[str]:
    """Formulas in figure cells: their last saved result is the figure; a save writes that value."""
    formulas = sorted(grid.formulas & figure_cells, key=lambda c: (len(c), c))
    if not formulas:
        return []
    return [f"シート「{grid.name}」のセル {_cells_text(formulas)} は数式です。保存されていた計算結果を値として読み込みました"
            "(数式は評価しません)。このアプリで保存すると、これらのセルは数式ではなく値になります"]


def _layout_warnings(grid: Grid) -> list[str]:
    """What a spreadsheet hides from the eye in the figure tables: merged figure cells, hidden rows, a hidden sheet."""
    out = []
    if grid.hidden:
        out.append(f"シート「{grid.name}」は非表示になっていますが、読み込みました")
    hidden = sorted(grid.hidden_rows & grid.figure_rows)
    if hidden:
        shown = "、".join(map(str, hidden[:_LIST_MAX])) + (" ほか" if len(hidden) > _LIST_MAX else "")
        out.append(f"シート「{grid.name}」の{shown}行目は非表示ですが、その数値も読み込みました")
    for ref in grid.merged:
        try:
            _, first_row, last_col, last_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        if last_col >= L.FIRST_YEAR_COL and any(r in grid.figure_rows for r in range(first_row, last_row + 1)):
            out.append(f"シート「{grid.name}」のセル範囲 {ref} は結合されています。左上のセルの値だけを読み込み、ほかは空欄としました")
    return out


class _SectionReader:
    def __init__(self, grid: Grid, number: int, source: BookSource) -> None:
        self.grid = grid
        self.number = number
        self.source = source
        self.years: set[int] = set()

    def _place(self, ref: FigureRef, row: int, col: int) -> None:
        self.source.figures[ref] = (self.grid.name, row, col)
        self.source.rows[(ref.section, ref.row)] = (self.grid.name, row)

    # --- blocks ----------------------------------------------------------
    def read(self, inputs: fc.ForecastInputs, stored: dict) -> Section:
        grid = self.grid
        title = grid.text(1, 1) or grid.name
        self.source.texts[text_key("title", self.number, 0, 0)] = (grid.name, 1, 1)
        prefix = f"{self.number} "
        name = unicodedata.normalize("NFKC", grid.name)
        short = name[len(prefix):].strip() if name.startswith(prefix) else SHORT_TITLES.get(self.number, "")
        section = Section(self.number, title, short or title)
        blocks = self._blocks()
        if self.number == FORECAST_SECTION:
            self._read_forecast(blocks, inputs, stored)
        if L.INDICATORS in blocks:
            section.indicators = self._read_indicators(*blocks[L.INDICATORS])
        if L.STATUS in blocks:
            rows = self._text_rows(*blocks[L.STATUS], "status")
            section.status = [StatusItem(a, b) for a, b in rows]
        if L.NARRATIVE in blocks:
            rows = self._text_rows(*blocks[L.NARRATIVE], "narrative")
            section.narrative = [NarrativeBlock(a, b) for a, b in rows]
        return section

    def _blocks(self) -> dict[str, tuple[int, int]]:
        """Each known block's (marker row, last row): a block ends at the next marker, known or not, or the sheet's end."""
        starts: list[tuple[int, str | None]] = []
        for row in range(2, len(self.grid.rows) + 1):
            value = self.grid.cell(row, 1).value
            marker = L.marker_of(value)
            if marker:
                if any(m == marker for _, m in starts):
                    raise self.grid.error(f"「{marker}」が2回あります", row, 1)
                starts.append((row, marker))
                if marker == L.NARRATIVE:
                    break  # the narrative comes last; its headings may read like markers
            elif isinstance(value, str) and _UNKNOWN_MARKER.match(value.strip()):
                starts.append((row, None))
                known = "、".join(f"「{m}」" for m in L.MARKERS)
                self.grid.warn(f"は表の見出しとして認識できません(使える見出し: {known})。その下の行は読み込んでいません"
                               "(ファイルにはそのまま残ります)", row, 1, value)
        end = len(self.grid.rows)
        found = {}
        for index, (row, marker) in enumerate(starts):
            last = starts[index + 1][0] - 1 if index + 1 < len(starts) else end
            if marker:
                found[marker] = (row, last)
        return found

    def _is_blank_row(self, row: int, last_col: int | None = None) -> bool:
        cells = self.grid.rows[row - 1] if row <= len(self.grid.rows) else []
        limit = len(cells) if last_col is None else min(len(cells), last_col)
        return all(cells[c].value is None or (isinstance(cells[c].value, str) and not cells[c].value.strip())
                   for c in range(limit))

    def _text_rows(self, marker_row: int, last_row: int, kind: str) -> list[tuple[str, str]]:
        out = []
        for row in range(marker_row + 2, last_row + 1):
            first, second = self.grid.text(row, 1), self.grid.text(row, 2)
            if not first and not second:
                continue
            index = len(out)
            self.source.texts[text_key(kind, self.number, index, 0)] = (self.grid.name, row, 1)
            self.source.texts[text_key(kind, self.number, index, 1)] = (self.grid.name, row, 2)
            out.append((first, second))
        return out

    def _year_header(self, marker_row: int, plan_headers: tuple[str, ...]) -> dict[tuple[int, str], int]:
        """(year, kind) -> column, from the two header rows below a marker; columns right of the years are the planner's."""
        top, bottom = marker_row + 1, marker_row + 2
        columns: dict[tuple[int, str], int] = {}
        year = None
        last = max(self.grid.width(top), self.grid.width(bottom))
        for col in range(L.FIRST_YEAR_COL, last + 1):
            label = self.grid.text(top, col)
            kind_text = _norm(self.grid.text(bottom, col))
            if not label and not kind_text:
                break
            if label:
                parsed = parse_year_label(label)
                if parsed is None:
                    if not columns or self._year_label_after(top, col, last):
                        raise self.grid.error("は年度の見出しとして読めません(例: R8年度 (2026))", top, col, label)
                    break  # a column of the planner's own (備考 …) right of the years
                year = parsed
            if not kind_text:
                continue
            if kind_text in plan_headers:
                kind = "plan"
            elif kind_text == L.ACTUAL_HEADER:
                kind = "actual"
            elif label or not columns:
                raise self.grid.error("は「目標」「見込み」「実績」のどれでもありません", bottom, col, kind_text)
            else:
                break
            if year is None:
                raise self.grid.error("の上に年度の見出しがありません", bottom, col, kind_text)
            if (year, kind) in columns:
                raise self.grid.error(f"は{year}年度の「{kind_text}」の列が2つあります", bottom, col, kind_text)
            columns[(year, kind)] = col
            self.years.add(year)
        if not columns:
            raise self.grid.error("の下に年度の列がありません", marker_row, 1, self.grid.text(marker_row, 1))
        return columns

    def _year_label_after(self, row: int, col: int, last: int) -> bool:
        return any(parse_year_label(self.grid.text(row, c)) is not None for c in range(col + 1, last + 1))

    def _raw_figure(self, row: int, col: int, unit: str) -> Figure:
        """The cell as typed, checked against the row's unit but not yet dressed."""
        return self._read_cell(row, col, unit)[0]

    def _read_cell(self, row: int, col: int, unit: str) -> tuple[Figure, bool]:
        """(figure as typed, whether its number format was lost), checked against the row's unit."""
        cell = self.grid.cell(row, col)
        value, fmt = cell.value, cell.fmt
        undressed = isinstance(value, (int, float)) and not isinstance(value, bool) and (fmt or "").strip().lower() in _GENERAL
        if unit == "%" and isinstance(value, (int, float)) and not isinstance(value, bool) and "%" not in (fmt or ""):
            # Excel stores 15 % as 0.15 whatever the format shows: a % row without a % format is read that way.
            fmt, undressed = "0%", True
            self.grid.undressed_percent = True
        try:
            figure = cell_to_figure(value, fmt)
            check_fits(figure, unit)
        except FigureError as exc:
            raise self.grid.error(f"を読めません: {exc}", row, col, value) from exc
        if undressed:
            self.grid.undressed.append(f"{get_column_letter(col)}{row}")
        return figure, undressed

    def _figure(self, row: int, col: int, unit: str, print_unit: bool) -> Figure:
        return dress(self._raw_figure(row, col, unit), unit, print_unit)

    def _unplaced(self, row: int, columns: dict[tuple[int, str], int]) -> None:
        """Numbers in a table row to the right of the years, under no header: said, never silently dropped."""
        last_year_col = max(columns.values())
        for col in range(last_year_col + 1, self.grid.width(row) + 1):
            value = self.grid.cell(row, col).value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                header = self.grid.text(self._header_row, col) or self.grid.text(self._header_row + 1, col)
                if not header:
                    self.grid.warn("はどの年度の列にも当たらないため、読み込みませんでした(ファイルにはそのまま残ります)",
                                   row, col, value)

    # --- indicator tables ------------------------------------------------
    def _read_indicators(self, marker_row: int, last_row: int) -> list[Indicator]:
        columns = self._year_header(marker_row, (L.PLAN_HEADER, L.FORECAST_PLAN_HEADER))
        self._header_row = marker_row + 1
        last_col = max(columns.values())
        indicators: list[Indicator] = []
        seen: dict[str, int] = {}
        table = TablePlace(self.grid.name, marker_row, columns, marker_row + 2)
        self.source.tables[(self.number, L.INDICATORS)] = table
        for row in range(marker_row + 3, last_row + 1):
            if self._is_blank_row(row, last_col):
                continue
            label = self.grid.text(row, L.LABEL_COL)
            if label.startswith("※"):
                continue
            has_figures = any(self.grid.cell(row, c).value not in (None, "") for c in columns.values())
            unit_text, meta = self.grid.text(row, L.UNIT_COL), self.grid.text(row, L.META_COL)
            if not label:
                self.grid.warn("(指標名の列)が空欄のため、この行の数値は読み込みませんでした(ファイルにはそのまま残ります)。"
                               "指標名を入力してください", row, L.LABEL_COL)
                continue
            if not has_figures and not unit_text and not meta:
                self.grid.warn("は単位・評価の方向・数値がないため、指標として読み込みませんでした(メモとしてそのまま残ります)",
                               row, L.LABEL_COL, label)
                continue
            if label in seen:
                raise self.grid.error(f"という指標名が同じ節に2回あります({seen[label]}行目と{row}行目)", row, L.LABEL_COL, label)
            seen[label] = row
            unit = _unit(unit_text)
            direction = self._direction(row)
            cells = {key: self._read_cell(row, c, unit) for key, c in columns.items()}
            parsed = {key: figure for key, (figure, _) in cells.items()}
            # Whether the row prints its unit shows in the formats; with every format lost, it prints it (most rows do).
            dressed = [figure for figure, lost in cells.values() if figure.has_value and not lost]
            print_unit = any(f.unit for f in dressed) if dressed else bool(unit)
            indicator = Indicator(label, unit, print_unit, direction)
            for (year, kind), figure in parsed.items():
                indicator.set_figure(year, kind, dress(figure, unit, print_unit))
                self._place(FigureRef(self.number, label, year, kind), row, columns[(year, kind)])
            self._unplaced(row, columns)
            indicators.append(indicator)
            self.grid.figure_rows.add(row)
            table.last_row = row
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
    def _read_forecast(self, blocks: dict[str, tuple[int, int]], inputs: fc.ForecastInputs, stored: dict) -> None:
        for marker in (L.FORECAST, L.AGE, L.SHARES, L.EXCLUDED):
            if marker not in blocks:
                raise PlanFormatError(f"「{marker}」の表が見つかりません", sheet=self.grid.name)
        by_label = {_norm(s.label): s for s in fc.FORECAST_ROWS}
        self._forecast_table(L.FORECAST, blocks[L.FORECAST], lambda label, prev: by_label.get(_norm(label)), inputs, stored,
                             fc.FORECAST_ROWS)
        self._forecast_table(L.AGE, blocks[L.AGE], _age_row, inputs, stored, fc.AGE_ROWS)
        groups = {_norm(label): key for key, label in fc.AGE_GROUPS}
        excluded = {_norm(fc.ALL_ROWS[f"excluded.{key}"].label): key for key, _ in fc.AGE_GROUPS} | groups
        self._forecast_table(
            L.EXCLUDED, blocks[L.EXCLUDED], lambda label, prev: fc.ALL_ROWS.get(f"excluded.{excluded.get(_norm(label))}"),
            inputs, stored, [fc.ALL_ROWS[f"excluded.{key}"] for key, _ in fc.AGE_GROUPS],
        )
        marker_row, last_row = blocks[L.SHARES]
        found = set()
        for row in range(marker_row + 2, last_row + 1):
            if self._is_blank_row(row) or self.grid.text(row, L.LABEL_COL).startswith("※"):
                continue
            label = self.grid.text(row, L.LABEL_COL)
            key = groups.get(_norm(label))
            if key is None:
                self.grid.warn("は年齢区分として読めないため、この行は読み込みませんでした", row, L.LABEL_COL, label)
                continue
            ref = forecast_ref(f"share.{key}", None)
            self._place(ref, row, L.FIRST_YEAR_COL)
            found.add(key)
            figure = self._figure(row, L.FIRST_YEAR_COL, "%", True)
            if not figure.is_blank:
                inputs.cells[(ref.row, None, fc.PLAN)] = figure
            self.grid.figure_rows.add(row)
        for key, label in fc.AGE_GROUPS:
            if key not in found:
                self.grid.warn(f"「{L.SHARES}」の表に「{label}」の行が見つかりません(構成比なしで推計します)")

    def _forecast_table(self, marker: str, block: tuple[int, int], resolve, inputs: fc.ForecastInputs, stored: dict,
                        expected) -> None:
        marker_row, last_row = block
        columns = self._year_header(marker_row, (L.FORECAST_PLAN_HEADER, L.PLAN_HEADER))
        self._header_row = marker_row + 1
        last_col = max(columns.values())
        self.source.tables[(self.number, marker)] = TablePlace(self.grid.name, marker_row, columns, last_row)
        previous = None
        found = set()
        for row in range(marker_row + 3, last_row + 1):
            if self._is_blank_row(row, last_col):
                continue
            label = self.grid.text(row, L.LABEL_COL)
            if label.startswith("※"):
                continue
            spec = resolve(label, previous)
            if spec is None or spec.key in found:
                why = ("はこの表の行として読めないため、読み込みませんでした" if spec is None
                       else "は同じ表に2回あるため、2回目を読み込みませんでした")
                self.grid.warn(why + "(ファイルにはそのまま残ります)", row, L.LABEL_COL, label or None)
                previous = None
                continue
            found.add(spec.key)
            for (year, kind), col in columns.items():
                self._place(forecast_ref(spec.key, year, kind), row, col)
                figure = self._figure(row, col, spec.unit, spec.print_unit)
                if figure.is_blank:
                    continue
                target = inputs.cells if fc.is_input(spec.key, year, kind, inputs.first_year) else stored
                target[(spec.key, year, kind)] = figure
            self._unplaced(row, columns)
            previous = spec
            self.grid.figure_rows.add(row)
        for spec in expected:
            if spec.key not in found:
                self.grid.warn(f"「{marker}」の表に「{fc.printed_label(spec)}」の行が見つかりません")


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
