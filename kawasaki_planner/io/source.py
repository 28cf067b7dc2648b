"""The plan as a plain dictionary (the JSON the sample workbook is built from)."""

from __future__ import annotations

import json
from pathlib import Path

from ..core import forecast as fc
from ..core.plan import Direction, Indicator, NarrativeBlock, Plan, Section, StatusItem, default_roles
from ..core.values import conform, parse_figure


def plan_from_source(data: dict) -> Plan:
    """Build a plan from its dictionary form; figures are given as printed text."""
    sections = []
    for s in data["sections"]:
        indicators = []
        for i in s.get("indicators", []):
            unit, print_unit = i.get("unit", ""), i.get("print_unit", True)
            indicator = Indicator(
                label=i["label"],
                unit=unit,
                print_unit=print_unit,
                direction=Direction(i.get("direction", "higher")),
                id=i.get("id", ""),
                role=i.get("role", ""),
            )
            for kind in ("plan", "actual"):
                for year, text in i.get(kind, {}).items():
                    indicator.set_figure(int(year), kind, conform(parse_figure(text), unit, print_unit))
            indicators.append(indicator)
        sections.append(
            Section(
                number=s["number"],
                title=s["title"],
                short_title=s["short_title"],
                narrative=[NarrativeBlock(b["heading"], b["text"]) for b in s.get("narrative", [])],
                status=[StatusItem(x["item"], x["description"]) for x in s.get("status", [])],
                indicators=indicators,
            )
        )
    default_roles(sections)
    forecast = data.get("forecast", {})
    inputs = fc.ForecastInputs(first_year=forecast.get("first_year", fc.FIRST_FORECAST_YEAR))
    for cell in forecast.get("inputs", []):
        spec = fc.ALL_ROWS[cell["row"]]
        figure = conform(parse_figure(cell["text"]), spec.unit, spec.print_unit)
        inputs.cells[(cell["row"], cell["year"], cell["kind"])] = figure
    plan = Plan(sections, inputs, title=data.get("title", "川崎市社会的養育推進計画"))
    for cell in forecast.get("printed", []):
        spec = fc.ALL_ROWS[cell["row"]]
        key = (cell["row"], cell["year"], cell["kind"])
        if not fc.is_input(cell["row"], cell["year"], cell["kind"], inputs.first_year):
            plan.stored_derived[key] = conform(parse_figure(cell["text"]), spec.unit, spec.print_unit)
    return plan


def load_source(path: str | Path) -> Plan:
    return plan_from_source(json.loads(Path(path).read_text(encoding="utf-8")))


def template_source() -> dict:
    """The published plan's structure, shipped with the app (also what 新規 starts from)."""
    from importlib.resources import files

    text = files("kawasaki_planner.resources").joinpath("plan_template.json").read_text(encoding="utf-8")
    return json.loads(text)


def new_plan() -> Plan:
    """A plan with the published sections, texts, rows and age shares, and no figures yet."""
    data = template_source()
    for section in data["sections"]:
        for indicator in section.get("indicators", []):
            indicator["plan"], indicator["actual"] = {}, {}
    forecast = data.get("forecast", {})
    forecast["inputs"] = [c for c in forecast.get("inputs", []) if c["row"].startswith("share.")]
    forecast["printed"] = []
    return plan_from_source(data)
