"""Undo commands for the forecast scenarios: create, rename, delete, adopt, edit inputs — each one undo step.

A command applies its edit once through :mod:`kawasaki_planner.core.scenarios` *before* it is pushed (an edit the
core refuses raises ScenarioError with nothing changed and never reaches the stack), and keeps the whole scenario
set as it stood before and after (:func:`~kawasaki_planner.core.scenarios.state`): undo puts back the one, redo the
other, so an undone edit leaves ``plan_snapshot`` exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ..core import scenarios as sc
from ..core.plan import Plan
from ..core.values import FigureError
from . import scenario_strings as T


class ScenarioCommand(QUndoCommand):
    """One scenario edit: ``edit(plan)`` does it (the first time); undo and redo restore the saved sets.

    No attribute may take the name of a QUndoCommand method (``id``, ``text`` …): the undo stack calls them.
    """

    def __init__(self, plan: Plan, text: str, edit: Callable[[Plan], object]) -> None:
        super().__init__(text)
        self.plan = plan
        self._edit = edit
        self.before: sc.ScenarioState | None = None
        self.after: sc.ScenarioState | None = None
        self.done: Callable[[list], None] | None = None
        self._applied = False

    def apply_first(self) -> None:
        self.before = sc.state(self.plan)
        self._edit(self.plan)
        self.after = sc.state(self.plan)
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            self._applied = False  # the push right after apply_first: already done
        else:
            sc.restore(self.plan, self.after)
        self._notify()

    def undo(self) -> None:
        sc.restore(self.plan, self.before)
        self._notify()

    def _notify(self) -> None:
        if self.done is not None:
            self.done([])


def push(document, command: ScenarioCommand) -> bool:
    """Apply ``command`` and put it on the document's undo stack; a refusal is told by ``document.message``."""
    command.done = document.edited.emit
    try:
        command.apply_first()
    except (FigureError, KeyError) as error:
        document.message.emit(T.REFUSED.format(reason=error if isinstance(error, FigureError) else "シナリオがありません"))
        return False
    document.undo_stack.push(command)
    return True


def create(plan: Plan, name: str, source: str | None = None) -> ScenarioCommand:
    return ScenarioCommand(plan, T.CMD_NEW.format(name=name.strip()), lambda p: sc.create(p, name, source))


def rename(plan: Plan, id: str, name: str) -> ScenarioCommand:
    old = sc.find(plan, id).name
    return ScenarioCommand(plan, T.CMD_RENAME.format(old=old, new=name.strip()), lambda p: sc.rename(p, id, name))


def delete(plan: Plan, id: str) -> ScenarioCommand:
    return ScenarioCommand(plan, T.CMD_DELETE.format(name=sc.find(plan, id).name), lambda p: sc.delete(p, id))


def adopt(plan: Plan, id: str) -> ScenarioCommand:
    return ScenarioCommand(plan, T.CMD_ADOPT.format(name=sc.find(plan, id).name), lambda p: sc.adopt(p, id))


def set_inputs(plan: Plan, id: str, changes: list) -> ScenarioCommand:
    """``changes``: ((key, year, kind), value) of scenario ``id``, validated as one edit."""
    text = T.CMD_EDIT.format(name=sc.find(plan, id).name, count=len(changes))
    return ScenarioCommand(plan, text, lambda p: sc.set_figures(p, id, changes))
