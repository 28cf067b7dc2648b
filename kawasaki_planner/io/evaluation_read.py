"""Reading the 点検・評価 sheets (evaluation_sheets.py lays them out) back into the plan's evaluation texts.

Rows are placed by their 節 and hidden ID cells and columns by their headers, never by position or label. A row the
reader cannot place is a warning naming sheet and cell, and is kept (EvaluationSource.kept) so that the save writes
it again; a sheet it cannot read at all is a warning, and the save leaves it as it is.
"""

from __future__ import annotations

import re
import unicodedata

from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..core.evaluation_texts import TEXT_FIELD_LABELS, TEXT_FIELDS, IndicatorTexts, Summary, SummaryChoice, plain_text
from ..core.fiscal import parse_year_label
from ..core.plan import Indicator, Plan, Section
from . import layout as L
from .evaluation_sheets import (
    COL_CHOSEN,
    COL_REASON,
    COL_SECTION,
    SECTION_MARK,
    SECTION_ROW_LABEL,
    SUMMARY_HEADERS,
    SUMMARY_SHEET,
    YEAR_HEADERS,
    EvaluationSource,
    is_summary_sheet,
    is_year_sheet,
)
from .sheet_grid import MAX_COLS, MAX_ROWS

MSG_NO_YEAR = ("シート「{sheet}」は点検・評価のシートですが、年度が分かりません"
               "(シート名を「点検・評価 R7年度 (2025)」の形にしてください)。読み込んでいません")
MSG_OUTSIDE = "シート「{sheet}」の年度 {year} は計画期間にないため、読み込んでいません"
MSG_TWICE = "シート「{sheet}」は{year}年度の点検・評価が2枚目のため、読み込んでいません(「{first}」を読み込みました)"
MSG_NO_HEADER = "シート「{sheet}」に見出し「{header}」の列が見つからないため、{what}を読み込んでいません"
MSG_NO_ID = "シート「{sheet}」のセル {cell} の文章は、ID 列が空欄のためどの指標のものか分からず、読み込んでいません"
MSG_UNKNOWN = "シート「{sheet}」のセル {cell} の指標ID「{id}」は計画にないため、この行の文章を読み込んでいません"
MSG_UNKNOWN_SECTION = "シート「{sheet}」のセル {cell} の節「{value}」は計画にないため、この行の文章を読み込んでいません"
MSG_DUPLICATE = "シート「{sheet}」の{row}行目は指標「{label}」の2行目のため、読み込んでいません(最初の行を読み込みました)"
MSG_SECTION_COLUMNS = "シート「{sheet}」の{row}行目(総合評価)は「{first}」の列だけを読み込みます。セル {cells} の文章は読み込んでいません"
MSG_BAD_SUMMARY = "シート「{sheet}」のセル {cell} の「{value}」は総括の I〜IV のいずれでもないため、読み込んでいません"
MSG_FORMULA = ("シート「{sheet}」のセル {cell} は数式です。数式の文字をそのまま文章として読み込みました"
               "(このアプリで保存すると、数式ではなく文字になります)")
MSG_NO_REASON = ("シート「{sheet}」のセル {cell} は IV(法制度等の改定により比較不能)ですが"
                 "理由(セル {reason})が空欄のため、読み込んでいません")


def read_evaluation_sheets(book: Workbook, plan: Plan, source: object | None = None) -> list[str]:
    """Read every evaluation sheet of ``book`` into ``plan.evaluation_texts``; returns the warnings (Japanese).

    ``source`` (the BookSource of the workbook) is told what was read and which rows could not be placed.
    """
    found = EvaluationSource()
    warnings: list[str] = []
    seen: dict[int, str] = {}
    for ws in book.worksheets:
        if not isinstance(ws, Worksheet):
            continue
        if is_summary_sheet(ws.title):
            sheet = _Sheet(ws, plan, (COL_SECTION, COL_CHOSEN, COL_REASON), SUMMARY_HEADERS)
            if sheet.readable(COL_CHOSEN, "総括"):
                _read_summary(sheet)
                found.read.add(ws.title)
                found.kept[SUMMARY_SHEET] = sheet.kept
            warnings += sheet.warnings
        elif is_year_sheet(ws.title):
            year = _sheet_year(ws)
            if year is None:
                warnings.append(MSG_NO_YEAR.format(sheet=ws.title))
            elif year not in plan.years:
                warnings.append(MSG_OUTSIDE.format(sheet=ws.title, year=year))
            elif year in seen:
                warnings.append(MSG_TWICE.format(sheet=ws.title, year=year, first=seen[year]))
            else:
                sheet = _Sheet(ws, plan, (COL_SECTION, *_FIELD_HEADERS), YEAR_HEADERS)
                if sheet.readable(None, "このシートの文章"):
                    _read_year(sheet, year)
                    seen[year] = ws.title
                    found.read.add(ws.title)
                    found.kept[year] = sheet.kept
                warnings += sheet.warnings
    found.kept = {k: v for k, v in found.kept.items() if v}
    if source is not None:
        source.evaluation = found
    return warnings


