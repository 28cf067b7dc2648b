"""The section-5 tables as plain text, aligned for a terminal."""

from __future__ import annotations

import unicodedata

from . import forecast as fc
from .fiscal import era_label
from .plan import ACTUAL, PLAN, Plan, forecast_ref


def display_width(text: str) -> int:
    """Columns a text takes in a terminal: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(0, width - display_width(text))
    return space + text if right else text + space


def _columns(plan: Plan) -> list[tuple[int, str, str]]:
    """Forecast years as 見込み, then the years before them as 実績, as the plan prints them."""
    first = plan.first_forecast_year
    cols = [(y, PLAN, era_label(y)) for y in plan.years if y >= first]
    cols += [(y, ACTUAL, f"実績 {era_label(y)}") for y in plan.years if y < first]
    return cols


def table_text(plan: Plan, title: str, specs) -> str:
    cols = _columns(plan)
    rows = [[s.label]
            + [plan.figure(forecast_ref(s.key, y, k)).text for y, k, _ in cols] for s in specs]
    header = ["(単位:人)"] + [label for _, _, label in cols]
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [title]
    for r in [header, *rows]:
        lines.append("  ".join(_pad(c, widths[i], right=i > 0) for i, c in enumerate(r)))
    return "\n".join(lines)


def adoption_note(plan: Plan) -> str:
    """Which indicator's figures are deducted as special adoptions, or plainly that none are."""
    indicator = plan.adoption_indicator()
    if indicator is None:
        return "※特別養子縁組を控除する指標がないため、措置児童数から特別養子縁組を控除していません"
    return f"※措置児童数は、指標「{indicator.label}」の件数を特別養子縁組として控除した数です"


def forecast_text(plan: Plan) -> str:
    """Both published section-5 tables, recomputed, and what the deduction is."""
    return "\n\n".join(
        (
            table_text(plan, "■代替養育を必要とする児童数の推計", fc.FORECAST_ROWS),
            table_text(plan, "■代替養育を必要とする児童数の推計(年齢別)", fc.AGE_ROWS),
            adoption_note(plan),
        )
    )
