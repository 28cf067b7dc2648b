"""Evaluation texts the io, core and spreadsheet tests write into the published plan."""

from __future__ import annotations

from kawasaki_planner.core.evaluation_texts import IndicatorTexts, Summary, SummaryChoice
from kawasaki_planner.io.evaluation_sheets import year_sheet_name

YEAR = 2024
SHEET = year_sheet_name(YEAR)
DONE = "里親登録の説明会を年6回開催した。\n新たに12世帯が登録。"
FACTORS = "=広報の強化(先頭が = の文章)"
NEXT = "  前後の空白も\r\nそのまま  "  # a CR LF from a spreadsheet comes back as one line break


def ids(plan, section: int) -> list[str]:
    return [i.id for i in plan.section(section).indicators]


def write_texts(plan) -> None:
    first, second = ids(plan, 2)[:2]
    plan.set_indicator_texts(2, first, YEAR, IndicatorTexts(DONE, FACTORS, NEXT.replace("\r\n", "\n")))
    plan.set_indicator_texts(2, second, YEAR, IndicatorTexts(factors="要因だけ"))
    plan.set_indicator_texts(7, ids(plan, 7)[0], 2025, IndicatorTexts(next_steps="翌年度の方向性"))
    plan.set_section_text(2, YEAR, "権利擁護は概ね順調。\n課題は2点。")
    plan.set_summary(2, first, SummaryChoice(Summary.NOT_COMPARABLE, "法改正で定義が変わったため"))
    plan.set_summary(3, ids(plan, 3)[0], SummaryChoice(Summary.ABOVE))
