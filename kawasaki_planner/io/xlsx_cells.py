"""A lean, read-only pass over an .xlsx package: each sheet's cell values with their number formats.

openpyxl builds a cell object per cell and is the slowest part of opening a plan;
the loader needs only value, number format and whether a formula stood there.
XML is parsed with defusedxml (no DTDs, no entities), so a hostile part is refused.
Phonetic guides (ふりがな, <rPh>) that Japanese Excel stores in shared strings are skipped.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple
from xml.parsers import expat

from defusedxml import DTDForbidden
from defusedxml.ElementTree import iterparse

from .a1 import column_letter as get_column_letter
from .number_formats import BUILTIN_FORMATS, from_excel, is_date_format
from .progress import Progress

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
_C, _V, _T, _ROW, _F, _RPH, _MERGE = (MAIN_NS + tag for tag in ("c", "v", "t", "row", "f", "rPh", "mergeCell"))
# A plan has a few thousand cells; this many means a runaway sheet, refused before memory runs out.
MAX_CELLS = 3_000_000
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
    merged: list[str] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)


def _parse(archive: zipfile.ZipFile, name: str, events: tuple[str, ...] = ("end",)):
    with archive.open(name) as handle:
        yield from iterparse(handle, events=events, forbid_dtd=True)


def _column_index(ref: str) -> tuple[int, int]:
    """(row, column) of an A1 reference, both 1-based."""
    letters = ref.rstrip("0123456789")
    col = _COLUMNS.get(letters)
    if col is None:
        col = 0
        for ch in letters.upper():
            col = col * 26 + (ord(ch) - 64)
    return int(ref[len(letters):]), col


_COLUMNS = {get_column_letter(i): i for i in range(1, 703)}  # A … ZZ


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
        return unescape_excel(direct.text or "")
    return unescape_excel("".join((t.text or "") for run in element.findall(MAIN + "r") for t in run.findall(MAIN + "t")))


def unescape_excel(text: str) -> str:
    """Undo Excel's ``_xHHHH_`` escapes (control characters XML cannot carry, and ``_x005F_`` for ``_``)."""
    if "_x" not in text:
        return text
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


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


class _SheetHandler:
    """expat callbacks for one worksheet: far cheaper than building an element per cell."""

    def __init__(self, strings: list[str], styles: list[str], max_rows: int, max_cols: int, sheet: SheetCells) -> None:
        self.strings, self.styles = strings, styles
        self.max_rows, self.max_cols = max_rows, max_cols
        self.sheet = sheet
        self.rows: dict[int, dict[int, Cell]] = {}
        self.row = self.col = 0
        self.ref: str | None = None
        self.kind: str | None = None
        self.fmt: str | None = None
        self.text: list[str] = []
        self.collect = False
        self.in_phonetic = False
        self.has_formula = False
        self.count = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == _C:
            ref = attrs.get("r")
            if ref:
                self.row, self.col = _column_index(ref)
            else:
                self.col += 1
            if self.row > self.max_rows:
                raise OverflowError(self.row)
            self.ref, self.kind = ref, attrs.get("t")
            style = attrs.get("s")
            self.fmt = self.styles[int(style)] if style is not None and int(style) < len(self.styles) else None
            self.text, self.has_formula = [], False
        elif name == _V or (name == _T and not self.in_phonetic):
            self.collect = True
        elif name == _ROW:
            number = attrs.get("r")
            self.row = int(number) if number else self.row + 1
            self.col = 0
            if attrs.get("hidden") in ("1", "true"):
                self.sheet.hidden_rows.add(self.row)
        elif name == _MERGE:
            self.sheet.merged.append(attrs.get("ref", ""))
        elif name == _F:
            self.has_formula = True
        elif name == _RPH:
            self.in_phonetic = True

    def end(self, name: str) -> None:
        if name in (_V, _T):
            self.collect = False
        elif name == _C:
            if self.col <= self.max_cols:
                if self.has_formula:
                    self.sheet.formulas.add(self.ref or f"{get_column_letter(self.col)}{self.row}")
                value = self._value("".join(self.text)) if self.text else None
                if value is not None or self.fmt:
                    self.rows.setdefault(self.row, {})[self.col] = Cell(value, self.fmt)
                    self.count += 1
                    if self.count > MAX_CELLS:
                        raise OverflowError(self.row)
        elif name == _RPH:
            self.in_phonetic = False

    def chars(self, data: str) -> None:
        if self.collect:
            self.text.append(data)

    def _value(self, text: str) -> object:
        return _cell_value(self.kind, text, bool(self.fmt) and _is_date_format(self.fmt), self.strings)


