"""Section 5 live: inputs recompute derived rows and charts at once; section 7's adoption target is linked; undo."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from kawasaki_planner.core.plan import ADOPTION_LABEL, FigureRef, forecast_ref

PUBLISHED_PLACED = [341, 345, 348, 350, 352]


def placed(window):
    return [window.plan.figure(forecast_ref("placed", y)).text for y in range(2025, 2030)]


def test_population_edit_changes_placed_children_and_the_chart_at_once(window):
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    model = tab.forecast_model
    chart = tab.population_chart
    assert list(chart.placed_curve.getData()[1][1:]) == PUBLISHED_PLACED
    assert model.setData(model.index_of(forecast_ref("population", 2026)), "３００，０００")
    # No event processing needed: the table and the chart are current when setData returns.
    assert model.data(model.index_of(forecast_ref("placed", 2026))) == "438"
    assert model.data(model.index_of(forecast_ref("before_adoption", 2026))) == "444"
    x, y = chart.population_curve.getData()
    assert y[x.tolist().index(2026)] == 300000
    assert chart.placed_curve.getData()[1][2] == 438
    assert tab.age_chart.group_counts()[2][2] + tab.age_chart.group_counts()[0][2] + tab.age_chart.group_counts()[1][2] == 438
    window.menu_actions.undo.trigger()
    assert placed(window) == [str(v) for v in PUBLISHED_PLACED]
    assert list(chart.placed_curve.getData()[1][1:]) == PUBLISHED_PLACED


def test_section_7_adoption_target_drives_section_5(window):
    adoption_model = window.section_tabs[7].table_model
    index = adoption_model.index_of(FigureRef(7, ADOPTION_LABEL, 2027, "plan"))
    forecast_model = window.forecast_tab.forecast_model
    placed_2027 = forecast_model.index_of(forecast_ref("placed", 2027))
    with_signal = []
    forecast_model.dataChanged.connect(lambda a, b, roles: with_signal.append((a.row(), b.row())))
    assert adoption_model.setData(index, "10")
    assert adoption_model.data(index) == "10件"
    assert forecast_model.data(placed_2027) == "344"  # 354 before adoptions − 10
    assert with_signal, "the forecast table must hear about the recompute"
    window.tabs.setCurrentWidget(window.forecast_tab)  # its charts were not on the screen: drawn as the tab shows
    assert window.forecast_tab.population_chart.placed_curve.getData()[1][3] == 344
    window.menu_actions.undo.trigger()
    assert forecast_model.data(placed_2027) == "348"
    assert adoption_model.data(index) == "6件"
    window.menu_actions.redo.trigger()
    assert forecast_model.data(placed_2027) == "344"


def test_every_kind_of_input_recomputes_and_undoes(window):
    tab = window.forecast_tab
    published = {key: window.plan.figure(forecast_ref(key, 2029)).text for key in ("rate", "placed", "eligible.total")}
    edits = [
        (tab.forecast_model, forecast_ref("rate", 2025), "0.150%"),
        (tab.forecast_model, forecast_ref("growth", 2029), "5%"),
        (tab.share_model, forecast_ref("share.infant", None), "20%"),
        (tab.excluded_model, forecast_ref("excluded.school", 2029), "80"),
    ]
    for model, ref, text in edits:
        assert model.setData(model.index_of(ref), text), window.last_message
    assert window.plan.figure(forecast_ref("eligible.total", 2029)).text != published["eligible.total"]
    assert window.plan.figure(forecast_ref("rate", 2029)).text != published["rate"]
    for _ in edits:
        window.menu_actions.undo.trigger()
    assert {key: window.plan.figure(forecast_ref(key, 2029)).text for key in published} == published
    assert not window.isWindowModified()


def test_derived_rows_look_different_and_printed_disagreements_are_flagged(window):
    model = window.forecast_tab.forecast_model
    derived = model.index_of(forecast_ref("placed", 2026))
    typed = model.index_of(forecast_ref("population", 2026))
    assert model.data(derived, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(typed, Qt.ItemDataRole.BackgroundRole) is None
    r11_rate = model.index_of(forecast_ref("rate", 2029))
    assert model.data(r11_rate) == "0.160%"
    assert "0.161%" in model.data(r11_rate, Qt.ItemDataRole.ToolTipRole)


def test_all_columns_can_be_shown_for_later_actuals(window):
    tab = window.forecast_tab
    actual_2026 = tab.forecast_model.index_of(forecast_ref("population", 2026, "actual")).column()
    assert tab.forecast_table.isColumnHidden(actual_2026)
    tab.show_all_columns.setChecked(True)
    assert not tab.forecast_table.isColumnHidden(actual_2026)


def test_age_chart_bars_follow_the_age_table(window):
    counts = window.forecast_tab.age_chart.group_counts()
    assert [int(c[1]) for c in counts] == [32, 48, 261]
    assert np.allclose(window.forecast_tab.eligible_chart.values()[1:], [280, 278, 281, 283, 279])
