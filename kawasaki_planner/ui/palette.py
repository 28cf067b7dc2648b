"""Colours the tables and charts share: evaluation levels, derived cells, series."""

from PySide6.QtGui import QColor

from ..core.evaluation import Status

STATUS_COLORS = {
    Status.FAR_ABOVE: QColor("#6cc07a"),
    Status.ABOVE: QColor("#b9e2ae"),
    Status.MET: QColor("#eef4c4"),
    Status.BELOW: QColor("#ffd08a"),
    Status.FAR_BELOW: QColor("#f29a9a"),
    Status.NOT_RATED: QColor("#dcdcdc"),
}
DERIVED_BACKGROUND = QColor("#eceff3")
DERIVED_FOREGROUND = QColor("#3c4a5c")
STORED_DIFFERS_BACKGROUND = QColor("#ffe0b2")
# A figure with a plausibility finding: its text and the corner mark. Dark enough to read (contrast ≥ 4.5)
# on every background above, evaluation colours included, and unlike the black or grey-blue of other cells.
WARNING_COLOR = QColor("#8b0000")

PLAN_COLOR = "#1f5fa8"
ACTUAL_COLOR = "#d0481f"
POPULATION_COLOR = "#1f5fa8"
PLACED_COLOR = "#d0481f"
AGE_COLORS = ("#7fb3e0", "#f2b06b", "#8cc68c")
ELIGIBLE_COLOR = "#6d5fb3"
