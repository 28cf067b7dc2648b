"""Loading and saving plan workbooks: the one entry point the GUI, the CLI and the self-test use."""

from __future__ import annotations

from pathlib import Path

from ..core.plan import Plan
from .errors import PlanFormatError
from .workbook_read import read_plan
from .workbook_write import write_plan

__all__ = ["PlanFormatError", "load_plan", "save_plan"]


def load_plan(path: str | Path) -> Plan:
    """Read a plan workbook after checking the file is safe to parse; warnings go to ``plan.load_warnings``."""
    warnings = _inspect(path)
    plan = read_plan(path)
    plan.load_warnings = warnings + plan.load_warnings
    return plan


def _inspect(path: str | Path) -> list[str]:
    try:
        from .guard import inspect_workbook_file
    except ImportError:
        return []
    return list(inspect_workbook_file(path))


def save_plan(plan: Plan, path: str | Path) -> None:
    """Write ``plan`` to ``path`` so that a failure at any point leaves the old file intact."""
    write_plan(plan, path)
