"""The forecast scenarios in the workbook: the sheet 「推計シナリオ」, one column per scenario.

    A: 項目            B: 年度            C: 区分   D: 採用案   E: 増加率3.3%案 …
    採用するシナリオ                                 採用
    児童人口           R7年度 (2025)      見込み    241,047     241,047
    …

One row per section-5 input cell (the rows of section 5's tables a planner types, the age shares, the exclusions),
so the scenarios stand side by side and Excel can compare or edit them; the column marked 「採用」 is the adopted one.
Section 5's own sheet stays what the plan prints: the adopted scenario's inputs are read from there, and its column
here is a copy (a copy that disagrees is said aloud, and section 5's values win).

A plan with only its default scenario (the published plan, books older than scenarios) writes no such sheet, so
those workbooks stay as they are. The sheet is the app's: a save lays it out anew from the plan.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..core import forecast as fc
from ..core import scenarios as sc
from ..core.fiscal import parse_year_label, year_label
from ..core.plan import Plan, forecast_ref
from ..core.values import Figure, FigureError
from . import layout as L
from .book_source import BookSource
from .cells import cell_value, empty_format
from .errors import PlanFormatError
from .section_read import SectionReader
from .sheet_grid import Grid, cached_formula_values, grid_of

SHEET = "推計シナリオ"
TITLE = "推計シナリオ(第5節 代替養育を必要とするこども数の見込みの前提)"
NOTE = ("列ごとに1つのシナリオです。「採用」の列が計画に記載する見込み(第5節のシートと同じ値)、ほかの列は比較のための"
        "シナリオです。特別養子縁組の件数は第7節の指標の値をどのシナリオにも使います。")
HEADERS = ("項目", "年度", "区分")
MARK_LABEL = "採用するシナリオ"
MARK = "採用"
MARKS = {"採用", "○", "◯", "●", "✓", "✔", "1"}  # what a planner may type to mark the adopted column
KIND_TEXT = {fc.PLAN: L.FORECAST_PLAN_HEADER, fc.ACTUAL: L.ACTUAL_HEADER}
HEADER_ROW = 4
FIRST_COL = 4
NAME_WIDTH = 16
_SEARCH_ROWS = 30


def row_label(key: str) -> str:
    spec = fc.ALL_ROWS[key]
    return spec.label if spec.table == fc.ASSUMPTION_TABLE else fc.printed_label(spec)


def is_scenario_sheet(title: str) -> bool:
    return L.folded(title) == L.folded(SHEET)


def _titled(ws) -> bool:
    """A sheet the planner renamed still opens with the sheet's title in A1."""
    value = ws.cell(1, 1).value
    return isinstance(value, str) and L.folded(value) == L.folded(TITLE)


def scenario_sheets(book: Workbook) -> list[Worksheet]:
    """The 推計シナリオ sheet by its name, else one renamed (by its A1 title)."""
    sheets = [ws for ws in book.worksheets if isinstance(ws, Worksheet)]
    named = [ws for ws in sheets if is_scenario_sheet(ws.title)]
    return named or [ws for ws in sheets if L.section_number(ws.title) is None and _titled(ws)]


# --- writing ------------------------------------------------------------------------------------------------------

def place_sheet(book: Workbook, plan: Plan) -> None:
    """Lay out the 推計シナリオ sheet anew where it stood (else before 情報), or take it away when not needed."""
    index = None
    for ws in scenario_sheets(book):
        index = book.worksheets.index(ws)
        book.remove(ws)
    if not sc.needs_storage(plan):
        return
    if index is None:
        info = next((ws for ws in book.worksheets if L.folded(ws.title) == L.folded(L.INFO_SHEET)), None)
        index = book.worksheets.index(info) if info is not None else len(book.worksheets)
    write_sheet(book.create_sheet(SHEET, index), plan)


