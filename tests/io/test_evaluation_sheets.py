"""The evaluation texts in the workbook: exact round trips, spreadsheet edits that keep them attached, warnings."""

from __future__ import annotations

from openpyxl import load_workbook

from kawasaki_planner.cli import main
from kawasaki_planner.core.evaluation_texts import IndicatorTexts, Summary, SummaryChoice
from kawasaki_planner.core.plan import plan_snapshot
from kawasaki_planner.io import layout as L
from kawasaki_planner.io.evaluation_sheets import SECTION_MARK, SUMMARY_SHEET, year_sheet_name
from kawasaki_planner.io.workbook import load_plan, save_plan
from tests.evaluation_texts import DONE, FACTORS, SHEET, YEAR, ids, write_texts
from tests.io.workbook_edit import find_sheet


def saved_with_texts(plan, tmp_path, name="texts.xlsx"):
    write_texts(plan)
    path = tmp_path / name
    save_plan(plan, path)
    return path


def sheet_rows(ws, header: int = 4) -> dict[str, int]:
    """Row of each id on an evaluation sheet (its ID column found by the header)."""
    id_col = next(c.column for c in ws[header] if c.value == L.ID_HEADER)
    return {ws.cell(r, id_col).value: r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, id_col).value}


def test_texts_survive_save_and_reload_into_the_source_workbook(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)
    again = load_plan(path)
    assert again.load_warnings == []
    assert again.evaluation_texts.snapshot() == sample_plan.evaluation_texts.snapshot()
    first = ids(again, 2)[0]
    assert again.evaluation_texts.indicator(2, first, YEAR) == IndicatorTexts(DONE, FACTORS, "  前後の空白も\nそのまま  ")
    assert again.evaluation_texts.section(2, YEAR) == "権利擁護は概ね順調。\n課題は2点。"
    assert again.evaluation_texts.summary(2, first) == SummaryChoice(Summary.NOT_COMPARABLE, "法改正で定義が変わったため")
    # a second save from the reloaded plan writes the same again (the sheets replaced, not duplicated)
    save_plan(again, tmp_path / "again.xlsx")
    names = load_workbook(tmp_path / "again.xlsx").sheetnames
    assert names.count(SHEET) == 1 and names.count(SUMMARY_SHEET) == 1 and year_sheet_name(2025) in names
    assert plan_snapshot(load_plan(tmp_path / "again.xlsx")) == plan_snapshot(again)


def test_texts_survive_a_new_layout(published_plan, tmp_path):
    path = saved_with_texts(published_plan, tmp_path)
    again = load_plan(path)
    assert again.load_warnings == []
    assert again.evaluation_texts.snapshot() == published_plan.evaluation_texts.snapshot()
    names = load_workbook(path).sheetnames
    assert names.index(SHEET) < names.index(SUMMARY_SHEET) < names.index(L.INFO_SHEET)


def test_a_plan_without_texts_gets_no_evaluation_sheet(sample_plan, tmp_path):
    save_plan(sample_plan, tmp_path / "plain.xlsx")
    names = load_workbook(tmp_path / "plain.xlsx").sheetnames
    assert not any(n.startswith("点検・評価") or n == SUMMARY_SHEET for n in names)
    assert sample_plan.load_warnings == [] and sample_plan.evaluation_texts.is_empty


def test_removing_every_text_removes_the_sheets_and_keeps_the_planners_own(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)
    book = load_workbook(path)
    book.create_sheet("メモ")["A1"] = "自分用のメモ"
    book.save(path)
    plan = load_plan(path)
    for key in list(plan.evaluation_texts.indicators):
        plan.set_indicator_texts(*key, IndicatorTexts())
    for key in list(plan.evaluation_texts.sections):
        plan.set_section_text(*key, "")
    for key in list(plan.evaluation_texts.summaries):
        plan.set_summary(*key, None)
    save_plan(plan, path)
    book = load_workbook(path)
    assert book["メモ"]["A1"].value == "自分用のメモ"
    assert SHEET not in book.sheetnames and SUMMARY_SHEET not in book.sheetnames


def test_the_year_sheet_reads_like_an_evaluation_sheet(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)
    ws = load_workbook(path)[SHEET]
    headers = [c.value for c in ws[4]]
    assert headers == ["節", "指標", "単位", "目標", "実績", "達成率", "達成度", "実績・取組状況", "要因分析", "今後の方向性", "ID"]
    assert ws.column_dimensions["K"].hidden
    indicator = sample_plan.section(2).indicators[0]
    row = sheet_rows(ws)[indicator.id]
    assert ws.cell(row, 1).value == "2 権利擁護" and ws.cell(row, 2).value == indicator.label
    assert ws.cell(row, 4).value == (indicator.figure(YEAR, "plan").text or None)
    assert ws.cell(row, 5).value == (indicator.figure(YEAR, "actual").text or None)
    assert ws.cell(row, 8).value == DONE and ws.cell(row, 8).alignment.wrap_text
    section_row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 11).value == SECTION_MARK and ws.cell(r, 1).value == "2 権利擁護")
    assert ws.cell(section_row, 2).value == "総合評価" and "課題は2点" in ws.cell(section_row, 8).value
    assert "評価不能" in ws.cell(section_row, 7).value  # the count per level, for reading


