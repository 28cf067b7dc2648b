"""The tab of a section that is text only (1 基本的な考え方).

It lives apart from the indicator tabs so that the first tab a plan opens on can be
shown without loading the charting library.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..core.evaluation import Thresholds
from ..core.plan import Section
from .document import PlanDocument
from .text_views import narrative_view


class NarrativeTab(QWidget):
    """A section that is text only (1 基本的な考え方); its narrative follows the edits of its blocks."""

    table_model = None
    table_views: tuple = ()

    def __init__(self, document: PlanDocument, section: Section, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.section = section
        self.narrative = narrative_view(section, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.narrative)
        document.plan.changed.connect(self._on_changed)

    def detach(self) -> None:
        self.document.plan.changed.disconnect(self._on_changed)

    def set_thresholds(self, thresholds: Thresholds) -> None:
        pass

    def _on_changed(self, change) -> None:
        if change.plan_wide or self.section.number in change.sections:
            self.narrative.refresh()
