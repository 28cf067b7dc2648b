"""What LibreOffice Calc does to a plan workbook, done by LibreOffice itself (UNO), and what the app reads back.

Cells are found from the workbook's layout (openpyxl reads it; LibreOffice edits it), never hard-coded.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kawasaki_planner.core.plan import ADOPTION_LABEL, FigureRef, forecast_ref, plan_snapshot
from kawasaki_planner.io import layout as L
from kawasaki_planner.io.tidy import tidy_rows
from kawasaki_planner.io.workbook import load_plan, save_plan
from tests.io.workbook_edit import find_sheet, locate

pytestmark = pytest.mark.spreadsheet

RATE_YEAR = 2025  # R7


def read_back(path: Path):
    plan = load_plan(path)
    return plan, plan_snapshot(plan), list(tidy_rows(plan))


def assert_same_plan(path: Path, reference: Path) -> None:
    plan, snapshot, rows = read_back(path)
    expected, expected_snapshot, expected_rows = read_back(reference)
    assert snapshot == expected_snapshot
    assert len(rows) == 239
    assert rows == expected_rows
    assert plan.load_warnings == expected.load_warnings


@pytest.fixture
def source(request, sample_path, app_workbook) -> Path:
    return {"sample": sample_path, "saved by the app": app_workbook}[request.param]


# --- a plain re-save ----------------------------------------------------------------

@pytest.mark.parametrize("source", ["sample", "saved by the app"], indirect=True)
def test_a_resave_in_libreoffice_gives_back_the_same_plan(libreoffice, source, tmp_path):
    resaved = libreoffice.edit(source, tmp_path / "resaved.xlsx", [{"do": "resave"}])
    assert_same_plan(resaved, source)


@pytest.mark.parametrize("source", ["sample", "saved by the app"], indirect=True)
def test_a_convert_to_xlsx_by_soffice_gives_back_the_same_plan(libreoffice, source, tmp_path):
    converted = libreoffice.convert(source, tmp_path / "converted.xlsx")
    assert_same_plan(converted, source)


# --- typing ------------------------------------------------------------------------

def blank_actual_of_a_person_count(path: Path, section: int) -> tuple[str, int, str]:
    """(indicator label, year, cell) of an empty 実績 cell in a 人 row, found from the plan and the sheet layout."""
    plan = load_plan(path)
    book = load_workbook(path)
    sheet = find_sheet(book, section)
    for indicator in plan.section(section).indicators:
        if indicator.unit != "人":
            continue
        for year in plan.years:
            if indicator.figure(year, "actual").is_blank:
                cell = locate(sheet, indicator.label, year, "actual")
                assert sheet[cell].value is None
                return indicator.label, year, cell
    raise AssertionError(f"section {section} has no empty 実績 cell in a 人 row")


def test_a_count_typed_in_libreoffice_is_read_as_typed(libreoffice, sample_path, tmp_path):
    label, year, cell = blank_actual_of_a_person_count(sample_path, 2)
    sheet = find_sheet(load_workbook(sample_path), 2).title
    typed = libreoffice.edit(sample_path, tmp_path / "typed.xlsx", [{"do": "type", "sheet": sheet, "cell": cell, "text": "105"}])

    plan = load_plan(typed)
    figure = plan.section(2).indicator(label).figure(year, "actual")
    assert figure.text == "105人"
    assert figure.number == 105
    expected = load_plan(sample_path)
    expected.set_figure(FigureRef(2, label, year, "actual"), "105")
    assert plan_snapshot(plan) == plan_snapshot(expected)


def test_a_rate_typed_in_libreoffice_is_read_as_stored_and_warned(libreoffice, sample_path, tmp_path):
    book = load_workbook(sample_path)
    five = find_sheet(book, 5)
    cell = locate(five, "児童人口に対する措置率", RATE_YEAR, "plan")
    assert five[cell].number_format == "0.000%"
    typed = libreoffice.edit(sample_path, tmp_path / "typed.xlsx",
                             [{"do": "type", "sheet": five.title, "cell": cell, "text": "0.150"}])

    stored = find_sheet(load_workbook(typed), 5)[cell]
    assert stored.value == pytest.approx(0.15) and stored.number_format == "0.000%"  # LibreOffice shows 15.000%
    plan = load_plan(typed)
    assert plan.figure(forecast_ref("rate", RATE_YEAR)).text == "15.000%"
    # The plausibility rule: a 措置率 above 1 % is warned, naming the sheet and the cell.
    named = [w for w in plan.load_warnings if five.title in w and cell in w]
    assert named, f"no warning names {five.title}!{cell}: {plan.load_warnings}"


def test_a_figure_cleared_in_libreoffice_is_read_blank(libreoffice, sample_path, tmp_path):
    label = "意見表明等支援事業における意見表明等支援員の活動延べ日数"
    book = load_workbook(sample_path)
    two = find_sheet(book, 2)
    cell = locate(two, label, 2026, "plan")
    assert two[cell].value is not None
    cleared = libreoffice.edit(sample_path, tmp_path / "cleared.xlsx", [{"do": "clear", "sheet": two.title, "cell": cell}])

    plan = load_plan(cleared)
    assert plan.section(2).indicator(label).figure(2026, "plan").is_blank
    expected = load_plan(sample_path)
    expected.set_figure(FigureRef(2, label, 2026, "plan"), None)
    assert plan_snapshot(plan) == plan_snapshot(expected)


# --- rows inserted inside an indicator table ----------------------------------------

def indicator_rows(sheet) -> dict[str, int]:
    """Label → row of the 評価のための指標 table: from below its two header rows to the first empty label."""
    marker = next(c.row for (c,) in sheet.iter_rows(max_col=1) if L.marker_of(c.value) == L.INDICATORS)
    rows = {}
    for row in range(marker + 3, sheet.max_row + 1):
        label = sheet.cell(row, L.LABEL_COL).value
        if label is None or L.marker_of(label):
            break
        rows[label] = row
    return rows


def insertions(where: str, rows: dict[str, int]) -> list[tuple[int, int]]:
    """(before row, count) for the case; the adoption row and a pair of rows away from it."""
    labels = list(rows)
    adoption = rows[ADOPTION_LABEL]
    second = next(b for a, b in itertools.pairwise(labels) if ADOPTION_LABEL not in (a, b))
    between = (rows[second], 1)
    above_adoption = (adoption, 1)
    return {"between two indicators": [between], "above the adoption row": [above_adoption],
            "both, two rows between": sorted([(rows[second], 2), above_adoption], reverse=True)}[where]


@pytest.mark.parametrize("where", ["between two indicators", "above the adoption row", "both, two rows between"])
def test_rows_inserted_in_libreoffice_inside_an_indicator_table_lose_nothing(libreoffice, sample_path, tmp_path, where):
    seven = find_sheet(load_workbook(sample_path), 7)
    rows = indicator_rows(seven)
    assert ADOPTION_LABEL in rows and len(rows) >= 4
    inserts = insertions(where, rows)
    actions = [{"do": "insert_rows", "sheet": seven.title, "before": before, "count": count} for before, count in inserts]
    edited = libreoffice.edit(sample_path, tmp_path / "inserted.xlsx", actions)

    # LibreOffice did insert the blank rows: each label sits lower by the rows inserted above it.
    after = find_sheet(load_workbook(edited), 7)
    for label, row in rows.items():
        shift = sum(count for before, count in inserts if before <= row)
        assert after.cell(row + shift, L.LABEL_COL).value == label
    for before, _count in inserts:
        shift = sum(count for b, count in inserts if b < before)
        assert all(after.cell(before + shift, c).value is None for c in range(1, after.max_column + 1))

    plan = load_plan(edited)
    original = load_plan(sample_path)
    assert [i.label for i in plan.section(7).indicators] == [i.label for i in original.section(7).indicators]
    assert plan_snapshot(plan) == plan_snapshot(original)
    assert list(tidy_rows(plan)) == list(tidy_rows(original))
    assert plan.figure(forecast_ref("placed", 2027)) == original.figure(forecast_ref("placed", 2027))


# --- the planner's own things survive a save by the app -------------------------------

def test_the_planners_sheet_and_comment_survive_a_save_by_the_app(libreoffice, sample_path, tmp_path):
    two = find_sheet(load_workbook(sample_path), 2)
    label = "意見表明支援を利用可能な児童数"
    label_cell = next(c.coordinate for (c,) in two.iter_rows(max_col=1) if c.value == label)
    figure_cell = locate(two, label, 2024, "actual")
    note = "担当者メモ: R7実績は9月に確定"
    annotated = libreoffice.edit(sample_path, tmp_path / "annotated.xlsx", [
        {"do": "add_sheet", "sheet": "メモ", "cell": "A1", "note": note},
        {"do": "comment", "sheet": two.title, "cell": label_cell, "text": "児童相談所に確認済み"},
        {"do": "comment", "sheet": two.title, "cell": figure_cell, "text": "速報値"},
    ])
    book = load_workbook(annotated)
    assert book["メモ"]["A1"].value == note  # what LibreOffice wrote, before the app touches it
    assert book[two.title][label_cell].comment is not None

    path = tmp_path / "plan.xlsx"
    shutil.copy(annotated, path)
    plan = load_plan(path)
    ref = FigureRef(2, label, 2025, "actual")
    plan.set_figure(ref, "995")
    save_plan(plan, path)

    assert load_plan(path).figure(ref).text == "995人"
    book = load_workbook(path)
    assert "メモ" in book.sheetnames, book.sheetnames
    assert book["メモ"]["A1"].value == note
    sheet = book[two.title]
    assert sheet[label_cell].comment is not None and "児童相談所に確認済み" in sheet[label_cell].comment.text
    assert sheet[figure_cell].comment is not None and "速報値" in sheet[figure_cell].comment.text
