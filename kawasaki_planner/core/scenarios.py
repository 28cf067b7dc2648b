"""Forecast scenarios (推計シナリオ): named sets of the section-5 inputs, one of them adopted.

A scenario holds what the planner types for section 5 (児童人口 by year, the base 措置率, the 措置率増加率 by year,
the age shares, the children outside the 里親等委託率 base, and the R6 actuals): a :class:`~.forecast.ForecastInputs`.
The special adoptions stay section 7's: every scenario deducts the same adoption figures.

Exactly one scenario is adopted (採用): its inputs ARE ``plan.forecast_inputs``, so what the plan prints and what
section 8 computes follow it. The others are computed on demand with the same :func:`.forecast.compute`.

Each edit below checks first and raises ScenarioError (a Japanese message) without changing anything, or applies
the edit and tells the plan's listeners once through ``plan.changed``: a Change naming the scenarios it touched
and, when the adopted inputs changed (adopting another scenario), every section-5 and section-8 figure that moved.
:func:`state` and :func:`restore` give an undo command the whole scenario set before and after an edit, exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import forecast as fc
from .change import Change
from .values import Figure, FigureError

if TYPE_CHECKING:
    from .plan import FigureRef, Plan

DEFAULT_NAME = "採用案"  # the published plan's only scenario
NAME_MAX = 40  # a name heads a column of the 推計シナリオ sheet and a line of the charts' legend


class ScenarioError(FigureError):
    """A scenario edit the plan cannot take; the message is Japanese."""


@dataclass
class Scenario:
    """A named set of section-5 inputs. ``id`` is its identity (undo commands and views address it); the name is data."""

    id: str
    name: str
    inputs: fc.ForecastInputs


@dataclass(frozen=True)
class ScenarioState:
    """The whole scenario set, copied: (id, name, cells) in order, and the adopted id."""

    scenarios: tuple[tuple[str, str, tuple], ...]
    adopted: str


# --- reading -----------------------------------------------------------------------------------------------------

def find(plan: Plan, id: str) -> Scenario:
    for scenario in plan.scenarios:
        if scenario.id == id:
            return scenario
    raise KeyError(id)


def by_name(plan: Plan, name: str) -> Scenario | None:
    return next((s for s in plan.scenarios if s.name == name.strip()), None)


def adopted(plan: Plan) -> Scenario:
    return find(plan, plan.adopted_id)


def is_adopted(plan: Plan, id: str) -> bool:
    return plan.adopted_id == id


def effective_inputs(plan: Plan, scenario: Scenario) -> fc.ForecastInputs:
    """The inputs as the plan computes them: its fiscal years and first forecast year (a scenario not adopted keeps
    the cells of years the plan dropped, so that undoing the years gives them back; they are not computed)."""
    if is_adopted(plan, scenario.id):
        return plan.forecast_inputs
    cells = {k: f for k, f in scenario.inputs.cells.items() if k[1] is None or k[1] in plan.years}
    return fc.ForecastInputs(cells, plan.years, plan.first_forecast_year)


def result(plan: Plan, id: str) -> fc.ForecastResult:
    """What scenario ``id`` computes, with the plan's adoption figures; the adopted one's is ``plan.forecast``."""
    if is_adopted(plan, id):
        return plan.forecast
    return fc.compute(effective_inputs(plan, find(plan, id)), plan.adoption_numbers())


def input_positions(plan: Plan) -> list[tuple[str, int | None, str]]:
    """Every cell a scenario may hold, in the plan's order: rows as section 5 shows them, 見込み before 実績."""
    out = []
    for spec in (*fc.FORECAST_ROWS, *fc.AGE_ROWS, *fc.ASSUMPTION_ROWS):
        if not spec.per_year:
            out.append((spec.key, None, fc.PLAN))
            continue
        for kind in (fc.PLAN, fc.ACTUAL):
            for year in plan.years:
                if fc.is_input(spec.key, year, kind, plan.first_forecast_year):
                    out.append((spec.key, year, kind))
    return out


