"""The tab of an indicator section (2, 3, 4, 6, 7).

An indicator tab shows the 評価のための指標 table with evaluation colours and legend,
the chart of the selected indicator, the status table and the narrative.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from ..core.evaluation import Thresholds
from ..core.plan import FigureRef, Section
from . import strings as S
from .charts import IndicatorChart
from .document import PlanDocument
from .indicator_model import IndicatorTableModel
from .legend import status_legend
from .narrative_tab import NarrativeTab  # noqa: F401  (where it used to live)
from .table_view import FigureTableView
from .text_views import StatusTableModel, narrative_view, status_view


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class SectionTab(QWidget):
    """An indicator section. Public: ``table_model``, ``table``, ``chart``, ``status_model``, ``narrative``."""

    def __init__(self, document: PlanDocument, section: Section, thresholds: Thresholds, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.section = section
        self.table_model = IndicatorTableModel(document, section, thresholds, self)
        self.table = FigureTableView(self.table_model, parent=self)
        self.table_views = (self.table,)
        self.chart = IndicatorChart(document.plan.years, self)
        self.status_model = StatusTableModel(section, self)
        self.status_table = status_view(self.status_model, self)
        self.narrative = narrative_view(section, self)
        self._build()
        self._connect()
        if section.indicators:
            self.select_indicator(0)

    def _build(self) -> None:
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(heading(f"{self.section.title} — {S.GROUP_INDICATORS}"))
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(status_legend())
        texts = QTabWidget(self)
        texts.addTab(self.status_table, S.GROUP_STATUS)
        texts.addTab(self.narrative, S.GROUP_NARRATIVE)
        self.texts = texts
        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.addWidget(self.chart)
        bottom.addWidget(texts)
        bottom.setStretchFactor(0, 1)
        bottom.setStretchFactor(1, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)
        legend_height = top_layout.itemAt(2).widget().sizeHint().height()
        table_height = self.table.content_height() + heading("").sizeHint().height() + legend_height + 12
        # A long table scrolls in the upper part rather than squeezing the chart out of sight.
        table_height = min(table_height, 640 - 220)
        self.splitter.setSizes([table_height, max(220, 640 - table_height)])

    def _connect(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.document.plan.figure_changed.connect(self._on_figure_changed)
        self.document.edited.connect(self.chart.flush)

    def detach(self) -> None:
        self.table_model.detach()
        self.document.plan.figure_changed.disconnect(self._on_figure_changed)

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.table_model.set_thresholds(thresholds)

    def select_indicator(self, row: int) -> None:
        index = self.table_model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )

    def _on_current_row(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.isValid() and current.row() != previous.row():
            self.chart.set_indicator(self.section.indicators[current.row()])

    def _on_figure_changed(self, ref: FigureRef) -> None:
        shown = self.chart.indicator
        if shown is not None and ref.section == self.section.number and ref.row == shown.label:
            self.chart.schedule()
