"""The 評価 tab: the yearly 点検・評価 of every indicator, its texts, each section's 総合評価 and the period's 総括.

A year chooser, filters by section and 達成度, the count per level (live), the table (texts edited in place), and
below it the selected row's section 総合評価 and the indicator's period summary. Every edit is one undo step on the
document's stack; what the tab shows follows ``plan.changed``, so an undo shows at once. A double-click on a
figure (or 「指標の表へ移動」) opens the indicator's section tab with its row and chart.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.change import Change
from ..core.evaluation import Status, Thresholds
from ..core.evaluation_texts import IV_NEEDS_REASON, SUMMARY_LABELS, TEXT_FIELD_LABELS, Summary, SummaryChoice, plain_text
from ..core.fiscal import era_label, year_label
from ..core.plan_evaluation import latest_year_with_actuals, suggested_summary
from . import evaluation_commands as C
from . import evaluation_strings as E
from .document import PlanDocument
from .evaluation_model import (
    ACTUAL_COL,
    INDICATOR,
    RATIO,
    SECTION,
    STATUS,
    SUMMARY,
    TARGET,
    TEXT_COLUMNS,
    EvaluationFilter,
    EvaluationModel,
)
from .palette import STATUS_COLORS
from .text_editors import CommitTextEdit, MultiLineDelegate, wrapped_lines

LEVELS = (*sorted(s for s in Status if s), Status.NOT_RATED)
MAX_ROW_LINES = 8  # a longer text is cut in its cell (the tooltip and the editor show all of it)
CELL_PADDING = 10


def _chip_style(status: Status) -> str:
    return f"QLabel {{ background: {STATUS_COLORS[status].name()}; color: #000; border: 1px solid #999; padding: 1px 6px; }}"


class EvaluationTab(QWidget):
    """Public: ``evaluation_model``, ``proxy``, ``table``, ``year_choice``, ``section_filter``, ``status_filter``,
    ``count_labels`` (Status → QLabel), ``section_editor``, ``summary_choice``, ``reason_edit``, ``go_to_action``."""

    indicator_activated = Signal(int, str)

    def __init__(self, document: PlanDocument, thresholds: Thresholds, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.plan = document.plan
        year = latest_year_with_actuals(self.plan) or self.plan.years[0]
        self.evaluation_model = EvaluationModel(document, year, thresholds, self)
        self.proxy = EvaluationFilter(self)
        self.proxy.setSourceModel(self.evaluation_model)
        self.year_choice = QComboBox(self)
        self.section_filter = QComboBox(self)
        self.status_filter = QComboBox(self)
        self.status_filter.addItem(E.LEVEL_ALL, None)
        for status in LEVELS:
            self.status_filter.addItem(status.label, int(status))
        self._fill_years()
        self._fill_sections()
        self.counts_title = QLabel(self)
        self.count_labels = {status: QLabel(self) for status in LEVELS}
        self.total_label = QLabel(self)
        self.table = QTableView(self)
        self.delegate = MultiLineDelegate(self.table)
        self.section_box = QGroupBox(E.SECTION_BOX, self)
        self.section_editor = CommitTextEdit(self.section_box)
        self.summary_box = QGroupBox(E.SUMMARY_BOX, self)
        self.suggestion_label = QLabel(self.summary_box)
        self.summary_choice = QComboBox(self.summary_box)
        self.reason_edit = QLineEdit(self.summary_box)
        self.go_to_action = None
        self._panel_key: tuple[int, str] | None = None  # (section, id) the summary panel shows
        self._panel_section: tuple[int, int] | None = None  # (section, year) whose 総合評価 the panel shows
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_rows: set[int] | None = None  # the view's rows whose heights are to be fitted (None: all)
        self._build()
        self._connect()
        self._refresh_counts()
        self._refresh_panels()
        self.fit_rows()

    # --- building ------------------------------------------------------------------------------------------
    def _build(self) -> None:
        filters = QHBoxLayout()
        for text, combo in ((E.YEAR, self.year_choice), (E.SECTION, self.section_filter), (E.LEVEL, self.status_filter)):
            filters.addWidget(QLabel(text, self))
            filters.addWidget(combo)
        filters.addStretch(1)
        counts = QHBoxLayout()
        counts.setSpacing(6)
        counts.addWidget(self.counts_title)
        for status, label in self.count_labels.items():
            label.setStyleSheet(_chip_style(status))
            label.setToolTip(status.label)
            counts.addWidget(label)
        counts.addWidget(self.total_label)
        counts.addStretch(1)

        table = self.table
        table.setModel(self.proxy)
        for column in TEXT_COLUMNS:
            table.setItemDelegateForColumn(column, self.delegate)
        table.setWordWrap(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._size_columns()

        self.section_editor.setTabChangesFocus(True)
        section_layout = QVBoxLayout(self.section_box)
        section_layout.setContentsMargins(6, 4, 6, 6)
        section_layout.addWidget(self.section_editor)
        self.summary_choice.addItem(E.SUMMARY_AS_SUGGESTED, None)
        for summary, label in SUMMARY_LABELS.items():
            self.summary_choice.addItem(label, summary.value)
        self.reason_edit.setPlaceholderText(E.SUMMARY_REASON_PLACEHOLDER)
        self.suggestion_label.setWordWrap(True)
        summary_layout = QFormLayout(self.summary_box)
        summary_layout.setContentsMargins(6, 4, 6, 6)
        summary_layout.addRow(self.suggestion_label)
        summary_layout.addRow(E.SUMMARY_CHOICE, self.summary_choice)
        summary_layout.addRow(E.SUMMARY_REASON, self.reason_edit)
        panels = QWidget(self)
        panels_layout = QHBoxLayout(panels)
        panels_layout.setContentsMargins(0, 0, 0, 0)
        panels_layout.addWidget(self.section_box, 3)
        panels_layout.addWidget(self.summary_box, 2)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("evaluationSplitter")
        splitter.addWidget(table)
        splitter.addWidget(panels)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([540, 120])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addLayout(counts)
        layout.addWidget(splitter, 1)

    def _size_columns(self) -> None:
        """Widths from the font: the three texts share what the figures leave."""
        metrics = self.table.fontMetrics()
        em = metrics.horizontalAdvance("あ")
        header = self.table.horizontalHeader()
        names = [s.display_name for s, _ in self.evaluation_model.rows]
        widest = max(metrics.horizontalAdvance(s.short_label) for s in LEVELS)
        widths = {SECTION: max((metrics.horizontalAdvance(n) for n in names), default=em * 6) + em,
                  INDICATOR: em * 15, TARGET: em * 6, ACTUAL_COL: em * 6, RATIO: em * 5, STATUS: widest + em, SUMMARY: em * 4}
        for column, width in widths.items():
            header.resizeSection(column, width)
        for column in TEXT_COLUMNS:
            header.resizeSection(column, em * 16)
        header.setStretchLastSection(False)
        for column in TEXT_COLUMNS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def _connect(self) -> None:
        self._detached = False
        self.plan.changed.connect(self._on_changed)
        self.evaluation_model.evaluated.connect(self._refresh_counts)
        self.year_choice.currentIndexChanged.connect(self._on_year)
        self.section_filter.currentIndexChanged.connect(self.apply_filter)
        self.status_filter.currentIndexChanged.connect(self.apply_filter)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._refresh_panels())
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self._schedule_fit(None))
        self._fit_timer.timeout.connect(self._fit_scheduled)
        for signal in (self.proxy.layoutChanged, self.proxy.modelReset, self.proxy.rowsInserted, self.proxy.rowsRemoved):
            signal.connect(lambda *_: self._schedule_fit(None))
        self.proxy.dataChanged.connect(lambda first, last, *_: self._schedule_fit(range(first.row(), last.row() + 1)))
        self.section_editor.committed.connect(self._commit_section_text)
        self.summary_choice.activated.connect(self._on_summary_chosen)
        self.reason_edit.editingFinished.connect(self._on_reason_edited)

    # --- choosers and filters ---------------------------------------------------------------------------------
    def _fill_years(self) -> None:
        combo, chosen = self.year_choice, getattr(self, "evaluation_model", None)
        year = chosen.year if chosen else None
        combo.blockSignals(True)
        combo.clear()
        for y in self.plan.years:
            combo.addItem(year_label(y), y)
        combo.setCurrentIndex(max(0, combo.findData(year)))
        combo.blockSignals(False)

    def _fill_sections(self) -> None:
        combo = self.section_filter
        chosen = combo.currentData()
        items = [(E.SECTION_ALL, None)] + [(s.display_name, s.number) for s in self.plan.sections
                                           if any(r[0] is s for r in self.evaluation_model.rows)]
        if [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] == items:
            return
        combo.blockSignals(True)
        combo.clear()
        for text, number in items:
            combo.addItem(text, number)
        combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
        combo.blockSignals(False)

    @property
    def year(self) -> int:
        return self.evaluation_model.year

    def set_year(self, year: int) -> None:
        self.year_choice.setCurrentIndex(self.year_choice.findData(year))

    def _on_year(self, _index: int) -> None:
        year = self.year_choice.currentData()
        if year is not None:
            self._finish_cell_edit()  # a text being typed belongs to the year it was typed for
            self.evaluation_model.set_year(year)
            self._refresh_panels()

    def _finish_cell_edit(self) -> None:
        editor = self.table.indexWidget(self.table.currentIndex())
        if editor is not None:
            self.delegate.commitData.emit(editor)
            self.delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def apply_filter(self, *_args) -> None:
        status = self.status_filter.currentData()
        self.proxy.set_filter(self.section_filter.currentData(), None if status is None else Status(status))
        self._refresh_counts()
        self._refresh_panels()

    def _refresh_counts(self) -> None:
        model = self.evaluation_model
        counts = model.counts(self.section_filter.currentData())
        self.counts_title.setText(E.COUNTS_TITLE.format(year=era_label(model.year)))
        for status, label in self.count_labels.items():
            label.setText(E.COUNT.format(label=status.short_label, count=counts.get(status, 0)))
        self.total_label.setText(E.TOTAL.format(count=sum(counts.values())))

    # --- rows ---------------------------------------------------------------------------------------------------
    def _schedule_fit(self, rows: range | None) -> None:
        """Heights are fitted once the burst of changes is over: of the rows that changed, or (None) of all."""
        if rows is None or self._fit_rows is None:
            self._fit_rows = None
        else:
            self._fit_rows.update(rows)
        self._fit_timer.start()

    def _fit_scheduled(self) -> None:
        rows, self._fit_rows = self._fit_rows, set()
        self.fit_rows(rows)

    def fit_rows(self, rows=None) -> None:
        """Each row (of ``rows``, else all) as tall as its longest text wraps to (up to MAX_ROW_LINES lines), from the
        font, not by measuring cells."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        line = metrics.lineSpacing()
        widths = {c: header.sectionSize(c) - CELL_PADDING for c in (*TEXT_COLUMNS, INDICATOR, SECTION)}
        vertical = self.table.verticalHeader()
        count = self.proxy.rowCount()
        for row in (range(count) if rows is None else sorted(r for r in rows if r < count)):
            lines = 1
            for column, width in widths.items():
                text = self.proxy.index(row, column).data() or ""
                lines = max(lines, wrapped_lines(metrics, text, width))
            vertical.resizeSection(row, min(lines, MAX_ROW_LINES) * line + CELL_PADDING)

    def current_row(self) -> int | None:
        """The source row of the current cell, if any."""
        index = self.table.currentIndex()
        return self.proxy.mapToSource(index).row() if index.isValid() else None

    def current_indicator(self):
        """(section, indicator) of the current row, None without one (the 構成 menu acts on it, as on the 進捗一覧's)."""
        row = self.current_row()
        return None if row is None else self.evaluation_model.rows[row]

    def select(self, section: int, id: str, column: int = INDICATOR) -> QModelIndex:
        """Make the indicator's row current; returns the view's index of its ``column`` (invalid if filtered out)."""
        row = self.evaluation_model.row_of(section, id)
        if row is None:
            return QModelIndex()
        index = self.proxy.mapFromSource(self.evaluation_model.index(row, column))
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)
        return index

    def _on_double_click(self, index: QModelIndex) -> None:
        if index.column() not in TEXT_COLUMNS:  # a text column opens its editor instead
            self.go_to(index)

    def go_to(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.isValid():
            section, indicator = self.evaluation_model.rows[source.row()]
            self.indicator_activated.emit(section.number, indicator.id)

    def _context_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        menu = self.context_menu(index)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def context_menu(self, index: QModelIndex) -> QMenu:
        menu = QMenu(self)
        self.go_to_action = menu.addAction(E.GO_TO_INDICATOR)
        self.go_to_action.triggered.connect(lambda: self.go_to(index))
        menu.addSeparator()
        for column, field in TEXT_COLUMNS.items():
            action = menu.addAction(E.EDIT_TEXT.format(field=TEXT_FIELD_LABELS[field]))
            action.triggered.connect(lambda _=False, c=column: self.table.edit(index.siblingAtColumn(c)))
        return menu

    # --- the panels: section 総合評価, period 総括 ------------------------------------------------------------------
    def _section_shown(self) -> int | None:
        row = self.current_row()
        if row is not None:
            return self.evaluation_model.rows[row][0].number
        if self.section_filter.currentData() is not None:
            return self.section_filter.currentData()
        rows = self.evaluation_model.rows
        return rows[0][0].number if rows else None

    def _refresh_panels(self) -> None:
        if self._detached:
            return
        number, year = self._section_shown(), self.evaluation_model.year
        if (number, year) != self._panel_section:
            self.section_editor.commit()  # typed for the section and year shown before: stored there, before the panel moves on
        self._panel_section = None if number is None else (number, year)
        self.section_box.setEnabled(number is not None)
        if number is None:
            self.section_box.setTitle(E.SECTION_BOX)
            self.section_editor.set_text("")
        else:
            section = self.plan.section(number)
            self.section_box.setTitle(E.SECTION_BOX_OF.format(section=section.display_name, year=era_label(year)))
            self.section_editor.setPlaceholderText(E.SECTION_PLACEHOLDER.format(year=era_label(year)))
            self.section_editor.set_text(self.plan.evaluation_texts.section(number, year))
        self._refresh_summary()

    def _refresh_summary(self) -> None:
        row = self.current_row()
        self.summary_box.setEnabled(row is not None)
        if row is None:
            self._panel_key = None
            self.summary_box.setTitle(E.SUMMARY_BOX)
            self.suggestion_label.setText(E.SUMMARY_NO_ROW)
            self.summary_choice.setCurrentIndex(0)
            self.reason_edit.clear()
            return
        section, indicator = self.evaluation_model.rows[row]
        self._panel_key = (section.number, indicator.id)
        self.summary_box.setTitle(E.SUMMARY_BOX_OF.format(label=indicator.label))
        suggested, final = suggested_summary(indicator, self.plan.years, self.evaluation_model.thresholds)
        if suggested is not None:
            text = E.SUMMARY_SUGGESTION.format(label=suggested.label, year=era_label(final))
        elif final is not None:
            text = E.SUMMARY_SUGGESTION_WAITING.format(year=era_label(final))
        else:
            text = E.SUMMARY_SUGGESTION_NONE
        self.suggestion_label.setText(text)
        chosen = self.plan.evaluation_texts.summary(*self._panel_key)
        self.summary_choice.setCurrentIndex(self.summary_choice.findData(chosen.summary.value) if chosen else 0)
        if not self.reason_edit.hasFocus():
            self.reason_edit.setText(chosen.reason if chosen else "")

    def _commit_section_text(self, text: str) -> None:
        if self._panel_section is None or self._detached:
            return
        number, year = self._panel_section
        if self.plan.evaluation_texts.section(number, year) != text:
            self.document.undo_stack.push(C.set_section_text(self.plan, number, year, text, self.document.edited.emit))

    def _on_summary_chosen(self, _index: int) -> None:
        value = self.summary_choice.currentData()
        self.choose_summary(None if value is None else Summary(value), self.reason_edit.text())

    def _on_reason_edited(self) -> None:
        if self._panel_key is None:
            return
        chosen = self.plan.evaluation_texts.summary(*self._panel_key)
        if chosen is not None and chosen.reason != self.reason_edit.text():
            self.choose_summary(chosen.summary, self.reason_edit.text())

    def choose_summary(self, summary: Summary | None, reason: str = "") -> bool:
        """The selected indicator's period summary by hand (None: as suggested); IV without a reason is refused."""
        if self._panel_key is None:
            return False
        choice = None if summary is None else SummaryChoice(summary, plain_text(reason).strip())
        if choice is not None and choice.needs_reason:  # the plan would refuse it: say why before the undo step
            self.document.message.emit(IV_NEEDS_REASON)
            self._refresh_summary()
            return False
        if self.plan.evaluation_texts.summary(*self._panel_key) != choice:
            self.document.undo_stack.push(C.set_summary(self.plan, *self._panel_key, choice, self.document.edited.emit))
        return True

    # --- the plan's changes ------------------------------------------------------------------------------------
    def _on_changed(self, change: Change) -> None:
        if self._detached:
            return
        if change.plan_wide:
            self._fill_years()
            if self.year_choice.currentData() != self.evaluation_model.year:  # its year left the plan
                self._on_year(self.year_choice.currentIndex())
        if change.plan_wide or change.sections:
            self._fill_sections()
        if change.plan_wide or change.sections or change.texts or change.figures:
            self._refresh_panels()

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.evaluation_model.set_thresholds(thresholds)
        self._refresh_summary()

    def detach(self) -> None:
        self._detached = True
        self.evaluation_model.detach()
        self.plan.changed.disconnect(self._on_changed)

