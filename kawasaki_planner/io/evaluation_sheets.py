"""The yearly 点検・評価 in the workbook: one sheet per fiscal year with texts, and the period's 総括.

A planner reads and edits these sheets in Excel or LibreOffice. 「点検・評価 R7年度 (2025)」 is laid out like
Kawasaki's 施策進行管理・評価表: per indicator 節, 指標, 単位, 目標, 実績, 達成率, 達成度 (written by the app for
reading: the reader ignores them, a save recomputes them), then the three texts 実績・取組状況 / 要因分析 /
今後の方向性; after each section's indicators a 総合評価 row (its text in the 実績・取組状況 column, the count per
level in the 達成度 column). 「計画期間の総括」 lists each indicator's suggested summary and the one chosen by hand
(I–IV, with the reason IV needs).

Identity is not a label: each row carries its section number (in 節) and the indicator id (in a hidden ID column,
as on the section sheets), and columns are found by their headers, so rows sorted, labels reworded or columns
inserted in a spreadsheet keep every text with its indicator. The app owns these sheets: a save writes them anew
(only when the plan has texts, so a plan without any gets none) and leaves every other sheet as it is. What the
reader cannot place is a warning naming the sheet and cell, never dropped in silence (evaluation_read.py).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..core.evaluation import Status, evaluate_year
from ..core.evaluation_texts import SUMMARY_LABELS, TEXT_FIELD_LABELS, TEXT_FIELDS
from ..core.fiscal import year_label
from ..core.foster import is_computed
from ..core.plan import ACTUAL, PLAN, Indicator, Plan, Section
from ..core.plan_evaluation import suggested_summary
from . import layout as L
from .workbook_layout import FIGURE, HEADER, LABEL, META, NOTE, TITLE

YEAR_PREFIX = "点検・評価"
SUMMARY_SHEET = "計画期間の総括"
SECTION_MARK = "■総合評価"  # the ID cell of a section's 総合評価 row (no indicator label may start with ■)
SECTION_ROW_LABEL = "総合評価"

COL_SECTION = "節"
COL_INDICATOR = "指標"
COL_CHOSEN = "総括"
COL_REASON = "理由(IV のとき)"
YEAR_HEADERS = (COL_SECTION, COL_INDICATOR, "単位", "目標", "実績", "達成率", "達成度",
                *(TEXT_FIELD_LABELS[f] for f in TEXT_FIELDS), L.ID_HEADER)
YEAR_WIDTHS = (18, 36, 6, 11, 11, 9, 15, 42, 42, 42)
SUMMARY_HEADERS = (COL_SECTION, COL_INDICATOR, "単位", "最終年度", "目標", "実績", "提案", COL_CHOSEN, COL_REASON, L.ID_HEADER)
SUMMARY_WIDTHS = (18, 40, 6, 15, 11, 11, 26, 30, 40)
HEADER_ROW = 4
YEAR_NOTE = ("目標・実績・達成率・達成度はアプリが書き込む参考表示です(編集しても読み込まれず、保存のたびに書き直されます。"
             "達成度は既定の評価基準によります)。文章の列と総合評価の行を編集できます。ID 列(非表示)は消さないでください。")
SUMMARY_NOTE = ("「総括」の列に I〜IV を選ぶと「提案」より優先されます(空欄は提案どおり)。"
                "IV(法制度等の改定により比較不能)には理由が必要です。ID 列(非表示)は消さないでください。")
UNREAD_MARK = "(読込不可)"  # an evaluation sheet the reader could not read, renamed when a new sheet takes its name
KEPT_NOTE = ("■次の行は読み込めなかったため、そのまま残しています(読み込まれていません)。"
             "ID・節・総括を直すと、次に開いたときに読み込まれます")
LINE_HEIGHT = 15
SECTION_FILL = PatternFill("solid", fgColor="FFF2F2F2")  # a section's 総合評価 row stands out from its indicators
SECTION_FONT = Font(name="Calibri", bold=True, color="FF1F3864")
MAX_ROW_HEIGHT = 409



def is_year_sheet(title: str) -> bool:
    return L.folded(title).startswith(L.folded(YEAR_PREFIX))


def is_summary_sheet(title: str) -> bool:
    return L.folded(title) == L.folded(SUMMARY_SHEET)


def is_evaluation_sheet(title: str) -> bool:
    """A sheet the app owns for the texts: a save writes it anew."""
    return is_year_sheet(title) or is_summary_sheet(title)


def year_sheet_name(year: int) -> str:
    return f"{YEAR_PREFIX} {year_label(year)}"


# --- writing ---------------------------------------------------------------------------------------------------

@dataclass
class EvaluationSource:
    """What the reader found on a workbook's evaluation sheets, for the save back into it."""

    read: set[str] = field(default_factory=set)  # the sheets read: a save writes them anew
    # Rows it could not place (unknown id, a summary not I–IV …), by sheet (a year, or SUMMARY_SHEET), each as
    # {header: value}: a save writes them again below the rows it places, so nothing typed is lost.
    kept: dict[int | str, list[dict[str, object]]] = field(default_factory=dict)


