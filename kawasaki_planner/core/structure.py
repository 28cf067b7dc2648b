"""Changing the plan's structure: indicators, status rows, narrative blocks, sections and fiscal years.

Each function is one edit: it checks first and raises StructureError (a Japanese message) without changing
anything, or applies the edit, recomputes the forecast when the edit reaches it, and tells the plan's listeners
once through ``plan.structure_changed`` (the section number, or None for a plan-wide edit such as the years).
Each returns what its inverse needs, so that an undo command can restore the plan exactly.
"""

from __future__ import annotations

from . import forecast as fc
from . import foster
from .change import Change
from .evaluation_texts import EvaluationTexts
from .plan import (
    ADOPTION_ROLE,
    FORECAST_SECTION,
    KINDS,
    Direction,
    FigureRef,
    Indicator,
    NarrativeBlock,
    Plan,
    Section,
    StatusItem,
)
from .values import Figure, FigureError, dress


class StructureError(FigureError):
    """A structure edit the plan cannot take; the message is Japanese."""


# The national 策定要領's items the published plan does not have, by their official titles (number, title, short).
GUIDELINE_SECTIONS = (
    (8, "8 里親・ファミリーホームへの委託の推進に向けた取組", "里親等委託の推進"),
    (9, "9 施設の小規模かつ地域分散化、高機能化及び多機能化・機能転換に向けた取組", "施設の小規模化・多機能化"),
    (10, "10 社会的養護自立支援の推進に向けた取組", "社会的養護自立支援"),
    (11, "11 児童相談所の強化等に向けた取組", "児童相談所の強化"),
    (12, "12 障害児入所施設における支援", "障害児入所施設"),
)


def _changed(plan: Plan, number: int | None, *, forecast: bool = False, texts: frozenset = frozenset()) -> None:
    derived = plan.recompute_changes() if forecast else frozenset()
    plan.structure_changed.emit(number)
    sections = frozenset() if number is None else frozenset({number})
    plan.changed.emit(Change(figures=derived, sections=sections, plan_wide=number is None, texts=texts))


def texts_of(plan: Plan, number: int, id: str | None = None) -> EvaluationTexts:
    """The evaluation texts that go with an indicator (or a whole section): what removing it deletes, for the undo."""
    return plan.evaluation_texts.part(number, id)


def _reaches_forecast(plan: Plan, number: int, indicator: Indicator) -> bool:
    """An indicator with a role feeds a computation (the adoption deduction, section 8's placements)."""
    return bool(indicator.role) or number == FORECAST_SECTION


# --- indicators ---------------------------------------------------------------------------------------------

# Column A of a section sheet: a text starting with these reads as a note (※) or a block's heading (■ …).
_RESERVED_STARTS = ("※", "■", "□", "◆", "◇", "●")
_SHEET_NAME_CHARS = set("[]:*?/\\")
_SHEET_NAME_MAX = 31


def _check_first_column(text: str, what: str) -> None:
    if text.startswith(_RESERVED_STARTS):
        raise StructureError(f"{what}を「{text[0]}」で始めることはできません(表の見出しや注記と区別できなくなります)")


def _check_label(section: Section, label: str, keep: Indicator | None = None) -> str:
    label = label.strip()
    if not label:
        raise StructureError("指標名を入力してください")
    _check_first_column(label, "指標名")
    other = section.by_label(label)
    if other is not None and other is not keep:
        raise StructureError(f"節{section.number}には同じ名前の指標「{label}」がすでにあります")
    return label


def new_indicator(plan: Plan, number: int, label: str, unit: str = "", direction: Direction = Direction.HIGHER,
                  print_unit: bool = True) -> Indicator:
    """An indicator for section ``number`` with a fresh id (not yet in the plan)."""
    section = plan.section(number)
    unit = unit.strip()
    # A row without a unit prints none: the workbook cannot say otherwise, so the plan does not either.
    return Indicator(_check_label(section, label), unit, print_unit and bool(unit), direction, id=section.new_indicator_id())


