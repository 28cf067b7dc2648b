"""ファイル → 比較…: the open plan (改定後) against another version (改定前), listed in a dock and marked in the tables.

:func:`start_comparison` asks which version (the plan as saved on disk, one of its backups, another workbook),
reads it, and opens a :class:`ComparisonPanel`: the differences (:mod:`kawasaki_planner.core.compare`) in a
filterable list; double-click jumps to the cell (its section's tab, its row and year column); the changed cells
of every section table are framed (:mod:`.compare_marks`) until the comparison is closed; the 新旧対照表 goes to
.xlsx or PDF from the list. The list follows the plan as it is edited (recompared once per burst of edits).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.compare import (
    CHANGE_KINDS,
    CHANGE_LABELS,
    FIGURE_SCOPE,
    INDICATOR_SCOPE,
    NARRATIVE_SCOPE,
    REMOVED,
    STATUS_SCOPE,
    Difference,
    compare_plans,
)
from ..core.plan import Plan
from . import compare_dialogs, dialogs
from . import compare_strings as C
from .compare_marks import STATUS, CellMarks
from .palette import DERIVED_FOREGROUND

COLUMNS = (C.COL_SECTION, C.COL_ITEM, C.COL_WHERE, C.COL_BEFORE, C.COL_AFTER, C.COL_CHANGE)
DIFFERENCE_ROLE = Qt.ItemDataRole.UserRole + 40
ELIDE = 80  # characters of a passage shown in a list cell (the whole text is in its tooltip)


def _short(text: str) -> str:
    one_line = text.replace("\n", " ")
    return one_line if len(one_line) <= ELIDE else one_line[: ELIDE - 1] + "…"


class ComparisonModel(QAbstractTableModel):
    """The differences, one a row (read-only)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.differences: list[Difference] = []

    def set_differences(self, differences: list[Difference]) -> None:
        self.beginResetModel()  # a new comparison: every row may differ
        self.differences = list(differences)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.differences)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        d = self.differences[index.row()]
        if role == DIFFERENCE_ROLE:
            return d
        texts = (str(d.section) if d.section is not None else "", d.item, d.where, d.before, d.after,
                 d.change_label + (C.COMPUTED if d.computed else ""))
        if role == Qt.ItemDataRole.DisplayRole:
            return _short(texts[index.column()])
        if role == Qt.ItemDataRole.ToolTipRole:
            return texts[index.column()] or None
        if role == Qt.ItemDataRole.ForegroundRole and d.computed:
            return DERIVED_FOREGROUND  # as the tables show computed figures
        return None


class ComparisonFilter(QSortFilterProxyModel):
    """By kind of change, by text (項目, 改定前, 改定後), and computed figures shown or not."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.change: str | None = None
        self.text = ""
        self.computed = True

    def set_filter(self, change: str | None, text: str, computed: bool) -> None:
        if not hasattr(self, "beginFilterChange"):  # Qt before 6.9
            self.change, self.text, self.computed = change, text.strip().casefold(), computed
            self.invalidateRowsFilter()
            return
        self.beginFilterChange()
        self.change, self.text, self.computed = change, text.strip().casefold(), computed
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:
        d = self.sourceModel().differences[row]
        if self.change is not None and d.change != self.change:
            return False
        if d.computed and not self.computed:
            return False
        return not self.text or any(self.text in t.casefold() for t in (d.item, d.before, d.after, d.section_title))


def marks_of(differences: list[Difference]) -> dict[tuple, str]:
    """What to frame in the figure tables: each figure that changed, and the label of each row that changed itself."""
    marks: dict[tuple, list[str]] = {}
    for d in differences:
        line = C.MARK_LINE.format(change=d.change_label, before=_short(d.before or C.BLANK), after=_short(d.after or C.BLANK))
        if d.scope == FIGURE_SCOPE:
            marks.setdefault((d.section, d.row, d.fiscal_year, d.kind), []).append(line)
        elif d.scope == INDICATOR_SCOPE and d.change != REMOVED:
            marks.setdefault((d.section, d.indicator, None, ""), []).append(line)
    return {key: "\n".join(lines) for key, lines in marks.items()}


def status_marks_of(differences: list[Difference], section: int) -> dict[tuple, str]:
    """What to frame in ``section``'s 「現在の整備・取組状況」 table: the rows added or reworded."""
    return {(STATUS, d.position): C.MARK_LINE.format(change=d.change_label, before=_short(d.before or C.BLANK),
                                                     after=_short(d.after or C.BLANK))
            for d in differences
            if d.scope == STATUS_SCOPE and d.section == section and d.change != REMOVED and d.position is not None}


