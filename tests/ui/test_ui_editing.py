"""Typing into cells through the real delegate, refusals, Delete, and undo/redo of every kind of edit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from kawasaki_planner.core.plan import FigureRef

SECTION = 2
LABEL = "意見表明支援を利用可能な児童数"
AT_LEAST_LABEL = "子どもの権利擁護に関する研修の実施回数(年)"


def cell(tab, label, year, kind):
    return tab.table_model.index_of(FigureRef(tab.section.number, label, year, kind))


def send_text(widget, text):
    """Key presses carrying text, as a Japanese IME delivers them (QTest.keyClicks is ASCII-only)."""
    for ch in text:
        key = Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def type_into(qtbot, view, index, text):
    """Select the cell, type over it (the first key opens the delegate's editor), press Enter."""
    view.setFocus()
    view.setCurrentIndex(index)
    send_text(view, text[0])
    editor = view.indexWidget(index)
    assert isinstance(editor, QLineEdit), "typing should open the cell editor"
    send_text(editor, text[1:])
    assert editor.text() == text
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("１，０００", "1,000人"), ("1,000", "1,000人"), ("94人", "94人"), ("  ９９８ 人 ", "998人"), ("-", "-"), ("ー", "-")],
)
def test_typing_into_a_cell_goes_through_the_delegate(window, qtbot, typed, shown):
    tab = window.section_tabs[SECTION]
    index = cell(tab, LABEL, 2026, "plan")
    type_into(qtbot, tab.table, index, typed)
    assert index.data() == shown
    assert window.plan.figure(FigureRef(SECTION, LABEL, 2026, "plan")).text == shown
    assert window.undo_stack.count() == 1


def test_typing_an_at_least_target(window, qtbot):
    tab = window.section_tabs[SECTION]
    index = cell(tab, AT_LEAST_LABEL, 2025, "actual")
    type_into(qtbot, tab.table, index, "２回以上")
    assert index.data() == "2回以上"


def test_nonsense_is_refused_with_a_reason_and_the_old_value_stays(window, qtbot):
    tab = window.section_tabs[SECTION]
    index = cell(tab, LABEL, 2026, "plan")
    type_into(qtbot, tab.table, index, "abc")
    assert index.data() == "997人"
    assert "「abc」は数値として読めません" in window.last_message
    assert window.message_bar.isVisible()
    assert window.undo_stack.count() == 0
    assert not window.isWindowModified()


def test_wrong_unit_is_refused_through_the_model(window):
    model = window.section_tabs[SECTION].table_model
    index = model.index_of(FigureRef(SECTION, LABEL, 2026, "plan"))
    assert model.setData(index, "5か所") is False
    assert "単位「か所」" in window.last_message
    assert index.data() == "997人"


def test_delete_clears_the_selection_as_one_step(window, qtbot):
    tab = window.section_tabs[SECTION]
    view = tab.table
    first, last = cell(tab, LABEL, 2026, "plan"), cell(tab, LABEL, 2027, "plan")
    view.setFocus()
    view.setCurrentIndex(first)
    view.selectionModel().select(
        tab.table_model.index(first.row(), first.column()), view.selectionModel().SelectionFlag.Select
    )
    view.selectionModel().select(last, view.selectionModel().SelectionFlag.Select)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert first.data() == "" and last.data() == ""
    assert window.undo_stack.count() == 1
    window.menu_actions.undo.trigger()
    assert (first.data(), last.data()) == ("997人", "1,000人")


def test_undo_and_redo_of_a_typed_edit(window, qtbot):
    tab = window.section_tabs[SECTION]
    index = cell(tab, LABEL, 2028, "plan")
    type_into(qtbot, tab.table, index, "1500")
    assert index.data() == "1,500人"
    assert window.isWindowModified()
    window.menu_actions.undo.trigger()
    assert index.data() == "1,002人"
    assert not window.isWindowModified()
    window.menu_actions.redo.trigger()
    assert index.data() == "1,500人"
    assert window.isWindowModified()


def test_derived_cells_are_read_only(window):
    model = window.forecast_tab.forecast_model
    from kawasaki_planner.core.plan import forecast_ref

    index = model.index_of(forecast_ref("placed", 2026))
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(index, "1") is False
    assert index.data() == "345"


def test_editing_does_not_raise_into_qt_for_unknown_cells(window):
    model = window.section_tabs[SECTION].table_model
    assert model.setData(model.index(0, 0), "x") is False
    assert model.setData(model.index(0, 1), "1", Qt.ItemDataRole.DisplayRole) is False
