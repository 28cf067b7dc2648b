"""`kawasaki-planner --self-test`: prove a (frozen) build can do its job end to end, without a window.

Opens the bundled sample, recomputes the forecast, saves to a temporary workbook,
reloads it and compares. Exit 0 only if every step held.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

EXPECTED_PLACED = ["341", "345", "348", "350", "352"]


def run_self_test() -> int:
    from .core.plan import forecast_ref
    from .io.tidy import tidy_rows
    from .io.workbook import load_plan, save_plan
    from .samples import sample_plan_path

    path = sample_plan_path()
    if path is None:
        print("self-test: 同梱の計画ブックが見つかりません", file=sys.stderr)
        return 1
    plan = load_plan(path)
    plan.recompute()
    placed = [plan.figure(forecast_ref("placed", y)).text for y in range(2025, 2030)]
    checks = {"forecast": placed == EXPECTED_PLACED, "figures": sum(1 for _ in tidy_rows(plan)) == 239}
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "self-test.xlsx"
        save_plan(plan, copy)
        again = load_plan(copy)
        checks["round trip"] = list(tidy_rows(again)) == list(tidy_rows(plan))
    for name, ok in checks.items():
        print(f"self-test {name}: {'ok' if ok else 'FAILED'}")
    return 0 if all(checks.values()) else 1
