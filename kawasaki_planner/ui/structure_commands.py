"""Undo commands for the plan's structure: indicators, status rows, narrative blocks, sections and fiscal years.

Each command changes the plan only through :mod:`kawasaki_planner.core.structure`, whose functions check first
and raise StructureError (Japanese) without changing anything, and return what their inverse needs: ``undo``
hands that back, so an undone edit leaves the plan exactly as it was (``plan_snapshot`` equal), and ``redo``
applies the same edit again (the same Indicator, Section or rows, with their ids).

A command is applied once by :meth:`.document.PlanDocument.edit_structure` *before* it is pushed, so that an
edit the core refuses never reaches the undo stack (QUndoStack.push calls redo(), and an exception raised
there could not be taken back). The functions below make the commands with their 編集-menu texts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple, dataclass

from PySide6.QtGui import QUndoCommand

from ..core import structure as st
from ..core.fiscal import era_label
from ..core.plan import ADOPTION_ROLE, KINDS, Direction, FigureRef, NarrativeBlock, Plan, Section, StatusItem
from ..core.plausibility import Severity, judge
from ..core.values import dress
from . import strings as S
from . import structure_strings as T


def in_plan(plan: Plan, section) -> bool:
    """Whether ``section`` (that very object) is one of the plan's: sections compare by value, and a section removed
    can equal one added since (the same 策定要領 item, still empty), so ``section in plan.sections`` is not the test."""
    return any(s is section for s in plan.sections)


class StructureCommand(QUndoCommand):
    """One structure edit as an undo step; subclasses define ``_apply`` (first time and redo) and ``_revert``.

    No attribute may take the name of a QUndoCommand method (``id``, ``text`` …): the undo stack calls them.
    """

    def __init__(self, plan: Plan, text: str) -> None:
        super().__init__(text)
        self.plan = plan
        self.done: Callable[[list], None] | None = None  # set by the document: views flush once per step
        self._applied = False

    def apply_first(self) -> None:
        """Apply the edit now (raises StructureError with nothing changed); the push's redo() then skips it."""
        self._apply()
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            self._applied = False  # the push right after apply_first: already done
        else:
            self._apply()
        self._notify()

    def undo(self) -> None:
        self._revert()
        self._notify()

    def _notify(self) -> None:
        if self.done is not None:
            self.done([])

    def _apply(self) -> None:
        raise NotImplementedError

    def _revert(self) -> None:
        raise NotImplementedError


# --- indicators -------------------------------------------------------------------------------------------------

class AddIndicator(StructureCommand):
    def __init__(self, plan: Plan, number: int, index: int, label: str, unit: str, direction: Direction) -> None:
        super().__init__(plan, T.CMD_ADD_INDICATOR.format(label=label.strip()))
        self.number, self.index = number, index
        self._spec = (label, unit, direction)
        self.indicator = None

    def _apply(self) -> None:
        if self.indicator is None:  # made once: redo puts back the same row, with the id later edits address
            self.indicator = st.new_indicator(self.plan, self.number, *self._spec)
        st.insert_indicator(self.plan, self.number, self.index, self.indicator)

    def _revert(self) -> None:
        st.remove_indicator(self.plan, self.number, self.indicator.id)


class RemoveIndicator(StructureCommand):
    def __init__(self, plan: Plan, number: int, id: str) -> None:
        label = plan.section(number).indicator(id).label
        super().__init__(plan, T.CMD_REMOVE_INDICATOR.format(label=label))
        self.number, self.indicator_id = number, id
        self.index, self.indicator, self.texts = -1, None, None

    def _apply(self) -> None:
        self.texts = st.texts_of(self.plan, self.number, self.indicator_id)
        self.index, self.indicator = st.remove_indicator(self.plan, self.number, self.indicator_id)

    def _revert(self) -> None:
        st.insert_indicator(self.plan, self.number, self.index, self.indicator, self.texts)


