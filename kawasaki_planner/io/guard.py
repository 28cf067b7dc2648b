"""Refuse hostile or unreadable files before openpyxl touches them (ファイルの事前検査).

openpyxl trusts the zip it is given: a zip bomb exhausts memory, a huge declared sheet makes read-only
iteration walk a million empty rows, and a renamed CSV or .xls fails with an English traceback. The loader
calls, in this order::

    warnings = inspect_workbook_file(path)   # raises PlanFormatError with a Japanese message
    guard_openpyxl()                         # raises RuntimeError if openpyxl would parse without defusedxml
    then openpyxl reads it                   # io/excel_open.py: open_workbook does all three

Everything here reads the file only (never writes), in bounded memory: the zip central directory is
checked before anything is decompressed, parts are streamed in small chunks, and zipfile itself never
inflates past a member's declared size, which is capped first.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

import defusedxml
import defusedxml.ElementTree as SafeET

from .errors import PlanFormatError

# --- Limits. A published plan workbook is well under 1 MB; these leave two orders of magnitude of room. ---
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_MEMBER_UNCOMPRESSED = 100 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_RATIO = 200  # deflate of real worksheets stays below ~50:1
RATIO_MIN_SIZE = 1024 * 1024  # tiny parts (a few KB of repeated tags) legitimately compress very well
MAX_SMALL_PART = 16 * 1024 * 1024  # [Content_Types].xml, workbook.xml, rels: read whole, so capped
MAX_PROLOG_SCAN = 4 * 1024 * 1024  # no real part has this much before its root / <sheetData>
MAX_ROWS = 200_000
MAX_COLUMNS = 16_384  # Excel's own limit (XFD)
_CHUNK = 64 * 1024
_MB = 1024 * 1024
_SNIFF_BYTES = 64 * 1024
_OLE_SCAN_BYTES = 1024 * 1024

# --- What the user sees. ---
MSG_MISSING = "ファイル「{name}」が見つかりません。移動または削除されていないか確認してください"
MSG_DIRECTORY = "「{name}」はフォルダーです。Excelブック(.xlsx)ファイルを選んでください"
MSG_UNREADABLE = "ファイル「{name}」を読み取れません。アクセス権がないか、他のプログラムが使用中です"
MSG_EMPTY = (
    "ファイル「{name}」は空(0バイト)です。保存が途中で失敗した可能性があります。"
    "同じフォルダーのバックアップ(「{stem}.bak1.xlsx」など)から復元してください"
)
MSG_UNKNOWN = "Excelブック(.xlsx)ではないため開けません(ファイルの中身を認識できません)"
MSG_HTML = "HTMLファイルのようです(Webページ形式)。Excelで開いて「Excelブック(.xlsx)」形式で保存し直してください"
MSG_CSV = "CSV(テキスト)ファイルのようです。Excelで開いて.xlsx形式で保存してください"
MSG_TEXT = "テキストファイルのようです。Excelブック(.xlsx)ではないため開けません"
MSG_XML2003 = "XMLスプレッドシート2003形式のようです。Excelで開いて「Excelブック(.xlsx)」形式で保存し直してください"
MSG_XML = "XMLファイルのようです。Excelブック(.xlsx)ではないため開けません"
MSG_PDF = "PDFファイルのようです。Excelブック(.xlsx)ではないため開けません"
MSG_XLS = "Excel 97-2003形式(.xls)は読めません。Excelで開いて「Excelブック(.xlsx)」形式で保存し直してください"
MSG_OLE_OTHER = "古いOffice形式(Word 97-2003など)のファイルのようです。Excelブック(.xlsx)ではないため開けません"
MSG_ENCRYPTED = "パスワードで保護されたブックは開けません。パスワードを解除して保存し直してください"
MSG_CORRUPT = (
    "ファイルが壊れているため開けません(途中で切れているか、内部構造が壊れています)。"
    "バックアップから復元するか、Excelで開いて修復してください"
)
MSG_CORRUPT_PART = (
    "ファイルが壊れているため開けません(内部の「{part}」が破損しています)。"
    "バックアップから復元するか、Excelで開いて修復してください"
)
MSG_MISSING_PART = (
    "ファイルが壊れているため開けません(シート「{sheet}」のデータ「{part}」がファイル内にありません)。"
    "バックアップから復元してください"
)
MSG_PLAIN_ZIP = "ZIPファイルのようです。Excelブック(.xlsx)ではないため開けません"
MSG_DOCX = "Word文書(.docx)のようです。Excelブック(.xlsx)ではないため開けません"
MSG_PPTX = "PowerPointファイル(.pptx)のようです。Excelブック(.xlsx)ではないため開けません"
MSG_ODS = (
    "OpenDocumentスプレッドシート(.ods)形式は読めません。"
    "Excelで開いて「Excelブック(.xlsx)」形式で保存し直してください"
)
MSG_XLSB = "Excelバイナリブック(.xlsb)形式は読めません。Excelで開いて「Excelブック(.xlsx)」形式で保存し直してください"
MSG_STRICT = "Strict Open XML形式は読めません。Excelで開いて「Excelブック(.xlsx)」形式で保存し直してください"
MSG_TOO_MANY_MEMBERS = (
    "ファイル内の部品が多すぎるため開けません({count}個、上限{limit}個)。不正なファイルの可能性があります"
)
MSG_TOO_BIG = "展開後のサイズが大きすぎるため開けません({size} MB、上限{limit} MB)。不正なファイルの可能性があります"
MSG_RATIO = "異常に高い圧縮率のデータ「{part}」を含むため開けません。不正なファイル(ZIP爆弾)の可能性があります"
MSG_UNSAFE_XML = "安全でないXML(DTD/エンティティ宣言)を含むため開けません(「{part}」)"
MSG_HUGE_SHEET = (
    "シート「{sheet}」の範囲({ref})が大きすぎます(上限 {rows:,}行 × {cols:,}列)。"
    "不要な行・列を削除して保存し直してください"
)
WARN_MACRO = (
    "マクロを含むブックです。マクロは実行せず、データのみ読み込みます。"
    "保存すると.xlsx形式になり、マクロは失われます"
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Stream names as stored in an OLE directory entry (UTF-16LE).
_OLE_ENCRYPTED = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_OLE_EXCEL = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))

_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_WORKBOOK_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
}
_MACRO_TYPES = {
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
}
_OTHER_PACKAGES = {
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": MSG_XLSB,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": MSG_DOCX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": MSG_PPTX,
}
_STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_STRICT_REL_ID = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
_REF_RE = re.compile(r"^\$?([A-Za-z]{1,4})\$?(\d{1,9})(?::\$?([A-Za-z]{1,4})\$?(\d{1,9}))?$")

# Everything zipfile/zlib/struct can throw at a damaged archive; a hostile file must end as PlanFormatError.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    OverflowError,
    IndexError,
    KeyError,
    UnicodeDecodeError,
)


def inspect_workbook_file(path: str | Path) -> list[str]:
    """Check ``path`` is a workbook openpyxl can safely read; return Japanese warnings.

    Raises PlanFormatError (Japanese ``str()``) for anything that must not be opened.
    """
    p = Path(path)
    head = _read_head(p)
    if head[:4] in _ZIP_MAGICS:
        warnings = _inspect_zip(p)
        if p.suffix.lower() in (".xlsm", ".xltm") and WARN_MACRO not in warnings:
            warnings.append(WARN_MACRO)
        return warnings
    if head[:8] == _OLE_MAGIC:
        raise PlanFormatError(_ole_message(p, head))
    raise PlanFormatError(_sniff_non_zip(head))


def guard_openpyxl() -> None:
    """Fail loudly if openpyxl would parse XML without defusedxml (e.g. a frozen build that dropped it).

    openpyxl switches to defusedxml by itself when it is importable and OPENPYXL_DEFUSEDXML is not
    "False"; ``openpyxl.DEFUSEDXML`` records the decision made at import time.
    """
    import openpyxl

    if openpyxl.DEFUSEDXML is not True:
        raise RuntimeError("openpyxl is not using defusedxml (is defusedxml installed / OPENPYXL_DEFUSEDXML unset?)")


# --- Not a zip ---------------------------------------------------------------------------------------------


def _read_head(p: Path) -> bytes:
    name = p.name or str(p)
    try:
        if p.is_dir():
            raise PlanFormatError(MSG_DIRECTORY.format(name=name))
        with p.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
    except FileNotFoundError as exc:
        raise PlanFormatError(MSG_MISSING.format(name=name)) from exc
    except IsADirectoryError as exc:
        raise PlanFormatError(MSG_DIRECTORY.format(name=name)) from exc
    except OSError as exc:  # PermissionError, sharing violations, dead network drives
        raise PlanFormatError(MSG_UNREADABLE.format(name=name)) from exc
    if not head:
        raise PlanFormatError(MSG_EMPTY.format(name=name, stem=p.stem))
    return head


def _ole_message(p: Path, head: bytes) -> str:
    """Tell an encrypted OOXML (also an OLE2 container) from a real .xls by its stream names."""
    chunks = [head]
    try:
        with p.open("rb") as f:
            chunks.append(f.read(_OLE_SCAN_BYTES))
            # The directory's first sector (header offset 48) lists the root's streams even when it sits
            # near the end of a large file.
            if len(head) >= 52:
                shift, first_dir = struct.unpack_from("<H", head, 30)[0], struct.unpack_from("<I", head, 48)[0]
                if 7 <= shift <= 16 and first_dir < 0xFFFFFFFA:
                    sector_size = 1 << shift
                    f.seek((first_dir + 1) * sector_size)
                    chunks.append(f.read(sector_size * 4))
    except (OSError, struct.error, OverflowError, ValueError):
        pass
    blob = b"".join(chunks)
    if any(name in blob for name in _OLE_ENCRYPTED):
        return MSG_ENCRYPTED
    if any(name in blob for name in _OLE_EXCEL) or p.suffix.lower() in (".xls", ".xlt"):
        return MSG_XLS
    return MSG_OLE_OTHER


def _sniff_non_zip(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return MSG_PDF
    text = _as_text(head)
    if text is None:
        return MSG_UNKNOWN
    start = text.lstrip("\ufeff \t\r\n").lower()
    probe = start[:2048]
    if "urn:schemas-microsoft-com:office:spreadsheet" in start or 'progid="excel.sheet"' in probe:
        return MSG_XML2003
    if probe.startswith(("<!doctype html", "<html", "<table", "<head", "<body", "mime-version:")) or "<html" in probe:
        return MSG_HTML
    if probe.startswith("<?xml"):
        return MSG_XML
    if _looks_delimited(text):
        return MSG_CSV
    return MSG_TEXT


def _as_text(head: bytes) -> str | None:
    """Decode the head as Japanese-office text (UTF-16 with BOM, UTF-8, Shift_JIS), or None if binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if b"\x00" in head:
            return None
        candidates = ["utf-8", "cp932"]
    for encoding in candidates:
        try:
            # The head may cut a multibyte character in half; drop a few trailing bytes rather than fail.
            text = head.decode(encoding) if len(head) < _SNIFF_BYTES else head[:-4].decode(encoding, "strict")
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
        if controls <= len(text) // 100:
            return text
    return None


