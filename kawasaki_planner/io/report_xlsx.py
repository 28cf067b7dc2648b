"""The 点検・評価結果報告書 as an Excel workbook (openpyxl), printable on A4 landscape.

Sheet 「評価結果」: the title and year on top, then one row per indicator (節, 指標, 目標, 実績, 達成率, 達成度 as a
number and in words, the three texts, and the period summary where the report has one), its header row repeated
on every printed page. Sheet 「段階別件数」: per section the number of indicators at each level and the 総合評価.
Figures are written as the plan's workbook writes them (io/cells.py): numbers with a format that prints them as
the plan does (「993人」「0.144%」「1回以上」), text figures such as 「7区で実施」 as text.
"""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..core.evaluation import Status
from ..core.evaluation_report import COUNT_ORDER, EvaluationReport, IndicatorRow
from ..core.evaluation_texts import TEXT_FIELD_LABELS
from ..core.report import display_width
from .cells import cell_value
from .safe_write import atomic_write

SHEET_ROWS = "評価結果"
SHEET_COUNTS = "段階別件数"
HEADER_ROW = 4  # the table's header; rows 1–3 hold the title, the plan and the year
RATIO_FORMAT = "0.0%"
LINE_HEIGHT = 13.5  # points per line of 10 pt text
MAX_ROW_HEIGHT = 409  # Excel's limit: a longer text is kept whole in the cell but not all of it prints
FONT = "游ゴシック"  # Excel's default Japanese font; LibreOffice and older Excel fall back to their own

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
_SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="top")
# (header, width in characters). Widths add up to what fits A4 landscape at about 80 %: fit-to-width scales the rest.
COLUMNS = [
    ("節", 5), ("No.", 4), ("指標", 30), ("目標", 11), ("実績", 11), ("達成率", 8), ("達成度", 6), ("達成度(評価)", 16),
    (TEXT_FIELD_LABELS["done"], 34), (TEXT_FIELD_LABELS["factors"], 30), (TEXT_FIELD_LABELS["next_steps"], 30),
]
SUMMARY_COLUMNS = [("計画期間の総括", 22), ("総括の根拠", 14)]
COUNT_LEVELS = [status.short_label for status in COUNT_ORDER] + ["計"]


def _header_names(report: EvaluationReport) -> list[tuple[str, int]]:
    return COLUMNS + (SUMMARY_COLUMNS if report.shows_summary else [])


def _print_setup(sheet: Worksheet, title_rows: str | None) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "&P / &N"
    if title_rows:
        sheet.print_title_rows = title_rows


def _title(sheet: Worksheet, report: EvaluationReport, width: int) -> None:
    sheet["A1"] = report.title
    sheet["A1"].font = Font(name=FONT, size=16, bold=True)
    sheet["A2"] = report.plan_title
    sheet["A2"].font = Font(name=FONT, size=11)
    sheet["A3"] = f"対象年度: {report.year_label}"
    sheet["A3"].font = Font(name=FONT, size=11)
    for row in (1, 2, 3):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _header(sheet: Worksheet, row: int, names: list[tuple[str, int]]) -> None:
    sheet.row_dimensions[row].height = row_height([(name, width) for name, width in names])
    for column, (name, width) in enumerate(names, start=1):
        cell = sheet.cell(row, column, name)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = _CENTRE
        sheet.column_dimensions[get_column_letter(column)].width = width


def _text(sheet: Worksheet, row: int, column: int, text: str | None) -> None:
    cell = sheet.cell(row, column, text or None)
    if text:
        cell.data_type = "s"  # the planner's words (「=前年度並み」), never a formula


def _figure_cell(sheet: Worksheet, row: int, column: int, figure) -> None:
    value, fmt = cell_value(figure)
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"  # a figure printed as text, never a formula
    if fmt:
        cell.number_format = fmt
    cell.alignment = _RIGHT


def _indicator_row(sheet: Worksheet, row: int, item: IndicatorRow, shows_summary: bool) -> None:
    sheet.cell(row, 1, item.section)
    sheet.cell(row, 2, item.number)
    _text(sheet, row, 3, item.label)
    _figure_cell(sheet, row, 4, item.target)
    _figure_cell(sheet, row, 5, item.actual)
    ratio = sheet.cell(row, 6, float(item.ratio) if item.ratio is not None else None)
    ratio.number_format = RATIO_FORMAT
    ratio.alignment = _RIGHT
    sheet.cell(row, 7, item.level)
    sheet.cell(row, 8, item.level_words if item.level is not None else item.level_text)
    for column, text in enumerate((item.texts.done, item.texts.factors, item.texts.next_steps), start=9):
        _text(sheet, row, column, text)
    if shows_summary:
        _text(sheet, row, 12, item.summary)
        _text(sheet, row, 13, item.summary_note)