class EditIndicator(StructureCommand):
    """Rename, change the unit (figures keep their numbers) or the direction of good."""

    def __init__(self, plan: Plan, number: int, id: str, text: str, **changes) -> None:
        super().__init__(plan, text)
        self.number, self.indicator_id = number, id
        self.changes = {k: v for k, v in changes.items() if v is not None}
        self.old: dict = {}

    def _apply(self) -> None:
        if "unit" in self.changes:
            self._check_unit(self.changes["unit"].strip(), self.changes.get("print_unit"))
        self.old = st.edit_indicator(self.plan, self.number, self.indicator_id, **self.changes)

    def _revert(self) -> None:
        keys = set(self.changes) | ({"print_unit"} if "unit" in self.changes else set())
        st.edit_indicator(self.plan, self.number, self.indicator_id, **{k: self.old[k] for k in keys})

    def _check_unit(self, unit: str, print_unit: bool | None) -> None:
        """Refuse a unit under which a figure of the row could not be typed (a 12.5 that would count 人).

        The plan holds only figures its rows accept; an undo that sets such a figure back is refused by the plan,
        so a unit change must not let one in. (core/structure.edit_indicator does not check this yet.)
        """
        indicator = self.plan.section(self.number).indicator(self.indicator_id)
        printed = indicator.print_unit if print_unit is None else print_unit
        for year in self.plan.years:
            for kind in KINDS:
                figure = dress(indicator.figure(year, kind), unit, printed)
                finding = judge(figure, unit)
                if finding is not None and finding.severity is Severity.REFUSED:
                    where = f"{era_label(year)} {S.KIND_LABELS[kind]}"
                    raise st.StructureError(T.UNIT_REFUSES.format(unit=unit, where=where, text=figure.text, reason=finding.message))


class MoveIndicator(StructureCommand):
    def __init__(self, plan: Plan, number: int, id: str, index: int) -> None:
        label = plan.section(number).indicator(id).label
        super().__init__(plan, T.CMD_MOVE_INDICATOR.format(label=label))
        self.number, self.indicator_id, self.index = number, id, index
        self.old = -1

    def _apply(self) -> None:
        self.old = st.move_indicator(self.plan, self.number, self.indicator_id, self.index)

    def _revert(self) -> None:
        st.move_indicator(self.plan, self.number, self.indicator_id, self.old)


class SetAdoption(StructureCommand):
    """Which indicator section 5 deducts as special adoptions (特別養子縁組控除), or none."""

    def __init__(self, plan: Plan, ref: tuple[int, str] | None) -> None:
        label = "" if ref is None else plan.section(ref[0]).indicator(ref[1]).label
        super().__init__(plan, T.CMD_CLEAR_ADOPTION if ref is None else T.CMD_SET_ADOPTION.format(label=label))
        self.ref = ref
        self.old: tuple[int, str] | None = None

    def _apply(self) -> None:
        if self.ref is not None:
            indicator = self.plan.section(self.ref[0]).indicator(self.ref[1])
            # set_adoption replaces the row's role: one that feeds another computation would be lost (and an undo
            # could not give it back), so such a row is refused here. (core/structure.set_adoption does not check.)
            if indicator.role not in ("", ADOPTION_ROLE):
                raise st.StructureError(T.ADOPTION_HAS_ROLE.format(label=indicator.label))
        self.old = st.set_adoption(self.plan, self.ref)

    def _revert(self) -> None:
        st.set_adoption(self.plan, self.old)


def add_indicator(plan: Plan, number: int, index: int, label: str, unit: str = "", direction: Direction = Direction.HIGHER):
    return AddIndicator(plan, number, index, label, unit, direction)


def remove_indicator(plan: Plan, number: int, id: str) -> RemoveIndicator:
    return RemoveIndicator(plan, number, id)


def rename_indicator(plan: Plan, number: int, id: str, label: str) -> EditIndicator:
    old = plan.section(number).indicator(id).label
    return EditIndicator(plan, number, id, T.CMD_RENAME_INDICATOR.format(old=old, new=label.strip()), label=label)


def change_unit(plan: Plan, number: int, id: str, unit: str, print_unit: bool | None = None) -> EditIndicator:
    """The unit and (``print_unit``) whether the figures print it after the number: 「7か所」 or 「7」.

    Without ``print_unit`` a row getting its first unit prints it (a row without one prints none, and would
    otherwise stay so) and any other keeps what it does.
    """
    indicator = plan.section(number).indicator(id)
    unit = unit.strip()
    if print_unit is None and unit and not indicator.unit:
        print_unit = True
    if unit == indicator.unit:
        example = f"7{unit}"
        old, new = (example, "7") if indicator.print_unit else ("7", example)
        text = T.CMD_CHANGE_PRINT_UNIT.format(label=indicator.label, old=old, new=new)
        return EditIndicator(plan, number, id, text, print_unit=print_unit)
    text = T.CMD_CHANGE_UNIT.format(label=indicator.label, old=indicator.unit, new=unit)
    return EditIndicator(plan, number, id, text, unit=unit, print_unit=print_unit)


