"""What one edit changed, said once: the figures (typed and computed), the sections whose rows or texts changed,
the forecast scenarios.

The plan computes which derived figures moved (it knows the forecast before and after), so that no listener
keeps its own copy of derived values to compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    figures: frozenset = field(default_factory=frozenset)  # FigureRefs whose value changed, derived ones included
    sections: frozenset = field(default_factory=frozenset)  # section numbers whose rows or texts changed
    plan_wide: bool = False  # sections added or removed, fiscal years changed: everything may have moved
    texts: frozenset = field(default_factory=frozenset)  # evaluation texts changed: keys as in EvaluationTexts
    scenarios: frozenset = field(default_factory=frozenset)  # ids of forecast scenarios added, removed, renamed, edited

    def touches(self, section: int) -> bool:
        return self.plan_wide or section in self.sections or any(ref.section == section for ref in self.figures)
