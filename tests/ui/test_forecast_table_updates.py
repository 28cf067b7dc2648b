"""Section-5 tables hear the cells a recompute changed: every cell that looks different is reported
(so the view repaints it), rows that look the same are left alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kawasaki_planner.core.plan import ACTUAL, forecast_ref

ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.ToolTipRole,
)


def looks(model):
    return {
        (r, c): tuple(model.data(model.index(r, c), role) for role in ROLES)
        for r in range(model.rowCount())
        for c in range(1, model.columnCount())
    }


def reported(model, edit):
    cells = set()

    def heard(top_left, bottom_right, roles=()):
        for r in range(top_left.row(), bottom_right.row() + 1):
            for c in range(top_left.column(), bottom_right.column() + 1):
                cells.add((r, c))

    model.dataChanged.connect(heard)
    try:
        edit()
    finally:
        model.dataChanged.disconnect(heard)
    return cells


@pytest.mark.parametrize(
    ("key", "year", "kind", "text"),
    [
        ("population", 2024, ACTUAL, "245,048"),  # one more child: no derived figure moves
        ("population", 2026, "plan", "300,000"),
        ("rate", 2025, "plan", "0.150%"),
        ("growth", 2029, "plan", "5%"),
    ],
)
def test_every_changed_cell_and_no_other_is_reported(window, key, year, kind, text):
    tab = window.forecast_tab
    edited = forecast_ref(key, year, kind)
    models = (tab.forecast_model, tab.age_model)
    before = {id(m): looks(m) for m in models}
    heard = {}

    def edit():
        assert tab.forecast_model.setData(tab.forecast_model.index_of(edited), text)

    # Listen to both tables during the one edit.
    spies = []
    for model in models:
        cells = set()
        heard[id(model)] = cells

        def on_changed(top_left, bottom_right, roles=(), cells=cells):
            for r in range(top_left.row(), bottom_right.row() + 1):
                for c in range(top_left.column(), bottom_right.column() + 1):
                    cells.add((r, c))

        model.dataChanged.connect(on_changed)
        spies.append((model, on_changed))
    try:
        edit()
    finally:
        for model, slot in spies:
            model.dataChanged.disconnect(slot)

    for model in models:
        after = looks(model)
        changed = {cell for cell, look in after.items() if look != before[id(model)][cell]}
        assert changed <= heard[id(model)], f"not repainted: {sorted(changed - heard[id(model)])}"
        # A row is reported as one stretch from its first to its last changed cell; rows that look
        # the same are not reported at all.
        index = model.index_of(edited)
        rows = {r for r, _ in changed} | ({index.row()} if index.isValid() else set())
        assert {r for r, _ in heard[id(model)]} == rows
    if key == "population" and year == 2024:
        # The benchmark's edit: only the typed cell needs painting.
        assert heard[id(tab.age_model)] == set()
        assert len(heard[id(tab.forecast_model)]) == 1


def test_undo_reports_the_cells_it_changes_back(window):
    tab = window.forecast_tab
    model = tab.forecast_model
    published = looks(model)
    assert model.setData(model.index_of(forecast_ref("rate", 2025)), "0.150%")
    edited = looks(model)
    cells = reported(model, window.menu_actions.undo.trigger)
    assert looks(model) == published
    assert {cell for cell in published if published[cell] != edited[cell]} <= cells


def test_a_flagged_cell_is_repainted_when_its_flag_goes(window):
    """R11 措置率 is printed as 0.161 % but recomputes to 0.160 %: flagged until they agree."""
    model = window.forecast_tab.forecast_model
    r11_rate = model.index_of(forecast_ref("rate", 2029))
    flagged = model.data(r11_rate, Qt.ItemDataRole.BackgroundRole)
    cells = reported(model, lambda: model.setData(model.index_of(forecast_ref("growth", 2029)), "3.0%"))
    assert model.data(r11_rate) == "0.161%"
    assert model.data(r11_rate, Qt.ItemDataRole.BackgroundRole) != flagged
    assert (r11_rate.row(), r11_rate.column()) in cells
