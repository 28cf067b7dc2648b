"""Disagreements between the figures a workbook stored and the ones the plan's method gives."""

from __future__ import annotations

from dataclasses import dataclass

from . import forecast as fc
from .fiscal import year_label
from .plan import ACTUAL, FORECAST_SECTION, PLAN, Plan


@dataclass(frozen=True)
class Finding:
    section: int
    row: str
    year: int | None
    kind: str
    stored: str
    recomputed: str
    message: str


def _kind_label(kind: str) -> str:
    return "見込み" if kind == PLAN else "実績"


def check_plan(plan: Plan) -> list[Finding]:
    """Each stored derived figure that the recomputation does not reproduce as printed, in table order."""
    findings = []
    order = {spec.key: i for i, spec in enumerate((*fc.FORECAST_ROWS, *fc.AGE_ROWS, *fc.ASSUMPTION_ROWS))}
    for (key, year, kind), stored in sorted(plan.stored_derived.items(), key=lambda kv: (order[kv[0][0]], kv[0][1] or 0)):
        fresh = plan.forecast.get(key, year, kind)
        if stored.has_value and fresh.has_value:
            shown = fresh.with_number(fresh.number if key != "rate" else plan.forecast.raw_rates.get(year, fresh.number),
                                      stored.decimals)
            if shown.text == stored.text:
                continue
            recomputed = shown.text
        elif stored.text == fresh.text:
            continue
        else:
            recomputed = fresh.text or "(計算できません)"
        label = fc.printed_label(fc.ALL_ROWS[key])
        where = f"{year_label(year)} {_kind_label(kind)}" if year else _kind_label(kind)
        findings.append(
            Finding(FORECAST_SECTION, key, year, kind, stored.text, recomputed,
                    f"5 {label} {where}: ブックの値 {stored.text} / 再計算 {recomputed}")
        )
    findings.extend(_actual_totals(plan))
    return findings


def _actual_totals(plan: Plan) -> list[Finding]:
    """Actual 措置児童数 (from rate and adoptions) against the sum of the actual age counts."""
    out = []
    for year in plan.years:
        placed = plan.forecast.get("placed", year, ACTUAL)
        total = plan.forecast.get("age.total", year, ACTUAL)
        if placed.has_value and total.has_value and placed.number != total.number:
            out.append(
                Finding(FORECAST_SECTION, "age.total", year, ACTUAL, total.text, placed.text,
                        f"5 {year_label(year)} 実績: 年齢別の合計 {total.text} が措置児童数 {placed.text} と一致しません")
            )
    return out
