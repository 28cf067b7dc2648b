"""Plausibility in the window: warned cells are marked and say why; impossible entries are refused with the reason."""

from __future__ import annotations

from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLineEdit

from kawasaki_planner.core.evaluation import Status
from kawasaki_planner.core.plan import FigureRef, forecast_ref
from kawasaki_planner.ui import strings as S
from kawasaki_planner.ui.delegates import FigureDelegate, mark_size
from kawasaki_planner.ui.figure_model import WARNING_ROLE
from kawasaki_planner.ui.palette import DERIVED_BACKGROUND, DERIVED_FOREGROUND, STATUS_COLORS, STORED_DIFFERS_BACKGROUND, WARNING_COLOR

FOREGROUND, BACKGROUND, TOOLTIP = Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole
RATE_R7 = forecast_ref("rate", 2025)
RATE_R8 = forecast_ref("rate", 2026)  # computed from R7 and the growth rate
RATE_WARNING = "措置率 1.500% は 1% を超えています"
COUNT = FigureRef(2, "意見表明支援を利用可能な児童数", 2026, "plan")  # 997人
PERCENT_ACTUAL = FigureRef(6, "一時保護施設平均入所率", 2025, "actual")
SHARES = tuple(forecast_ref(f"share.{g}", None) for g in ("infant", "preschool", "school"))


def _multi(model, index, role):
    data = QModelRoleData(int(role))
    model.multiData(index, QModelRoleDataSpan(data))
    return data.data()


def _luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.red()) + 0.7152 * channel(color.green()) + 0.0722 * channel(color.blue())


def _contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_warning_colour_reads_on_every_cell_background():
    backgrounds = [QColor("white"), DERIVED_BACKGROUND, STORED_DIFFERS_BACKGROUND, *STATUS_COLORS.values()]
    assert all(_contrast(WARNING_COLOR, bg) >= 4.5 for bg in backgrounds), [bg.name() for bg in backgrounds]
    assert WARNING_COLOR not in (QColor("black"), DERIVED_FOREGROUND)


def test_a_rate_above_one_percent_is_accepted_marked_and_says_why(window):
    model = window.forecast_tab.forecast_model
    typed = model.index_of(RATE_R7)
    assert model.data(typed, FOREGROUND) is None and model.data(typed, WARNING_ROLE) is None
    assert model.data(typed, TOOLTIP) is None
    assert model.setData(typed, "1.500"), window.last_message
    assert model.data(typed) == "1.500%"
    assert model.data(typed, FOREGROUND) == WARNING_COLOR
    assert RATE_WARNING in model.data(typed, WARNING_ROLE)
    assert model.data(typed, TOOLTIP) == S.WARNING_LINE.format(message=RATE_WARNING + "(小数点の位置を確かめてください)")
    # multiData (what painting asks) answers as data() does.
    for role in (FOREGROUND, TOOLTIP, WARNING_ROLE, BACKGROUND):
        assert _multi(model, typed, role) == model.data(typed, role)


def test_a_warned_computed_cell_keeps_its_look_and_its_tooltip(window):
    model = window.forecast_tab.forecast_model
    derived = model.index_of(RATE_R8)
    assert model.data(derived, FOREGROUND) == DERIVED_FOREGROUND
    assert model.data(derived, BACKGROUND) == DERIVED_BACKGROUND
    assert model.setData(model.index_of(RATE_R7), "1.500")
    # Now it also differs from the 0.148 % printed in the workbook: that flag and its tooltip stay.
    assert model.data(derived, BACKGROUND) == STORED_DIFFERS_BACKGROUND
    assert model.data(derived, FOREGROUND) == WARNING_COLOR
    tooltip = model.data(derived, TOOLTIP).split("\n")
    assert tooltip[:2] == [S.DERIVED_TOOLTIP, S.STORED_DIFFERS.format(stored="0.148%", computed="1.541%")]
    assert tooltip[2:] == ["要確認: 措置率 1.541% は 1% を超えています(小数点の位置を確かめてください)"]


def test_undo_takes_the_mark_away(window):
    model = window.forecast_tab.forecast_model
    typed = model.index_of(RATE_R7)
    assert model.setData(typed, "1.500")
    window.menu_actions.undo.trigger()
    assert model.data(typed) == "0.144%"
    assert model.data(typed, FOREGROUND) is None and model.data(typed, TOOLTIP) is None


