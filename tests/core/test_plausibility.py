"""Plausibility rules: impossible figures are refused where they enter the plan, unlikely ones warned about."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kawasaki_planner.core.plan import ADOPTION_LABEL, FigureRef, forecast_ref
from kawasaki_planner.core.plausibility import (
    COUNT_UNITS,
    Finding,
    Severity,
    cross_findings,
    figure_finding,
    judge,
    plan_findings,
)
from kawasaki_planner.core.values import BLANK, DASH, Figure, FigureError, conform, parse_figure

ROOT = Path(__file__).resolve().parents[2]
COUNT = FigureRef(2, "意見表明支援を利用可能な児童数", 2025, "actual")  # 人
DAYS = FigureRef(6, "一時保護施設平均入所日数", 2025, "actual")  # 日: not a count
PERCENT = FigureRef(6, "一時保護施設平均入所率", 2025, "actual")
RATE = forecast_ref("rate", 2025)  # R7 措置率, typed
GROWTH = forecast_ref("growth", 2027)
SHARES = tuple(forecast_ref(f"share.{g}", None) for g in ("infant", "preschool", "school"))
SAMPLE_COUNT_ROWS = {
    "人": COUNT,
    "か所": FigureRef(3, "こども家庭センターの設置数", 2025, "plan"),
    "件": FigureRef(3, "児童相談所からの在宅指導措置委託件数", 2025, "plan"),
    "回": FigureRef(4, "研修の実施回数(年間)", 2025, "plan"),
    "班": FigureRef(7, "児童相談所における専門チームの配備", 2025, "plan"),
    "区": FigureRef(3, "こども家庭センターにおけるサポートプランの策定状況", 2025, "plan"),
}


def finding_at(plan, ref, text):
    """The finding on ``text`` typed at ``ref``, fit to its row as Plan.prepare fits it."""
    unit, print_unit = plan.row_unit(ref)
    return figure_finding(plan, ref, conform(parse_figure(text), unit, print_unit))


def severity(finding: Finding | None):
    return None if finding is None else finding.severity


# --- the published plan -------------------------------------------------------


def test_the_published_plan_has_no_finding_at_all():
    from kawasaki_planner.io.source import load_source

    plan = load_source(ROOT / "sample_data" / "plan_source.json")
    assert plan_findings(plan) == []  # not one refusal, and not one warning either


def test_the_api_imports_on_its_own_without_a_cycle():
    code = "from kawasaki_planner.core.plausibility import figure_finding, plan_findings, Severity, Finding; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "ok"
    assert Severity.WARNING.value == "warning" and Severity.REFUSED.value == "refused"


# --- counts ---------------------------------------------------------------------


@pytest.mark.parametrize("unit", sorted(SAMPLE_COUNT_ROWS))
def test_a_negative_count_is_refused_in_every_count_row_and_zero_is_fine(published_plan, unit):
    ref = SAMPLE_COUNT_ROWS[unit]
    refused = finding_at(published_plan, ref, "-1")
    assert refused.severity is Severity.REFUSED
    assert refused.message == f"-1{unit} は負の値です(人数・件数などは 0 以上です)"
    assert finding_at(published_plan, ref, "0") is None
    assert finding_at(published_plan, ref, "1") is None


ISSUE_COUNT_UNITS = ("人", "か所", "件", "回", "班", "区", "施設", "名", "世帯")


def test_the_count_units_are_the_issues():
    assert set(ISSUE_COUNT_UNITS) == COUNT_UNITS
    assert not {"日", "%", ""} & COUNT_UNITS


@pytest.mark.parametrize("unit", ISSUE_COUNT_UNITS)
def test_every_count_unit_refuses_negatives_and_fractions(unit):
    assert severity(judge(parse_figure(f"-1{unit}"), unit)) is Severity.REFUSED
    assert severity(judge(parse_figure(f"0.5{unit}"), unit)) is Severity.REFUSED
    assert judge(parse_figure(f"3{unit}"), unit) is None


def test_a_fraction_of_a_count_is_refused_a_whole_number_is_not(published_plan):
    refused = finding_at(published_plan, COUNT, "2.5")
    assert refused == Finding(Severity.REFUSED, "2.5人 は整数ではありません(人数・件数などは整数です)")
    assert finding_at(published_plan, COUNT, "2") is None
    assert finding_at(published_plan, COUNT, "2.0") is None  # a whole number, printed with a decimal
    assert severity(finding_at(published_plan, COUNT, "0.1")) is Severity.REFUSED


def test_days_are_not_a_count_an_average_may_have_decimals(published_plan):
    assert finding_at(published_plan, DAYS, "52.5") is None


def test_a_row_without_unit_is_not_judged_as_a_count():
    assert judge(parse_figure("2.5"), "") is None


# --- what an .xlsx cell can store ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("123,456,789,012,345", False),  # 15 significant digits: Excel keeps them
        ("1,234,567,890,123,456", True),  # 16
        ("123456789012345678901234567890", True),  # the 30-digit figure that made every save fail
        ("1,000,000,000,000,000,000", False),  # one significant digit: a double holds it exactly
    ],
)
def test_more_than_15_significant_digits_are_refused(published_plan, text, refused):
    finding = finding_at(published_plan, COUNT, text)
    if not refused:
        assert finding is None
        return
    assert finding.severity is Severity.REFUSED
    assert "有効桁数が15桁を超えるため Excel に正確に保存できません" in finding.message


def test_significant_digits_count_decimals_too(published_plan):
    assert finding_at(published_plan, PERCENT, "12.3456789012345") is None  # 15
    assert severity(finding_at(published_plan, PERCENT, "12.34567890123456")) is Severity.REFUSED  # 16
    assert finding_at(published_plan, PERCENT, "0.000000000000001") is None  # 1 significant digit


# --- rates and percentages -------------------------------------------------------


def test_a_negative_percentage_is_refused_zero_is_fine(published_plan):
    assert finding_at(published_plan, PERCENT, "-0.1") == Finding(Severity.REFUSED, "-0.1% は負の値です(割合は 0% 以上です)")
    assert finding_at(published_plan, PERCENT, "0") is None
    assert severity(finding_at(published_plan, RATE, "-0.001")) is Severity.REFUSED
    assert severity(finding_at(published_plan, SHARES[0], "-1")) is Severity.REFUSED


def test_a_percentage_above_100_is_a_warning(published_plan):
    assert finding_at(published_plan, PERCENT, "100") is None
    assert finding_at(published_plan, PERCENT, "100.1") == Finding(Severity.WARNING, "100.1% は 100% を超えています")
    assert severity(finding_at(published_plan, SHARES[2], "100.1")) is Severity.WARNING


@pytest.mark.parametrize("ref", [RATE, forecast_ref("rate", 2024, "actual")], ids=["plan", "actual"])
def test_a_placement_rate_above_one_percent_is_a_warning(published_plan, ref):
    assert finding_at(published_plan, ref, "1.000") is None
    warned = finding_at(published_plan, ref, "1.001")
    assert warned == Finding(Severity.WARNING, "措置率 1.001% は 1% を超えています(小数点の位置を確かめてください)")
    # 150 % is also above 100 %: the rate's own message says more.
    assert "措置率 150% は 1% を超えています" in finding_at(published_plan, ref, "150").message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-100.1", Severity.REFUSED),
        ("-100", Severity.REFUSED),
        ("-99.9", Severity.WARNING),
        ("-50.1", Severity.WARNING),
        ("-50", None),
        ("-0.1", None),  # a falling rate: the growth rate may be negative
        ("0", None),
        ("50", None),
        ("50.1", Severity.WARNING),
    ],
)
def test_growth_rate_boundaries(published_plan, text, expected):
    assert severity(finding_at(published_plan, GROWTH, text)) is expected
    assert severity(finding_at(published_plan, forecast_ref("growth", 2024, "actual"), text)) is expected


def test_growth_messages(published_plan):
    assert finding_at(published_plan, GROWTH, "-100").message == "措置率増加率 -100% では措置率が 0 以下になります(-100% より大きい値です)"
    assert finding_at(published_plan, GROWTH, "60").message == "措置率増加率 60% は ±50% を超えています(1年の変化として大きすぎませんか)"


# --- no number, no finding --------------------------------------------------------


@pytest.mark.parametrize("figure", [BLANK, DASH, parse_figure("未定"), parse_figure("-")])
@pytest.mark.parametrize("ref", [COUNT, PERCENT, RATE, GROWTH, SHARES[0]])
def test_blank_dash_and_text_have_no_finding(published_plan, figure, ref):
    assert figure_finding(published_plan, ref, figure) is None


def test_a_long_value_is_quoted_shortened(published_plan):
    note = "あ" * 60
    finding = finding_at(published_plan, PERCENT, f"150({note})")
    text = f"150%({note})"
    assert finding.message == text[:39] + "… は 100% を超えています"


# --- the age shares add up to 100 % ------------------------------------------------------


def set_shares(plan, *texts):
    plan.set_figures(list(zip(SHARES, texts, strict=True)))


def test_shares_adding_up_to_100_have_no_finding(published_plan):
    set_shares(published_plan, "33.3%", "33.3%", "33.4%")
    assert cross_findings(published_plan) == []
    assert plan_findings(published_plan) == []


def test_shares_not_adding_up_warn_on_each_of_the_three(published_plan):
    set_shares(published_plan, "33.3%", "33.3%", "33.3%")
    expected = Finding(Severity.WARNING, "年齢構成比の合計が 99.9% で、100% になりません")
    assert cross_findings(published_plan) == [(ref, expected) for ref in SHARES]
    assert plan_findings(published_plan) == [(ref, expected) for ref in SHARES]
    set_shares(published_plan, "33.4%", "33.3%", "33.4%")
    assert {f.message for _, f in cross_findings(published_plan)} == {"年齢構成比の合計が 100.1% で、100% になりません"}


def test_shares_are_added_as_printed(published_plan):
    # The numbers add up to 100.00, but the plan prints 33.3 % three times: 99.9 %.
    set_shares(published_plan, Figure(Decimal("33.34"), 1, "%"), Figure(Decimal("33.33"), 1, "%"), Figure(Decimal("33.33"), 1, "%"))
    assert [published_plan.figure(ref).text for ref in SHARES] == ["33.3%", "33.3%", "33.3%"]
    assert len(cross_findings(published_plan)) == 3
    # And the other way round: 33.35 + 33.35 + 33.30 is 100.00 but prints 33.4 + 33.4 + 33.3 = 100.1 %.
    set_shares(published_plan, Figure(Decimal("33.35"), 1, "%"), Figure(Decimal("33.35"), 1, "%"), Figure(Decimal("33.30"), 1, "%"))
    assert "100.1%" in cross_findings(published_plan)[0][1].message


def test_shares_not_all_typed_are_not_summed(published_plan):
    published_plan.set_figure(SHARES[1], "")
    assert cross_findings(published_plan) == []


# --- computed figures ------------------------------------------------------------------


def test_a_negative_computed_count_is_a_warning_on_that_cell(published_plan):
    # 10,000 adoptions a year: 措置児童数 = before adoptions − adoptions goes negative.
    published_plan.set_figure(FigureRef(7, ADOPTION_LABEL, 2026, "plan"), "10,000件")
    placed = forecast_ref("placed", 2026)
    assert not published_plan.is_input(placed)
    assert published_plan.figure(placed).number < 0
    finding = figure_finding(published_plan, placed, published_plan.figure(placed))
    assert finding.severity is Severity.WARNING  # computed: never refused
    assert finding.message == f"計算の結果 {published_plan.figure(placed).text} と負の値になりました(入力値を確かめてください)"
    found = dict(plan_findings(published_plan))
    assert found[placed] == finding
    assert all(f.severity is Severity.WARNING for f in found.values())
    assert forecast_ref("eligible.total", 2026) in found  # the age split's eligible counts go negative too


def test_a_computed_rate_above_one_percent_is_a_warning(published_plan):
    published_plan.set_figure(forecast_ref("rate", 2025), "0.9%")
    published_plan.set_figure(forecast_ref("growth", 2026), "20%")  # 0.9 % × 1.2 = 1.08 %
    found = dict(plan_findings(published_plan))
    assert found[forecast_ref("rate", 2026)].severity is Severity.WARNING
    assert forecast_ref("rate", 2025) not in found


def test_findings_come_in_plan_order(published_plan):
    plan = published_plan
    # Refused figures cannot be set through the plan: store them as a loader that does not judge might.
    section2 = plan.section(2).indicator("子どもの権利擁護に関する研修の受講者数")
    section2.set_figure(2025, "actual", Figure(Decimal("1.5"), 1, "人"))
    section2.set_figure(2025, "plan", Figure(Decimal("-2"), 0, "人"))
    plan.section(7).indicator("親子再統合支援事業による各種支援の実施件数").set_figure(2026, "actual", Figure(Decimal(-1), 0, "件"))
    plan.set_figures([(GROWTH, "60%"), (SHARES[0], "10%")])
    refs = [ref for ref, _ in plan_findings(plan)]
    assert refs == [
        FigureRef(2, "子どもの権利擁護に関する研修の受講者数", 2025, "plan"),
        FigureRef(2, "子どもの権利擁護に関する研修の受講者数", 2025, "actual"),
        GROWTH,
        *SHARES,
        FigureRef(7, "親子再統合支援事業による各種支援の実施件数", 2026, "actual"),
    ]
    assert [f.severity for _, f in plan_findings(plan)] == [Severity.REFUSED, Severity.REFUSED, *[Severity.WARNING] * 4, Severity.REFUSED]
    assert plan_findings(plan) == plan_findings(plan)


# --- Plan.prepare refuses, and only what is impossible ---------------------------------------


@pytest.mark.parametrize(
    ("ref", "text", "reason"),
    [
        (COUNT, "-5", "-5人 は負の値です"),
        (COUNT, "2.5人", "2.5人 は整数ではありません"),
        (COUNT, "1234567890123456", "有効桁数が15桁を超える"),
        (PERCENT, "-1%", "-1% は負の値です"),
        (GROWTH, "-100%", "では措置率が 0 以下になります"),
        (forecast_ref("population", 2026), "-1", "-1 は負の値です"),
        (forecast_ref("excluded.school", 2026), "0.5", "0.5 は整数ではありません"),
        (forecast_ref("age.infant", 2024, "actual"), "-3", "-3 は負の値です"),
    ],
)
def test_prepare_refuses_impossible_figures_and_the_plan_keeps_its_value(published_plan, ref, text, reason):
    before = published_plan.figure(ref)
    with pytest.raises(FigureError, match=reason):
        published_plan.set_figure(ref, text)
    assert published_plan.figure(ref) == before


def test_prepare_accepts_what_is_only_unlikely(published_plan):
    assert published_plan.set_figure(RATE, "1.5").text == "1.5%"
    assert published_plan.set_figure(GROWTH, "60%").text == "60%"
    assert published_plan.set_figure(PERCENT, "120%").text == "120%"
    assert {ref for ref, _ in plan_findings(published_plan)} >= {RATE, GROWTH, PERCENT}


def test_one_refused_figure_refuses_the_whole_change(published_plan):
    before = published_plan.figure(COUNT)
    with pytest.raises(FigureError):
        published_plan.set_figures([(COUNT, "5"), (PERCENT, "-1")])
    assert published_plan.figure(COUNT) == before
