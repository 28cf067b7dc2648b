"""A workbook re-saved by LibreOffice Calc (merged year headers, spans of column widths, its own styles) takes the app's
structure edits, keeps the planner's note, comment and sheet, and opens in LibreOffice again as the same plan."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from kawasaki_planner.core.fiscal import year_label
from kawasaki_planner.core.plan import Indicator, NarrativeBlock, Section, StatusItem, plan_snapshot
from kawasaki_planner.io import layout as L
from kawasaki_planner.io.workbook import load_plan, save_plan
from tests.io.test_structure_save import _find, _id_column, _indicator_rows, set_years, year_tables
from tests.io.workbook_edit import find_sheet, locate

pytestmark = pytest.mark.spreadsheet

BESIDE = "担当: 山田"
COMMENT = "こども家庭課の数字"
MEMO = "来年度の予算要求に使う"


def _extend(plan) -> None:
    section = plan.section(2)
    section.indicators.insert(1, Indicator("新しい指標", "人", id="2-new"))
    section.status.append(StatusItem("新しい項目", "新しい取組"))
    set_years(plan, tuple(range(2024, 2034)))  # R6–R15
    plan.sections.append(Section(8, "8 里親・ファミリーホームへの委託の推進に向けた取組", "里親等委託の推進",
                                 narrative=[NarrativeBlock("(1) 現状", "本文")]))


def _shrink(plan) -> None:
    section = plan.section(2)
    del section.indicators[2]
    section.indicators.reverse()
    set_years(plan, tuple(range(2025, 2030)))  # R6 out


@pytest.mark.parametrize("change", [_extend, _shrink], ids=["added", "removed"])
def test_a_libreoffice_workbook_takes_structure_edits_and_libreoffice_reads_the_result(libreoffice, app_workbook, tmp_path,
                                                                                      change):
    sheet = find_sheet(load_workbook(app_workbook), 2)
    rows = _indicator_rows(sheet)
    first, second = list(rows)[:2]
    figure = locate(sheet, second, 2027, "plan")
    note = f"{sheet.cell(1, sheet.max_column + 1).column_letter}{rows[first]}"
    edited = libreoffice.edit(app_workbook, tmp_path / "by_libreoffice.xlsx", [
        {"do": "type", "sheet": sheet.title, "cell": note, "text": BESIDE},
        {"do": "comment", "sheet": sheet.title, "cell": figure, "text": COMMENT},
        {"do": "add_sheet", "sheet": "メモ", "note": MEMO},
    ])
    plan = load_plan(edited)
    assert plan.load_warnings == []
    change(plan)

    out = tmp_path / "structured.xlsx"
    save_plan(plan, out)  # read back and compared before it is kept
    again = load_plan(out)
    assert plan_snapshot(again) == plan_snapshot(plan) and again.load_warnings == []
    book = load_workbook(out)
    sheet = find_sheet(book, 2)
    rows = _indicator_rows(sheet)
    assert list(rows) == [i.label for i in plan.section(2).indicators]
    row, col = _find(sheet, BESIDE)
    assert row == rows[first] and col > _id_column(sheet)  # the note travelled with its indicator's row
    comments = {c.coordinate: c.comment.text for r in sheet.iter_rows() for c in r if c.comment}
    assert comments == {locate(sheet, second, 2027, "plan"): COMMENT}
    assert sheet.column_dimensions[sheet.cell(1, _id_column(sheet)).column_letter].hidden
    assert all(found == [year_label(y) for y in plan.years] for _, found in year_tables(sheet))
    assert book["メモ"]["A1"].value == MEMO
    assert L.INFO_SHEET in book.sheetnames

    back = libreoffice.edit(out, tmp_path / "back_in_libreoffice.xlsx", [{"do": "resave"}])
    assert plan_snapshot(load_plan(back)) == plan_snapshot(plan)
