"""Writing an .xlsx package straight from cells: the few SpreadsheetML parts a plan workbook uses.

A plan of 10,000 indicators has 150,000 cells; openpyxl builds, styles and serialises an object per
cell (≈ 20 µs each), which made saving such a plan take seconds. The plan workbook needs only values,
a handful of cell styles, merged ranges, column widths, row heights, frozen panes and a print setup,
and those serialise directly. The result opens in Excel, LibreOffice and openpyxl (the tests read it
back with openpyxl).

Text is escaped the way Excel does it (ST_Xstring): characters XML cannot carry are written as
``_xHHHH_`` and a literal ``_xHHHH_`` in the text as ``_x005F_xHHHH_``; the reader undoes both.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from .a1 import column_letter
from .number_formats import BUILTIN_FORMATS
from .progress import Progress

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_BUILTIN_IDS = {code: number for number, code in BUILTIN_FORMATS.items()}
FIRST_CUSTOM_FORMAT = 164  # Excel numbers its own formats below this


def excel_text(text: str) -> str:
    """``text`` as ST_Xstring, before XML escaping."""
    if "_x" in text:
        text = _ESCAPE_LIKE.sub("_x005F_", text)
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


@dataclass(frozen=True)
class CellStyle:
    """A named cell style (it appears in Excel's style gallery) with the parts a plan uses."""

    name: str
    bold: bool = False
    size: float = 11
    color: str | None = None
    fill: str | None = None
    border: str | None = None  # colour of a thin box
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False

    def font_xml(self) -> str:
        parts = ["<b/>" if self.bold else "", f'<sz val="{self.size:g}"/>']
        parts.append(f'<color rgb="FF{self.color}"/>' if self.color else '<color theme="1"/>')
        parts.append('<name val="Calibri"/><family val="2"/><scheme val="minor"/>')
        return "<font>" + "".join(parts) + "</font>"

    def fill_xml(self) -> str:
        return f'<fill><patternFill patternType="solid"><fgColor rgb="FF{self.fill}"/><bgColor indexed="64"/></patternFill></fill>'

    def border_xml(self) -> str:
        side = "".join(
            f'<{edge} style="thin"><color rgb="FF{self.border}"/></{edge}>' for edge in ("left", "right", "top", "bottom")
        )
        return f"<border>{side}<diagonal/></border>"

    def alignment_xml(self) -> str:
        attrs = []
        if self.horizontal:
            attrs.append(f'horizontal="{self.horizontal}"')
        if self.vertical:
            attrs.append(f'vertical="{self.vertical}"')
        if self.wrap:
            attrs.append('wrapText="1"')
        return f"<alignment {' '.join(attrs)}/>" if attrs else ""


class _Styles:
    """styles.xml: each (named style, number format) pair used becomes one cell format (xf)."""

    def __init__(self) -> None:
        self.named: dict[str, CellStyle] = {}  # by name, in the order first used
        # Cell formats by (style name, number format), numbered in the order first used. Keyed by name:
        # hashing a str is free (it caches its hash), hashing the dataclass is not, and this runs per cell.
        self.xfs: dict[tuple[str | None, str | None], int] = {(None, None): 0}
        self.formats: dict[str, int] = {}

    def xf(self, style: CellStyle | None, fmt: str | None) -> int:
        key = (style.name if style else None, fmt)
        index = self.xfs.get(key)
        if index is None:
            if style is not None:
                self.named.setdefault(style.name, style)
            if fmt and fmt not in _BUILTIN_IDS and fmt not in self.formats:
                self.formats[fmt] = FIRST_CUSTOM_FORMAT + len(self.formats)
            index = self.xfs[key] = len(self.xfs)
        return index

    def xml(self) -> str:
        fonts = ['<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>']
        fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>']
        borders = ["<border><left/><right/><top/><bottom/><diagonal/></border>"]
        styles = list(self.named.values())
        parts: dict[str, tuple[int, int, int]] = {}
        for style in styles:
            font = _index_of(fonts, style.font_xml())
            fill = _index_of(fills, style.fill_xml()) if style.fill else 0
            border = _index_of(borders, style.border_xml()) if style.border else 0
            parts[style.name] = (font, fill, border)
        style_xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>']
        style_xfs += [_xf(0, *parts[style.name], style.alignment_xml()) for style in styles]
        style_ids = {style.name: i for i, style in enumerate(styles, start=1)}
        cell_xfs = []
        for name, fmt in self.xfs:  # dicts keep insertion order: the order the indices were given
            fmt_id = _BUILTIN_IDS.get(fmt, self.formats.get(fmt, 0)) if fmt else 0
            if name is None:
                cell_xfs.append(f'<xf numFmtId="{fmt_id}" fontId="0" fillId="0" borderId="0" xfId="0"'
                                + (' applyNumberFormat="1"/>' if fmt_id else "/>"))
            else:
                cell_xfs.append(_xf(fmt_id, *parts[name], self.named[name].alignment_xml(), xf_id=style_ids[name]))
        formats = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>' for code, i in self.formats.items())
        cell_styles = ['<cellStyle name="Normal" xfId="0" builtinId="0"/>']
        cell_styles += [f"<cellStyle name={quoteattr(name)} xfId=\"{i}\"/>" for name, i in style_ids.items()]
        return (
            f'{_XML}<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(self.formats)}">{formats}</numFmts>' if self.formats else "")
            + _list("fonts", fonts) + _list("fills", fills) + _list("borders", borders)
            + _list("cellStyleXfs", style_xfs) + _list("cellXfs", cell_xfs) + _list("cellStyles", cell_styles)
            + '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9"'
            ' defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
        )