def snapshot(plan: Plan) -> tuple:
    """Names, the adopted mark and the inputs of every scenario, in order and comparable (plan_snapshot's part)."""
    def cells(scenario: Scenario) -> tuple:
        inputs = effective_inputs(plan, scenario).cells
        return tuple(sorted(inputs.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])))

    return tuple((s.name, is_adopted(plan, s.id), cells(s)) for s in plan.scenarios)


def needs_storage(plan: Plan) -> bool:
    """Whether the workbook needs its 推計シナリオ sheet: not for the one scenario every plan has by default."""
    return len(plan.scenarios) > 1 or plan.scenarios[0].name != DEFAULT_NAME


# --- checks -------------------------------------------------------------------------------------------------------

def check_name(plan: Plan, name: str, keep: str | None = None) -> str:
    """The name as stored (spaces around it dropped); raises ScenarioError when it is empty, too long or taken."""
    name = (name or "").strip()
    if not name:
        raise ScenarioError("シナリオ名を入力してください")
    if "\n" in name or "\r" in name:
        raise ScenarioError("シナリオ名に改行は使えません")
    if len(name) > NAME_MAX:
        raise ScenarioError(f"シナリオ名は{NAME_MAX}文字以内にしてください(いま{len(name)}文字)")
    other = by_name(plan, name)
    if other is not None and other.id != keep:
        raise ScenarioError(f"同じ名前のシナリオ「{name}」がすでにあります")
    return name


def new_id(plan: Plan) -> str:
    taken = {s.id for s in plan.scenarios}
    n = len(plan.scenarios) + 1
    while f"s{n}" in taken:
        n += 1
    return f"s{n}"


def suggested_name(plan: Plan, base: str) -> str:
    """「<base>のコピー」, numbered when taken: what 新しいシナリオ offers."""
    name, n = f"{base}のコピー", 2
    while by_name(plan, name) is not None:
        name, n = f"{base}のコピー{n}", n + 1
    return name[:NAME_MAX]


# --- edits --------------------------------------------------------------------------------------------------------

def _told(plan: Plan, ids, figures: frozenset = frozenset()) -> None:
    plan.changed.emit(Change(figures=figures, scenarios=frozenset(ids)))


def create(plan: Plan, name: str, source: str | None = None) -> Scenario:
    """A new scenario after the others, a copy of ``source``'s inputs (by default the adopted one's)."""
    name = check_name(plan, name)
    original = find(plan, source or plan.adopted_id)
    inputs = effective_inputs(plan, original).copy()
    scenario = Scenario(new_id(plan), name, fc.ForecastInputs(dict(inputs.cells), plan.years, plan.first_forecast_year))
    plan.scenarios.append(scenario)
    _told(plan, {scenario.id})
    return scenario


def rename(plan: Plan, id: str, name: str) -> str:
    """Rename; returns the old name."""
    scenario = find(plan, id)
    name = check_name(plan, name, keep=id)
    old, scenario.name = scenario.name, name
    if old != name:
        _told(plan, {id})
    return old


def delete(plan: Plan, id: str) -> tuple[int, Scenario]:
    """Remove a scenario that is not adopted; returns (its index, it)."""
    scenario = find(plan, id)
    if is_adopted(plan, id):
        raise ScenarioError(f"採用中のシナリオ「{scenario.name}」は削除できません(先にほかのシナリオを採用してください)")
    if len(plan.scenarios) == 1:
        raise ScenarioError("最後のシナリオは削除できません")
    index = plan.scenarios.index(scenario)
    plan.scenarios.pop(index)
    _told(plan, {id})
    return index, scenario