def insert_indicator(plan: Plan, number: int, index: int, indicator: Indicator, texts: EvaluationTexts | None = None) -> None:
    """Add the indicator at ``index``; ``texts``: its evaluation texts as removing it took them (:func:`texts_of`)."""
    section = plan.section(number)
    _check_label(section, indicator.label)
    if section.indicator(indicator.id) is not None:
        raise StructureError(f"節{number}には ID「{indicator.id}」の指標がすでにあります")
    section.indicators.insert(max(0, min(index, len(section.indicators))), indicator)
    keys = plan.evaluation_texts.add(texts) if texts is not None else frozenset()
    _changed(plan, number, forecast=_reaches_forecast(plan, number, indicator), texts=keys)


def remove_indicator(plan: Plan, number: int, id: str) -> tuple[int, Indicator]:
    """Remove the indicator and its evaluation texts (take them first with :func:`texts_of` to undo); returns
    (its index, it) for the undo."""
    section = plan.section(number)
    index = section.index_of(id)
    indicator = section.indicators.pop(index)
    keys = plan.evaluation_texts.remove(plan.evaluation_texts.part(number, id))
    _changed(plan, number, forecast=_reaches_forecast(plan, number, indicator), texts=keys)
    return index, indicator


def move_indicator(plan: Plan, number: int, id: str, index: int) -> int:
    """Move the indicator to ``index`` (its new position in the list); returns its old index."""
    section = plan.section(number)
    old = section.index_of(id)
    indicator = section.indicators.pop(old)
    section.indicators.insert(max(0, min(index, len(section.indicators))), indicator)
    _changed(plan, number)
    return old


def edit_indicator(plan: Plan, number: int, id: str, *, label: str | None = None, unit: str | None = None,
                   print_unit: bool | None = None, direction: Direction | None = None) -> dict:
    """Rename, change the unit (its figures keep their numbers) or the direction; returns the old values."""
    section = plan.section(number)
    indicator = section.indicator(id)
    if indicator is None:
        raise KeyError(id)
    old = {"label": indicator.label, "unit": indicator.unit, "print_unit": indicator.print_unit,
           "direction": indicator.direction}
    if label is not None:
        label = _check_label(section, label, keep=indicator)
    if unit is not None or print_unit is not None:
        new_unit = indicator.unit if unit is None else unit.strip()
        new_print = (indicator.print_unit if print_unit is None else print_unit) and bool(new_unit)
        for values in (indicator.plan, indicator.actual):
            for year, figure in list(values.items()):
                values[year] = dress(figure, new_unit, new_print)
        indicator.unit, indicator.print_unit = new_unit, new_print
    if label is not None:
        indicator.label = label
    if direction is not None:
        indicator.direction = direction
    _changed(plan, number, forecast=indicator.role == ADOPTION_ROLE and unit is not None)
    return old


def set_adoption(plan: Plan, ref: tuple[int, str] | None) -> tuple[int, str] | None:
    """Make the indicator at ``ref`` (section, id) the forecast's adoption deduction, or none; returns the old ref."""
    old = plan.adoption_ref()
    if ref is not None and plan.section(ref[0]).indicator(ref[1]) is None:
        raise KeyError(ref)
    if ref is not None and plan.section(ref[0]).indicator(ref[1]).role not in ("", ADOPTION_ROLE):
        raise StructureError("この指標はほかの計算に使われているため、特別養子縁組の控除には使えません")
    for section in plan.sections:
        for indicator in section.indicators:
            if indicator.role == ADOPTION_ROLE:
                indicator.role = ""
    if ref is not None:
        plan.section(ref[0]).indicator(ref[1]).role = ADOPTION_ROLE
    _changed(plan, ref[0] if ref else (old[0] if old else None), forecast=True)
    return old


# --- texts --------------------------------------------------------------------------------------------------