def test_sorted_rows_and_renamed_labels_keep_their_texts(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)
    book = load_workbook(path)
    ws = book[SHEET]
    rows = [[ws.cell(r, c).value for c in range(1, 12)] for r in range(5, ws.max_row + 1)]
    rows.sort(key=lambda values: str(values[1]), reverse=True)  # 並べ替え by 指標, descending
    for r, values in enumerate(rows, start=5):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c).value = value
            if isinstance(value, str) and value.startswith("="):
                ws.cell(r, c).data_type = "s"  # moved as text, as a spreadsheet's sort moves it
    first = sample_plan.section(2).indicators[0]
    # the planner rewords the indicator on its section sheet and on the evaluation sheet
    section_sheet = find_sheet(book, 2)
    label_cell = next(c for (c,) in section_sheet.iter_rows(max_col=1) if c.value == first.label)
    label_cell.value = first.label + "(改)"
    ws.cell(sheet_rows(ws)[first.id], 2).value = first.label + "(改)"
    book.save(path)
    again = load_plan(path)
    assert again.load_warnings == []
    assert again.section(2).indicator(first.id).label == first.label + "(改)"
    assert again.evaluation_texts.snapshot() == sample_plan.evaluation_texts.snapshot()


def test_a_column_the_planner_inserts_does_not_shift_the_texts(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)
    book = load_workbook(path)
    book[SHEET].insert_cols(3)
    book[SHEET]["C4"] = "担当課"
    book.save(path)
    again = load_plan(path)
    assert again.load_warnings == []
    assert again.evaluation_texts.snapshot() == sample_plan.evaluation_texts.snapshot()


def test_app_written_figures_typed_over_are_ignored_and_rewritten(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)
    book = load_workbook(path)
    ws = book[SHEET]
    row = sheet_rows(ws)[sample_plan.section(2).indicators[0].id]
    ws.cell(row, 5).value = "999"
    ws.cell(row, 7).value = "1 目標を大きく上回って達成"
    book.save(path)
    plan = load_plan(path)
    assert plan.load_warnings == []
    save_plan(plan, path)
    ws = load_workbook(path)[SHEET]
    assert ws.cell(row, 5).value == (plan.section(2).indicators[0].figure(YEAR, "actual").text or None)


def _damage(path, edit_sheet) -> list[str]:
    book = load_workbook(path)
    edit_sheet(book)
    book.save(path)
    return load_plan(path).load_warnings


def test_unreadable_cells_are_warnings_naming_sheet_and_cell(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)
    ws = load_workbook(path)[SHEET]
    first = sample_plan.section(2).indicators[0].id
    row = sheet_rows(ws)[first]

    def unknown_and_missing_ids(book):
        sheet = book[SHEET]
        sheet.cell(row, 11).value = "2-99"
        sheet.cell(sheet.max_row + 1, 8).value = "IDのない行の文章"

    warnings = _damage(path, unknown_and_missing_ids)
    assert f"シート「{SHEET}」のセル K{row} の指標ID「2-99」は計画にないため、この行の文章を読み込んでいません" in warnings
    assert any(f"シート「{SHEET}」のセル H" in w and "ID 列が空欄" in w for w in warnings)


def test_a_summary_that_is_not_one_of_i_to_iv_or_iv_without_reason_is_a_warning(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)
    ws = load_workbook(path)[SUMMARY_SHEET]
    rows = sheet_rows(ws)
    first, other = sample_plan.section(2).indicators[0].id, sample_plan.section(2).indicators[1].id

    def bad_summaries(book):
        sheet = book[SUMMARY_SHEET]
        sheet.cell(rows[first], 9).value = None  # IV's reason gone
        sheet.cell(rows[other], 8).value = "V"

    warnings = _damage(path, bad_summaries)
    assert (f"シート「{SUMMARY_SHEET}」のセル H{rows[first]} は IV(法制度等の改定により比較不能)ですが"
            f"理由(セル I{rows[first]})が空欄のため、読み込んでいません") in warnings
    assert f"シート「{SUMMARY_SHEET}」のセル H{rows[other]} の「V」は総括の I〜IV のいずれでもないため、読み込んでいません" in warnings
    plan = load_plan(path)
    assert plan.evaluation_texts.summary(2, first) is None and plan.evaluation_texts.summary(2, other) is None


