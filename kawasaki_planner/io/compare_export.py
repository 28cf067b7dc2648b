"""A comparison of two plans as text for the terminal, and as a table (CSV for Excel, or JSON).

CSV and JSON hold one row per difference, columns ``section,indicator,fiscal_year,kind,change,before,after``
(:data:`~kawasaki_planner.core.compare.RECORD_COLUMNS`): ``indicator`` is what the 新旧対照表's 項目 column
names (an indicator's label, 「本文「…」」, 「総合評価」 …), ``before``/``after`` the printed texts (labels for a
renamed row, whose ``fiscal_year`` and ``kind`` are empty). In JSON, an empty section or fiscal year is null.
CSV is written as ``export`` writes it: UTF-8 with a BOM, CRLF, cells that Excel would run as formulas quoted.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from ..core.compare import RECORD_COLUMNS, Difference, group_by_section, is_text_scope, summary_line
from ..core.text_diff import inline_diff
from .tidy import _neutralise, write_text

INDENT = "    "


def to_csv(differences: Sequence[Difference]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RECORD_COLUMNS)
    for difference in differences:
        record = difference.record()
        writer.writerow(_neutralise(str(record[c])) if c in ("indicator", "before", "after") else record[c]
                        for c in RECORD_COLUMNS)
    return buffer.getvalue()


def to_json(differences: Sequence[Difference]) -> str:
    rows = []
    for difference in differences:
        record = difference.record()
        record["section"] = difference.section
        record["fiscal_year"] = difference.fiscal_year
        rows.append(record)
    return json.dumps(rows, ensure_ascii=False, indent=1)


def to_text(differences: Sequence[Difference], old_name: str, new_name: str) -> str:
    """Japanese lines grouped by section: one line per figure or label; a rewritten passage as the places it
    changed, 「[-deleted-]{+inserted+}」 with a little of the text around them."""
    lines = [f"改定前: {old_name}", f"改定後: {new_name}", summary_line(list(differences))]
    for heading, group in group_by_section(differences):
        lines += ["", f"■ {heading}"]
        for difference in group:
            lines += _lines(difference)
    return "\n".join(lines) + "\n"


def _shown(text: str) -> str:
    return text if text else "(なし)"


def _lines(d: Difference) -> list[str]:
    head = f"  [{d.change_label}] {d.item}" + (f" {d.where}" if d.where else "")
    notes = [n for n in (d.note,) if n and n not in d.before]
    if d.computed:
        notes = ["計算値"]
    tail = f"({'・'.join(notes)})" if notes else ""
    multiline = "\n" in d.before or "\n" in d.after or len(d.before) + len(d.after) > 60
    if is_text_scope(d) and multiline:
        if d.before and d.after:  # a passage rewritten: where it changed, [-deleted-]{+inserted+}
            return [head + tail, f"{INDENT}{inline_diff(d.before, d.after)}"]
        out = [head + tail]
        for name, text in (("改定前", d.before), ("改定後", d.after)):
            body = _shown(text).splitlines() or [""]
            out.append(f"{INDENT}{name}: {body[0]}")
            out += [f"{INDENT}        {line}" for line in body[1:]]
        return out
    return [f"{head}: {_shown(d.before)} → {_shown(d.after)}{tail}"]


def write_table(differences: Sequence[Difference], fmt: str, target: str | None) -> str | None:
    """Write CSV (with a BOM) or JSON to ``target``, or return the text for standard output."""
    return write_text(to_csv(differences) if fmt == "csv" else to_json(differences), fmt, target)