def _looks_delimited(text: str) -> bool:
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return False
    delimited = sum(1 for line in lines if "," in line or "\t" in line)
    return delimited >= max(1, len(lines) * 0.6)


# --- A zip ---------------------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    name: str
    part: str
    is_worksheet: bool


@dataclass
class _Package:
    workbook_part: str = ""
    macro: bool = False
    sheets: list[_Sheet] = field(default_factory=list)


def _inspect_zip(p: Path) -> list[str]:
    _check_entry_count(p)
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            _check_sizes(infos)
            names = {info.filename for info in infos}
            package = _read_package(zf, names)
            dimensions = _stream_all_parts(zf, infos, {s.part for s in package.sheets if s.is_worksheet})
    except PlanFormatError:
        raise
    except _ZIP_ERRORS as exc:
        raise PlanFormatError(MSG_CORRUPT) from exc
    for sheet in package.sheets:
        ref = dimensions.get(sheet.part)
        if ref and _too_large(ref):
            raise PlanFormatError(MSG_HUGE_SHEET.format(sheet=sheet.name, ref=ref, rows=MAX_ROWS, cols=MAX_COLUMNS))
    macro = package.macro or any(posixpath.basename(n).lower() == "vbaproject.bin" for n in names)
    return [WARN_MACRO] if macro else []


