"""ファイル → 報告書を出力…: the year, PDF or Excel, where to; a print preview of the very pages the PDF gets.

The preview paints the report onto the QPrinter with the code that writes the PDF (ui/report/pdf.py), so what the
planner checks on screen is what the council receives. A file that cannot be written is said in Japanese.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.evaluation import DEFAULT_THRESHOLDS, Thresholds
from ...core.evaluation_report import REPORT_NAME, EvaluationReport, build_report, overwrites_plan, report_format
from ...core.fiscal import era_label, year_label
from ...core.plan import Plan
from ...core.plan_evaluation import latest_year_with_actuals
from .. import dialogs
from . import strings as R

FORMATS = (("pdf", R.FORMAT_PDF, ".pdf", R.FILTER_PDF), ("xlsx", R.FORMAT_XLSX, ".xlsx", R.FILTER_XLSX))


def ask_report_path(parent: QWidget, suggested: str, file_filter: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, R.SAVE_DIALOG, suggested, file_filter)
    return path or None


def suggested_name(plan: Plan, year: int, suffix: str) -> str:
    """「R7年度点検・評価結果報告書.pdf」."""
    return f"{era_label(year)}{REPORT_NAME}{suffix}"


class ReportDialog(QDialog):
    """Public for tests: ``year_box``, ``format_box``, ``path_edit``, ``write()``, ``paint_preview(printer)``;
    ``written`` is the path of the file written (None until one is)."""

    def __init__(self, plan: Plan, thresholds: Thresholds = DEFAULT_THRESHOLDS, folder: str | Path = "",
                 parent: QWidget | None = None, plan_path: Path | None = None) -> None:
        super().__init__(parent)
        self.plan_path = plan_path  # the plan's own workbook, never to be written over by its report
        self.setWindowTitle(R.DIALOG_TITLE)
        self.plan = plan
        self.thresholds = thresholds
        self.folder = Path(folder) if folder else Path.home()
        self.written: Path | None = None
        self.pages = 0
        self._suggested = ""
        latest = latest_year_with_actuals(plan)
        self.year_box = QComboBox(self)
        for year in plan.years:
            text = R.YEAR_LATEST if year == latest else R.YEAR_ITEM
            self.year_box.addItem(text.format(label=year_label(year)), year)
        default = latest if latest in plan.years else plan.years[-1] if plan.years else None
        if default is not None:
            self.year_box.setCurrentIndex(plan.years.index(default))
        self.format_box = QComboBox(self)
        for key, label, _suffix, _filter in FORMATS:
            self.format_box.addItem(label, key)
        self.path_edit = QLineEdit(self)
        browse = QPushButton(R.BROWSE, self)
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(R.LABEL_YEAR, self.year_box)
        form.addRow(R.LABEL_FORMAT, self.format_box)
        form.addRow(R.LABEL_PATH, path_row)
        buttons = QDialogButtonBox(self)
        self.preview_button = buttons.addButton(R.PREVIEW, QDialogButtonBox.ButtonRole.ActionRole)
        self.write_button = buttons.addButton(R.WRITE, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(R.CANCEL, QDialogButtonBox.ButtonRole.RejectRole)
        self.preview_button.clicked.connect(self.preview)
        self.write_button.clicked.connect(self.write)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.year_box.currentIndexChanged.connect(self._suggest_path)
        self.format_box.currentIndexChanged.connect(self._suggest_path)
        self.write_button.setEnabled(bool(plan.years))
        self.preview_button.setEnabled(bool(plan.years))
        self._suggest_path()
        self.resize(560, self.sizeHint().height())

    # --- choices ---------------------------------------------------------------------------------------------
    @property
    def year(self) -> int | None:
        return self.year_box.currentData()

    @property
    def format(self) -> str:
        return self.format_box.currentData()

    def _suffix(self) -> str:
        return next(suffix for key, _, suffix, _ in FORMATS if key == self.format)

    def _suggest_path(self, *_args) -> None:
        """The suggested name follows the year and format; a name of the planner's own keeps, with the format's
        extension."""
        if self.year is None:
            return
        text = self.path_edit.text()
        if text and text != self._suggested:
            path = Path(text)
            if report_format(path.name) not in (None, self.format):
                self.path_edit.setText(str(path.with_suffix(self._suffix())))
            return
        folder = Path(text).parent if text else self.folder
        self._suggested = str(folder / suggested_name(self.plan, self.year, self._suffix()))
        self.path_edit.setText(self._suggested)

    def browse(self) -> None:
        file_filter = next(f for key, _, _, f in FORMATS if key == self.format)
        path = ask_report_path(self, self.path_edit.text(), file_filter)
        if path:
            self.path_edit.setText(path)

    def target(self) -> Path | None:
        """The path to write, its extension made the chosen format's."""
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text)
        return path if report_format(path.name) == self.format else path.with_name(path.name + self._suffix())

    def report(self) -> EvaluationReport:
        return build_report(self.plan, self.year, self.thresholds)

    # --- output ----------------------------------------------------------------------------------------------
    def write(self) -> bool:
        """Write the report where the dialog says; a failure is shown in Japanese and the dialog stays open."""
        from ...io.errors import PlanFormatError

        path = self.target()
        if path is None or self.year is None:
            dialogs.show_error(self, R.WRITE_FAILED_TITLE, R.NO_PATH)
            return False
        if overwrites_plan(str(path), str(self.plan_path) if self.plan_path else None):
            dialogs.show_error(self, R.WRITE_FAILED_TITLE, R.IS_THE_PLAN.format(name=path.name))
            return False
        try:
            self._write(path)
        except (PlanFormatError, OSError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            dialogs.show_error(self, R.WRITE_FAILED_TITLE, R.WRITE_FAILED.format(name=path.name, reason=reason))
            return False
        self.written = path
        self.accept()
        return True

    def _write(self, path: Path) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a plan of 600 indicators takes a second or two
        try:
            if self.format == "xlsx":
                from ...io.report_xlsx import write_report_xlsx

                write_report_xlsx(self.report(), path)
            else:
                from .pdf import write_report_pdf

                self.pages = write_report_pdf(self.report(), path)
        finally:
            QApplication.restoreOverrideCursor()

    def written_message(self) -> str:
        return R.WRITTEN.format(name=self.written.name) if self.written is not None else ""

    def preview(self) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        # The preview does not own its printer: it is kept here until the preview is gone (a printer collected
        # while its preview lives would crash the app).
        self._printer = report_printer()
        preview = QPrintPreviewDialog(self._printer, self)
        preview.setWindowTitle(R.DIALOG_TITLE)
        preview.paintRequested.connect(self.paint_preview)
        preview.resize(1100, 800)
        try:
            preview.exec()
        finally:
            preview.paintRequested.disconnect(self.paint_preview)
            preview.setParent(None)
            del preview  # destroyed now, before its printer

    def paint_preview(self, printer) -> int:
        """Paint the report onto ``printer`` with the PDF's own painter code; returns the page count."""
        from PySide6.QtGui import QPainter

        from .pdf import layout_report, paint_pages

        report = self.report()
        pages = layout_report(report)
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        try:
            paint_pages(painter, printer, report, pages)
        finally:
            painter.end()
        return len(pages)


def report_printer():
    """A printer set up as the PDF's page: A4 landscape, the whole sheet (the report draws its own margins)."""
    from PySide6.QtPrintSupport import QPrinter

    from .pdf import a4_landscape

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    printer.setPageLayout(a4_landscape())
    return printer