def adopt(plan: Plan, id: str) -> str:
    """Make ``id`` the adopted scenario: section 5 prints it and section 8 follows. Returns the old adopted id.

    Listeners hear once: every section-5 input that differs between the two scenarios (also cell by cell, through
    ``figure_changed``, as a typed input is) and every derived figure that moved.
    """
    new = find(plan, id)
    old_id = plan.adopted_id
    if old_id == id:
        return old_id
    before = dict(plan.forecast_inputs.cells)
    new.inputs = effective_inputs(plan, new)
    plan.adopted_id = id
    changed_inputs = _input_refs(before, new.inputs.cells)
    derived = plan.recompute_changes()  # the derived figures are the old scenario's until this recompute
    for ref in sorted(changed_inputs, key=_ref_order):
        plan.figure_changed.emit(ref)
    _told(plan, {old_id, id}, frozenset(changed_inputs) | derived)
    return old_id


def set_figures(plan: Plan, id: str, changes: list[tuple[tuple[str, int | None, str], Figure | str | None]]) -> list[Figure]:
    """Set inputs of scenario ``id`` as one edit, each validated as the plan validates a typed figure (refused:
    ScenarioError naming the cell, nothing changed). For the adopted scenario this is ``plan.set_figures``."""
    from .fiscal import era_label
    from .plan import forecast_ref

    if is_adopted(plan, id):
        return plan.set_figures([(forecast_ref(*key), value) for key, value in changes])
    scenario = find(plan, id)
    prepared = []
    for key, value in changes:
        ref = forecast_ref(*key)
        try:
            if key[1] is not None and key[1] not in plan.years:
                raise FigureError("計画の年度にない年度です")
            prepared.append((key, plan.prepare(ref, value)))
        except FigureError as error:
            where = fc.printed_label(fc.ALL_ROWS[key[0]]) + ("" if key[1] is None else f" {era_label(key[1])}")
            raise ScenarioError(f"シナリオ「{scenario.name}」の{where}: {error}") from error
    cells = scenario.inputs.cells
    changed = False
    for key, figure in prepared:
        if cells.get(key, Figure()) == figure:
            continue
        changed = True
        if figure.is_blank:
            cells.pop(key, None)
        else:
            cells[key] = figure
    if changed:
        _told(plan, {id})
    return [figure for _, figure in prepared]


# --- undo ---------------------------------------------------------------------------------------------------------

def state(plan: Plan) -> ScenarioState:
    """The scenario set as it stands, copied (Figures are immutable: the cells' items are shared safely)."""
    return ScenarioState(tuple((s.id, s.name, tuple(s.inputs.cells.items())) for s in plan.scenarios), plan.adopted_id)


def restore(plan: Plan, saved: ScenarioState) -> None:
    """Put the scenario set back as ``saved`` (undo and redo); listeners hear once, as for the edit itself."""
    before = dict(plan.forecast_inputs.cells)
    ids = {s.id for s in plan.scenarios} | {s[0] for s in saved.scenarios}
    plan.scenarios = [Scenario(id, name, fc.ForecastInputs(dict(cells), plan.years, plan.first_forecast_year))
                      for id, name, cells in saved.scenarios]
    plan.adopted_id = saved.adopted
    changed_inputs = _input_refs(before, plan.forecast_inputs.cells)
    derived = plan.recompute_changes() if changed_inputs else frozenset()
    for ref in sorted(changed_inputs, key=_ref_order):
        plan.figure_changed.emit(ref)
    _told(plan, ids, frozenset(changed_inputs) | derived)


# --- helpers ------------------------------------------------------------------------------------------------------

def _input_refs(before: dict, after: dict) -> set[FigureRef]:
    from .plan import forecast_ref

    return {forecast_ref(*key) for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def _ref_order(ref: FigureRef) -> tuple:
    return ref.row, ref.year or 0, ref.kind


__all__ = [
    "DEFAULT_NAME",
    "Scenario",
    "ScenarioError",
    "ScenarioState",
    "adopt",
    "adopted",
    "by_name",
    "check_name",
    "create",
    "delete",
    "effective_inputs",
    "find",
    "input_positions",
    "needs_storage",
    "rename",
    "restore",
    "result",
    "set_figures",
    "snapshot",
    "state",
]
