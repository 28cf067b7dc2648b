"""The 評価のための指標 table of a section, with progress-evaluation colours.

The actual (実績) cell of each year is coloured by the status of that year, as the core's one evaluation
(:func:`kawasaki_planner.core.evaluation.evaluate_year`) judges it; both cells of the year carry the
evaluation in their tooltip. Blank actuals stay uncoloured: nothing to judge yet.
A figure with a plausibility finding (:mod:`kawasaki_planner.core.plausibility`) is
marked in its text colour, over whatever evaluation colour its cell has.

The table follows the plan's one notification per edit (``plan.changed``): a figure repaints both cells of its
year; a structure edit of the section inserts, removes or moves rows, repaints an indicator renamed or given
another unit or direction, and new fiscal years reset the columns.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from ..core.change import Change
from ..core.evaluation import DEFAULT_THRESHOLDS, Evaluation, Thresholds, evaluate_year, has_actual
from ..core.fiscal import year_label
from ..core.plan import ACTUAL, PLAN, FigureRef, Plan, Section
from ..core.plausibility import judge
from . import strings as S
from .document import PlanDocument
from .figure_model import FigureTableModel, RowDef, year_columns
from .palette import STATUS_COLORS
from .structure_commands import in_plan

STATUS_ROLE = Qt.ItemDataRole.UserRole + 10
BACKGROUND, FOREGROUND = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole


def indicator_rows(plan: Plan, section: Section) -> list[RowDef]:
    rows = []
    for indicator in section.indicators:
        unit = S.UNIT_SUFFIX.format(unit=indicator.unit) if indicator.unit else ""
        tooltip = "\n".join(p for p in (indicator.label, unit, S.COL_DIRECTION + ": " + indicator.direction.label) if p)
        signature = (indicator.unit, indicator.print_unit, indicator.direction)
        # An indicator's figures are all typed or all computed (section 8's placements): the plan says which.
        typed = plan.is_input(FigureRef(section.number, indicator.id, None, PLAN))
        rows.append(RowDef(section.number, indicator.id, indicator.label, tooltip, typed=typed, signature=signature))
    return rows


class IndicatorTableModel(FigureTableModel):
    label_header = S.COL_INDICATOR
    cell_roles = FigureTableModel.cell_roles | {STATUS_ROLE}

    def __init__(self, document: PlanDocument, section: Section, thresholds: Thresholds = DEFAULT_THRESHOLDS, parent=None):
        super().__init__(document, indicator_rows(document.plan, section), year_columns(document.plan.years), parent)
        self.section = section
        self.thresholds = thresholds
        self._years = document.plan.years

    def follow_structure(self, change: Change) -> None:
        # A tab being replaced during this very announcement still hears it (listeners are called from a copy).
        if not (change.plan_wide or self.section.number in change.sections) or not in_plan(self.plan, self.section):
            return
        if self._years != self.plan.years:
            self._years = self.plan.years
            self.set_columns(indicator_rows(self.plan, self.section), year_columns(self.plan.years))
        else:
            self.sync_rows(indicator_rows(self.plan, self.section))

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        self.emit_all_values_changed()

    def indicator(self, row: int):
        return self.section.indicator(self.rows[row].key)

    def evaluation(self, ref: FigureRef) -> Evaluation:
        """The core's evaluation of the indicator's year (the one the 進捗一覧, the 評価 view and the report show)."""
        return evaluate_year(self.section.indicator(ref.row), ref.year, self.thresholds)

    def cell_data(self, ref: FigureRef, role: int):
        """A computed figure (section 8's placements) looks computed; an actual entered is coloured by its year's
        status, and both cells of the year carry the evaluation in their tooltip."""
        if not self.rows[self._row_of[(ref.section, ref.row)]].typed:
            return super().cell_data(ref, role)
        if role == FOREGROUND or (role == BACKGROUND and ref.kind != ACTUAL):
            return None
        indicator = self.section.indicator(ref.row)
        if indicator is None or ref.year is None or not has_actual(indicator, ref.year):
            return None
        if role == STATUS_ROLE:
            return self.evaluation(ref).status
        if role == BACKGROUND:
            return STATUS_COLORS[self.evaluation(ref).status]
        if role == Qt.ItemDataRole.ToolTipRole:
            return evaluation_tooltip(indicator, ref.year, self.evaluation(ref))
        return None

    def figure(self, ref: FigureRef):
        return self.section.indicator(ref.row).figure(ref.year, ref.kind)

    def findings(self, ref: FigureRef):
        """A figure's findings follow from it and its row's unit alone (the rules across figures are section 5's)."""
        indicator = self.section.indicator(ref.row)
        finding = None if indicator is None else judge(indicator.figure(ref.year, ref.kind), indicator.unit)
        return () if finding is None else (finding,)

    def changed_cells(self, row: int, column: int):
        """A target or an actual changes the evaluation shown on both cells of its year."""
        first = column - (column - 1) % 2
        return ((row, first), (row, first + 1))


def evaluation_tooltip(indicator, year: int, evaluation) -> str:
    lines = [S.EVAL_TOOLTIP.format(year=year_label(year), status=evaluation.status.label)]
    if evaluation.ratio is not None:
        lines.append(S.EVAL_RATIO.format(ratio=evaluation.ratio_text))
    if evaluation.reason:
        lines.append(evaluation.reason)
    lines.append(
        S.EVAL_PAIR.format(
            target=indicator.figure(year, "plan").text or "—", actual=indicator.figure(year, ACTUAL).text or "—"
        )
    )
    return "\n".join(lines)
