"""Fiscal years as the plan names them: 令和8年度 is the year starting April 2026."""

from __future__ import annotations

import re
import unicodedata

REIWA_START = 2018
HEISEI_START = 1988
PLAN_YEARS = tuple(range(2024, 2030))
FIRST_FORECAST_YEAR = 2025

_LABEL = re.compile(r"^(?P<era>[RH令平])[和成]?(?P<n>\d+|元)年度?\s*(?:\((?P<year>\d{4})\))?$")


def era_label(year: int) -> str:
    """「R8年度」 for 2026."""
    if year > REIWA_START:
        return f"R{year - REIWA_START}年度"
    return f"H{year - HEISEI_START}年度"


def year_label(year: int) -> str:
    """「R8年度 (2026)」, the header the planners read."""
    return f"{era_label(year)} ({year})"


def parse_year_label(text: str) -> int | None:
    """The Western year of 「R8年度 (2026)」「令和8年度」「2026」; None if it is none of these."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    if re.fullmatch(r"\d{4}(年度)?", folded):
        return int(folded[:4])
    match = _LABEL.match(folded.replace("(", " (").replace("  ", " ").replace(" ", ""))
    if not match:
        return None
    n = 1 if match.group("n") == "元" else int(match.group("n"))
    start = REIWA_START if match.group("era") in "R令" else HEISEI_START
    year = start + n
    if match.group("year") and int(match.group("year")) != year:
        return None
    return year
