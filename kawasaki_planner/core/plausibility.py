"""Whether a figure is plausible: impossible figures are refused, unlikely ones are warned about.

A figure can parse and fit its row's unit (:func:`.values.conform`) and still be impossible
(a negative count, 2.5人, a growth rate of −100 % or less, more digits than an .xlsx cell keeps)
or merely unlikely (a share above 100 %, a 措置率 above 1 %). Impossible figures are REFUSED
wherever they enter the plan; unlikely ones are a WARNING, because the planner may know better.
Messages are Japanese, say why, and quote the value as printed; the caller names the cell.

Blank cells, 「-」 and text without a number have no finding here: whether they may stand
in a row is :func:`.values.check_fits`'s question.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from . import forecast as fc
from .plan import FORECAST_SECTION, KINDS, FigureRef, Plan, forecast_ref
from .values import Figure, format_number, quoted

COUNT_UNITS = frozenset({"人", "か所", "件", "回", "班", "区", "施設", "名", "世帯"})
PERCENT = "%"
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number; more are lost on save
RATE_KEY, GROWTH_KEY = "rate", "growth"
RATE_LIMIT = Decimal(1)  # a 措置率 is a fraction of one percent (Kawasaki: 0.14 %)
GROWTH_LIMIT = Decimal(50)  # a year's change of the 措置率 beyond ±50 % is most likely a slip
HUNDRED = Decimal(100)
SHARE_KEYS = tuple(f"share.{group}" for group, _ in fc.AGE_GROUPS)
CROSS_ROWS = frozenset(SHARE_KEYS)  # the section-5 rows cross_findings reads: a change elsewhere leaves them as they were


class Severity(Enum):
    WARNING = "warning"
    REFUSED = "refused"


@dataclass(frozen=True)
class Finding:
    """What is wrong with a figure: ``message`` is Japanese, says why and quotes the value, not the place."""

    severity: Severity
    message: str


def _value(figure: Figure) -> str:
    return quoted(figure.text)


def _significant_digits(number: Decimal) -> int:
    """Digits from the first to the last non-zero one: what Excel must keep (1,000,000,000,000,000,000 is one).

    Read from the digit tuple, not ``normalize()``: that rounds to the context's 28 digits.
    """
    digits = "".join(map(str, number.as_tuple().digits)).strip("0")
    return len(digits)


def _impossible(figure: Figure, number: Decimal, unit: str, key: str | None, derived: bool) -> str | None:
    """Why the figure cannot be, or None."""
    value = _value(figure)
    if unit in COUNT_UNITS and number < 0:
        if derived:
            return f"計算の結果 {value} と負の値になりました(入力値を確かめてください)"
        return f"{value} は負の値です(人数・件数などは 0 以上です)"
    if unit in COUNT_UNITS and number != number.to_integral_value():
        return f"{value} は整数ではありません(人数・件数などは整数です)"
    if unit == PERCENT and key == GROWTH_KEY and number <= -HUNDRED:
        return f"措置率増加率 {value} では措置率が 0 以下になります(-100% より大きい値です)"
    if unit == PERCENT and key != GROWTH_KEY and number < 0:
        return f"{value} は負の値です(割合は 0% 以上です)"
    if _significant_digits(number) > EXCEL_DIGITS:
        return f"{value} は有効桁数が{EXCEL_DIGITS}桁を超えるため Excel に正確に保存できません"
    return None


def _unlikely(figure: Figure, number: Decimal, unit: str, key: str | None) -> str | None:
    """Why the figure is out of range, or None."""
    if unit != PERCENT:
        return None
    value = _value(figure)
    if key == GROWTH_KEY:
        if abs(number) > GROWTH_LIMIT:
            return f"措置率増加率 {value} は ±{GROWTH_LIMIT}% を超えています(1年の変化として大きすぎませんか)"
        return None
    if key == RATE_KEY and number > RATE_LIMIT:
        return f"措置率 {value} は {RATE_LIMIT}% を超えています(小数点の位置を確かめてください)"
    if number > HUNDRED:
        return f"{value} は 100% を超えています"
    return None


def judge(figure: Figure, unit: str, key: str | None = None, derived: bool = False) -> Finding | None:
    """The finding on ``figure`` in a row whose unit is ``unit``; ``key`` is the section-5 row key, if any.

    A computed (derived) figure is never refused, only warned about: the planner cannot type over it,
    and the inputs that led to it were accepted.
    """
    number = figure.number
    if number is None:
        return None
    reason = _impossible(figure, number, unit, key, derived)
    if reason is not None:
        return Finding(Severity.WARNING if derived else Severity.REFUSED, reason)
    reason = _unlikely(figure, number, unit, key)
    return None if reason is None else Finding(Severity.WARNING, reason)


def _section5_key(ref: FigureRef) -> str | None:
    return ref.row if ref.section == FORECAST_SECTION and ref.row in fc.ALL_ROWS else None


def figure_finding(plan: Plan, ref: FigureRef, figure: Figure) -> Finding | None:
    """The finding on ``figure`` standing at ``ref`` (in its row's unit), or None if it is plausible."""
    if figure.number is None:  # the common blank cell answers before any lookup
        return None
    unit, _ = plan.row_unit(ref)
    key = _section5_key(ref)
    return judge(figure, unit, key, derived=key is not None and not plan.is_input(ref))


def cross_findings(plan: Plan) -> list[tuple[FigureRef, Finding]]:
    """Findings of rules across figures, on the figures they concern; they read only CROSS_ROWS (section 5)."""
    return _share_findings(plan)


def _share_findings(plan: Plan) -> list[tuple[FigureRef, Finding]]:
    """Age shares (年齢構成比) that do not add up to 100 %: one WARNING on each of the three shares.

    Compared as printed (33.3 + 33.3 + 33.4 is 100.0 %); shares not all typed are not judged.
    """
    refs = [forecast_ref(key, None) for key in SHARE_KEYS]
    figures = [plan.figure(ref) for ref in refs]
    if any(f.number is None for f in figures):
        return []
    total = sum(Decimal(format_number(f.number, f.decimals, grouping=False)) for f in figures)
    if total == HUNDRED:
        return []
    printed = format_number(total, max(f.decimals for f in figures)) + PERCENT
    finding = Finding(Severity.WARNING, f"年齢構成比の合計が {printed} で、100% になりません")
    return [(ref, finding) for ref in refs]


def _forecast_refs(plan: Plan):
    for spec in fc.ALL_ROWS.values():
        if not spec.per_year:
            yield forecast_ref(spec.key, None)
            continue
        for year in plan.years:
            for kind in KINDS:
                yield forecast_ref(spec.key, year, kind)


def _forecast_findings(plan: Plan) -> list[tuple[FigureRef, Finding]]:
    across: dict[FigureRef, list[Finding]] = {}
    for ref, finding in cross_findings(plan):
        across.setdefault(ref, []).append(finding)
    found = []
    for ref in _forecast_refs(plan):
        finding = figure_finding(plan, ref, plan.figure(ref))
        if finding is not None:
            found.append((ref, finding))
        found.extend((ref, f) for f in across.get(ref, ()))
    return found


def plan_findings(plan: Plan) -> list[tuple[FigureRef, Finding]]:
    """Every finding in the plan, in plan order: sections in turn, a row's years in turn (目標 before 実績).

    Section 5's forecast rows come before its indicators, row by row, typed and computed figures alike;
    a share's finding on the sum of the shares follows its own.
    """
    found: list[tuple[FigureRef, Finding]] = []
    forecast_done = False
    for section in plan.sections:
        if section.number == FORECAST_SECTION:
            found.extend(_forecast_findings(plan))
            forecast_done = True
        for indicator in section.indicators:
            # Only the years typed, judged in the indicator's own unit: a plan of thousands of rows
            # needs no lookup per figure.
            for year in sorted({*indicator.plan, *indicator.actual}):
                for kind in KINDS:
                    finding = judge(indicator.figure(year, kind), indicator.unit)
                    if finding is not None:
                        found.append((FigureRef(section.number, indicator.id, year, kind), finding))
    if not forecast_done:
        found.extend(_forecast_findings(plan))
    return found


__all__ = [
    "COUNT_UNITS",
    "CROSS_ROWS",
    "EXCEL_DIGITS",
    "Finding",
    "Severity",
    "cross_findings",
    "figure_finding",
    "judge",
    "plan_findings",
]
