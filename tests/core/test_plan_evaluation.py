"""The whole plan evaluated for a year: per indicator the 達成度, per section the counts, and the period summary."""

from __future__ import annotations

from kawasaki_planner.core import structure as st
from kawasaki_planner.core.evaluation import Status, evaluate_year
from kawasaki_planner.core.plan import FigureRef
from kawasaki_planner.core.plan_evaluation import Summary, evaluate_plan, latest_year_with_actuals, suggested_summary

CHILDREN = "意見表明支援を利用可能な児童数"


def test_every_indicator_is_evaluated_and_counted_per_section(published_plan):
    published_plan.set_figure(FigureRef(2, CHILDREN, 2025, "actual"), "993人")
    result = evaluate_plan(published_plan, 2025)
    assert [s.number for s in result.sections] == [2, 3, 4, 6, 7]
    assert sum(len(s.results) for s in result.sections) == 27
    two = result.sections[0]
    row = next(r for r in two.results if r.indicator.id == CHILDREN)
    assert row.evaluation == evaluate_year(row.indicator, 2025) and row.actual.text == "993人"
    assert sum(two.counts.values()) == len(two.results)
    assert result.counts[Status.NOT_RATED] == 27 - sum(1 for s in result.sections for r in s.results if r.evaluation.rated)


def test_the_default_year_is_the_latest_with_actuals(published_plan):
    assert latest_year_with_actuals(published_plan) == 2024
    published_plan.set_figure(FigureRef(2, CHILDREN, 2027, "actual"), "900人")
    assert latest_year_with_actuals(published_plan) == 2027


def test_the_summary_is_suggested_from_the_final_year(published_plan):
    indicator = published_plan.section(2).indicator(CHILDREN)
    assert suggested_summary(indicator, published_plan.years) == (None, 2029)  # no actual for the final year yet
    target = indicator.figure(2029, "plan").number
    published_plan.set_figure(FigureRef(2, CHILDREN, 2029, "actual"), f"{target * 2}人")
    assert suggested_summary(indicator, published_plan.years) == (Summary.ABOVE, 2029)
    published_plan.set_figure(FigureRef(2, CHILDREN, 2029, "actual"), f"{target}人")
    assert suggested_summary(indicator, published_plan.years)[0] is Summary.MET
    assert Summary.NOT_COMPARABLE.label == "IV 法制度等の改定により比較不能"


def test_computed_rows_are_not_evaluated(published_plan):
    number, title, short = st.missing_guideline_sections(published_plan)[0]
    st.insert_section(published_plan, st.new_section(published_plan, title, short, number))
    eight = next(s for s in evaluate_plan(published_plan, 2026).sections if s.number == 8)
    assert len(eight.results) == 3 and all("里親等委託率" in r.indicator.label for r in eight.results)


def test_evaluation_texts_are_kept_by_identity_and_told_once(published_plan):
    from kawasaki_planner.core.evaluation_texts import IndicatorTexts, Summary, SummaryChoice
    from kawasaki_planner.core.plan import plan_snapshot

    plan = published_plan
    heard = []
    plan.changed.connect(heard.append)
    indicator = plan.section(2).indicators[0]
    before = plan_snapshot(plan)
    texts = IndicatorTexts(done="研修を3回実施", factors="参加者が増えた", next_steps="継続")
    plan.set_indicator_texts(2, indicator.id, 2025, texts)
    plan.set_indicator_texts(2, indicator.id, 2025, texts)  # the same again: no change, nothing told
    assert plan.evaluation_texts.indicator(2, indicator.id, 2025) == texts
    assert [c.texts for c in heard] == [frozenset({("indicator", 2, indicator.id, 2025)})]
    assert plan_snapshot(plan) != before
    plan.set_section_text(2, 2025, "概ね順調")
    plan.set_summary(2, indicator.id, SummaryChoice(Summary.NOT_COMPARABLE, "法改正"))
    assert plan.evaluation_texts.summary(2, indicator.id).summary is Summary.NOT_COMPARABLE
    plan.set_indicator_texts(2, indicator.id, 2025, IndicatorTexts())
    plan.set_section_text(2, 2025, "")
    plan.set_summary(2, indicator.id, None)
    assert plan_snapshot(plan) == before
    assert Summary.from_text("Ⅲ 当初の目標を下回った") is Summary.BELOW and Summary.from_text("V") is None