def _index_of(items: list[str], item: str) -> int:
    if item not in items:
        items.append(item)
    return items.index(item)


def _xf(fmt_id: int, font: int, fill: int, border: int, alignment: str, xf_id: int | None = None) -> str:
    attrs = f'numFmtId="{fmt_id}" fontId="{font}" fillId="{fill}" borderId="{border}"'
    if xf_id is not None:
        attrs += f' xfId="{xf_id}"'
        if fmt_id:
            attrs += ' applyNumberFormat="1"'
    attrs += ' applyFont="1"' * bool(font) + ' applyFill="1"' * bool(fill) + ' applyBorder="1"' * bool(border)
    if alignment:
        return f'<xf {attrs} applyAlignment="1">{alignment}</xf>'
    return f"<xf {attrs}/>"


def _list(tag: str, items: list[str]) -> str:
    return f'<{tag} count="{len(items)}">{"".join(items)}</{tag}>'


@dataclass
class Sheet:
    """One worksheet's cells (value, cell format index) by row and column, both 1-based."""

    name: str
    styles: _Styles
    rows: dict[int, dict[int, tuple[object, int]]] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] | None = None  # (row, column) of the first cell that scrolls
    landscape_fit_width: bool = False

    def put(self, row: int, col: int, value: object, style: CellStyle | None = None, fmt: str | None = None) -> None:
        """Set a cell; ``value`` is None (styled blank), a str, an int or a float."""
        self.rows.setdefault(row, {})[col] = (value, self.styles.xf(style, fmt))

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        self.merged.append(f"{column_letter(left)}{top}:{column_letter(right)}{bottom}")