def write_evaluation_sheets(book: Workbook, plan: Plan, index: int | None = None,
                            kept: dict[int | str, list[dict[str, object]]] | None = None) -> None:
    """The year sheets and the 総括 sheet at ``index`` (else at the end); none when the plan has no texts (nor rows
    kept from the workbook it was read from)."""
    texts, kept = plan.evaluation_texts, kept or {}
    if texts.is_empty and not kept:
        return
    position = len(book.sheetnames) if index is None else index
    for year in [y for y in plan.years if y in texts.years() or y in kept]:
        ws = book.create_sheet(year_sheet_name(year), position)
        row = _YearSheet(ws, plan, year).write()
        _write_kept(ws, row, YEAR_HEADERS, kept.get(year, []))
        position += 1
    ws = book.create_sheet(SUMMARY_SHEET, position)
    _write_kept(ws, _write_summary(ws, plan), SUMMARY_HEADERS, kept.get(SUMMARY_SHEET, []))


def replace_evaluation_sheets(book: Workbook, plan: Plan, found: EvaluationSource | None = None) -> None:
    """In a workbook the plan was read from: the evaluation sheets read written anew where they stood (a workbook that
    had none gets them after the last section sheet). A sheet the reader could not read stays, as every other sheet
    does; one whose name a new sheet takes is renamed 「(読込不可)…」 first."""
    found = found or EvaluationSource()
    owned = [ws for ws in book.worksheets if is_evaluation_sheet(ws.title)]
    if owned:
        index = book.worksheets.index(owned[0])
    else:
        numbers = {s.number for s in plan.sections}
        sections = [n for n, ws in enumerate(book.worksheets) if L.section_number(ws.title) in numbers]
        index = max(sections) + 1 if sections else None
    new_names = {year_sheet_name(y) for y in plan.years} | {SUMMARY_SHEET}
    for ws in owned:
        if ws.title in found.read:
            book.remove(ws)
        elif ws.title in new_names:
            ws.title = _free_title(book, f"{UNREAD_MARK}{ws.title}")
    write_evaluation_sheets(book, plan, index, found.kept)


def _free_title(book: Workbook, title: str) -> str:
    n, name = 1, title[:31]
    while name in book.sheetnames:
        n += 1
        name = f"{title[:27]}({n})"
    return name


def _write_kept(ws: Worksheet, row: int, headers: tuple[str, ...], rows: list[dict[str, object]]) -> None:
    """Rows the reader could not place, again below the sheet's rows, under a note that says why they are there."""
    if not rows:
        return
    _put(ws, row + 1, 1, KEPT_NOTE, NOTE)
    for n, values in enumerate(rows, start=row + 2):
        for col, header in enumerate(headers, start=1):
            _put(ws, n, col, values.get(header, ""), META if col == len(headers) else None)


def _rows_of(plan: Plan, keep) -> list[tuple[Section, Indicator]]:
    """The indicators judged against a target, and any other the plan keeps a text for (``keep``), in plan order."""
    return [(s, i) for s in plan.sections for i in s.indicators if not is_computed(i.role) or keep(s, i)]


def _put(ws: Worksheet, row: int, col: int, value: object, style=None) -> None:
    cell = ws.cell(row, col)
    cell.value = None if value == "" else value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # the planner's text, never a formula
    cell.style = (style or LABEL).name


def _width(text: str) -> int:
    """A text's width in column-width characters: a full-width (Japanese) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _height(texts: list[tuple[str, int]]) -> float:
    """A row's height from its texts and the widths (in characters) of their columns."""
    lines = 1
    for text, width in texts:
        per_line = max(4, width)
        lines = max(lines, sum(max(1, math.ceil(_width(part) / per_line)) for part in (text or "").split("\n")))
    return min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)


def _sheet_frame(ws: Worksheet, title: str, note: str, headers: tuple[str, ...], widths: tuple[int, ...]) -> None:
    ws.cell(1, 1, title).style = TITLE.name
    ws.cell(2, 1, note).style = NOTE.name
    for col, header in enumerate(headers, start=1):
        ws.cell(HEADER_ROW, col, header).style = HEADER.name
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.column_dimensions[get_column_letter(len(headers))].hidden = True  # the ids: for the app, not the planner
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


