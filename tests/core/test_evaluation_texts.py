"""The evaluation texts' own rules: what a text may hold, and the parts structure edits take."""

from __future__ import annotations

from kawasaki_planner.core.evaluation_texts import EvaluationTexts, IndicatorTexts, Summary, SummaryChoice, plain_text


def test_every_line_break_becomes_one_and_control_characters_go():
    # Word's manual line break (\v) pasted in, Qt's separators, CR LF from Windows: all line breaks; a NUL or BEL
    # cannot be written to a workbook at all.
    assert plain_text("a\r\nb\x0bc\u2029d\u2028e\x00f\x07g\th") == "a\nb\nc\nd\nefg\th"


def test_parts_by_indicator_section_and_year():
    texts = EvaluationTexts(
        {(2, "a", 2025): IndicatorTexts("x"), (2, "b", 2025): IndicatorTexts("y"), (3, "a", 2026): IndicatorTexts("z")},
        {(2, 2025): "総合", (3, 2026): "総合3"},
        {(2, "a"): SummaryChoice(Summary.MET)},
    )
    one = texts.part(2, "a")
    assert list(one.indicators) == [(2, "a", 2025)] and one.sections == {} and list(one.summaries) == [(2, "a")]
    section = texts.part(2)
    assert len(section.indicators) == 2 and list(section.sections) == [(2, 2025)]
    year = texts.part(years={2026})
    assert list(year.indicators) == [(3, "a", 2026)] and list(year.sections) == [(3, 2026)] and year.summaries == {}
    keys = texts.remove(section)
    assert keys == {("indicator", 2, "a", 2025), ("indicator", 2, "b", 2025), ("section", 2, 2025), ("summary", 2, "a")}
    assert texts.years() == [2026]
    texts.add(section)
    assert texts.years() == [2025, 2026] and not texts.is_empty


def test_the_plan_refuses_a_iv_without_its_reason(published_plan):
    import pytest

    from kawasaki_planner.core.evaluation_texts import IV_NEEDS_REASON, Summary, SummaryChoice
    from kawasaki_planner.core.values import FigureError

    indicator = published_plan.section(2).indicators[0]
    with pytest.raises(FigureError, match="理由"):
        published_plan.set_summary(2, indicator.id, SummaryChoice(Summary.NOT_COMPARABLE, "  "))
    assert published_plan.evaluation_texts.summary(2, indicator.id) is None
    published_plan.set_summary(2, indicator.id, SummaryChoice(Summary.NOT_COMPARABLE, "国の定義変更"))
    assert published_plan.evaluation_texts.summary(2, indicator.id).reason == "国の定義変更"
    assert "IV" in IV_NEEDS_REASON
