"""The content of the yearly 点検・評価結果報告書: what the report says, before any page or sheet.

One model feeds both outputs (the PDF drawn in ui/report/pdf.py, the Excel sheet written by
io/report_xlsx.py), so that the two can never disagree: every figure, ratio, 達成度 and text they print
is a field here, taken from :func:`~.plan_evaluation.evaluate_plan` and the plan's evaluation texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .evaluation import DEFAULT_THRESHOLDS, Status, Thresholds
from .evaluation_texts import IndicatorTexts
from .fiscal import year_label
from .plan import ACTUAL, PLAN, Plan
from .plan_evaluation import IndicatorResult, evaluate_plan, suggested_summary
from .plausibility import COUNT_UNITS
from .values import Figure

REPORT_NAME = "点検・評価結果報告書"
COUNT_ORDER = (Status.FAR_ABOVE, Status.ABOVE, Status.MET, Status.BELOW, Status.FAR_BELOW, Status.NOT_RATED)
SUMMARY_CHOSEN = "選択"  # the planner chose the period summary by hand
SUMMARY_SUGGESTED = "最終年度の実績から"  # suggested by the final year's 達成度


REPORT_FORMATS = {".pdf": "pdf", ".xlsx": "xlsx"}


def report_format(path: str) -> str | None:
    """「pdf」 or 「xlsx」 by the file's extension; None for any other."""
    suffix = path[path.rfind("."):].lower() if "." in path else ""
    return REPORT_FORMATS.get(suffix)


def overwrites_plan(output: str, plan_path: str | None) -> bool:
    """Whether writing the report to ``output`` would replace the plan's own workbook."""
    import os

    if not plan_path:
        return False
    try:
        return os.path.samefile(output, plan_path)
    except OSError:  # one of them does not exist: they are not the same file
        return os.path.normcase(os.path.abspath(output)) == os.path.normcase(os.path.abspath(plan_path))


class ReportYearError(ValueError):
    """A report asked for a year the plan does not have (or a plan without any actual); the message is Japanese."""


