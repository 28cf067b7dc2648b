"""Structure edits saved back into the planner's workbook: indicators, status rows and narrative blocks added, removed
and moved, fiscal years extended and dropped, sections added, removed and renamed.

Each case starts from the sample as a planner keeps it (a note beside the indicator table, a note under it, a comment on
a figure, a formula and a sheet 「メモ」 of their own), changes the plan's structure directly, saves through save_plan
(which reads the file back and compares), and checks that the file reads back as the plan, that the planner's things are
still there and moved with their rows, and that a save of the plan read back leaves every cell as it is.
"""

from __future__ import annotations

import functools
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kawasaki_planner.core.fiscal import year_label
from kawasaki_planner.core.plan import (
    FORECAST_SECTION,
    KINDS,
    FigureRef,
    Indicator,
    NarrativeBlock,
    Section,
    StatusItem,
    forecast_ref,
    plan_snapshot,
)
from kawasaki_planner.io import layout as L
from kawasaki_planner.io import sheet_shift
from kawasaki_planner.io.errors import SaveError
from kawasaki_planner.io.workbook import load_plan, save_plan
from tests.io.workbook_edit import find_sheet, locate

V1_SAMPLE = "tests/data/kawasaki_plan_r8_v1.xlsx"
BESIDE = "担当: 山田(4月1日現在)"
UNDER = "※R7の実績は速報値"
COMMENT = "こども家庭課の数字"
MEMO = "来年度の予算要求に使う"
FIGURE_YEAR = 2026  # the commented figure: R8's target of section 2's second indicator


# --- the planner's workbook and what to look for in it -------------------------------------------------------

@pytest.fixture
def planners(sample_path):
    return with_planners_things(sample_path)


def with_planners_things(path):
    """The workbook at ``path`` with the planner's own things: in section 2, a note in the first indicator's row right
    of the table (under a 「備考」 header), a note in the blank row under the table, a comment on a figure of the second
    indicator; a sheet 「メモ」 whose formula points at that figure."""
    book = load_workbook(path)
    sheet = find_sheet(book, 2)
    rows = _indicator_rows(sheet)
    first, second = list(rows)[:2]
    note_col = sheet.max_column + 1
    sheet.cell(rows[first] - 1, note_col).value = "備考"
    sheet.cell(rows[first], note_col).value = BESIDE
    sheet.cell(max(rows.values()) + 1, 1).value = UNDER
    cell = locate(sheet, second, FIGURE_YEAR, "plan")
    sheet[cell].comment = Comment(COMMENT, "山田")
    memo = book.create_sheet("メモ")
    memo["A1"] = MEMO
    memo["B2"] = f"='{sheet.title}'!{cell}*2"
    book.save(path)
    return path


def _indicator_rows(sheet) -> dict[str, int]:
    """Label -> row of the indicator table, read through its ID column like the app."""
    marker = next(c.row for (c,) in sheet.iter_rows(max_col=1) if L.marker_of(c.value) == L.INDICATORS)
    header = marker + 2
    id_col = next(c for c in range(1, sheet.max_column + 1) if sheet.cell(header, c).value == L.ID_HEADER)
    rows = {}
    for row in range(header + 1, sheet.max_row + 1):
        if L.marker_of(sheet.cell(row, 1).value):
            break
        if sheet.cell(row, id_col).value:
            rows[sheet.cell(row, 1).value] = row
    return rows


def _id_column(sheet) -> int:
    marker = next(c.row for (c,) in sheet.iter_rows(max_col=1) if L.marker_of(c.value) == L.INDICATORS)
    return next(c for c in range(1, sheet.max_column + 1) if sheet.cell(marker + 2, c).value == L.ID_HEADER)


def _find(sheet, text) -> tuple[int, int]:
    return next((c.row, c.column) for row in sheet.iter_rows() for c in row if c.value == text)


def _comments(sheet) -> dict[str, str]:
    return {c.coordinate: c.comment.text for row in sheet.iter_rows() for c in row if c.comment}


def assert_planners_things(path, first: str | None, second: str | None) -> None:
    """The note beside the table is in ``first``'s row (None: that indicator is gone, the note is in a row of its own),
    the comment on ``second``'s figure and the formula points at it, the note under the table right below its last row,
    the sheet 「メモ」 is there."""
    book = load_workbook(path)
    sheet = find_sheet(book, 2)
    rows = _indicator_rows(sheet)
    row, col = _find(sheet, BESIDE)
    assert col > _id_column(sheet)  # right of the table and its hidden ID column
    if first is not None:
        assert row == rows[first], "the planner's note stays in its indicator's row"
    else:
        assert sheet.cell(row, 1).value is None and row not in rows.values()
    if second is not None:
        cell = locate(sheet, second, FIGURE_YEAR, "plan")
        assert _comments(sheet) == {cell: COMMENT}, "the comment stays on its figure"
        assert book["メモ"]["B2"].value == f"='{sheet.title}'!{cell}*2", "the formula follows the figure"
    assert _find(sheet, UNDER) == (max(rows.values()) + 1, 1), "the note under the table stays under it"
    assert book["メモ"]["A1"].value == MEMO