def _texts(pairs: list[tuple[str, str]], what: str | None) -> list[tuple[str, str]]:
    """Rows with something in them (an empty row is not a row of the plan); with ``what``, none that would read as a
    block's heading (the narrative comes last on its sheet, so its headings may start with ■)."""
    kept = [(a.strip(), b.strip("\n")) for a, b in pairs if a.strip() or b.strip()]
    for first, _ in kept if what else ():
        _check_first_column(first, what)
    return kept


def set_status(plan: Plan, number: int, items: list[StatusItem]) -> list[StatusItem]:
    """The whole 「現在の整備・取組状況」 table of a section; returns the old rows."""
    section = plan.section(number)
    rows = _texts([(i.item, i.description) for i in items], "項目")
    old, section.status = section.status, [StatusItem(a, b) for a, b in rows]
    _changed(plan, number)
    return old


def set_narrative(plan: Plan, number: int, blocks: list[NarrativeBlock]) -> list[NarrativeBlock]:
    """The whole 本文 of a section (headings and texts, line breaks kept); returns the old blocks."""
    section = plan.section(number)
    rows = _texts([(b.heading, b.text) for b in blocks], None)
    old, section.narrative = section.narrative, [NarrativeBlock(a, b) for a, b in rows]
    _changed(plan, number)
    return old


# --- sections -----------------------------------------------------------------------------------------------

def _check_short_title(short_title: str, number: int | None) -> None:
    """The short title names the sheet 「N 短い題名」: Excel allows 31 characters and none of [ ] : * ? / \\."""
    bad = sorted(set(short_title) & _SHEET_NAME_CHARS)
    if bad:
        raise StructureError(f"短い題名(シート名)に「{' '.join(bad)}」は使えません")
    room = _SHEET_NAME_MAX - len(f"{number or 99} ")
    if len(short_title) > room:
        raise StructureError(f"短い題名(シート名)は{room}文字以内にしてください(いま{len(short_title)}文字)")


def missing_guideline_sections(plan: Plan) -> list[tuple[int, str, str]]:
    """The 策定要領's items the plan does not have yet, to offer when a section is added."""
    have = {s.number for s in plan.sections}
    return [item for item in GUIDELINE_SECTIONS if item[0] not in have]


def new_section(plan: Plan, title: str, short_title: str = "", number: int | None = None) -> Section:
    """A section (not yet in the plan): a 策定要領 item by its number, or the planner's own with the next free number."""
    title, short_title = title.strip(), (short_title or title).strip()
    if not title:
        raise StructureError("節の題名を入力してください")
    _check_short_title(short_title, number)
    taken = {s.number for s in plan.sections}
    if number is None:
        number = max([*taken, max(n for n, _, _ in GUIDELINE_SECTIONS)]) + 1
    if number in taken:
        raise StructureError(f"節{number}はすでにあります")
    section = Section(number, title, short_title)
    if number == foster.FOSTER_SECTION:  # the 策定要領's section 8 uses section 5: the national rates and their placements
        section.indicators = foster.national_indicators(number)
        section.status = [StatusItem("国の目標", foster.NATIONAL_GOALS)]
    return section


def insert_section(plan: Plan, section: Section, texts: EvaluationTexts | None = None) -> None:
    """Add a section; sections stand in the order of their numbers. ``texts``: its evaluation texts, as removing it
    took them (:func:`texts_of`)."""
    if any(s.number == section.number for s in plan.sections):
        raise StructureError(f"節{section.number}はすでにあります")
    index = sum(1 for s in plan.sections if s.number < section.number)
    plan.sections.insert(index, section)
    keys = plan.evaluation_texts.add(texts) if texts is not None else frozenset()
    _changed(plan, None, forecast=any(i.role for i in section.indicators), texts=keys)


def remove_section(plan: Plan, number: int) -> tuple[int, Section]:
    if number == FORECAST_SECTION:
        raise StructureError("第5節(代替養育を必要とするこども数の見込み)は削除できません")
    section = plan.section(number)
    index = plan.sections.index(section)
    plan.sections.pop(index)
    keys = plan.evaluation_texts.remove(plan.evaluation_texts.part(number))
    _changed(plan, None, forecast=any(i.role == ADOPTION_ROLE for i in section.indicators), texts=keys)
    return index, section


