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


def _both_paths(path, monkeypatch):
    """(sheets read the fast canonical way, sheets read with element callbacks only)."""
    from kawasaki_planner.io import xlsx_cells

    fast = list(read_cells(path, 100_000, 200))
    with monkeypatch.context() as patched:
        patched.setattr(xlsx_cells, "_canonical_rows", lambda *args: None)
        general = list(read_cells(path, 100_000, 200))
    return fast, general


def test_canonical_and_general_readers_agree(sample_path, sample_plan, tmp_path, monkeypatch):
    from kawasaki_planner.io.workbook_write import write_plan

    written = tmp_path / "written.xlsx"
    write_plan(sample_plan, written)
    for path in (sample_path, written):
        fast, general = _both_paths(path, monkeypatch)
        assert fast == general and sum(len(row) for sheet in fast for row in sheet.rows) > 1000


def test_edited_sheet_reads_the_same_either_way(tmp_path, monkeypatch):
    path = tmp_path / "e.xlsx"
    book = Workbook()
    ws = book.active
    ws["A1"], ws["B1"], ws["C2"] = "a & b <c>", 0.5, "=A1"
    ws["D3"] = "_x0041_"
    ws.merge_cells("A5:C5")
    ws.row_dimensions[2].hidden = True
    book.save(path)
    fast, general = _both_paths(path, monkeypatch)
    assert fast == general
    assert fast[0].rows[0][0].value == "a & b <c>" and fast[0].formulas == {"C2"}
    assert fast[0].hidden_rows == {2} and fast[0].merged == ["A5:C5"]


def test_prefixed_or_rich_cells_take_the_general_path(tmp_path, monkeypatch):
    """A sheet written with a namespace prefix reads as the same cells as the unprefixed one."""
    from kawasaki_planner.io import xlsx_cells

    path = tmp_path / "p.xlsx"
    book = Workbook()
    book.active["A1"], book.active["B2"] = "児童", 241047
    book.save(path)
    plain = list(read_cells(path, 100, 10))

    def prefixed(data: bytes) -> bytes:
        data = data.replace(b'<worksheet xmlns="', b'<x:worksheet xmlns:x="').replace(b"</worksheet>", b"</x:worksheet>")
        return re.sub(rb"<(/?)(sheetData|row|c|v|is|t|sheetPr|dimension|sheetViews|sheetView|selection|"
                      rb"sheetFormatPr|pageMargins|outlinePr|pageSetUpPr)\b", rb"<\1x:\2", data)

    _rewrite(path, "xl/worksheets/sheet1.xml", prefixed)
    calls = []
    original = xlsx_cells._parsed_rows
    monkeypatch.setattr(xlsx_cells, "_parsed_rows", lambda *a: calls.append(1) or original(*a))
    assert list(read_cells(path, 100, 10)) == plain and calls == [1]


def test_sheet_xml_is_cut_only_at_row_starts():
    from kawasaki_planner.io.xlsx_cells import _chunks

    body = "<sheetData>" + "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 200)) + "</sheetData>"
    pieces = list(_chunks(body, size=100))
    assert "".join(pieces) == body and len(pieces) > 20
    assert all(piece.startswith("<row ") for piece in pieces[1:])