def saved(plan, path):
    """Save ``plan`` to ``path`` (save_plan verifies the read-back); return the plan read back."""
    save_plan(plan, path)
    again = load_plan(path)
    assert plan_snapshot(again) == plan_snapshot(plan)
    assert again.load_warnings == []
    return again


def fingerprint(path) -> dict:
    """Everything of a workbook a save could disturb: cells (values, formats, styles, comments), merged ranges, row
    heights, column widths and hidden flags, frozen panes, sheet order."""
    book = load_workbook(path)
    out: dict = {"sheets": book.sheetnames}
    for ws in book.worksheets:
        cells = {c.coordinate: (c.value, c.number_format, repr((c.font, c.border, c.fill, c.alignment)),
                                c.comment.text if c.comment else None)
                 for row in ws.iter_rows() for c in row if c.value is not None or c.has_style or c.comment}
        out[ws.title] = (cells, sorted(map(str, ws.merged_cells.ranges)), ws.freeze_panes,
                         {r: (d.height, d.hidden) for r, d in ws.row_dimensions.items() if d.height or d.hidden},
                         {(d.min, d.max): (d.width, d.hidden) for d in ws.column_dimensions.values()})
    return out


def assert_resave_keeps_everything(again, first_out, tmp_path) -> None:
    """The common case after a structure edit: the plan read back saved again, with no change, changes nothing."""
    second = tmp_path / "again.xlsx"
    saved(again, second)
    assert fingerprint(second) == fingerprint(first_out)


def set_years(plan, years) -> None:
    """What the core does when the years change: the forecast follows and dropped years' figures leave the plan."""
    plan.years = years
    plan.forecast_inputs.years = years
    for section in plan.sections:
        for indicator in section.indicators:
            for values in (indicator.plan, indicator.actual):
                for year in [y for y in values if y not in years]:
                    del values[year]
    for key in [k for k in plan.forecast_inputs.cells if k[1] is not None and k[1] not in years]:
        del plan.forecast_inputs.cells[key]
    plan.recompute()


def year_tables(sheet) -> list[tuple[int, list]]:
    """(marker row, year labels of its top header row) for every fiscal-year table of a sheet."""
    out = []
    for (cell,) in sheet.iter_rows(max_col=1):
        if L.marker_of(cell.value) == L.NARRATIVE:
            break  # headings in the narrative may read like markers
        if L.marker_of(cell.value) in (L.INDICATORS, L.FORECAST, L.AGE, L.EXCLUDED):
            top = cell.row + 1
            out.append((cell.row, [sheet.cell(top, c).value for c in range(L.FIRST_YEAR_COL, sheet.max_column + 1)
                                   if str(sheet.cell(top, c).value or "").startswith("R")]))
    return out


# --- the common case -----------------------------------------------------------------------------------------

def test_without_a_structure_change_the_workbook_stays_as_it_was(planners, tmp_path):
    plan = load_plan(planners)
    out = tmp_path / "same.xlsx"
    saved(plan, out)
    before, after = fingerprint(planners), fingerprint(out)
    five = find_sheet(load_workbook(planners), 5).title
    assert {k: v for k, v in after.items() if k != five} == {k: v for k, v in before.items() if k != five}
    cells_before, cells_after = before[five][0], after[five][0]
    changed = {cell for cell in cells_before.keys() | cells_after.keys() if cells_before.get(cell) != cells_after.get(cell)}
    # Only the figure the published plan prints as 0.161 %, which the forecast computes as 0.160 %: derived cells are
    # written as recomputed.
    assert changed == {locate(find_sheet(load_workbook(planners), 5), "児童人口に対する措置率", 2029, "plan")}
    assert before[five][1:] == after[five][1:]
    section = plan.section(2)
    assert_planners_things(out, section.indicators[0].label, section.indicators[1].label)


def test_two_saves_of_one_plan_give_the_same_workbook(planners, tmp_path):
    """Autosave then save: each starts from the bytes read at load, so the first must not change the places."""
    plan = load_plan(planners)
    plan.section(2).indicators.insert(1, Indicator("新しい指標", "人", id="2-new"))
    set_years(plan, tuple(range(2024, 2032)))
    saved(plan, tmp_path / "autosave.xlsx")
    saved(plan, tmp_path / "save.xlsx")
    assert fingerprint(tmp_path / "autosave.xlsx") == fingerprint(tmp_path / "save.xlsx")