def write_sheet(ws: Worksheet, plan: Plan) -> None:
    from .workbook_layout import FIGURE, HEADER, LABEL, META
    from .workbook_layout import NOTE as NOTE_STYLE
    from .workbook_layout import TITLE as TITLE_STYLE

    styled = set(ws.parent.style_names)

    def put(row: int, col: int, value, style=None, fmt: str | None = None) -> None:
        cell = ws.cell(row, col)
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        if style is not None and style.name in styled:
            cell.style = style.name
        if fmt:
            cell.number_format = fmt

    put(1, 1, TITLE, TITLE_STYLE)
    put(2, 1, NOTE, NOTE_STYLE)
    for col, text in enumerate(HEADERS, start=1):
        put(HEADER_ROW, col, text, HEADER)
    put(HEADER_ROW + 1, 1, MARK_LABEL, LABEL)
    put(HEADER_ROW + 1, 2, None, META)
    put(HEADER_ROW + 1, 3, None, META)
    for offset, scenario in enumerate(plan.scenarios):
        col = FIRST_COL + offset
        put(HEADER_ROW, col, scenario.name, HEADER)
        put(HEADER_ROW + 1, col, MARK if sc.is_adopted(plan, scenario.id) else None, META)
        ws.column_dimensions[get_column_letter(col)].width = max(NAME_WIDTH, min(40, 2 * len(scenario.name) + 2))
    inputs = [sc.effective_inputs(plan, s) for s in plan.scenarios]
    for row, (key, year, kind) in enumerate(sc.input_positions(plan), start=HEADER_ROW + 2):
        spec = fc.ALL_ROWS[key]
        put(row, 1, row_label(key), LABEL)
        put(row, 2, year_label(year) if year is not None else None, META)
        put(row, 3, KIND_TEXT[kind] if spec.per_year else "構成比", META)
        empty = empty_format(spec.unit, spec.print_unit, [], spec.decimals)
        for offset, scenario_inputs in enumerate(inputs):
            value, fmt = cell_value(scenario_inputs.get(key, year, kind))
            put(row, FIRST_COL + offset, value, FIGURE, fmt or (empty if value is None else None))
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 15
    ws.column_dimensions["C"].width = 8
    ws.freeze_panes = f"{get_column_letter(FIRST_COL)}{HEADER_ROW + 2}"


# --- reading ------------------------------------------------------------------------------------------------------

def read_scenarios(book: Workbook, plan: Plan, data: bytes) -> list[str]:
    """Give ``plan`` the scenarios of the book's 推計シナリオ sheet (none: it keeps its one default scenario).

    Returns the warnings, each naming the sheet and cell: a cell that cannot be read or would be refused (left
    blank), a row or column it cannot place, a missing or doubled 採用 mark, an adopted column unlike section 5.
    """
    found = scenario_sheets(book)
    if not found:
        return []
    sheet = found[0]
    grid = grid_of(sheet)
    if not is_scenario_sheet(sheet.title):
        grid.warn(f"は推計シナリオのシートとして読み込みました(保存すると、シート名は「{SHEET}」になります)")
    for other in found[1:]:
        grid.warn(f"のほかにシート「{other.title}」も推計シナリオの見出しを持ちますが、読み込みませんでした")
    cached_formula_values(data, {0: grid})
    return _Reader(grid, plan).read()


