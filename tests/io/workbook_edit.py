"""Edit a plan workbook the way a person does in a spreadsheet program (openpyxl in place of Excel)."""

from __future__ import annotations

from openpyxl import load_workbook

from kawasaki_planner.core.fiscal import year_label
from kawasaki_planner.io import layout as L


def find_sheet(book, number: int):
    return next(ws for ws in book.worksheets if L.section_number(ws.title) == number)


def locate(sheet, label: str, year: int, kind: str, after_marker: str | None = None) -> str:
    """The coordinate of a figure: the row by its label (below a marker), the column by the year header."""
    start = 1
    if after_marker:
        start = next(c.row for (c,) in sheet.iter_rows(max_col=1) if c.value == after_marker)
    row = next(c.row for (c,) in sheet.iter_rows(min_row=start, max_col=1) if c.value == label)
    header = None
    for r in range(row - 1, 0, -1):
        if any(sheet.cell(r, c).value == year_label(year) for c in range(1, sheet.max_column + 1)):
            header = r
            break
    col = next(c for c in range(1, sheet.max_column + 1) if sheet.cell(header, c).value == year_label(year))
    if kind == "actual":
        col += 1
    return sheet.cell(row, col).coordinate


def edit(path, number: int, label: str, year: int, kind: str, value, after_marker: str | None = None) -> str:
    book = load_workbook(path)
    sheet = find_sheet(book, number)
    coordinate = locate(sheet, label, year, kind, after_marker)
    sheet[coordinate].value = value
    book.save(path)
    return coordinate