# --- indicators ----------------------------------------------------------------------------------------------

def test_an_indicator_added_in_the_middle_gets_a_row_and_what_is_below_moves_down(planners, tmp_path):
    plan = load_plan(planners)
    section = plan.section(2)
    first, second = section.indicators[0].label, section.indicators[1].label
    status_row = _find(find_sheet(load_workbook(planners), 2), L.STATUS)[0]
    section.indicators.insert(1, Indicator("新しい指標", "人", id="2-new"))
    plan.set_figure(FigureRef(2, "2-new", 2026, "plan"), "12人")
    out = tmp_path / "added.xlsx"
    again = saved(plan, out)

    sheet = find_sheet(load_workbook(out), 2)
    rows = _indicator_rows(sheet)
    assert list(rows) == [i.label for i in section.indicators]
    assert rows["新しい指標"] == rows[first] + 1 and rows[second] == rows["新しい指標"] + 1
    assert sheet.cell(rows["新しい指標"], _id_column(sheet)).value == "2-new"
    new_cell = sheet[locate(sheet, "新しい指標", 2026, "plan")]
    assert new_cell.value == 12 and new_cell.style == "計画 数値"
    assert sheet[locate(sheet, "新しい指標", 2027, "plan")].number_format == '#,##0"人"'  # empty, ready for typing
    assert _find(sheet, L.STATUS)[0] == status_row + 1
    assert sheet.freeze_panes == "D6"
    assert_planners_things(out, first, second)
    assert_resave_keeps_everything(again, out, tmp_path)


@pytest.mark.parametrize("index", [0, 4])
def test_an_indicator_added_first_or_last_stays_inside_the_table(planners, tmp_path, index):
    plan = load_plan(planners)
    section = plan.section(2)
    first, second = section.indicators[0].label, section.indicators[1].label
    section.indicators.insert(index, Indicator("新しい指標", "件", id="2-new"))
    out = tmp_path / "added.xlsx"
    saved(plan, out)
    assert list(_indicator_rows(find_sheet(load_workbook(out), 2))) == [i.label for i in section.indicators]
    assert_planners_things(out, first, second)


def test_an_indicator_removed_takes_its_row_unless_the_planner_wrote_in_it(planners, tmp_path):
    plan = load_plan(planners)
    section = plan.section(2)
    noted, second, third = (i.label for i in section.indicators[:3])
    before = _indicator_rows(find_sheet(load_workbook(planners), 2))
    status_row = _find(find_sheet(load_workbook(planners), 2), L.STATUS)[0]
    del section.indicators[2]  # a row of the app's alone: deleted, the rows below move up
    del section.indicators[0]  # the row with the planner's note: emptied of the plan, kept with the note
    out = tmp_path / "removed.xlsx"
    again = saved(plan, out)

    sheet = find_sheet(load_workbook(out), 2)
    rows = _indicator_rows(sheet)
    assert list(rows) == [i.label for i in section.indicators]
    assert third not in [c.value for (c,) in sheet.iter_rows(max_col=1)]
    note_row, _ = _find(sheet, BESIDE)
    assert note_row == before[noted] and all(sheet.cell(note_row, c).value is None for c in range(1, _id_column(sheet) + 1))
    assert _find(sheet, L.STATUS)[0] == status_row - 1
    assert_planners_things(out, None, second)
    assert_resave_keeps_everything(again, out, tmp_path)


def test_indicators_reordered_take_their_notes_comments_and_formulas_along(planners, tmp_path):
    plan = load_plan(planners)
    section = plan.section(2)
    first, second = section.indicators[0].label, section.indicators[1].label
    section.indicators.reverse()
    out = tmp_path / "reordered.xlsx"
    again = saved(plan, out)

    sheet = find_sheet(load_workbook(out), 2)
    assert list(_indicator_rows(sheet)) == [i.label for i in section.indicators]
    assert_planners_things(out, first, second)
    assert_resave_keeps_everything(again, out, tmp_path)


def test_a_label_unit_and_direction_changed_are_written_in_their_row(planners, tmp_path):
    from kawasaki_planner.core.plan import Direction

    plan = load_plan(planners)
    indicator = plan.section(2).indicators[0]
    indicator.label, indicator.direction = "意見表明支援を利用できる児童数", Direction.AT_LEAST
    out = tmp_path / "edited.xlsx"
    saved(plan, out)
    assert_planners_things(out, "意見表明支援を利用できる児童数", plan.section(2).indicators[1].label)


