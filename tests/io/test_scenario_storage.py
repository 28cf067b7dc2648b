"""Forecast scenarios in the workbook: the 推計シナリオ sheet, read back exactly, doubts said with sheet and cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from kawasaki_planner.core import scenarios as sc
from kawasaki_planner.core.plan import forecast_ref, plan_snapshot
from kawasaki_planner.io.scenario_sheet import SHEET
from kawasaki_planner.io.workbook import load_plan, save_plan
from kawasaki_planner.io.workbook_write import write_plan

YEARS = (2025, 2026, 2027, 2028, 2029)


def with_scenarios(plan):
    growth = sc.create(plan, "増加率3.3%案")
    sc.set_figures(plan, growth.id, [(("growth", y, "plan"), "3.3%") for y in YEARS[1:]])
    base = sc.create(plan, "基準率0.150%案")
    sc.set_figures(plan, base.id, [(("rate", 2025, "plan"), "0.150%"), (("excluded.school", 2029, "plan"), "70"),
                                   (("share.infant", None, "plan"), "10.0%"), (("share.school", None, "plan"), "75.9%")])
    return growth, base


def cell_of(path: Path, scenario: str, label: str, year: str, kind: str = "見込み") -> str:
    ws = load_workbook(path)[SHEET]
    column = next(c.column for c in ws[4] if c.value == scenario)
    row = next(r[0].row for r in ws.iter_rows(min_row=6) if (r[0].value, r[1].value, r[2].value) == (label, year, kind))
    return f"{ws.cell(row, column).column_letter}{row}"


def test_the_sample_and_a_plan_with_its_one_scenario_write_no_extra_sheet(sample_path, tmp_path):
    out = tmp_path / "again.xlsx"
    save_plan(load_plan(sample_path), out)
    assert SHEET not in load_workbook(out).sheetnames
    assert SHEET not in load_workbook(sample_path).sheetnames


def test_scenarios_are_saved_into_the_source_workbook_and_read_back_exactly(sample_path, tmp_path):
    plan = load_plan(sample_path)
    with_scenarios(plan)
    out = tmp_path / "scenarios.xlsx"
    save_plan(plan, out)  # the save itself reads the file back and compares plan_snapshot, scenarios included
    book = load_workbook(out)
    assert book.sheetnames[-2:] == [SHEET, "情報"]
    again = load_plan(out)
    assert again.load_warnings == []
    assert plan_snapshot(again) == plan_snapshot(plan)
    assert [s.name for s in again.scenarios] == ["採用案", "増加率3.3%案", "基準率0.150%案"]
    assert sc.adopted(again).name == "採用案"
    result = sc.result(again, sc.by_name(again, "増加率3.3%案").id)
    assert [result.get("placed", y, "plan").text for y in YEARS] == ["341", "347", "352", "356", "361"]


def test_adopting_another_scenario_is_saved_and_section_5_prints_it(sample_path, tmp_path):
    plan = load_plan(sample_path)
    growth, _ = with_scenarios(plan)
    sc.adopt(plan, growth.id)
    out = tmp_path / "adopted.xlsx"
    save_plan(plan, out)
    again = load_plan(out)
    assert again.load_warnings == []
    assert sc.adopted(again).name == "増加率3.3%案"
    assert [again.figure(forecast_ref("placed", y)).text for y in YEARS] == ["341", "347", "352", "356", "361"]
    ws = load_workbook(out)[SHEET]
    assert [c.value for c in ws[5]][3:6] == [None, "採用", None]


def test_a_new_workbook_lays_the_scenarios_out_too(published_plan, tmp_path):
    with_scenarios(published_plan)
    out = tmp_path / "fresh.xlsx"
    write_plan(published_plan, out)
    again = load_plan(out)
    assert plan_snapshot(again) == plan_snapshot(published_plan)


def test_deleting_the_other_scenarios_takes_the_sheet_away(sample_path, tmp_path):
    plan = load_plan(sample_path)
    with_scenarios(plan)
    first = tmp_path / "with.xlsx"
    save_plan(plan, first)
    plan = load_plan(first)
    for scenario in list(plan.scenarios[1:]):
        sc.delete(plan, scenario.id)
    second = tmp_path / "without.xlsx"
    save_plan(plan, second)
    assert SHEET not in load_workbook(second).sheetnames
    assert [s.name for s in load_plan(second).scenarios] == ["採用案"]


def test_a_renamed_only_scenario_is_kept(sample_path, tmp_path):
    plan = load_plan(sample_path)
    sc.rename(plan, plan.adopted_id, "2.7%案")
    out = tmp_path / "renamed.xlsx"
    save_plan(plan, out)
    assert [s.name for s in load_plan(out).scenarios] == ["2.7%案"]


@pytest.fixture
def saved(sample_path, tmp_path) -> Path:
    plan = load_plan(sample_path)
    with_scenarios(plan)
    out = tmp_path / "saved.xlsx"
    save_plan(plan, out)
    return out


def edit(path: Path, changes: dict[str, object]) -> Path:
    book = load_workbook(path)
    for cell, value in changes.items():
        book[SHEET][cell] = value
    book.save(path)
    return path


def test_a_value_typed_in_excel_is_read(saved):
    cell = cell_of(saved, "増加率3.3%案", "措置率増加率", "R9年度 (2027)")
    edit(saved, {cell: 0.05})  # Excel keeps 5 % as 0.05
    plan = load_plan(saved)
    scenario = sc.by_name(plan, "増加率3.3%案")
    assert sc.effective_inputs(plan, scenario).get("growth", 2027, "plan").text == "5.0%"


def test_a_bad_cell_is_a_warning_naming_sheet_and_cell_and_reads_blank(saved):
    population = cell_of(saved, "増加率3.3%案", "児童人口", "R8年度 (2026)")
    date_cell = cell_of(saved, "増加率3.3%案", "児童人口", "R9年度 (2027)")
    import datetime

    edit(saved, {population: -100, date_cell: datetime.date(2026, 4, 1)})
    plan = load_plan(saved)
    warnings = "\n".join(plan.load_warnings)
    assert f"シート「{SHEET}」" in warnings
    assert population in warnings and "負の値" in warnings
    assert date_cell in warnings and "日付" in warnings
    scenario = sc.by_name(plan, "増加率3.3%案")
    assert sc.effective_inputs(plan, scenario).get("population", 2026, "plan").is_blank


def test_a_missing_mark_warns_and_adopts_the_scenario_section_5_shows(saved):
    edit(saved, {"D5": None})
    plan = load_plan(saved)
    assert sc.adopted(plan).name == "採用案"
    assert any(SHEET in w and "A5" in w and "どの列にもありません" in w for w in plan.load_warnings)


def test_two_marks_warn_and_a_safe_default_is_taken(saved):
    edit(saved, {"E5": "採用"})
    plan = load_plan(saved)
    assert sc.adopted(plan).name == "採用案"  # the one whose values are section 5's
    assert any("2列にあります" in w for w in plan.load_warnings)
    assert [plan.figure(forecast_ref("placed", y)).text for y in YEARS] == ["341", "345", "348", "350", "352"]


def test_a_mark_moved_in_excel_keeps_what_section_5_prints_and_says_so(saved):
    edit(saved, {"D5": None, "E5": "採用"})
    plan = load_plan(saved)
    assert sc.adopted(plan).name == "増加率3.3%案"
    assert any("第5節のシートと異なります" in w and "E4" in w for w in plan.load_warnings)
    assert [plan.figure(forecast_ref("placed", y)).text for y in YEARS] == ["341", "345", "348", "350", "352"]


def test_no_column_like_section_5_keeps_every_scenario_and_adds_the_printed_one(saved):
    cell = cell_of(saved, "採用案", "児童人口", "R8年度 (2026)")
    edit(saved, {"D5": None, cell: 1})
    plan = load_plan(saved)
    assert [s.name for s in plan.scenarios] == ["採用案", "増加率3.3%案", "基準率0.150%案", "採用案 (2)"]
    assert sc.adopted(plan).name == "採用案 (2)"
    assert plan.figure(forecast_ref("population", 2026)).text == "237,418"


def test_doubled_and_empty_names_are_made_unique_with_a_warning(saved):
    edit(saved, {"E4": "採用案", "F4": None})
    plan = load_plan(saved)
    assert [s.name for s in plan.scenarios] == ["採用案", "採用案 (2)", "名前のないシナリオ"]
    assert any("E4" in w for w in plan.load_warnings) and any("F4" in w for w in plan.load_warnings)


def test_a_row_it_cannot_place_is_said(saved):
    ws_cell = cell_of(saved, "採用案", "児童人口", "R8年度 (2026)")
    row = int(ws_cell[1:])
    edit(saved, {f"A{row}": "措置児童数"})  # a computed row: never an input
    plan = load_plan(saved)
    assert any(f"A{row}" in w and "入力の行として読めない" in w for w in plan.load_warnings)


def test_a_renamed_scenario_sheet_is_still_read_and_said(saved, tmp_path):
    book = load_workbook(saved)
    book[SHEET].title = "シナリオ(比較用)"
    book.save(saved)
    plan = load_plan(saved)
    assert [s.name for s in plan.scenarios] == ["採用案", "増加率3.3%案", "基準率0.150%案"]
    assert any("シナリオ(比較用)" in w and "推計シナリオのシートとして読み込みました" in w for w in plan.load_warnings)
    out = tmp_path / "again.xlsx"
    save_plan(plan, out)
    names = load_workbook(out).sheetnames
    assert SHEET in names and "シナリオ(比較用)" not in names
