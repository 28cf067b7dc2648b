"""The workbook format: the published plan, exact round trips, Excel-style edits, and clear refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kawasaki_planner.core.plan import ADOPTION_LABEL, FigureRef, forecast_ref
from kawasaki_planner.io import layout as L
from kawasaki_planner.io.errors import PlanFormatError
from kawasaki_planner.io.tidy import tidy_rows
from kawasaki_planner.io.workbook import load_plan, save_plan
from tests.io.workbook_edit import edit, find_sheet, locate
from tests.published import PRINTED_FLAW, PUBLISHED


def plan_state(plan):
    """Everything a round trip must keep: texts, numbers, notes, units, directions, inputs."""
    state = [plan.title, plan.years, plan.first_forecast_year, sorted(plan.forecast_inputs.cells.items(), key=str)]
    for s in plan.sections:
        state.append((s.number, s.title, s.short_title, [(b.heading, b.text) for b in s.narrative],
                      [(x.item, x.description) for x in s.status]))
        for i in s.indicators:
            state.append((i.label, i.unit, i.print_unit, i.direction, sorted(i.plan.items()), sorted(i.actual.items())))
    return state


def test_sample_holds_every_published_figure_as_printed(sample_plan):
    exported = {(r["section"], r["indicator"], r["fiscal_year"], r["kind"]): r["text"] for r in tidy_rows(sample_plan)}
    figures = [p for p in PUBLISHED if p[4] != "-"]
    assert len(figures) == 239
    for section, label, year, kind, text in figures:
        expected = PRINTED_FLAW.get((section, label, year, kind), (None, text))[1]
        assert exported[(section, label, year, kind)] == expected, (section, label, year, kind)
    assert len(exported) == 239


def test_sample_stores_the_derived_rows_as_printed(sample_plan):
    assert sample_plan.stored_derived[("rate", 2029, "plan")].text == "0.161%"
    assert sample_plan.stored_derived[("eligible.total", 2024, "actual")].text == "296"


def test_sample_matches_its_source(sample_plan, published_plan):
    assert plan_state(sample_plan) == plan_state(published_plan)


def test_load_save_load_is_identical(sample_plan, tmp_path):
    first = tmp_path / "a.xlsx"
    save_plan(sample_plan, first)
    again = load_plan(first)
    assert plan_state(again) == plan_state(sample_plan)
    second = tmp_path / "b.xlsx"
    save_plan(again, second)
    assert plan_state(load_plan(second)) == plan_state(sample_plan)


def test_sheets_read_like_the_plan(sample_path):
    book = load_workbook(sample_path)
    assert book.sheetnames == [
        "1 基本的な考え方", "2 権利擁護", "3 児童家庭支援体制", "4 妊産婦等支援",
        "5 代替養育の見込み", "6 一時保護", "7 パーマネンシー保障", L.INFO_SHEET,
    ]
    sheet = book["2 権利擁護"]
    assert sheet["A1"].value.startswith("2 当事者である子どもの権利擁護の取組")
    assert sheet.freeze_panes == "D6"
    headers = [sheet.cell(4, c).value for c in range(4, 16, 2)]
    assert headers == ["R6年度 (2024)", "R7年度 (2025)", "R8年度 (2026)", "R9年度 (2027)", "R10年度 (2028)", "R11年度 (2029)"]
    assert [sheet.cell(5, c).value for c in (4, 5)] == ["目標", "実績"]
    assert book[L.INFO_SHEET]["B1"].value == L.FORMAT_VERSION


def test_cells_are_numbers_that_print_as_the_plan_does(sample_path):
    book = load_workbook(sample_path)
    five = find_sheet(book, 5)
    population = five[locate(five, "児童人口", 2025, "plan")]
    assert population.value == 241047 and population.number_format == "#,##0"
    rate = five[locate(five, "児童人口に対する措置率", 2025, "plan")]
    assert rate.value == pytest.approx(0.00144) and rate.number_format == "0.000%"
    two = find_sheet(book, 2)
    training = two[locate(two, "子どもの権利擁護に関する研修の実施回数(年)", 2026, "plan")]
    assert training.value == 1 and training.number_format == '#,##0"回以上"'
    three = find_sheet(book, 3)
    centres = three[locate(three, "こども家庭センターの設置数", 2025, "plan")]
    assert centres.value == 7 and centres.number_format == '#,##0"か所(試行実施)"'


def test_narrative_and_status_are_on_their_sheet(sample_path):
    book = load_workbook(sample_path)
    texts = [c.value for row in book["6 一時保護"].iter_rows() for c in row if isinstance(c.value, str)]
    assert L.STATUS in texts and L.NARRATIVE in texts
    assert any("中部児童相談所一時保護施設の改築" in t for t in texts)


# --- edits made in a spreadsheet program ------------------------------------------

def exported(path):
    return {(r["indicator"], r["fiscal_year"], r["kind"]): r for r in tidy_rows(load_plan(path))}


def test_population_typed_in_excel_recomputes(sample_path):
    edit(sample_path, 5, "児童人口", 2026, "plan", 250000)
    rows = exported(sample_path)
    # 250,000 × 0.147888 % = 369.72 → 370; minus 6.
    assert rows[("縁組成立控除前措置児童数", 2026, "plan")]["value"] == "370"
    assert rows[("措置児童数", 2026, "plan")]["value"] == "364"
    ages = sum(int(rows[(g, 2026, "plan")]["value"]) for g in ("就学前児童(3歳未満)", "就学前児童(3歳以上)", "就学児童"))
    assert ages == 364


def test_full_width_text_typed_in_excel_is_read(sample_path):
    edit(sample_path, 5, "児童人口", 2026, "plan", "２５０，０００人")
    assert exported(sample_path)[("児童人口", 2026, "plan")]["text"] == "250,000"


def test_growth_and_base_rate_typed_in_excel_recompute(sample_path):
    edit(sample_path, 5, "措置率増加率", 2027, "plan", 0.05)
    edit(sample_path, 5, "児童人口に対する措置率", 2025, "plan", "0.150%")
    plan = load_plan(sample_path)
    rates = plan.forecast.raw_rates
    assert rates[2025] == Decimal("0.150")
    assert rates[2027] == Decimal("0.150") * Decimal("1.027") * Decimal("1.05")
    expected = int((Decimal(233198) * rates[2027] / 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    assert plan.figure(forecast_ref("before_adoption", 2027)).number == expected


def test_adoption_targets_typed_in_section_7_recompute_section_5(sample_path):
    edit(sample_path, 7, ADOPTION_LABEL, 2028, "plan", 12)
    rows = exported(sample_path)
    assert rows[(ADOPTION_LABEL, 2028, "plan")]["text"] == "12件"
    assert rows[("措置児童数", 2028, "plan")]["value"] == str(356 - 12)


def test_a_stale_derived_cell_is_recomputed_and_reported(sample_path):
    edit(sample_path, 5, "措置児童数", 2026, "plan", 999)
    plan = load_plan(sample_path)
    assert plan.figure(forecast_ref("placed", 2026)).text == "345"
    from kawasaki_planner.core.consistency import check_plan

    assert ("placed", 2026) in {(f.row, f.year) for f in check_plan(plan)}


def test_blanks_spaces_and_edited_narrative_are_accepted(sample_path):
    book = load_workbook(sample_path)
    sheet = find_sheet(book, 2)
    sheet[locate(sheet, "意見表明支援を利用可能な児童数", 2026, "plan")].value = "  1,234 人 "
    sheet[locate(sheet, "意見表明支援を利用可能な児童数", 2027, "plan")].value = None
    narrative_row = next(c.row for (c,) in sheet.iter_rows(max_col=1) if c.value == L.NARRATIVE) + 2
    sheet.cell(narrative_row, 2).value = "書き換えた本文"
    book.save(sample_path)
    plan = load_plan(sample_path)
    indicator = plan.section(2).indicator("意見表明支援を利用可能な児童数")
    assert indicator.figure(2026, "plan").text == "1,234人"
    assert indicator.figure(2027, "plan").is_blank
    assert plan.section(2).narrative[0].text == "書き換えた本文"


# --- refusals ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "needle"),
    [("abc", "数値として読めません"), ("5日", "単位"), (True, "TRUE/FALSE")],
)
def test_a_broken_figure_cell_is_named_with_sheet_cell_and_value(sample_path, value, needle):
    coordinate = edit(sample_path, 2, "意見表明支援を利用可能な児童数", 2026, "plan", value)
    with pytest.raises(PlanFormatError) as info:
        load_plan(sample_path)
    message = str(info.value)
    assert "シート「2 権利擁護」" in message and coordinate in message and needle in message
    assert info.value.sheet == "2 権利擁護" and info.value.cell == coordinate


def test_a_date_in_a_figure_cell_is_refused(sample_path):
    import datetime

    coordinate = edit(sample_path, 5, "児童人口", 2026, "plan", datetime.datetime(2026, 4, 1))
    with pytest.raises(PlanFormatError, match=coordinate):
        load_plan(sample_path)


def test_an_unknown_row_in_the_forecast_table_is_named_and_kept(sample_path, tmp_path):
    book = load_workbook(sample_path)
    sheet = find_sheet(book, 5)
    row = next(c.row for (c,) in sheet.iter_rows(max_col=1) if c.value == "措置率増加率")
    sheet.cell(row, 1).value = "増加率?"
    book.save(sample_path)
    plan = load_plan(sample_path)
    warnings = "\n".join(plan.load_warnings)
    assert f"A{row} の値「増加率?」はこの表の行として読めない" in warnings
    assert "「措置率増加率」の行が見つかりません" in warnings
    out = tmp_path / "saved.xlsx"
    save_plan(plan, out)
    assert find_sheet(load_workbook(out), 5).cell(row, 1).value == "増加率?"


def test_an_unreadable_year_header_is_refused(sample_path):
    book = load_workbook(sample_path)
    book["4 妊産婦等支援"]["F4"].value = "来年度"
    book.save(sample_path)
    with pytest.raises(PlanFormatError, match=r"F4.*来年度"):
        load_plan(sample_path)


def test_a_workbook_without_the_plan_is_refused(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    book = Workbook()
    book.active["A1"] = "家計簿"
    book.save(path)
    with pytest.raises(PlanFormatError, match="シート"):
        load_plan(path)


def test_formula_text_is_stored_as_text(sample_plan, tmp_path):
    sample_plan.section(2).status[0].description = "=HYPERLINK(\"http://example.invalid\")"
    path = tmp_path / "f.xlsx"
    save_plan(sample_plan, path)
    cell = next(c for row in load_workbook(path)["2 権利擁護"].iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    assert load_plan(path).section(2).status[0].description.startswith("=HYPERLINK")


def test_a_formula_in_a_figure_cell_is_read_as_its_value_and_reported(sample_path):
    import re
    import zipfile

    edit(sample_path, 4, "研修の実施回数(年間)", 2026, "plan", "=1+1")
    # What Excel saves: the formula with its cached result.
    with zipfile.ZipFile(sample_path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts = {name: re.sub(rb"<f>1\+1</f>(<v\s*/>|<v></v>)?", b"<f>1+1</f><v>2</v>", data) for name, data in parts.items()}
    with zipfile.ZipFile(sample_path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    plan = load_plan(sample_path)
    assert plan.figure(FigureRef(4, "研修の実施回数(年間)", 2026, "plan")).number == 2
    assert any("数式" in w for w in plan.load_warnings)


# --- saving -------------------------------------------------------------------------

def test_save_keeps_the_previous_version_and_verifies_what_it_wrote(sample_plan, tmp_path):
    from kawasaki_planner.core.plan import plan_snapshot

    path = tmp_path / "plan.xlsx"
    save_plan(sample_plan, path)
    first = path.read_bytes()
    sample_plan.set_figure(FigureRef(2, "意見表明支援を利用可能な児童数", 2025, "actual"), "990人")
    assert save_plan(sample_plan, path) == []
    assert (tmp_path / "plan.bak1.xlsx").read_bytes() == first
    assert plan_snapshot(load_plan(path)) == plan_snapshot(sample_plan)


def test_a_save_that_does_not_read_back_the_same_is_refused(sample_plan, tmp_path, monkeypatch):
    from kawasaki_planner.io import workbook_write
    from kawasaki_planner.io.errors import SaveError

    path = tmp_path / "plan.xlsx"
    save_plan(sample_plan, path)
    before = path.read_bytes()
    real_write = workbook_write.write_plan

    def lossy_write(plan, target, progress=None):
        real_write(plan, target, progress)
        book = load_workbook(target)
        sheet = find_sheet(book, 2)
        sheet[locate(sheet, "意見表明支援を利用可能な児童数", 2026, "plan")].value = None
        book.save(target)

    monkeypatch.setattr(workbook_write, "write_plan", lossy_write)
    with pytest.raises(SaveError, match="一致しない"):
        save_plan(sample_plan, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_merged_figure_cells_hidden_rows_and_sheets_are_read_and_reported(sample_path):
    book = load_workbook(sample_path)
    sheet = find_sheet(book, 6)
    coordinate = locate(sheet, "一時保護施設の定員数", 2026, "plan")
    row = sheet[coordinate].row
    sheet.merge_cells(f"{coordinate}:{sheet.cell(row, sheet[coordinate].column + 1).coordinate}")
    hidden_row = row + 1
    sheet.row_dimensions[hidden_row].hidden = True
    find_sheet(book, 4).sheet_state = "hidden"
    book.save(sample_path)
    plan = load_plan(sample_path)
    warnings = "\n".join(plan.load_warnings)
    assert "結合" in warnings and coordinate in warnings
    assert f"{hidden_row}行目は非表示" in warnings
    assert "「4 妊産婦等支援」は非表示" in warnings
    assert plan.figure(FigureRef(6, "一時保護施設の定員数", 2026, "plan")).text == "94人"
    assert plan.figure(FigureRef(6, "一時保護施設の定員数", 2026, "actual")).is_blank


def test_the_reading_pass_keeps_every_merged_range_without_a_cell_object_per_covered_cell(sample_path):
    """Loading opens the workbook only to read it (a save opens the bytes again): the ranges are all there, as the
    full model has them, but their covered cells are not made into MergedCells, which costs a fifth of a load."""
    from openpyxl.cell.cell import MergedCell

    from kawasaki_planner.io.excel_open import open_workbook

    data = sample_path.read_bytes()
    full, reading = open_workbook(data).book, open_workbook(data, for_writing=False).book
    for written, read in zip(full.worksheets, reading.worksheets, strict=True):
        assert read.title == written.title
        assert sorted(map(str, read.merged_cells.ranges)) == sorted(map(str, written.merged_cells.ranges))
        assert not any(isinstance(cell, MergedCell) for cell in read._cells.values())
        values = {key: cell.value for key, cell in written._cells.items() if not isinstance(cell, MergedCell)}
        assert {key: cell.value for key, cell in read._cells.items()} == values
    assert sum(len(ws.merged_cells.ranges) for ws in full.worksheets) > 40  # the sample's text rows
    assert any(isinstance(cell, MergedCell) for ws in full.worksheets for cell in ws._cells.values())


def test_the_sample_itself_has_no_warnings(sample_plan):
    assert sample_plan.load_warnings == []


def test_the_committed_sample_is_what_its_build_script_makes(tmp_path):
    """The README's rebuild command, run as written, gives the committed sample cell for cell."""
    import subprocess
    import sys

    from tests.conftest import ROOT, SAMPLE

    out = tmp_path / "rebuilt.xlsx"
    subprocess.run([sys.executable, "sample_data/build_sample.py", str(out)], cwd=ROOT, check=True, capture_output=True,
                   timeout=120)
    built, committed = load_workbook(out), load_workbook(SAMPLE)
    assert built.sheetnames == committed.sheetnames
    for name in committed.sheetnames:
        cells = [[(c.value, c.number_format, c.style) for c in row] for row in committed[name].iter_rows()]
        assert [[(c.value, c.number_format, c.style) for c in row] for row in built[name].iter_rows()] == cells, name
        assert {str(r) for r in built[name].merged_cells.ranges} == {str(r) for r in committed[name].merged_cells.ranges}


@pytest.mark.parametrize("source", ["workbook", "new"])
def test_a_saved_workbook_is_not_kept_alive(sample_plan, source):
    """The plan's named styles are copied into each workbook: a workbook saved is freed with its cells."""
    import gc
    import weakref

    from kawasaki_planner.io.source import new_plan
    from kawasaki_planner.io.workbook_write import plan_workbook

    book = plan_workbook(sample_plan if source == "workbook" else new_plan())
    gone = weakref.ref(book)
    del book
    gc.collect()
    assert gone() is None
