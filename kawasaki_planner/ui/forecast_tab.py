"""The section-5 tab (代替養育を必要とするこども数の見込み): live forecast tables and charts.

Inputs are typed in the tables; derived rows are grey and read-only. Every edit —
here or to the adoption target in section 7 — recomputes the plan and the tables and
charts follow at once (no recalculate button); Ctrl+Z undoes it like any edit.
By default the tables show the columns the plan prints (R6 実績, R7–R11 見込み);
a check box shows every 見込み/実績 column for entering later actuals.
Above the tables, the forecast scenarios side by side (ui/scenario_panel.py); beside the tables, the adopted
scenario's charts and, on a second page, every scenario overlaid (shown first when the plan has more than one).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from ..core.plan import PLAN, Section
from . import scenario_strings as T
from . import strings as S
from .document import PlanDocument
from .forecast_charts import AgeChart, EligibleChart, PopulationChart
from .forecast_model import ShareTableModel, age_model, excluded_model, forecast_model
from .legend import forecast_legend
from .scenario_charts import eligible_chart, placed_chart
from .scenario_panel import ScenarioPanel
from .section_tab import heading
from .table_view import FigureTableView
from .text_views import narrative_view

LABEL_WIDTH = 190


class ForecastTab(QWidget):
    """Public: ``forecast_model``, ``age_model``, ``excluded_model``, ``share_model``, their views
    (``forecast_table`` …) and the charts ``population_chart``, ``age_chart``, ``eligible_chart``; the scenarios:
    ``scenario_panel`` (its ``model``, ``table``, actions), ``scenario_charts`` (措置児童数, 里親等委託率対象児童数 per
    scenario) and ``chart_pages`` (the QTabWidget of the two chart pages)."""

    table_model = None

    def __init__(self, document: PlanDocument, section: Section, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.section = section
        plan = document.plan
        self.forecast_model = forecast_model(document, self)
        self.age_model = age_model(document, self)
        self.excluded_model = excluded_model(document, self)
        self.share_model = ShareTableModel(document, self)
        self.models = (self.forecast_model, self.age_model, self.excluded_model, self.share_model)
        self.forecast_table = FigureTableView(self.forecast_model, LABEL_WIDTH, self)
        self.age_table = FigureTableView(self.age_model, LABEL_WIDTH, self)
        self.excluded_table = FigureTableView(self.excluded_model, LABEL_WIDTH, self)
        self.share_table = FigureTableView(self.share_model, LABEL_WIDTH, self)
        self.table_views = (self.forecast_table, self.age_table, self.excluded_table, self.share_table)
        self.population_chart = PopulationChart(plan, self)
        self.age_chart = AgeChart(plan, self)
        self.eligible_chart = EligibleChart(plan, self)
        self.charts = (self.population_chart, self.age_chart, self.eligible_chart)
        self.scenario_panel = ScenarioPanel(document, self)
        self.scenario_charts = (placed_chart(plan, self), eligible_chart(plan, self))
        self.chart_pages = QTabWidget(self)
        self.scenario_panel.scenarios_shown.connect(lambda: self.chart_pages.setCurrentIndex(1))
        self.show_all_columns = QCheckBox(S.SHOW_ALL_COLUMNS, self)
        self.show_all_columns.toggled.connect(self.set_all_columns_shown)
        self._build()
        self.set_all_columns_shown(False)

    def _build(self) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 6, 0)
        sections = (
            (S.FORECAST_TABLE_TITLE, self.forecast_table),
            (S.AGE_TABLE_TITLE, self.age_table),
            (S.EXCLUDED_TABLE_TITLE, self.excluded_table),
            (S.SHARE_TABLE_TITLE, self.share_table),
        )
        layout.addWidget(self.scenario_panel)
        layout.addWidget(forecast_legend())
        layout.addWidget(self.show_all_columns)
        for title, table in sections:
            layout.addWidget(heading(title))
            # Sized to their contents: the surrounding scroll area scrolls, not each table.
            table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            layout.addWidget(table)
        adoption = self.document.plan.adoption_indicator()
        note = QLabel(S.ADOPTION_NOTE.format(label=adoption.label) if adoption else S.NO_ADOPTION_NOTE)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.narrative = narrative_view(self.section)
        self.narrative.setMinimumHeight(160)
        layout.addWidget(self.narrative)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        # Named: the window saves and restores every splitter of a tab under its object name.
        charts = QSplitter(Qt.Orientation.Vertical)
        charts.setObjectName("charts")
        for chart in self.charts:
            charts.addWidget(chart)
        compared = QSplitter(Qt.Orientation.Vertical)
        compared.setObjectName("scenarioCharts")
        for chart in self.scenario_charts:
            compared.addWidget(chart)
        self.chart_pages.addTab(charts, T.PAGE_FORECAST)
        self.chart_pages.addTab(compared, T.PAGE_SCENARIOS)
        self.chart_pages.setCurrentIndex(1 if len(self.document.plan.scenarios) > 1 else 0)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("tablesAndCharts")
        splitter.addWidget(scroll)
        splitter.addWidget(self.chart_pages)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([880, 460])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.addWidget(splitter)

    def set_all_columns_shown(self, shown: bool) -> None:
        """Show every 見込み/実績 column, or only those the plan prints (R6 実績, then 見込み)."""
        first = self.document.plan.first_forecast_year
        for view in self.table_views[:3]:
            model = view.model()
            for column, spec in enumerate(model.columns, start=1):
                printed = (spec.kind == PLAN) == (spec.year >= first)
                view.setColumnHidden(column, not (shown or printed))
        for view in self.table_views:
            view.fit()
            view.setFixedHeight(view.content_height())
            view.setMinimumWidth(view.horizontalHeader().length() + 2 * view.frameWidth())

    def detach(self) -> None:
        for model in self.models:
            model.detach()
        for chart in (*self.charts, *self.scenario_charts):
            chart.detach()
        self.scenario_panel.detach()

    def set_thresholds(self, thresholds) -> None:
        pass
