"""Where things stand in a plan workbook: shared by the writer and the reader.

A section sheet reads top to bottom like the plan: its title, then blocks each
opened by a marker in column A (「■評価のための指標」 …), a header, and rows.
Fiscal-year tables have two header rows: 「R8年度 (2026)」 over 目標/実績.
"""

from __future__ import annotations

import re
import unicodedata

FORMAT_VERSION = 2  # 2: indicator ids (hidden ID column) and the adoption row in 情報
INFO_SHEET = "情報"
FORMAT_KEY = "形式バージョン"
SECTIONS_KEY = "節"

INDICATORS = "■評価のための指標"
STATUS = "■現在の整備・取組状況"
NARRATIVE = "■本文"
FORECAST = "■代替養育を必要とする児童数の推計"
AGE = "■代替養育を必要とする児童数の推計(年齢別)"
SHARES = "■推計の前提: 措置児童数の年齢構成比"
EXCLUDED = "■推計の前提: 里親等委託率の対象外児童数"
MARKERS = (INDICATORS, STATUS, NARRATIVE, FORECAST, AGE, SHARES, EXCLUDED)

LABEL_COL = 1
UNIT_COL = 2
META_COL = 3
FIRST_YEAR_COL = 4

ID_HEADER = "ID"  # the hidden column right of the years that holds each indicator's id
ADOPTION_KEY = "特別養子縁組の控除"  # 情報: "<section>:<indicator id>" of the row the forecast deducts, or empty
UNIT_UNPRINTED_KEY = "単位を表示しない指標"  # 情報: "<section>:<id>; …" rows without figures that print no unit
OPTIONAL_INFO_KEYS = frozenset({UNIT_UNPRINTED_KEY})  # 情報 rows written only when they say something (or were there)
ROLES_KEY = "指標の役割"  # 情報: "<section>:<id>=<role>; …" for the other rows a computation uses (section 8's rates)
PLAN_HEADER = "目標"
FORECAST_PLAN_HEADER = "見込み"
ACTUAL_HEADER = "実績"
INPUT_MARK = "入力"
DERIVED_MARK = "計算"

SECTION_SHEET = re.compile(r"^\s*(\d+)")


def folded(text: str) -> str:
    """Text as compared when reading (full-width forms folded, spaces dropped): 「形 式バージョン」 is 「形式バージョン」."""
    return unicodedata.normalize("NFKC", text).replace(" ", "").strip()


def sheet_name(number: int, short_title: str) -> str:
    """「2 権利擁護」: Excel allows 31 characters and none of []:*?/\\ ."""
    name = f"{number} {short_title}"
    name = re.sub(r"[\[\]:*?/\\]", "", name)
    return name[:31]


def section_number(sheet: str) -> int | None:
    match = SECTION_SHEET.match(unicodedata.normalize("NFKC", sheet))
    return int(match.group(1)) if match else None


def marker_of(value: object) -> str | None:
    """The block marker a column-A cell holds, tolerant of spaces and full-width forms."""
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).replace(" ", "").strip()
    for marker in MARKERS:
        if text == unicodedata.normalize("NFKC", marker).replace(" ", ""):
            return marker
    return None


def year_columns(years: tuple[int, ...]) -> list[tuple[int, int, str]]:
    """(column, year, kind) for the fiscal-year columns, plan then actual per year."""
    out = []
    for i, year in enumerate(years):
        out.append((FIRST_YEAR_COL + 2 * i, year, "plan"))
        out.append((FIRST_YEAR_COL + 2 * i + 1, year, "actual"))
    return out
