"""A stateful property test: figure edits, structure edits, undo, redo and save → reload, mixed at random.

After every step section 5's forecast is what a fresh computation from the plan's inputs and adoption figures
gives; a save reads back as the same plan; and undoing everything gives back the plan as opened, exactly.
The document is a PlanDocument on the published plan's source (no window: the commands and the plan only).
"""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as hs
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from kawasaki_planner.core import forecast as fc
from kawasaki_planner.core import structure as st
from kawasaki_planner.core.plan import ACTUAL, ADOPTION_ROLE, FORECAST_SECTION, PLAN, Direction, FigureRef, forecast_ref, plan_snapshot
from kawasaki_planner.io.errors import SaveError
from kawasaki_planner.io.source import load_source
from kawasaki_planner.io.workbook import load_plan, save_plan
from kawasaki_planner.ui import structure_commands as C
from kawasaki_planner.ui.document import PlanDocument

from .conftest import SAMPLE_SOURCE

NO_PLACE = "書き込む場所がブックにありません"  # io/workbook_update's SaveError while a structure change has no place yet
KNOWN_IO_GAPS = (NO_PLACE,)
SAVES_PER_RUN = 2  # a save and its read-back take most of a run's time: a few per run, wherever they fall
UNITS = ("人", "件", "回", "%", "か所", "")
COUNT_TEXTS = hs.integers(0, 3000).map(lambda n: f"{n:,}")
PERCENT_TEXTS = hs.decimals(0, 100, places=1, allow_nan=False).map(lambda d: f"{d}%")


