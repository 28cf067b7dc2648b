"""A workbook holding what a save cannot keep (a chart, say): said at open, asked once before the first overwrite."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference
from PySide6.QtWidgets import QMessageBox

from kawasaki_planner.core.plan import FigureRef
from kawasaki_planner.ui import dialogs
from kawasaki_planner.ui import strings as S

from .conftest import SAMPLE_WORKBOOK

REF = FigureRef(2, "意見表明支援を利用可能な児童数", 2025, "actual")
REAL_ASK = dialogs.ask_save_dropping  # conftest replaces it in every test


@pytest.fixture
def chart_path(tmp_path):
    path = tmp_path / "グラフ入り.xlsx"
    book = load_workbook(SAMPLE_WORKBOOK)
    sheet = next(ws for ws in book.worksheets if ws.title.startswith("5 "))
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=4, min_row=6, max_col=9, max_row=6))
    sheet.add_chart(chart, "R3")
    book.save(path)
    return path


def test_the_chart_is_named_at_open_and_asked_about_once_before_overwriting(window, chart_path, dialog_log):
    assert window.load(chart_path)
    assert "グラフ" in window.last_message and "保存されません" in window.last_message
    before = chart_path.read_bytes()
    assert window.document.set_figure(REF, "990人", "edit")
    dialog_log.drop_answer = False
    assert not window.save()
    assert chart_path.read_bytes() == before and window.document.modified
    assert len(dialog_log.drop_asked) == 1 and "グラフ" in dialog_log.drop_asked[0]
    dialog_log.drop_answer = True
    assert window.save()
    assert chart_path.read_bytes() != before and not window.document.modified
    assert window.document.set_figure(REF, "991人", "edit")
    assert window.save()
    assert len(dialog_log.drop_asked) == 2  # the second save does not ask again


def test_the_question_reads_in_japanese_and_defaults_to_cancel(qapp, monkeypatch):
    shown = []

    def exec_(box):
        shown.append((box.windowTitle(), box.text(), box.informativeText(), [b.text() for b in box.buttons()],
                      box.defaultButton().text()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    assert REAL_ASK(None, "このブックには グラフ が含まれています") is False
    title, text, info, buttons, default = shown[0]
    assert title == S.UNKEPT_TITLE and "グラフ" in text and "名前を付けて保存" in info
    assert set(buttons) == {S.BTN_OVERWRITE, S.BTN_CANCEL} and default == S.BTN_CANCEL
