"""One open plan: the Plan, its file, its QUndoStack, and the single way edits reach the plan.

``apply`` validates figures with ``Plan.prepare`` and pushes one :class:`SetFiguresCommand`;
``edit_structure`` applies a structure edit (:mod:`.structure_commands`) and pushes it;
refused figures and edits are reported by the ``message`` signal (Japanese), never raised into Qt.
The unsaved state is the undo stack's clean state, not a flag kept by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..core.plan import FigureRef, Plan
from ..core.structure import StructureError
from ..core.values import Figure, FigureError
from . import strings as S
from . import structure_strings as T
from .commands import SetFiguresCommand


@dataclass
class ApplyResult:
    applied: list[FigureRef] = field(default_factory=list)
    refused: list[tuple[FigureRef, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused


def load_plan_file(path: str | Path, progress: Callable[[float], None] | None = None) -> Plan:
    """A plan from a workbook (.xlsx) or a plan source (.json); raises PlanFormatError/OSError.

    Qt-free, so it can run in a worker thread; ``progress`` hears the fraction read (workbooks only).
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        from ..io.source import load_source

        return load_source(path)
    from ..io.workbook import load_plan

    return load_plan(path, progress)


def save_plan_file(plan: Plan, path: str | Path, progress: Callable[[float], None] | None = None) -> list[str]:
    """Write the workbook; returns the writer's warnings (e.g. no backup could be kept). Qt-free, like loading."""
    from ..io.workbook import save_plan

    return list(save_plan(plan, Path(path), progress=progress) or [])


def empty_plan() -> Plan:
    from ..io.source import new_plan

    return new_plan()


class PlanDocument(QObject):
    """The plan being edited in a window."""

    edited = Signal(list)
    """After every undo-stack step (do, undo, redo): the refs it touched; views flush redraws here."""
    message = Signal(str)
    """A Japanese message for the user (a refused entry, a partial paste)."""
    modified_changed = Signal(bool)

    def __init__(self, plan: Plan, path: str | Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.path = Path(path) if path else None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)

    def _on_clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else S.UNTITLED

    def _done(self, refs: list[FigureRef]) -> None:
        self.edited.emit(refs)

    def prepare(self, changes: list[tuple[FigureRef, Figure | str | None]]) -> tuple[list, list[tuple[FigureRef, str]]]:
        """Split changes into (ref, old, new) that would change the plan, and (ref, reason) refused."""
        accepted, refused = [], []
        for ref, value in changes:
            try:
                new = self.plan.prepare(ref, value)
                old = self.plan.figure(ref)
            except (FigureError, KeyError) as error:
                refused.append((ref, str(error) if isinstance(error, FigureError) else S.PASTE_READONLY))
                continue
            if new != old:
                accepted.append((ref, old, new))
        return accepted, refused

    def apply(self, changes: list[tuple[FigureRef, Figure | str | None]], text: str) -> ApplyResult:
        """Apply the acceptable changes as one undoable step; report the refused ones."""
        accepted, refused = self.prepare(changes)
        if accepted:
            self.undo_stack.push(SetFiguresCommand(self.plan, accepted, text, self._done))
        return ApplyResult([ref for ref, _, _ in accepted], refused)

    def set_figure(self, ref: FigureRef, value: Figure | str | None, text: str) -> bool:
        """One typed cell: True if stored (or unchanged), False and a message if refused."""
        result = self.apply([(ref, value)], text)
        if not result.ok:
            self.message.emit(S.REFUSED.format(reason=result.refused[0][1]))
        return result.ok

    def edit_structure(self, command) -> bool:
        """Apply a structure edit (a :class:`.structure_commands.StructureCommand`) as one undoable step.

        It is applied before it is pushed: an edit the core refuses (StructureError) changes nothing, is reported
        by ``message`` and never reaches the undo stack. Returns whether it was applied.
        """
        command.done = self._done
        try:
            command.apply_first()
        except StructureError as error:
            self.message.emit(T.REFUSED.format(reason=error))
            return False
        self.undo_stack.push(command)
        return True

    def save(self, path: str | Path | None = None, run: Callable | None = None) -> list[str]:
        """Write the workbook (raises the io errors), mark the current state as saved; returns the warnings.

        ``run(work)`` calls ``work(progress)`` somewhere else (long_task: in a worker thread, with a progress
        bar); without it the write happens here.
        """
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("no path")

        def write(progress: Callable[[float], None] | None = None) -> list[str]:
            return save_plan_file(self.plan, target, progress)

        warnings = (run(write) if run else write()) or []  # tests may stand in a writer that returns nothing
        self.path = target
        self.undo_stack.setClean()
        return warnings
