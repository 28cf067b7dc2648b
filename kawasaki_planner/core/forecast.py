"""The section-5 care-need forecast (代替養育を必要とするこども数の見込み).

Inputs are what the planner types; everything else is derived here, exactly as
the plan computes it: rates chained without rounding, counts rounded half up,
the age split apportioned by largest remainder so the parts add up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from .fiscal import FIRST_FORECAST_YEAR, PLAN_YEARS
from .values import BLANK, DASH, Figure, round_half_up

PLAN = "plan"
ACTUAL = "actual"


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str
    unit: str
    print_unit: bool
    decimals: int
    table: str
    per_year: bool = True


AGE_GROUPS = (
    ("infant", "就学前児童(3歳未満)"),
    ("preschool", "就学前児童(3歳以上)"),
    ("school", "就学児童"),
)
ELIGIBLE = "里親等委託率対象児童数"

FORECAST_TABLE = "forecast"
AGE_TABLE = "age"
ASSUMPTION_TABLE = "assumptions"

FORECAST_ROWS = (
    RowSpec("population", "児童人口", "人", False, 0, FORECAST_TABLE),
    RowSpec("rate", "児童人口に対する措置率", "%", True, 3, FORECAST_TABLE),
    RowSpec("growth", "措置率増加率", "%", True, 1, FORECAST_TABLE),
    RowSpec("before_adoption", "縁組成立控除前措置児童数", "人", False, 0, FORECAST_TABLE),
    RowSpec("placed", "措置児童数", "人", False, 0, FORECAST_TABLE),
)
AGE_ROWS = tuple(
    spec
    for key, label in (*AGE_GROUPS, ("total", "合計"))
    for spec in (
        RowSpec(f"age.{key}", label, "人", False, 0, AGE_TABLE),
        RowSpec(f"eligible.{key}", f"({ELIGIBLE})", "人", False, 0, AGE_TABLE),
    )
)
ASSUMPTION_ROWS = (
    *(RowSpec(f"share.{k}", f"年齢構成比 {label}", "%", True, 1, ASSUMPTION_TABLE, per_year=False) for k, label in AGE_GROUPS),
    *(RowSpec(f"excluded.{k}", f"里親等委託率対象外児童数 {label}", "人", False, 0, ASSUMPTION_TABLE) for k, label in AGE_GROUPS),
)
ALL_ROWS = {spec.key: spec for spec in (*FORECAST_ROWS, *AGE_ROWS, *ASSUMPTION_ROWS)}


def printed_label(spec: RowSpec) -> str:
    """A label unique within section 5: the age group before 里親等委託率対象児童数."""
    if spec.key.startswith("eligible."):
        group = ALL_ROWS["age." + spec.key.split(".", 1)[1]].label
        return f"{group} {ELIGIBLE}"
    return spec.label


def is_input(key: str, year: int | None, kind: str, first_year: int = FIRST_FORECAST_YEAR) -> bool:
    """Whether a section-5 cell is typed by the planner (True) or computed (False)."""
    if key.startswith(("share.", "excluded.")) or key == "population":
        return True
    if kind == ACTUAL:
        return key in ("rate", "growth") or (key.startswith("age.") and key != "age.total")
    if year is None or year < first_year:
        return False
    if key == "rate":
        return year == first_year
    if key == "growth":
        return year > first_year
    return False


@dataclass
class ForecastInputs:
    """What the planner types for section 5, keyed (row, year, kind); year None for shares."""

    cells: dict[tuple[str, int | None, str], Figure] = field(default_factory=dict)
    years: tuple[int, ...] = PLAN_YEARS
    first_year: int = FIRST_FORECAST_YEAR

    def get(self, key: str, year: int | None, kind: str) -> Figure:
        return self.cells.get((key, year, kind), BLANK)

    def number(self, key: str, year: int | None, kind: str) -> Decimal | None:
        return self.get(key, year, kind).number

    def copy(self) -> ForecastInputs:
        return ForecastInputs(dict(self.cells), self.years, self.first_year)


@dataclass
class ForecastResult:
    """Derived cells, and the unrounded rates behind them (措置率, in percent)."""

    cells: dict[tuple[str, int | None, str], Figure] = field(default_factory=dict)
    raw_rates: dict[int, Decimal] = field(default_factory=dict)

    def get(self, key: str, year: int | None, kind: str) -> Figure:
        return self.cells.get((key, year, kind), BLANK)

    def number(self, key: str, year: int | None, kind: str) -> Decimal | None:
        return self.get(key, year, kind).number


def _count(value: int | Decimal | None) -> Figure:
    if value is None:
        return BLANK
    return Figure(number=Decimal(value), unit="人", unit_printed=False)


def apportion(total: int, shares: list[Decimal]) -> list[int]:
    """Split ``total`` by ``shares`` with the largest-remainder method (ties to the earlier group)."""
    weight = sum(shares)
    if total < 0 or weight <= 0:
        return [0 for _ in shares]
    quotas = [Decimal(total) * s / weight for s in shares]
    parts = [int(q) for q in quotas]
    order = sorted(range(len(shares)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def compute(inputs: ForecastInputs, adoptions: dict[tuple[int, str], Decimal | None]) -> ForecastResult:
    """Every derived section-5 figure from the inputs and the section-7 adoption figures."""
    result = ForecastResult()
    with localcontext() as ctx:
        ctx.prec = 40
        _compute_plan(inputs, adoptions, result)
        _compute_actual(inputs, adoptions, result)
    return result


def _rate_figure(rate: Decimal, decimals: int) -> Figure:
    return Figure(unit="%").with_number(rate, decimals)


def _compute_plan(inputs: ForecastInputs, adoptions: dict, result: ForecastResult) -> None:
    first = inputs.first_year
    base = inputs.get("rate", first, PLAN)
    decimals = max(base.decimals, 3) if base.has_value else 3
    rate = base.number
    shares = [inputs.number(f"share.{k}", None, PLAN) for k, _ in AGE_GROUPS]
    for year in inputs.years:
        if year < first:
            continue
        if year == first:
            result.cells[("growth", year, PLAN)] = DASH
        else:
            growth = inputs.number("growth", year, PLAN)
            rate = None if rate is None or growth is None else rate * (1 + growth / 100)
            result.cells[("rate", year, PLAN)] = BLANK if rate is None else _rate_figure(rate, decimals)
        if rate is not None:
            result.raw_rates[year] = rate
        population = inputs.number("population", year, PLAN)
        if rate is None or population is None:
            continue
        before = int(round_half_up(population * rate / 100))
        placed = before - int(adoptions.get((year, PLAN)) or 0)
        result.cells[("before_adoption", year, PLAN)] = _count(before)
        result.cells[("placed", year, PLAN)] = _count(placed)
        if any(s is None for s in shares):
            continue
        parts = apportion(placed, shares)
        _store_age_split(inputs, result, year, PLAN, parts)


def _store_age_split(inputs: ForecastInputs, result: ForecastResult, year: int, kind: str, parts: list[int]) -> None:
    eligible_total = 0
    for (key, _), count in zip(AGE_GROUPS, parts, strict=True):
        if kind == PLAN:
            result.cells[(f"age.{key}", year, kind)] = _count(count)
        eligible = count - int(inputs.number(f"excluded.{key}", year, kind) or 0)
        eligible_total += eligible
        result.cells[(f"eligible.{key}", year, kind)] = _count(eligible)
    result.cells[("age.total", year, kind)] = _count(sum(parts))
    result.cells[("eligible.total", year, kind)] = _count(eligible_total)


def _compute_actual(inputs: ForecastInputs, adoptions: dict, result: ForecastResult) -> None:
    for year in inputs.years:
        population = inputs.number("population", year, ACTUAL)
        rate = inputs.number("rate", year, ACTUAL)
        if population is not None and rate is not None:
            before = int(round_half_up(population * rate / 100))
            result.cells[("before_adoption", year, ACTUAL)] = _count(before)
            result.cells[("placed", year, ACTUAL)] = _count(before - int(adoptions.get((year, ACTUAL)) or 0))
        counts = [inputs.number(f"age.{k}", year, ACTUAL) for k, _ in AGE_GROUPS]
        if all(c is not None for c in counts):
            _store_age_split(inputs, result, year, ACTUAL, [int(c) for c in counts])
