"""A lean, read-only pass over an .xlsx package: each sheet's cell values with their number formats.

openpyxl builds a cell object per cell and is the slowest part of opening a plan;
the loader needs only value, number format and whether a formula stood there.
XML is parsed with defusedxml (no DTDs, no entities), so a hostile part is refused.
Phonetic guides (ふりがな, <rPh>) that Japanese Excel stores in shared strings are skipped.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from defusedxml.ElementTree import iterparse
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class Cell(NamedTuple):
    value: object
    fmt: str | None


EMPTY = Cell(None, None)


@dataclass
class SheetCells:
    """One sheet: rows of cells (value, number format), 1-based like Excel, and the cells that held formulas."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    formulas: set[str] = field(default_factory=set)
    hidden: bool = False


def _parse(archive: zipfile.ZipFile, name: str, events: tuple[str, ...] = ("end",)):
    with archive.open(name) as handle:
        yield from iterparse(handle, events=events, forbid_dtd=True)


def _column_index(ref: str) -> tuple[int, int]:
    """(row, column) of an A1 reference, both 1-based."""
    col = 0
    i = 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + (ord(ref[i].upper()) - 64)
        i += 1
    return int(ref[i:]), col


def _shared_strings(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    if "xl/sharedStrings.xml" not in names:
        return []
    strings: list[str] = []
    for _, element in _parse(archive, "xl/sharedStrings.xml"):
        if element.tag == MAIN + "si":
            strings.append(_string_item(element))
            element.clear()
    return strings


def _string_item(element) -> str:
    """The text of an <si> or <is>: plain <t>, or rich-text runs <r><t>, never the <rPh> reading."""
    direct = element.find(MAIN + "t")
    if direct is not None:
        return direct.text or ""
    return "".join((t.text or "") for run in element.findall(MAIN + "r") for t in run.findall(MAIN + "t"))


def _number_formats(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    """Number format code of each cell style (cellXfs index)."""
    if "xl/styles.xml" not in names:
        return []
    custom: dict[int, str] = {}
    styles: list[str] = []
    for _, element in _parse(archive, "xl/styles.xml"):
        if element.tag == MAIN + "numFmt":
            custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "General")
        elif element.tag == MAIN + "cellXfs":
            for xf in element.findall(MAIN + "xf"):
                fmt_id = int(xf.get("numFmtId", "0"))
                styles.append(custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General"))
    return styles


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str, bool]]:
    """(sheet name, part path, hidden) in workbook order."""
    targets = {}
    for _, element in _parse(archive, "xl/_rels/workbook.xml.rels"):
        if element.tag == PKG_REL + "Relationship":
            target = element.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[element.get("Id")] = path
    sheets = []
    for _, element in _parse(archive, "xl/workbook.xml"):
        if element.tag == MAIN + "sheet":
            part = targets.get(element.get(REL + "id"))
            if part:
                sheets.append((element.get("name", ""), part, element.get("state", "visible") != "visible"))
    return sheets


def _cell_value(element, kind: str | None, strings: list[str], fmt: str | None) -> object:
    if kind == "inlineStr":
        inline = element.find(MAIN + "is")
        return _string_item(inline) if inline is not None else None
    raw = element.find(MAIN + "v")
    text = raw.text if raw is not None else None
    if text is None:
        return None
    if kind == "s":
        index = int(text)
        return strings[index] if 0 <= index < len(strings) else None
    if kind in ("str", "e"):
        return text
    if kind == "b":
        return text.strip() in ("1", "true")
    number = float(text) if any(c in text for c in ".eE") else int(text)
    if fmt and is_date_format(fmt):
        try:
            return from_excel(number)
        except (ValueError, OverflowError):
            return number
    return number


def _sheet_rows(archive, part, strings, styles, max_rows: int, max_cols: int, sheet: SheetCells) -> None:
    rows: dict[int, dict[int, Cell]] = {}
    row_number = 0
    col_number = 0
    for event, element in _parse(archive, part, ("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == MAIN + "row":
                number = element.get("r")
                row_number = int(number) if number else row_number + 1
                col_number = 0
            continue
        if tag == MAIN + "c":
            ref = element.get("r")
            if ref:
                row_number, col_number = _column_index(ref)
            else:
                col_number += 1
            if row_number > max_rows:
                raise OverflowError(row_number)
            if col_number <= max_cols:
                style = element.get("s")
                fmt = styles[int(style)] if style is not None and int(style) < len(styles) else None
                if element.find(MAIN + "f") is not None:
                    sheet.formulas.add(ref or f"R{row_number}C{col_number}")
                value = _cell_value(element, element.get("t"), strings, fmt)
                if value is not None or fmt:
                    rows.setdefault(row_number, {})[col_number] = Cell(value, fmt)
            element.clear()
        elif tag == MAIN + "row":
            element.clear()
    if rows:
        last = max(rows)
        for r in range(1, last + 1):
            cells = rows.get(r, {})
            width = max(cells) if cells else 0
            sheet.rows.append([cells.get(c, EMPTY) for c in range(1, width + 1)])


def read_cells(path, max_rows: int, max_cols: int) -> Iterator[SheetCells]:
    """Each sheet of the workbook at ``path``, in order."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        strings = _shared_strings(archive, names)
        styles = _number_formats(archive, names)
        for name, part, hidden in _sheet_parts(archive):
            sheet = SheetCells(name, hidden=hidden)
            if part in names:
                _sheet_rows(archive, part, strings, styles, max_rows, max_cols, sheet)
            yield sheet
