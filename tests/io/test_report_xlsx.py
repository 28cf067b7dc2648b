"""The Excel report read back: each indicator one row holding exactly evaluate_plan's figures, printable on A4."""

from __future__ import annotations

import openpyxl
import pytest

from kawasaki_planner.core.evaluation_report import build_report
from kawasaki_planner.core.plan_evaluation import evaluate_plan
from kawasaki_planner.io.cells import cell_to_figure
from kawasaki_planner.io.errors import SaveError
from kawasaki_planner.io.report_xlsx import HEADER_ROW, SHEET_COUNTS, SHEET_ROWS, write_report_xlsx
from tests.report_cases import YEAR, enter_r7, long_text


@pytest.fixture
def written(sample_plan, tmp_path):
    enter_r7(sample_plan)
    path = tmp_path / "報告書.xlsx"
    assert write_report_xlsx(build_report(sample_plan, YEAR), path) == []
    return sample_plan, openpyxl.load_workbook(path)


def _indicator_rows(sheet):
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        if isinstance(row[1].value, int):  # the No. column; section rows hold only their heading
            yield row


def test_each_indicator_row_holds_the_evaluation(written):
    plan, book = written
    sheet = book[SHEET_ROWS]
    assert [c.value for c in sheet[HEADER_ROW]][:11] == [
        "節", "No.", "指標", "目標", "実績", "達成率", "達成度", "達成度(評価)", "実績・取組状況", "要因分析", "今後の方向性"]
    expected = [r for s in evaluate_plan(plan, YEAR).sections for r in s.results]
    rows = list(_indicator_rows(sheet))
    assert len(rows) == len(expected) == 27
    for row, result in zip(rows, expected, strict=True):
        section, _, label, target, actual, ratio, level, words = row[:8]
        assert (section.value, label.value) == (result.section, result.indicator.label)
        assert cell_to_figure(target.value, target.number_format).text == result.target.text
        assert cell_to_figure(actual.value, actual.number_format).text == result.actual.text
        evaluation = result.evaluation
        if evaluation.ratio is None:
            assert ratio.value is None
        else:
            assert ratio.value == pytest.approx(float(evaluation.ratio)) and ratio.number_format == "0.0%"
        assert level.value == (int(evaluation.status) if evaluation.rated else None)
        assert words.value == (evaluation.status.label.split(" ", 1)[1] if evaluation.rated else
                               f"評価不能({evaluation.reason})")
    first = rows[0]
    assert first[8].value == long_text() and first[9].value == "研修の周知が進んだ。"
    assert first[8].alignment.wrap_text


def test_figures_are_numbers_printed_as_the_plan_prints_them(written):
    _, book = written
    rows = {r[2].value: r for r in _indicator_rows(book[SHEET_ROWS])}
    children = rows["意見表明支援を利用可能な児童数"]
    assert (children[3].value, children[3].number_format) == (993, '#,##0"人"')
    assert (children[4].value, children[4].number_format) == (1100, '#,##0"人"')
    floor = rows["子どもの権利擁護に関する研修の実施回数(年)"][3]
    assert (floor.value, floor.number_format) == (1, '#,##0"回以上"')
    rate = rows["一時保護施設平均入所率"][3]
    assert rate.value == pytest.approx(0.869) and rate.number_format == "0.0%"
    assert rows["児童家庭支援センター設置数"][4].value == "-"


def test_counts_per_section_and_the_overall_text(written):
    plan, book = written
    sheet = book[SHEET_COUNTS]
    header = [c.value for c in sheet[HEADER_ROW]]
    assert header[:8] == ["節", "1 大きく上回る", "2 上回る", "3 ほぼ達成", "4 下回る", "5 大きく下回る", "評価不能", "計"]
    body = {row[0].value: [c.value for c in row[1:]] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 6)}
    evaluation = evaluate_plan(plan, YEAR)
    for section in evaluation.sections:
        counts = list(section.counts.values())
        assert body[f"{section.number} {plan.section(section.number).short_title}"][:7] == [*counts, sum(counts)]
    assert body["2 権利擁護"][7] == "権利擁護の取組は概ね計画どおりに進んだ。"
    assert body["合計"][:7] == [*evaluation.counts.values(), 27]


def test_the_sheets_print_on_a4_landscape_fit_to_width_with_the_header_repeated(written):
    _, book = written
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (int(setup.paperSize), setup.orientation) == (9, "landscape")  # 9: A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert sheet.page_margins.left <= 0.5
    assert book[SHEET_ROWS]["A1"].value == "R7年度 (2025) 点検・評価結果報告書"


def test_a_folder_that_is_not_there_is_a_japanese_save_error(sample_plan, tmp_path):
    with pytest.raises(SaveError) as error:
        write_report_xlsx(build_report(sample_plan, YEAR), tmp_path / "ない" / "報告書.xlsx")
    assert any("\u3040" <= ch <= "\u30ff" for ch in str(error.value))


def test_the_final_years_report_carries_the_period_summary(sample_plan, tmp_path):
    from kawasaki_planner.core.evaluation_texts import Summary
    from kawasaki_planner.core.plan import FigureRef

    label = "児童相談所における専門チームの配備"
    indicator = sample_plan.section(7).by_label(label)
    sample_plan.set_figure(FigureRef(7, indicator.id, 2029, "actual"), "3班")
    path = tmp_path / "R11.xlsx"
    write_report_xlsx(build_report(sample_plan, 2029), path)
    sheet = openpyxl.load_workbook(path)[SHEET_ROWS]
    assert [c.value for c in sheet[HEADER_ROW]][11:13] == ["計画期間の総括", "総括の根拠"]
    row = next(r for r in _indicator_rows(sheet) if r[2].value == label)
    assert (row[11].value, row[12].value) == (Summary.MET.label, "最終年度の実績から")
    assert write_report_xlsx(build_report(sample_plan, 2028), tmp_path / "R10.xlsx") == []
    assert openpyxl.load_workbook(tmp_path / "R10.xlsx")[SHEET_ROWS].max_column == 11


def test_texts_that_look_like_formulas_stay_words(sample_plan, tmp_path):
    from kawasaki_planner.core.evaluation_texts import IndicatorTexts

    indicator = sample_plan.section(2).indicators[0]
    sample_plan.set_indicator_texts(2, indicator.id, YEAR, IndicatorTexts(done="=SUM(A1:A9)", next_steps="=前年度並み"))
    sample_plan.set_section_text(2, YEAR, "=概ね順調")
    path = tmp_path / "r.xlsx"
    write_report_xlsx(build_report(sample_plan, YEAR), path)
    book = openpyxl.load_workbook(path)
    row = next(_indicator_rows(book[SHEET_ROWS]))
    assert (row[8].value, row[8].data_type, row[10].value, row[10].data_type) == ("=SUM(A1:A9)", "s", "=前年度並み", "s")
    overall = book[SHEET_COUNTS].cell(HEADER_ROW + 1, 9)
    assert (overall.value, overall.data_type) == ("=概ね順調", "s")