def row_height(texts: list[tuple[str, float]]) -> float:
    """Points a row needs for its wrapped texts ((text, column width) pairs), within Excel's 409 pt.

    Written out because neither Excel nor LibreOffice fits a row's height to wrapped text on opening a file.
    """
    lines = 1
    for text, width in texts:
        per_line = max(1.0, width - 1.5)
        lines = max(lines, sum(max(1, math.ceil(display_width(part) / per_line)) for part in str(text).split("\n")))
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 4)


def _style_body(sheet: Worksheet, first: int, last: int, names: list[tuple[str, int]]) -> None:
    for row in sheet.iter_rows(min_row=first, max_row=last, max_col=len(names)):
        wrapped = []
        for cell in row:
            cell.border = _BORDER
            cell.font = Font(name=FONT, size=10)
            if cell.column not in (4, 5, 6):
                cell.alignment = _CENTRE if cell.column in (1, 2, 7) else _WRAP
                if cell.value is not None and cell.column not in (1, 2, 7):
                    wrapped.append((str(cell.value), names[cell.column - 1][1]))
        sheet.row_dimensions[row[0].row].height = row_height(wrapped)


def _rows_sheet(sheet: Worksheet, report: EvaluationReport) -> None:
    names = _header_names(report)
    _title(sheet, report, len(names))
    _header(sheet, HEADER_ROW, names)
    row = HEADER_ROW + 1
    for section in report.sections:
        cell = sheet.cell(row, 1, section.heading)
        cell.font = Font(name=FONT, bold=True)
        for column in range(1, len(names) + 1):
            sheet.cell(row, column).fill = _SECTION_FILL
            sheet.cell(row, column).border = _BORDER
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(names))
        row += 1
        first = row
        for item in section.rows:
            _indicator_row(sheet, row, item, report.shows_summary)
            row += 1
        _style_body(sheet, first, row - 1, names)
    sheet.freeze_panes = f"D{HEADER_ROW + 1}"
    _print_setup(sheet, f"{HEADER_ROW}:{HEADER_ROW}")


def _counts_sheet(sheet: Worksheet, report: EvaluationReport) -> None:
    names = [("節", 24)] + [(name, 15) for name in COUNT_LEVELS] + [("総合評価", 60)]
    _title(sheet, report, len(names))
    _header(sheet, HEADER_ROW, names)
    row = HEADER_ROW + 1
    for section in report.sections:
        _count_row(sheet, row, section.short_heading, section.counts, section.overall)
        row += 1
    _count_row(sheet, row, "合計", report.counts, "")
    for column in range(1, len(names) + 1):
        sheet.cell(row, column).font = Font(name=FONT, bold=True)
    sheet.cell(row + 2, 1, "達成度: " + " / ".join(s.label for s in Status if s is not Status.NOT_RATED)).font = Font(name=FONT, size=9)
    _print_setup(sheet, f"{HEADER_ROW}:{HEADER_ROW}")


def _count_row(sheet: Worksheet, row: int, heading: str, counts, overall: str) -> None:
    numbers = [n for _, n in counts]
    values = [heading, *numbers, sum(numbers), overall or None]
    sheet.row_dimensions[row].height = row_height([(overall, 60), (heading, 24)])
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column, value)
        if isinstance(value, str):
            cell.data_type = "s"  # a 総合評価 such as 「=概ね順調」 is words, never a formula
        cell.border = _BORDER
        cell.font = Font(name=FONT, size=10)
        cell.alignment = _WRAP if column in (1, len(values)) else Alignment(horizontal="right", vertical="top")


def report_workbook(report: EvaluationReport) -> Workbook:
    book = Workbook()
    rows = book.active
    rows.title = SHEET_ROWS
    _rows_sheet(rows, report)
    _counts_sheet(book.create_sheet(SHEET_COUNTS), report)
    return book


def write_report_xlsx(report: EvaluationReport, path: str | Path) -> list[str]:
    """Write the report to ``path`` (replaced whole or left as it was); raises SaveError/SaveLockedError (Japanese)."""
    return atomic_write(path, lambda target: report_workbook(report).save(target), backups=0)
