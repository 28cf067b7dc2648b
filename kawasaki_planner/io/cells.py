"""A figure as an Excel cell and back.

Figures are stored as real numbers whose number format prints them as the plan
does: 993 with ``#,##0"人"`` shows 「993人」, 0.00144 with ``0.000%`` shows
「0.144%」, 1 with ``0"回以上"`` shows 「1回以上」. Excel can compute with them,
and the reader recovers unit, qualifier and note from the format.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..core.values import Figure, FigureError, format_number, parse_figure, round_half_up

FORMULA_STARTS = ("=", "+", "-", "@")
_QUOTED = re.compile(r'"([^"]*)"|\\(.)')
_MAX_DECIMALS = 10


def number_format(figure: Figure) -> str:
    """The Excel number format that prints ``figure`` exactly as the plan does."""
    return _number_format(figure.unit, figure.unit_printed, figure.decimals, figure.qualifier + figure.suffix, figure.note)


@lru_cache(maxsize=4096)
def _number_format(unit: str, unit_printed: bool, decimals: int, trailer: str, note: str) -> str:
    # Cached: a large plan writes a hundred thousand figures in a few dozen formats.
    percent = unit == "%" and unit_printed
    pattern = "0" if percent else "#,##0"
    if decimals:
        pattern += "." + "0" * decimals
    if percent:
        pattern += "%"
    literal = unit if unit and unit != "%" and unit_printed else ""
    literal += trailer
    if note:
        literal += f"({note})"
    if literal:
        pattern += '"' + literal.replace('"', "") + '"'
    return pattern


def empty_format(unit: str, print_unit: bool, figures: list[Figure], decimals: int = 0) -> str:
    """The number format an empty figure cell gets, so that a number typed there in Excel prints like its row."""
    shown = [f.decimals for f in figures if f.has_value]
    places = max(shown) if shown else decimals
    return _number_format(unit, print_unit and bool(unit), places, "", "")


def cell_value(figure: Figure) -> tuple[object, str | None]:
    """(value, number format) for a figure; formats are None for text and blanks."""
    if figure.number is None:
        return (figure.literal or None), None
    if '"' in figure.note + figure.suffix:
        return figure.text, None
    number = figure.number
    if figure.unit == "%" and figure.unit_printed:
        return float(number / 100), number_format(figure)
    if figure.decimals == 0 and number == number.to_integral_value():
        return int(number), number_format(figure)
    return float(number), number_format(figure)


def _decimals_of(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return min(max(0, -exponent), _MAX_DECIMALS) if isinstance(exponent, int) else 0


@dataclass(frozen=True)
class _Format:
    """What a number format says about the figure: percent, shown decimals, and the printed dressing."""

    percent: bool
    decimals: int
    dressing: Figure


@lru_cache(maxsize=1024)
def _read_format(fmt: str | None) -> _Format:
    section = (fmt or "General").split(";")[0]
    literal = "".join(a or b for a, b in _QUOTED.findall(section))
    pattern = _QUOTED.sub("", section)
    if pattern.strip().lower() in ("general", "@", ""):
        return _Format(False, 0, parse_figure("0" + literal))
    match = re.search(r"\.([0#?]+)", pattern)
    percent = "%" in pattern
    return _Format(percent, len(match.group(1)) if match else 0, parse_figure("0" + ("%" if percent else "") + literal))


@lru_cache(maxsize=65536)
def number_figure(value: float | int | Decimal, fmt: str | None) -> Figure:
    """A numeric cell as the figure its number format prints (unit, 以上, note from the format's text).

    Cached: plans repeat the same figures across rows and years, and figures are immutable.
    """
    spec = _read_format(fmt)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if spec.percent:
        number *= 100
    decimals = max(spec.decimals, _decimals_of(number))
    number = round_half_up(number, decimals) + 0  # + 0 folds -0 into 0
    d = spec.dressing
    if d.number is None:
        return Figure(number, decimals, literal="") if not d.literal else parse_figure(format_number(number, decimals) + d.literal)
    return Figure(number, decimals, d.unit, d.unit_printed, d.qualifier, d.suffix, d.note)


def cell_to_figure(value: object, fmt: str | None) -> Figure:
    """Read a cell as a figure; raises FigureError (Japanese) for dates, booleans and the like."""
    if value is None:
        return Figure()
    if isinstance(value, bool):
        raise FigureError("TRUE/FALSE は数値として読めません")
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        raise FigureError("日付・時刻の形式になっています。数値として入力してください")
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            raise FigureError("数値として読めません")
        try:
            return number_figure(value, fmt)
        except (InvalidOperation, ValueError) as exc:
            raise FigureError("数値として読めません") from exc
    if isinstance(value, str):
        return parse_figure(value)
    raise FigureError("数値として読めません")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)