def _check_entry_count(p: Path) -> None:
    """Read the entry count from the end-of-central-directory record so a zip with millions of entries is
    refused before zipfile builds a ZipInfo for each of them."""
    try:
        with p.open("rb") as f:
            size = f.seek(0, 2)
            tail_start = max(0, size - (65535 + 22))
            f.seek(tail_start)
            tail = f.read()
            pos = tail.rfind(b"PK\x05\x06")
            if pos < 0 or pos + 22 > len(tail):
                return  # zipfile will report the damage
            entries, cd_size = struct.unpack_from("<HI", tail, pos + 10)
            if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
                loc = tail_start + pos - 20
                if loc >= 0:
                    f.seek(loc)
                    locator = f.read(20)
                    if locator[:4] == b"PK\x06\x07":
                        f.seek(struct.unpack_from("<Q", locator, 8)[0])
                        record = f.read(56)
                        if record[:4] == b"PK\x06\x06":
                            entries = struct.unpack_from("<Q", record, 32)[0]
    except (OSError, struct.error, OverflowError, ValueError):
        return
    if entries > MAX_MEMBERS:
        raise PlanFormatError(MSG_TOO_MANY_MEMBERS.format(count=f"{entries:,}", limit=f"{MAX_MEMBERS:,}"))


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise PlanFormatError(MSG_TOO_MANY_MEMBERS.format(count=f"{len(infos):,}", limit=f"{MAX_MEMBERS:,}"))
    if any(info.flag_bits & 0x1 for info in infos):
        raise PlanFormatError(MSG_ENCRYPTED)
    largest = max((info.file_size for info in infos), default=0)
    total = sum(info.file_size for info in infos)
    for size, limit in ((largest, MAX_MEMBER_UNCOMPRESSED), (total, MAX_TOTAL_UNCOMPRESSED)):
        if size > limit:
            raise PlanFormatError(MSG_TOO_BIG.format(size=f"{size // _MB:,}", limit=f"{limit // _MB:,}"))
    for info in infos:
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PlanFormatError(MSG_RATIO.format(part=info.filename))


