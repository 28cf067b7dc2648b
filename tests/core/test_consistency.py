from kawasaki_planner.core.consistency import check_plan
from kawasaki_planner.core.plan import forecast_ref
from kawasaki_planner.core.values import parse_figure


def test_the_published_plan_has_exactly_its_known_flaw(published_plan):
    findings = check_plan(published_plan)
    assert [(f.row, f.year, f.stored, f.recomputed) for f in findings] == [("rate", 2029, "0.161%", "0.160%")]
    assert "0.161%" in findings[0].message and "0.160%" in findings[0].message


def test_a_typed_derived_count_is_reported(published_plan):
    published_plan.stored_derived[("placed", 2026, "plan")] = parse_figure("400")
    rows = {(f.row, f.year) for f in check_plan(published_plan)}
    assert ("placed", 2026) in rows


def test_actual_age_counts_must_add_up_to_the_actual_total(published_plan):
    published_plan.set_figure(forecast_ref("age.school", 2024, "actual"), "250")
    assert any(f.row == "age.total" and f.year == 2024 for f in check_plan(published_plan))
