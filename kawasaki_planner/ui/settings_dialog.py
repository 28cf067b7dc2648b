"""The 評価基準の設定 dialog: the four thresholds of the 5-level evaluation, in percent."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel, QPushButton, QVBoxLayout

from ..core.evaluation import DEFAULT_THRESHOLDS, ThresholdError, Thresholds
from . import strings as S
from .settings import threshold_percents


class ThresholdDialog(QDialog):
    def __init__(self, thresholds: Thresholds, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(S.SETTINGS_TITLE)
        intro = QLabel(S.SETTINGS_INTRO)
        intro.setWordWrap(True)
        self.spins = []
        form = QFormLayout()
        for label in (S.SETTINGS_FAR_ABOVE, S.SETTINGS_ABOVE, S.SETTINGS_MET, S.SETTINGS_BELOW):
            spin = QDoubleSpinBox(self)
            spin.setRange(0.1, 1000.0)
            spin.setDecimals(1)
            spin.setSuffix(" %")
            form.addRow(label, spin)
            self.spins.append(spin)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        defaults = QPushButton(S.SETTINGS_DEFAULTS, self)
        defaults.clicked.connect(lambda: self.set_thresholds(DEFAULT_THRESHOLDS))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(defaults)
        layout.addWidget(buttons)
        self.set_thresholds(thresholds)

    def set_thresholds(self, thresholds: Thresholds) -> None:
        for spin, value in zip(self.spins, threshold_percents(thresholds), strict=True):
            spin.setValue(value)

    def thresholds(self) -> Thresholds:
        """The thresholds entered; raises ThresholdError (Japanese) when they are out of order."""
        return Thresholds(*(Decimal(str(round(spin.value(), 1))) / 100 for spin in self.spins))

    def accept(self) -> None:
        try:
            self.thresholds()
        except ThresholdError as error:
            self.error.setText(str(error))
            return
        super().accept()
