"""The yearly 点検・評価 of a whole plan: every indicator's 達成度 for a fiscal year, counted per section, and the
period summary on Kawasaki's 4-level scale (I–IV) suggested from the final year.

One function for the tables, the 進捗一覧, the 評価 view and the report, so that they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .evaluation import DEFAULT_THRESHOLDS, Evaluation, Status, Thresholds, evaluate_year
from .evaluation_texts import SUMMARY_LABELS, Summary  # noqa: F401 (re-exported)
from .foster import is_computed
from .plan import ACTUAL, PLAN, Indicator, Plan
from .values import Figure

_SUGGESTED = {Status.FAR_ABOVE: Summary.ABOVE, Status.ABOVE: Summary.ABOVE, Status.MET: Summary.MET,
              Status.BELOW: Summary.BELOW, Status.FAR_BELOW: Summary.BELOW}


@dataclass(frozen=True)
class IndicatorResult:
    section: int
    indicator: Indicator
    target: Figure
    actual: Figure
    evaluation: Evaluation


@dataclass
class SectionResult:
    number: int
    title: str
    results: list[IndicatorResult] = field(default_factory=list)

    @property
    def counts(self) -> dict[Status, int]:
        """How many indicators stand at each level (評価不能 included), in the scale's order."""
        counts = {status: 0 for status in (*sorted(s for s in Status if s is not Status.NOT_RATED), Status.NOT_RATED)}
        for result in self.results:
            counts[result.evaluation.status] += 1
        return counts


@dataclass
class PlanEvaluation:
    year: int
    sections: list[SectionResult]

    @property
    def counts(self) -> dict[Status, int]:
        total = {status: 0 for status in SectionResult(0, "").counts}
        for section in self.sections:
            for status, n in section.counts.items():
                total[status] += n
        return total


def evaluated_indicators(plan: Plan):
    """(section, indicator) of every indicator judged against a target: computed rows (section 8's placements) are not."""
    for section in plan.sections:
        for indicator in section.indicators:
            if not is_computed(indicator.role):
                yield section, indicator


def evaluate_plan(plan: Plan, year: int, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> PlanEvaluation:
    """Every indicator of every section for ``year`` (sections without indicators are left out)."""
    by_section: dict[int, SectionResult] = {}
    for section, indicator in evaluated_indicators(plan):
        result = by_section.setdefault(section.number, SectionResult(section.number, section.title))
        result.results.append(IndicatorResult(section.number, indicator, indicator.figure(year, PLAN),
                                              indicator.figure(year, ACTUAL), evaluate_year(indicator, year, thresholds)))
    return PlanEvaluation(year, [by_section[s.number] for s in plan.sections if s.number in by_section])


def latest_year_with_actuals(plan: Plan) -> int | None:
    """The default year of the yearly evaluation: the latest one for which any actual is entered."""
    years = [y for _, i in evaluated_indicators(plan) for y in i.actual if y in plan.years]
    return max(years) if years else None


def suggested_summary(indicator: Indicator, years: tuple[int, ...],
                      thresholds: Thresholds = DEFAULT_THRESHOLDS) -> tuple[Summary | None, int | None]:
    """The period summary the final year suggests: the last year with a target, judged against its actual.

    (None, year) when that year cannot be rated yet (no actual); IV is never suggested: it needs the planner's reason.
    """
    final = max((y for y in years if not indicator.figure(y, PLAN).is_blank), default=None)
    if final is None:
        return None, None
    return _SUGGESTED.get(evaluate_year(indicator, final, thresholds).status), final
