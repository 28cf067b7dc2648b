"""A1 references (「E7」「B3:O3」), so reading a workbook needs no spreadsheet library at start-up."""

from __future__ import annotations

import re

_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$")


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - 64)
    return index


def range_boundaries(ref: str) -> tuple[int, int, int, int]:
    """(first column, first row, last column, last row) of 「B3:O3」 or 「E7」; ValueError otherwise."""
    match = _RANGE.match(ref.strip())
    if not match:
        raise ValueError(ref)
    first_col, first_row, last_col, last_row = match.groups()
    last_col, last_row = last_col or first_col, last_row or first_row
    return column_index(first_col), int(first_row), column_index(last_col), int(last_row)
