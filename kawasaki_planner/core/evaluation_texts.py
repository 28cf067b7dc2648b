"""The planner's own words of the yearly 点検・評価, kept with the plan.

Per indicator and fiscal year the three texts of Kawasaki's 施策進行管理・評価表 (実績・取組状況, 要因分析, 今後の方向性);
per section and year a 総合評価; per indicator the period summary (I–IV) where the planner chose it by hand (without
a choice the summary is the one the final year suggests: core/plan_evaluation.py). Keys are identities (section
number, indicator id), never labels, so a reworded indicator keeps its texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum


class Summary(Enum):
    """The 4-level scale of a period's summary (計画期間の総括)."""

    ABOVE = "I"
    MET = "II"
    BELOW = "III"
    NOT_COMPARABLE = "IV"

    @property
    def label(self) -> str:
        return SUMMARY_LABELS[self]

    @classmethod
    def from_text(cls, text: str) -> Summary | None:
        """A summary written as its numeral (「III」, also full-width 「Ⅲ」) or its full label; None if neither."""
        import unicodedata

        head = unicodedata.normalize("NFKC", text).strip().split(" ")[0].upper()
        return next((s for s in cls if s.value == head), None)


SUMMARY_LABELS = {
    Summary.ABOVE: "I 当初の目標を上回って達成",
    Summary.MET: "II 当初の目標どおり達成",
    Summary.BELOW: "III 当初の目標を下回った",
    Summary.NOT_COMPARABLE: "IV 法制度等の改定により比較不能",
}

_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def plain_text(text: str) -> str:
    """A text as the plan keeps it: every kind of line break as \\n (Word's manual break \\v, Qt's paragraph
    separator, CR LF) and no other control character (a workbook cannot hold them)."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))


TEXT_FIELDS = ("done", "factors", "next_steps")
TEXT_FIELD_LABELS = {"done": "実績・取組状況", "factors": "要因分析", "next_steps": "今後の方向性"}


@dataclass(frozen=True)
class IndicatorTexts:
    """One indicator's evaluation texts for one fiscal year."""

    done: str = ""  # 実績・取組状況
    factors: str = ""  # 要因分析
    next_steps: str = ""  # 今後の方向性

    @property
    def is_empty(self) -> bool:
        return not (self.done or self.factors or self.next_steps)


@dataclass(frozen=True)
class SummaryChoice:
    """A period summary chosen by hand; IV (比較不能) needs its reason (``needs_reason``)."""

    summary: Summary
    reason: str = ""

    @property
    def needs_reason(self) -> bool:
        """True for a IV without its reason: the plan refuses it (Plan.set_summary), a workbook's is not read."""
        return self.summary is Summary.NOT_COMPARABLE and not self.reason.strip()


IV_NEEDS_REASON = "IV(法制度等の改定により比較不能)を選ぶには、先に理由を入力してください"


@dataclass
class EvaluationTexts:
    indicators: dict[tuple[int, str, int], IndicatorTexts] = field(default_factory=dict)  # (section, id, year)
    sections: dict[tuple[int, int], str] = field(default_factory=dict)  # (section, year) → 総合評価
    summaries: dict[tuple[int, str], SummaryChoice] = field(default_factory=dict)  # (section, id) → chosen summary

    def indicator(self, section: int, id: str, year: int) -> IndicatorTexts:
        return self.indicators.get((section, id, year), IndicatorTexts())

    def section(self, section: int, year: int) -> str:
        return self.sections.get((section, year), "")

    def summary(self, section: int, id: str) -> SummaryChoice | None:
        return self.summaries.get((section, id))

    def snapshot(self) -> tuple:
        """Everything stored, in a comparable order (the save's read-back check compares it)."""
        return (
            tuple(sorted((k, (t.done, t.factors, t.next_steps)) for k, t in self.indicators.items() if not t.is_empty)),
            tuple(sorted((k, v) for k, v in self.sections.items() if v)),
            tuple(sorted((k, (c.summary.value, c.reason)) for k, c in self.summaries.items())),
        )

    # --- parts, for structure edits and their undo ------------------------------------------------------------
    def part(self, section: int | None = None, id: str | None = None, years: set[int] | None = None) -> EvaluationTexts:
        """A copy of what is kept for ``section`` (and its indicator ``id``) or for ``years``; None matches all.

        Summaries belong to no year: a part by ``years`` holds none; a section's texts belong to no indicator: a part
        by ``id`` holds none of them.
        """
        def hit(s: int, i: str | None, y: int | None) -> bool:
            return ((section is None or s == section) and (id is None or i == id)
                    and (years is None or (y is not None and y in years)))

        return EvaluationTexts(
            {k: v for k, v in self.indicators.items() if hit(k[0], k[1], k[2])},
            {k: v for k, v in self.sections.items() if id is None and hit(k[0], None, k[1])},
            {k: v for k, v in self.summaries.items() if years is None and hit(k[0], k[1], None)},
        )

    def remove(self, part: EvaluationTexts) -> frozenset:
        """Drop every key of ``part``; returns the keys as plan.changed names them."""
        for key in part.indicators:
            self.indicators.pop(key, None)
        for key in part.sections:
            self.sections.pop(key, None)
        for key in part.summaries:
            self.summaries.pop(key, None)
        return part.keys()

    def add(self, part: EvaluationTexts) -> frozenset:
        """Put back what :meth:`remove` took; returns the keys as plan.changed names them."""
        self.indicators.update(part.indicators)
        self.sections.update(part.sections)
        self.summaries.update(part.summaries)
        return part.keys()

    def keys(self) -> frozenset:
        return frozenset({("indicator", *k) for k in self.indicators} | {("section", *k) for k in self.sections}
                         | {("summary", *k) for k in self.summaries})

    @property
    def is_empty(self) -> bool:
        return not (self.indicators or self.sections or self.summaries)

    def years(self) -> list[int]:
        """The fiscal years some indicator or section has a text for."""
        return sorted({k[2] for k in self.indicators} | {k[1] for k in self.sections})