def rename_section(plan: Plan, number: int, title: str, short_title: str) -> tuple[str, str]:
    title, short_title = title.strip(), short_title.strip()
    if not title or not short_title:
        raise StructureError("節の題名と短い題名(シート名)を入力してください")
    _check_short_title(short_title, number)
    section = plan.section(number)
    old = (section.title, section.short_title)
    section.title, section.short_title = title, short_title
    _changed(plan, number)
    return old


def section_has_figures(section: Section) -> bool:
    return any(i.plan or i.actual for i in section.indicators)


# --- fiscal years -------------------------------------------------------------------------------------------

def set_years(plan: Plan, years: tuple[int, ...]) -> tuple[tuple[int, ...], dict[FigureRef, Figure]]:
    """The plan's fiscal years (a new period: R12–R16 added; years no longer needed dropped).

    The figures of dropped years leave the plan, and so do those years' evaluation texts (take them first with
    :func:`texts_of_years`); returns the old years and those figures, for the undo (:func:`restore_years`). New
    years start blank; the chained rate continues into them once their growth rates are typed.
    """
    years = tuple(sorted(set(years)))
    if not years:
        raise StructureError("年度を1つ以上残してください")
    if plan.first_forecast_year not in years:
        raise StructureError(f"推計の初年度(R{plan.first_forecast_year - 2018}年度)は削除できません")
    dropped: dict[FigureRef, Figure] = {}
    for section in plan.sections:
        for indicator in section.indicators:
            for kind, values in zip(KINDS, (indicator.plan, indicator.actual), strict=True):
                for year in [y for y in values if y not in years]:
                    dropped[FigureRef(section.number, indicator.id, year, kind)] = values.pop(year)
    cells = plan.forecast_inputs.cells
    for key in [k for k in cells if k[1] is not None and k[1] not in years]:
        dropped[FigureRef(FORECAST_SECTION, key[0], key[1], key[2])] = cells.pop(key)
    old = plan.years
    plan.years = years
    plan.forecast_inputs.years = years
    keys = plan.evaluation_texts.remove(texts_of_years(plan, set(old) - set(years)))
    _changed(plan, None, forecast=True, texts=keys)
    return old, dropped


def texts_of_years(plan: Plan, years: set[int]) -> EvaluationTexts:
    """The evaluation texts written for ``years``: what dropping those years deletes, for the undo."""
    return plan.evaluation_texts.part(years=years)


def restore_years(plan: Plan, years: tuple[int, ...], dropped: dict[FigureRef, Figure],
                  texts: EvaluationTexts | None = None) -> None:
    """Undo of set_years: the old years and the figures (and ``texts``, :func:`texts_of_years`) they held, exactly."""
    plan.years = years
    plan.forecast_inputs.years = years
    for ref, figure in dropped.items():
        if ref.section == FORECAST_SECTION and ref.row in fc.ALL_ROWS:
            plan.forecast_inputs.cells[(ref.row, ref.year, ref.kind)] = figure
        else:
            plan.section(ref.section).indicator(ref.row).set_figure(ref.year, ref.kind, figure)
    keys = plan.evaluation_texts.add(texts) if texts is not None else frozenset()
    _changed(plan, None, forecast=True, texts=keys)


def years_with_figures(plan: Plan, years: set[int]) -> list[int]:
    """Which of ``years`` hold any figure (dropping them asks first)."""
    held = set()
    for section in plan.sections:
        for indicator in section.indicators:
            held |= (set(indicator.plan) | set(indicator.actual)) & years
    held |= {k[1] for k in plan.forecast_inputs.cells if k[1] in years}
    return sorted(held)


def years_with_texts(plan: Plan, years: set[int]) -> list[int]:
    """Which of ``years`` hold evaluation texts (dropping them asks first, as for figures)."""
    return sorted(set(plan.evaluation_texts.years()) & years)