def change_direction(plan: Plan, number: int, id: str, direction: Direction) -> EditIndicator:
    indicator = plan.section(number).indicator(id)
    text = T.CMD_CHANGE_DIRECTION.format(label=indicator.label, old=indicator.direction.label, new=direction.label)
    return EditIndicator(plan, number, id, text, direction=direction)


def move_indicator(plan: Plan, number: int, id: str, index: int) -> MoveIndicator:
    return MoveIndicator(plan, number, id, index)


def set_adoption(plan: Plan, ref: tuple[int, str] | None) -> SetAdoption:
    return SetAdoption(plan, ref)


# --- status rows and narrative blocks ----------------------------------------------------------------------------

@dataclass(frozen=True)
class TextRows:
    """A section's list of two-text rows and how the core sets it: 「現在の整備・取組状況」 (item, description) or the
    本文 (heading, text). The undo texts name the row by its first text, else its second."""

    row: type
    rows_of: Callable[[Section], list]
    store: Callable[[Plan, int, list], list]  # sets the whole list, returns the old one (core/structure.py)
    edit: str
    add: str
    remove: str
    move: str

    def copy(self, plan: Plan, number: int) -> list:
        return [self.row(*astuple(r)) for r in self.rows_of(plan.section(number))]

    def text(self, template: str, number: int, row) -> str:
        first, second = astuple(row)
        return template.format(number=number, name=_name(first or second))


STATUS = TextRows(StatusItem, lambda s: s.status, st.set_status,
                  T.CMD_EDIT_STATUS, T.CMD_ADD_STATUS, T.CMD_REMOVE_STATUS, T.CMD_MOVE_STATUS)
NARRATIVE = TextRows(NarrativeBlock, lambda s: s.narrative, st.set_narrative,
                     T.CMD_EDIT_BLOCK, T.CMD_ADD_BLOCK, T.CMD_REMOVE_BLOCK, T.CMD_MOVE_BLOCK)


class SetTextRows(StructureCommand):
    """The whole status table or 本文 of a section, as a row edit, addition, removal or move made it."""

    def __init__(self, plan: Plan, kind: TextRows, number: int, rows: list, text: str) -> None:
        super().__init__(plan, text)
        self.kind, self.number, self.rows = kind, number, rows
        self.old: list = []

    def apply_first(self) -> None:
        _probe_undo(lambda: self.kind.store(self.plan, self.number, self.kind.copy(self.plan, self.number)))
        super().apply_first()

    def _apply(self) -> None:
        self.old = self.kind.store(self.plan, self.number, self.rows)

    def _revert(self) -> None:
        self.kind.store(self.plan, self.number, self.old)


def _probe_undo(set_as_they_are: Callable[[], object]) -> None:
    """Refuse a text edit whose undo the core would refuse: set_status/set_narrative check every row they are given
    (no 項目 starting with 「※」 or 「■」 …), and a section's rows as they stand, read from a workbook, may not pass,
    so handing them back on undo would raise. Setting the rows as they are (no change) says so first, or changes
    nothing. (Wanted in core/structure.py: the rows an edit returned always accepted back, as restore_years does.)"""
    set_as_they_are()


def _moved(items: list, row: int, to: int) -> list:
    items = list(items)
    items.insert(max(0, min(to, len(items) - 1)), items.pop(row))
    return items


def _name(text: str) -> str:
    """A row or block named in an undo text: its first line, shortened."""
    line = (text.strip().splitlines() or [""])[0]
    return (line[:20] + "…") if len(line) > 20 else (line or T.UNTITLED_BLOCK)


def edit_text_row(plan: Plan, kind: TextRows, number: int, row: int, first: str, second: str) -> SetTextRows:
    rows = kind.copy(plan, number)
    rows[row] = kind.row(first, second)
    return SetTextRows(plan, kind, number, rows, kind.text(kind.edit, number, rows[row]))


