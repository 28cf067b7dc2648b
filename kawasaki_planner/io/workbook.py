"""Loading and saving plan workbooks: the one entry point the GUI, the CLI and the self-test use."""

from __future__ import annotations

from pathlib import Path

from ..core.plan import Plan, plan_snapshot
from .errors import PlanFormatError, SaveError, SaveLockedError
from .guard import inspect_workbook_file
from .progress import Progress, span
from .safe_write import MSG_VERIFY, atomic_write, remove_leftovers
from .workbook_read import read_plan

__all__ = ["PlanFormatError", "SaveError", "SaveLockedError", "load_plan", "save_plan"]


def load_plan(path: str | Path, progress: Progress | None = None) -> Plan:
    """Read a plan workbook after the file guard has passed it; warnings go to ``plan.load_warnings``.

    ``progress`` (any thread) hears the fraction done, 0–1.
    """
    inspected = inspect_workbook_file(path)
    remove_leftovers(path)  # what saves of this plan killed mid-way left beside it; never raises
    return read_plan(path, span(progress, 0.02, 1.0), inspected=inspected)


def save_plan(plan: Plan, path: str | Path, *, backups: int = 3, progress: Progress | None = None) -> list[str]:
    """Write ``plan`` to ``path`` so that a failure at any point leaves the old file intact.

    A plan read from a workbook is written back into that workbook (the planner's own sheets, notes and
    comments stay); a new plan is laid out anew. The new file is written beside the target, read back and
    compared with ``plan`` before it replaces the old file; the replaced version is kept as
    ``<name>.bak1.xlsx`` (up to ``backups`` generations). Raises SaveLockedError (Excel holds the file, or it
    is read-only) or SaveError, both with Japanese messages; returns warnings. ``progress`` (any thread)
    hears the fraction done: writing is the first 50 %, reading back and comparing the rest.
    """
    from . import workbook_write  # the writer and the structural pass are needed only to save: not at start-up

    expected = plan_snapshot(plan)

    def verify(written: Path) -> None:
        if plan_snapshot(read_plan(written, span(progress, 0.5, 0.98))) != expected:
            raise SaveError(MSG_VERIFY)

    warnings = atomic_write(path, lambda target: workbook_write.write_plan(plan, target, span(progress, 0.0, 0.5)), verify_fn=verify,
                            backups=backups)
    if progress:
        progress(1.0)
    return warnings
