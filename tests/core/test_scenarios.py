"""Forecast scenarios: another set of section-5 inputs computes exactly what the plan's method gives, adopting it
moves section 5's printed rows and section 8's computed rows, and every edit can be taken back exactly."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from kawasaki_planner.core import foster
from kawasaki_planner.core import scenarios as sc
from kawasaki_planner.core import structure as st
from kawasaki_planner.core.plan import ADOPTION_LABEL, FigureRef, forecast_ref, plan_snapshot
from kawasaki_planner.core.report import forecast_text

YEARS = (2025, 2026, 2027, 2028, 2029)
POPULATION = {2025: 241047, 2026: 237418, 2027: 233198, 2028: 228315, 2029: 223638}
SHARES = (Decimal("9.4"), Decimal("14.1"), Decimal("76.5"))
EXCLUDED = {2025: (0, 6, 55), 2026: (0, 6, 61), 2027: (0, 6, 61), 2028: (0, 6, 61), 2029: (0, 6, 67)}
ADOPTIONS = 6


def reference(base_rate: str, growth: str) -> dict[int, dict[str, object]]:
    """docs/forecast.md steps 1–5, written out again here (not fc.compute): rates chained without rounding,
    counts rounded half up, the age split by largest remainder, the children outside the base taken off."""
    out = {}
    rate = Decimal(base_rate)
    for year in YEARS:
        if year != YEARS[0]:
            rate = rate * (Decimal(1) + Decimal(growth) / Decimal(100))
        before = int((Decimal(POPULATION[year]) * rate / Decimal(100)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        placed = before - ADOPTIONS
        quotas = [Decimal(placed) * s / Decimal(100) for s in SHARES]
        parts = [int(q) for q in quotas]
        left = placed - sum(parts)
        for i in sorted(range(3), key=lambda i: (-(quotas[i] - parts[i]), i))[:left]:
            parts[i] += 1
        eligible = [p - x for p, x in zip(parts, EXCLUDED[year], strict=True)]
        out[year] = {"before": before, "placed": placed, "ages": parts, "eligible": sum(eligible),
                     "rate": rate.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)}
    return out


def growth_scenario(plan, name="増加率3.3%案", growth="3.3%"):
    scenario = sc.create(plan, name)
    sc.set_figures(plan, scenario.id, [(("growth", y, "plan"), growth) for y in YEARS[1:]])
    return scenario


def numbers(result, key):
    return [int(result.number(key, y, "plan")) for y in YEARS]


@pytest.fixture
def with_section_8(published_plan):
    number, title, short = st.missing_guideline_sections(published_plan)[0]
    st.insert_section(published_plan, st.new_section(published_plan, title, short, number))
    section = published_plan.section(8)
    for indicator in section.indicators:
        if foster.is_rate(indicator.role):
            for year in YEARS[1:]:
                published_plan.set_figure(FigureRef(8, indicator.id, year, "plan"), "40%")
    return published_plan


def test_the_published_plan_has_one_scenario_adopted():
    from kawasaki_planner.io.source import load_source
    from tests.conftest import SOURCE

    plan = load_source(SOURCE)
    assert [s.name for s in plan.scenarios] == [sc.DEFAULT_NAME]
    assert sc.adopted(plan).inputs is plan.forecast_inputs
    assert not sc.needs_storage(plan)


def test_the_reference_gives_the_published_tables():
    ref = reference("0.144", "2.7")
    assert [ref[y]["placed"] for y in YEARS] == [341, 345, 348, 350, 352]
    assert [ref[y]["eligible"] for y in YEARS] == [280, 278, 281, 283, 279]


@pytest.mark.parametrize(("base", "growth"), [("0.144", "3.3"), ("0.150", "2.7"), ("0.132", "3.3")])
def test_a_scenario_with_other_inputs_computes_what_the_method_gives(published_plan, base, growth):
    scenario = sc.create(published_plan, f"基準{base}%・増加率{growth}%")
    changes = [(("rate", 2025, "plan"), f"{base}%")] + [(("growth", y, "plan"), f"{growth}%") for y in YEARS[1:]]
    sc.set_figures(published_plan, scenario.id, changes)
    result = sc.result(published_plan, scenario.id)
    ref = reference(base, growth)
    assert numbers(result, "before_adoption") == [ref[y]["before"] for y in YEARS]
    assert numbers(result, "placed") == [ref[y]["placed"] for y in YEARS]
    assert numbers(result, "eligible.total") == [ref[y]["eligible"] for y in YEARS]
    for year in YEARS:
        assert [int(result.number(f"age.{k}", year, "plan")) for k in ("infant", "preschool", "school")] == ref[year]["ages"]
        if year != YEARS[0]:
            assert result.number("rate", year, "plan") == ref[year]["rate"]
    # The adopted scenario (what the plan prints) is untouched.
    assert [published_plan.figure(forecast_ref("placed", y)).text for y in YEARS] == ["341", "345", "348", "350", "352"]


def test_growth_of_3_3_percent_in_figures(published_plan):
    result = sc.result(published_plan, growth_scenario(published_plan).id)
    assert numbers(result, "placed") == [341, 347, 352, 356, 361]
    assert numbers(result, "eligible.total") == [280, 280, 285, 289, 288]


def test_adopting_moves_section_5s_printed_rows_and_section_8s_computed_rows(with_section_8):
    plan = with_section_8
    needed = [i for i in plan.section(8).indicators if foster.is_computed(i.role)]
    before_8 = [[i.figure(y, "plan").text for y in YEARS[1:]] for i in needed]
    before_text = forecast_text(plan)
    scenario = growth_scenario(plan)
    heard = []
    plan.changed.connect(heard.append)
    sc.adopt(plan, scenario.id)
    assert len(heard) == 1
    change = heard[0]
    assert plan.forecast_inputs is scenario.inputs
    assert [plan.figure(forecast_ref("placed", y)).text for y in YEARS] == ["341", "347", "352", "356", "361"]
    assert [plan.figure(forecast_ref("growth", y)).text for y in YEARS[1:]] == ["3.3%"] * 4
    assert forecast_text(plan) != before_text and "361" in forecast_text(plan)
    after_8 = [[i.figure(y, "plan").text for y in YEARS[1:]] for i in needed]
    assert after_8 != before_8
    school = next(i for i in needed if i.role == foster.NEEDED_ROLE + "school")
    eligible = plan.figure(forecast_ref("eligible.school", 2029)).number
    assert school.figure(2029, "plan").number == (eligible * Decimal(40) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    # The one notification names the inputs that differ and every derived figure that moved, section 8's too.
    assert forecast_ref("growth", 2026) in change.figures
    assert forecast_ref("placed", 2029) in change.figures
    assert FigureRef(8, school.id, 2029, "plan") in change.figures
    assert forecast_ref("population", 2026) not in change.figures
    # Adopting the published one again gives the published section 8 back.
    sc.adopt(plan, plan.scenarios[0].id)
    assert [[i.figure(y, "plan").text for y in YEARS[1:]] for i in needed] == before_8


def test_adoptions_stay_section_7s_for_every_scenario(published_plan):
    scenario = growth_scenario(published_plan)
    published_plan.set_figure(FigureRef(7, ADOPTION_LABEL, 2027, "plan"), "10件")
    result = sc.result(published_plan, scenario.id)
    assert int(result.number("placed", 2027, "plan")) == 358 - 10
    assert int(result.number("before_adoption", 2027, "plan")) == 358


def test_a_scenarios_inputs_are_validated_like_the_plans(published_plan):
    scenario = sc.create(published_plan, "B")
    before = plan_snapshot(published_plan)
    with pytest.raises(sc.ScenarioError, match=r"「B」の児童人口 R8年度.*負の値"):
        sc.set_figures(published_plan, scenario.id, [(("growth", 2027, "plan"), "3%"), (("population", 2026, "plan"), "-5")])
    with pytest.raises(sc.ScenarioError, match="計算で求める"):
        sc.set_figures(published_plan, scenario.id, [(("placed", 2026, "plan"), "300")])
    assert plan_snapshot(published_plan) == before


def test_names_are_unique_and_not_empty(published_plan):
    with pytest.raises(sc.ScenarioError, match="シナリオ名を入力"):
        sc.create(published_plan, "  ")
    with pytest.raises(sc.ScenarioError, match="同じ名前のシナリオ「採用案」"):
        sc.create(published_plan, " 採用案 ")
    scenario = sc.create(published_plan, "B")
    with pytest.raises(sc.ScenarioError, match="同じ名前"):
        sc.rename(published_plan, scenario.id, "採用案")
    assert sc.rename(published_plan, scenario.id, "B2") == "B"
    assert sc.suggested_name(published_plan, "採用案") == "採用案のコピー"


def test_the_adopted_and_the_last_scenario_cannot_be_deleted(published_plan):
    adopted = sc.adopted(published_plan)
    with pytest.raises(sc.ScenarioError, match="採用中のシナリオ「採用案」は削除できません"):
        sc.delete(published_plan, adopted.id)
    other = sc.create(published_plan, "B")
    sc.adopt(published_plan, other.id)
    index, removed = sc.delete(published_plan, adopted.id)
    assert (index, removed.name) == (0, "採用案")
    with pytest.raises(sc.ScenarioError):
        sc.delete(published_plan, other.id)


@pytest.mark.parametrize("edit", ["create", "rename", "set_figures", "adopt", "delete", "set_adopted_figures"])
def test_restoring_the_state_before_an_edit_gives_the_plan_back_exactly(with_section_8, edit):
    plan = with_section_8
    other = growth_scenario(plan)
    before = plan_snapshot(plan)
    printed = forecast_text(plan)
    saved = sc.state(plan)
    {
        "create": lambda: sc.create(plan, "C", other.id),
        "rename": lambda: sc.rename(plan, other.id, "D"),
        "set_figures": lambda: sc.set_figures(plan, other.id, [(("share.infant", None, "plan"), "20%")]),
        "adopt": lambda: sc.adopt(plan, other.id),
        "delete": lambda: sc.delete(plan, other.id),
        "set_adopted_figures": lambda: sc.set_figures(plan, plan.adopted_id, [(("population", 2027, "plan"), "250,000")]),
    }[edit]()
    after = sc.state(plan)
    assert plan_snapshot(plan) != before
    sc.restore(plan, saved)
    assert plan_snapshot(plan) == before
    assert forecast_text(plan) == printed
    sc.restore(plan, after)
    assert sc.state(plan) == after


def test_a_scenario_keeps_the_cells_of_dropped_years_for_the_undo(published_plan):
    scenario = growth_scenario(published_plan)
    before = plan_snapshot(published_plan)
    old, dropped = st.set_years(published_plan, (2024, 2025, 2026, 2027))
    assert all(k[1] in (None, 2024, 2025, 2026, 2027) for k in sc.effective_inputs(published_plan, scenario).cells)
    assert sc.result(published_plan, scenario.id).number("placed", 2029, "plan") is None
    st.restore_years(published_plan, old, dropped)
    assert plan_snapshot(published_plan) == before