def _cell_value(kind: str | None, text: str, is_date: bool, strings: list[str]) -> object:
    """A cell's value from its type attribute and text; numbers in a date format become dates."""
    if kind == "s":
        index = int(text)
        return strings[index] if 0 <= index < len(strings) else None
    if kind == "inlineStr":
        return unescape_excel(text)
    if kind in ("str", "e"):
        return text
    if kind == "b":
        return text.strip() in ("1", "true")
    try:
        number: int | float = int(text)
    except ValueError:
        number = float(text)
    if is_date:
        try:
            return from_excel(number)
        except (ValueError, OverflowError):
            return number
    return number


@lru_cache(maxsize=256)
def _is_date_format(fmt: str) -> bool:
    return is_date_format(fmt)


def _refuse_dtd(*_args) -> None:
    raise DTDForbidden(None, None, None)


def _sheet_rows(archive, part, strings, styles, max_rows: int, max_cols: int, sheet: SheetCells) -> None:
    with archive.open(part) as stream:
        data = stream.read()
    _check_xml(data)
    rows = _canonical_rows(data, strings, styles, max_rows, max_cols, sheet)
    if rows is None:
        rows = _parsed_rows(data, strings, styles, max_rows, max_cols, sheet)
    if rows:
        for r in range(1, max(rows) + 1):
            cells = rows.get(r, {})
            width = max(cells) if cells else 0
            sheet.rows.append([cells.get(c, EMPTY) for c in range(1, width + 1)])


