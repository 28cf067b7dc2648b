"""The 評価のための指標 table of a section, with progress-evaluation colours.

The actual (実績) cell of each year is coloured by the status of that year
(:mod:`kawasaki_planner.core.evaluation`); both cells of the year carry the
evaluation in their tooltip. Blank actuals stay uncoloured: nothing to judge yet.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from ..core.evaluation import DEFAULT_THRESHOLDS, Thresholds, evaluate_year
from ..core.fiscal import year_label
from ..core.plan import ACTUAL, FigureRef, Section
from . import strings as S
from .document import PlanDocument
from .figure_model import DISPLAY, EDITABLE, LEFT_VALUE, READ_ONLY, RIGHT_VALUE, FigureTableModel, Index, RowDef, year_columns
from .painted_roles import PaintedRows, fill_roles
from .palette import STATUS_COLORS

STATUS_ROLE = Qt.ItemDataRole.UserRole + 10
BACKGROUND, FOREGROUND = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole


def indicator_rows(section: Section) -> list[RowDef]:
    rows = []
    for indicator in section.indicators:
        unit = S.UNIT_SUFFIX.format(unit=indicator.unit) if indicator.unit else ""
        tooltip = "\n".join(p for p in (indicator.label, unit, S.COL_DIRECTION + ": " + indicator.direction.label) if p)
        rows.append(RowDef(section.number, indicator.label, indicator.label, tooltip))
    return rows


class IndicatorTableModel(PaintedRows, FigureTableModel):
    label_header = S.COL_INDICATOR
    cell_roles = FigureTableModel.cell_roles | {STATUS_ROLE}

    def __init__(self, document: PlanDocument, section: Section, thresholds: Thresholds = DEFAULT_THRESHOLDS, parent=None):
        super().__init__(document, indicator_rows(section), year_columns(document.plan.years), parent)
        self.section = section
        self.thresholds = thresholds
        # Per row, (texts, backgrounds) of its cells; None until the row is first painted.
        self._painted: list[tuple[tuple, tuple] | None] = [None] * len(self.rows)
        self._all_typed = not document.plan.has_derived(section.number)

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        self._painted = [None] * len(self.rows)
        self.emit_all_values_changed()

    def _paint(self, row: int) -> tuple[tuple, tuple]:
        spec = self.rows[row]
        indicator = self.section.indicator(spec.key)
        if indicator is None:
            raise KeyError(spec.key)
        texts, backgrounds = [spec.label], [None]
        colours: dict[int, object] = {}  # the year's colour, shared by its target and actual
        for column in self.columns:
            figure = indicator.figure(column.year, column.kind)
            texts.append(figure.text)
            if column.kind != ACTUAL or figure.is_blank:
                backgrounds.append(None)
                continue
            if column.year not in colours:
                colours[column.year] = STATUS_COLORS[evaluate_year(indicator, column.year, self.thresholds).status]
            backgrounds.append(colours[column.year])
        return tuple(texts), tuple(backgrounds)

    def data(self, index: Index, role: int = DISPLAY):
        if role == DISPLAY and index.isValid():
            return self.painted(index.row())[0][index.column()]
        if role == BACKGROUND and index.isValid():
            return self.painted(index.row())[1][index.column()]
        return super().data(index, role)

    def multiData(self, index: Index, roleDataSpan) -> None:
        column = index.column()
        alignment = RIGHT_VALUE if column else LEFT_VALUE
        fill_roles(roleDataSpan, self.painted(index.row()), column, alignment, lambda role: self.data(index, role))

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Asked for every painted cell. In a section without computed figures (Plan.has_derived)
        # every value cell is typed, so the answer needs no cell address.
        if not self._all_typed:
            return super().flags(index)
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return READ_ONLY if index.column() == 0 else EDITABLE

    def indicator(self, row: int):
        return self.section.indicators[row]

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
