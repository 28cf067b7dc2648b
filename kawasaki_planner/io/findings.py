"""Plausibility findings as the user reads them: at the cell of the workbook where the figure stands.

The core says what is wrong with a figure (core/plausibility.py) but not where it is; the reader knows each
figure's cell (BookSource.figures). A figure with no cell of its own (a computed row the sheet does not
show) is named as the window names it, 「節5「措置児童数」R8年度 (2026) 見込み」.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from ..core.plan import FigureRef, Plan
from ..core.plausibility import Finding
from .book_source import BookSource
from .errors import PlanFormatError


def located(plan: Plan, source: BookSource | None, ref: FigureRef, finding: Finding, sheets: set[str] | None = None) -> PlanFormatError:
    """The finding with its place: sheet, cell and value, else the figure's name (``sheets``: those that exist)."""
    place = source.figures.get(ref) if source is not None else None
    value = plan.figure(ref).text
    if place is None or (sheets is not None and place[0] not in sheets):
        return PlanFormatError(f"{plan.figure_name(ref)}の値「{value}」: {finding.message}")
    return PlanFormatError(finding.message, sheet=place[0], cell=f"{get_column_letter(place[2])}{place[1]}", value=value)
