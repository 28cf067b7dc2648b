"""Indicators are known by their id, which the workbook keeps in a hidden column: a label reworded or rows moved in a
spreadsheet are the same indicators, and the forecast's adoption deduction follows its row, not its label."""

from __future__ import annotations

import shutil

from openpyxl import load_workbook

from kawasaki_planner.core.plan import ADOPTION_LABEL, ADOPTION_ROLE, FigureRef, forecast_ref, plan_snapshot
from kawasaki_planner.core.report import forecast_text
from kawasaki_planner.io import layout as L
from kawasaki_planner.io.workbook import load_plan, save_plan
from tests.io.workbook_edit import find_sheet

V1_SAMPLE = "tests/data/kawasaki_plan_r8_v1.xlsx"
RENAMED = "特別養子縁組の成立件数(児童相談所経由)"


def _row_of(sheet, label: str) -> int:
    return next(c.row for (c,) in sheet.iter_rows(max_col=1) if c.value == label)


def _id_col(sheet, header_row: int) -> int:
    return next(c for c in range(1, sheet.max_column + 1) if sheet.cell(header_row, c).value == L.ID_HEADER)


def test_the_sample_keeps_ids_in_a_hidden_column_and_names_the_adoption_row(sample_path, sample_plan):
    book = load_workbook(sample_path)
    sheet = find_sheet(book, 7)
    header = _row_of(sheet, L.INDICATORS) + 2
    col = _id_col(sheet, header)
    assert sheet.column_dimensions[sheet.cell(1, col).column_letter].hidden
    assert sheet.cell(_row_of(sheet, ADOPTION_LABEL), col).value == sample_plan.adoption_indicator().id
    info = {row[0].value: row[1].value for row in book[L.INFO_SHEET].iter_rows()}
    assert info[L.ADOPTION_KEY] == f"7:{sample_plan.adoption_indicator().id}"
    assert info[L.FORMAT_KEY] == 2


def test_a_label_renamed_and_rows_moved_in_a_spreadsheet_still_forecast_exactly(sample_path, sample_plan, tmp_path):
    book = load_workbook(sample_path)
    sheet = find_sheet(book, 7)
    header = _row_of(sheet, L.INDICATORS) + 2
    first, adoption = header + 1, _row_of(sheet, ADOPTION_LABEL)
    for col in range(1, sheet.max_column + 1):  # the adoption row sorted to the top of the table
        a, b = sheet.cell(first, col), sheet.cell(adoption, col)
        a.value, b.value = b.value, a.value
        a.number_format, b.number_format = b.number_format, a.number_format
    sheet.cell(first, 1).value = RENAMED
    book.save(sample_path)
    plan = load_plan(sample_path)
    assert plan.load_warnings == []
    assert plan.adoption_indicator().label == RENAMED
    for year in plan.years:
        ref = forecast_ref("placed", year)
        assert plan.figure(ref) == sample_plan.figure(ref), year
    old_id = sample_plan.adoption_indicator().id
    assert plan.section(7).indicator(old_id).label == RENAMED
    assert plan.section(7).indicators[0].id == old_id
    out = tmp_path / "saved.xlsx"
    save_plan(plan, out)
    assert plan_snapshot(load_plan(out)) == plan_snapshot(plan)


def test_renaming_in_the_plan_keeps_the_id_the_deduction_and_the_figures(sample_plan, tmp_path):
    indicator = sample_plan.adoption_indicator()
    indicator.label = RENAMED
    ref = FigureRef(7, indicator.id, 2027, "plan")
    sample_plan.set_figure(ref, "10件")
    before_adoption = sample_plan.figure(forecast_ref("before_adoption", 2027)).number
    assert sample_plan.figure(forecast_ref("placed", 2027)).number == before_adoption - 10
    out = tmp_path / "renamed.xlsx"
    save_plan(sample_plan, out)
    again = load_plan(out)
    assert again.adoption_indicator().label == RENAMED and again.adoption_indicator().id == indicator.id
    assert again.figure(ref).text == "10件"
    assert again.figure(forecast_ref("placed", 2027)) == sample_plan.figure(forecast_ref("placed", 2027))


def test_without_an_adoption_row_the_forecast_deducts_nothing_and_says_so(sample_plan, tmp_path):
    indicator = sample_plan.adoption_indicator()
    before = sample_plan.figure(forecast_ref("before_adoption", 2027))
    indicator.role = ""
    sample_plan.recompute()
    assert sample_plan.figure(forecast_ref("placed", 2027)) == before
    assert "控除していません" in forecast_text(sample_plan)
    out = tmp_path / "none.xlsx"
    save_plan(sample_plan, out)
    again = load_plan(out)
    assert again.adoption_indicator() is None and again.figure(forecast_ref("placed", 2027)) == before


def test_a_version_1_book_gets_ids_on_load_and_keeps_them_from_its_first_save(tmp_path):
    path = tmp_path / "v1.xlsx"
    shutil.copy(V1_SAMPLE, path)
    first, second = load_plan(path), load_plan(path)
    assert [i.id for s in first.sections for i in s.indicators] == [i.id for s in second.sections for i in s.indicators]
    assert first.adoption_indicator().role == ADOPTION_ROLE
    save_plan(first, path)
    book = load_workbook(path)
    sheet = find_sheet(book, 7)
    col = _id_col(sheet, _row_of(sheet, L.INDICATORS) + 2)
    assert sheet.column_dimensions[sheet.cell(1, col).column_letter].hidden
    sheet.cell(_row_of(sheet, ADOPTION_LABEL), 1).value = RENAMED
    book.save(path)
    again = load_plan(path)
    assert again.adoption_indicator().label == RENAMED
    assert again.figure(forecast_ref("placed", 2027)) == first.figure(forecast_ref("placed", 2027))


def test_a_copied_row_with_the_same_id_gets_a_new_one_and_is_said(sample_path):
    book = load_workbook(sample_path)
    sheet = find_sheet(book, 2)
    header = _row_of(sheet, L.INDICATORS) + 2
    col = _id_col(sheet, header)
    first, second = header + 1, header + 2
    sheet.cell(second, col).value = sheet.cell(first, col).value
    book.save(sample_path)
    plan = load_plan(sample_path)
    ids = [i.id for i in plan.section(2).indicators]
    assert len(set(ids)) == len(ids) == 4
    assert any("ID" in w and "新しい ID" in w for w in plan.load_warnings)