# --- status rows and narrative blocks ------------------------------------------------------------------------

def test_status_rows_and_narrative_blocks_added_removed_moved_and_edited(planners, tmp_path):
    book = load_workbook(planners)
    sheet = find_sheet(book, 2)
    moved = load_plan(planners).section(2).status[1]
    moved_row = _find(sheet, moved.item)[0]
    height = sheet.row_dimensions[moved_row].height
    sheet.cell(moved_row, 20).value = "状況の出典: 事業報告"  # the planner's note beside a status row
    book.save(planners)
    plan = load_plan(planners)
    section = plan.section(2)
    first, second = section.indicators[0].label, section.indicators[1].label
    section.status.insert(0, section.status.pop(1))
    section.status[1] = StatusItem(section.status[1].item, "内容を書き直しました")
    section.status.append(StatusItem("新しい項目", "新しい取組の内容"))
    section.narrative.insert(1, NarrativeBlock("(2) 追加の見出し", "一行目\n二行目"))
    del section.narrative[0]
    out = tmp_path / "texts.xlsx"
    again = saved(plan, out)

    sheet = find_sheet(load_workbook(out), 2)
    row = _find(sheet, moved.item)[0]
    assert sheet.cell(row, 20).value == "状況の出典: 事業報告" and sheet.row_dimensions[row].height == height
    new_row = _find(sheet, "新しい項目")[0]
    assert f"B{new_row}:O{new_row}" in {str(r) for r in sheet.merged_cells.ranges}
    assert _find(sheet, "新しい取組の内容") == (new_row, 2)
    assert_planners_things(out, first, second)
    assert_resave_keeps_everything(again, out, tmp_path)


def test_a_section_without_indicators_or_status_gets_its_first_table_and_status(planners, tmp_path):
    plan = load_plan(planners)
    one = plan.section(1)
    one.indicators.append(Indicator("基本的な考え方の指標", "件", id="1-1"))
    one.status.append(StatusItem("体制整備", "取組の内容"))
    out = tmp_path / "first_table.xlsx"
    again = saved(plan, out)
    sheet = find_sheet(load_workbook(out), 1)
    markers = [L.marker_of(c.value) for (c,) in sheet.iter_rows(max_col=1) if L.marker_of(c.value)]
    assert markers == [L.INDICATORS, L.STATUS, L.NARRATIVE]
    assert sheet.column_dimensions[get_column_letter(_id_column(sheet))].hidden
    assert_planners_things(out, plan.section(2).indicators[0].label, plan.section(2).indicators[1].label)
    assert_resave_keeps_everything(again, out, tmp_path)


# --- fiscal years --------------------------------------------------------------------------------------------

def test_years_extended_add_two_columns_per_year_to_every_table(planners, tmp_path):
    plan = load_plan(planners)
    before = load_workbook(planners)
    note_col = _find(find_sheet(before, 2), BESIDE)[1]
    years = tuple(range(2024, 2035))  # R6–R16
    set_years(plan, years)
    plan.set_figure(forecast_ref("population", 2032), "210,000")
    plan.set_figure(FigureRef(7, plan.section(7).indicators[0].id, 2034, "plan"), "4班")
    out = tmp_path / "years.xlsx"
    again = saved(plan, out)

    book = load_workbook(out)
    labels = [year_label(y) for y in years]
    for number in (2, 3, 4, 5, 6, 7):
        sheet = find_sheet(book, number)
        for marker_row, found in year_tables(sheet):
            assert found == labels, (sheet.title, marker_row)
            bottom = [sheet.cell(marker_row + 2, c).value for c in range(L.FIRST_YEAR_COL, L.FIRST_YEAR_COL + 2 * len(years))]
            plan_header = L.FORECAST_PLAN_HEADER if number == FORECAST_SECTION else L.PLAN_HEADER
            assert bottom == [plan_header, L.ACTUAL_HEADER] * len(years)
        if number != FORECAST_SECTION:
            id_col = _id_column(sheet)
            assert id_col == L.FIRST_YEAR_COL + 2 * len(years)  # the hidden ID column moved right of the new years
            hidden = [d for d in sheet.column_dimensions.values() if d.hidden]
            assert [(d.min, d.max) for d in hidden] == [(id_col, id_col)]
            assert sheet.column_dimensions[get_column_letter(id_col - 1)].width == 12
    assert _find(find_sheet(book, 2), BESIDE)[1] == note_col + 10  # the planner's column moved with the table
    five = find_sheet(book, 5)
    assert five[locate(five, "児童人口", 2032, "plan")].value == 210000
    assert [five.cell(r, L.FIRST_YEAR_COL).value for r in range(_find(five, L.SHARES)[0] + 2, _find(five, L.SHARES)[0] + 5)] \
        == [0.094, 0.141, 0.765]  # the 構成比 table is read at column D
    assert_planners_things(out, plan.section(2).indicators[0].label, plan.section(2).indicators[1].label)
    assert_resave_keeps_everything(again, out, tmp_path)


