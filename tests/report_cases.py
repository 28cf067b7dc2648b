"""Our own cases for the 点検・評価結果報告書: R7 (2025) actuals that put indicators of the sample on every level.

Each case is (section, indicator label, actual typed, the 達成度 it must get against the sample's R7 target).
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from kawasaki_planner.core.evaluation import Status
from kawasaki_planner.core.evaluation_texts import IndicatorTexts
from kawasaki_planner.core.plan import FigureRef

YEAR = 2025
R7_ACTUALS = [
    (2, "意見表明支援を利用可能な児童数", "1,100人", Status.ABOVE),  # 993人: 110.8 %
    (2, "意見表明等支援事業における意見表明等支援員の活動延べ日数", "70日", Status.FAR_ABOVE),  # 55日: 127.3 %
    (2, "子どもの権利擁護に関する研修の実施回数(年)", "2回", Status.FAR_ABOVE),  # 1回以上, met twice over
    (2, "子どもの権利擁護に関する研修の受講者数", "57人", Status.MET),  # 59人: 96.6 %
    (3, "こども家庭相談に関する区役所等職員への研修実施回数", "18回", Status.BELOW),  # 21回: 85.7 %
    (3, "こども家庭相談に関する区役所等研修の延べ受講者数", "300人", Status.FAR_BELOW),  # 520人: 57.7 %
    (3, "児童家庭支援センター設置数", "-", Status.NOT_RATED),  # 「-」: nothing to compare
    (6, "一時保護施設平均入所日数", "60日", Status.BELOW),  # lower is better, 52日: 86.7 %
    (6, "一時保護施設平均入所率", "86.9%", Status.MET),  # lower is better, hit exactly
]
LONG_TEXT_LABEL = "意見表明支援を利用可能な児童数"
LONG_TEXT_ITEMS = 160  # sentences 「取組K001を実施した。」…: pages long, each marker one ASCII word


def long_text() -> str:
    return "".join(f"区役所と児童相談所が連携して取組K{n:03d}を実施した。" for n in range(1, LONG_TEXT_ITEMS + 1))


def enter_r7(plan, texts: bool = True):
    """The sample plan with the R7 actuals above (and texts for two indicators and a section's 総合評価)."""
    for section, label, actual, _ in R7_ACTUALS:
        plan.set_figure(FigureRef(section, plan.section(section).by_label(label).id, YEAR, "actual"), actual)
    if texts:
        first = plan.section(2).by_label(LONG_TEXT_LABEL)
        plan.set_indicator_texts(2, first.id, YEAR, IndicatorTexts(done=long_text(), factors="研修の周知が進んだ。",
                                                                   next_steps="対象を広げて継続する。"))
        other = plan.section(6).by_label("一時保護施設平均入所日数")
        plan.set_indicator_texts(6, other.id, YEAR, IndicatorTexts(done="入所日数の短縮に取り組んだ。", factors="",
                                                                   next_steps="家庭復帰の支援を強める。"))
        plan.set_section_text(2, YEAR, "権利擁護の取組は概ね計画どおりに進んだ。")
    return plan


# --- poppler (pdftotext, pdffonts, pdfinfo) ---------------------------------------------------------------------
def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_poppler() -> None:
    """Skip without poppler-utils on a developer's machine; fail on CI, where it must be installed."""
    missing = [tool for tool in ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm") if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed (apt-get install poppler-utils; scripts/setup.sh does)"
    if on_ci():
        pytest.fail(message + ", and CI is set", pytrace=False)
    pytest.skip(message)


def pdf_text(path, *options: str) -> str:
    return subprocess.run(["pdftotext", "-layout", *options, str(path), "-"], capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, timeout=60).stdout.decode("utf-8")
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_fonts(path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, timeout=60).stdout.decode("utf-8")
    return [line.split() for line in out.splitlines()[2:] if line.strip()]
