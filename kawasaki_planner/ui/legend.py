"""Colour legends shown under the tables."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ..core.evaluation import Status
from . import strings as S
from .palette import DERIVED_BACKGROUND, STATUS_COLORS, STORED_DIFFERS_BACKGROUND


def _chip(color: QColor, text: str, tooltip: str = "") -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(
        f"QLabel {{ background: {color.name()}; color: #000; border: 1px solid #999; padding: 1px 6px; }}"
    )
    label.setToolTip(tooltip or text)
    return label


def _row(title: str, chips: list[QLabel]) -> QWidget:
    widget = QWidget()
    layout = QHBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    if title:
        layout.addWidget(QLabel(title))
    for chip in chips:
        layout.addWidget(chip)
    layout.addStretch(1)
    return widget


def status_legend() -> QWidget:
    """The 5-level scale and 評価不能, as the actual cells are coloured."""
    order = [*sorted(s for s in Status if s), Status.NOT_RATED]
    return _row(S.LEGEND_TITLE, [_chip(STATUS_COLORS[s], s.label) for s in order])


def forecast_legend() -> QWidget:
    return _row(
        "",
        [
            _chip(QColor("white"), S.LEGEND_INPUT),
            _chip(DERIVED_BACKGROUND, S.LEGEND_DERIVED, S.DERIVED_TOOLTIP),
            _chip(STORED_DIFFERS_BACKGROUND, S.LEGEND_STORED_DIFFERS),
        ],
    )