def add_text_row(plan: Plan, kind: TextRows, number: int, index: int, first: str, second: str) -> SetTextRows:
    rows = kind.copy(plan, number)
    rows.insert(max(0, min(index, len(rows))), kind.row(first, second))
    return SetTextRows(plan, kind, number, rows, kind.text(kind.add, number, kind.row(first, second)))


def remove_text_row(plan: Plan, kind: TextRows, number: int, row: int) -> SetTextRows:
    rows = kind.copy(plan, number)
    gone = rows.pop(row)
    return SetTextRows(plan, kind, number, rows, kind.text(kind.remove, number, gone))


def move_text_row(plan: Plan, kind: TextRows, number: int, row: int, to: int) -> SetTextRows:
    rows = kind.copy(plan, number)
    return SetTextRows(plan, kind, number, _moved(rows, row, to), kind.text(kind.move, number, rows[row]))


# --- sections ------------------------------------------------------------------------------------------------------

class AddSection(StructureCommand):
    """A 策定要領 item by its number, or the planner's own section (number None: the next free one)."""

    def __init__(self, plan: Plan, title: str, short_title: str = "", number: int | None = None) -> None:
        super().__init__(plan, T.CMD_ADD_SECTION.format(title=title.strip()))
        self._spec = (title, short_title, number)
        self.section = None

    @property
    def number(self) -> int | None:
        return None if self.section is None else self.section.number

    def _apply(self) -> None:
        if self.section is None:
            self.section = st.new_section(self.plan, *self._spec)
        st.insert_section(self.plan, self.section)

    def _revert(self) -> None:
        st.remove_section(self.plan, self.section.number)


class RemoveSection(StructureCommand):
    def __init__(self, plan: Plan, number: int) -> None:
        super().__init__(plan, T.CMD_REMOVE_SECTION.format(title=plan.section(number).title))
        self.number = number
        self.section = None
        self.texts = None

    def _apply(self) -> None:
        self.texts = st.texts_of(self.plan, self.number)
        _index, self.section = st.remove_section(self.plan, self.number)

    def _revert(self) -> None:
        st.insert_section(self.plan, self.section, self.texts)


class RenameSection(StructureCommand):
    def __init__(self, plan: Plan, number: int, title: str, short_title: str) -> None:
        old = plan.section(number).title
        super().__init__(plan, T.CMD_RENAME_SECTION.format(number=number, old=old, new=title.strip()))
        self.number, self.title, self.short_title = number, title, short_title
        self.old: tuple[str, str] = ("", "")

    def _apply(self) -> None:
        self.old = st.rename_section(self.plan, self.number, self.title, self.short_title)

    def _revert(self) -> None:
        st.rename_section(self.plan, self.number, *self.old)


def add_section(plan: Plan, title: str, short_title: str = "", number: int | None = None) -> AddSection:
    return AddSection(plan, title, short_title, number)


def remove_section(plan: Plan, number: int) -> RemoveSection:
    return RemoveSection(plan, number)


def rename_section(plan: Plan, number: int, title: str, short_title: str) -> RenameSection:
    return RenameSection(plan, number, title, short_title)


# --- fiscal years --------------------------------------------------------------------------------------------------

def period_text(years: tuple[int, ...]) -> str:
    return T.PERIOD.format(first=era_label(years[0]), last=era_label(years[-1])) if years else ""


class SetYears(StructureCommand):
    """A new plan period: years added start blank, the figures of years dropped are kept for the undo."""

    def __init__(self, plan: Plan, years: tuple[int, ...]) -> None:
        years = tuple(sorted(set(years)))
        super().__init__(plan, T.CMD_SET_YEARS.format(old=period_text(plan.years), new=period_text(years)))
        self.years = years
        self.old: tuple[int, ...] = ()
        self.dropped: dict[FigureRef, object] = {}
        self.texts = None

    def _apply(self) -> None:
        self.texts = st.texts_of_years(self.plan, set(self.plan.years) - set(self.years))
        self.old, self.dropped = st.set_years(self.plan, self.years)

    def _revert(self) -> None:
        st.restore_years(self.plan, self.old, self.dropped, self.texts)


def set_years(plan: Plan, years: tuple[int, ...]) -> SetYears:
    return SetYears(plan, years)
