"""Writing a plan as a workbook: back into the workbook it came from, or laid out anew."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from openpyxl.workbook import Workbook

from ..core.plan import Plan
from .book_source import BookSource
from .progress import Progress, span
from .workbook_layout import build_workbook
from .workbook_update import update_workbook


def plan_workbook(plan: Plan, progress: Progress | None = None) -> Workbook:
    """The workbook ``plan`` saves as: its source workbook with the plan's cells written in, or a new one."""
    source = plan.source
    if isinstance(source, BookSource):
        return update_workbook(plan, source, progress)
    return build_workbook(plan, progress)


def write_plan(plan: Plan, target: str | Path | IO[bytes], progress: Progress | None = None) -> None:
    """Write ``plan`` to ``target`` (a path or a binary stream). Derived figures are written as values."""
    book = plan_workbook(plan, span(progress, 0.0, 0.6))
    if progress:
        progress(0.6)
    book.save(target)
    if progress:
        progress(1.0)
