"""Progress evaluation of the indicators (評価のための指標とPDCAサイクル, section 1(3)).

For an indicator and a fiscal year with both a target (目標) and an actual (実績),
the achievement ratio (達成率) is direction-aware:

* 高いほど良い (HIGHER): actual ÷ target
* 低いほど良い (LOWER): target ÷ actual
* 以上で達成 (AT_LEAST), or a target printed with 以上 such as 「1回以上」: actual ÷ target,
  and the target counts as met by any actual ≥ target (「1回以上」 by any actual ≥ 1);
  a target printed with 以下 works the same way the other round (target ÷ actual, met by actual ≤ target)
* 一致で達成 (EXACT): 1 − |actual − target| ÷ target

The ratio is placed on Kawasaki's 5-level scale by four thresholds (defaults below):
ratio ≥ 120 % → 1 目標を大きく上回って達成, ≥ 105 % → 2 目標を上回って達成,
≥ 95 % → 3 目標をほぼ達成, ≥ 80 % → 4 目標を下回った, otherwise 5 目標を大きく下回った.
A floor target (以上/以下) that is met is never rated below 3; one that is missed is never rated
above 4. An exact target is rated 3 when hit and 4 or 5 by its deviation otherwise.

Where no comparison is possible (a side missing, 「-」, text without a number, a zero
denominator that the actual does not match) the status is 評価不能, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum

from .plan import Direction, Indicator
from .values import Figure


class Status(IntEnum):
    """Kawasaki's 5-level progress scale; NOT_RATED is 評価不能."""

    NOT_RATED = 0
    FAR_ABOVE = 1
    ABOVE = 2
    MET = 3
    BELOW = 4
    FAR_BELOW = 5

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def short_label(self) -> str:
        return STATUS_SHORT_LABELS[self]


STATUS_LABELS = {
    Status.FAR_ABOVE: "1 目標を大きく上回って達成",
    Status.ABOVE: "2 目標を上回って達成",
    Status.MET: "3 目標をほぼ達成",
    Status.BELOW: "4 目標を下回った",
    Status.FAR_BELOW: "5 目標を大きく下回った",
    Status.NOT_RATED: "評価不能",
}
STATUS_SHORT_LABELS = {
    Status.FAR_ABOVE: "1 大きく上回る",
    Status.ABOVE: "2 上回る",
    Status.MET: "3 ほぼ達成",
    Status.BELOW: "4 下回る",
    Status.FAR_BELOW: "5 大きく下回る",
    Status.NOT_RATED: "評価不能",
}


class ThresholdError(ValueError):
    """Thresholds that cannot order the five levels; the message is Japanese."""


@dataclass(frozen=True)
class Thresholds:
    """Lower bounds of levels 1–4 as achievement ratios (1.20 = 120 %)."""

    far_above: Decimal = Decimal("1.20")
    above: Decimal = Decimal("1.05")
    met: Decimal = Decimal("0.95")
    below: Decimal = Decimal("0.80")

    def __post_init__(self) -> None:
        values = [Decimal(str(v)) for v in (self.far_above, self.above, self.met, self.below)]
        for name, value in zip(("far_above", "above", "met", "below"), values, strict=True):
            object.__setattr__(self, name, value)
        if not (values[0] > values[1] > values[2] > values[3] > 0):
            raise ThresholdError("評価基準は「大きく上回る」>「上回る」>「ほぼ達成」>「下回る」> 0 の順に設定してください")

    def level(self, ratio: Decimal) -> Status:
        if ratio >= self.far_above:
            return Status.FAR_ABOVE
        if ratio >= self.above:
            return Status.ABOVE
        if ratio >= self.met:
            return Status.MET
        if ratio >= self.below:
            return Status.BELOW
        return Status.FAR_BELOW


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Evaluation:
    """The judgement of one indicator-year: status, achievement ratio (None if undefined) and why."""

    status: Status
    ratio: Decimal | None = None
    reason: str = ""

    @property
    def rated(self) -> bool:
        return self.status is not Status.NOT_RATED

    @property
    def ratio_text(self) -> str:
        if self.ratio is None:
            return ""
        return f"{(self.ratio * 100).quantize(Decimal('0.1'))}%"


