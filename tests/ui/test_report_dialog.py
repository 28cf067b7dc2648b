"""ファイル → 報告書を出力…: the dialog writes the PDF or the workbook, the preview paints the same pages, and a
file that cannot be written is told in Japanese."""

from __future__ import annotations

import openpyxl
import pytest

from kawasaki_planner.ui.report import dialog as report_dialog
from kawasaki_planner.ui.report.dialog import ReportDialog, report_printer
from tests.report_cases import YEAR, enter_r7


@pytest.fixture
def dialog(window, qtbot, tmp_path):
    enter_r7(window.plan)
    dialog = ReportDialog(window.plan, window.settings.thresholds(), tmp_path, window)
    qtbot.addWidget(dialog)
    return dialog


def test_the_menu_offers_the_report(window):
    file_menu = window.menuBar().actions()[0].menu()
    assert window.menu_actions.report in file_menu.actions()
    assert window.menu_actions.report.text() == "報告書を出力(&R)..."


def test_the_latest_year_with_actuals_is_chosen_and_the_name_follows(dialog, tmp_path):
    assert dialog.year == YEAR
    assert dialog.target() == tmp_path / "R7年度点検・評価結果報告書.pdf"
    dialog.format_box.setCurrentIndex(1)
    assert dialog.target() == tmp_path / "R7年度点検・評価結果報告書.xlsx"


def test_a_name_of_the_planners_own_keeps_and_takes_the_formats_extension(dialog, tmp_path):
    dialog.path_edit.setText(str(tmp_path / "council.pdf"))
    dialog.format_box.setCurrentIndex(1)
    assert dialog.target() == tmp_path / "council.xlsx"
    dialog.year_box.setCurrentIndex(0)
    assert dialog.target() == tmp_path / "council.xlsx"


def test_the_dialog_writes_a_pdf(dialog, tmp_path):
    assert dialog.write()
    assert dialog.written == tmp_path / "R7年度点検・評価結果報告書.pdf"
    assert dialog.written.read_bytes().startswith(b"%PDF-") and dialog.pages >= 10


def test_the_dialog_writes_the_workbook_where_the_file_dialog_says(dialog, tmp_path, monkeypatch):
    chosen = tmp_path / "評価"  # typed without an extension
    monkeypatch.setattr(report_dialog, "ask_report_path", lambda parent, suggested, file_filter: str(chosen))
    dialog.format_box.setCurrentIndex(1)
    dialog.browse()
    assert dialog.write()
    assert dialog.written == tmp_path / "評価.xlsx"
    rows = openpyxl.load_workbook(dialog.written)["評価結果"]
    assert rows["A1"].value == "R7年度 (2025) 点検・評価結果報告書"


def test_a_file_that_cannot_be_written_is_said_in_japanese(dialog, dialog_log, tmp_path):
    dialog.path_edit.setText(str(tmp_path / "ないフォルダー" / "報告書.pdf"))
    assert not dialog.write()
    assert dialog.written is None and dialog.result() == 0  # not accepted: the dialog stays for another path
    assert len(dialog_log.errors) == 1 and "「報告書.pdf」に書き込めませんでした" in dialog_log.errors[0]
    assert "Traceback" not in dialog_log.errors[0]


def test_the_preview_paints_the_pages_of_the_pdf(dialog, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    assert dialog.write()
    printer = report_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "preview.pdf"))
    assert dialog.paint_preview(printer) == dialog.pages
    layout = printer.pageLayout()
    assert layout.orientation() == layout.Orientation.Landscape
    assert round(layout.fullRect(layout.Unit.Millimeter).width()) == 297


def test_the_window_shows_where_the_report_went(window, monkeypatch, tmp_path):
    def write_and_close(self):
        self.path_edit.setText(str(tmp_path / "r.xlsx"))
        self.format_box.setCurrentIndex(1)
        self.write()
        return 1

    monkeypatch.setattr(ReportDialog, "exec", write_and_close)
    window.menu_actions.report.trigger()
    assert (tmp_path / "r.xlsx").is_file()
    assert "r.xlsx" in window.statusBar().currentMessage()


def test_the_print_preview_shows_every_page_of_the_report(dialog, monkeypatch, qtbot):
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    from kawasaki_planner.ui.report.pdf import layout_report

    shown = []

    def show_instead_of_exec(preview):  # a modal exec would wait for a person
        preview.show()
        widget = preview.findChild(QPrintPreviewWidget)
        qtbot.waitUntil(lambda: widget.pageCount() > 0)
        shown.append((widget.pageCount(), widget.orientation()))
        preview.close()
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", show_instead_of_exec)
    dialog.preview()
    dialog.preview()  # a second preview after the first is gone: its printer is still there
    pages = len(layout_report(dialog.report()))
    assert shown == [(pages, shown[0][1])] * 2 and shown[0][1].name == "Landscape"


def test_the_dialog_never_writes_over_the_open_plan(window, qtbot, tmp_path, dialog_log, sample_path):
    dialog = ReportDialog(window.plan, window.settings.thresholds(), tmp_path, window, plan_path=sample_path)
    qtbot.addWidget(dialog)
    before = sample_path.read_bytes()
    dialog.format_box.setCurrentIndex(1)
    dialog.path_edit.setText(str(sample_path))
    assert not dialog.write()
    assert sample_path.read_bytes() == before and "計画ブックそのもの" in dialog_log.errors[0]
