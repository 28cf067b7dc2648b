"""The 新旧対照表 as an Excel workbook: one sheet, grouped by section, printable on A4.

Columns 項目 | 改定前 | 改定後 | 備考; each section starts with a heading row. In a passage (narrative, status row,
evaluation text, a label) the characters deleted from 改定前 and inserted into 改定後 are underlined in red bold
(rich text), as a 新旧対照表 marks 改正部分 with a 傍線; a figure, short as it is, is marked whole. The 備考 says
what kind of change it is (and whether the figure is computed). Printed landscape, fitted to the page width,
with the heading row repeated on every page and page numbers in the footer.
"""

from __future__ import annotations

import datetime as _dt
import math
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.escape import escape
from openpyxl.worksheet.properties import PageSetupProperties

from ..core.compare import Difference, group_by_section, is_text_scope, summary_line
from ..core.text_diff import text_segments

SHEET_TITLE = "新旧対照表"
HEADERS = ("項目", "改定前", "改定後", "備考")
WIDTHS = (30, 52, 52, 20)  # characters of the default font: fits A4 landscape at about 85 %
FONT_NAME = "游ゴシック"
MARK_COLOUR = "C00000"
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
LINE_POINTS = 15.0  # one line of 10.5 pt Japanese text, with its leading
FIRST_ROW = 4  # the column headings; the differences start below them

_PLAIN = InlineFont(rFont=FONT_NAME, sz=10.5)
_MARKED = InlineFont(rFont=FONT_NAME, sz=10.5, b=True, u="single", color=MARK_COLOUR)


def write_comparison_xlsx(differences: Sequence[Difference], path: str | Path, old_name: str, new_name: str,
                          title: str = "") -> None:
    """Write the 新旧対照表 of ``differences`` (old → new) to ``path``."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    base = Font(name=FONT_NAME, size=10.5)
    sheet["A1"] = f"{SHEET_TITLE}{'(' + title + ')' if title else ''}"
    sheet["A1"].font = Font(name=FONT_NAME, size=14, bold=True)
    sheet["A2"] = _text(f"改定前: {old_name}    改定後: {new_name}    作成: {_dt.date.today():%Y-%m-%d}")
    sheet["A2"].font = base
    sheet["A3"] = summary_line(list(differences))
    sheet["A3"].font = base
    for column, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = sheet.cell(FIRST_ROW, column, header)
        cell.font = Font(name=FONT_NAME, size=10.5, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[cell.column_letter].width = width
    row = FIRST_ROW + 1
    for heading, group in group_by_section(differences):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADERS))
        cell = sheet.cell(row, 1, _text(heading))
        cell.font = Font(name=FONT_NAME, size=11, bold=True)
        for column in range(1, len(HEADERS) + 1):
            sheet.cell(row, column).fill = SECTION_FILL
            sheet.cell(row, column).border = BOX
        row += 1
        for difference in group:
            _write_row(sheet, row, difference, base)
            row += 1
    _page_setup(sheet)
    book.save(Path(path))


def _write_row(sheet, row: int, d: Difference, base: Font) -> None:
    item = d.item + (f"\n{d.where}" if d.where else "")
    before, after = _marked(d)
    texts = (item, d.before, d.after, d.remarks)
    for column, value in enumerate((_text(item), before, after, _text(d.remarks)), start=1):
        cell = sheet.cell(row, column)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # 「=…」 in a passage is text, never a formula
        cell.font = base
        cell.alignment = WRAP
        cell.border = BOX
    sheet.row_dimensions[row].height = max(_lines(text, width) for text, width in zip(texts, WIDTHS, strict=True)) * LINE_POINTS


def _marked(d: Difference):
    """改定前 and 改定後 as cell values: rich text with the changed characters marked."""
    if is_text_scope(d):
        old, new = text_segments(d.before, d.after)
    else:  # a figure or a setting: marked whole
        old = [(d.before, True)] if d.before else []
        new = [(d.after, True)] if d.after else []
    return _rich(old), _rich(new)


def _rich(segments):
    segments = [(_text(text), marked) for text, marked in segments if text]
    if not segments:
        return None
    return CellRichText([TextBlock(_MARKED if marked else _PLAIN, text) for text, marked in segments])


def _text(text: str) -> str:
    """Text an .xlsx cell can hold: control characters Excel refuses are written escaped (_x0007_), not lost."""
    return escape(text) if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text) else text


def _width(text: str) -> float:
    # A wide character takes about 1.8 of the column unit (the default font's digit): 2 in Excel with 游ゴシック,
    # 1.5 in LibreOffice's substitute. Rows estimated a little tall read better than clipped ones.
    return sum(1.8 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _lines(text: str, width: int) -> int:
    """Lines ``text`` takes wrapped in a column ``width`` characters wide (a wide character counts two)."""
    room = max(1, int(width * 1.0) - 1)
    return max(1, sum(max(1, math.ceil(_width(line) / room)) for line in (text or "").split("\n")))


def _page_setup(sheet) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{FIRST_ROW}:{FIRST_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "&P / &N"
    sheet.oddHeader.right.text = SHEET_TITLE
    sheet.freeze_panes = sheet.cell(FIRST_ROW + 1, 1)
