"""The whole plan as a tidy table: one row per printed figure (CSV for Excel, or JSON).

Columns: section, indicator, fiscal_year, kind, value, unit, text. Section 5's derived
rows carry their recomputed values; 「-」 and blank cells are not figures and have no row.
The forecast assumptions (age shares, children outside the base) are not printed in
the plan and are kept in the workbook only.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal

from ..core import forecast as fc
from ..core.plan import FORECAST_SECTION, KINDS, Plan, forecast_ref
from ..core.values import Figure
from .cells import FORMULA_STARTS

COLUMNS = ("section", "indicator", "fiscal_year", "kind", "value", "unit", "text")


def tidy_rows(plan: Plan) -> Iterator[dict[str, object]]:
    for section in plan.sections:
        if section.number == FORECAST_SECTION:
            for spec in (*fc.FORECAST_ROWS, *fc.AGE_ROWS):
                label = fc.printed_label(spec)
                for year in plan.years:
                    for kind in KINDS:
                        yield from _row(section.number, label, year, kind, plan.figure(forecast_ref(spec.key, year, kind)),
                                        spec.unit)
        for indicator in section.indicators:
            for year in plan.years:
                for kind in KINDS:
                    yield from _row(section.number, indicator.label, year, kind, indicator.figure(year, kind),
                                    indicator.unit)


def _row(section: int, label: str, year: int, kind: str, figure: Figure, unit: str):
    if not figure.has_value:
        return
    yield {
        "section": section,
        "indicator": label,
        "fiscal_year": year,
        "kind": kind,
        "value": figure.plain_value,
        "unit": unit,
        "text": figure.text,
    }


def _neutralise(text: str) -> str:
    """A leading =, +, - or @ would make Excel run the cell as a formula; a quote keeps it text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(plan: Plan) -> str:
    """CSV text; written with a BOM (utf-8-sig) so Excel reads the Japanese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in tidy_rows(plan):
        writer.writerow(
            _neutralise(str(row[c])) if c in ("indicator", "unit", "text") else row[c] for c in COLUMNS
        )
    return buffer.getvalue()


def _json_number(text: str) -> int | float | None:
    if not text:
        return None
    number = Decimal(text)
    return int(number) if number == number.to_integral_value() and "." not in text else float(number)


def to_json(plan: Plan) -> str:
    rows = [{**row, "value": _json_number(str(row["value"]))} for row in tidy_rows(plan)]
    return json.dumps(rows, ensure_ascii=False, indent=1)


def write_export(plan: Plan, fmt: str, target: str | None) -> str | None:
    """Write to ``target`` (CSV with BOM), or return the text for standard output."""
    return write_text(to_csv(plan) if fmt == "csv" else to_json(plan), fmt, target)


def write_text(text: str, fmt: str, target: str | None) -> str | None:
    """Write a CSV (with a BOM, for Excel) or JSON text to ``target``; without one, return it for standard output.
    Every table the command line writes (export, diff) goes through here, so they all open alike in Excel."""
    if target is None:
        return text
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with open(target, "w", encoding=encoding, newline="") as handle:
        handle.write(text)
    return None
