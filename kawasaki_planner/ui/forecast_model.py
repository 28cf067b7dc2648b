"""Section-5 tables (代替養育を必要とするこども数の見込み): inputs editable, derived rows read-only.

Any recompute may change any derived cell, but a typical edit changes few of them (one more child
in 児童人口 rarely moves a rounded 措置児童数): the plan's one notification per edit (``plan.changed``)
names the typed and derived figures that changed, and the model reports exactly those cells
(:class:`~.figure_model.FigureTableModel`), so the views repaint them, not the whole table, on every keystroke.
A derived cell whose recomputed value differs from the figure printed in the
workbook (the plan's R11 措置率 0.161 % vs 0.160 %, say) is flagged.
A figure with a plausibility finding is marked (:meth:`FigureTableModel.marked`); the rules across
figures (the age shares add up to 100 %) are judged once per change of a share, and every cell
whose finding that change gives or takes away is reported.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from ..core import forecast as fc
from ..core.plan import FORECAST_SECTION, PLAN, FigureRef
from ..core.plausibility import CROSS_ROWS, Finding, cross_findings
from . import strings as S
from .document import PlanDocument
from .figure_model import ColumnDef, FigureTableModel, RowDef, year_columns
from .palette import STORED_DIFFERS_BACKGROUND


def forecast_rows(specs) -> list[RowDef]:
    return [
        RowDef(FORECAST_SECTION, spec.key, fc.printed_label(spec), fc.printed_label(spec), spec.per_year) for spec in specs
    ]


EXCLUDED_SPECS = tuple(s for s in fc.ASSUMPTION_ROWS if s.key.startswith("excluded."))
SHARE_SPECS = tuple(s for s in fc.ASSUMPTION_ROWS if s.key.startswith("share."))


class ForecastTableModel(FigureTableModel):
    kind_labels = S.FORECAST_KIND_LABELS

    def __init__(self, document: PlanDocument, specs, columns: list[ColumnDef] | None = None, parent=None):
        rows = forecast_rows(specs)
        super().__init__(document, rows, columns or year_columns(document.plan.years), parent)
        # Which cells are computed is fixed while the tab stands (it follows the years and the first forecast year,
        # for which the tab is built anew).
        self._derived_cells = {
            ref: (r, c)
            for r in range(len(self.rows))
            for c in range(1, len(self.columns) + 1)
            if (ref := self._make_ref(r, c)) is not None and not self.plan.is_input(ref)
        }
        self._judges_across = any(row.key in CROSS_ROWS for row in self.rows)
        self._across = self._across_findings()

    def label_data(self, row: int, role: int):
        spec = self.rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            # The age table prints 「(里親等委託率対象児童数)」 under each age group;
            # the exclusions table is titled, so its rows need only the age group.
            if spec.key.startswith("excluded."):
                return dict(fc.AGE_GROUPS)[spec.key.split(".", 1)[1]]
            return fc.ALL_ROWS[spec.key].label
        return super().label_data(row, role)

    def cell_data(self, ref: FigureRef, role: int):
        if self.plan.is_input(ref):
            return None
        stored = self.plan.stored_derived.get((ref.row, ref.year, ref.kind))
        computed = self.plan.figure(ref)
        differs = stored is not None and stored.text != computed.text and not computed.is_blank
        if differs and role == Qt.ItemDataRole.BackgroundRole:
            return STORED_DIFFERS_BACKGROUND
        if differs and role == Qt.ItemDataRole.ToolTipRole:
            return S.DERIVED_TOOLTIP + "\n" + S.STORED_DIFFERS.format(stored=stored.text, computed=computed.text)
        return super().cell_data(ref, role)

    def findings(self, ref: FigureRef) -> tuple[Finding, ...]:
        return super().findings(ref) + self._across.get(ref, ())

    def _across_findings(self) -> dict[FigureRef, tuple[Finding, ...]]:
        found: dict[FigureRef, tuple[Finding, ...]] = {}
        if self._judges_across:
            for ref, finding in cross_findings(self.plan):
                found[ref] = (*found.get(ref, ()), finding)
        return found

    def also_changed(self, change):
        """Every derived cell after a plan-wide edit; the shares whose sum rule (they add up to 100 %) came or went."""
        cells = list(self._derived_cells.values()) if change.plan_wide else []
        if self._judges_across and any(ref.row in CROSS_ROWS for ref in change.figures):
            before, self._across = self._across, self._across_findings()
            for ref in (*before, *self._across):
                if before.get(ref) != self._across.get(ref):
                    index = self.index_of(ref)
                    if index.isValid():
                        cells.append((index.row(), index.column()))
        return cells


def forecast_model(document: PlanDocument, parent=None) -> ForecastTableModel:
    return ForecastTableModel(document, fc.FORECAST_ROWS, parent=parent)


def age_model(document: PlanDocument, parent=None) -> ForecastTableModel:
    return ForecastTableModel(document, fc.AGE_ROWS, parent=parent)


def excluded_model(document: PlanDocument, parent=None) -> ForecastTableModel:
    return ForecastTableModel(document, EXCLUDED_SPECS, parent=parent)


class ShareTableModel(ForecastTableModel):
    """The three age shares (年齢構成比): one value each, not per year."""

    kind_labels = {PLAN: S.COL_SHARE}  # noqa: RUF012  (read-only)

    def __init__(self, document: PlanDocument, parent=None):
        super().__init__(document, SHARE_SPECS, [ColumnDef(None, PLAN)], parent)

    def label_data(self, row: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return fc.AGE_GROUPS[row][1]
        return super().label_data(row, role)
