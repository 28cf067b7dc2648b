"""Rebuild kawasaki_plan_r8.xlsx, the published plan, from plan_source.json.

The derived section-5 cells are written as the plan prints them, including its
R11 措置率 of 0.161 % (the method gives 0.160 %): the sample is the document as
published, and `kawasaki-planner check` is expected to point that figure out.

    .venv/bin/python sample_data/build_sample.py [OUT.xlsx]     (default: the committed sample beside this file)
"""

from __future__ import annotations

import sys
from pathlib import Path

from kawasaki_planner.core.forecast import ALL_ROWS
from kawasaki_planner.io import layout as L
from kawasaki_planner.io.cells import cell_value
from kawasaki_planner.io.source import load_source
from kawasaki_planner.io.workbook_layout import build_workbook
from kawasaki_planner.samples import SAMPLE_NAME

HERE = Path(__file__).resolve().parent


def main(target: Path = HERE / SAMPLE_NAME) -> None:
    plan = load_source(HERE / "plan_source.json")
    book = build_workbook(plan)
    sheet = next(ws for ws in book.worksheets if L.section_number(ws.title) == 5)
    rows = {ws_row[0].value: ws_row[0].row for ws_row in sheet.iter_rows(max_col=1) if ws_row[0].value}
    columns = {(year, kind): col for col, year, kind in L.year_columns(plan.years)}
    for (key, year, kind), printed in plan.stored_derived.items():
        if plan.forecast.get(key, year, kind).text == printed.text:
            continue
        if ALL_ROWS[key].table != "forecast":
            raise SystemExit(f"unexpected difference in the age table: {key} {year} {kind}")
        cell = sheet.cell(rows[ALL_ROWS[key].label], columns[(year, kind)])
        cell.value, _ = cell_value(printed)
    book.save(target)
    print(f"wrote {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / SAMPLE_NAME)
