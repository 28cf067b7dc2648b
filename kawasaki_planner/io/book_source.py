"""The workbook a plan was read from, and where each of the plan's cells stands in it.

Saving writes the plan back into this workbook (load → change the plan's cells → save), so that
everything the app does not own survives: the planner's own sheets, notes beside a table, comments,
widths and colours they changed, print settings. The reader records every place it read; the writer
puts each figure and text back at its place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.plan import FigureRef

Place = tuple[str, int, int]  # sheet title, row, column (1-based)


@dataclass
class TablePlace:
    """A fiscal-year table as it stands on its sheet: the header rows, the year columns, the last row read."""

    sheet: str
    marker_row: int
    columns: dict[tuple[int, str], int]
    last_row: int
    id_col: int | None = None  # the hidden column of indicator ids (none in a version-1 book)


@dataclass
class BookSource:
    """The bytes of the workbook as opened, and the places of the plan's cells in it."""

    data: bytes
    figures: dict[FigureRef, Place] = field(default_factory=dict)
    rows: dict[tuple[int, str], tuple[str, int]] = field(default_factory=dict)  # (section, row key) -> (sheet, row)
    added: set[Place] = field(default_factory=set)  # cells the app added (a new year column): they get the plan's styles
    # ("title", section) / ("narrative", section, index, 0|1) / ("status", section, index, 0|1) -> place
    texts: dict[tuple, Place] = field(default_factory=dict)
    tables: dict[tuple[int, str], TablePlace] = field(default_factory=dict)  # (section, marker) -> table
    info: dict[str, Place] = field(default_factory=dict)  # 情報 key -> the place of its value
    info_sheet: str | None = None
    unkept: list[str] = field(default_factory=list)  # what openpyxl will not write back (グラフ, 画像 …)
    unkept_confirmed: bool = False  # the user has agreed, once, to a save that drops them


def text_key(kind: str, section: int, index: int, column: int) -> tuple:
    return (kind, section, index, column)