def test_a_first_year_dropped_closes_every_table_up(planners, tmp_path):
    plan = load_plan(planners)
    note_col = _find(find_sheet(load_workbook(planners), 2), BESIDE)[1]
    set_years(plan, tuple(range(2025, 2030)))  # R6 leaves the plan
    out = tmp_path / "dropped.xlsx"
    again = saved(plan, out)

    book = load_workbook(out)
    for number in (2, 5):
        sheet = find_sheet(book, number)
        for marker_row, found in year_tables(sheet):
            assert found == [year_label(y) for y in plan.years], (sheet.title, marker_row)
    sheet = find_sheet(book, 2)
    assert _id_column(sheet) == L.FIRST_YEAR_COL + 2 * len(plan.years)
    assert [d.min for d in sheet.column_dimensions.values() if d.hidden] == [_id_column(sheet)]
    assert _find(sheet, BESIDE)[1] == note_col - 2
    five = find_sheet(book, 5)
    assert five.cell(_find(five, L.SHARES)[0] + 2, L.FIRST_YEAR_COL).value == 0.094
    assert_planners_things(out, plan.section(2).indicators[0].label, plan.section(2).indicators[1].label)
    assert_resave_keeps_everything(again, out, tmp_path)


def test_a_year_added_before_the_first_leaves_the_shares_table_at_column_d(planners, tmp_path):
    plan = load_plan(planners)
    set_years(plan, tuple(range(2023, 2030)))
    out = tmp_path / "earlier.xlsx"
    again = saved(plan, out)
    five = find_sheet(load_workbook(out), 5)
    shares = _find(five, L.SHARES)[0]
    assert [five.cell(shares + 1, c).value for c in range(1, 5)] == ["年齢区分", "単位", "入力/計算", "構成比"]
    assert_planners_things(out, plan.section(2).indicators[0].label, plan.section(2).indicators[1].label)
    assert_resave_keeps_everything(again, out, tmp_path)


def test_a_year_dropped_last_and_years_added_together(planners, tmp_path):
    plan = load_plan(planners)
    set_years(plan, (2024, 2025, 2026, 2027, 2028, 2030, 2031))  # R11 out, R12 and R13 in
    out = tmp_path / "both.xlsx"
    again = saved(plan, out)
    sheet = find_sheet(load_workbook(out), 6)
    assert year_tables(sheet)[0][1] == [year_label(y) for y in plan.years]
    assert_resave_keeps_everything(again, out, tmp_path)


# --- sections ------------------------------------------------------------------------------------------------

def test_a_section_added_gets_a_sheet_laid_out_anew_before_the_info_sheet(planners, tmp_path):
    plan = load_plan(planners)
    plan.sections.append(Section(8, "8 里親・ファミリーホームへの委託の推進に向けた取組", "里親等委託の推進",
                                 narrative=[NarrativeBlock("(1) 現状", "本文")], status=[StatusItem("委託率", "現状")],
                                 indicators=[Indicator("里親等委託率", "%", id="8-1")]))
    plan.set_figure(FigureRef(8, "8-1", 2029, "plan"), "40%")
    out = tmp_path / "section8.xlsx"
    again = saved(plan, out)
    names = load_workbook(out).sheetnames
    assert names[names.index("7 パーマネンシー保障") + 1] == "8 里親等委託の推進"
    assert names.index("8 里親等委託の推進") < names.index(L.INFO_SHEET) < names.index("メモ")
    info = {row[0].value: row[1].value for row in load_workbook(out)[L.INFO_SHEET].iter_rows()}
    assert info[L.SECTIONS_KEY] == "1,2,3,4,5,6,7,8"
    assert_planners_things(out, plan.section(2).indicators[0].label, plan.section(2).indicators[1].label)
    assert_resave_keeps_everything(again, out, tmp_path)


def test_the_guideline_section_8_with_its_computed_rows_is_saved_and_read_back(planners, tmp_path):
    from kawasaki_planner.core import structure

    plan = load_plan(planners)
    structure.insert_section(plan, structure.new_section(plan, "8 里親・ファミリーホームへの委託の推進に向けた取組",
                                                         "里親等委託の推進", number=8))
    rate = next(i for i in plan.section(8).indicators if i.role.startswith("foster_rate."))
    plan.set_figure(FigureRef(8, rate.id, 2029, "plan"), "50%")
    out = tmp_path / "guideline8.xlsx"
    again = saved(plan, out)
    assert_resave_keeps_everything(again, out, tmp_path)


