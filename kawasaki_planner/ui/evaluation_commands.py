"""Undo commands for the evaluation texts: each edit of a text, a 総合評価 or a period summary is one step."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ..core.evaluation_texts import TEXT_FIELD_LABELS, IndicatorTexts, SummaryChoice
from ..core.fiscal import era_label
from ..core.plan import Plan
from . import evaluation_strings as E


class _SetCommand(QUndoCommand):
    """Set one stored value to ``new``; undo sets it back to ``old``. ``done`` is called after every redo/undo."""

    def __init__(self, store: Callable[[object], None], old, new, text: str, done: Callable[[list], None] | None) -> None:
        super().__init__(text)
        self._store, self.old, self.new, self._done = store, old, new, done

    def redo(self) -> None:
        self._store(self.new)
        if self._done:
            self._done([])

    def undo(self) -> None:
        self._store(self.old)
        if self._done:
            self._done([])


def _short(label: str) -> str:
    return label if len(label) <= 20 else label[:20] + "…"


def set_indicator_texts(plan: Plan, section: int, id: str, year: int, texts: IndicatorTexts, field: str | None = None,
                        done=None) -> QUndoCommand:
    """The three texts of one indicator and year; ``field`` names the one edited (for the 編集 menu's text)."""
    label = plan.section(section).indicator(id).label
    what = TEXT_FIELD_LABELS.get(field or "", "点検・評価")
    text = E.CMD_INDICATOR.format(label=_short(label), year=era_label(year), field=what)
    return _SetCommand(lambda value: plan.set_indicator_texts(section, id, year, value),
                       plan.evaluation_texts.indicator(section, id, year), texts, text, done)


def set_section_text(plan: Plan, section: int, year: int, value: str, done=None) -> QUndoCommand:
    text = E.CMD_SECTION.format(number=section, year=era_label(year))
    return _SetCommand(lambda v: plan.set_section_text(section, year, v), plan.evaluation_texts.section(section, year),
                       value, text, done)


def set_summary(plan: Plan, section: int, id: str, choice: SummaryChoice | None, done=None) -> QUndoCommand:
    """A period summary chosen by hand (None: back to the suggested one). IV without a reason is refused before."""
    label = _short(plan.section(section).indicator(id).label)
    old = plan.evaluation_texts.summary(section, id)
    if old is not None and choice is not None and old.summary is choice.summary:
        text = E.CMD_SUMMARY_REASON.format(label=label)
    else:
        text = E.CMD_SUMMARY.format(label=label, choice=choice.summary.value if choice else E.SUMMARY_AS_SUGGESTED)
    return _SetCommand(lambda v: plan.set_summary(section, id, v), old, choice, text, done)
