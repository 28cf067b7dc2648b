"""The workbook the app writes, as Excel (here openpyxl) sees it: styles, formats, layout, escaped text."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook

from kawasaki_planner.io import layout as L
from kawasaki_planner.io.workbook import load_plan, save_plan
from kawasaki_planner.io.workbook_write import DERIVED, FIGURE, HEADER, LINE_HEIGHT
from kawasaki_planner.io.xlsx_cells import read_cells
from kawasaki_planner.io.xlsx_package import Package, excel_text


@pytest.fixture
def written(sample_plan, tmp_path):
    path = tmp_path / "written.xlsx"
    save_plan(sample_plan, path)
    return path


def test_styles_formats_and_layout_reach_excel(written):
    book = load_workbook(written)
    assert {"計画 列見出し", "計画 数値", "計画 計算値"} <= set(book.named_styles)
    sheet = next(s for s in book.worksheets if s.title.startswith("5 "))
    header = sheet.cell(4, 1)
    assert header.style == HEADER.name and header.font.b and header.fill.fgColor.rgb == "FFDDEBF7"
    assert header.border.left.style == "thin" and header.alignment.horizontal == "center"
    assert "A4:A5" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.freeze_panes == "D6"
    assert sheet.column_dimensions["A"].width == 52 and sheet.column_dimensions["D"].width == 12
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    styles = {sheet.cell(row, col).style for row in range(6, 12) for col in range(4, 16)}
    assert {FIGURE.name, DERIVED.name} <= styles
    derived = next(sheet.cell(r, c) for r in range(6, 12) for c in range(4, 16)
                   if sheet.cell(r, c).style == DERIVED.name and sheet.cell(r, c).value is not None)
    assert derived.fill.fgColor.rgb == "FFEDEDED" and derived.number_format != "General"


def test_long_text_rows_get_their_height_and_merge(written):
    book = load_workbook(written)
    sheet = book.worksheets[0]
    narrative = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == L.NARRATIVE)
    row = narrative + 2
    assert sheet.row_dimensions[row].height % LINE_HEIGHT == 0 and sheet.row_dimensions[row].height >= LINE_HEIGHT
    assert any(str(r).startswith(f"B{row}:") for r in sheet.merged_cells.ranges)


def test_numbers_keep_every_digit(tmp_path):
    package = Package("test")
    sheet = package.add_sheet("数値")
    values = [241047, 0.00144, 1e-05, 0.1 + 0.2, -3, 12345678901234]
    for row, value in enumerate(values, start=1):
        sheet.put(row, 1, value)
    path = tmp_path / "n.xlsx"
    package.save(path)
    assert [load_workbook(path)["数値"].cell(r, 1).value for r in range(1, 7)] == values
    assert [row[0].value for row in next(read_cells(path, 100, 10)).rows] == values


@pytest.mark.parametrize("text", ["改行\nあり", " 前後に空白 ", "制御\x01文字\x1f", "文字どおりの _x0041_ と _x005F_", "<&>\"'"])
def test_text_survives_excel_escaping(text, tmp_path):
    package = Package("test")
    package.add_sheet("文字").put(1, 1, text)
    path = tmp_path / "t.xlsx"
    package.save(path)
    assert next(read_cells(path, 10, 10)).rows[0][0].value == text
    if "_x" not in text and "\x01" not in text:  # openpyxl decodes these escapes its own way
        assert load_workbook(path)["文字"]["A1"].value == text


def test_escaping_follows_excel():
    assert excel_text("a\x01b") == "a_x0001_b"
    assert excel_text("_x0041_") == "_x005F_x0041_"
    assert excel_text("_x41_ plain") == "_x41_ plain"


def test_control_characters_in_plan_text_round_trip(sample_plan, tmp_path):
    sample_plan.sections[0].narrative[0].text += "\x0b末尾 _x0041_"
    path = tmp_path / "c.xlsx"
    save_plan(sample_plan, path)
    assert load_plan(path).sections[0].narrative[0].text == sample_plan.sections[0].narrative[0].text


def test_package_parts_are_declared(written):
    with zipfile.ZipFile(written) as archive:
        names = set(archive.namelist())
        types = archive.read("[Content_Types].xml").decode()
    assert {"xl/workbook.xml", "xl/styles.xml", "xl/sharedStrings.xml", "docProps/core.xml"} <= names
    for name in names:
        if name.startswith("xl/worksheets/"):
            assert f'PartName="/{name}"' in types