def _read_small(zf: zipfile.ZipFile, name: str):
    """Parse a small XML part with defusedxml, refusing DTDs; the read is capped so a lying header
    cannot make it large."""
    with zf.open(name) as member:
        data = member.read(MAX_SMALL_PART + 1)
    if len(data) > MAX_SMALL_PART:
        raise PlanFormatError(MSG_CORRUPT_PART.format(part=name))
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise PlanFormatError(MSG_UNSAFE_XML.format(part=name)) from exc
    except (ParseError, ValueError) as exc:
        raise PlanFormatError(MSG_CORRUPT_PART.format(part=name)) from exc


def _read_package(zf: zipfile.ZipFile, names: set[str]) -> _Package:
    if "[Content_Types].xml" not in names:
        if "mimetype" in names and b"spreadsheet" in zf.read("mimetype")[:200]:
            raise PlanFormatError(MSG_ODS)
        raise PlanFormatError(MSG_PLAIN_ZIP)
    types = _read_small(zf, "[Content_Types].xml")
    package = _Package()
    overrides = {
        el.get("PartName", "").lstrip("/"): el.get("ContentType", "") for el in types.iter(f"{{{_CT_NS}}}Override")
    }
    defaults = {el.get("ContentType", "") for el in types.iter(f"{{{_CT_NS}}}Default")}
    # Same search order as openpyxl.reader.excel._find_workbook_part, so we inspect the part it will read.
    for part, content_type in overrides.items():
        if content_type in _WORKBOOK_TYPES:
            package.workbook_part, package.macro = part, content_type in _MACRO_TYPES
            break
    else:
        found = defaults & _WORKBOOK_TYPES
        if not found:
            for content_type in overrides.values():
                if content_type in _OTHER_PACKAGES:
                    raise PlanFormatError(_OTHER_PACKAGES[content_type])
            raise PlanFormatError(MSG_PLAIN_ZIP)
        package.workbook_part, package.macro = "xl/workbook.xml", bool(found & _MACRO_TYPES)
    if package.workbook_part not in names:
        raise PlanFormatError(MSG_CORRUPT_PART.format(part=package.workbook_part))
    workbook = _read_small(zf, package.workbook_part)
    if workbook.tag.startswith(f"{{{_STRICT_NS}}}"):
        raise PlanFormatError(MSG_STRICT)
    package.sheets = _resolve_sheets(zf, names, package.workbook_part, workbook)
    return package


