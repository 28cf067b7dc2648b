"""Figures as the plan prints them: the number and its printed dressing.

A figure such as 「7か所(試行実施)」 is the number 7, the unit か所 and the note
試行実施; 「1回以上」 is 1, 回, and the qualifier 以上. Parsing accepts what people
type on Japanese PCs (full-width digits, separators, spaces); formatting a parsed
figure gives back the canonical printed text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cached_property, lru_cache

UNITS = ("か所", "人", "日", "回", "件", "区", "班", "施設", "名", "世帯", "%")
UNIT_SYNONYMS = {
    "ヶ所": "か所",
    "ケ所": "か所",
    "カ所": "か所",
    "ヵ所": "か所",
    "箇所": "か所",
    "％": "%",
}
QUALIFIERS = ("以上", "以下")
MAX_DIGITS = 30  # no figure of a plan needs more; longer digit runs stay text
# Runs up to MAX_DIGITS parse as numbers here; core.plausibility refuses those beyond Excel's 15 significant
# digits, so that typed, loaded and checked figures share one rule and the refusal can name the cell.
QUOTE_LIMIT = 40  # characters of a typed or loaded text quoted back in a message
_UNQUOTABLE = frozenset({"Cc", "Zl", "Zp"})  # control characters and Unicode line breaks
DASHES = {"-", "‐", "−", "―", "—", "–", "ー", "－"}
_MINUS_SIGNS = str.maketrans({"−": "-", "‐": "-", "–": "-", "—": "-", "▲": "-", "△": "-"})

_NUMBER = re.compile(
    r"^(?P<sign>[-+]?)\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(?P<rest>.*)$"
)
_NOTE = re.compile(r"^(?P<body>.*?)\s*\((?P<note>[^()]*)\)$")


class FigureError(ValueError):
    """Raised when text cannot be a figure of a given indicator; the message is Japanese."""


@dataclass(frozen=True)
class Figure:
    """One printed figure: 「241,047」「0.144%」「7か所(試行実施)」「1回以上」「-」.

    ``number`` is None for a blank cell, for 「-」 (no value) and for text that holds
    no number; ``literal`` keeps that text.
    """

    number: Decimal | None = None
    decimals: int = 0
    unit: str = ""
    unit_printed: bool = True
    qualifier: str = ""
    suffix: str = ""
    note: str = ""
    literal: str = ""

    @property
    def has_value(self) -> bool:
        return self.number is not None

    @property
    def is_blank(self) -> bool:
        return self.number is None and not self.literal

    @property
    def is_dash(self) -> bool:
        return self.number is None and self.literal == "-"

    @property
    def evaluable(self) -> bool:
        """Whether progress can be judged on it: text without a number cannot."""
        return self.number is not None

    @property
    def at_least(self) -> bool:
        return self.qualifier == "以上"

    @cached_property
    def text(self) -> str:
        """The figure as the plan prints it (computed once: tables ask for it on every repaint)."""
        if self.number is None:
            return self.literal
        out = format_number(self.number, self.decimals)
        if self.unit and self.unit_printed:
            out += self.unit
        out += self.qualifier + self.suffix
        if self.note:
            out += f"({self.note})"
        return out

    @property
    def plain_value(self) -> str:
        """The number as printed, in plain ASCII: 0.144 for 「0.144%」, 241047 for 「241,047」."""
        if self.number is None:
            return ""
        return format_number(self.number, self.decimals, grouping=False)

    def __str__(self) -> str:
        return self.text

    def with_number(self, number: Decimal | int | str | None, decimals: int | None = None) -> Figure:
        """The same dressing around another number (a recomputed value, say)."""
        if number is None:
            return replace(self, number=None, literal="")
        value = Decimal(str(number))
        places = self.decimals if decimals is None else decimals
        return replace(self, number=round_half_up(value, places), decimals=places, literal="")


BLANK = Figure()
DASH = Figure(literal="-")


_EXPONENTS = {places: Decimal(1).scaleb(-places) for places in range(11)}


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    """Rounding as people and the plan do it (0.5 goes up), not banker's rounding."""
    exponent = _EXPONENTS.get(places) or Decimal(1).scaleb(-places)
    if value.adjusted() + places < 25:  # fits the default 28-digit context: the common, fast case
        return value.quantize(exponent, rounding=ROUND_HALF_UP)
    with localcontext() as ctx:
        ctx.prec = value.adjusted() + places + 3
        return value.quantize(exponent, rounding=ROUND_HALF_UP)


