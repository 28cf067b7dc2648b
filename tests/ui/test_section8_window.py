"""Section 8 in the window: its computed placements follow an edit in section 5 and are repainted."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kawasaki_planner.core import foster
from kawasaki_planner.core import structure as st
from kawasaki_planner.core.plan import FigureRef, forecast_ref

GUIDELINE_8 = st.GUIDELINE_SECTIONS[0]


def test_the_placements_follow_section_5(window, dialog_log, qtbot):
    ui = window.structure_ui
    dialog_log.answer("ask_new_section", GUIDELINE_8, GUIDELINE_8)
    ui.add_section_action.trigger()
    tab = window.section_tabs[8]
    window.tabs.setCurrentWidget(tab)
    model = tab.table_model
    rate = next(i for i in tab.section.indicators if i.role == foster.RATE_ROLE + "school")
    needed = next(i for i in tab.section.indicators if i.role == foster.NEEDED_ROLE + "school")
    assert model.setData(model.index_of(FigureRef(8, rate.id, 2027, "plan")), "40")
    cell = model.index_of(FigureRef(8, needed.id, 2027, "plan"))
    before = model.data(cell)
    assert not model.flags(cell) & Qt.ItemFlag.ItemIsEditable  # computed, never typed
    repainted = []
    model.dataChanged.connect(lambda top, bottom, roles=(): repainted.append((top.row(), bottom.row())))
    assert window.document.set_figure(forecast_ref("population", 2027), "300,000", "edit")
    assert model.data(cell) != before and model.data(cell) == needed.figure(2027, "plan").text
    assert any(top <= cell.row() <= bottom for top, bottom in repainted)
