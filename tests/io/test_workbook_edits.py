"""What planners do to the workbook in a spreadsheet program: nothing is lost, nothing is misread, doubt is said.

The edits are made with openpyxl the way a spreadsheet program stores them; tests/spreadsheet/ repeats the
important ones with LibreOffice itself.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment

from kawasaki_planner.core.plan import ADOPTION_LABEL, FigureRef, forecast_ref, plan_snapshot
from kawasaki_planner.io import layout as L
from kawasaki_planner.io.errors import PlanFormatError
from kawasaki_planner.io.tidy import tidy_rows
from kawasaki_planner.io.workbook import load_plan, save_plan
from tests.io.workbook_edit import find_sheet, locate

V1_SAMPLE = "tests/data/kawasaki_plan_r8_v1.xlsx"


def _row_of(sheet, label: str) -> int:
    return next(c.row for (c,) in sheet.iter_rows(max_col=1) if c.value == label)


def insert_blank_rows(sheet, row: int, count: int = 1) -> None:
    """Insert Rows as a spreadsheet program does it: cells and merged ranges below move down."""
    merged = [r for r in sheet.merged_cells.ranges]
    for r in merged:
        sheet.unmerge_cells(str(r))
    sheet.insert_rows(row, count)
    for r in merged:
        if r.min_row >= row:
            r.shift(0, count)
        sheet.merge_cells(str(r))


def _figures(plan) -> dict:
    return {(r["section"], r["indicator"], r["fiscal_year"], r["kind"]): r["text"] for r in tidy_rows(plan)}


@pytest.fixture
def book(sample_path):
    return load_workbook(sample_path)


# --- blank rows, cleared labels, retyped markers, renamed sheets ----------------------------------

def test_a_blank_row_inside_a_table_loses_nothing(sample_path, sample_plan, book, tmp_path):
    sheet = find_sheet(book, 7)
    insert_blank_rows(sheet, _row_of(sheet, ADOPTION_LABEL), 2)
    sheet2 = find_sheet(book, 2)
    insert_blank_rows(sheet2, _row_of(sheet2, "意見表明支援を利用可能な児童数") + 1)
    book.save(sample_path)
    plan = load_plan(sample_path)
    assert plan.load_warnings == []
    assert _figures(plan) == _figures(sample_plan)
    assert plan.figure(forecast_ref("placed", 2027)) == sample_plan.figure(forecast_ref("placed", 2027))
    plan.set_figure(FigureRef(7, ADOPTION_LABEL, 2027, "plan"), "10件")
    out = tmp_path / "saved.xlsx"
    save_plan(plan, out)
    again = load_plan(out)
    assert plan_snapshot(again) == plan_snapshot(plan)
    sheet = find_sheet(load_workbook(out), 7)
    assert sheet.cell(_row_of(sheet, ADOPTION_LABEL) - 1, 1).value is None  # the planner's blank rows stay


def test_a_cleared_label_is_named_and_its_figures_stay_in_the_file(sample_path, book, tmp_path):
    sheet = find_sheet(book, 3)
    row = _row_of(sheet, "こども家庭センターの設置数")
    figure_cell = locate(sheet, "こども家庭センターの設置数", 2026, "plan")
    before = sheet[figure_cell].value
    sheet.cell(row, 1).value = None
    book.save(sample_path)
    plan = load_plan(sample_path)
    assert any(f"セル A{row} の指標名が空欄" in w for w in plan.load_warnings)  # the cell set off by spaces
    assert len(plan.section(3).indicators) == 6
    save_plan(plan, tmp_path / "saved.xlsx")
    assert find_sheet(load_workbook(tmp_path / "saved.xlsx"), 3)[figure_cell].value == before


def test_a_retyped_marker_is_named_and_the_table_stays_in_the_file(sample_path, book, tmp_path):
    sheet = find_sheet(book, 2)
    row = _row_of(sheet, L.INDICATORS)
    sheet.cell(row, 1).value = "■評価指標"
    figure_cell = locate(sheet, "意見表明支援を利用可能な児童数", 2026, "plan")
    before = sheet[figure_cell].value
    book.save(sample_path)
    plan = load_plan(sample_path)
    assert any(f"セル A{row} の値「■評価指標」" in w and "認識できません" in w for w in plan.load_warnings)
    assert plan.section(2).indicators == []
    save_plan(plan, tmp_path / "saved.xlsx")
    assert find_sheet(load_workbook(tmp_path / "saved.xlsx"), 2)[figure_cell].value == before


def test_a_renamed_section_sheet_is_found_by_its_title(sample_path, sample_plan, book):
    find_sheet(book, 2).title = "権利擁護"
    book.save(sample_path)
    plan = load_plan(sample_path)
    assert any("「権利擁護」" in w and "節2として読み込みました" in w for w in plan.load_warnings)
    assert _figures(plan) == _figures(sample_plan)


def test_a_section_sheet_that_cannot_be_found_is_said(sample_path, book):
    sheet = find_sheet(book, 3)
    sheet.title = "メモ3"
    sheet["A1"] = "児童家庭支援体制"
    book.save(sample_path)
    plan = load_plan(sample_path)
    assert any("節3のシートが見つかりません" in w for w in plan.load_warnings)


def test_reordered_rows_and_a_column_of_notes_are_read_and_kept(sample_path, sample_plan, book, tmp_path):
    sheet = find_sheet(book, 6)
    first, second = _row_of(sheet, "一時保護施設の定員数"), _row_of(sheet, "第三者評価を実施している一時保護施設数")
    for col in range(1, sheet.max_column + 1):
        a, b = sheet.cell(first, col), sheet.cell(second, col)
        a.value, b.value = b.value, a.value
        a.number_format, b.number_format = b.number_format, a.number_format
    note_col = sheet.max_column + 1
    sheet.cell(first - 1, note_col).value = "備考"
    sheet.cell(first, note_col).value = "定員は4月1日現在"
    book.save(sample_path)
    plan = load_plan(sample_path)
    assert plan.load_warnings == []
    assert _figures(plan) == _figures(sample_plan)
    plan.set_figure(FigureRef(6, "一時保護施設の定員数", 2025, "actual"), "94人")
    save_plan(plan, tmp_path / "saved.xlsx")
    saved = find_sheet(load_workbook(tmp_path / "saved.xlsx"), 6)
    assert saved.cell(first, note_col).value == "定員は4月1日現在"
    assert saved[locate(saved, "一時保護施設の定員数", 2025, "actual")].value == 94
    assert saved.cell(second, 1).value == "一時保護施設の定員数"


def test_an_empty_column_inserted_between_the_years_loses_nothing(sample_path, sample_plan, book, tmp_path):
    sheet = find_sheet(book, 6)
    column = sheet[locate(sheet, "一時保護施設の定員数", 2026, "plan")].column
    merged = list(sheet.merged_cells.ranges)
    for r in merged:
        sheet.unmerge_cells(str(r))
    sheet.insert_cols(column)
    book.save(sample_path)
    plan = load_plan(sample_path)
    assert plan.load_warnings == []
    assert _figures(plan) == _figures(sample_plan)
    plan.set_figure(FigureRef(6, "一時保護施設の定員数", 2026, "actual"), "95人")
    save_plan(plan, tmp_path / "saved.xlsx")
    saved = find_sheet(load_workbook(tmp_path / "saved.xlsx"), 6)
    assert saved[locate(saved, "一時保護施設の定員数", 2026, "actual")].value == 95


def test_a_number_under_no_year_is_named(sample_path, book):
    sheet = find_sheet(book, 6)
    row = _row_of(sheet, "一時保護施設の定員数")
    sheet.cell(row, sheet.max_column + 2).value = 95
    book.save(sample_path)
    warnings = load_plan(sample_path).load_warnings
    assert any("どの年度の列にも当たらない" in w and "95" in w for w in warnings)


# --- what the planner added survives a save -----------------------------------------------------

def test_the_planners_sheet_note_comment_and_formula_survive_a_save(sample_path, book, tmp_path):
    memo = book.create_sheet("メモ")
    memo["A1"] = "来年度の予算要求に使う"
    memo["B2"] = "=1+2"
    sheet = find_sheet(book, 2)
    row = _row_of(sheet, "意見表明支援を利用可能な児童数")
    sheet.cell(row, sheet.max_column + 3).value = "担当: 山田"
    figure_cell = locate(sheet, "意見表明支援を利用可能な児童数", 2026, "plan")
    sheet[figure_cell].comment = Comment("こども家庭課の数字", "山田")
    sheet.column_dimensions["A"].width = 60
    book.save(sample_path)
    plan = load_plan(sample_path)
    plan.set_figure(FigureRef(2, "意見表明支援を利用可能な児童数", 2025, "actual"), "990人")
    out = tmp_path / "saved.xlsx"
    save_plan(plan, out)
    saved = load_workbook(out)
    assert saved["メモ"]["A1"].value == "来年度の予算要求に使う"
    assert saved["メモ"]["B2"].value == "=1+2"
    sheet = find_sheet(saved, 2)
    assert "担当: 山田" in [c.value for c in sheet[row]]
    assert sheet[figure_cell].comment.text == "こども家庭課の数字"
    assert sheet.column_dimensions["A"].width == 60
    assert sheet[locate(sheet, "意見表明支援を利用可能な児童数", 2025, "actual")].value == 990


def test_a_figure_formula_is_read_as_its_result_and_saved_as_that_value(sample_path, book, tmp_path):
    sheet = find_sheet(book, 4)
    cell = locate(sheet, "研修の実施回数(年間)", 2026, "plan")
    sheet[cell].value = "=1+1"
    book.save(sample_path)
    _cache_formula_result(sample_path, "1+1", "2")
    plan = load_plan(sample_path)
    assert plan.figure(FigureRef(4, "研修の実施回数(年間)", 2026, "plan")).number == 2
    assert any(cell in w and "数式" in w and "値" in w for w in plan.load_warnings)
    save_plan(plan, tmp_path / "a.xlsx")
    assert find_sheet(load_workbook(tmp_path / "a.xlsx"), 4)[cell].value == 2


def test_a_figure_formula_saved_without_its_result_is_said_to_be_read_as_blank(sample_path, book):
    """A program that does not calculate (a script, openpyxl) saves a formula with no result: not read as a figure
    silently, and not said to be its result either."""
    sheet = find_sheet(book, 4)
    cell = locate(sheet, "研修の実施回数(年間)", 2026, "plan")
    sheet[cell].value = "=1+1"
    book.save(sample_path)
    plan = load_plan(sample_path)
    assert plan.figure(FigureRef(4, "研修の実施回数(年間)", 2026, "plan")).is_blank
    [warning] = [w for w in plan.load_warnings if "数式" in w]
    assert f"セル {cell} は数式ですが、計算結果が保存されていないため空欄として読み込みました" in warning


def _cache_formula_result(path, formula: str, result: str) -> None:
    """What Excel saves: the formula with its cached result."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    old = f"<f>{formula}</f><v></v>".encode()
    parts = {n: d.replace(old, f"<f>{formula}</f><v>{result}</v>".encode()).replace(
        f"<f>{formula}</f><v />".encode(), f"<f>{formula}</f><v>{result}</v>".encode()) for n, d in parts.items()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_chart_is_named_as_what_a_save_does_not_keep(sample_path, book):
    from openpyxl.chart import BarChart, Reference

    sheet = find_sheet(book, 5)
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=4, min_row=6, max_col=9, max_row=6))
    sheet.add_chart(chart, "R3")
    book.save(sample_path)
    warnings = load_plan(sample_path).load_warnings
    assert any("グラフ" in w and "保存されません" in w for w in warnings)


