"""Reading one section sheet: its blocks, the fiscal-year tables and the texts, each place recorded.

A block opens with a marker in column A and ends at the next marker (known or not) or the sheet's end;
blank rows, 「※」 notes and the planner's columns right of the years are passed over; what cannot be placed
is a warning on the sheet's Grid, what cannot be read a PlanFormatError naming the cell.
"""

from __future__ import annotations

import re
import unicodedata

from openpyxl.utils import get_column_letter

from ..core import forecast as fc
from ..core.fiscal import parse_year_label
from ..core.plan import FORECAST_SECTION, Direction, FigureRef, Indicator, NarrativeBlock, Section, StatusItem, forecast_ref
from ..core.values import UNIT_SYNONYMS, Figure, FigureError, check_fits, dress
from . import layout as L
from .book_source import BookSource, TablePlace, text_key
from .cells import cell_to_figure
from .errors import PlanFormatError
from .sheet_grid import Grid

SHORT_TITLES = {1: "基本的な考え方", 5: "代替養育の見込み"}
_UNKNOWN_MARKER = re.compile(r"^[■□◆◇●]")
_GENERAL = ("", "general")


class SectionReader:
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
            kind_text = L.folded(self.grid.text(bottom, col))
            if not label and not kind_text:
                if self._year_label_after(top, col, last):
                    continue  # an empty column inserted between the years
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

    def _table_rows(self, marker_row: int, last_row: int, last_col: int):
        """(row, label) of a fiscal-year table's rows below its two header rows: blank rows and 「※」 notes passed over."""
        for row in range(marker_row + 3, last_row + 1):
            if self._is_blank_row(row, last_col):
                continue
            label = self.grid.text(row, L.LABEL_COL)
            if not label.startswith("※"):
                yield row, label

    def _year_label_after(self, row: int, col: int, last: int) -> bool:
        return any(parse_year_label(self.grid.text(row, c)) is not None for c in range(col + 1, last + 1))

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

    def _spec_figure(self, row: int, col: int, spec: fc.RowSpec) -> Figure:
        """A section-5 cell: its row fixes the unit and the printed decimals, which a lost format cannot take away."""
        figure, lost = self._read_cell(row, col, spec.unit)
        if lost and figure.has_value and figure.decimals < spec.decimals:
            figure = figure.with_number(figure.number, spec.decimals)
        return dress(figure, spec.unit, spec.print_unit)

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
        id_col = self._id_column(marker_row, last_col)
        table = TablePlace(self.grid.name, marker_row, columns, marker_row + 2, id_col)
        self.source.tables[(self.number, L.INDICATORS)] = table
        ids: dict[str, int] = {}
        for row, label in self._table_rows(marker_row, last_row, last_col):
            has_figures = any(self.grid.cell(row, c).value not in (None, "") for c in columns.values())
            unit_text, meta = self.grid.text(row, L.UNIT_COL), self.grid.text(row, L.META_COL)
            if not label:
                self.grid.warn("の指標名が空欄のため、この行の数値は読み込みませんでした(ファイルにはそのまま残ります)。"
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
            indicator = Indicator(label, unit, print_unit, direction, id=self._indicator_id(row, id_col, label, ids))
            ids[indicator.id] = row
            for (year, kind), figure in parsed.items():
                indicator.set_figure(year, kind, dress(figure, unit, print_unit))
                self._place(FigureRef(self.number, indicator.id, year, kind), row, columns[(year, kind)])
            self._unplaced(row, columns)
            indicators.append(indicator)
            self.grid.figure_rows.add(row)
            table.last_row = row
        return indicators

    def _id_column(self, marker_row: int, last_year_col: int) -> int | None:
        bottom = marker_row + 2
        for col in range(last_year_col + 1, self.grid.width(bottom) + 1):
            if L.folded(self.grid.text(bottom, col)).upper() == L.ID_HEADER:
                return col
        return None

    def _indicator_id(self, row: int, id_col: int | None, label: str, taken: dict[str, int]) -> str:
        """The row's stored id; a row without one (a version-1 book, a row typed in Excel) is known by its label."""
        stored = self.grid.text(row, id_col) if id_col else ""
        if stored and stored not in taken:
            return stored
        if stored:
            self.grid.warn(f"の指標「{label}」の ID が {taken[stored]} 行目と同じため、新しい ID を付けました"
                           "(行をコピーしたときに起こります)", row, id_col, stored)
        candidate, n = label, 2
        while candidate in taken:
            candidate, n = f"{label}#{n}", n + 1
        return candidate

    def _direction(self, row: int) -> Direction:
        text = self.grid.text(row, L.META_COL)
        if not text:
            return Direction.HIGHER
        direction = Direction.from_label(L.folded(text))
        if direction is None:
            choices = "・".join(d.label for d in Direction)
            raise self.grid.error(f"は評価の方向として読めません({choices}のどれか)", row, L.META_COL, text)
        return direction

    # --- section 5 ---------------------------------------------------------
    def _read_forecast(self, blocks: dict[str, tuple[int, int]], inputs: fc.ForecastInputs, stored: dict) -> None:
        for marker in (L.FORECAST, L.AGE, L.SHARES, L.EXCLUDED):
            if marker not in blocks:
                raise PlanFormatError(f"「{marker}」の表が見つかりません", sheet=self.grid.name)
        by_label = {L.folded(s.label): s for s in fc.FORECAST_ROWS}
        self._forecast_table(L.FORECAST, blocks[L.FORECAST], lambda label, prev: by_label.get(L.folded(label)), inputs, stored,
                             fc.FORECAST_ROWS)
        self._forecast_table(L.AGE, blocks[L.AGE], _age_row, inputs, stored, fc.AGE_ROWS)
        groups = {L.folded(label): key for key, label in fc.AGE_GROUPS}
        excluded = {L.folded(fc.ALL_ROWS[f"excluded.{key}"].label): key for key, _ in fc.AGE_GROUPS} | groups
        self._forecast_table(
            L.EXCLUDED, blocks[L.EXCLUDED], lambda label, prev: fc.ALL_ROWS.get(f"excluded.{excluded.get(L.folded(label))}"),
            inputs, stored, [fc.ALL_ROWS[f"excluded.{key}"] for key, _ in fc.AGE_GROUPS],
        )
        marker_row, last_row = blocks[L.SHARES]
        found = set()
        for row in range(marker_row + 2, last_row + 1):
            if self._is_blank_row(row) or self.grid.text(row, L.LABEL_COL).startswith("※"):
                continue
            label = self.grid.text(row, L.LABEL_COL)
            key = groups.get(L.folded(label))
            if key is None:
                self.grid.warn("は年齢区分として読めないため、この行は読み込みませんでした", row, L.LABEL_COL, label)
                continue
            ref = forecast_ref(f"share.{key}", None)
            self._place(ref, row, L.FIRST_YEAR_COL)
            found.add(key)
            figure = self._spec_figure(row, L.FIRST_YEAR_COL, fc.ALL_ROWS[ref.row])
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
        for row, label in self._table_rows(marker_row, last_row, last_col):
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
                figure = self._spec_figure(row, col, spec)
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
    text = L.folded(label)
    if text.strip("()") == L.folded(fc.ELIGIBLE):
        if previous is None or not previous.key.startswith("age."):
            return None
        return fc.ALL_ROWS["eligible." + previous.key.split(".", 1)[1]]
    for spec in fc.AGE_ROWS:
        if spec.key.startswith("age.") and L.folded(spec.label) == text:
            return spec
    return None


def _unit(text: str) -> str:
    unit = unicodedata.normalize("NFKC", text).strip()
    return UNIT_SYNONYMS.get(unit, unit)