_FIELD_HEADERS = tuple(TEXT_FIELD_LABELS[f] for f in TEXT_FIELDS)


def _sheet_year(ws: Worksheet) -> int | None:
    for text in (ws.title, ws.cell(1, 1).value):
        if not isinstance(text, str):
            continue
        folded = unicodedata.normalize("NFKC", text)
        match = re.search(r"\((\d{4})\)", folded)
        if match:
            return int(match.group(1))
        match = re.search(r"([RH令平]\S*?年度)", folded)
        if match and parse_year_label(match.group(1)):
            return parse_year_label(match.group(1))
    return None


def _text(value: object) -> str:
    """A cell as the planner's text: line breaks as the plan keeps them (\\n), numbers as typed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return plain_text(str(value))


def _cell(col: int, row: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _section_of(plan: Plan, value: object, id: str | None) -> Section | None:
    """The section a row names in its 節 cell (「2 権利擁護」, 2); when that cell is unreadable, the only one with ``id``."""
    match = re.match(r"^\s*(\d+)", unicodedata.normalize("NFKC", _text(value)))
    if match:
        return next((s for s in plan.sections if s.number == int(match.group(1))), None)
    holding = [s for s in plan.sections if id is not None and s.indicator(id) is not None]
    return holding[0] if len(holding) == 1 else None


class _Sheet:
    """An evaluation sheet's cells as read (only those holding something), its header row and columns, and what the
    reader says about them: warnings, and the rows it could not place (kept for the save)."""

    def __init__(self, ws: Worksheet, plan: Plan, wanted: tuple[str, ...], layout: tuple[str, ...]) -> None:
        self.ws, self.plan, self.layout = ws, plan, layout
        self.warnings: list[str] = []
        self.kept: list[dict[str, object]] = []
        self.taken: set[tuple] = set()
        self.cells: dict[int, dict[int, object]] = {}
        self.formulas: set[tuple[int, int]] = set()
        for (row, col), cell in ws._cells.items():  # iter_rows would make an empty cell for every gap
            if cell.value is not None and col <= MAX_COLS and row <= MAX_ROWS:
                self.cells.setdefault(row, {})[col] = cell.value
                if cell.data_type == "f":
                    self.formulas.add((row, col))
        self.header, self.columns = 0, {}
        for row in sorted(r for r in self.cells if r <= 20):
            found = {L.folded(str(v)): c for c, v in self.cells[row].items()}
            if L.folded(L.ID_HEADER) in found:
                self.header = row
                self.columns = {h: found[L.folded(h)] for h in (*wanted, L.ID_HEADER) if L.folded(h) in found}
                break

    def readable(self, needed: str | None, what: str) -> bool:
        """Whether the sheet has its header row (and the column ``needed``); says why not."""
        missing = L.ID_HEADER if not self.header else needed if needed and needed not in self.columns else None
        if missing:
            self.warnings.append(MSG_NO_HEADER.format(sheet=self.ws.title, header=missing, what=what))
        return missing is None

    def rows(self):
        return (row for row in sorted(self.cells) if row > self.header)

    def value(self, row: int, name: str) -> str:
        col = self.columns.get(name)
        if col is None:
            return ""
        if (row, col) in self.formulas:
            self.warnings.append(MSG_FORMULA.format(sheet=self.ws.title, cell=_cell(col, row)))
            self.formulas.discard((row, col))
        return _text(self.cells[row].get(col))

    def keep(self, row: int, message: str, without: tuple[str, ...] = ()) -> None:
        """Warn, and keep the row's cells (by the headers of the sheet's layout, less ``without``) for the save to write
        again."""
        self.warnings.append(message)
        self.kept.append({h: self.cells[row][self.columns[h]] for h in self.layout
                          if h in self.columns and h not in without and self.columns[h] in self.cells[row]})

    def place(self, row: int, first_text: int) -> tuple[Section, Indicator | None] | None:
        """The section and indicator (None: the section's own row) of a row with a text in column ``first_text``, or
        None with a warning (the row kept)."""
        id_col = self.columns[L.ID_HEADER]
        id = self.value(row, L.ID_HEADER).strip()
        if not id:
            self.keep(row, MSG_NO_ID.format(sheet=self.ws.title, cell=_cell(first_text, row)))
            return None
        section = _section_of(self.plan, self.cells[row].get(self.columns.get(COL_SECTION, 0)),
                              None if id == SECTION_MARK else id)
        if section is None:
            value = self.value(row, COL_SECTION)
            col = self.columns.get(COL_SECTION, id_col)
            message = MSG_UNKNOWN_SECTION if value.strip() else MSG_UNKNOWN
            self.keep(row, message.format(sheet=self.ws.title, cell=_cell(col if value.strip() else id_col, row),
                                          value=value, id=id))
            return None
        if id == SECTION_MARK:
            return section, None
        indicator = section.indicator(id)
        if indicator is None:
            self.keep(row, MSG_UNKNOWN.format(sheet=self.ws.title, cell=_cell(id_col, row), id=id))
            return None
        return section, indicator

    def first_time(self, row: int, key: tuple, label: str) -> bool:
        if key in self.taken:
            self.keep(row, MSG_DUPLICATE.format(sheet=self.ws.title, row=row, label=label))
            return False
        self.taken.add(key)
        return True


def _read_year(sheet: _Sheet, year: int) -> None:
    columns = sheet.columns
    sheet.warnings += [MSG_NO_HEADER.format(sheet=sheet.ws.title, header=h, what=f"{h}の文章")
                       for h in _FIELD_HEADERS if h not in columns]
    store = sheet.plan.evaluation_texts
    for row in sheet.rows():
        values = {f: sheet.value(row, h) for f, h in zip(TEXT_FIELDS, _FIELD_HEADERS, strict=True)}
        filled = [columns[h] for f, h in zip(TEXT_FIELDS, _FIELD_HEADERS, strict=True) if values[f]]
        if not filled:
            continue
        placed = sheet.place(row, filled[0])
        if placed is None:
            continue
        section, indicator = placed
        if indicator is None:
            if not sheet.first_time(row, ("section", section.number), f"{section.display_name} {SECTION_ROW_LABEL}"):
                continue
            others = [c for c in filled if c != columns.get(_FIELD_HEADERS[0])]
            if others:
                sheet.keep(row, MSG_SECTION_COLUMNS.format(sheet=sheet.ws.title, row=row, first=_FIELD_HEADERS[0],
                                                           cells="、".join(_cell(c, row) for c in others)),
                           without=(L.ID_HEADER, _FIELD_HEADERS[0]))  # the 総合評価 itself is read
            if values["done"]:
                store.sections[(section.number, year)] = values["done"]
            continue
        if sheet.first_time(row, (section.number, indicator.id), indicator.label):
            store.indicators[(section.number, indicator.id, year)] = IndicatorTexts(**values)


def _read_summary(sheet: _Sheet) -> None:
    chosen_col = sheet.columns[COL_CHOSEN]
    for row in sheet.rows():
        value = sheet.value(row, COL_CHOSEN)
        if not value.strip():
            continue
        reason = sheet.value(row, COL_REASON)
        placed = sheet.place(row, chosen_col)
        if placed is None or placed[1] is None:
            continue
        section, indicator = placed
        summary = Summary.from_text(value)
        if summary is None:
            sheet.keep(row, MSG_BAD_SUMMARY.format(sheet=sheet.ws.title, cell=_cell(chosen_col, row), value=value.strip()))
            continue
        if SummaryChoice(summary, reason).needs_reason:
            reason_col = sheet.columns.get(COL_REASON, chosen_col + 1)
            sheet.keep(row, MSG_NO_REASON.format(sheet=sheet.ws.title, cell=_cell(chosen_col, row),
                                                 reason=_cell(reason_col, row)))
            continue
        if sheet.first_time(row, (section.number, indicator.id), indicator.label):
            sheet.plan.evaluation_texts.summaries[(section.number, indicator.id)] = SummaryChoice(summary, reason)
