"""Evaluation texts typed in LibreOffice Calc into the 点検・評価 sheets are read back, rows sorted there included."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from kawasaki_planner.core.evaluation_texts import IndicatorTexts, Summary, SummaryChoice
from kawasaki_planner.io.evaluation_sheets import SUMMARY_SHEET, year_sheet_name
from kawasaki_planner.io.workbook import load_plan, save_plan
from tests.evaluation_texts import YEAR, write_texts
from tests.io.test_evaluation_sheets import sheet_rows

pytestmark = pytest.mark.spreadsheet
SHEET = year_sheet_name(YEAR)
TYPED = "LibreOfficeで入力した要因分析。\n2行目も残る。"
SECTION = "LibreOfficeで書いた総合評価\n(改行あり)"


@pytest.fixture
def with_texts(tmp_path, sample_path):
    plan = load_plan(sample_path)
    write_texts(plan)
    path = tmp_path / "with_texts.xlsx"
    save_plan(plan, path)
    return plan, path


def test_texts_typed_and_rows_sorted_in_libreoffice_are_read_back(libreoffice, with_texts, tmp_path):
    plan, path = with_texts
    book = load_workbook(path)
    ws = book[SHEET]
    rows = sheet_rows(ws)
    second = plan.section(2).indicators[1]
    third = plan.section(3).indicators[0]
    section_row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "2 権利擁護" and ws.cell(r, 2).value == "総合評価")
    summary_rows = sheet_rows(book[SUMMARY_SHEET])
    edited = libreoffice.edit(path, tmp_path / "edited.xlsx", [
        {"do": "write", "sheet": SHEET, "cell": f"I{rows[second.id]}", "text": TYPED},
        {"do": "write", "sheet": SHEET, "cell": f"J{rows[third.id]}", "text": "新しく書いた方向性"},
        {"do": "write", "sheet": SHEET, "cell": f"H{section_row}", "text": SECTION},
        {"do": "type", "sheet": SUMMARY_SHEET, "cell": f"H{summary_rows[second.id]}", "text": "III"},
        {"do": "sort", "sheet": SHEET, "range": f"A5:K{ws.max_row}", "column": 1, "ascending": False},
    ])
    sorted_labels = [c.value for (c,) in load_workbook(edited)[SHEET].iter_rows(min_row=5, min_col=2, max_col=2)]
    assert sorted_labels == sorted(sorted_labels, reverse=True)  # LibreOffice really sorted the rows
    after = load_plan(edited)
    assert after.load_warnings == []
    texts = after.evaluation_texts
    assert texts.indicator(2, second.id, YEAR) == IndicatorTexts(factors=TYPED)
    assert texts.indicator(3, third.id, YEAR) == IndicatorTexts(next_steps="新しく書いた方向性")
    assert texts.section(2, YEAR) == SECTION
    assert texts.summary(2, second.id) == SummaryChoice(Summary.BELOW)
    first = plan.section(2).indicators[0]
    assert texts.indicator(2, first.id, YEAR) == plan.evaluation_texts.indicator(2, first.id, YEAR)
    assert texts.summary(2, first.id) == plan.evaluation_texts.summary(2, first.id)


def test_a_plain_resave_in_libreoffice_keeps_every_text(libreoffice, with_texts, tmp_path):
    plan, path = with_texts
    resaved = libreoffice.convert(path, tmp_path / "resaved.xlsx")
    after = load_plan(resaved)
    assert [w for w in after.load_warnings if "点検・評価" in w or "総括" in w] == []
    assert after.evaluation_texts.snapshot() == plan.evaluation_texts.snapshot()