def test_a_summary_typed_as_a_numeral_in_excel_is_read(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)
    rows = sheet_rows(load_workbook(path)[SUMMARY_SHEET])
    other = sample_plan.section(2).indicators[1].id
    assert _damage(path, lambda book: setattr(book[SUMMARY_SHEET].cell(rows[other], 8), "value", "Ⅲ")) == []
    assert load_plan(path).evaluation_texts.summary(2, other) == SummaryChoice(Summary.BELOW)


def test_a_sheet_without_its_year_or_outside_the_period_is_a_warning(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)

    def rename(book):
        book[SHEET].title = "点検・評価 メモ"
        book["点検・評価 メモ"]["A1"] = "点検・評価"
        book[year_sheet_name(2025)].title = "点検・評価 R20年度 (2038)"

    warnings = _damage(path, rename)
    assert any("シート「点検・評価 メモ」は点検・評価のシートですが、年度が分かりません" in w for w in warnings)
    assert "シート「点検・評価 R20年度 (2038)」の年度 2038 は計画期間にないため、読み込んでいません" in warnings


def test_a_row_twice_is_read_once_with_a_warning(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)
    first = sample_plan.section(2).indicators[0]

    def copy_row(book):
        sheet = book[SHEET]
        source = sheet_rows(sheet)[first.id]
        target = sheet.max_row + 1
        for c in range(1, 12):
            sheet.cell(target, c).value = sheet.cell(source, c).value
        sheet.cell(target, 8).value = "別の文章"

    warnings = _damage(path, copy_row)
    assert any(f"指標「{first.label}」の2行目のため" in w for w in warnings)
    assert load_plan(path).evaluation_texts.indicator(2, first.id, YEAR).done == DONE


def test_check_and_update_keep_the_texts(qapp, sample_plan, tmp_path, capsys):  # qapp: the update's edit lock
    path = saved_with_texts(sample_plan, tmp_path)
    assert main(["check", str(path)]) == 0
    csv = tmp_path / "figures.csv"
    label = sample_plan.section(2).indicators[0].label
    csv.write_text(f"section,indicator,fiscal_year,kind,text\n2,{label},2025,actual,5\n", encoding="utf-8")
    assert main(["update", str(path), str(csv)]) == 0
    assert load_plan(path).evaluation_texts.snapshot() == sample_plan.evaluation_texts.snapshot()


def test_rows_it_cannot_place_are_kept_by_the_save_and_read_once_fixed(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)
    ws = load_workbook(path)[SHEET]
    first, fourth = (sample_plan.section(2).indicators[n].id for n in (0, 3))
    row = sheet_rows(ws)[first]

    def unknown_id(book):
        book[SHEET].cell(row, 11).value = "2-99"

    assert any("指標ID「2-99」は計画にない" in w for w in _damage(path, unknown_id))
    plan = load_plan(path)
    save_plan(plan, path)  # the row it could not place is written again, below the rows it placed
    ws = load_workbook(path)[SHEET]
    kept = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 11).value == "2-99")
    assert ws.cell(kept - 1, 1).value.startswith("■次の行は読み込めなかったため")
    assert ws.cell(kept, 8).value == DONE and ws.cell(kept, 9).value == FACTORS
    assert any("指標ID「2-99」は計画にない" in w for w in load_plan(path).load_warnings)
    assert _damage(path, lambda book: setattr(book[SHEET].cell(kept, 11), "value", fourth)) == []
    assert load_plan(path).evaluation_texts.indicator(2, fourth, YEAR).done == DONE


def test_a_sheet_it_cannot_read_stays_as_the_planner_left_it(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)

    def break_sheets(book):
        book[year_sheet_name(2025)].title = "点検・評価 下書き"
        book["点検・評価 下書き"]["A1"] = "点検・評価(下書き)"
        book[SUMMARY_SHEET]["J4"] = "番号"  # its ID header gone

    warnings = _damage(path, break_sheets)
    assert f"シート「{SUMMARY_SHEET}」に見出し「ID」の列が見つからないため、総括を読み込んでいません" in warnings
    save_plan(load_plan(path), path)
    book = load_workbook(path)
    assert book["点検・評価 下書き"]["A1"].value == "点検・評価(下書き)"
    assert book["(読込不可)計画期間の総括"]["J4"].value == "番号"
    assert book[SUMMARY_SHEET]["J4"].value == "ID"


def test_a_formula_in_a_text_cell_is_read_as_its_text_with_a_warning(sample_plan, tmp_path):
    path = saved_with_texts(sample_plan, tmp_path)
    second = sample_plan.section(2).indicators[1].id
    row = sheet_rows(load_workbook(path)[SHEET])[second]
    warnings = _damage(path, lambda book: setattr(book[SHEET].cell(row, 8), "value", "=A1&B1"))
    assert (f"シート「{SHEET}」のセル H{row} は数式です。数式の文字をそのまま文章として読み込みました"
            "(このアプリで保存すると、数式ではなく文字になります)") in warnings
    assert load_plan(path).evaluation_texts.indicator(2, second, YEAR).done == "=A1&B1"
