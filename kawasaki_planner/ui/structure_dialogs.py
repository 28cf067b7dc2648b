"""The questions and input dialogs of structure edits, in one place (tests replace the ``ask_*`` functions).

``ask_new_indicator(parent, section_name)``          -> (label, unit, Direction) or None
``ask_indicator_label(parent, label)``               -> str or None
``ask_indicator_unit(parent, unit, print_unit)``     -> (unit, print unit) or None
``ask_direction(parent, direction)``                 -> Direction or None
``ask_status_row(parent, title, item, description)`` -> (item, description) or None
``ask_block(parent, title, heading, text)``          -> (heading, text) or None   (a plain-text editor: line breaks kept)
``ask_new_section(parent, offered)``                 -> (number or None, title, short title) or None
``ask_section_title(parent, title, short_title)``    -> (title, short title) or None
``ask_years(parent, years, first_forecast_year)``    -> the new years, or None
``confirm_removal(parent, text, info)``              -> True to go on   (removing what something else depends on)

Each ``*_dialog`` function builds its dialog without showing it (for screenshots); ``ask_*`` runs it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..core.fiscal import year_label
from ..core.plan import DIRECTION_LABELS, Direction
from . import structure_strings as T

# The input dialogs a test answers in turn (DialogLog.answer); confirm_removal is answered yes or no.
ASK_FUNCTIONS = ("ask_new_indicator", "ask_indicator_label", "ask_indicator_unit", "ask_direction", "ask_status_row",
                 "ask_block", "ask_new_section", "ask_section_title", "ask_years")
FIRST_OFFERED_YEAR = 2019  # R1: the years a plan period may start from
LAST_OFFERED_YEAR = 2040  # R22


class FormDialog(QDialog):
    """A titled form with OK / キャンセル; OK is enabled while ``valid()`` says so."""

    def __init__(self, parent: QWidget | None, title: str, info: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        if info:
            label = QLabel(info)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(T.BTN_OK)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(T.BTN_CANCEL)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def line(self, label: str, text: str = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setPlaceholderText(placeholder)
        edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("あ") * 28)
        edit.textChanged.connect(self.update_ok)
        self.form.addRow(label, edit)
        return edit

    def valid(self) -> bool:
        return True

    def update_ok(self, *_args) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.valid())


def direction_combo(parent: QWidget, direction: Direction) -> QComboBox:
    combo = QComboBox(parent)
    for value, label in DIRECTION_LABELS.items():
        combo.addItem(label, value)
    combo.setCurrentIndex(combo.findData(direction))
    return combo


# --- indicators ---------------------------------------------------------------------------------------------------

class IndicatorDialog(FormDialog):
    """An indicator's label, unit and direction, each asked when given; with ``print_unit`` (not None) also
    whether its figures print the unit after the number (「7か所」 or 「7」)."""

    def __init__(self, parent, title: str, label: str | None = "", unit: str | None = "", direction: Direction | None = None,
                 print_unit: bool | None = None):
        super().__init__(parent, title, T.CHANGE_UNIT_INFO if label is None and direction is None else "")
        self.label = self.line(T.INDICATOR_LABEL, label) if label is not None else None
        self.unit = self.line(T.INDICATOR_UNIT, unit, T.INDICATOR_UNIT_HINT) if unit is not None else None
        self.print_unit = None
        if print_unit is not None:
            self.print_unit = QCheckBox(T.INDICATOR_PRINT_UNIT, self)
            self.print_unit.setChecked(print_unit)
            self.form.addRow(self.print_unit)
            # A row without a unit has nothing to print.
            self.unit.textChanged.connect(lambda text: self.print_unit.setEnabled(bool(text.strip())))
            self.print_unit.setEnabled(bool(unit.strip()))
        self.direction = None
        if direction is not None:
            self.direction = direction_combo(self, direction)
            self.form.addRow(T.INDICATOR_DIRECTION, self.direction)
        self.update_ok()

    def valid(self) -> bool:
        return self.label is None or bool(self.label.text().strip())


def new_indicator_dialog(parent, section_name: str) -> IndicatorDialog:
    return IndicatorDialog(parent, T.ADD_INDICATOR_TITLE.format(section=section_name), "", "", Direction.HIGHER)


def ask_new_indicator(parent, section_name: str) -> tuple[str, str, Direction] | None:
    dialog = new_indicator_dialog(parent, section_name)
    if not dialog.exec():
        return None
    return dialog.label.text().strip(), dialog.unit.text().strip(), dialog.direction.currentData()


def ask_indicator_label(parent, label: str) -> str | None:
    dialog = IndicatorDialog(parent, T.RENAME_INDICATOR_TITLE, label, None)
    return dialog.label.text().strip() if dialog.exec() else None


def unit_dialog(parent, unit: str, print_unit: bool) -> IndicatorDialog:
    return IndicatorDialog(parent, T.CHANGE_UNIT_TITLE, None, unit, None, print_unit)


def ask_indicator_unit(parent, unit: str, print_unit: bool = True) -> tuple[str, bool] | None:
    dialog = unit_dialog(parent, unit, print_unit)
    if not dialog.exec():
        return None
    return dialog.unit.text().strip(), dialog.print_unit.isChecked()


def ask_direction(parent, direction: Direction) -> Direction | None:
    dialog = IndicatorDialog(parent, T.CHANGE_DIRECTION_TITLE, None, None, direction)
    return dialog.direction.currentData() if dialog.exec() else None


# --- status rows and narrative blocks ------------------------------------------------------------------------------

class TextPairDialog(FormDialog):
    """A one-line name (項目, 見出し) and a text of several lines, edited as plain text: line breaks stay."""

    def __init__(self, parent, title: str, first_label: str, first: str, second_label: str, second: str, need_one: bool):
        super().__init__(parent, title)
        self.first = self.line(first_label, first)
        self.second = QPlainTextEdit(self)
        self.second.setPlainText(second)
        self.second.setTabChangesFocus(True)
        metrics = self.second.fontMetrics()
        self.second.setMinimumSize(metrics.horizontalAdvance("あ") * 36, metrics.lineSpacing() * 12)
        self.second.textChanged.connect(self.update_ok)
        self.form.addRow(QLabel(second_label))
        self.form.addRow(self.second)
        self._need_one = need_one
        self.update_ok()

    def valid(self) -> bool:
        return not self._need_one or bool(self.first.text().strip() or self.second.toPlainText().strip())

    def texts(self) -> tuple[str, str]:
        # The text as typed, line breaks and all; only the one-line name loses stray spaces at its ends.
        return self.first.text().strip(), self.second.toPlainText()


def status_row_dialog(parent, title: str, item: str, description: str) -> TextPairDialog:
    return TextPairDialog(parent, title, T.STATUS_ITEM, item, T.STATUS_DESCRIPTION, description, True)


def ask_status_row(parent, title: str, item: str = "", description: str = "") -> tuple[str, str] | None:
    dialog = status_row_dialog(parent, title, item, description)
    return dialog.texts() if dialog.exec() else None


def block_dialog(parent, title: str, heading: str, text: str) -> TextPairDialog:
    return TextPairDialog(parent, title, T.BLOCK_HEADING, heading, T.BLOCK_TEXT, text, True)


def ask_block(parent, title: str, heading: str = "", text: str = "") -> tuple[str, str] | None:
    dialog = block_dialog(parent, title, heading, text)
    return dialog.texts() if dialog.exec() else None


# --- sections ----------------------------------------------------------------------------------------------------

class SectionDialog(FormDialog):
    """A 策定要領 item the plan lacks (by its official title), or a section of the planner's own."""

    def __init__(self, parent, offered: list[tuple[int, str, str]]) -> None:
        super().__init__(parent, T.ADD_SECTION_TITLE)
        self.offered = offered
        self.guideline = QRadioButton(T.ADD_SECTION_GUIDELINE, self)
        self.items = QComboBox(self)
        for number, title, short in offered:
            self.items.addItem(title, (number, title, short))
        self.own = QRadioButton(T.ADD_SECTION_OWN, self)
        group = QButtonGroup(self)
        group.addButton(self.guideline)
        group.addButton(self.own)
        self.form.addRow(self.guideline)
        self.form.addRow(self.items)
        if not offered:
            self.form.addRow(QLabel(T.ADD_SECTION_NONE_LEFT))
        self.form.addRow(self.own)
        self.title = self.line(T.ADD_SECTION_OWN_TITLE)
        self.short = self.line(T.SECTION_SHORT)
        self.guideline.setEnabled(bool(offered))
        self.items.setEnabled(bool(offered))
        (self.guideline if offered else self.own).setChecked(True)
        self.guideline.toggled.connect(self._on_choice)
        self._on_choice()

    def _on_choice(self, *_args) -> None:
        by_guideline = self.guideline.isChecked()
        self.items.setEnabled(by_guideline)
        self.title.setEnabled(not by_guideline)
        self.short.setEnabled(not by_guideline)
        self.update_ok()

    def valid(self) -> bool:
        if getattr(self, "short", None) is None:  # still being built
            return False
        return self.guideline.isChecked() or bool(self.title.text().strip())

    def answer(self) -> tuple[int | None, str, str]:
        if self.guideline.isChecked():
            return self.items.currentData()
        title = self.title.text().strip()
        return None, title, self.short.text().strip() or title


