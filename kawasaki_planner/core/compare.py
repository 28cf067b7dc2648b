"""Two versions of the plan compared by identity: what a 新旧対照表 lists.

Sections are matched by number, indicators by id (never by label: a reworded indicator is *renamed*, its
figures compared with themselves), figures by (row, fiscal year, kind), section-5 inputs by their cell key,
evaluation texts by their keys (core/evaluation_texts.py). Narrative blocks and 「現在の整備・取組状況」 rows
have no identity of their own: they are aligned by their sequence (difflib), an aligned pair whose text
differs is a text change, the rest added or removed.

Computed figures (section 5's derived rows, section 8's placements) are listed too, because the plan prints
them and a council reading the 新旧対照表 sees them move; each is flagged ``computed`` so a reader can tell
a figure the planner typed from one that followed it (``compare_plans(..., computed=False)`` leaves them out).

Each :class:`Difference` carries the printed text before and after (a figure as the plan prints it, blank as
""; where a passage changed is marked by :mod:`.text_diff`), and where it is (section, row id, year, kind,
position) so the window can jump to it. Differences come
ordered as the plan reads: plan-wide first (title, fiscal years), then section by section; within a section
its title, narrative, status rows, then the rows of its tables in their order (a removed row where it stood),
each row's own changes before its figures (year by year, 目標 before 実績) and its evaluation texts,
and last the section's 総合評価.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import forecast as fc
from . import foster
from .evaluation_texts import SUMMARY_LABELS, TEXT_FIELD_LABELS, TEXT_FIELDS, IndicatorTexts
from .fiscal import era_label, year_label
from .plan import FORECAST_SECTION, KINDS, PLAN, Indicator, Plan, Section, forecast_ref
from .values import BLANK, Figure

CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"
RENAMED = "renamed"
MOVED = "moved"
TEXT = "text"
CHANGE_KINDS = (CHANGED, ADDED, REMOVED, RENAMED, MOVED, TEXT)
CHANGE_LABELS = {CHANGED: "変更", ADDED: "追加", REMOVED: "削除", RENAMED: "名称変更", MOVED: "移動", TEXT: "文章の変更"}
KIND_LABELS = {"plan": "目標", "actual": "実績", "": ""}
FORECAST_KIND_LABELS = {"plan": "見込み", "actual": "実績", "": ""}

# What a difference is about (``Difference.scope``): the window jumps by it, the exports group by it.
PLAN_SCOPE = "plan"  # the plan's title, its fiscal years
SECTION_SCOPE = "section"  # a section itself (added, removed, its title)
NARRATIVE_SCOPE = "narrative"
STATUS_SCOPE = "status"
INDICATOR_SCOPE = "indicator"  # an indicator row itself: added, removed, renamed, moved, unit, direction
FIGURE_SCOPE = "figure"
EVALUATION_SCOPE = "evaluation"

ITEM_PLAN_TITLE = "計画の名称"
ITEM_YEARS = "計画期間(年度)"
ITEM_FIRST_FORECAST_YEAR = "第5節の推計の初年度"
ITEM_SECTION = "節"
ITEM_SECTION_TITLE = "節の題名"
ITEM_SHORT_TITLE = "節の略称(タブ名)"
ITEM_NARRATIVE = "本文"
ITEM_STATUS = "現在の整備・取組状況"
ITEM_SECTION_EVALUATION = "総合評価"
ITEM_SUMMARY = "計画期間の総括"
NOTE_COMPUTED = "計算値"
NOTE_UNIT = "単位"
NOTE_PRINT_UNIT = "単位の表示"
NOTE_DIRECTION = "評価の方向"
NOTE_ROLE = "特別養子縁組控除の対象"
NOTE_POSITION = "表での位置"


@dataclass(frozen=True)
class Difference:
    """One change between the old and the new plan (a row of the 新旧対照表).

    ``item`` is what the 項目 column names (the indicator's label, 「本文「…」」, 「総合評価」 …); for a figure or an
    indicator, ``indicator`` is its id and ``label`` its label in the new plan (the old one if it was removed).
    ``before`` / ``after`` are printed texts ("" for nothing); for *renamed* they are the two labels.
    """

    section: int | None
    section_title: str
    item: str
    change: str
    before: str = ""
    after: str = ""
    fiscal_year: int | None = None
    kind: str = ""
    indicator: str = ""
    label: str = ""
    scope: str = FIGURE_SCOPE
    computed: bool = False
    note: str = ""
    position: int | None = None  # a narrative block's or status row's index (in the new plan; old if removed)

    @property
    def row(self) -> str:
        """The row a figure stands in, as FigureRef names it (indicator id, or section 5's row key)."""
        return self.indicator

    @property
    def change_label(self) -> str:
        return CHANGE_LABELS[self.change]

    @property
    def where(self) -> str:
        """「R8年度 (2026) 目標」: the fiscal year and kind, for a figure or an evaluation text."""
        labels = FORECAST_KIND_LABELS if self.section == FORECAST_SECTION else KIND_LABELS
        year = year_label(self.fiscal_year) if self.fiscal_year is not None else ""
        return " ".join(p for p in (year, labels.get(self.kind, self.kind)) if p)

    @property
    def remarks(self) -> str:
        """The 備考 of a 新旧対照表 row: the kind of change, and what else the reader should know."""
        parts = [self.change_label]
        if self.note:
            parts.append(self.note)
        if self.computed and NOTE_COMPUTED not in self.note:
            parts.append(NOTE_COMPUTED + "(入力した値の変更に伴い再計算)")
        return "・".join(parts)

    def record(self) -> dict[str, object]:
        """The row of ``diff --format csv|json``: section, indicator, fiscal_year, kind, change, before, after."""
        return {
            "section": self.section if self.section is not None else "",
            "indicator": self.item,
            "fiscal_year": self.fiscal_year if self.fiscal_year is not None else "",
            "kind": self.kind,
            "change": self.change,
            "before": self.before,
            "after": self.after,
        }


RECORD_COLUMNS = ("section", "indicator", "fiscal_year", "kind", "change", "before", "after")


def compare_plans(old: Plan, new: Plan, *, computed: bool = True) -> list[Difference]:
    """Every difference from ``old`` to ``new``, in reading order (see the module's doc); [] when they are the same."""
    out = list(_plan_wide(old, new))
    old_sections = {s.number: s for s in old.sections}
    new_sections = {s.number: s for s in new.sections}
    for number in _merged_order([s.number for s in old.sections], [s.number for s in new.sections]):
        before, after = old_sections.get(number), new_sections.get(number)
        out.extend(_section(old, new, before, after))
    return out if computed else [d for d in out if not d.computed]


# --- the plan as a whole ------------------------------------------------------------------------------------
def _plan_wide(old: Plan, new: Plan) -> Iterator[Difference]:
    if old.title != new.title:
        yield Difference(None, "", ITEM_PLAN_TITLE, RENAMED, old.title, new.title, scope=PLAN_SCOPE)
    for year in sorted(set(old.years) | set(new.years)):
        if year not in new.years:
            yield Difference(None, "", ITEM_YEARS, REMOVED, year_label(year), "", scope=PLAN_SCOPE)
        elif year not in old.years:
            yield Difference(None, "", ITEM_YEARS, ADDED, "", year_label(year), scope=PLAN_SCOPE)
    if old.first_forecast_year != new.first_forecast_year:
        yield Difference(None, "", ITEM_FIRST_FORECAST_YEAR, CHANGED, era_label(old.first_forecast_year),
                         era_label(new.first_forecast_year), scope=PLAN_SCOPE)


def _merged_order(old: list, new: list) -> list:
    """The keys of ``new`` in its order, each key only in ``old`` placed after the old key it followed."""
    kept = set(new)
    after: dict = {}  # a key of new (None: the start) → the old-only keys that follow it, in order
    previous = None
    for key in old:
        if key in kept:
            previous = key
        else:
            after.setdefault(previous, []).append(key)
    order = list(after.get(None, []))
    for key in new:
        order.append(key)
        order.extend(after.get(key, []))
    return order


# --- one section ------------------------------------------------------------------------------------------------
def _section(old_plan: Plan, new_plan: Plan, before: Section | None, after: Section | None) -> Iterator[Difference]:
    shown = after or before
    number, title = shown.number, shown.title
    if before is None or after is None:
        change = ADDED if before is None else REMOVED
        yield Difference(number, title, ITEM_SECTION, change, "" if before is None else before.title,
                         "" if after is None else after.title, scope=SECTION_SCOPE)
    else:
        if before.title != after.title:
            yield Difference(number, title, ITEM_SECTION_TITLE, RENAMED, before.title, after.title, scope=SECTION_SCOPE)
        if before.short_title != after.short_title:
            yield Difference(number, title, ITEM_SHORT_TITLE, RENAMED, before.short_title, after.short_title,
                             scope=SECTION_SCOPE)
    empty = Section(number, title, shown.short_title)
    before, after = before or empty, after or empty
    yield from _blocks(number, title, NARRATIVE_SCOPE, [(b.heading, b.text) for b in before.narrative],
                       [(b.heading, b.text) for b in after.narrative])
    yield from _blocks(number, title, STATUS_SCOPE, [(x.item, x.description) for x in before.status],
                       [(x.item, x.description) for x in after.status])
    if number == FORECAST_SECTION:
        yield from _forecast(old_plan, new_plan, title, bool(before is not empty), bool(after is not empty))
    yield from _indicators(old_plan, new_plan, before, after, title)
    for year in sorted({y for (s, y) in old_plan.evaluation_texts.sections if s == number}
                       | {y for (s, y) in new_plan.evaluation_texts.sections if s == number}):
        old_text = old_plan.evaluation_texts.section(number, year) if before is not empty else ""
        new_text = new_plan.evaluation_texts.section(number, year) if after is not empty else ""
        if old_text != new_text:
            yield Difference(number, title, ITEM_SECTION_EVALUATION, _text_change(old_text, new_text), old_text, new_text,
                             fiscal_year=year, scope=EVALUATION_SCOPE)


def _text_change(before: str, after: str, both: str = TEXT) -> str:
    return ADDED if not before else REMOVED if not after else both


def _block_item(scope: str, head: str) -> str:
    name = ITEM_NARRATIVE if scope == NARRATIVE_SCOPE else ITEM_STATUS
    return f"{name}「{head}」" if head else name


def _block_text(head: str, body: str) -> str:
    return "\n".join(p for p in (head, body) if p)


def _blocks(number: int, title: str, scope: str, old: list[tuple[str, str]], new: list[tuple[str, str]]) -> Iterator[Difference]:
    """Narrative blocks (heading, text) or status rows (item, description), aligned as sequences."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        events: list[tuple[float, Difference]] = []
        pairs = _pair_blocks(old, new, range(i1, i2), range(j1, j2))
        paired_old = {i: j for i, j in pairs}
        for i, j in pairs:
            (old_head, old_body), (new_head, new_body) = old[i], new[j]
            if old_head == new_head:  # the same heading (item): the passage under it was rewritten
                difference = Difference(number, title, _block_item(scope, new_head), TEXT, old_body, new_body,
                                        scope=scope, position=j)
            else:
                difference = Difference(number, title, _block_item(scope, ""), TEXT, _block_text(old_head, old_body),
                                        _block_text(new_head, new_body), scope=scope, position=j)
            events.append((j, difference))
        for j in set(range(j1, j2)) - {j for _, j in pairs}:
            events.append((j, Difference(number, title, _block_item(scope, new[j][0]), ADDED, "", _block_text(*new[j]),
                                         scope=scope, position=j)))
        for i in set(range(i1, i2)) - set(paired_old):
            # Where it stood: after the new place of the nearest block before it that was kept.
            before = next((paired_old[k] for k in range(i - 1, i1 - 1, -1) if k in paired_old), j1 - 1)
            events.append((before + 0.5, Difference(number, title, _block_item(scope, old[i][0]), REMOVED,
                                                    _block_text(*old[i]), "", scope=scope, position=i)))
        yield from (difference for _, difference in sorted(events, key=lambda e: e[0]))


def _pair_blocks(old: list[tuple[str, str]], new: list[tuple[str, str]], olds: range, news: range) -> list[tuple[int, int]]:
    """Blocks of a replaced run that are one block rewritten: same heading first, then the rest in order."""
    pairs: list[tuple[int, int]] = []
    free = list(olds)
    for j in news:
        i = next((i for i in free if old[i][0] == new[j][0] and old[i][0]), None)
        if i is not None:
            free.remove(i)
            pairs.append((i, j))
    if not pairs:  # nothing to go by but the order: the first of each side are the same block reworded
        pairs = list(zip(olds, news, strict=False))
    return sorted(pairs, key=lambda p: p[1])


# --- section 5's tables --------------------------------------------------------------------------------------------
def _forecast(old: Plan, new: Plan, title: str, had: bool, has: bool) -> Iterator[Difference]:
    years = _years(old, new)
    for spec in fc.ALL_ROWS.values():
        label = fc.printed_label(spec)
        for year in (years if spec.per_year else (None,)):
            for kind in (KINDS if spec.per_year else (PLAN,)):
                ref = forecast_ref(spec.key, year, kind)
                before = old.figure(ref) if had and (year is None or year in old.years) else BLANK
                after = new.figure(ref) if has and (year is None or year in new.years) else BLANK
                computed = not (new if has else old).is_input(ref)
                yield from _figure(FORECAST_SECTION, title, label, spec.key, label, year, kind, before, after, computed)


def _years(old: Plan, new: Plan) -> list[int]:
    return sorted(set(old.years) | set(new.years))


def _figure(number: int, title: str, item: str, row: str, label: str, year: int | None, kind: str, before: Figure,
            after: Figure, computed: bool) -> Iterator[Difference]:
    if before == after or before.text == after.text:
        return
    change = ADDED if before.is_blank else REMOVED if after.is_blank else CHANGED
    yield Difference(number, title, item, change, before.text, after.text, fiscal_year=year, kind=kind, indicator=row,
                     label=label, scope=FIGURE_SCOPE, computed=computed, note=NOTE_COMPUTED if computed else "")


# --- indicator tables ------------------------------------------------------------------------------------------------
def _indicators(old_plan: Plan, new_plan: Plan, before: Section, after: Section, title: str) -> Iterator[Difference]:
    number = after.number
    old_ids = [i.id for i in before.indicators]
    new_ids = [i.id for i in after.indicators]
    moved = _moved(old_ids, new_ids)
    years = _years(old_plan, new_plan)
    for id in _merged_order(old_ids, new_ids):
        old_row, new_row = before.indicator(id), after.indicator(id)
        shown = new_row or old_row
        label = shown.label
        common = dict(section=number, section_title=title, indicator=id, label=label)
        if old_row is None or new_row is None:
            change = ADDED if old_row is None else REMOVED
            yield Difference(item=label, change=change, before="" if old_row is None else label,
                             after="" if new_row is None else label, scope=INDICATOR_SCOPE,
                             note=_describe(shown), computed=foster.is_computed(shown.role), **common)
        else:
            if old_row.label != new_row.label:
                yield Difference(item=label, change=RENAMED, before=old_row.label, after=new_row.label,
                                 scope=INDICATOR_SCOPE, **common)
            yield from _attributes(old_row, new_row, common)
            if id in moved:
                yield Difference(item=label, change=MOVED, before=f"{old_ids.index(id) + 1}行目",
                                 after=f"{new_ids.index(id) + 1}行目", scope=INDICATOR_SCOPE, note=NOTE_POSITION, **common)
        computed = foster.is_computed(shown.role)
        for year in years:
            for kind in KINDS:
                old_figure = old_row.figure(year, kind) if old_row is not None and year in old_plan.years else BLANK
                new_figure = new_row.figure(year, kind) if new_row is not None and year in new_plan.years else BLANK
                yield from _figure(number, title, label, id, label, year, kind, old_figure, new_figure, computed)
        yield from _evaluation(old_plan, new_plan, number, title, id, label, old_row is not None, new_row is not None)


def _describe(indicator: Indicator) -> str:
    parts = []
    if indicator.unit:
        parts.append(f"{NOTE_UNIT}: {indicator.unit}")
    parts.append(f"{NOTE_DIRECTION}: {indicator.direction.label}")
    return "、".join(parts)


def _attributes(old: Indicator, new: Indicator, common: dict) -> Iterator[Difference]:
    label = common["label"]
    pairs = [
        (NOTE_UNIT, old.unit or "なし", new.unit or "なし"),
        (NOTE_PRINT_UNIT, _yes(old.print_unit, "あり", "なし"), _yes(new.print_unit, "あり", "なし")),
        (NOTE_DIRECTION, old.direction.label, new.direction.label),
        (NOTE_ROLE, _role(old.role), _role(new.role)),
    ]
    if old.unit != new.unit or not old.unit:  # a row without a unit prints none: that is not a second change
        pairs[1] = (NOTE_PRINT_UNIT, "", "")
    for what, before, after in pairs:
        if before != after:
            yield Difference(item=label, change=CHANGED, before=f"{what}: {before}", after=f"{what}: {after}",
                             scope=INDICATOR_SCOPE, note=what, **common)


def _yes(value: bool, yes: str, no: str) -> str:
    return yes if value else no


def _role(role: str) -> str:
    from .plan import ADOPTION_ROLE

    return "はい" if role == ADOPTION_ROLE else "いいえ"


def _moved(old: list[str], new: list[str]) -> set[str]:
    """Ids of rows whose order among the rows kept changed: those outside the longest run kept in order."""
    kept = set(old) & set(new)
    old_kept = [i for i in old if i in kept]
    new_kept = [i for i in new if i in kept]
    matcher = difflib.SequenceMatcher(None, old_kept, new_kept, autojunk=False)
    in_order = {old_kept[block.a + k] for block in matcher.get_matching_blocks() for k in range(block.size)}
    return kept - in_order


def _evaluation(old: Plan, new: Plan, number: int, title: str, id: str, label: str, had: bool, has: bool) -> Iterator[Difference]:
    years = sorted({y for (s, i, y) in old.evaluation_texts.indicators if (s, i) == (number, id)}
                   | {y for (s, i, y) in new.evaluation_texts.indicators if (s, i) == (number, id)})
    for year in years:
        before = old.evaluation_texts.indicator(number, id, year) if had else IndicatorTexts()
        after = new.evaluation_texts.indicator(number, id, year) if has else IndicatorTexts()
        for name in TEXT_FIELDS:
            old_text, new_text = getattr(before, name), getattr(after, name)
            if old_text != new_text:
                yield Difference(number, title, f"{label} {TEXT_FIELD_LABELS[name]}", _text_change(old_text, new_text),
                                 old_text, new_text, fiscal_year=year, indicator=id, label=label, scope=EVALUATION_SCOPE)
    old_choice = old.evaluation_texts.summary(number, id) if had else None
    new_choice = new.evaluation_texts.summary(number, id) if has else None
    if old_choice != new_choice:
        before, after = _summary(old_choice), _summary(new_choice)
        yield Difference(number, title, f"{label} {ITEM_SUMMARY}", _text_change(before, after, CHANGED), before, after,
                         indicator=id, label=label, scope=EVALUATION_SCOPE)


def _summary(choice) -> str:
    if choice is None:
        return ""
    text = SUMMARY_LABELS[choice.summary]
    return f"{text}({choice.reason})" if choice.reason else text


def is_text_scope(difference: Difference) -> bool:
    """Whether before/after are passages (marked character by character) rather than figures or labels."""
    return difference.scope in (NARRATIVE_SCOPE, STATUS_SCOPE, EVALUATION_SCOPE) or difference.change == RENAMED


def group_by_section(differences: Iterable[Difference]) -> list[tuple[str, list[Difference]]]:
    """(heading, differences) per section in order; plan-wide differences first under 「計画全体」."""
    groups: list[tuple[str, list[Difference]]] = []
    key = object()
    for difference in differences:
        current = (difference.section, difference.section_title if difference.section is not None else "")
        if current != key:
            key = current
            groups.append((section_heading(difference), []))
        groups[-1][1].append(difference)
    return groups


def section_heading(difference: Difference) -> str:
    if difference.section is None:
        return "計画全体"
    title = difference.section_title
    number = str(difference.section)
    return title if title.startswith(number + " ") or title == number else f"{number} {title}".strip()


def summary_line(differences: list[Difference]) -> str:
    """「変更 12件(変更 8・追加 2・名称変更 1・文章の変更 1)」."""
    if not differences:
        return "相違はありません"
    counts = {kind: sum(1 for d in differences if d.change == kind) for kind in CHANGE_KINDS}
    parts = "・".join(f"{CHANGE_LABELS[k]} {n}" for k, n in counts.items() if n)
    return f"相違 {len(differences)} 件({parts})"


__all__ = ["CHANGE_KINDS", "RECORD_COLUMNS", "Difference", "compare_plans", "group_by_section", "is_text_scope", "summary_line"]