class Package:
    """A workbook being written: sheets in order, shared strings and styles."""

    def __init__(self, application: str) -> None:
        self.application = application
        self.styles = _Styles()
        self.sheets: list[Sheet] = []
        self._strings: dict[str, int] = {}

    def add_sheet(self, name: str) -> Sheet:
        sheet = Sheet(name, self.styles)
        self.sheets.append(sheet)
        return sheet

    def save(self, target: str | Path | IO[bytes], progress: Progress | None = None) -> None:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            count = len(self.sheets)
            archive.writestr("[Content_Types].xml", _content_types(count))
            archive.writestr("_rels/.rels", _ROOT_RELS)
            archive.writestr("docProps/app.xml", _app(self.application))
            archive.writestr("docProps/core.xml", _core(self.application))
            archive.writestr("xl/workbook.xml", self._workbook())
            archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(count))
            cells = [1 + sum(len(row) for row in sheet.rows.values()) for sheet in self.sheets]
            done, total = 0, sum(cells)
            for number, (sheet, size) in enumerate(zip(self.sheets, cells, strict=True), start=1):
                archive.writestr(f"xl/worksheets/sheet{number}.xml", self._sheet_xml(sheet).encode())
                done += size
                if progress:
                    progress(done / total)
            archive.writestr("xl/styles.xml", self.styles.xml())
            archive.writestr("xl/sharedStrings.xml", self._shared_strings().encode())

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(self.sheets, start=1)
        )
        return (f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_REL}"><workbookPr/>'
                f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
                '<calcPr calcId="191029"/></workbook>')

    def _string(self, text: str) -> int:
        index = self._strings.get(text)
        if index is None:
            index = self._strings[text] = len(self._strings)
        return index

    def _shared_strings(self) -> str:
        items = []
        for text in self._strings:
            body = escape(excel_text(text))
            space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
            items.append(f"<si><t{space}>{body}</t></si>")
        n = len(items)
        return f'{_XML}<sst xmlns="{_MAIN}" count="{n}" uniqueCount="{n}">{"".join(items)}</sst>'

    def _sheet_xml(self, sheet: Sheet) -> str:
        out = [f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_REL}">']
        if sheet.landscape_fit_width:
            out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        out.append(_sheet_view(sheet.freeze))
        out.append('<sheetFormatPr defaultRowHeight="15"/>')
        if sheet.widths:
            out.append("<cols>" + "".join(
                f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>' for c, w in sorted(sheet.widths.items())
            ) + "</cols>")
        out.append("<sheetData>")
        letters = [""] + [column_letter(c) for c in range(1, 1 + max((max(r) for r in sheet.rows.values() if r), default=0))]
        string = self._string
        for number in sorted(sheet.rows):
            height = sheet.heights.get(number)
            row_attrs = f' ht="{height:g}" customHeight="1"' if height else ""
            cells = []
            row = sheet.rows[number]
            for col in sorted(row):
                value, xf = row[col]
                ref = f"{letters[col]}{number}"
                style = f' s="{xf}"' if xf else ""
                if value is None:
                    cells.append(f'<c r="{ref}"{style}/>')
                elif isinstance(value, str):
                    cells.append(f'<c r="{ref}"{style} t="s"><v>{string(value)}</v></c>')
                elif isinstance(value, bool):
                    cells.append(f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>')
                else:
                    cells.append(f'<c r="{ref}"{style}><v>{value!r}</v></c>')
            out.append(f'<row r="{number}"{row_attrs}>{"".join(cells)}</row>')
        out.append("</sheetData>")
        if sheet.merged:
            out.append(f'<mergeCells count="{len(sheet.merged)}">'
                       + "".join(f'<mergeCell ref="{ref}"/>' for ref in sheet.merged) + "</mergeCells>")
        out.append('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>')
        if sheet.landscape_fit_width:
            out.append('<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
        out.append("</worksheet>")
        return "".join(out)


def _sheet_view(freeze: tuple[int, int] | None) -> str:
    if freeze is None or freeze == (1, 1):
        return '<sheetViews><sheetView workbookViewId="0"><selection activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
    row, col = freeze
    top_left = f"{column_letter(col)}{row}"
    split = (f' xSplit="{col - 1}"' if col > 1 else "") + (f' ySplit="{row - 1}"' if row > 1 else "")
    pane = "bottomRight" if col > 1 and row > 1 else "topRight" if col > 1 else "bottomLeft"
    return (f'<sheetViews><sheetView workbookViewId="0"><pane{split} topLeftCell="{top_left}" activePane="{pane}"'
            f' state="frozen"/><selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>'
            "</sheetView></sheetViews>")


def _content_types(sheets: int) -> str:
    sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = [
        ("/xl/workbook.xml", f"{sml}.sheet.main+xml"),
        ("/xl/styles.xml", f"{sml}.styles+xml"),
        ("/xl/sharedStrings.xml", f"{sml}.sharedStrings+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
    ]
    overrides += [(f"/xl/worksheets/sheet{i}.xml", f"{sml}.worksheet+xml") for i in range(1, sheets + 1)]
    body = "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
    return (f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{body}</Types>')


_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_DOC_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)


def _workbook_rels(sheets: int) -> str:
    rels = [f'<Relationship Id="rId{i}" Type="{_DOC_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, sheets + 1)]
    rels.append(f'<Relationship Id="rId{sheets + 1}" Type="{_DOC_REL}/styles" Target="styles.xml"/>')
    rels.append(f'<Relationship Id="rId{sheets + 2}" Type="{_DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>')
    return f'{_XML}<Relationships xmlns="{_PKG_REL}">{"".join(rels)}</Relationships>'


def _app(application: str) -> str:
    return (f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{escape(application)}</Application></Properties>")


def _core(application: str) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f'{_XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{escape(application)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>')