def test_a_section_removed_takes_its_sheet_and_the_rest_stays(planners, tmp_path):
    plan = load_plan(planners)
    plan.sections = [s for s in plan.sections if s.number != 3]
    out = tmp_path / "removed3.xlsx"
    again = saved(plan, out)
    assert "3 児童家庭支援体制" not in load_workbook(out).sheetnames
    assert_planners_things(out, plan.section(2).indicators[0].label, plan.section(2).indicators[1].label)
    assert_resave_keeps_everything(again, out, tmp_path)


def test_a_section_renamed_renames_its_sheet_and_the_formulas_that_point_at_it(planners, tmp_path):
    plan = load_plan(planners)
    section = plan.section(2)
    section.title, section.short_title = "2 こどもの権利擁護の取組", "こどもの権利擁護"
    out = tmp_path / "renamed.xlsx"
    again = saved(plan, out)
    book = load_workbook(out)
    assert "2 こどもの権利擁護" in book.sheetnames and "2 権利擁護" not in book.sheetnames
    assert book["2 こどもの権利擁護"]["A1"].value == "2 こどもの権利擁護の取組"
    assert_planners_things(out, section.indicators[0].label, section.indicators[1].label)
    assert_resave_keeps_everything(again, out, tmp_path)


# --- a version-1 workbook ------------------------------------------------------------------------------------

def test_a_version_1_workbook_takes_an_indicator_and_a_year(tmp_path):
    path = tmp_path / "v1.xlsx"
    shutil.copy(V1_SAMPLE, path)
    plan = load_plan(path)
    merged_before = {str(r) for r in find_sheet(load_workbook(path), 2).merged_cells.ranges}
    plan.section(2).indicators.insert(2, Indicator("新しい指標", "人", id="2-new"))
    set_years(plan, tuple(range(2024, 2031)))
    out = tmp_path / "v1_saved.xlsx"
    again = saved(plan, out)
    sheet = find_sheet(load_workbook(out), 2)
    rows = _indicator_rows(sheet)
    assert list(rows) == [i.label for i in plan.section(2).indicators]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    header_merges = {m for m in merged_before if m[1] == "4" or m.startswith(("A4", "B4", "C4"))}
    assert header_merges <= merged  # the version-1 merged year headers stay
    assert sheet.column_dimensions[get_column_letter(_id_column(sheet))].hidden
    assert year_tables(sheet)[0][1] == [year_label(y) for y in plan.years]
    assert_resave_keeps_everything(again, out, tmp_path)


# --- what cannot be done is refused, and the file stays as it was --------------------------------------------

def _refused(plan, path, *needles) -> None:
    before = path.read_bytes()
    with pytest.raises(SaveError) as raised:
        save_plan(plan, path)
    assert path.read_bytes() == before
    for needle in needles:
        assert needle in str(raised.value)


def test_rows_under_a_merged_note_cannot_be_reordered_and_the_save_says_so(planners):
    book = load_workbook(planners)
    sheet = find_sheet(book, 2)
    rows = list(_indicator_rows(sheet).values())
    col = _find(sheet, BESIDE)[1]
    sheet.merge_cells(start_row=rows[0], start_column=col, end_row=rows[1], end_column=col)
    book.save(planners)
    plan = load_plan(planners)
    plan.section(2).indicators.reverse()
    ref = f"{get_column_letter(col)}{rows[0]}:{get_column_letter(col)}{rows[1]}"
    _refused(plan, planners, "シート「2 権利擁護」", ref, "結合")


def test_a_dropped_year_with_the_planners_text_in_its_column_is_refused_naming_the_cell(planners):
    book = load_workbook(planners)
    sheet = find_sheet(book, 2)
    blank = list(_indicator_rows(sheet).values())[1]
    sheet_shift.insert_rows(sheet, blank, 1)  # a blank row inside the table, with a remark typed under R6
    sheet.cell(blank, L.FIRST_YEAR_COL).value = "R6は参考値"
    book.save(planners)
    plan = load_plan(planners)
    set_years(plan, tuple(range(2025, 2030)))
    _refused(plan, planners, "シート「2 権利擁護」", f"D{blank}", "R6年度")


def test_removing_section_7_removes_its_sheet_and_the_deduction(planners, tmp_path):
    from kawasaki_planner.core import structure as st

    plan = load_plan(planners)
    st.remove_section(plan, 7)
    out = tmp_path / "without7.xlsx"
    save_plan(plan, out)
    again = load_plan(out)
    assert 7 not in [s.number for s in again.sections] and again.adoption_indicator() is None
    assert plan_snapshot(again) == plan_snapshot(plan)


