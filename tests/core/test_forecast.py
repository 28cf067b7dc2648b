"""The section-5 forecast reproduces both published tables and follows what-if edits."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kawasaki_planner.core import forecast as fc
from kawasaki_planner.core.plan import ADOPTION_LABEL, FigureRef, forecast_ref

YEARS = range(2025, 2030)
PUBLISHED = {
    "rate": ["0.144%", "0.148%", "0.152%", "0.156%", "0.160%"],
    "before_adoption": ["347", "351", "354", "356", "358"],
    "placed": ["341", "345", "348", "350", "352"],
    "age.infant": ["32", "32", "33", "33", "33"],
    "age.preschool": ["48", "49", "49", "49", "50"],
    "age.school": ["261", "264", "266", "268", "269"],
    "age.total": ["341", "345", "348", "350", "352"],
    "eligible.infant": ["32", "32", "33", "33", "33"],
    "eligible.preschool": ["42", "43", "43", "43", "44"],
    "eligible.school": ["206", "203", "205", "207", "202"],
    "eligible.total": ["280", "278", "281", "283", "279"],
}
PUBLISHED_R6 = {
    "before_adoption": "343", "placed": "342", "eligible.infant": "35", "eligible.preschool": "50",
    "eligible.school": "211", "age.total": "342", "eligible.total": "296",
}


def texts(plan, key, kind="plan", years=YEARS):
    return [plan.figure(forecast_ref(key, y, kind)).text for y in years]


@pytest.mark.parametrize("key", sorted(PUBLISHED))
def test_every_published_forecast_row_is_reproduced(published_plan, key):
    assert texts(published_plan, key) == PUBLISHED[key]


@pytest.mark.parametrize("key", sorted(PUBLISHED_R6))
def test_r6_actual_column(published_plan, key):
    assert published_plan.figure(forecast_ref(key, 2024, "actual")).text == PUBLISHED_R6[key]


def test_rates_are_chained_without_rounding(published_plan):
    rates = published_plan.forecast.raw_rates
    assert rates[2026] == Decimal("0.147888")
    assert round(rates[2027], 6) == Decimal("0.151881")
    assert round(rates[2028], 6) == Decimal("0.155982")
    assert round(rates[2029], 6) == Decimal("0.160193")


def test_growth_is_printed_as_a_dash_in_the_first_year(published_plan):
    assert texts(published_plan, "growth") == ["-", "2.7%", "2.7%", "2.7%", "2.7%"]


def test_population_edit_moves_the_counts(published_plan):
    published_plan.set_figure(forecast_ref("population", 2027), "250,000")
    # 250,000 × 0.151880976 % = 379.70 → 380; minus 6 adoptions.
    assert texts(published_plan, "before_adoption")[2] == "380"
    assert texts(published_plan, "placed")[2] == "374"
    ages = [int(t) for t in (texts(published_plan, f"age.{k}")[2] for k, _ in fc.AGE_GROUPS)]
    assert sum(ages) == 374
    assert texts(published_plan, "placed")[1] == "345"  # other years untouched


def test_growth_edit_changes_that_year_and_every_later_one(published_plan):
    published_plan.set_figure(forecast_ref("growth", 2027), "10%")
    rates = published_plan.forecast.raw_rates
    assert rates[2027] == Decimal("0.147888") * Decimal("1.10")
    assert rates[2028] == rates[2027] * Decimal("1.027")
    assert texts(published_plan, "rate")[:2] == ["0.144%", "0.148%"]
    assert texts(published_plan, "rate")[2] == "0.163%"


def test_base_rate_edit_moves_every_year(published_plan):
    published_plan.set_figure(forecast_ref("rate", 2025), "0.150%")
    assert texts(published_plan, "rate") == ["0.150%", "0.154%", "0.158%", "0.162%", "0.167%"]
    # 241,047 × 0.150 % = 361.57 → 362; minus 6.
    assert texts(published_plan, "placed")[0] == "356"


def test_adoption_target_in_section_7_is_the_deduction(published_plan):
    published_plan.set_figure(FigureRef(7, ADOPTION_LABEL, 2026, "plan"), "10件")
    assert texts(published_plan, "placed")[1] == str(351 - 10)
    assert texts(published_plan, "before_adoption")[1] == "351"
    published_plan.set_figure(FigureRef(7, ADOPTION_LABEL, 2024, "actual"), "3件")
    assert published_plan.figure(forecast_ref("placed", 2024, "actual")).text == "340"


def test_exclusions_and_shares_drive_the_age_table(published_plan):
    published_plan.set_figure(forecast_ref("excluded.school", 2025), "60")
    assert texts(published_plan, "eligible.school")[0] == str(261 - 60)
    published_plan.set_figure(forecast_ref("share.infant", None), "20%")
    ages = [int(texts(published_plan, f"age.{k}")[0]) for k, _ in fc.AGE_GROUPS]
    assert sum(ages) == 341 and ages[0] > 32


def test_missing_input_leaves_dependents_blank(published_plan):
    published_plan.set_figure(forecast_ref("growth", 2028), "")
    assert texts(published_plan, "rate")[3:] == ["", ""]
    assert texts(published_plan, "placed")[3:] == ["", ""]
    assert texts(published_plan, "placed")[2] == "348"


@given(st.integers(0, 100_000), st.lists(st.decimals(min_value=0, max_value=100, places=1), min_size=3, max_size=3))
def test_apportion_always_adds_up(total, shares):
    parts = fc.apportion(total, shares)
    if sum(shares) > 0:
        assert sum(parts) == total
        assert all(p >= 0 for p in parts)


def test_apportion_gives_the_remainder_to_the_largest_fraction():
    assert fc.apportion(341, [Decimal("9.4"), Decimal("14.1"), Decimal("76.5")]) == [32, 48, 261]
    assert fc.apportion(345, [Decimal("9.4"), Decimal("14.1"), Decimal("76.5")]) == [32, 49, 264]