def test_a_warned_actual_keeps_its_evaluation_colour_and_tooltip(window):
    model = window.section_tabs[6].table_model
    index = model.index_of(PERCENT_ACTUAL)
    assert model.data(index, FOREGROUND) is None
    assert model.setData(index, "120%"), window.last_message  # above 100 %: a warning, not a refusal
    assert model.data(index, BACKGROUND) in STATUS_COLORS.values()  # the evaluation colour stays
    assert model.data(index, FOREGROUND) == WARNING_COLOR
    tooltip = model.data(index, TOOLTIP)
    lines = tooltip.split("\n")
    assert lines[0].startswith("R7年度") and any(status.label in lines[0] for status in Status)  # the evaluation …
    assert lines[-1] == "要確認: 120% は 100% を超えています"  # … and why the figure is doubtful
    for role in (FOREGROUND, BACKGROUND, TOOLTIP, WARNING_ROLE):
        assert _multi(model, index, role) == model.data(index, role), role
    # Its target in the same year is not marked.
    target = model.index_of(FigureRef(6, "一時保護施設平均入所率", 2025, "plan"))
    assert model.data(target, FOREGROUND) is None and _multi(model, target, FOREGROUND) is None
    assert model.data(target, WARNING_ROLE) is None


def _pixel(view, index, dx, dy) -> QColor:
    view.scrollTo(index)
    rect = view.visualRect(index)
    assert rect.isValid() and not rect.isEmpty()
    image = view.viewport().grab().toImage()
    return image.pixelColor(rect.left() + dx, rect.top() + dy)


def test_the_delegate_paints_a_corner_mark_on_warned_cells_only(window, qtbot):
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(tab.forecast_table.isVisible)
    view, model = tab.forecast_table, tab.forecast_model
    typed, population = model.index_of(RATE_R7), model.index_of(forecast_ref("population", 2025))
    assert _pixel(view, typed, 1, 1) != WARNING_COLOR
    assert model.setData(typed, "1.500")
    qtbot.wait(1)
    inside = mark_size(view.fontMetrics().height()) // 3
    assert _pixel(view, typed, inside, inside) == WARNING_COLOR
    assert _pixel(view, population, inside, inside) != WARNING_COLOR
    assert isinstance(view.itemDelegate(), FigureDelegate)


def test_shares_not_adding_up_mark_all_three_and_each_is_repainted(window, qtbot):
    model = window.forecast_tab.share_model
    indexes = [model.index_of(ref) for ref in SHARES]
    assert all(model.data(i, FOREGROUND) is None for i in indexes)
    heard = set()
    model.dataChanged.connect(lambda a, b, roles=(): heard.update(range(a.row(), b.row() + 1)))
    assert model.setData(indexes[0], "10%")  # 10 + 14.1 + 76.5 = 100.6 %
    assert heard == {0, 1, 2}
    for index in indexes:
        assert model.data(index, FOREGROUND) == WARNING_COLOR
        assert "年齢構成比の合計が 100.6% で、100% になりません" in model.data(index, TOOLTIP)
    heard.clear()
    window.menu_actions.undo.trigger()
    assert heard == {0, 1, 2}
    assert all(model.data(i, FOREGROUND) is None and model.data(i, TOOLTIP) is None for i in indexes)


def test_a_negative_count_is_refused_with_the_reason_and_the_old_value_stays(window):
    model = window.section_tabs[2].table_model
    index = model.index_of(COUNT)
    assert model.setData(index, "-5") is False
    assert window.last_message == S.REFUSED.format(reason="-5人 は負の値です(人数・件数などは 0 以上です)")
    assert window.message_bar.isVisible()
    assert index.data() == "997人"
    assert window.plan.figure(COUNT).text == "997人"
    assert window.undo_stack.count() == 0
    assert not window.isWindowModified()


def test_the_cell_editor_hands_refused_values_to_the_same_path(window):
    model = window.section_tabs[2].table_model
    index = model.index_of(COUNT)
    editor = QLineEdit()
    editor.setText("2.5")
    FigureDelegate().setModelData(editor, model, index)
    assert "2.5人 は整数ではありません" in window.last_message
    assert index.data() == "997人"
    editor.setText("1234567890123456")
    FigureDelegate().setModelData(editor, model, index)
    assert "有効桁数が15桁を超えるため Excel に正確に保存できません" in window.last_message
    assert window.undo_stack.count() == 0


def test_an_impossible_growth_rate_is_refused_in_the_forecast_table(window):
    model = window.forecast_tab.forecast_model
    index = model.index_of(forecast_ref("growth", 2027))
    assert model.setData(index, "-100%") is False
    assert "措置率増加率 -100% では措置率が 0 以下になります" in window.last_message
    assert index.data() == "2.7%"