def _resolve_sheets(zf: zipfile.ZipFile, names: set[str], workbook_part: str, workbook) -> list[_Sheet]:
    entries = [el for el in workbook.iter() if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] == "sheet"]
    if not entries:
        return []
    folder = posixpath.dirname(workbook_part)
    rels_part = posixpath.join(folder, "_rels", posixpath.basename(workbook_part) + ".rels")
    if rels_part not in names:
        raise PlanFormatError(MSG_CORRUPT_PART.format(part=rels_part))
    rels = {}
    for rel in _read_small(zf, rels_part).iter():
        if isinstance(rel.tag, str) and rel.tag.endswith("Relationship") and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            # Resolved the way openpyxl.packaging.relationship.get_dependents does.
            part = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            rels[rel.get("Id")] = (part, rel.get("Type", ""))
    sheets = []
    for entry in entries:
        name = entry.get("name", "?")
        rel_id = entry.get(_REL_ID) or entry.get(_STRICT_REL_ID)
        part, rel_type = rels.get(rel_id, (f"(rId {rel_id})", ""))
        if part not in names:
            raise PlanFormatError(MSG_MISSING_PART.format(sheet=name, part=part))
        sheets.append(_Sheet(name, part, rel_type.endswith("/worksheet")))
    return sheets


class _Stop(Exception):
    """Raised from an expat handler: we have seen what we need from this part."""


class _Unsafe(Exception):
    """Raised from an expat handler: the part declares a DTD or an entity."""


class _PrologScan:
    """Feed a part's first bytes to expat until its root element (or, for a worksheet, <dimension> or
    <sheetData>) is reached. A DTD can only appear before the root, so this finds one in every part
    without parsing whole sheets."""

    def __init__(self, worksheet: bool):
        self.worksheet = worksheet
        self.dimension: str | None = None
        self.fed = 0
        self.done = False
        self._parser = expat.ParserCreate()
        self._parser.StartDoctypeDeclHandler = self._unsafe
        self._parser.EntityDeclHandler = self._unsafe
        self._parser.StartElementHandler = self._start

    def _unsafe(self, *_args) -> None:
        raise _Unsafe

    def _start(self, name: str, attrs: dict) -> None:
        if not self.worksheet:
            raise _Stop
        local = name.rsplit(":", 1)[-1]
        if local == "dimension":
            self.dimension = attrs.get("ref")
            raise _Stop
        if local == "sheetData":
            raise _Stop

    def feed(self, chunk: bytes, final: bool) -> None:
        """Returns normally or sets ``done``; raises _Unsafe or expat.ExpatError."""
        self.fed += len(chunk)
        try:
            self._parser.Parse(chunk, final)
        except _Stop:
            self.done = True
        if final:
            self.done = True


def _stream_all_parts(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], worksheets: set[str]) -> dict[str, str]:
    """Read every member in chunks: zipfile checks each CRC at the end (catching silent corruption that
    openpyxl would otherwise hit halfway through a load), and XML parts are scanned for DTDs.
    Returns each worksheet's declared <dimension ref>."""
    dimensions = {}
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        lower = name.lower()
        scan = _PrologScan(name in worksheets) if lower.endswith((".xml", ".rels", ".vml")) else None
        lenient = lower.endswith(".vml")  # Excel's VML is not well-formed XML; only the DTD matters there
        with zf.open(info) as member:
            while True:
                try:
                    chunk = member.read(_CHUNK)
                except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # bad CRC, truncated deflate stream
                    raise PlanFormatError(MSG_CORRUPT_PART.format(part=name)) from exc
                if scan is not None and not scan.done:
                    try:
                        scan.feed(chunk, final=not chunk)
                    except _Unsafe as exc:
                        raise PlanFormatError(MSG_UNSAFE_XML.format(part=name)) from exc
                    except expat.ExpatError as exc:
                        if not lenient:
                            raise PlanFormatError(MSG_CORRUPT_PART.format(part=name)) from exc
                        scan.done = True
                    if not scan.done and scan.fed > MAX_PROLOG_SCAN:
                        raise PlanFormatError(MSG_CORRUPT_PART.format(part=name))
                if not chunk:
                    break
        if scan is not None and scan.dimension:
            dimensions[name] = scan.dimension
    return dimensions


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _too_large(ref: str) -> bool:
    match = _REF_RE.match(ref.strip())
    if not match:
        return False  # openpyxl ignores a malformed dimension and computes the extent from the cells
    c1, r1, c2, r2 = match.groups()
    cols = [_column_number(c1)] + ([_column_number(c2)] if c2 else [])
    rows = [int(r1)] + ([int(r2)] if r2 else [])
    return max(rows) > MAX_ROWS or max(cols) > MAX_COLUMNS
