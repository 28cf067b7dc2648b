"""`kawasaki-planner --self-test`: prove a (frozen) build can do its job end to end, without a window.

Opens the bundled sample, recomputes the forecast, saves to a temporary workbook,
reloads it and compares; draws the 点検・評価結果報告書 (a page as an image, the whole as a PDF).
Exit 0 only if every step held.
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
        checks["report page"] = _report_page_drawn(plan, Path(folder) / "self-test.pdf")
    for name, ok in checks.items():  # packaging/smoke.py counts the 「ok」 lines
        print(f"self-test {name}: {'ok' if ok else 'FAILED'}")
    return 0 if all(checks.values()) else 1


def _report_page_drawn(plan, pdf: Path) -> bool:
    """The report's first section page has ink on it, and the whole report makes a PDF of several pages."""
    from .core.evaluation_report import build_report
    from .core.plan_evaluation import latest_year_with_actuals
    from .ui.report.pdf import ensure_gui_application, render_page_image, write_report_pdf

    if not ensure_gui_application():
        return False
    report = build_report(plan, latest_year_with_actuals(plan) or plan.years[0])
    image, pages = render_page_image(report, 2, width=600)
    white = image.pixel(0, 0)
    inked = sum(1 for y in range(0, image.height(), 3) for x in range(0, image.width(), 3) if image.pixel(x, y) != white)
    written = write_report_pdf(report, pdf)
    return pages >= 2 and written == pages and inked > 500 and pdf.read_bytes().startswith(b"%PDF-")