@dataclass(frozen=True)
class TrendPoint:
    """One fiscal year of an indicator's trend chart: its target and actual as numbers (None: none entered)."""

    year: int
    target: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator as the report prints it."""

    section: int
    number: int  # its place in the section, from 1
    id: str
    label: str
    unit: str
    counts: bool  # a count unit (人, 件, か所 …): a chart's axis ticks whole numbers only
    target: Figure
    actual: Figure
    ratio: Decimal | None
    ratio_text: str  # 「98.5%」, empty when there is no ratio
    status: Status
    reason: str  # why 評価不能 (or how a bound was judged)
    texts: IndicatorTexts
    trend: tuple[TrendPoint, ...]
    summary: str = ""  # the period summary (I–IV) with its label, where the report shows one
    summary_note: str = ""  # chosen by hand, or suggested by the final year; a IV's reason

    @property
    def level(self) -> int | None:
        """達成度 as its number 1–5 (None: 評価不能)."""
        return int(self.status) if self.status is not Status.NOT_RATED else None

    @property
    def level_words(self) -> str:
        """達成度 in words: 「目標をほぼ達成」, or 「評価不能」."""
        label = self.status.label
        return label.split(" ", 1)[1] if self.level is not None else label

    @property
    def level_text(self) -> str:
        """達成度 as printed in one cell: 「3 目標をほぼ達成」, 「評価不能(実績がありません)」."""
        if self.level is None:
            return f"{self.status.label}({self.reason})" if self.reason else self.status.label
        return self.status.label


@dataclass(frozen=True)
class SectionReport:
    number: int
    title: str  # as the plan prints it: 「2 当事者である子どもの権利擁護の取組」
    short_title: str  # 「権利擁護」
    counts: tuple[tuple[Status, int], ...]  # in COUNT_ORDER, 評価不能 last
    rows: tuple[IndicatorRow, ...]
    overall: str  # 総合評価

    @property
    def heading(self) -> str:
        """The full title, numbered once: 「2 当事者である子どもの権利擁護の取組」."""
        number = str(self.number)
        return self.title if self.title.split(" ", 1)[0] == number else f"{number} {self.title}"

    @property
    def short_heading(self) -> str:
        """「2 権利擁護」, for the count tables."""
        return f"{self.number} {self.short_title}" if self.short_title else self.heading

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass(frozen=True)
class EvaluationReport:
    plan_title: str
    year: int
    years: tuple[int, ...]  # the plan's years: the trend charts' axis
    sections: tuple[SectionReport, ...]
    shows_summary: bool  # whether the period summary (計画期間の総括) is part of this year's report

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def title(self) -> str:
        """「R7年度 (2025) 点検・評価結果報告書」."""
        return f"{self.year_label} {REPORT_NAME}"

    @property
    def rows(self) -> list[IndicatorRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def counts(self) -> tuple[tuple[Status, int], ...]:
        totals = dict.fromkeys(COUNT_ORDER, 0)
        for section in self.sections:
            for status, n in section.counts:
                totals[status] += n
        return tuple(totals.items())


def report_years_text(plan: Plan) -> str:
    return "、".join(str(y) for y in plan.years)


def check_report_year(plan: Plan, year: int | None) -> int:
    """``year`` if the plan has it; raises ReportYearError naming the years it has (also for None without actuals)."""
    if year is None:
        raise ReportYearError(f"実績が入力された年度がないため、年度を指定してください(計画の年度: {report_years_text(plan)})")
    if year not in plan.years:
        raise ReportYearError(f"{year}年度はこの計画にありません(計画の年度: {report_years_text(plan)})")
    return year


def _trend(result: IndicatorResult, years: tuple[int, ...]) -> tuple[TrendPoint, ...]:
    indicator = result.indicator
    return tuple(TrendPoint(y, indicator.figure(y, PLAN).number, indicator.figure(y, ACTUAL).number) for y in years)


def _summary(plan: Plan, result: IndicatorResult, thresholds: Thresholds) -> tuple[str, str]:
    choice = plan.evaluation_texts.summary(result.section, result.indicator.id)
    if choice is not None:
        note = f"{SUMMARY_CHOSEN}: {choice.reason}" if choice.reason else SUMMARY_CHOSEN
        return choice.summary.label, note
    summary, _final = suggested_summary(result.indicator, plan.years, thresholds)
    return (summary.label, SUMMARY_SUGGESTED) if summary is not None else ("", "")


def _shows_summary(plan: Plan, year: int) -> bool:
    """The period summary belongs to the final year's report, and to any year once the planner chose one by hand."""
    return year == plan.years[-1] or bool(plan.evaluation_texts.summaries)


def build_report(plan: Plan, year: int, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> EvaluationReport:
    """The report of ``year`` (one of the plan's years: see :func:`check_report_year`)."""
    check_report_year(plan, year)
    evaluation = evaluate_plan(plan, year, thresholds)
    shows_summary = _shows_summary(plan, year)
    texts = plan.evaluation_texts
    sections = []
    for section in evaluation.sections:
        rows = []
        for number, result in enumerate(section.results, start=1):
            indicator, judged = result.indicator, result.evaluation
            summary, note = _summary(plan, result, thresholds) if shows_summary else ("", "")
            rows.append(IndicatorRow(
                section=section.number, number=number, id=indicator.id, label=indicator.label, unit=indicator.unit,
                counts=indicator.unit in COUNT_UNITS, target=result.target, actual=result.actual, ratio=judged.ratio,
                ratio_text=judged.ratio_text, status=judged.status, reason=judged.reason,
                texts=texts.indicator(section.number, indicator.id, year), trend=_trend(result, plan.years),
                summary=summary, summary_note=note,
            ))  # fmt: skip
        sections.append(SectionReport(section.number, section.title, plan.section(section.number).short_title,
                                      tuple(section.counts.items()), tuple(rows), texts.section(section.number, year)))
    return EvaluationReport(plan.title, year, plan.years, tuple(sections), shows_summary)