class _Reader:
    def __init__(self, grid: Grid, plan: Plan) -> None:
        self.grid = grid
        self.plan = plan
        self.cells = SectionReader(grid, 5, BookSource(b""))  # the reading rules of section 5's own cells
        labels = {key: row_label(key) for key in {k for k, _, _ in sc.input_positions(plan)}}
        self.keys = {L.folded(label): key for key, label in labels.items()}
        self.positions = set(sc.input_positions(plan))

    def read(self) -> list[str]:
        grid = self.grid
        header = self._header_row()
        if header is None:
            grid.warn(f"に見出し行(「{'」「'.join(HEADERS)}」)が見つからないため、推計シナリオを読み込みませんでした"
                      "(採用案だけで推計します)")
            return grid.warnings
        columns = self._columns(header)
        if not columns:
            grid.warn("にシナリオの列がないため、推計シナリオを読み込みませんでした", header, FIRST_COL)
            return grid.warnings
        marked = self._marks(header + 1, columns)
        values: dict[int, dict] = {col: {} for col, _ in columns}
        for row in range(header + 2, len(grid.rows) + 1):
            position = self._position(row)
            if position is None:
                continue
            for col, _ in columns:
                figure = self._figure(row, col, position)
                if figure is not None and not figure.is_blank:
                    values[col][position] = figure
        self._build(columns, marked, values, header)
        return grid.warnings

    def _header_row(self) -> int | None:
        for row in range(1, min(len(self.grid.rows), _SEARCH_ROWS) + 1):
            if [L.folded(self.grid.text(row, c)) for c in (1, 2, 3)] == [L.folded(h) for h in HEADERS]:
                return row
        return None

    def _columns(self, row: int) -> list[tuple[int, str]]:
        """(column, name) of each scenario: names made unique and non-empty, with a warning when changed."""
        grid = self.grid
        out: list[tuple[int, str]] = []
        last = max((grid.width(r) for r in range(row, len(grid.rows) + 1)), default=0)
        for col in range(FIRST_COL, last + 1):
            name = grid.text(row, col).replace("\n", " ")[: sc.NAME_MAX]
            if not name:
                if grid.text(row + 1, col) or any(grid.cell(r, col).value is not None for r in range(row + 2, len(grid.rows) + 1)):
                    name = "名前のないシナリオ"
                    grid.warn(f"にシナリオ名がないため、「{name}」として読み込みました", row, col)
                else:
                    continue
            unique, n = name, 2
            while any(unique == taken for _, taken in out):
                unique, n = f"{name} ({n})", n + 1
            if unique != name:
                grid.warn(f"のシナリオ名「{name}」はほかの列と同じため、「{unique}」として読み込みました", row, col, name)
            out.append((col, unique))
        return out

    def _marks(self, row: int, columns: list[tuple[int, str]]) -> list[int]:
        marked = []
        for col, _ in columns:
            text = L.folded(self.grid.text(row, col))
            if not text:
                continue
            if text in {L.folded(m) for m in MARKS}:
                marked.append(col)
            else:
                self.grid.warn(f"は採用の印として読めません(採用する列に「{MARK}」と入力してください)", row, col, text)
        return marked

    def _position(self, row: int) -> tuple[str, int | None, str] | None:
        grid = self.grid
        label = grid.text(row, 1)
        if not label and not any(c.value is not None for c in (grid.rows[row - 1] if row <= len(grid.rows) else [])):
            return None
        if label.startswith("※"):
            return None
        key = self.keys.get(L.folded(label))
        year_text, kind_text = grid.text(row, 2), L.folded(grid.text(row, 3))
        year = parse_year_label(year_text) if year_text else None
        kind = fc.ACTUAL if kind_text == L.folded(L.ACTUAL_HEADER) else fc.PLAN
        position = (key, year, kind) if key is not None else None
        if position is None or position not in self.positions:
            grid.warn("は推計の入力の行として読めないため、この行は読み込みませんでした(項目・年度・区分を確かめてください)",
                      row, 1, " ".join(t for t in (label, year_text, grid.text(row, 3)) if t) or None)
            return None
        return position

    def _figure(self, row: int, col: int, position) -> Figure | None:
        spec = fc.ALL_ROWS[position[0]]
        try:
            figure = self.cells._spec_figure(row, col, spec)
            if figure.is_blank:
                return figure
            return self.plan.prepare(forecast_ref(*position), figure)
        except PlanFormatError as error:
            self.grid.warnings.append(str(error) + "(空欄として読み込みました)")
        except FigureError as error:
            self.grid.warn(f"は読み込めません: {error}(空欄として読み込みました)", row, col, self.grid.cell(row, col).value)
        return None

    def _build(self, columns: list[tuple[int, str]], marked: list[int], values: dict[int, dict], header: int) -> None:
        plan, grid = self.plan, self.grid
        printed = {p: f for p, f in plan.forecast_inputs.cells.items() if p in self.positions}
        if len(marked) == 1:
            adopted_col = marked[0]
        else:
            candidates = marked or [col for col, _ in columns]
            adopted_col = next((col for col in candidates if values[col] == printed), None)
            where = "どの列にもありません" if not marked else f"{len(marked)}列にあります"
            if adopted_col is not None:
                name = dict(columns)[adopted_col]
                grid.warn(f"の「{MARK}」の印が{where}。第5節のシートと同じ値のシナリオ「{name}」を採用として読み込みました",
                          header + 1, 1)
            else:
                grid.warn(f"の「{MARK}」の印が{where}。第5節のシートの値を採用のシナリオ「{sc.DEFAULT_NAME}」として読み込みました",
                          header + 1, 1)
        scenarios = []
        adopted_id = None
        for n, (col, name) in enumerate(columns, start=1):
            if col == adopted_col:
                if values[col] != printed:
                    grid.warn(f"の採用のシナリオ「{name}」の値が第5節のシートと異なります。第5節のシートの値を読み込みました",
                              header, col, name)
                adopted_id = f"s{n}"
                scenarios.append(sc.Scenario(adopted_id, name, plan.forecast_inputs))
            else:
                scenarios.append(sc.Scenario(f"s{n}", name, fc.ForecastInputs(values[col], plan.years, plan.first_forecast_year)))
        if adopted_id is None:
            name, n = sc.DEFAULT_NAME, 2
            while any(s.name == name for s in scenarios):
                name, n = f"{sc.DEFAULT_NAME} ({n})", n + 1
            adopted_id = f"s{len(scenarios) + 1}"
            scenarios.append(sc.Scenario(adopted_id, name, plan.forecast_inputs))
        plan.scenarios = scenarios
        plan.adopted_id = adopted_id