def _check_xml(data: bytes) -> None:
    """Refuse a DTD and malformed XML, at C speed (no element callbacks)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.Parse(data, True)


def _parsed_rows(data: bytes, strings, styles, max_rows: int, max_cols: int, sheet: SheetCells) -> dict:
    handler = _SheetHandler(strings, styles, max_rows, max_cols, sheet)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.chars
    parser.buffer_text = True
    parser.Parse(data, True)
    return handler.rows


# The form Excel and this app write: unprefixed elements in the main namespace, every row and cell with
# its reference, attributes r, s, t in that order, a value, a formula or a plain inline string. A sheet in
# that form is read with one regular-expression match per cell, about four times faster than element
# callbacks; anything else (prefixes, rich text, CDATA, comments, other attributes) takes the general path.
_CANONICAL_ROOT = re.compile(r'^(?:<\?xml[^>]*\?>)?\s*<worksheet\b[^>]*\bxmlns="http://schemas\.openxmlformats\.org/spreadsheetml/2006/main"')
_CANONICAL_CELL = re.compile(
    r'<c r="([A-Z]{1,3})(\d+)"(?: s="(\d+)")?(?: t="(\w+)")?'
    r'(?:/>|>(<f\b[^>]*?(?:/>|>[^<]*</f>))?(?:<v>([^<]*)</v>|<v/>)?(?:<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
)
_CELL_OPEN = re.compile(r"<c[\s/>]")
_ROW_TAG = re.compile(r"<row\b([^>]*)>")
_ROW_NUMBER = re.compile(r'^ r="(\d+)"')
_MERGE_REF = re.compile(r'<mergeCell ref="([^"]*)"\s*/>')


def _chunks(body: str, size: int = 1 << 18) -> Iterator[str]:
    """``body`` cut at row starts into pieces of about ``size`` characters.

    A regular-expression call holds the GIL throughout; on pieces, a read in a worker thread lets the
    window's thread in between (opening and saving run beside the event loop).
    """
    start = 0
    while start < len(body):
        cut = body.find("<row ", start + size)
        end = cut if cut > 0 else len(body)
        yield body[start:end]
        start = end


def _canonical_rows(data: bytes, strings, styles, max_rows: int, max_cols: int, sheet: SheetCells) -> dict | None:
    """Cells by row and column if the sheet is in the canonical form, else None (nothing recorded)."""
    text = data.decode("utf-8")
    start, end = text.find("<sheetData"), text.rfind("</sheetData>")
    if start < 0 or not _CANONICAL_ROOT.match(text.lstrip("\ufeff")) or "\r" in text:
        return None
    body = text[start:end] if end > start else ""
    if any(mark in body for mark in ("<!--", "<![CDATA[", "<?", ":c ", ":row ")) or "<mergeCell " in body:
        return None
    hidden: set[int] = set()
    for match in _ROW_TAG.finditer(body):
        number = _ROW_NUMBER.match(match.group(1))
        if number is None:
            return None
        if ' hidden="1"' in match.group(1) or ' hidden="true"' in match.group(1):
            hidden.add(int(number.group(1)))
    matches = [match for chunk in _chunks(body) for match in _CANONICAL_CELL.findall(chunk)]
    if len(matches) != len(_CELL_OPEN.findall(body)):
        return None
    tail = text[end:] if end > start else text
    merged = _MERGE_REF.findall(tail)
    if len(merged) != tail.count("<mergeCell "):
        return None
    rows: dict[int, dict[int, Cell]] = {}
    formats = {str(i): fmt for i, fmt in enumerate(styles)}
    dates = {str(i) for i, fmt in enumerate(styles) if fmt and _is_date_format(fmt)}
    last_row = max(map(int, {match[1] for match in matches}), default=0)
    if last_row > max_rows:
        raise OverflowError(last_row)
    columns, row, current = _COLUMNS, 0, None
    for letters, row_text, style, kind, formula, value_text, inline in matches:
        col = columns.get(letters) or _column_index(letters + row_text)[1]
        if col > max_cols:
            continue
        if formula:
            sheet.formulas.add(letters + row_text)
        raw = inline if kind == "inlineStr" else value_text
        if not raw:
            value = None
        else:
            if "&" in raw:
                raw = html.unescape(raw)
            value = _cell_value(kind, raw, style in dates, strings)
        fmt = formats.get(style) if style else None
        if value is not None or fmt:
            number = int(row_text)
            if number != row:
                row, current = number, rows.setdefault(number, {})
            current[col] = Cell(value, fmt)
    if sum(len(cells) for cells in rows.values()) > MAX_CELLS:
        raise OverflowError(max(rows))
    sheet.hidden_rows |= hidden
    sheet.merged.extend(merged)
    return rows


def read_cells(path, max_rows: int, max_cols: int, progress: Progress | None = None) -> Iterator[SheetCells]:
    """Each sheet of the workbook at ``path``, in order; ``progress`` hears the share of sheet XML read."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        strings = _shared_strings(archive, names)
        styles = _number_formats(archive, names)
        parts = _sheet_parts(archive)
        sizes = {part: archive.getinfo(part).file_size for _, part, _ in parts if part in names}
        total, done = max(1, sum(sizes.values())), 0
        for name, part, hidden in parts:
            sheet = SheetCells(name, hidden=hidden)
            if part in names:
                _sheet_rows(archive, part, strings, styles, max_rows, max_cols, sheet)
                done += sizes[part]
                if progress:
                    progress(done / total)
            yield sheet
