"""The report's content: exactly what evaluate_plan says, the texts kept by identity, the years it can cover."""

from __future__ import annotations

import pytest

from kawasaki_planner.core.evaluation import Status
from kawasaki_planner.core.evaluation_report import (
    ReportYearError,
    build_report,
    check_report_year,
    report_format,
)
from kawasaki_planner.core.evaluation_texts import Summary, SummaryChoice
from kawasaki_planner.core.plan import FigureRef
from kawasaki_planner.core.plan_evaluation import evaluate_plan
from tests.report_cases import R7_ACTUALS, YEAR, enter_r7


def test_our_cases_stand_on_the_levels_they_are_meant_to(sample_plan):
    enter_r7(sample_plan)
    by_label = {r.indicator.label: r for s in evaluate_plan(sample_plan, YEAR).sections for r in s.results}
    assert {label: by_label[label].evaluation.status for _, label, _, _ in R7_ACTUALS} == {
        label: status for _, label, _, status in R7_ACTUALS}
    assert {s for *_, s in R7_ACTUALS} == set(Status)


def test_every_row_is_the_evaluation_of_its_indicator(sample_plan):
    enter_r7(sample_plan)
    report = build_report(sample_plan, YEAR)
    evaluation = evaluate_plan(sample_plan, YEAR)
    assert [s.number for s in report.sections] == [s.number for s in evaluation.sections]
    assert report.title == "R7年度 (2025) 点検・評価結果報告書" and report.plan_title == "川崎市社会的養育推進計画"
    for section, expected in zip(report.sections, evaluation.sections, strict=True):
        assert section.counts == tuple(expected.counts.items())
        assert [(r.label, r.target, r.actual, r.ratio, r.status) for r in section.rows] == [
            (e.indicator.label, e.target, e.actual, e.evaluation.ratio, e.evaluation.status) for e in expected.results]
    row = next(r for r in report.rows if r.label == "意見表明支援を利用可能な児童数")
    assert (row.target.text, row.actual.text, row.ratio_text, row.level, row.level_words) == (
        "993人", "1,100人", "110.8%", 2, "目標を上回って達成")
    assert row.texts.factors == "研修の周知が進んだ。" and row.counts
    assert [p.year for p in row.trend] == list(sample_plan.years) and row.trend[1].actual == 1100
    dash = next(r for r in report.rows if r.label == "児童家庭支援センター設置数")
    assert dash.level is None and dash.level_text == "評価不能(実績が「-」(値なし)です)"
    assert report.sections[0].heading == "2 当事者である子どもの権利擁護の取組"
    assert report.sections[0].short_heading == "2 権利擁護" and report.sections[0].overall.startswith("権利擁護")
    assert dict(report.counts)[Status.FAR_ABOVE] == 2


def test_the_period_summary_comes_with_the_final_year_or_a_choice_by_hand(sample_plan):
    enter_r7(sample_plan)
    assert not build_report(sample_plan, YEAR).shows_summary
    label = "児童相談所における専門チームの配備"
    indicator = sample_plan.section(7).by_label(label)
    sample_plan.set_figure(FigureRef(7, indicator.id, 2029, "actual"), "3班")
    final = build_report(sample_plan, 2029)
    row = next(r for r in final.rows if r.label == label)
    assert final.shows_summary and row.summary == Summary.MET.label and row.summary_note == "最終年度の実績から"
    sample_plan.set_summary(7, indicator.id, SummaryChoice(Summary.NOT_COMPARABLE, "法改正で定義が変わった"))
    row = next(r for r in build_report(sample_plan, YEAR).rows if r.label == label)
    assert row.summary == Summary.NOT_COMPARABLE.label and row.summary_note == "選択: 法改正で定義が変わった"


def test_a_year_outside_the_plan_is_refused_naming_the_years(sample_plan):
    with pytest.raises(ReportYearError, match=r"2031年度はこの計画にありません.*2024、2025、2026、2027、2028、2029"):
        build_report(sample_plan, 2031)
    with pytest.raises(ReportYearError, match="実績が入力された年度がない"):
        check_report_year(sample_plan, None)


@pytest.mark.parametrize(("name", "fmt"), [("報告書.pdf", "pdf"), ("R.PDF", "pdf"), ("a.b.xlsx", "xlsx"),
                                           ("報告書.docx", None), ("報告書", None), ("a.xlsm", None)])
def test_the_format_follows_the_extension(name, fmt):
    assert report_format(name) == fmt
