"""Loading and saving plan workbooks: the one entry point the GUI, the CLI and the self-test use."""

from __future__ import annotations

from pathlib import Path

from ..core.plan import Plan, plan_snapshot
from .collection import collection_paused
from .errors import PlanFormatError, SaveError, SaveLockedError
from .progress import Progress, span
from .safe_write import MSG_VERIFY, atomic_write
from .workbook_read import read_plan

__all__ = ["PlanFormatError", "SaveError", "SaveLockedError", "load_plan", "save_plan"]


def load_plan(path: str | Path, progress: Progress | None = None) -> Plan:
    """Read a plan workbook after checking the file is safe to parse; warnings go to ``plan.load_warnings``.

    ``progress`` (any thread) hears the fraction done, 0–1.
    """
    warnings = _inspect(path)
    with collection_paused():
        plan = read_plan(path, span(progress, 0.02, 1.0))
    plan.load_warnings = warnings + plan.load_warnings
    return plan


def _inspect(path: str | Path) -> list[str]:
    try:
        from .guard import inspect_workbook_file
    except ImportError:
        return []
    return list(inspect_workbook_file(path))


def save_plan(plan: Plan, path: str | Path, *, backups: int = 3, progress: Progress | None = None) -> list[str]:
    """Write ``plan`` to ``path`` so that a failure at any point leaves the old file intact.

    The new workbook is written beside the target, read back and compared with ``plan``
    before it replaces the old file; the replaced version is kept as ``<name>.bak1.xlsx`` (up
    to ``backups`` generations). Raises SaveLockedError (Excel holds the file, or it is
    read-only) or SaveError, both with Japanese messages; returns warnings. ``progress`` (any thread)
    hears the fraction done: writing is the first 40 %, reading back and comparing the rest.
    """
    from .workbook_write import write_plan  # openpyxl is needed only to write: keep it off the start-up path

    expected = plan_snapshot(plan)

    def verify(written: Path) -> None:
        if plan_snapshot(read_plan(written, span(progress, 0.4, 0.98))) != expected:
            raise SaveError(MSG_VERIFY)

    with collection_paused():
        warnings = atomic_write(path, lambda target: write_plan(plan, target, span(progress, 0.0, 0.4)), verify_fn=verify,
                                backups=backups)
    if progress:
        progress(1.0)
    return warnings
