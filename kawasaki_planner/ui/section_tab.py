"""The tab of an indicator section (2, 3, 4, 6, 7).

An indicator tab shows the 評価のための指標 table with evaluation colours and legend,
the chart of the selected indicator, the status table and the narrative. All of it follows
the plan's one notification per edit (``plan.changed``): a figure of the charted indicator redraws the chart
at once (a pasted block is one edit, so one redraw); a structure edit of the section brings the table's rows,
the chart's indicator and years, the texts and the heading in step.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from ..core.change import Change
from ..core.evaluation import Thresholds
from ..core.plan import Section
from . import strings as S
from .charts import IndicatorChart
from .document import PlanDocument
from .indicator_model import IndicatorTableModel
from .legend import status_legend
from .narrative_tab import NarrativeTab  # noqa: F401  (where it used to live)
from .structure_commands import in_plan
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
        self.status_model = StatusTableModel(section, self, document)
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
        self.title_label = heading(self._title())
        top_layout.addWidget(self.title_label)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(status_legend())
        texts = QTabWidget(self)
        texts.addTab(self.status_table, S.GROUP_STATUS)
        texts.addTab(self.narrative, S.GROUP_NARRATIVE)
        self.texts = texts
        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        self.bottom = bottom
        bottom.addWidget(self.chart)
        bottom.addWidget(texts)
        bottom.setStretchFactor(0, 1)
        bottom.setStretchFactor(1, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setChildrenCollapsible(False)
        # When the tab gets shorter (the comparison list docked below), the chart gives way: the table keeps its rows.
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)
        legend_height = top_layout.itemAt(2).widget().sizeHint().height()
        table_height = self.table.content_height() + heading("").sizeHint().height() + legend_height + 12
        # A long table scrolls in the upper part rather than squeezing the chart out of sight.
        table_height = min(table_height, 640 - 220)
        self.splitter.setSizes([table_height, max(220, 640 - table_height)])

    def _title(self) -> str:
        return f"{self.section.title} — {S.GROUP_INDICATORS}"

    def _connect(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.document.plan.changed.connect(self._on_changed)
        self._years = self.document.plan.years
        self._detached = False

    def detach(self) -> None:
        self._detached = True
        self.table_model.detach()
        self.status_model.detach()
        self.document.plan.changed.disconnect(self._on_changed)

    def current_indicator(self):
        """The indicator of the table's current row, None without one."""
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.table_model.rowCount():
            return None
        return self.section.indicator(self.table_model.rows[index.row()].key)

    def _on_changed(self, change: Change) -> None:
        # Connected after the table's model, so the table already shows the new rows here.
        if self._detached:
            return
        if change.plan_wide or self.section.number in change.sections:
            if in_plan(self.document.plan, self.section):
                self._follow_structure()
            return
        shown = self.chart.indicator
        if shown is not None and any(r.section == self.section.number and r.row == shown.id for r in change.figures):
            self.chart.redraw()

    def _follow_structure(self) -> None:
        if self.document.plan.years != self._years:
            self._years = self.document.plan.years
            self._replace_chart()
            self.table.fit()
        self.title_label.setText(self._title())
        self.narrative.refresh()
        self.table.row_heights.schedule()  # a label reworded may wrap to another number of lines
        if self.table_model.rowCount() and not self.table.currentIndex().isValid():
            self.select_indicator(0)
        shown = self.current_indicator()
        if shown is not self.chart.indicator:
            self.chart.set_indicator(shown)
        else:
            self.chart.redraw()  # a new unit or label

    def _replace_chart(self) -> None:
        """A chart for the new years (its axis is made for the years it was built with)."""
        old = self.chart
        self.chart = IndicatorChart(self.document.plan.years, self)
        self.bottom.replaceWidget(self.bottom.indexOf(old), self.chart)
        old.deleteLater()
        self.chart.set_indicator(self.current_indicator())

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.table_model.set_thresholds(thresholds)

    def select_indicator(self, row: int) -> None:
        index = self.table_model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )

    def _on_current_row(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.isValid() and current.row() != previous.row():
            self.chart.set_indicator(self.current_indicator())