@pytest.mark.parametrize(("uri", "label"), [
    ("{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}", "入力規則の一部(拡張機能)"),
    ("{78C0D931-6437-407D-A8EE-F0AAD7539E65}", "条件付き書式の一部(拡張機能)"),
    ("{05C60535-1F16-4FD2-B633-F4F36F0B64E0}", "スパークライン"),
    ("{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}", "スライサー"),
    ("{FC87AEE6-9EDD-4A0A-B7FB-166176984837}", "範囲の編集の許可(保護された範囲)"),
    ("{01252117-D84E-4E92-8308-4BE1C098FCBB}", "エラーチェックの無視の設定"),
    ("{F7C9EE02-42E1-4005-9D12-6889AFFD525C}", "Office アドイン"),
    # openpyxl files this one under a mixed-case key its upper-cased lookup never finds: said in general words.
    ("{7E03D99C-DC04-49d9-9315-930204A7B6E9}", "Excelの拡張機能の一部"),
    ("{00000000-1111-2222-3333-444444444444}", "Excelの拡張機能の一部"),
])
def test_every_sheet_extension_openpyxl_drops_is_named(sample_path, uri, label):
    """Excel keeps newer features in a sheet's extension list, which openpyxl drops on save: each is said at open."""
    with zipfile.ZipFile(sample_path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet2.xml"
    parts[sheet] = parts[sheet].replace(b"</worksheet>", f'<extLst><ext uri="{uri}"/></extLst></worksheet>'.encode())
    with zipfile.ZipFile(sample_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    [warning] = [w for w in load_plan(sample_path).load_warnings if "保存されません" in w]
    assert f"このブックには {label} が含まれています" in warning


# --- values-only workbooks, plausibility ---------------------------------------------------------

def test_a_values_only_workbook_is_read_by_the_rows_unit_and_said(sample_path, sample_plan, book, tmp_path):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                cell.number_format = "General"
    book.save(sample_path)
    plan = load_plan(sample_path)
    rate = plan.figure(forecast_ref("rate", 2025))
    assert rate.text == "0.144%"
    assert plan.figure(forecast_ref("placed", 2027)) == sample_plan.figure(forecast_ref("placed", 2027))
    ref = FigureRef(2, "意見表明支援を利用可能な児童数", 2026, "plan")
    assert plan.figure(ref).text == sample_plan.figure(ref).text
    warnings = "\n".join(plan.load_warnings)
    assert "表示形式がありません" in warnings and "「以上」" in warnings and "15%" in warnings
    sheet5 = find_sheet(load_workbook(sample_path), 5)
    assert locate(sheet5, "児童人口に対する措置率", 2025, "plan") in warnings
    out = tmp_path / "saved.xlsx"
    save_plan(plan, out)
    assert load_plan(out).load_warnings == []  # the plan's formats are written back


@pytest.mark.parametrize("engine", ["xlsxwriter", "openpyxl"])
def test_a_pandas_round_trip_keeps_every_number_and_says_what_it_lost(sample_path, sample_plan, tmp_path, engine):
    """A colleague's pandas script (read_excel → to_excel) keeps the cells but drops every number format."""
    import pandas as pd

    frames = pd.read_excel(sample_path, sheet_name=None, header=None)
    out = tmp_path / "pandas.xlsx"
    with pd.ExcelWriter(out, engine=engine) as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    plan = load_plan(out)
    before = {key: row["value"] for key, row in _rows(sample_plan).items()}
    assert {key: row["value"] for key, row in _rows(plan).items()} == before
    assert plan.figure(forecast_ref("rate", 2024, "actual")).text == "0.140%"  # section 5 knows its decimals
    lost = [w for w in plan.load_warnings if "表示形式がありません" in w]
    assert {w.split("」")[0] for w in lost} == {f"シート「{n}" for n in ("2 権利擁護", "3 児童家庭支援体制", "4 妊産婦等支援",
                                                                     "5 代替養育の見込み", "6 一時保護", "7 パーマネンシー保障")}


def _rows(plan) -> dict:
    return {(r["section"], r["indicator"], r["fiscal_year"], r["kind"]): r for r in tidy_rows(plan)}


def test_a_missing_styles_part_is_refused_naming_it(sample_path):
    with zipfile.ZipFile(sample_path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name != "xl/styles.xml"}
    with zipfile.ZipFile(sample_path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(PlanFormatError, match=r"styles\.xml") as raised:
        load_plan(sample_path)
    assert "Error" not in str(raised.value)


def test_an_unresolvable_style_index_is_refused_naming_the_sheet(sample_path):
    with zipfile.ZipFile(sample_path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet2.xml"] = parts["xl/worksheets/sheet2.xml"].replace(b' s="', b' s="9', 1)
    with zipfile.ZipFile(sample_path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(PlanFormatError, match="シート「2 権利擁護」") as raised:
        load_plan(sample_path)
    assert "Error" not in str(raised.value) and "index" not in str(raised.value)


def test_a_rate_typed_as_a_fraction_is_warned_with_its_cell(sample_path, book):
    sheet = find_sheet(book, 5)
    cell = locate(sheet, "児童人口に対する措置率", 2025, "plan")
    sheet[cell].value = 0.150  # typed 0.150 into the 0.000% cell: a spreadsheet stores 15 %
    book.save(sample_path)
    plan = load_plan(sample_path)
    assert plan.figure(forecast_ref("rate", 2025)).text == "15.000%"
    assert any(cell in w and "15.000%" in w for w in plan.load_warnings)


def test_a_finding_on_a_figure_the_sheet_does_not_show_names_the_figure(sample_path, book):
    """An adoption count larger than the children in care makes a computed count negative; when that count's row
    cannot be read from the sheet (its label retyped), the warning names the figure instead of a cell."""
    adoption = find_sheet(book, 7)
    adoption[locate(adoption, ADOPTION_LABEL, 2026, "plan")].value = 1000
    forecast = find_sheet(book, 5)
    forecast.cell(_row_of(forecast, "措置児童数"), 1).value = "措置児童数(控除後)"
    book.save(sample_path)
    warnings = load_plan(sample_path).load_warnings
    negative = [w for w in warnings if "計算の結果" in w and "負の値" in w]
    unplaced = [w for w in negative if not w.startswith("シート「")]
    assert unplaced and all(w.startswith("節5「措置児童数」R") and "見込みの値「-" in w for w in unplaced)
    assert "節5「措置児童数」R8年度 (2026) 見込みの値「-649」: 計算の結果 -649 と負の値になりました" in "\n".join(unplaced)


@pytest.mark.parametrize(("value", "needle"), [(-5, "-5"), ("123456789012345678901234567890", "15")])
def test_an_impossible_figure_refuses_the_workbook_naming_the_cell(sample_path, book, value, needle):
    sheet = find_sheet(book, 2)
    cell = locate(sheet, "意見表明支援を利用可能な児童数", 2026, "plan")
    sheet[cell].value = value
    book.save(sample_path)
    with pytest.raises(PlanFormatError, match=cell) as raised:
        load_plan(sample_path)
    assert needle in str(raised.value)


def test_a_huge_refused_cell_is_quoted_short_and_on_one_line(sample_path, book):
    sheet = find_sheet(book, 2)
    cell = locate(sheet, "意見表明支援を利用可能な児童数", 2026, "plan")
    sheet[cell].value = "あ\n" * 300_000
    book.save(sample_path)
    with pytest.raises(PlanFormatError) as raised:
        load_plan(sample_path)
    message = str(raised.value)
    assert cell in message and len(message) < 400 and "\n" not in message


# --- earlier versions, refusals ------------------------------------------------------------------

def test_a_version_1_workbook_opens_unchanged_and_saves_in_place(sample_plan, tmp_path):
    import shutil

    path = tmp_path / "v1.xlsx"
    shutil.copy(V1_SAMPLE, path)
    plan = load_plan(path)
    assert plan.load_warnings == []
    assert plan_snapshot(plan) == plan_snapshot(sample_plan)
    assert _figures(plan) == _figures(sample_plan)
    plan.set_figure(FigureRef(2, "意見表明支援を利用可能な児童数", 2025, "actual"), "990人")
    save_plan(plan, path)
    assert plan_snapshot(load_plan(path)) == plan_snapshot(plan)
    merged = {str(r) for r in find_sheet(load_workbook(path), 2).merged_cells.ranges}
    assert merged == {str(r) for r in find_sheet(load_workbook(V1_SAMPLE), 2).merged_cells.ranges}


def test_a_damaged_sheet_is_named(sample_path):
    with zipfile.ZipFile(sample_path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_part = "xl/worksheets/sheet3.xml"
    parts[sheet_part] = parts[sheet_part].replace(b' s="', b' s="x', 1)
    with zipfile.ZipFile(sample_path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(PlanFormatError) as raised:
        load_plan(sample_path)
    message = str(raised.value)
    assert "シート「3 児童家庭支援体制」" in message and "Error" not in message


def test_a_workbook_without_a_plan_says_so(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "budget.xlsx"
    book = Workbook()
    book.active.title = "予算"
    book.save(path)
    with pytest.raises(PlanFormatError, match="計画のブックではないようです"):
        load_plan(path)


def test_an_xlsb_workbook_gets_its_own_message(tmp_path):
    path = tmp_path / "plan.xlsb"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/xl/workbook.bin" ContentType="application/'
                         'vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')
        archive.writestr("xl/workbook.bin", b"\x00" * 64)
    path.write_bytes(buffer.getvalue())
    with pytest.raises(PlanFormatError, match=r"\.xlsb"):
        load_plan(path)
