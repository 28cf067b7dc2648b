"""The plan as data: sections, their narratives, status tables and indicators.

Every figure of the plan is addressed by a :class:`FigureRef`; reading and writing
go through :class:`Plan` so that a change is validated, the forecast recomputed
and listeners told exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from . import forecast as fc
from . import foster
from . import scenarios as sc
from .change import Change
from .evaluation_texts import IV_NEEDS_REASON, EvaluationTexts, IndicatorTexts, SummaryChoice
from .events import Event
from .fiscal import FIRST_FORECAST_YEAR, PLAN_YEARS, year_label
from .values import BLANK, Figure, FigureError, conform, parse_figure

PLAN = fc.PLAN
ACTUAL = fc.ACTUAL
KINDS = (PLAN, ACTUAL)
FORECAST_SECTION = 5
ADOPTION_SECTION = 7
ADOPTION_LABEL = "児童相談所を通じた特別養子縁組の成立件数"  # the published plan's adoption row (its id in version-1 books)
ADOPTION_ROLE = "adoption"
KIND_LABELS = {PLAN: "目標", ACTUAL: "実績"}
FORECAST_KIND_LABELS = {PLAN: "見込み", ACTUAL: "実績"}  # section 5's targets are its 見込み


class Direction(Enum):
    """Which way is good for an indicator."""

    HIGHER = "higher"
    LOWER = "lower"
    AT_LEAST = "at_least"
    EXACT = "exact"

    @property
    def label(self) -> str:
        return DIRECTION_LABELS[self]

    @classmethod
    def from_label(cls, text: str) -> Direction | None:
        for direction, label in DIRECTION_LABELS.items():
            if text.strip() in (label, direction.value):
                return direction
        return None


DIRECTION_LABELS = {
    Direction.HIGHER: "高いほど良い",
    Direction.LOWER: "低いほど良い",
    Direction.AT_LEAST: "以上で達成",
    Direction.EXACT: "一致で達成",
}


@dataclass(frozen=True)
class FigureRef:
    """The address of one figure: section, row (indicator label or forecast row key), year, kind."""

    section: int
    row: str
    year: int | None
    kind: str = PLAN


@dataclass
class Indicator:
    """A row of a section's 評価のための指標 table.

    ``id`` is its identity: figures, undo commands and links address it, and it stays when the label is reworded.
    An indicator read without one (a workbook of format version 1, the published plan) gets its label as id,
    the same on every load. ``role`` says what else the plan uses it for (ADOPTION_ROLE: the forecast's 特別養子縁組控除).
    """

    label: str
    unit: str = ""
    print_unit: bool = True
    direction: Direction = Direction.HIGHER
    plan: dict[int, Figure] = field(default_factory=dict)
    actual: dict[int, Figure] = field(default_factory=dict)
    id: str = ""
    role: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = self.label

    def figure(self, year: int, kind: str) -> Figure:
        return (self.plan if kind == PLAN else self.actual).get(year, BLANK)

    def set_figure(self, year: int, kind: str, figure: Figure) -> None:
        values = self.plan if kind == PLAN else self.actual
        if figure.is_blank:
            values.pop(year, None)
        else:
            values[year] = figure


@dataclass
class StatusItem:
    """A row of 「現在の整備・取組状況」: the item and what the city does about it."""

    item: str
    description: str


@dataclass
class NarrativeBlock:
    heading: str
    text: str


@dataclass
class Section:
    number: int
    title: str
    short_title: str
    narrative: list[NarrativeBlock] = field(default_factory=list)
    status: list[StatusItem] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def indicator(self, id: str) -> Indicator | None:
        """The indicator whose id is ``id`` (not its label: see :meth:`by_label`)."""
        # A large plan has hundreds of rows per section and every table paint asks: an index keeps lookups O(1).
        index = self._index.get(id)
        if index is not None and index < len(self.indicators) and self.indicators[index].id == id:
            return self.indicators[index]
        self._index = {i.id: n for n, i in enumerate(self.indicators)}
        index = self._index.get(id)
        return None if index is None else self.indicators[index]

    def by_label(self, label: str) -> Indicator | None:
        return next((i for i in self.indicators if i.label == label), None)

    def index_of(self, id: str) -> int:
        indicator = self.indicator(id)
        if indicator is None:
            raise KeyError(id)
        return self._index[id]

    def new_indicator_id(self) -> str:
        """An id no indicator of this section has (nor its labels, which serve as ids of version-1 rows)."""
        taken = {i.id for i in self.indicators} | {i.label for i in self.indicators}
        n = len(self.indicators) + 1
        while f"{self.number}-{n}" in taken:
            n += 1
        return f"{self.number}-{n}"

    @property
    def display_name(self) -> str:
        return f"{self.number} {self.short_title}"


class Plan:
    """The whole 社会的養育推進計画 with its live section-5 forecast."""

    def __init__(
        self,
        sections: list[Section],
        forecast_inputs: fc.ForecastInputs | None = None,
        title: str = "川崎市社会的養育推進計画",
        years: tuple[int, ...] = PLAN_YEARS,
    ) -> None:
        self.title = title
        self.years = years
        self.sections = sections
        self._sections: dict[int, tuple[int, Section]] = {}  # number → (place in self.sections, section)
        # The forecast scenarios (core/scenarios.py): the adopted one's inputs are forecast_inputs.
        self.scenarios = [sc.Scenario("s1", sc.DEFAULT_NAME, forecast_inputs or fc.ForecastInputs(years=years))]
        self.adopted_id = "s1"
        self.stored_derived: dict[tuple[str, int | None, str], Figure] = {}
        self.load_warnings: list[str] = []
        self.evaluation_texts = EvaluationTexts()
        self.source: object | None = None  # the workbook it was read from (io's BookSource): saving writes back into it
        self.figure_changed = Event()
        self.forecast_changed = Event()
        self.structure_changed = Event()  # a section's rows or texts, or (None) the sections or years: core/structure.py
        self.changed = Event()  # once per edit, with a Change naming every figure (derived too) and section it changed
        self.forecast = fc.ForecastResult()
        self.recompute()

    # --- structure -------------------------------------------------------
    def section(self, number: int) -> Section:
        # Asked for every painted cell: the remembered place is checked by identity (a section added again after an
        # undo equals the one taken away, but is another object) and looked up again when anything moved.
        place, section = self._sections.get(number, (-1, None))
        if section is None or place >= len(self.sections) or self.sections[place] is not section:
            self._sections = {s.number: (n, s) for n, s in enumerate(self.sections)}
            place, section = self._sections.get(number, (-1, None))
        if section is None:
            raise KeyError(number)
        return section

    @property
    def forecast_inputs(self) -> fc.ForecastInputs:
        """What section 5 shows and computes: the inputs of the adopted scenario (採用)."""
        return sc.adopted(self).inputs

    @forecast_inputs.setter
    def forecast_inputs(self, inputs: fc.ForecastInputs) -> None:
        sc.adopted(self).inputs = inputs

    @property
    def first_forecast_year(self) -> int:
        return self.forecast_inputs.first_year

    def adoption_indicator(self) -> Indicator | None:
        """The indicator whose figures the forecast deducts as special adoptions (特別養子縁組控除), if any."""
        ref = self.adoption_ref()
        return None if ref is None else self.section(ref[0]).indicator(ref[1])

    def adoption_ref(self) -> tuple[int, str] | None:
        """(section, indicator id) of the adoption row: the one with ADOPTION_ROLE."""
        for section in self.sections:
            for indicator in section.indicators:
                if indicator.role == ADOPTION_ROLE:
                    return section.number, indicator.id
        return None

    # --- reading ---------------------------------------------------------
    def figure(self, ref: FigureRef) -> Figure:
        if ref.section == FORECAST_SECTION and ref.row in fc.ALL_ROWS:
            if self.is_input(ref):
                return self.forecast_inputs.get(ref.row, ref.year, ref.kind)
            return self.forecast.get(ref.row, ref.year, ref.kind)
        indicator = self.section(ref.section).indicator(ref.row)
        if indicator is None:
            raise KeyError(ref)
        return indicator.figure(ref.year, ref.kind)

    def figure_name(self, ref: FigureRef) -> str:
        """「節2「…」R8年度 (2026) 目標」: a figure as the planner finds it, by its row's label (not its id)."""
        if ref.section == FORECAST_SECTION and ref.row in fc.ALL_ROWS:
            label, kinds = fc.printed_label(fc.ALL_ROWS[ref.row]), FORECAST_KIND_LABELS
        else:
            try:
                indicator = self.section(ref.section).indicator(ref.row)
            except KeyError:
                indicator = None
            label, kinds = (indicator.label if indicator is not None else ref.row), KIND_LABELS
        year = f"{year_label(ref.year)} " if ref.year is not None else ""
        return f"節{ref.section}「{label}」{year}{kinds.get(ref.kind, ref.kind)}"

    def has_derived(self, section: int) -> bool:
        """Whether any figure of ``section`` is computed: without one, is_input is True for all of them."""
        if section == FORECAST_SECTION:
            return True
        try:
            return any(foster.is_computed(i.role) for i in self.section(section).indicators)
        except KeyError:
            return False

    def is_input(self, ref: FigureRef) -> bool:
        """Whether the planner may type this figure; derived section-5 rows and section 8's placements are computed."""
        if ref.section == FORECAST_SECTION and ref.row in fc.ALL_ROWS:
            return fc.is_input(ref.row, ref.year, ref.kind, self.first_forecast_year)
        if ref.section == FORECAST_SECTION:
            return True
        try:
            indicator = self.section(ref.section).indicator(ref.row)
        except KeyError:
            return True
        return indicator is None or not foster.is_computed(indicator.role)

    def row_unit(self, ref: FigureRef) -> tuple[str, bool]:
        if ref.section == FORECAST_SECTION and ref.row in fc.ALL_ROWS:
            spec = fc.ALL_ROWS[ref.row]
            return spec.unit, spec.print_unit
        indicator = self.section(ref.section).indicator(ref.row)
        if indicator is None:
            raise KeyError(ref)
        return indicator.unit, indicator.print_unit

    def adoption_numbers(self) -> dict[tuple[int, str], Decimal | None]:
        indicator = self.adoption_indicator()
        if indicator is None:
            return {}
        return {(y, k): indicator.figure(y, k).number for y in self.years for k in KINDS}

    # --- writing ---------------------------------------------------------
    def prepare(self, ref: FigureRef, value: Figure | str | None) -> Figure:
        """The figure ``value`` would become at ``ref``; raises FigureError (Japanese) if refused."""
        if not self.is_input(ref):
            raise FigureError("この値は計算で求めるため直接入力できません")
        # Imported here: plausibility reads plans, so a module-level import would be circular.
        from .plausibility import Severity, figure_finding

        figure = value if isinstance(value, Figure) else parse_figure(value)
        unit, print_unit = self.row_unit(ref)
        figure = conform(figure, unit, print_unit)
        finding = figure_finding(self, ref, figure)
        if finding is not None and finding.severity is Severity.REFUSED:
            raise FigureError(finding.message)
        return figure

    def set_figure(self, ref: FigureRef, value: Figure | str | None) -> Figure:
        """Validate and store one figure; returns what was stored."""
        return self.set_figures([(ref, value)])[0]

    def set_figures(self, changes: list[tuple[FigureRef, Figure | str | None]]) -> list[Figure]:
        """Store several figures as one change: all are validated first, listeners hear once each."""
        prepared = [(ref, self.prepare(ref, value)) for ref, value in changes]
        changed = [ref for ref, figure in prepared if self._store(ref, figure)]
        derived = self.recompute_changes() if any(self._affects_forecast(ref) for ref in changed) else frozenset()
        for ref in changed:
            self.figure_changed.emit(ref)
        if changed:
            self.changed.emit(Change(figures=frozenset(changed) | derived))
        return [figure for _, figure in prepared]

    # --- evaluation texts ---------------------------------------------------
    def set_indicator_texts(self, section: int, id: str, year: int, texts: IndicatorTexts) -> None:
        """Store one indicator's 実績・取組状況 / 要因分析 / 今後の方向性 for ``year``; an empty set removes them."""
        key = (section, id, year)
        store = self.evaluation_texts.indicators
        if store.get(key, IndicatorTexts()) == texts:
            return
        if texts.is_empty:
            store.pop(key, None)
        else:
            store[key] = texts
        self.changed.emit(Change(texts=frozenset({("indicator", *key)})))

    def set_section_text(self, section: int, year: int, text: str) -> None:
        """Store a section's 総合評価 for ``year``; an empty text removes it."""
        key = (section, year)
        store = self.evaluation_texts.sections
        if store.get(key, "") == text:
            return
        if text:
            store[key] = text
        else:
            store.pop(key, None)
        self.changed.emit(Change(texts=frozenset({("section", *key)})))

    def set_summary(self, section: int, id: str, choice: SummaryChoice | None) -> None:
        """Choose an indicator's period summary by hand (None: back to the suggested one); IV without its reason is
        refused with FigureError (Japanese)."""
        if choice is not None and choice.needs_reason:
            raise FigureError(IV_NEEDS_REASON)
        key = (section, id)
        store = self.evaluation_texts.summaries
        if store.get(key) == choice:
            return
        if choice is None:
            store.pop(key, None)
        else:
            store[key] = choice
        self.changed.emit(Change(texts=frozenset({("summary", *key)})))

    def _store(self, ref: FigureRef, figure: Figure) -> bool:
        if self.figure(ref) == figure:
            return False
        if ref.section == FORECAST_SECTION and ref.row in fc.ALL_ROWS:
            cells = self.forecast_inputs.cells
            key = (ref.row, ref.year, ref.kind)
            if figure.is_blank:
                cells.pop(key, None)
            else:
                cells[key] = figure
        else:
            self.section(ref.section).indicator(ref.row).set_figure(ref.year, ref.kind, figure)
        return True

    def _affects_forecast(self, ref: FigureRef) -> bool:
        if (ref.section == FORECAST_SECTION and ref.row in fc.ALL_ROWS) or (ref.section, ref.row) == self.adoption_ref():
            return True
        indicator = self.section(ref.section).indicator(ref.row)
        return indicator is not None and foster.is_rate(indicator.role)

    def recompute(self) -> None:
        self.forecast = fc.compute(self.forecast_inputs, self.adoption_numbers())
        foster.fill_needed(self)
        self.forecast_changed.emit()

    def recompute_changes(self) -> frozenset[FigureRef]:
        """Recompute, and say which derived figures (section 5's, section 8's placements) changed."""
        cells = self.forecast.cells  # recompute makes a new result: this one stays as it was
        computed = self._computed_rows()
        figures = {key: dict(indicator.plan) for key, indicator in computed.items()}
        self.recompute()
        after = self.forecast.cells
        changed = {FigureRef(FORECAST_SECTION, *key) for key in cells.keys() | after.keys() if cells.get(key) != after.get(key)}
        for (number, id), indicator in computed.items():
            old, new = figures[(number, id)], indicator.plan
            changed.update(FigureRef(number, id, year, PLAN) for year in old.keys() | new.keys() if old.get(year) != new.get(year))
        return frozenset(changed)

    def _computed_rows(self) -> dict[tuple[int, str], Indicator]:
        """Section 8's placements and any other row the plan computes, by (section, id)."""
        return {(s.number, i.id): i for s in self.sections for i in s.indicators if foster.is_computed(i.role)}


def default_roles(sections: list[Section]) -> None:
    """A plan read without roles (version-1 books, the published plan): section 7's adoption row deducts adoptions."""
    if any(i.role == ADOPTION_ROLE for s in sections for i in s.indicators):
        return
    for section in sections:
        if section.number == ADOPTION_SECTION:
            indicator = section.by_label(ADOPTION_LABEL)
            if indicator is not None:
                indicator.role = ADOPTION_ROLE


def plan_snapshot(plan: Plan) -> tuple:
    """Everything a saved workbook must give back: texts, figures with their dressing, directions, inputs, scenarios."""
    sections = tuple(
        (
            s.number, s.title, s.short_title,
            tuple((b.heading, b.text) for b in s.narrative),
            tuple((x.item, x.description) for x in s.status),
            tuple((i.id, i.label, i.unit, i.print_unit, i.direction, i.role, tuple(sorted(i.plan.items())),
                   tuple(sorted(i.actual.items())))
                  for i in s.indicators),
        )
        for s in plan.sections
    )
    inputs = tuple(sorted(plan.forecast_inputs.cells.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])))
    return (plan.title, plan.years, plan.first_forecast_year, sections, inputs, plan.evaluation_texts.snapshot(),
            sc.snapshot(plan))


def forecast_ref(key: str, year: int | None, kind: str = PLAN) -> FigureRef:
    return FigureRef(FORECAST_SECTION, key, year, kind)


__all__ = [
    "ACTUAL",
    "ADOPTION_LABEL",
    "ADOPTION_ROLE",
    "FIRST_FORECAST_YEAR",
    "KINDS",
    "PLAN",
    "Direction",
    "FigureRef",
    "Indicator",
    "NarrativeBlock",
    "Plan",
    "Section",
    "StatusItem",
    "default_roles",
    "forecast_ref",
    "plan_snapshot",
]
