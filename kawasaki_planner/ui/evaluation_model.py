"""The 評価 tab's table: each evaluated indicator of every section for one fiscal year, and its filter.

The 達成度 comes from core.plan_evaluation.evaluate_plan (the one evaluation the tables, the 進捗一覧 and the
report share), computed again when a figure, the thresholds, the year or the structure change, never in data().
The three texts are edited in place: setData hands them to the document as one undo command; the model hears the
result through ``plan.changed`` like any other edit (undo included) and tells the view the cells that changed.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal

from ..core.change import Change
from ..core.evaluation import DEFAULT_THRESHOLDS, Evaluation, Status, Thresholds
from ..core.evaluation_texts import TEXT_FIELD_LABELS, TEXT_FIELDS, IndicatorTexts, plain_text
from ..core.fiscal import era_label
from ..core.plan import ACTUAL, PLAN, Indicator, Section
from ..core.plan_evaluation import PlanEvaluation, evaluate_plan, evaluated_indicators, suggested_summary
from . import evaluation_commands as C
from . import evaluation_strings as E
from .document import PlanDocument
from .palette import STATUS_COLORS
from .row_sync import sync_rows

Index = QModelIndex | QPersistentModelIndex
SECTION, INDICATOR, TARGET, ACTUAL_COL, RATIO, STATUS, DONE, FACTORS, NEXT_STEPS, SUMMARY = range(10)
TEXT_COLUMNS = {DONE: "done", FACTORS: "factors", NEXT_STEPS: "next_steps"}
HEADERS = (E.COL_SECTION, E.COL_INDICATOR, E.COL_TARGET, E.COL_ACTUAL, E.COL_RATIO, E.COL_STATUS,
           *(TEXT_FIELD_LABELS[f] for f in TEXT_FIELDS), E.COL_SUMMARY)
FIGURE_COLUMNS = (TARGET, ACTUAL_COL, RATIO, STATUS, SUMMARY)
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's Status (int), for the level filter
SECTION_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's section number, for the section filter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
TOP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
NOT_RATED = Evaluation(Status.NOT_RATED)


class EvaluationModel(QAbstractTableModel):
    """Public: ``rows`` ((section, indicator) per row), ``year``, ``evaluation`` (the PlanEvaluation shown)."""

    evaluated = Signal()
    """After the 達成度 were computed again (a figure, the year, the thresholds or the rows changed): counts follow."""

    def __init__(self, document: PlanDocument, year: int, thresholds: Thresholds = DEFAULT_THRESHOLDS, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.plan = document.plan
        self.year = year
        self.thresholds = thresholds
        self.rows: list[tuple[Section, Indicator]] = list(evaluated_indicators(self.plan))
        self._row_of: dict[tuple[int, str], int] = {}
        self._reindex()
        self.evaluation = PlanEvaluation(year, [])
        self._results: dict[tuple[int, str], Evaluation] = {}
        self._evaluate()
        self.plan.changed.connect(self._on_changed)

    def detach(self) -> None:
        self.plan.changed.disconnect(self._on_changed)

    # --- what is shown -------------------------------------------------------------------------------------
    def _reindex(self) -> None:
        self._row_of = {(s.number, i.id): n for n, (s, i) in enumerate(self.rows)}

    def _evaluate(self) -> None:
        self.evaluation = evaluate_plan(self.plan, self.year, self.thresholds)
        self._results = {(r.section, r.indicator.id): r.evaluation for s in self.evaluation.sections for r in s.results}
        self.evaluated.emit()

    def set_year(self, year: int) -> None:
        if year == self.year:
            return
        self.year = year
        self._evaluate()
        self._all_changed()

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        self._evaluate()
        self._all_changed()

    def _all_changed(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(HEADERS) - 1))

    def counts(self, section: int | None = None) -> dict[Status, int]:
        """How many indicators stand at each level for the year: of one section, or of all."""
        if section is None:
            return self.evaluation.counts
        found = next((s for s in self.evaluation.sections if s.number == section), None)
        return found.counts if found else {status: 0 for status in self.evaluation.counts}

    def result(self, row: int) -> Evaluation:
        section, indicator = self.rows[row]
        return self._results.get((section.number, indicator.id), NOT_RATED)

    def texts(self, row: int) -> IndicatorTexts:
        section, indicator = self.rows[row]
        return self.plan.evaluation_texts.indicator(section.number, indicator.id, self.year)

    def row_of(self, section: int, id: str) -> int | None:
        return self._row_of.get((section, id))

    # --- Qt's model ------------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in TEXT_COLUMNS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = index.row(), index.column()
        if role == SECTION_ROLE:
            return self.rows[row][0].number
        if role == STATUS_ROLE:
            return int(self.result(row).status)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and column == STATUS:
            return STATUS_COLORS[self.result(row).status]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if column in (TARGET, ACTUAL_COL, RATIO) else TOP)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    def _text(self, row: int, column: int) -> str:
        section, indicator = self.rows[row]
        if column == SECTION:
            return section.display_name
        if column == INDICATOR:
            return indicator.label
        if column == TARGET:
            return indicator.figure(self.year, PLAN).text
        if column == ACTUAL_COL:
            return indicator.figure(self.year, ACTUAL).text
        if column == RATIO:
            return self.result(row).ratio_text
        if column == STATUS:
            return self.result(row).status.short_label
        if column in TEXT_COLUMNS:
            return getattr(self.texts(row), TEXT_COLUMNS[column])
        if column == SUMMARY:
            return self._summary(row)[0]
        return ""

    def _summary(self, row: int) -> tuple[str, str]:
        """The period summary as the column shows it, and its tooltip."""
        section, indicator = self.rows[row]
        chosen = self.plan.evaluation_texts.summary(section.number, indicator.id)
        if chosen is not None:
            return E.SUMMARY_CHOSEN.format(numeral=chosen.summary.value), E.SUMMARY_TOOLTIP_CHOSEN.format(label=chosen.summary.label)
        suggested, final = suggested_summary(indicator, self.plan.years, self.thresholds)
        if suggested is not None:
            tip = E.SUMMARY_TOOLTIP_SUGGESTED.format(label=suggested.label, year=era_label(final))
            return E.SUMMARY_SUGGESTED.format(numeral=suggested.value), tip
        if final is not None:
            return "", E.SUMMARY_TOOLTIP_WAITING.format(year=era_label(final))
        return "", E.SUMMARY_TOOLTIP_NONE

    def _tooltip(self, row: int, column: int) -> str | None:
        if column == STATUS:
            result = self.result(row)
            return E.NOT_RATED_TOOLTIP.format(reason=result.reason) if not result.rated and result.reason else result.status.label
        if column == SUMMARY:
            return self._summary(row)[1]
        if column in TEXT_COLUMNS:
            text = self._text(row, column)
            return text or E.TEXT_TOOLTIP
        if column == INDICATOR:
            return self.rows[row][1].label
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in TEXT_COLUMNS:
            return False
        field = TEXT_COLUMNS[index.column()]
        text = plain_text(str(value or ""))
        old = self.texts(index.row())
        if getattr(old, field) == text:
            return True
        section, indicator = self.rows[index.row()]
        new = IndicatorTexts(**{f: text if f == field else getattr(old, f) for f in TEXT_FIELDS})
        self.document.undo_stack.push(C.set_indicator_texts(self.plan, section.number, indicator.id, self.year, new, field,
                                                            self.document.edited.emit))
        return True

    # --- the plan's changes ------------------------------------------------------------------------------
    def _on_changed(self, change: Change) -> None:
        if change.plan_wide or change.sections:
            self._sync_rows()
        if change.figures or change.plan_wide or change.sections:
            self._evaluate()
            rows = self.rows if (change.plan_wide or change.sections) else None
            self._rows_changed(rows, change.figures, FIGURE_COLUMNS if not (change.plan_wide or change.sections) else None)
        for key in change.texts:
            if key[0] == "indicator" and key[3] == self.year:
                self._cells_changed(self.row_of(key[1], key[2]), DONE, NEXT_STEPS)
            elif key[0] == "summary":
                self._cells_changed(self.row_of(key[1], key[2]), SUMMARY, SUMMARY)

    def _rows_changed(self, rows, figures, columns) -> None:
        if rows is not None:  # rows reworded, years changed: every cell may read otherwise
            self._all_changed()
            return
        touched = {self.row_of(ref.section, ref.row) for ref in figures}
        if any(ref.section == 5 for ref in figures):  # a forecast row can feed an indicator (section 8's placements)
            touched = set(range(len(self.rows)))
        for row in sorted(r for r in touched if r is not None):
            self._cells_changed(row, min(columns), max(columns))

    def _cells_changed(self, row: int | None, first: int, last: int) -> None:
        if row is not None:
            self.dataChanged.emit(self.index(row, first), self.index(row, last))

    def _sync_rows(self) -> None:
        wanted = list(evaluated_indicators(self.plan))

        def key(item: tuple[Section, Indicator]) -> tuple[int, int, str]:
            return id(item[0]), item[0].number, item[1].id

        sync_rows(self, self.rows, wanted, key, self._reindex)
        self.rows[:] = wanted  # the same rows; a section object replaced by an equal one is the new one


class EvaluationFilter(QSortFilterProxyModel):
    """The rows of one section and/or one level (None: all); an edit that changes a row's level re-filters it."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.section: int | None = None
        self.status: Status | None = None
        self.setDynamicSortFilter(True)
        self.setFilterKeyColumn(-1)  # a change in any column (the 達成度 after a figure edit) re-filters its row

    def set_filter(self, section: int | None = None, status: Status | None = None) -> None:
        self.beginFilterChange()
        self.section, self.status = section, status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self.section is not None and model.data(index, SECTION_ROLE) != self.section:
            return False
        return self.status is None or model.data(index, STATUS_ROLE) == int(self.status)