def test_removing_section_5_is_refused(planners):
    plan = load_plan(planners)
    plan.sections = [s for s in plan.sections if s.number != 5]
    _refused(plan, planners, "節5")


def test_a_short_title_the_sheet_name_cannot_hold_is_refused(planners):
    plan = load_plan(planners)
    plan.section(2).short_title = "権利/擁護"
    _refused(plan, planners, "権利/擁護", "シート名")


# --- sheet_shift: what moves with rows and columns ------------------------------------------------------------

@pytest.fixture
def sheet():
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "表"
    for row in range(1, 11):
        for col in range(1, 6):
            ws.cell(row, col, f"{get_column_letter(col)}{row}")
    ws.merge_cells("B3:C3")
    ws.merge_cells("E4:E7")
    ws.row_dimensions[5].height = 40
    ws.column_dimensions["C"].width = 30
    ws.freeze_panes = "C3"
    ws["A5"].comment = Comment("メモ", "山田")
    ws.conditional_formatting.add("B4:D8", CellIsRule(operator="greaterThan", formula=["1"]))
    validation = DataValidation(type="list", formula1='"a,b"')
    validation.add("D2:D9")
    ws.add_data_validation(validation)
    other = book.create_sheet("他")
    other["A1"] = "=表!A5+SUM(表!B4:B8)+'表'!C9"
    return ws


def test_inserted_rows_move_cells_merges_heights_comments_ranges_and_references(sheet):
    sheet_shift.insert_rows(sheet, 5, 2)
    assert sheet["A7"].value == "A5" and sheet["A7"].comment.text == "メモ" and sheet["A5"].value is None
    assert {str(r) for r in sheet.merged_cells.ranges} == {"B3:C3", "E4:E9"}  # a range the rows went into grows
    assert sheet.row_dimensions[7].height == 40 and sheet.row_dimensions[5].height is None
    assert sheet.freeze_panes == "C3"  # rows inserted below the frozen header leave it
    assert [str(cf.sqref) for cf in sheet.conditional_formatting] == ["B4:D10"]
    assert str(sheet.data_validations.dataValidation[0].sqref) == "D2:D11"
    assert sheet.parent["他"]["A1"].value == "=表!A7+SUM(表!B4:B10)+'表'!C11"


def test_deleted_rows_take_what_is_in_them_and_references_to_them_become_ref_errors(sheet):
    sheet_shift.delete_rows(sheet, 5)
    assert sheet["A5"].value == "A6" and sheet["A5"].comment is None
    assert {str(r) for r in sheet.merged_cells.ranges} == {"B3:C3", "E4:E6"}
    assert sheet.parent["他"]["A1"].value == "=#REF!+SUM(表!B4:B7)+'表'!C8"
    sheet_shift.delete_rows(sheet, 1, 2)
    assert sheet.freeze_panes == "C1"


def test_reordered_rows_change_places_with_everything_in_them(sheet):
    sheet.unmerge_cells("E4:E7")
    sheet_shift.reorder_rows(sheet, {5: 9, 9: 5})
    assert sheet["A9"].value == "A5" and sheet["A9"].comment.text == "メモ" and sheet["A5"].value == "A9"
    assert sheet.row_dimensions[9].height == 40
    assert sheet.parent["他"]["A1"].value == "=表!A9+SUM(表!B4:B8)+'表'!C5"  # a range over the rows covers them still
    sheet.merge_cells("D5:D6")
    with pytest.raises(SaveError, match="D5:D6"):  # a range over rows of which one would move: refused, nothing moved
        sheet_shift.reorder_rows(sheet, {6: 8, 8: 6})
    assert sheet["A6"].value == "A6"


def test_whole_columns_move_with_their_widths_and_rows_kept_in_place_stay(sheet):
    sheet_shift.insert_cols(sheet, 2, 2, keep_rows=[(9, 10)])
    assert sheet["D1"].value == "B1" and sheet["B9"].value == "B9"  # rows 9 and 10 keep their cells
    assert sheet.column_dimensions["E"].width == 30
    assert sheet.freeze_panes == "E3"
    sheet_shift.delete_cols(sheet, 2, 2)
    assert sheet["B1"].value == "B1" and sheet.column_dimensions["C"].width == 30


def test_columns_closed_up_within_some_rows_leave_the_rest_of_the_sheet(sheet):
    sheet.unmerge_cells("E4:E7")
    sheet_shift.close_cols(sheet, 2, 1, (1, 4), end=4)
    assert [sheet.cell(1, c).value for c in range(1, 6)] == ["A1", "C1", "D1", None, "E1"]
    assert [sheet.cell(9, c).value for c in range(1, 6)] == ["A9", "B9", "C9", "D9", "E9"]
    assert sheet.column_dimensions["C"].width == 30


