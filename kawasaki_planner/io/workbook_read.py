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
from pathlib import Path

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from ..core import forecast as fc
from ..core.fiscal import FIRST_FORECAST_YEAR, PLAN_YEARS
from ..core.plan import ADOPTION_ROLE, FORECAST_SECTION, Plan, Section, default_roles
from ..core.plausibility import Severity, plan_findings
from ..core.values import dress
from . import layout as L
from .book_source import BookSource
from .errors import PlanFormatError
from .evaluation_read import read_evaluation_sheets
from .excel_open import OpenedBook, open_workbook, unkept_warning
from .findings import located
from .guard import inspect_workbook_file
from .progress import Progress, span
from .scenario_sheet import read_scenarios
from .section_read import SectionReader
from .sheet_grid import Grid, Info, cached_formula_values, grid_of, read_info

EXPECTED_SECTIONS = (1, 2, 3, 4, 5, 6, 7)  # what a workbook without a section list (format version 1) holds
_LIST_MAX = 10


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
    if progress:
        progress(0.0)
    opened = open_workbook(data, path=path, inspected=inspected, for_writing=False)
    if progress:
        progress(0.6)
    grids, info, info_sheet, warnings = _grids(opened, span(progress, 0.6, 0.8))
    cached_formula_values(data, grids)
    plan, source = _build_plan(grids, info, warnings, span(progress, 0.8, 0.98))
    plan.load_warnings += read_evaluation_sheets(opened.book, plan, source)
    source.data = data
    source.info_sheet = info_sheet
    source.info = info.places
    source.unkept = opened.unkept
    plan.source = source
    plan.load_warnings += read_scenarios(opened.book, plan, data)
    plan.load_warnings = list(opened.warnings) + ([unkept_warning(opened.unkept)] if opened.unkept else []) + plan.load_warnings
    if progress:
        progress(1.0)
    return plan


def _grids(opened: OpenedBook, progress: Progress | None = None) -> tuple[dict[int, Grid], Info, str | None, list[str]]:
    grids: dict[int, Grid] = {}
    info = Info()
    info_sheet = None
    warnings: list[str] = []
    adopted: list[tuple[Worksheet, int]] = []
    sheets = opened.book.worksheets
    for done, ws in enumerate(sheets, start=1):
        if progress:
            progress(done / len(sheets))
        if not isinstance(ws, Worksheet):
            continue
        if L.folded(ws.title) == L.folded(L.INFO_SHEET):
            info, info_sheet = read_info(ws), ws.title
            continue
        number = L.section_number(ws.title)
        if number is None:
            number = _number_from_content(ws)
            if number is not None:
                adopted.append((ws, number))
            continue
        if number in grids:
            raise PlanFormatError(f"節{number}のシートが2つあります(「{grids[number].name}」「{ws.title}」)")
        grids[number] = grid_of(ws)
    for ws, number in adopted:
        if number in grids:
            warnings.append(f"シート「{ws.title}」は計画の表を含みますが、節{number}のシート「{grids[number].name}」が別にあるため"
                            "読み込みませんでした(ファイルにはそのまま残ります)")
            continue
        grids[number] = grid_of(ws)
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


def _sections_from_info(info: dict[str, object]) -> tuple[int, ...]:
    text = info.get(L.folded(L.SECTIONS_KEY))
    if not text:
        return ()
    return tuple(int(n) for n in re.split(r"[,、\s]+", str(text)) if n.strip().isdigit())


def _build_plan(grids: dict[int, Grid], info: Info, warnings: list[str], progress: Progress | None = None,
                ) -> tuple[Plan, BookSource]:
    values = info.values
    if not grids:
        raise PlanFormatError("このブックには計画のシート(「1 基本的な考え方」〜「7 パーマネンシー保障」のような、節の番号で始まる"
                              "シート)がありません。計画のブックではないようです")
    version = values.get(L.folded(L.FORMAT_KEY))
    if isinstance(version, (int, float)) and version > L.FORMAT_VERSION:
        raise PlanFormatError(f"新しい版のアプリで保存されたブックです(形式バージョン {version})。アプリを更新してください")
    if FORECAST_SECTION not in grids:  # the adoption row is a role now: a plan may do without section 7
        raise PlanFormatError(f"節{FORECAST_SECTION}のシートが見つかりません(計画のブックには第5節の見込みが必要です)")
    first_year = _int_or(values.get(L.folded("推計の初年度")), FIRST_FORECAST_YEAR)
    years: set[int] = set(_years_from_info(values))
    sections: list[Section] = []
    inputs = fc.ForecastInputs(first_year=first_year)
    stored: dict = {}
    source = BookSource(b"")
    for done, number in enumerate(sorted(grids), start=1):
        reader = SectionReader(grids[number], number, source)
        sections.append(reader.read(inputs, stored))
        years |= reader.years
        if progress:
            progress(done / len(grids))
    plan_years = tuple(sorted(years)) or PLAN_YEARS
    inputs.years = plan_years
    title = str(values.get(L.folded("計画名")) or "川崎市社会的養育推進計画")
    warnings = [*warnings, *_roles(sections, values)]
    _units_unprinted(sections, values)
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


