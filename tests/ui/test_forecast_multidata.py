"""Painting asks a forecast table for many roles at once (multiData): the answers are data()'s, cell by cell."""

from __future__ import annotations

from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan, Qt

from kawasaki_planner.ui.figure_model import FIGURE_ROLE, REF_ROLE

ROLES = [
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.FontRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.CheckStateRole, FIGURE_ROLE, REF_ROLE,
]


def _multi(model, index, role):
    data = QModelRoleData(int(role))
    model.multiData(index, QModelRoleDataSpan(data))
    return data.data()


def test_multidata_answers_as_data_does_for_every_cell(window):
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    models = tab.models
    kinds = set()
    for model in models:
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                index = model.index(row, column)
                for role in ROLES:
                    assert _multi(model, index, role) == model.data(index, role), (row, column, role)
                background = model.data(index, Qt.ItemDataRole.BackgroundRole)
                kinds.add(None if background is None else background.name())
    assert len(kinds) >= 3  # typed cells, derived cells, and the derived cell whose stored value differs
