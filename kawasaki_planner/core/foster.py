"""Section 8 (里親・ファミリーホームへの委託の推進): the national 里親等委託率 indicators and the placements they need.

A section 8 comes with one 里親等委託率 indicator per age group (its targets are the planner's; the national goals
are given for reference) and, per group, a computed row: how many children must be placed with foster families to
meet that year's target, from section 5's 里親等委託率対象児童数 of the group (round half up of count × rate). The
computed rows are never typed; they follow every edit of section 5 or of a target, as section 5's own rows do.
"""

from __future__ import annotations

from decimal import Decimal

from . import forecast as fc
from .values import BLANK, Figure, round_half_up

FOSTER_SECTION = 8
RATE_ROLE = "foster_rate."  # + age group key: a 里親等委託率 indicator of section 8
NEEDED_ROLE = "foster_needed."  # + age group key: its computed row
# (section-5 age group key, the national name of the group, the national goal in %)
GROUPS = (
    ("infant", "3歳未満", Decimal(75)),
    ("preschool", "3歳以上の就学前", Decimal(75)),
    ("school", "学童期以降", Decimal(50)),
)
NATIONAL_GOALS = "国の目標(参考): 里親等委託率 3歳未満 75%以上、3歳以上の就学前 75%以上、学童期以降 50%以上"


def rate_label(name: str) -> str:
    return f"里親等委託率({name})"


def needed_label(name: str) -> str:
    return f"目標の達成に必要な里親等委託児童数({name})"


def is_computed(role: str) -> bool:
    return role.startswith(NEEDED_ROLE)


def is_rate(role: str) -> bool:
    return role.startswith(RATE_ROLE)


def national_indicators(number: int):
    """The rows a new section 8 starts with: each group's rate (targets to type) and its computed placements."""
    from .plan import Direction, Indicator

    rows = []
    for key, name, _goal in GROUPS:
        rows.append(Indicator(rate_label(name), "%", True, Direction.HIGHER, id=f"{number}-rate-{key}", role=RATE_ROLE + key))
    for key, name, _goal in GROUPS:
        rows.append(Indicator(needed_label(name), "人", True, Direction.HIGHER, id=f"{number}-needed-{key}",
                              role=NEEDED_ROLE + key))
    return rows


def fill_needed(plan) -> None:
    """Write every computed row's figures: for each forecast year, the group's eligible count × the year's target."""
    from .plan import PLAN

    for section in plan.sections:
        rates = {i.role[len(RATE_ROLE):]: i for i in section.indicators if is_rate(i.role)}
        for indicator in section.indicators:
            if not is_computed(indicator.role):
                continue
            group = indicator.role[len(NEEDED_ROLE):]
            rate = rates.get(group)
            indicator.plan.clear()
            indicator.actual.clear()
            if rate is None:
                continue
            for year in plan.years:
                if year < plan.first_forecast_year:
                    continue
                target = rate.figure(year, PLAN).number
                eligible = plan.forecast.get(f"eligible.{group}", year, PLAN).number
                figure = _needed(target, eligible, indicator.print_unit)
                if not figure.is_blank:
                    indicator.plan[year] = figure


def _needed(target: Decimal | None, eligible: Decimal | None, print_unit: bool) -> Figure:
    if target is None or eligible is None:
        return BLANK
    return Figure(round_half_up(eligible * target / 100) + 0, 0, "人", print_unit)


__all__ = ["FOSTER_SECTION", "GROUPS", "NATIONAL_GOALS", "fc", "fill_needed", "is_computed", "is_rate", "national_indicators"]