def _units_unprinted(sections: list[Section], info: dict[str, object]) -> None:
    """Rows 情報 lists as printing no unit do not, unless a figure of theirs prints it (typed in a spreadsheet since):
    the figures' formats say what a row prints, the list speaks for a row without any."""
    by_number = {s.number: s for s in sections}
    for entry in str(info.get(L.folded(L.UNIT_UNPRINTED_KEY)) or "").split(";"):
        number, _, id = entry.strip().partition(":")
        section = by_number.get(int(number)) if number.strip().isdigit() else None
        indicator = section.indicator(id.strip()) if section else None
        if indicator is None or not indicator.unit:
            continue
        figures = (*indicator.plan.values(), *indicator.actual.values())
        if not any(f.unit_printed for f in figures):
            indicator.print_unit = False
            for values in (indicator.plan, indicator.actual):
                for year, figure in list(values.items()):
                    values[year] = dress(figure, indicator.unit, False)


def _roles(sections: list[Section], info: dict[str, object]) -> list[str]:
    """Which rows computations use, as 情報 names them; a book that does not say (version 1) uses the published ones."""
    warnings = []
    for entry in str(info.get(L.folded(L.ROLES_KEY)) or "").split(";"):
        place, _, role = entry.strip().rpartition("=")
        number, _, id = place.partition(":")
        section = next((s for s in sections if str(s.number) == number.strip()), None)
        indicator = section.indicator(id.strip()) if section else None
        if indicator is not None and role.strip():
            indicator.role = role.strip()
        elif entry.strip():
            warnings.append(f"シート「{L.INFO_SHEET}」の「{L.ROLES_KEY}」が指す指標「{entry.strip()}」が見つかりません")
    return warnings + _adoption(sections, info)


def _adoption(sections: list[Section], info: dict[str, object]) -> list[str]:
    """The adoption row as 情報 names it ("7:<id>"); a book that does not say (version 1) uses the published one."""
    key = L.folded(L.ADOPTION_KEY)
    if key not in info:
        default_roles(sections)
        return []
    text = str(info[key] or "").strip()
    if not text:
        return []  # the planner's plan deducts no adoptions
    number, _, id = text.partition(":")
    section = next((s for s in sections if str(s.number) == number.strip()), None)
    indicator = section.indicator(id.strip()) if section else None
    if indicator is None:
        return [f"シート「{L.INFO_SHEET}」の「{L.ADOPTION_KEY}」が指す指標「{text}」が見つからないため、"
                "第5節の見込みでは特別養子縁組を控除していません"]
    indicator.role = ADOPTION_ROLE
    return []


def _plausibility(plan: Plan, source: BookSource, grids: dict[int, Grid]) -> list[str]:
    """Impossible figures refuse the workbook; implausible ones are warnings; both name the cell."""
    sheets = {g.name for g in grids.values()}
    out = []
    for ref, finding in plan_findings(plan):
        if finding.severity is Severity.REFUSED:
            place = source.figures.get(ref)
            sheet, cell = (place[0], f"{get_column_letter(place[2])}{place[1]}") if place else (None, None)
            raise PlanFormatError(f"は読み込めません: {finding.message}", sheet=sheet, cell=cell, value=plan.figure(ref).text)
        out.append(str(located(plan, source, ref, finding, sheets)))
    return out


def _int_or(value: object, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _years_from_info(info: dict[str, object]) -> list[int]:
    text = info.get(L.folded("年度"))
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
    def ordered(cells: set[str]) -> list[str]:
        return sorted(cells, key=lambda c: (len(c), c))

    uncached = ordered(grid.uncached & figure_cells)
    formulas = ordered((grid.formulas - grid.uncached) & figure_cells)
    out = []
    if uncached:
        out.append(f"シート「{grid.name}」のセル {_cells_text(uncached)} は数式ですが、計算結果が保存されていないため"
                   "空欄として読み込みました(数式を計算しないプログラムで保存されたブックです)。Excel で開いて保存し直すか、"
                   "値を入力してください")
    if formulas:
        out.append(f"シート「{grid.name}」のセル {_cells_text(formulas)} は数式です。保存されていた計算結果を値として読み込みました"
                   "(数式は評価しません)。このアプリで保存すると、これらのセルは数式ではなく値になります")
    return out


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


