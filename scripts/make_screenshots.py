"""Screenshots of every tab for the README, made the way a user would: `kawasaki-planner --screenshot`.

The published plan has no year with both a target and an actual yet, so every status
would read 評価不能. To show the status colours, the screenshots use a copy of the sample
with a few illustrative R7 (2025) actuals added; they are not published figures.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_screenshots.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
TABS = ["1_basic", "2_rights", "3_family_support", "4_maternal", "5_forecast", "6_temporary_custody", "7_permanency",
        "overview"]
ILLUSTRATIVE_R7_ACTUALS = [
    (2, "意見表明支援を利用可能な児童数", "995人"),
    (2, "意見表明等支援事業における意見表明等支援員の活動延べ日数", "40日"),
    (2, "子どもの権利擁護に関する研修の実施回数(年)", "2回"),
    (2, "子どもの権利擁護に関する研修の受講者数", "72人"),
    (3, "こども家庭センターの設置数", "7か所"),
    (3, "こども家庭相談に関する区役所等職員への研修実施回数", "19回"),
    (3, "こども家庭相談に関する区役所等研修の延べ受講者数", "430人"),
    (6, "一時保護施設の定員数", "88人"),
    (6, "一時保護施設平均入所日数", "55日"),
    (6, "一時保護施設平均入所率", "91.0%"),
    (6, "一時保護が可能な児童福祉施設の数", "22"),
    (7, "親子再統合支援事業による各種支援の実施件数", "50件"),
    (7, "児童相談所を通じた特別養子縁組の成立件数", "3件"),
]


def main() -> int:
    from kawasaki_planner.core.plan import FigureRef
    from kawasaki_planner.io.workbook import load_plan, save_plan

    plan = load_plan(ROOT / "sample_data" / "kawasaki_plan_r8.xlsx")
    plan.set_figures([(FigureRef(s, label, 2025, "actual"), text) for s, label, text in ILLUSTRATIVE_R7_ACTUALS])
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "kawasaki_plan_r8_with_r7_actuals.xlsx"
        save_plan(plan, demo)
        for index, name in enumerate(TABS):
            target = OUT / f"{index}_{name}.png"
            command = [sys.executable, "-m", "kawasaki_planner", "--screenshot", str(target), "--tab", str(index), str(demo)]
            subprocess.run(command, check=True)
            print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