class _YearSheet:
    def __init__(self, ws: Worksheet, plan: Plan, year: int) -> None:
        self.ws, self.plan, self.year = ws, plan, year
        self.row = HEADER_ROW + 1

    def write(self) -> int:
        """The sheet's rows; returns the row after the last."""
        _sheet_frame(self.ws, f"{self.plan.title} 点検・評価 {year_label(self.year)}", YEAR_NOTE, YEAR_HEADERS, YEAR_WIDTHS)
        texts = self.plan.evaluation_texts
        rows = _rows_of(self.plan, lambda s, i: not texts.indicator(s.number, i.id, self.year).is_empty)
        for section in self.plan.sections:
            mine = [i for s, i in rows if s is section]
            if not mine and not texts.section(section.number, self.year):
                continue
            counts = {status: 0 for status in (*sorted(s for s in Status if s), Status.NOT_RATED)}
            for indicator in mine:
                counts[self._indicator_row(section, indicator)] += 1
            self._section_row(section, counts if mine else None)
        return self.row

    def _indicator_row(self, section: Section, indicator: Indicator) -> Status:
        evaluation = evaluate_year(indicator, self.year)
        texts = self.plan.evaluation_texts.indicator(section.number, indicator.id, self.year)
        values = (section.display_name, indicator.label, indicator.unit, indicator.figure(self.year, PLAN).text,
                  indicator.figure(self.year, ACTUAL).text, evaluation.ratio_text, evaluation.status.label,
                  texts.done, texts.factors, texts.next_steps, indicator.id)
        styles = (META, None, META, FIGURE, FIGURE, FIGURE, META, None, None, None, META)
        for col, (value, style) in enumerate(zip(values, styles, strict=True), start=1):
            _put(self.ws, self.row, col, value, style)
        self._fit(values)
        self.row += 1
        return evaluation.status

    def _section_row(self, section: Section, counts: dict[Status, int] | None) -> None:
        text = self.plan.evaluation_texts.section(section.number, self.year)
        tally = "" if counts is None else " ".join(f"{int(s) or '評価不能'}:{n}" for s, n in counts.items())
        values = (section.display_name, SECTION_ROW_LABEL, "", "", "", "", tally, text, "", "", SECTION_MARK)
        for col, value in enumerate(values, start=1):
            _put(self.ws, self.row, col, value, META if col in (1, 7, 11) else None)
            cell = self.ws.cell(self.row, col)
            cell.fill = SECTION_FILL
            if col == 2:
                cell.font = SECTION_FONT
        self.ws.cell(self.row, 7).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        self._fit(values)
        self.row += 1

    def _fit(self, values: tuple) -> None:
        widths = (*YEAR_WIDTHS, 0)
        self.ws.row_dimensions[self.row].height = _height([(str(v or ""), w) for v, w in zip(values, widths, strict=True) if w])


def _write_summary(ws: Worksheet, plan: Plan) -> int:
    """Every indicator's suggested and chosen summary; returns the row after the last."""
    _sheet_frame(ws, f"{plan.title} 計画期間の総括", SUMMARY_NOTE, SUMMARY_HEADERS, SUMMARY_WIDTHS)
    texts = plan.evaluation_texts
    row = HEADER_ROW + 1
    for section, indicator in _rows_of(plan, lambda s, i: texts.summary(s.number, i.id) is not None):
        suggested, final = suggested_summary(indicator, plan.years)
        choice = texts.summary(section.number, indicator.id)
        values = (section.display_name, indicator.label, indicator.unit, year_label(final) if final else "",
                  indicator.figure(final, PLAN).text if final else "", indicator.figure(final, ACTUAL).text if final else "",
                  suggested.label if suggested else ("" if final is None else "(実績の入力待ち)"),
                  choice.summary.label if choice else "", choice.reason if choice else "", indicator.id)
        styles = (META, None, META, META, FIGURE, FIGURE, META, None, None, META)
        for col, (value, style) in enumerate(zip(values, styles, strict=True), start=1):
            _put(ws, row, col, value, style)
        ws.row_dimensions[row].height = _height([(str(v or ""), w) for v, w in zip(values, SUMMARY_WIDTHS, strict=False)])
        row += 1
    if row > HEADER_ROW + 1:
        choices = DataValidation(type="list", formula1='"' + ",".join(SUMMARY_LABELS.values()) + '"', allow_blank=True,
                                 showErrorMessage=False)  # anything else typed is a warning at the next load
        choices.add(f"{get_column_letter(SUMMARY_HEADERS.index(COL_CHOSEN) + 1)}{HEADER_ROW + 1}:"
                    f"{get_column_letter(SUMMARY_HEADERS.index(COL_CHOSEN) + 1)}{row - 1}")
        ws.add_data_validation(choices)
    return row