def new_section_dialog(parent, offered: list[tuple[int, str, str]]) -> SectionDialog:
    return SectionDialog(parent, offered)


def ask_new_section(parent, offered: list[tuple[int, str, str]]) -> tuple[int | None, str, str] | None:
    dialog = new_section_dialog(parent, offered)
    return dialog.answer() if dialog.exec() else None


class SectionTitleDialog(FormDialog):
    def __init__(self, parent, title: str, short_title: str) -> None:
        super().__init__(parent, T.RENAME_SECTION_TITLE)
        self.title = self.line(T.SECTION_TITLE, title)
        self.short = self.line(T.SECTION_SHORT, short_title)
        self.update_ok()

    def valid(self) -> bool:
        return bool(self.title.text().strip() and getattr(self, "short", None) is not None and self.short.text().strip())


def ask_section_title(parent, title: str, short_title: str) -> tuple[str, str] | None:
    dialog = SectionTitleDialog(parent, title, short_title)
    return (dialog.title.text().strip(), dialog.short.text().strip()) if dialog.exec() else None


# --- fiscal years ------------------------------------------------------------------------------------------------

class YearsDialog(FormDialog):
    """The plan period: its first and last fiscal year (the first forecast year stays inside)."""

    def __init__(self, parent, years: tuple[int, ...], first_forecast_year: int) -> None:
        super().__init__(parent, T.YEARS_TITLE, T.YEARS_INFO)
        self.first = QComboBox(self)
        self.last = QComboBox(self)
        for year in range(min(FIRST_OFFERED_YEAR, years[0]), first_forecast_year + 1):
            self.first.addItem(year_label(year), year)
        for year in range(first_forecast_year, max(LAST_OFFERED_YEAR, years[-1]) + 1):
            self.last.addItem(year_label(year), year)
        self.first.setCurrentIndex(self.first.findData(min(years[0], first_forecast_year)))
        self.last.setCurrentIndex(self.last.findData(max(years[-1], first_forecast_year)))
        self.form.addRow(T.YEARS_FIRST, self.first)
        self.form.addRow(T.YEARS_LAST, self.last)
        self.form.addRow(QLabel(T.YEARS_KEEP_FORECAST.format(year=year_label(first_forecast_year))))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(T.BTN_APPLY_YEARS)

    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first.currentData(), self.last.currentData() + 1))


def years_dialog(parent, years: tuple[int, ...], first_forecast_year: int) -> YearsDialog:
    return YearsDialog(parent, years, first_forecast_year)


def ask_years(parent, years: tuple[int, ...], first_forecast_year: int) -> tuple[int, ...] | None:
    dialog = years_dialog(parent, years, first_forecast_year)
    return dialog.years() if dialog.exec() else None


# --- questions -------------------------------------------------------------------------------------------------------

def removal_question(parent, text: str, info: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, T.CONFIRM_TITLE, text, parent=parent)
    box.setInformativeText(info)
    remove = box.addButton(T.BTN_REMOVE, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(T.BTN_CANCEL, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.remove_button = remove
    return box


def confirm_removal(parent, text: str, info: str) -> bool:
    """「…を削除しますか?」 with what follows from it: True to remove."""
    box = removal_question(parent, text, info)
    box.exec()
    return box.clickedButton() is box.remove_button
