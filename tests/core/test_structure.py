"""Structure edits in the core: each checks first, applies once, tells listeners once, and can be undone exactly."""

from __future__ import annotations

import pytest

from kawasaki_planner.core import structure as st
from kawasaki_planner.core.plan import ADOPTION_LABEL, Direction, FigureRef, NarrativeBlock, StatusItem, forecast_ref, plan_snapshot


@pytest.fixture
def heard(published_plan):
    events = []
    published_plan.structure_changed.connect(events.append)
    return events


def test_an_added_indicator_gets_a_fresh_id_and_takes_figures(published_plan, heard):
    indicator = st.new_indicator(published_plan, 2, "里親登録者への研修回数", "回", Direction.AT_LEAST)
    assert indicator.id not in {i.id for i in published_plan.section(2).indicators}
    st.insert_indicator(published_plan, 2, 1, indicator)
    assert published_plan.section(2).indicators[1] is indicator and heard == [2]
    published_plan.set_figure(FigureRef(2, indicator.id, 2026, "plan"), "2回以上")
    assert published_plan.figure(FigureRef(2, indicator.id, 2026, "plan")).text == "2回以上"


def test_a_duplicate_or_empty_label_is_refused_without_a_change(published_plan, heard):
    before = plan_snapshot(published_plan)
    with pytest.raises(st.StructureError, match="同じ名前"):
        st.new_indicator(published_plan, 2, "意見表明支援を利用可能な児童数")
    first = published_plan.section(2).indicators[0]
    with pytest.raises(st.StructureError, match="指標名"):
        st.edit_indicator(published_plan, 2, first.id, label="  ")
    assert plan_snapshot(published_plan) == before and heard == []


def test_renaming_the_adoption_row_keeps_the_deduction(published_plan):
    adoption = published_plan.adoption_indicator()
    placed = published_plan.figure(forecast_ref("placed", 2027))
    old = st.edit_indicator(published_plan, 7, adoption.id, label="特別養子縁組の成立件数")
    assert published_plan.adoption_indicator() is adoption and old["label"] == ADOPTION_LABEL
    assert published_plan.figure(forecast_ref("placed", 2027)) == placed


def test_removing_the_adoption_row_stops_the_deduction_and_undo_restores_it(published_plan, heard):
    before = plan_snapshot(published_plan)
    adoption = published_plan.adoption_indicator()
    placed = published_plan.figure(forecast_ref("placed", 2027))
    index, removed = st.remove_indicator(published_plan, 7, adoption.id)
    assert published_plan.adoption_indicator() is None
    assert published_plan.figure(forecast_ref("placed", 2027)) == published_plan.figure(forecast_ref("before_adoption", 2027))
    st.insert_indicator(published_plan, 7, index, removed)
    assert plan_snapshot(published_plan) == before
    assert published_plan.figure(forecast_ref("placed", 2027)) == placed
    assert heard == [7, 7]


def test_moving_and_changing_unit_or_direction(published_plan):
    section = published_plan.section(6)
    ids = [i.id for i in section.indicators]
    old = st.move_indicator(published_plan, 6, ids[0], 3)
    assert [i.id for i in section.indicators] == [*ids[1:4], ids[0], *ids[4:]] and old == 0
    target = section.indicators[0]
    st.edit_indicator(published_plan, 6, target.id, direction=Direction.LOWER, unit="か所")
    assert target.direction is Direction.LOWER and all(f.unit == "か所" for f in target.plan.values())


def test_texts_are_replaced_whole_and_given_back(published_plan):
    old = st.set_status(published_plan, 2, [StatusItem("新しい項目", "説明")])
    assert published_plan.section(2).status == [StatusItem("新しい項目", "説明")]
    st.set_status(published_plan, 2, old)
    blocks = st.set_narrative(published_plan, 2, [NarrativeBlock("見出し", "1行目\n2行目")])
    assert published_plan.section(2).narrative[0].text == "1行目\n2行目"
    st.set_narrative(published_plan, 2, blocks)


