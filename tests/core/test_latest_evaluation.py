"""latest_evaluation looks only at the years with an actual: it must answer as judging every year would."""

from __future__ import annotations

from kawasaki_planner.core.evaluation import DEFAULT_THRESHOLDS, evaluate_year, latest_evaluation
from kawasaki_planner.core.plan import ACTUAL
from kawasaki_planner.core.values import parse_for_row


def every_year(indicator, years):
    """The rule as written: the most recent year that can be rated, else the most recent year with an actual."""
    fallback = None
    for year in sorted(years, reverse=True):
        evaluation = evaluate_year(indicator, year, DEFAULT_THRESHOLDS)
        if evaluation.rated:
            return year, evaluation
        if fallback is None and not indicator.figure(year, ACTUAL).is_blank:
            fallback = (year, evaluation)
    return fallback


def test_latest_evaluation_is_the_rule_over_every_year(published_plan):
    plan = published_plan
    # Some actuals: rated ones, a 「-」, one outside the plan's years, one without a target.
    six = plan.section(6)
    for indicator, year, text in ((six.indicators[0], 2025, "100"), (six.indicators[1], 2025, "-"),
                                  (six.indicators[2], 2018, "3"), (six.indicators[3], 2030, "1")):
        indicator.set_figure(year, ACTUAL, parse_for_row(text, indicator.unit, indicator.print_unit))
    checked = 0
    for section in plan.sections:
        for indicator in section.indicators:
            expected = every_year(indicator, plan.years)
            year, evaluation = latest_evaluation(indicator, plan.years)
            if expected is None:
                assert year is None and not evaluation.rated
            else:
                assert (year, evaluation) == expected, indicator.label
            checked += 1
    assert checked >= 27
