"""Section 8 uses section 5: each age group's 里親等委託率 target gives the children to place with foster families."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kawasaki_planner.core import foster
from kawasaki_planner.core import structure as st
from kawasaki_planner.core.plan import FigureRef, forecast_ref, plan_snapshot
from kawasaki_planner.core.values import FigureError, round_half_up


@pytest.fixture
def with_section_8(published_plan):
    number, title, short = st.missing_guideline_sections(published_plan)[0]
    st.insert_section(published_plan, st.new_section(published_plan, title, short, number))
    return published_plan


def _rate(plan, key):
    return next(i for i in plan.section(8).indicators if i.role == foster.RATE_ROLE + key)


def _needed(plan, key):
    return next(i for i in plan.section(8).indicators if i.role == foster.NEEDED_ROLE + key)


def test_a_new_section_8_has_the_national_rates_their_goals_and_computed_rows(with_section_8):
    section = with_section_8.section(8)
    labels = [i.label for i in section.indicators]
    assert labels[:3] == ["里親等委託率(3歳未満)", "里親等委託率(3歳以上の就学前)", "里親等委託率(学童期以降)"]
    assert all("必要な里親等委託児童数" in label for label in labels[3:])
    assert "75%" in section.status[0].description and "50%" in section.status[0].description
    assert with_section_8.has_derived(8)
    needed = _needed(with_section_8, "infant")
    assert not with_section_8.is_input(FigureRef(8, needed.id, 2026, "plan"))
    with pytest.raises(FigureError, match="計算"):
        with_section_8.set_figure(FigureRef(8, needed.id, 2026, "plan"), "3人")


def test_the_placements_follow_the_target_and_section_5(with_section_8):
    plan = with_section_8
    rate = _rate(plan, "school")
    plan.set_figure(FigureRef(8, rate.id, 2027, "plan"), "40%")
    eligible = plan.figure(forecast_ref("eligible.school", 2027)).number
    needed = _needed(plan, "school")
    assert needed.figure(2027, "plan").number == round_half_up(eligible * Decimal(40) / 100)
    plan.set_figure(forecast_ref("population", 2027), "300,000")  # section 5 changes: so do the placements
    eligible = plan.figure(forecast_ref("eligible.school", 2027)).number
    assert needed.figure(2027, "plan").number == round_half_up(eligible * Decimal(40) / 100)
    assert needed.figure(2026, "plan").is_blank  # no target for 2026 yet


def test_removing_section_8_and_undoing_it(with_section_8):
    plan = with_section_8
    plan.set_figure(FigureRef(8, _rate(plan, "infant").id, 2028, "plan"), "30%")
    before = plan_snapshot(plan)
    _, section = st.remove_section(plan, 8)
    st.insert_section(plan, section)
    assert plan_snapshot(plan) == before


def test_section_8_is_saved_and_read_back_with_its_roles(with_section_8, tmp_path):
    from kawasaki_planner.io.workbook import load_plan, save_plan

    plan = with_section_8
    plan.set_figure(FigureRef(8, _rate(plan, "preschool").id, 2029, "plan"), "45%")
    out = tmp_path / "s8.xlsx"
    save_plan(plan, out)
    again = load_plan(out)
    assert plan_snapshot(again) == plan_snapshot(plan)
    assert _needed(again, "preschool").figure(2029, "plan") == _needed(plan, "preschool").figure(2029, "plan")
    again.set_figure(forecast_ref("population", 2029), "250,000")
    assert _needed(again, "preschool").figure(2029, "plan") != _needed(plan, "preschool").figure(2029, "plan")
