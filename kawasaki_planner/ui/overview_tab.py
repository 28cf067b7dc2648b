"""The 進捗一覧 tab: every indicator with its progress status, filterable and sortable; double-click opens its
section. Cells are painted by Qt's own delegate from the model's roles (texts, status colours, tooltips).

Rows are sized from the font, never by Qt measuring cells (:mod:`.headers`). Up to SYNC_ROWS
indicators (the published plan has 27) the labels wrap and each row is as tall as its text; a larger
plan gets one-line rows with the labels elided (the full label is in the tooltip): with thousands
of rows a filter change would otherwise refit thousands of heights per keystroke, and uniform rows
let Qt lay out and scroll the table without asking about any row.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.evaluation import STATUS_SHORT_LABELS, Status, Thresholds
from ..core.fiscal import era_label
from ..core.plan import DIRECTION_LABELS
from . import strings as S
from .document import PlanDocument
from .headers import SYNC_ROWS, RowHeights, fit_columns
from .legend import status_legend
from .overview_model import FIXED_HEADERS, RATIO_COLUMN, OverviewModel, OverviewProxy

TYPICAL_RATIO = "1000.0%"


class OverviewTab(QWidget):
    """Public: ``overview_model``, ``proxy``, ``table``, ``section_filter``, ``status_filter``, ``text_filter``."""

    indicator_activated = Signal(int, str)

    def __init__(self, document: PlanDocument, thresholds: Thresholds, parent=None) -> None:
        super().__init__(parent)
        self.overview_model = OverviewModel(document, thresholds, self)
        self.proxy = OverviewProxy(self)
        self.proxy.setSourceModel(self.overview_model)
        self.document = document
        self.section_filter = QComboBox(self)
        self._fill_section_filter()
        self.status_filter = QComboBox(self)
        self.status_filter.addItem(S.FILTER_STATUS_ALL, None)
        for status in [*sorted(s for s in Status if s), Status.NOT_RATED]:
            self.status_filter.addItem(status.label, int(status))
        self.text_filter = QLineEdit(self)
        self.text_filter.setPlaceholderText(S.FILTER_TEXT)
        self.text_filter.setClearButtonEnabled(True)
        self.table = QTableView(self)
        wrapped = self.overview_model.rowCount() <= SYNC_ROWS
        self.table.setWordWrap(wrapped)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setModel(self.proxy)
        # Plan order until a column's header is clicked (clicking 節 puts it back).
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.row_heights = RowHeights(self.table, range(self.overview_model.columnCount()), uniform=not wrapped)
        self._build()
        self._connect()

    def _build(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(QLabel(S.FILTER_SECTION))
        filters.addWidget(self.section_filter)
        filters.addWidget(QLabel(S.FILTER_STATUS))
        filters.addWidget(self.status_filter)
        filters.addWidget(self.text_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(status_legend())
        self._size_columns()

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        fit_columns(self.table, typical=self._typical_texts())
        em = self.fontMetrics().horizontalAdvance("あ")
        names = {s.display_name for s, _ in self.overview_model.rows}
        header.resizeSection(0, max((self.fontMetrics().horizontalAdvance(n) for n in names), default=em) + em)
        header.resizeSection(1, em * 24)
        header.resizeSection(3, em * 13)
        for column in range(len(FIXED_HEADERS), self.overview_model.columnCount()):
            header.resizeSection(column, max(header.sectionSize(column), em * 7))
        self.row_heights.fit()

    def _typical_texts(self) -> dict[int, list[str]]:
        """What the columns can show, for the rows beyond those whose texts are measured."""
        first_year = len(FIXED_HEADERS)
        texts = {2: list(DIRECTION_LABELS.values()), 4: [era_label(y) for y in self.overview_model.years]}
        texts[RATIO_COLUMN] = [TYPICAL_RATIO]
        for column in range(first_year, self.overview_model.columnCount()):
            texts[column] = list(STATUS_SHORT_LABELS.values())
        return texts

    def _fill_section_filter(self) -> None:
        """節: every section with indicators, as the plan has them now; the chosen one stays chosen while it is there."""
        combo = self.section_filter
        chosen = combo.currentData()
        items = [(S.FILTER_SECTION_ALL, None)] + [(s.display_name, s.number) for s in self.document.plan.sections if s.indicators]
        if [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] == items:
            return
        combo.blockSignals(True)  # refilled, not chosen: the filter is applied once below if the choice went
        combo.clear()
        for text, number in items:
            combo.addItem(text, number)
        found = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)
        if chosen is not None and found < 0:
            self.apply_filter()

    def _on_changed(self, change) -> None:
        if not self._detached and (change.plan_wide or change.sections):
            self._fill_section_filter()
            self.row_heights.schedule()  # a label reworded may wrap to another number of lines

    def current_indicator(self):
        """(section, indicator) of the table's current row, None without one."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.overview_model.rows[self.proxy.mapToSource(index).row()]

    def _connect(self) -> None:
        self._detached = False
        self.document.plan.changed.connect(self._on_changed)
        self.overview_model.modelReset.connect(self._size_columns)  # new years: new columns
        self.section_filter.currentIndexChanged.connect(self.apply_filter)
        self.status_filter.currentIndexChanged.connect(self.apply_filter)
        self.text_filter.textChanged.connect(self.apply_filter)
        self.table.doubleClicked.connect(self._on_double_click)

    def apply_filter(self, *_args) -> None:
        status = self.status_filter.currentData()
        self.proxy.set_filter(
            section=self.section_filter.currentData(),
            status=None if status is None else Status(status),
            text=self.text_filter.text(),
        )

    def _on_double_click(self, index) -> None:
        section, indicator = self.overview_model.rows[self.proxy.mapToSource(index).row()]
        self.indicator_activated.emit(section.number, indicator.id)

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.overview_model.set_thresholds(thresholds)

    def detach(self) -> None:
        self._detached = True
        self.overview_model.detach()
        self.document.plan.changed.disconnect(self._on_changed)
