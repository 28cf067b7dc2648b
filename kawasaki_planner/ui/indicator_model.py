"""The 評価のための指標 table of a section, with progress-evaluation colours.

The actual (実績) cell of each year is coloured by the status of that year
(:mod:`kawasaki_planner.core.evaluation`); both cells of the year carry the
evaluation in their tooltip. Blank actuals stay uncoloured: nothing to judge yet.
A figure with a plausibility finding (:mod:`kawasaki_planner.core.plausibility`) is
marked in its text colour, over whatever evaluation colour its cell has.

The table follows the section's structure (``plan.structure_changed``): indicators added, removed or moved
are inserted, removed or moved rows (their remembered paintings move with them), an indicator renamed or
given another unit or direction is repainted, and new fiscal years reset the columns.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from ..core.evaluation import DEFAULT_THRESHOLDS, Thresholds, evaluate_year
from ..core.fiscal import year_label
from ..core.plan import ACTUAL, FigureRef, Section
from ..core.plausibility import Finding, judge
from . import strings as S
from .document import PlanDocument
from .figure_model import (
    DISPLAY,
    EDITABLE,
    LEFT_VALUE,
    READ_ONLY,
    RIGHT_VALUE,
    WARNING_ROLE,
    FigureTableModel,
    Index,
    RowDef,
    mark,
    year_columns,
)
from .painted_roles import PaintedRows, fill_roles
from .palette import STATUS_COLORS, WARNING_COLOR
from .structure_commands import in_plan

STATUS_ROLE = Qt.ItemDataRole.UserRole + 10
BACKGROUND, FOREGROUND = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole
FOREGROUND_VALUE = int(FOREGROUND)  # multiData's roles are plain ints


def indicator_rows(section: Section) -> list[RowDef]:
    rows = []
    for indicator in section.indicators:
        unit = S.UNIT_SUFFIX.format(unit=indicator.unit) if indicator.unit else ""
        tooltip = "\n".join(p for p in (indicator.label, unit, S.COL_DIRECTION + ": " + indicator.direction.label) if p)
        signature = (indicator.unit, indicator.print_unit, indicator.direction)
        rows.append(RowDef(section.number, indicator.id, indicator.label, tooltip, signature=signature))
    return rows


class IndicatorTableModel(PaintedRows, FigureTableModel):
    label_header = S.COL_INDICATOR
    cell_roles = FigureTableModel.cell_roles | {STATUS_ROLE}

    def __init__(self, document: PlanDocument, section: Section, thresholds: Thresholds = DEFAULT_THRESHOLDS, parent=None):
        super().__init__(document, indicator_rows(section), year_columns(document.plan.years), parent)
        self.section = section
        self.thresholds = thresholds
        # Per row, (texts, backgrounds, findings) of its cells; None until the row is first painted.
        # findings is None for a row without any (nearly every row), else one tuple of Findings per column.
        self._painted: list[tuple | None] = [None] * len(self.rows)
        self._all_typed = not document.plan.has_derived(section.number)
        self._years = document.plan.years
        self.plan.structure_changed.connect(self._on_structure_changed)
        self.plan.changed.connect(self._on_changed)

    def detach(self) -> None:
        super().detach()
        self.plan.structure_changed.disconnect(self._on_structure_changed)
        self.plan.changed.disconnect(self._on_changed)

    # --- following the structure ---------------------------------------------------------
    def _on_structure_changed(self, number: int | None) -> None:
        # A tab being replaced during this very announcement still hears it (listeners are called from a copy).
        if self._detached or number not in (None, self.section.number) or not in_plan(self.plan, self.section):
            return
        self._all_typed = not self.plan.has_derived(self.section.number)
        if self._years != self.plan.years:
            self._years = self.plan.years
            self.set_columns(indicator_rows(self.section), year_columns(self.plan.years))
        else:
            self.sync_rows(indicator_rows(self.section))

    def _row_removed(self, row: int) -> None:
        del self._painted[row]

    def _row_inserted(self, row: int) -> None:
        self._painted.insert(row, None)

    def _row_moved(self, old: int, new: int) -> None:
        self._painted.insert(new, self._painted.pop(old))

    def _row_changed(self, row: int) -> None:
        self._painted[row] = None

    def _reset_caches(self) -> None:
        self._painted = [None] * len(self.rows)

    def _on_changed(self, change) -> None:
        """Figures the plan computed (a 策定要領 section 8's placements, from section 5) are repainted; typed ones
        were (figure_changed)."""
        if self._all_typed or self._detached:
            return
        for ref in change.figures:
            row = self._row_of.get((ref.section, ref.row)) if ref.section == self.section.number else None
            if row is not None and not self.plan.is_input(ref):
                self._painted[row] = None
                index = self.index_of(ref)
                if index.isValid():
                    self.dataChanged.emit(*self.changed_span(index))

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        self._painted = [None] * len(self.rows)
        self.emit_all_values_changed()

    def _paint(self, row: int) -> tuple[tuple, tuple, tuple | None]:
        spec = self.rows[row]
        indicator = self.section.indicator(spec.key)
        if indicator is None:
            raise KeyError(spec.key)
        texts, backgrounds, findings = [spec.label], [None], [()]
        colours: dict[int, object] = {}  # the year's colour, shared by its target and actual
        for column in self.columns:
            figure = indicator.figure(column.year, column.kind)
            texts.append(figure.text)
            # A figure's findings follow from it and its row's unit alone, so they are kept with the row.
            finding = judge(figure, indicator.unit)
            findings.append(() if finding is None else (finding,))
            if column.kind != ACTUAL or figure.is_blank:
                backgrounds.append(None)
                continue
            if column.year not in colours:
                colours[column.year] = STATUS_COLORS[evaluate_year(indicator, column.year, self.thresholds).status]
            backgrounds.append(colours[column.year])
        return tuple(texts), tuple(backgrounds), (tuple(findings) if any(findings) else None)

    def cell_findings(self, row: int, column: int) -> tuple[Finding, ...]:
        found = self.painted(row)[2]
        return () if found is None else found[column]

    def findings(self, ref: FigureRef) -> tuple[Finding, ...]:
        row, column = self._row_of.get((ref.section, ref.row)), self._column_of.get((ref.year, ref.kind))
        if row is None or column is None:
            return super().findings(ref)
        return self.cell_findings(row, column)

    def data(self, index: Index, role: int = DISPLAY):
        if role == DISPLAY and index.isValid():
            return self.painted(index.row())[0][index.column()]
        if role == BACKGROUND and index.isValid():
            return self.painted(index.row())[1][index.column()]
        if role in (FOREGROUND, WARNING_ROLE) and index.isValid() and index.column():
            # Asked for every painted cell (the delegate asks WARNING_ROLE): answered from the row's findings.
            return mark(role, self.cell_findings(index.row(), index.column()), None)
        return super().data(index, role)

    def multiData(self, index: Index, roleDataSpan) -> None:
        column = index.column()
        alignment = RIGHT_VALUE if column else LEFT_VALUE
        painted = self.painted(index.row())
        fill_roles(roleDataSpan, painted, column, alignment, lambda role: self.data(index, role))
        if painted[2] is not None and painted[2][column]:
            # fill_roles answers every cell's ForegroundRole with None; a marked cell has its own colour.
            for i in range(len(roleDataSpan)):
                if roleDataSpan[i].role() == FOREGROUND_VALUE:
                    roleDataSpan[i].setData(WARNING_COLOR)

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Asked for every painted cell. In a section without computed figures (Plan.has_derived)
        # every value cell is typed, so the answer needs no cell address.
        if not self._all_typed:
            return super().flags(index)
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return READ_ONLY if index.column() == 0 else EDITABLE

    def indicator(self, row: int):
        return self.section.indicator(self.rows[row].key)

    def evaluation(self, ref: FigureRef):
        return evaluate_year(self.section.indicator(ref.row), ref.year, self.thresholds)

    def cell_data(self, ref: FigureRef, role: int):
        if role == FOREGROUND or (role == BACKGROUND and ref.kind != ACTUAL):
            return None
        indicator = self.section.indicator(ref.row)
        if indicator is None or ref.year is None or indicator.figure(ref.year, ACTUAL).is_blank:
            return None
        if role == STATUS_ROLE:
            return self.evaluation(ref).status
        if role == BACKGROUND:
            return STATUS_COLORS[self.evaluation(ref).status]
        if role == Qt.ItemDataRole.ToolTipRole:
            return evaluation_tooltip(indicator, ref.year, self.evaluation(ref))
        return None

    def _on_figure_changed(self, ref: FigureRef) -> None:
        row = self._row_of.get((ref.section, ref.row))
        if row is not None:
            self._painted[row] = None
        super()._on_figure_changed(ref)

    def changed_span(self, index: QModelIndex) -> tuple[QModelIndex, QModelIndex]:
        """A target or an actual changes the evaluation shown on both cells of its year."""
        first = index.column() - (index.column() - 1) % 2
        return self.index(index.row(), first), self.index(index.row(), first + 1)


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
