"""The forecast scenarios side by side as plain text, aligned for a terminal (``forecast --all``)."""

from __future__ import annotations

from . import forecast as fc
from . import scenarios as sc
from .plan import Plan
from .report import _columns, _pad, display_width

# The rows a comparison shows: what the scenarios assume and what they give (forecast.md, steps 1–5).
MAIN_ROWS = ("population", "rate", "growth", "placed", "eligible.total")
ADOPTED_MARK = "(採用)"


def scenario_label(plan: Plan, scenario: sc.Scenario) -> str:
    return scenario.name + (ADOPTED_MARK if sc.is_adopted(plan, scenario.id) else "")


def figure_of(plan: Plan, scenario: sc.Scenario, result: fc.ForecastResult, key: str, year: int | None, kind: str):
    """A scenario's figure at (key, year, kind): typed (its inputs) or computed (its result)."""
    if fc.is_input(key, year, kind, plan.first_forecast_year):
        return sc.effective_inputs(plan, scenario).get(key, year, kind)
    return result.get(key, year, kind)


def comparison_text(plan: Plan, keys=MAIN_ROWS) -> str:
    """One block per row (児童人口, 措置率, 措置率増加率, 措置児童数, 里親等委託率対象児童数): a line per scenario."""
    cols = _columns(plan)
    results = {s.id: sc.result(plan, s.id) for s in plan.scenarios}
    lines = [f"■推計シナリオの比較(採用: {sc.adopted(plan).name})"]
    for key in keys:
        spec = fc.ALL_ROWS[key]
        unit = "" if spec.print_unit else f"(単位:{spec.unit})"
        header = [fc.printed_label(spec) + unit] + [label for _, _, label in cols]
        rows = [[scenario_label(plan, s)] + [figure_of(plan, s, results[s.id], key, y, k).text for y, k, _ in cols]
                for s in plan.scenarios]
        widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines.append("")
        for n, r in enumerate([header, *rows]):
            indent = "" if n == 0 else "  "
            lines.append(indent + "  ".join(_pad(c, widths[i] - (2 if i == 0 and n else 0), right=i > 0) for i, c in enumerate(r)))
    return "\n".join(lines)