def _not_rated(reason: str) -> Evaluation:
    return Evaluation(Status.NOT_RATED, None, reason)


def _missing_reason(figure: Figure, side: str) -> str | None:
    if figure.is_blank:
        return f"{side}がありません"
    if figure.is_dash:
        return f"{side}が「-」(値なし)です"
    if not figure.evaluable:
        return f"{side}「{figure.text}」は数値ではありません"
    return None


def evaluate(target: Figure, actual: Figure, direction: Direction, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Evaluation:
    """Judge one actual against its target on the 5-level scale."""
    for figure, side in ((target, "目標"), (actual, "実績")):
        reason = _missing_reason(figure, side)
        if reason:
            return _not_rated(reason)
    t, a = target.number, actual.number
    if direction is Direction.EXACT:
        return _exact(t, a, thresholds)
    if target.qualifier == "以下":
        return _floor(a, t, a <= t, thresholds)
    if direction is Direction.AT_LEAST or target.at_least:
        return _floor(t, a, a >= t, thresholds)
    if direction is Direction.LOWER:
        return _ratio(a, t, thresholds)
    return _ratio(t, a, thresholds)


def _ratio(denominator: Decimal, numerator: Decimal, thresholds: Thresholds) -> Evaluation:
    if denominator <= 0:
        if numerator == denominator:
            return Evaluation(Status.MET, Decimal(1), "目標と実績が一致")
        return _not_rated("基準となる値が0以下のため達成率を計算できません")
    ratio = numerator / denominator
    return Evaluation(thresholds.level(ratio), ratio)


def _floor(denominator: Decimal, numerator: Decimal, met: bool, thresholds: Thresholds) -> Evaluation:
    """A target that is a bound: met or missed decides the side of the scale, the ratio the level."""
    if denominator <= 0:
        if met:
            return Evaluation(Status.MET, None, "目標を満たしています")
        return _not_rated("基準となる値が0以下のため達成率を計算できません")
    ratio = numerator / denominator
    level = thresholds.level(ratio)
    if met:
        return Evaluation(min(level, Status.MET), ratio, "目標を満たしています")
    return Evaluation(max(level, Status.BELOW), ratio, "目標を満たしていません")


def _exact(target: Decimal, actual: Decimal, thresholds: Thresholds) -> Evaluation:
    if actual == target:
        return Evaluation(Status.MET, Decimal(1), "目標と一致")
    if target <= 0:
        return _not_rated("目標が0以下のため達成率を計算できません")
    ratio = 1 - abs(actual - target) / target
    level = Status.BELOW if ratio >= thresholds.below else Status.FAR_BELOW
    return Evaluation(level, ratio, "目標と一致していません")


def evaluate_year(indicator: Indicator, year: int, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Evaluation:
    return evaluate(indicator.figure(year, "plan"), indicator.figure(year, "actual"), indicator.direction, thresholds)


def has_actual(indicator: Indicator, year: int) -> bool:
    """Whether an actual is entered for the year; before that there is nothing to judge yet."""
    return not indicator.figure(year, "actual").is_blank


def latest_evaluation(
    indicator: Indicator, years: tuple[int, ...], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> tuple[int | None, Evaluation]:
    """The most recent year that can be rated, else the most recent year with an actual (評価不能)."""
    fallback: tuple[int | None, Evaluation] = (None, _not_rated("目標と実績のそろった年度がありません"))
    # Only the years with an actual entered: the others have nothing to judge yet, so are neither rated nor the
    # fallback (most years of a plan, most of the time).
    for year in sorted((y for y, f in indicator.actual.items() if y in years and not f.is_blank), reverse=True):
        evaluation = evaluate_year(indicator, year, thresholds)
        if evaluation.rated:
            return year, evaluation
        if fallback[0] is None:
            fallback = (year, evaluation)
    return fallback