def test_a_span_of_columns_is_split_for_one_column_of_it():
    from openpyxl import Workbook

    ws = Workbook().active
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["C"].min, ws.column_dimensions["C"].max = 3, 15  # as LibreOffice writes them
    sheet_shift.column_dimension(ws, 6).hidden = True
    spans = sorted((d.min, d.max, d.width, d.hidden) for d in ws.column_dimensions.values())
    assert spans == [(3, 5, 12, False), (6, 6, 12, True), (7, 15, 12, False)]


def test_every_indicator_has_cells_for_a_new_year(planners, tmp_path):
    plan = load_plan(planners)
    set_years(plan, tuple(range(2025, 2033)))
    changes = [(FigureRef(s.number, i.id, 2032, kind), "1") for s in plan.sections for i in s.indicators for kind in KINDS]
    plan.set_figures(changes)
    again = saved(plan, tmp_path / "all.xlsx")
    assert all(again.figure(ref).number == 1 for ref, _ in changes)


# --- random structure edits ------------------------------------------------------------------------------------

_EDITS = hs.lists(hs.tuples(hs.sampled_from(["add", "remove", "move", "status", "unstatus", "narrative", "years", "section",
                                             "unsection", "rename"]),
                            hs.integers(0, 99), hs.integers(0, 99), hs.integers(0, 99)), min_size=1, max_size=6)


def _apply(plan, edit) -> None:
    """One structure edit, its numbers taken modulo what the plan has (sections 5 and 7 stay: the reader needs them)."""
    kind, a, b, c = edit
    section = plan.sections[a % len(plan.sections)]
    items = section.indicators
    if kind == "add":
        unit = ["人", "件", "%", ""][c % 4]
        number = 1 + max([int(i.id[1:]) for s in plan.sections for i in s.indicators if i.id[1:].isdigit()] or [0])
        # Without a unit a row prints none: print_unit is what reading the row back gives (core should set it so).
        items.insert(b % (len(items) + 1), Indicator(f"指標{number}", unit, bool(unit), id=f"n{number}"))
    elif kind == "remove" and items:
        items.pop(b % len(items))
    elif kind == "move" and items:
        items.insert(c % len(items), items.pop(b % len(items)))
    elif kind == "status":
        section.status.insert(b % (len(section.status) + 1), StatusItem(f"項目{b}", f"内容{c}"))
    elif kind == "unstatus" and section.status:
        section.status.pop(b % len(section.status))
    elif kind == "narrative" and section.narrative:
        section.narrative.insert(c % len(section.narrative), section.narrative.pop(b % len(section.narrative)))
        section.narrative[b % len(section.narrative)] = NarrativeBlock(f"見出し{c}", f"本文{a}\n二行目")
    elif kind == "years":
        set_years(plan, tuple(range(2023 + b % 3, 2027 + c % 8)))
    elif kind == "section" and not any(s.number == 8 + b % 3 for s in plan.sections):
        number = 8 + b % 3
        plan.sections.insert(sum(1 for s in plan.sections if s.number < number),
                             Section(number, f"{number} 新しい節", f"新しい節{number}", status=[StatusItem("項目", "内容")]))
    elif kind == "unsection" and section.number not in (FORECAST_SECTION, 7):
        plan.sections.remove(section)
    elif kind == "rename":
        section.short_title = f"{section.short_title[:6]}{c}"


@settings(max_examples=10, deadline=None)
@given(edits=_EDITS)
def test_random_structure_edits_save_read_back_and_lose_nothing_of_the_planners(tmp_path_factory, edits):
    folder = tmp_path_factory.mktemp("random")
    path = folder / "plan.xlsx"
    path.write_bytes(_planners_bytes())
    plan = load_plan(path)
    for edit in edits:
        _apply(plan, edit)
    out = folder / "edited.xlsx"
    again = saved(plan, out)
    book = load_workbook(out)
    assert book["メモ"]["A1"].value == MEMO
    if any(s.number == 2 for s in plan.sections):
        sheet = find_sheet(book, 2)
        assert _find(sheet, BESIDE) and _find(sheet, UNDER)
    assert_resave_keeps_everything(again, out, folder)


@functools.cache
def _planners_bytes() -> bytes:
    """The workbook of the ``planners`` fixture, made once for the random cases."""
    import tempfile
    from pathlib import Path

    from tests.conftest import SAMPLE

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.xlsx"
        shutil.copy(SAMPLE, path)
        return with_planners_things(path).read_bytes()
