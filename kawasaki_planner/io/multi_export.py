"""Several plans in one tidy table (a prefecture's cities, the national survey): ``export A.xlsx B.xlsx``.

The same rows as :mod:`.tidy` with a first column ``plan``: the plan's title, or, when two plans share a title,
the title and the workbook's file name. pandas joins the plans' tables; CSV for Excel as a single plan's export.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ..core.plan import Plan
from .tidy import COLUMNS, _json_number, _neutralise, tidy_rows

PLAN_COLUMN = "plan"
TEXT_COLUMNS = (PLAN_COLUMN, "indicator", "unit", "text")


def plan_names(plans: list[Plan], paths: list[str | Path]) -> list[str]:
    """Each plan's title; titles that collide get the file name, and a number if even that collides."""
    titles = Counter(plan.title for plan in plans)
    names = [plan.title if titles[plan.title] == 1 else f"{plan.title} ({Path(path).name})"
             for plan, path in zip(plans, paths, strict=True)]
    seen: Counter = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if Counter(names)[name] == 1 else f"{name} #{seen[name]}")
    return out


def combined_frame(plans: list[Plan], names: list[str]):
    import pandas as pd

    frames = [pd.DataFrame(list(tidy_rows(plan)), columns=list(COLUMNS), dtype=object).assign(**{PLAN_COLUMN: name})
              for plan, name in zip(plans, names, strict=True)]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[PLAN_COLUMN, *COLUMNS])
    return frame[[PLAN_COLUMN, *COLUMNS]]


def to_csv(frame) -> str:
    out = frame.copy()
    for column in TEXT_COLUMNS:
        out[column] = out[column].map(lambda v: _neutralise(str(v)))
    return out.to_csv(index=False, lineterminator="\r\n")


def to_json(frame) -> str:
    rows = [{**row, "value": _json_number(str(row["value"]))} for row in frame.to_dict(orient="records")]
    return json.dumps(rows, ensure_ascii=False, indent=1, default=int)


def write_combined(plans: list[Plan], paths: list[str | Path], fmt: str, target: str | None) -> str | None:
    """Write the plans' joint table to ``target`` (CSV with BOM), or return the text for standard output."""
    frame = combined_frame(plans, plan_names(plans, paths))
    text = to_csv(frame) if fmt == "csv" else to_json(frame)
    if target is None:
        return text
    with open(target, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as handle:
        handle.write(text)
    return None
