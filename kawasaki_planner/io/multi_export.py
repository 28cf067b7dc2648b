"""Several plans in one tidy table (a prefecture's cities, the national survey): ``export A.xlsx B.xlsx``.

The same rows as :mod:`.tidy` with a first column ``plan``: the plan's title, or, when two plans share a title,
the title and the workbook's file name. CSV for Excel (BOM, CRLF, formula-like text quoted) or JSON, as a single
plan's export. Plain Python rather than pandas: pandas is no dependency of the app (the Windows build leaves it
out), and joining row lists needs nothing more; the rows load into ``pandas.read_csv`` as one frame.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..core.plan import Plan
from .tidy import COLUMNS, _json_number, _neutralise, tidy_rows, write_text

PLAN_COLUMN = "plan"
ALL_COLUMNS = (PLAN_COLUMN, *COLUMNS)
TEXT_COLUMNS = (PLAN_COLUMN, "indicator", "unit", "text")


def plan_names(plans: list[Plan], paths: list[str | Path]) -> list[str]:
    """Each plan's title; titles that collide get the file name, and a number if even that collides."""
    titles = Counter(plan.title for plan in plans)
    names = [plan.title if titles[plan.title] == 1 else f"{plan.title} ({Path(path).name})"
             for plan, path in zip(plans, paths, strict=True)]
    counts, seen = Counter(names), Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if counts[name] == 1 else f"{name} #{seen[name]}")
    return out


def combined_rows(plans: list[Plan], names: list[str]) -> Iterator[dict[str, object]]:
    for plan, name in zip(plans, names, strict=True):
        for row in tidy_rows(plan):
            yield {PLAN_COLUMN: name, **row}


def to_csv(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ALL_COLUMNS)
    for row in rows:
        writer.writerow(_neutralise(str(row[c])) if c in TEXT_COLUMNS else row[c] for c in ALL_COLUMNS)
    return buffer.getvalue()


def to_json(rows) -> str:
    return json.dumps([{**row, "value": _json_number(str(row["value"]))} for row in rows], ensure_ascii=False, indent=1)


def write_combined(plans: list[Plan], paths: list[str | Path], fmt: str, target: str | None) -> str | None:
    """Write the plans' joint table to ``target`` (CSV with BOM), or return the text for standard output."""
    rows = combined_rows(plans, plan_names(plans, paths))
    return write_text(to_csv(rows) if fmt == "csv" else to_json(rows), fmt, target)