def format_number(number: Decimal, decimals: int, grouping: bool = True) -> str:
    value = round_half_up(number, decimals)
    if value == 0:
        value = abs(value)
    spec = f"{',' if grouping else ''}.{decimals}f"
    return format(value, spec)


def normalize_text(text: str) -> str:
    """Full-width digits, signs and spaces folded (NFKC), surrounding space removed."""
    folded = unicodedata.normalize("NFKC", text).translate(_MINUS_SIGNS)
    return folded.strip()


def quoted(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` fit to be quoted in a message: control characters as spaces, at most ``limit`` characters.

    A cell may hold a megabyte of text or line breaks; echoed whole it would swamp the message bar.
    """
    if text.isprintable() and len(text) <= limit:  # the usual case, checked in C
        return text
    clean = "".join(" " if unicodedata.category(ch) in _UNQUOTABLE else ch for ch in text[: limit + 1])
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _normalize_unit(text: str) -> str:
    for variant, unit in UNIT_SYNONYMS.items():
        text = text.replace(variant, unit)
    return text


def parse_figure(text: str | None) -> Figure:
    """Read a figure as typed or printed; text without a number stays text.

    Figures are immutable, so the same text always gives the same (cached) figure.

    >>> parse_figure("7か所(試行実施)").text
    '7か所(試行実施)'
    >>> parse_figure("１，０００人").number
    Decimal('1000')
    """
    if text is None:
        return BLANK
    return _parse(str(text))


@lru_cache(maxsize=8192)
def _parse(raw: str) -> Figure:
    folded = normalize_text(raw)
    if not folded:
        return BLANK
    if folded in DASHES:
        return DASH
    note = ""
    body = folded
    match = _NOTE.match(folded)
    if match and match.group("body"):
        body, note = match.group("body"), match.group("note").strip()
    number_match = _NUMBER.match(body)
    if not number_match:
        return Figure(literal=raw.strip())
    digits = number_match.group("num").replace(",", "")
    if len(digits) > MAX_DIGITS:
        return Figure(literal=raw.strip())
    try:
        number = Decimal(digits)
    except InvalidOperation:
        return Figure(literal=raw.strip())
    if number_match.group("sign") == "-":
        number = -number
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    rest = _normalize_unit(number_match.group("rest").replace(" ", ""))
    unit = next((u for u in UNITS if rest.startswith(u)), "")
    tail = rest[len(unit):]
    qualifier = tail if tail in QUALIFIERS else ""
    suffix = "" if qualifier else tail
    return Figure(
        number=number,
        decimals=decimals,
        unit=unit,
        unit_printed=bool(unit),
        qualifier=qualifier,
        suffix=suffix,
        note=note,
    )


def check_fits(figure: Figure, unit: str) -> None:
    """Raise FigureError (Japanese) unless ``figure`` can stand in a row whose unit is ``unit``.

    It must carry a number (or be blank or 「-」), and a unit typed with it must be the row's own.
    """
    if figure.number is None:
        if figure.is_blank or figure.is_dash:
            return
        raise FigureError(f"「{quoted(figure.literal)}」は数値として読めません(例: 94、1,000人、1回以上、-)")
    if figure.unit and unit and figure.unit != unit:
        raise FigureError(f"単位「{figure.unit}」はこの行の単位「{unit}」と異なります")
    if figure.unit and not unit:
        raise FigureError(f"この行には単位を付けません(「{figure.unit}」)")
    if any(ch.isascii() and ch.isalnum() for ch in figure.suffix + figure.qualifier):
        raise FigureError(f"「{quoted(figure.text)}」の「{quoted(figure.suffix)}」は読めません")


def dress(figure: Figure, unit: str, print_unit: bool) -> Figure:
    """The figure in its row's unit, printed with it or not as the row prints."""
    printed = print_unit and bool(unit)
    if figure.number is None or (figure.unit == unit and figure.unit_printed == printed):
        return figure
    return Figure(figure.number, figure.decimals, unit, printed, figure.qualifier, figure.suffix, figure.note, figure.literal)


def conform(figure: Figure, unit: str, print_unit: bool) -> Figure:
    """Fit a parsed figure to a row's unit, or say in Japanese why it cannot be.

    Used wherever a figure enters a row of the plan (typed, pasted or loaded).
    """
    check_fits(figure, unit)
    return dress(figure, unit, print_unit)


def parse_for_row(text: str | None, unit: str, print_unit: bool) -> Figure:
    return conform(parse_figure(text), unit, print_unit)