class ComparisonPanel(QDockWidget):
    """The dock of an open comparison. Public: ``model``, ``proxy``, ``table``, ``baseline`` (the 改定前 plan),
    ``differences``, the filters, and ``marks`` (view → its CellMarks)."""

    closed = Signal()

    def __init__(self, window, baseline: Plan, baseline_name: str) -> None:
        super().__init__(C.DOCK_TITLE, window)
        self.setObjectName("comparisonDock")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.window_ = window
        self.document = window.document
        self.baseline = baseline
        self.baseline_name = baseline_name
        self.differences: list[Difference] = []
        self.marks: dict[QAbstractItemView, CellMarks] = {}
        self.model = ComparisonModel(self)
        self.proxy = ComparisonFilter(self)
        self.proxy.setSourceModel(self.model)
        self._recompare_timer = QTimer(self)
        self._recompare_timer.setSingleShot(True)
        self._recompare_timer.setInterval(0)  # a burst of edits (a paste) is compared once
        self._recompare_timer.timeout.connect(self.recompare)
        self._build()
        self._connect()
        self.recompare()

    # --- building ---------------------------------------------------------------
    def _build(self) -> None:
        body = QWidget(self)
        self.header = QLabel(C.HEADER_FORMAT.format(old=self.baseline_name, new=self.document.display_name))
        self.summary = QLabel()
        self.change_filter = QComboBox(body)
        self.change_filter.addItem(C.FILTER_ALL, None)
        for kind in CHANGE_KINDS:
            self.change_filter.addItem(CHANGE_LABELS[kind], kind)
        self.text_filter = QLineEdit(body)
        self.text_filter.setPlaceholderText(C.FILTER_TEXT)
        self.text_filter.setClearButtonEnabled(True)
        self.computed_filter = QCheckBox(C.FILTER_COMPUTED, body)
        self.computed_filter.setChecked(True)
        self.xlsx_button = QPushButton(C.BTN_XLSX, body)
        self.pdf_button = QPushButton(C.BTN_PDF, body)
        self.close_button = QPushButton(C.BTN_CLOSE, body)
        self.table = QTableView(body)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)  # one line a row
        header = self.table.horizontalHeader()
        em = self.fontMetrics().horizontalAdvance("あ")
        for column, width in enumerate((3, 22, 11, 24, 24, 7)):
            header.resizeSection(column, em * width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.summary)
        filters = QHBoxLayout()
        filters.addWidget(self.change_filter)
        filters.addWidget(self.text_filter, 1)
        filters.addWidget(self.computed_filter)
        filters.addSpacing(em)
        filters.addWidget(self.xlsx_button)
        filters.addWidget(self.pdf_button)
        filters.addWidget(self.close_button)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self.setWidget(body)

    def _connect(self) -> None:
        self.change_filter.currentIndexChanged.connect(self.apply_filter)
        self.text_filter.textChanged.connect(self.apply_filter)
        self.computed_filter.toggled.connect(self.apply_filter)
        self.table.activated.connect(self._on_activated)  # double-click, or Enter on the current row
        self.xlsx_button.clicked.connect(lambda: self.export(".xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export(".pdf"))
        self.close_button.clicked.connect(self.close)
        plan = self.document.plan
        plan.changed.connect(self._schedule)
        plan.structure_changed.connect(self._schedule)
        self.window_.lazy_tabs.on_built.append(self._on_tab_built)
        self.document.destroyed.connect(self.close)  # another plan opened in the window: this comparison is over

    # --- comparing ---------------------------------------------------------------
    def _schedule(self, *_args) -> None:
        self._recompare_timer.start()

    def recompare(self) -> None:
        self.differences = compare_plans(self.baseline, self.document.plan)
        self.model.set_differences(self.differences)
        self.summary.setText(_summary(self.differences))
        self.refresh_marks()

    def apply_filter(self, *_args) -> None:
        self.proxy.set_filter(self.change_filter.currentData(), self.text_filter.text(), self.computed_filter.isChecked())

    def difference_at(self, proxy_row: int) -> Difference:
        return self.proxy.index(proxy_row, 0).data(DIFFERENCE_ROLE)

    # --- marks in the tables ------------------------------------------------------
    def refresh_marks(self) -> None:
        figures = marks_of(self.differences)
        views = {}
        for _key, tab in self.window_.lazy_tabs.built_items():
            views.update({view: figures for view in getattr(tab, "table_views", ())})
            status = getattr(tab, "status_table", None)
            if status is not None:
                views[status] = status_marks_of(self.differences, tab.section.number)
        for view, overlay in list(self.marks.items()):
            if view not in views or not overlay.alive():
                self.marks.pop(view)  # its tab was rebuilt or removed (the overlay went with it)
        for view, marks in views.items():
            overlay = self.marks.get(view)
            if overlay is None:
                self.marks[view] = CellMarks(view, marks)
            else:
                overlay.set_marks(marks)

    def _on_tab_built(self, _key, _tab) -> None:
        self.refresh_marks()

    def clear_marks(self) -> None:
        for overlay in self.marks.values():
            overlay.remove()
        self.marks.clear()

    # --- jumping -------------------------------------------------------------------
    def _on_activated(self, index: QModelIndex) -> None:
        self.jump_to(index.data(DIFFERENCE_ROLE))

    def jump_to(self, d: Difference) -> bool:
        """Show the difference where it is in the plan: its section's tab, row and year column; False if it is gone."""
        window = self.window_
        if d.section is None or d.section not in window.section_tabs:
            return False
        tab = window.section_tabs[d.section]
        window.tabs.setCurrentWidget(tab)
        if d.scope in (FIGURE_SCOPE, INDICATOR_SCOPE):
            return self._jump_to_cell(tab, d)
        texts = getattr(tab, "texts", None)
        if d.scope == STATUS_SCOPE and texts is not None:
            texts.setCurrentWidget(tab.status_table)
            if d.position is not None and d.position < tab.status_model.rowCount():
                tab.status_table.selectRow(d.position)
            return True
        if d.scope == NARRATIVE_SCOPE:
            if texts is not None:
                texts.setCurrentWidget(tab.narrative)
            if d.change != REMOVED and d.position is not None:
                select_block(tab.narrative, d.position)
        return True

    def _jump_to_cell(self, tab, d: Difference) -> bool:
        from .compare_marks import index_for

        key = (d.section, d.row, d.fiscal_year, d.kind) if d.scope == FIGURE_SCOPE else (d.section, d.indicator, None, "")
        for view in getattr(tab, "table_views", ()):
            index = index_for(view, key)
            if index.isValid():
                view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                view.scrollTo(index)
                view.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        window = self.window_
        window.show_message(C.NOT_SHOWN.format(item=d.item))
        return False

    # --- exporting ------------------------------------------------------------------
    def export(self, suffix: str, path: str | None = None) -> bool:
        if path is None:
            folder = self.document.path.parent if self.document.path else Path(self.window_.settings_dir())
            suggested = str(folder / f"新旧対照表_{Path(self.document.display_name).stem}{suffix}")
            path = compare_dialogs.ask_export_path(self, suggested, suffix)
            if path is None:
                return False
        try:
            if suffix == ".xlsx":
                from ..io.compare_xlsx import write_comparison_xlsx

                write_comparison_xlsx(self.differences, path, self.baseline_name, self.document.display_name,
                                      self.document.plan.title)
            else:
                from .compare_pdf import write_comparison_pdf

                write_comparison_pdf(self.differences, path, self.baseline_name, self.document.display_name,
                                     self.document.plan.title)
        except OSError as error:
            self.window_.show_message(C.EXPORT_FAILED.format(reason=error.strerror or error))
            return False
        self.window_.show_message(C.EXPORTED.format(name=Path(path).name))
        return True

    # --- closing -----------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self._stop()
        super().closeEvent(event)

    def _stop(self) -> None:
        if getattr(self, "_stopped", False):
            return
        self._stopped = True
        self._recompare_timer.stop()
        self.clear_marks()
        plan = self.document.plan
        plan.changed.disconnect(self._schedule)
        plan.structure_changed.disconnect(self._schedule)
        hooks = self.window_.lazy_tabs.on_built
        if self._on_tab_built in hooks:
            hooks.remove(self._on_tab_built)
        if getattr(self.window_, "comparison", None) is self:
            self.window_.comparison = None
        self.closed.emit()


def select_block(view, position: int) -> bool:
    """Select the paragraphs of narrative block ``position`` in a NarrativeView (each paragraph's userState is the
    index of the block it shows) and scroll to them."""
    paragraph, first, last = view.document().begin(), None, None
    while paragraph.isValid():
        if paragraph.userState() == position:
            first = first or paragraph
            last = paragraph
        paragraph = paragraph.next()
    if first is None:
        return False
    cursor = QTextCursor(first)
    cursor.setPosition(last.position() + max(0, last.length() - 1), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    return True


def _summary(differences: list[Difference]) -> str:
    from ..core.compare import summary_line

    return summary_line(differences)


def start_comparison(window, source: compare_dialogs.Source | None = None) -> ComparisonPanel | None:
    """ファイル → 比較…: ask which version (unless ``source`` is given), read it, open the panel (replacing one open)."""
    from .document import load_plan_file

    if source is None:
        source = compare_dialogs.ask_source(window, compare_dialogs.sources(window.document.path))
        if source is None:
            return None
    path = source.path
    if path is None:
        chosen = compare_dialogs.ask_other_workbook(window, window.settings_dir())
        if chosen is None:
            return None
        path = Path(chosen)
    try:
        baseline = load_plan_file(path)
    except Exception as error:  # PlanFormatError, OSError: said to the user, the window stays as it was
        dialogs.show_error(window, C.LOAD_FAILED, str(error))
        return None
    old = getattr(window, "comparison", None)
    if old is not None:
        old.close()
    panel = ComparisonPanel(window, baseline, Path(path).name)
    window.comparison = panel
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, panel)
    panel.show()
    # A quarter of the window: the section tables above keep their rows (their charts give way) for the cells the
    # list jumps to; the planner drags the edge for more.
    window.resizeDocks([panel], [max(180, window.height() // 4)], Qt.Orientation.Vertical)
    return panel
