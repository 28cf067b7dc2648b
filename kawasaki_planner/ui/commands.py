"""Undo commands: every edit, paste and clear is one of these, and they touch only the plan."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ..core.plan import FigureRef, Plan
from ..core.values import Figure


class SetFiguresCommand(QUndoCommand):
    """Set several figures of the plan as one undoable step (a typed cell, a pasted block, a cleared selection).

    ``changes`` holds (ref, old, new) with figures already validated by ``Plan.prepare``;
    ``done`` is called after every redo/undo so views can redraw once per step.
    """

    def __init__(
        self,
        plan: Plan,
        changes: list[tuple[FigureRef, Figure, Figure]],
        text: str,
        done: Callable[[list[FigureRef]], None] | None = None,
    ) -> None:
        super().__init__(text)
        self._plan = plan
        self._changes = changes
        self._done = done

    @property
    def refs(self) -> list[FigureRef]:
        return [ref for ref, _, _ in self._changes]

    def redo(self) -> None:
        self._plan.set_figures([(ref, new) for ref, _, new in self._changes])
        if self._done:
            self._done(self.refs)

    def undo(self) -> None:
        self._plan.set_figures([(ref, old) for ref, old, _ in reversed(self._changes)])
        if self._done:
            self._done(self.refs)
