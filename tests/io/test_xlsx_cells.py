"""The lean cell reader handles what Excel writes that openpyxl-made files do not."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

from openpyxl import Workbook

from kawasaki_planner.io.xlsx_cells import read_cells


def _rewrite(path, part, replace):
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[part] = replace(parts[part])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_phonetic_guides_are_skipped_and_rich_text_joined(tmp_path):
    path = tmp_path / "a.xlsx"
    book = Workbook()
    book.active["A1"] = "PLACEHOLDER"
    book.save(path)
    shared = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><r><t>児童</t></r><r><rPr><b/></rPr><t>人口</t></r>"
        '<rPh sb="0" eb="2"><t>じどう</t></rPh><phoneticPr fontId="1"/></si></sst>'
    ).encode()
    _rewrite(path, "xl/worksheets/sheet1.xml",
             lambda d: d.replace(b'<c r="A1" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>', b'<c r="A1" t="s"><v>0</v></c>'))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", shared)
    sheet = next(read_cells(path, 100, 10))
    assert sheet.rows[0][0].value == "児童人口"


def test_inline_strings_numbers_dates_booleans_and_formats(tmp_path):
    path = tmp_path / "b.xlsx"
    book = Workbook()
    ws = book.active
    ws.title = "2 権利擁護"
    ws["A1"] = 241047
    ws["A1"].number_format = "#,##0"
    ws["B1"] = 0.00144
    ws["B1"].number_format = "0.000%"
    ws["C1"] = dt.datetime(2026, 4, 1)
    ws["D1"] = True
    ws["B3"] = "=1+1"
    book.save(path)
    _rewrite(path, "xl/worksheets/sheet1.xml",
             lambda d: re.sub(rb"<f>1\+1</f>(<v\s*/>|<v></v>)?", b"<f>1+1</f><v>2</v>", d).replace(b"</sheetData>",
                                 b'<row r="4"><c r="A4" t="inlineStr"><is><t>\xef\xbc\x99\xef\xbc\x94\xe4\xba\xba</t></is></c></row>'
                                 b"</sheetData>"))
    sheet = next(read_cells(path, 100, 10))
    assert sheet.name == "2 権利擁護"
    assert sheet.rows[0][0] == (241047, "#,##0")
    assert sheet.rows[0][1].value == 0.00144 and sheet.rows[0][1].fmt == "0.000%"
    assert isinstance(sheet.rows[0][2].value, dt.datetime)
    assert sheet.rows[0][3].value is True
    assert sheet.rows[2][1].value == 2 and sheet.formulas == {"B3"}
    assert sheet.rows[3][0].value == "９４人"


def test_date_formats_are_told_from_figure_formats():
    from kawasaki_planner.io.number_formats import BUILTIN_FORMATS, is_date_format

    for fmt in ("yyyy/m/d", '[$-411]ggge"年"m"月"d"日"', "h:mm", "mm-dd-yy", BUILTIN_FORMATS[31]):
        assert is_date_format(fmt), fmt
    for fmt in ("General", "#,##0", "0.000%", '#,##0"か所(試行実施)"', '#,##0"区で実施"', "0.00E+00", "[Red]0", "@"):
        assert not is_date_format(fmt), fmt


def test_a1_references():
    from kawasaki_planner.io.a1 import column_letter, range_boundaries

    assert [column_letter(i) for i in (1, 26, 27, 702, 16384)] == ["A", "Z", "AA", "ZZ", "XFD"]
    assert range_boundaries("B3:O3") == (2, 3, 15, 3)
    assert range_boundaries("$E$7") == (5, 7, 5, 7)
