from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kawasaki_planner.core.evaluation import (
    DEFAULT_THRESHOLDS,
    Status,
    ThresholdError,
    Thresholds,
    evaluate,
    evaluate_year,
    latest_evaluation,
)
from kawasaki_planner.core.plan import Direction, Indicator
from kawasaki_planner.core.values import parse_figure as f


@pytest.mark.parametrize(
    ("target", "actual", "status"),
    [
        ("100人", "130人", Status.FAR_ABOVE),
        ("100人", "120人", Status.FAR_ABOVE),
        ("100人", "110人", Status.ABOVE),
        ("100人", "100人", Status.MET),
        ("100人", "95人", Status.MET),
        ("100人", "90人", Status.BELOW),
        ("100人", "79人", Status.FAR_BELOW),
    ],
)
def test_higher_is_better_uses_actual_over_target(target, actual, status):
    assert evaluate(f(target), f(actual), Direction.HIGHER).status is status


def test_lower_is_better_inverts_the_ratio():
    result = evaluate(f("52日"), f("57日"), Direction.LOWER)
    assert result.ratio == Decimal(52) / Decimal(57)
    assert result.status is Status.BELOW
    assert evaluate(f("86.9%"), f("70.0%"), Direction.LOWER).status is Status.FAR_ABOVE


def test_at_least_target_is_met_by_any_actual_at_or_above_it():
    assert evaluate(f("1回以上"), f("1回"), Direction.AT_LEAST).status is Status.MET
    assert evaluate(f("1回以上"), f("1回以上"), Direction.AT_LEAST).status is Status.MET
    assert evaluate(f("1回以上"), f("3回"), Direction.HIGHER).status is Status.FAR_ABOVE
    assert evaluate(f("1回以上"), f("0回"), Direction.AT_LEAST).status is Status.FAR_BELOW


def test_a_missed_floor_is_never_rated_as_nearly_met():
    # 97 % would be 「ほぼ達成」 for an ordinary target, but a floor of 以上 is simply missed.
    assert evaluate(f("100人以上"), f("97人"), Direction.HIGHER).status is Status.BELOW
    assert evaluate(f("100人"), f("97人"), Direction.HIGHER).status is Status.MET


def test_at_most_target():
    assert evaluate(f("50日以下"), f("40日"), Direction.LOWER).status is Status.FAR_ABOVE
    assert evaluate(f("50日以下"), f("51日"), Direction.LOWER).status is Status.BELOW


def test_exact_target():
    assert evaluate(f("7か所"), f("7か所"), Direction.EXACT).status is Status.MET
    assert evaluate(f("7か所"), f("8か所"), Direction.EXACT).status is Status.BELOW
    assert evaluate(f("7か所"), f("3か所"), Direction.EXACT).status is Status.FAR_BELOW


@pytest.mark.parametrize(
    ("target", "actual", "reason"),
    [
        ("", "5人", "目標がありません"),
        ("5人", "", "実績がありません"),
        ("-", "5人", "「-」"),
        ("5人", "未実施", "数値ではありません"),
        ("0人", "5人", "0以下"),
    ],
)
def test_not_rated_when_no_comparison_is_possible(target, actual, reason):
    result = evaluate(f(target), f(actual), Direction.HIGHER)
    assert result.status is Status.NOT_RATED
    assert result.ratio is None
    assert reason in result.reason
    assert result.status.label == "評価不能"


def test_notes_and_suffixes_do_not_prevent_evaluation():
    assert evaluate(f("7か所(試行実施)"), f("7か所"), Direction.HIGHER).status is Status.MET
    assert evaluate(f("7区で実施"), f("0区"), Direction.HIGHER).status is Status.FAR_BELOW


def test_thresholds_are_configurable_and_validated():
    strict = Thresholds(far_above=Decimal("1.5"), above=Decimal("1.1"), met=Decimal("1.0"), below=Decimal("0.9"))
    assert evaluate(f("100"), f("97"), Direction.HIGHER, strict).status is Status.BELOW
    assert evaluate(f("100"), f("97"), Direction.HIGHER).status is Status.MET
    with pytest.raises(ThresholdError):
        Thresholds(far_above=Decimal("1.0"), above=Decimal("1.1"))
    assert Thresholds(1.3, 1.1, 0.9, 0.7).far_above == Decimal("1.3")


def test_labels_follow_the_city_scale():
    assert [s.label for s in sorted(Status) if s] == [
        "1 目標を大きく上回って達成",
        "2 目標を上回って達成",
        "3 目標をほぼ達成",
        "4 目標を下回った",
        "5 目標を大きく下回った",
    ]


def test_latest_evaluation_prefers_the_most_recent_rated_year():
    indicator = Indicator("研修の受講者数", "人", plan={2025: f("59人"), 2026: f("59人")}, actual={2024: f("68人"), 2025: f("60人")})
    assert evaluate_year(indicator, 2025).status is Status.MET
    year, result = latest_evaluation(indicator, (2024, 2025, 2026))
    assert (year, result.status) == (2025, Status.MET)
    only_actual = Indicator("x", "人", actual={2024: f("68人")})
    year, result = latest_evaluation(only_actual, (2024, 2025))
    assert (year, result.status) == (2024, Status.NOT_RATED)


@given(
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(list(Direction)),
)
def test_every_numeric_pair_gets_a_status_and_more_is_never_worse_when_higher_is_better(target, actual, direction):
    result = evaluate(f(str(target)), f(str(actual)), direction, DEFAULT_THRESHOLDS)
    if direction is not Direction.LOWER or actual > 0:
        assert result.rated
    if direction is Direction.HIGHER:
        better = evaluate(f(str(target)), f(str(actual + 1)), direction)
        assert better.status <= result.status


def test_core_evaluation_does_not_import_qt():
    import subprocess
    import sys

    code = "import sys, kawasaki_planner.core.evaluation; sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