def test_sections_are_added_by_guideline_number_renamed_and_removed_but_not_section_5(published_plan, heard):
    offered = st.missing_guideline_sections(published_plan)
    assert [n for n, _, _ in offered] == [8, 9, 10, 11, 12]
    number, title, short = offered[0]
    section = st.new_section(published_plan, title, short, number)
    st.insert_section(published_plan, section)
    assert [s.number for s in published_plan.sections] == [1, 2, 3, 4, 5, 6, 7, 8]
    own = st.new_section(published_plan, "本市独自の取組")
    assert own.number == 13
    st.rename_section(published_plan, 8, "8 里親等委託の推進", "里親等委託")
    assert published_plan.section(8).display_name == "8 里親等委託"
    with pytest.raises(st.StructureError, match="第5節"):
        st.remove_section(published_plan, 5)
    _, removed = st.remove_section(published_plan, 8)
    assert removed is section and 8 not in [s.number for s in published_plan.sections]
    assert heard == [None, 8, None]


def test_a_new_period_extends_the_years_and_the_chained_rate_continues(published_plan):
    _, dropped = st.set_years(published_plan, (*published_plan.years, 2030, 2031))
    assert published_plan.years[-2:] == (2030, 2031) and dropped == {}
    published_plan.set_figures([(forecast_ref("population", 2030), "220,000"), (forecast_ref("growth", 2030), "2.7%")])
    rate_2029 = published_plan.forecast.raw_rates[2029]
    assert published_plan.forecast.raw_rates[2030] == rate_2029 * (1 + published_plan.forecast_inputs.number("growth", 2030, "plan") / 100)
    assert published_plan.figure(forecast_ref("placed", 2030)).has_value


def test_dropping_years_takes_their_figures_and_undo_gives_them_back(published_plan):
    before = plan_snapshot(published_plan)
    placed = published_plan.figure(forecast_ref("placed", 2029))
    assert st.years_with_figures(published_plan, {2024}) == [2024]
    with pytest.raises(st.StructureError, match="推計の初年度"):
        st.set_years(published_plan, (2026, 2027))
    old, dropped = st.set_years(published_plan, tuple(y for y in published_plan.years if y != 2024))
    assert 2024 not in published_plan.years and dropped
    assert all(ref.year == 2024 for ref in dropped)
    st.restore_years(published_plan, old, dropped)
    assert plan_snapshot(published_plan) == before
    assert published_plan.figure(forecast_ref("placed", 2029)) == placed


def test_what_the_workbook_could_not_read_back_is_refused_or_tidied(published_plan):
    with pytest.raises(st.StructureError, match="※"):
        st.new_indicator(published_plan, 2, "※注記のような名前")
    with pytest.raises(st.StructureError, match="■"):
        st.set_status(published_plan, 2, [StatusItem("■見出し", "説明")])
    st.set_narrative(published_plan, 2, [NarrativeBlock("", ""), NarrativeBlock("■見出し", "本文")])
    assert published_plan.section(2).narrative == [NarrativeBlock("■見出し", "本文")]  # an empty block is no block
    assert st.new_indicator(published_plan, 2, "単位のない指標").print_unit is False
    with pytest.raises(st.StructureError, match="使えません"):
        st.rename_section(published_plan, 2, "2 題名", "権利/擁護")
    with pytest.raises(st.StructureError, match="文字以内"):
        st.rename_section(published_plan, 2, "2 題名", "あ" * 40)


def test_section_7_may_go_and_the_forecast_then_deducts_nothing(published_plan):
    st.remove_section(published_plan, 7)
    assert published_plan.adoption_indicator() is None
    assert published_plan.figure(forecast_ref("placed", 2027)) == published_plan.figure(forecast_ref("before_adoption", 2027))


def test_a_section_added_again_after_removal_is_the_one_the_plan_answers_with(published_plan):
    from kawasaki_planner.core import structure as st

    plan = published_plan
    title = "施設の小規模かつ地域分散化、高機能化及び多機能化・機能転換に向けた取組"
    first = st.new_section(plan, title, "施設の小規模化", number=9)
    st.insert_section(plan, first)
    assert plan.section(9) is first
    st.remove_section(plan, 9)
    again = st.new_section(plan, title, "施設の小規模化", number=9)
    assert again == first and again is not first  # equal by value: only identity tells them apart
    st.insert_section(plan, again)
    assert plan.section(9) is again
