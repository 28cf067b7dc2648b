"""What the overview and the indicator tables show follows edits, undo and thresholds, and the overview's filter
keeps the selection on its rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from kawasaki_planner.core.evaluation import DEFAULT_THRESHOLDS, Status, Thresholds
from kawasaki_planner.core.plan import FigureRef
from kawasaki_planner.io.source import load_source
from kawasaki_planner.ui.document import PlanDocument
from kawasaki_planner.ui.overview_model import FIRST_YEAR_COLUMN, LATEST_COLUMN, RATIO_COLUMN, STATUS_ROLE
from kawasaki_planner.ui.overview_tab import OverviewTab
from kawasaki_planner.ui.palette import STATUS_COLORS
from kawasaki_planner.ui.section_tab import SectionTab

from .conftest import SAMPLE_SOURCE

LABEL = "一時保護施設の定員数"  # section 6; target R7 88人
ACTUAL_R7 = FigureRef(6, LABEL, 2025, "actual")
BACKGROUND = Qt.ItemDataRole.BackgroundRole


@pytest.fixture
def document():
    return PlanDocument(load_source(SAMPLE_SOURCE))


def row_texts(model, row: int) -> list:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def row_backgrounds(model, row: int) -> list:
    return [model.index(row, c).data(BACKGROUND) for c in range(model.columnCount())]


def test_an_edit_and_its_undo_repaint_the_overview_row(qtbot, document):
    tab = OverviewTab(document, DEFAULT_THRESHOLDS)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    proxy = tab.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 1).data() == LABEL)
    r7 = FIRST_YEAR_COLUMN + document.plan.years.index(2025)
    before, colours_before = row_texts(proxy, row), row_backgrounds(proxy, row)
    tab.table.viewport().grab()
    assert before[LATEST_COLUMN] == "評価不能" and before[r7] is None

    with qtbot.waitSignal(proxy.dataChanged):
        assert document.set_figure(ACTUAL_R7, "100人", "edit")  # 88人 → 113.6 %
    after = row_texts(proxy, row)
    assert after[LATEST_COLUMN] == "2 目標を上回って達成"
    assert after[LATEST_COLUMN + 1] == "R7年度"
    assert after[RATIO_COLUMN] == "113.6%"
    assert after[r7] == "2 上回る"
    assert proxy.index(row, r7).data(BACKGROUND) == STATUS_COLORS[Status.ABOVE]
    assert proxy.index(row, LATEST_COLUMN).data(BACKGROUND) == STATUS_COLORS[Status.ABOVE]
    assert proxy.index(row, r7).data(STATUS_ROLE) is Status.ABOVE
    assert "113.6%" in proxy.index(row, r7).data(Qt.ItemDataRole.ToolTipRole)

    document.undo_stack.undo()
    assert row_texts(proxy, row) == before
    assert row_backgrounds(proxy, row) == colours_before
    document.undo_stack.redo()
    assert row_texts(proxy, row) == after

    tab.set_thresholds(Thresholds(far_above=Decimal("1.10")))
    assert proxy.index(row, LATEST_COLUMN).data() == "1 目標を大きく上回って達成"
    assert proxy.index(row, r7).data(BACKGROUND) == STATUS_COLORS[Status.FAR_ABOVE]
    tab.detach()


def test_an_edit_moves_a_row_in_and_out_of_the_status_filter(qtbot, document):
    tab = OverviewTab(document, DEFAULT_THRESHOLDS)
    qtbot.addWidget(tab)
    proxy = tab.proxy
    tab.status_filter.setCurrentIndex(tab.status_filter.findData(int(Status.ABOVE)))
    assert proxy.rowCount() == 0
    document.set_figure(ACTUAL_R7, "100人", "edit")
    assert proxy.rowCount() == 1
    assert proxy.index(0, 1).data() == LABEL
    assert proxy.index(0, LATEST_COLUMN).data() == "2 目標を上回って達成"
    document.undo_stack.undo()
    assert proxy.rowCount() == 0
    tab.status_filter.setCurrentIndex(tab.status_filter.findData(int(Status.NOT_RATED)))
    assert proxy.rowCount() == 27
    document.undo_stack.redo()
    assert proxy.rowCount() == 26
    assert LABEL not in {proxy.index(r, 1).data() for r in range(proxy.rowCount())}
    tab.detach()


def test_the_selection_follows_its_row_through_a_filter(qtbot, document):
    tab = OverviewTab(document, DEFAULT_THRESHOLDS)
    qtbot.addWidget(tab)
    proxy, view = tab.proxy, tab.table
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 1).data() == LABEL)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.selectionModel().setCurrentIndex(proxy.index(row, 1), flags)
    tab.text_filter.setText("定員")
    assert 0 < proxy.rowCount() < row
    assert view.currentIndex().data() == LABEL
    assert {i.data() for i in view.selectionModel().selectedRows(1)} == {LABEL}
    tab.text_filter.setText("研修")  # filters the selected row out
    assert not view.currentIndex().isValid()
    assert not view.selectionModel().hasSelection()
    tab.text_filter.setText("")
    assert proxy.rowCount() == 27
    assert proxy.mapToSource(proxy.index(row, 1)).row() == row
    assert proxy.mapFromSource(tab.overview_model.index(row, 2)) == proxy.index(row, 2)
    tab.detach()


def test_an_edit_and_its_undo_repaint_the_indicator_table(qtbot, document):
    tab = SectionTab(document, document.plan.section(6), DEFAULT_THRESHOLDS)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    model = tab.table_model
    actual = model.index_of(ACTUAL_R7)
    target = model.index(actual.row(), actual.column() - 1)
    before, colours_before = row_texts(model, actual.row()), row_backgrounds(model, actual.row())
    tab.table.viewport().grab()
    assert actual.data() == "" and actual.data(BACKGROUND) is None

    with qtbot.waitSignal(model.dataChanged):
        assert model.setData(actual, "100人")
    assert actual.data() == "100人"
    assert actual.data(Qt.ItemDataRole.EditRole) == "100人"
    assert actual.data(BACKGROUND) == STATUS_COLORS[Status.ABOVE]
    assert target.data(BACKGROUND) is None
    assert model.flags(actual) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(actual.row(), 0)) & Qt.ItemFlag.ItemIsEditable

    document.set_figure(FigureRef(6, LABEL, 2025, "plan"), "50人", "edit target")  # 200 %
    assert actual.data(BACKGROUND) == STATUS_COLORS[Status.FAR_ABOVE]
    assert target.data() == "50人"

    document.undo_stack.undo()
    document.undo_stack.undo()
    assert row_texts(model, actual.row()) == before
    assert row_backgrounds(model, actual.row()) == colours_before

    document.undo_stack.redo()
    tab.set_thresholds(Thresholds(above=Decimal("1.15"), far_above=Decimal("1.30")))  # 113.6 % is now 3
    assert actual.data(BACKGROUND) == STATUS_COLORS[Status.MET]
    tab.detach()