class PlanEditing(RuleBasedStateMachine):
    folder: Path  # set by the test: where saves go
    io_gaps: list[str]  # the saves skipped for a known gap of the io side (shared across examples)

    def __init__(self) -> None:
        super().__init__()
        self.document = PlanDocument(load_source(SAMPLE_SOURCE))
        self.plan = self.document.plan
        self.opened = plan_snapshot(self.plan)
        self.names = itertools.count(1)
        self.saves = 0

    # --- helpers -----------------------------------------------------------------------------------------
    def edit(self, command) -> bool:
        """Through the document, as the window does: a refused edit (StructureError) changes nothing and is no step."""
        stack = self.document.undo_stack
        index, before = stack.index(), plan_snapshot(self.plan)
        ok = self.document.edit_structure(command)
        assert stack.index() == index + ok
        if not ok:
            assert plan_snapshot(self.plan) == before
        return ok

    def sections(self, with_indicators=False, editable=True):
        return [s for s in self.plan.sections if not (editable and s.number == FORECAST_SECTION)
                and (s.indicators or not with_indicators)]

    def typed_refs(self) -> list[FigureRef]:
        refs = [FigureRef(s.number, i.id, y, k) for s in self.plan.sections for i in s.indicators
                for y in self.plan.years for k in (PLAN, ACTUAL)]
        refs += [forecast_ref("population", y, PLAN) for y in self.plan.years if y >= self.plan.first_forecast_year]
        return [r for r in refs if self.plan.is_input(r)]

    # --- figures ----------------------------------------------------------------------------------------------
    @rule(data=hs.data())
    def type_a_figure(self, data) -> None:
        ref = data.draw(hs.sampled_from(self.typed_refs()))
        unit, _ = self.plan.row_unit(ref)
        if ref.row == "population":
            text = data.draw(hs.integers(180_000, 260_000).map(lambda n: f"{n:,}"))
        else:
            text = data.draw(hs.one_of(hs.none(), PERCENT_TEXTS if unit == "%" else COUNT_TEXTS))
        self.document.set_figure(ref, text, "edit")  # a refused figure is reported, not stored

    # --- indicators ----------------------------------------------------------------------------------------
    @precondition(lambda self: self.sections())
    @rule(data=hs.data(), unit=hs.sampled_from(UNITS), direction=hs.sampled_from(list(Direction)))
    def add_indicator(self, data, unit, direction) -> None:
        section = data.draw(hs.sampled_from(self.sections()))
        index = data.draw(hs.integers(0, len(section.indicators)))
        self.edit(C.add_indicator(self.plan, section.number, index, f"追加した指標{next(self.names)}", unit, direction))

    @precondition(lambda self: self.sections(with_indicators=True))
    @rule(data=hs.data())
    def remove_indicator(self, data) -> None:
        section = data.draw(hs.sampled_from(self.sections(with_indicators=True)))
        indicator = data.draw(hs.sampled_from(section.indicators))
        assert self.edit(C.remove_indicator(self.plan, section.number, indicator.id))

    @precondition(lambda self: self.sections(with_indicators=True))
    @rule(data=hs.data())
    def move_indicator(self, data) -> None:
        section = data.draw(hs.sampled_from(self.sections(with_indicators=True)))
        indicator = data.draw(hs.sampled_from(section.indicators))
        to = data.draw(hs.integers(0, len(section.indicators) - 1))
        self.edit(C.move_indicator(self.plan, section.number, indicator.id, to))

    @precondition(lambda self: self.sections(with_indicators=True))
    @rule(data=hs.data())
    def rename_indicator(self, data) -> None:
        section = data.draw(hs.sampled_from(self.sections(with_indicators=True)))
        indicator = data.draw(hs.sampled_from(section.indicators))
        assert self.edit(C.rename_indicator(self.plan, section.number, indicator.id, f"改めた名前{next(self.names)}"))

    @precondition(lambda self: self.sections(with_indicators=True))
    @rule(data=hs.data())
    def set_adoption(self, data) -> None:
        candidates = [(s.number, i.id) for s in self.sections(with_indicators=True) for i in s.indicators
                      if i.role in ("", ADOPTION_ROLE)]
        ref = data.draw(hs.one_of(hs.none(), hs.sampled_from(candidates))) if candidates else None
        self.edit(C.set_adoption(self.plan, ref))

    # --- status rows and narrative blocks ---------------------------------------------------------------------
    @rule(data=hs.data())
    def add_status_row(self, data) -> None:
        section = data.draw(hs.sampled_from(self.sections(editable=False)))
        index = data.draw(hs.integers(0, len(section.status)))
        self.edit(C.add_text_row(self.plan, C.STATUS, section.number, index, f"項目{next(self.names)}", "一行目\n二行目"))

    @precondition(lambda self: any(s.status for s in self.plan.sections))
    @rule(data=hs.data(), kind=hs.sampled_from(["edit", "remove", "move"]))
    def change_status_row(self, data, kind) -> None:
        section = data.draw(hs.sampled_from([s for s in self.plan.sections if s.status]))
        row = data.draw(hs.integers(0, len(section.status) - 1))
        if kind == "edit":
            command = C.edit_text_row(self.plan, C.STATUS, section.number, row, f"項目{next(self.names)}", "改めた\n説明")
        elif kind == "remove":
            command = C.remove_text_row(self.plan, C.STATUS, section.number, row)
        else:
            command = C.move_text_row(self.plan, C.STATUS, section.number, row, data.draw(hs.integers(0, len(section.status) - 1)))
        self.edit(command)

    @rule(data=hs.data())
    def add_block(self, data) -> None:
        section = data.draw(hs.sampled_from(self.sections(editable=False)))
        index = data.draw(hs.integers(0, len(section.narrative)))
        heading = data.draw(hs.sampled_from(["", f"見出し{next(self.names)}"]))
        self.edit(C.add_text_row(self.plan, C.NARRATIVE, section.number, index, heading, "本文の一行目\n\n三行目"))

    @precondition(lambda self: any(s.narrative for s in self.plan.sections))
    @rule(data=hs.data(), remove=hs.booleans())
    def change_block(self, data, remove) -> None:
        section = data.draw(hs.sampled_from([s for s in self.plan.sections if s.narrative]))
        index = data.draw(hs.integers(0, len(section.narrative) - 1))
        if remove:
            command = C.remove_text_row(self.plan, C.NARRATIVE, section.number, index)
        else:
            command = C.edit_text_row(self.plan, C.NARRATIVE, section.number, index, f"見出し{next(self.names)}", "改めた本文\n二行目")
        # The core may refuse a section's texts as they stand (section 5's 「■…」 headings: see the report).
        self.edit(command)

    # --- sections and years ---------------------------------------------------------------------------------
    @precondition(lambda self: st.missing_guideline_sections(self.plan))
    @rule(data=hs.data())
    def add_guideline_section(self, data) -> None:
        number, title, short = data.draw(hs.sampled_from(st.missing_guideline_sections(self.plan)))
        assert self.edit(C.add_section(self.plan, title, short, number))
        assert any(s.number == number and s.title == title for s in self.plan.sections)

    @rule(data=hs.data())
    def remove_section(self, data) -> None:
        section = data.draw(hs.sampled_from(self.plan.sections))
        ok = self.edit(C.remove_section(self.plan, section.number))
        assert ok == (section.number != FORECAST_SECTION)

    @rule(first=hs.sampled_from([2024, 2025]), last=hs.integers(2027, 2034))
    def set_years(self, first, last) -> None:
        """Extend the plan (to R16 at most) or drop years no longer needed; the first forecast year stays."""
        self.edit(C.set_years(self.plan, tuple(range(first, last + 1))))

    # --- undo, redo, save ------------------------------------------------------------------------------------
    @precondition(lambda self: self.document.undo_stack.canUndo())
    @rule()
    def undo(self) -> None:
        self.document.undo_stack.undo()

    @precondition(lambda self: self.document.undo_stack.canRedo())
    @rule()
    def redo(self) -> None:
        self.document.undo_stack.redo()

    @precondition(lambda self: self.saves < SAVES_PER_RUN)
    @rule()
    def save_and_reload(self) -> None:
        self.saves += 1
        path = self.folder / f"plan-{id(self)}-{self.saves}.xlsx"
        try:
            save_plan(self.plan, path, backups=0)
        except SaveError as error:
            gap = next((g for g in KNOWN_IO_GAPS if g in str(error)), None)
            if gap is None:
                raise
            self.io_gaps.append(gap)  # the io side cannot save this structure yet: skipped, and counted
            return
        assert plan_snapshot(load_plan(path)) == plan_snapshot(self.plan)

    # --- what must always hold ------------------------------------------------------------------------------
    @invariant()
    def forecast_is_fresh(self) -> None:
        assert self.plan.forecast == fc.compute(self.plan.forecast_inputs, self.plan.adoption_numbers())

    def teardown(self) -> None:
        stack = self.document.undo_stack
        while stack.canUndo():
            stack.undo()
        assert plan_snapshot(self.plan) == self.opened
        self.document.deleteLater()


def test_random_edits_undo_redo_and_saves_keep_the_plan_whole(qapp, tmp_path):
    PlanEditing.folder = tmp_path
    PlanEditing.io_gaps = []
    run_state_machine_as_test(
        PlanEditing,
        settings=settings(max_examples=30, stateful_step_count=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]),
    )
    # While the io side cannot save some structure changes, the saves skipped (KNOWN_IO_GAPS), by reason.
    print("saves skipped for a known io gap:", {g: PlanEditing.io_gaps.count(g) for g in KNOWN_IO_GAPS})
