"""Generate hostile and malformed "workbooks" into a directory (nothing binary is committed).

Each Case builds one file and names the distinctive part of the Japanese message the guard must give.
"""

from __future__ import annotations

import functools
import io
import random
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

SHEET_NAMES = ("1 計画の概要", "2 権利擁護")


@functools.cache
def valid_xlsx_bytes() -> bytes:
    """A small but real workbook, made by openpyxl the way the app makes one."""
    wb = Workbook()
    first = wb.active
    first.title = SHEET_NAMES[0]
    first.append(["項目", "令和7年度", "令和8年度"])
    first.append(["里親等委託率", "35.0%", "40.0%"])
    second = wb.create_sheet(SHEET_NAMES[1])
    second.append(["指標", "計画", "実績"])
    second.append(["意見表明等支援事業の利用人数", 120, 98])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rewrite_zip(
    data: bytes,
    replace: dict[str, bytes | None] | None = None,
    add: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """Copy a zip, replacing (None = dropping) and adding members."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])
            else:
                dst.writestr(info.filename, src.read(info.filename))
        for name, content in add.items():
            dst.writestr(name, content)
    return out.getvalue()


def patch_declared_size(data: bytes, member: str, file_size: int) -> bytes:
    """Make the local and central headers of ``member`` lie about its uncompressed size."""
    buf = bytearray(data)
    encoded = member.encode()
    # (signature, offset of uncompressed size, of name length, of name) in local and central headers
    for signature, size_offset, len_offset, name_offset in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        for match in re.finditer(re.escape(signature), bytes(buf)):
            start = match.start()
            name_len = struct.unpack_from("<H", buf, start + len_offset)[0]
            if bytes(buf[start + name_offset : start + name_offset + name_len]) == encoded:
                struct.pack_into("<I", buf, start + size_offset, file_size)
    return bytes(buf)


def _member(name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(valid_xlsx_bytes())) as zf:
        return zf.read(name)


def _with_dtd(xml: bytes, dtd: bytes) -> bytes:
    """Insert a DOCTYPE right after the XML declaration."""
    decl_end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    return xml[:decl_end] + dtd + xml[decl_end:]


BILLION_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    )
    + b"]>"
)
EXTERNAL_ENTITY = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _ole(names: list[str]) -> bytes:
    """A minimal OLE2 compound file: header, then one directory sector holding the given stream names."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHH", header, 24, 0x3E, 3, 0xFFFE)  # minor/major version, byte order
    struct.pack_into("<H", header, 30, 9)  # 512-byte sectors
    struct.pack_into("<I", header, 48, 1)  # first directory sector (sector 0 is the FAT)
    fat = bytearray(b"\xff" * 512)
    directory = bytearray()
    for name in ["Root Entry", *names]:
        entry = bytearray(128)
        raw = name.encode("utf-16-le") + b"\x00\x00"
        entry[: len(raw)] = raw
        struct.pack_into("<H", entry, 64, len(raw))
        directory += entry
    directory += bytes(512 - len(directory) % 512) if len(directory) % 512 else b""
    return bytes(header) + bytes(fat) + bytes(directory)


def _write(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _lazy(make: Callable[[], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(make())


def _docx() -> bytes:
    types = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        b'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
        b'+xml"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("word/document.xml", b'<?xml version="1.0"?><w:document xmlns:w="urn:w"/>')
    return out.getvalue()


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("報告書.txt", "川崎市".encode())
        zf.writestr("data/plan.csv", b"a,b\n1,2\n")
    return out.getvalue()


def _ods() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", b"<office:document-content/>")
    return out.getvalue()


def _bad_crc() -> bytes:
    data = bytearray(rewrite_zip(valid_xlsx_bytes(), compression=zipfile.ZIP_STORED))
    sheet = _member("xl/worksheets/sheet2.xml")
    pos = data.index(sheet) + len(sheet) - 20  # past <dimension>, so only the CRC can catch it
    data[pos] ^= 0x01
    return bytes(data)


def _bomb_ratio() -> bytes:
    return rewrite_zip(valid_xlsx_bytes(), add={"xl/media/image1.bin": bytes(8 * 1024 * 1024)})


def _bomb_member_declared() -> bytes:
    data = rewrite_zip(valid_xlsx_bytes(), add={"xl/media/image1.bin": b"x" * 1000})
    return patch_declared_size(data, "xl/media/image1.bin", 300 * 1024 * 1024)


def _bomb_total_declared() -> bytes:
    names = [f"xl/media/image{i}.bin" for i in range(1, 4)]
    data = rewrite_zip(valid_xlsx_bytes(), add={name: b"y" * 1000 for name in names})
    for name in names:
        data = patch_declared_size(data, name, 90 * 1024 * 1024)
    return data


def _lying_small_header() -> bytes:
    """Declares 10 bytes but inflates to 5 MB: zipfile stops at the declared size and the CRC fails."""
    data = rewrite_zip(valid_xlsx_bytes(), add={"xl/media/image1.bin": bytes(5 * 1024 * 1024)})
    return patch_declared_size(data, "xl/media/image1.bin", 10)


def _many_members() -> bytes:
    return rewrite_zip(valid_xlsx_bytes(), add={f"customXml/n{i}.bin": b"" for i in range(10_001)})


def _huge_dimension() -> bytes:
    sheet = _member("xl/worksheets/sheet2.xml")
    sheet = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', sheet)
    return rewrite_zip(valid_xlsx_bytes(), replace={"xl/worksheets/sheet2.xml": sheet})


def _strict() -> bytes:
    workbook = _member("xl/workbook.xml").replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    )
    return rewrite_zip(valid_xlsx_bytes(), replace={"xl/workbook.xml": workbook})


def _xlsb() -> bytes:
    types = _member("[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.binary.macroEnabled.main",
    )
    return rewrite_zip(valid_xlsx_bytes(), replace={"[Content_Types].xml": types})


def _utf16_dtd() -> bytes:
    workbook = b'<?xml version="1.0" encoding="UTF-16"?>' + BILLION_LAUGHS + _member("xl/workbook.xml")
    return rewrite_zip(valid_xlsx_bytes(), replace={"xl/workbook.xml": workbook.decode().encode("utf-16")})


@dataclass(frozen=True)
class Case:
    name: str
    filename: str
    build: Callable[[Path], None]
    expect: str  # distinctive substring of the error (or, with warning=True, of the warning)
    warning: bool = False


CASES: list[Case] = [
    Case("missing", "plan.xlsx", lambda path: None, "が見つかりません"),
    Case("directory", "folder.xlsx", lambda path: path.mkdir(), "はフォルダーです"),
    Case("empty", "plan.xlsx", _write(b""), "は空(0バイト)です"),
    Case("random", "plan.xlsx", _write(b"\x00" + random.Random(20240401).randbytes(4096)), "中身を認識できません"),
    Case("text", "plan.xlsx", _write("川崎市社会的養育推進計画\n本文のみのメモです。\n".encode()), "テキストファイルのようです"),
    Case(
        "html",
        "plan.xlsx",
        _write(b'\xef\xbb\xbf<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><table></table></body></html>'),
        "HTMLファイルのようです",
    ),
    Case("csv_cp932", "plan.xlsx", _write("指標,令和7年度,令和8年度\n里親等委託率,35.0%,40.0%\n".encode("cp932")), "CSV(テキスト)"),
    Case("tsv_utf16", "plan.xlsx", _write("指標\t令和7年度\r\n委託率\t35.0%\r\n".encode("utf-16")), "CSV(テキスト)"),
    Case(
        "xml2003",
        "plan.xlsx",
        _write(b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook '
               b'xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'),
        "XMLスプレッドシート2003形式",
    ),
    Case("pdf", "plan.xlsx", _write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "PDFファイルのようです"),
    Case("xls", "plan.xlsx", _lazy(lambda: _ole(["Workbook", "\x05SummaryInformation"])), "Excel 97-2003形式(.xls)は読めません"),
    Case(
        "encrypted",
        "plan.xlsx",
        _lazy(lambda: _ole(["\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"])),
        "パスワードで保護されたブックは開けません",
    ),
    Case("truncated", "plan.xlsx", _lazy(lambda: valid_xlsx_bytes()[: len(valid_xlsx_bytes()) // 2]), "ファイルが壊れているため"),
    Case("bad_crc", "plan.xlsx", _lazy(_bad_crc), "内部の「xl/worksheets/sheet2.xml」が破損しています"),
    Case("plain_zip", "plan.xlsx", _lazy(_plain_zip), "ZIPファイルのようです"),
    Case("docx", "plan.xlsx", _lazy(_docx), "Word文書(.docx)のようです"),
    Case("ods", "plan.xlsx", _lazy(_ods), "OpenDocumentスプレッドシート"),
    Case("xlsb", "plan.xlsx", _lazy(_xlsb), "Excelバイナリブック(.xlsb)"),
    Case("strict", "plan.xlsx", _lazy(_strict), "Strict Open XML形式は読めません"),
    Case(
        "missing_sheet_part",
        "plan.xlsx",
        _lazy(lambda: rewrite_zip(valid_xlsx_bytes(), replace={"xl/worksheets/sheet2.xml": None})),
        "シート「2 権利擁護」のデータ「xl/worksheets/sheet2.xml」がファイル内にありません",
    ),
    Case(
        "missing_workbook_part",
        "plan.xlsx",
        _lazy(lambda: rewrite_zip(valid_xlsx_bytes(), replace={"xl/workbook.xml": None})),
        "内部の「xl/workbook.xml」が破損しています",
    ),
    Case("bomb_ratio", "plan.xlsx", _lazy(_bomb_ratio), "異常に高い圧縮率のデータ「xl/media/image1.bin」"),
    Case("bomb_member", "plan.xlsx", _lazy(_bomb_member_declared), "展開後のサイズが大きすぎるため開けません(300 MB、上限100 MB)"),
    Case("bomb_total", "plan.xlsx", _lazy(_bomb_total_declared), "展開後のサイズが大きすぎるため開けません(270 MB、上限200 MB)"),
    Case("lying_small_header", "plan.xlsx", _lazy(_lying_small_header), "内部の「xl/media/image1.bin」が破損しています"),
    Case("many_members", "plan.xlsx", _lazy(_many_members), "部品が多すぎるため開けません(10,011個、上限10,000個)"),
    Case(
        "billion_laughs",
        "plan.xlsx",
        _lazy(lambda: rewrite_zip(valid_xlsx_bytes(), replace={
            "xl/workbook.xml": _with_dtd(_member("xl/workbook.xml"), BILLION_LAUGHS)})),
        "安全でないXML(DTD/エンティティ宣言)を含むため開けません(「xl/workbook.xml」)",
    ),
    Case(
        "external_entity_in_sheet",
        "plan.xlsx",
        _lazy(lambda: rewrite_zip(valid_xlsx_bytes(), replace={
            "xl/worksheets/sheet1.xml": _with_dtd(_member("xl/worksheets/sheet1.xml"), EXTERNAL_ENTITY)})),
        "安全でないXML(DTD/エンティティ宣言)を含むため開けません(「xl/worksheets/sheet1.xml」)",
    ),
    Case(
        "dtd_in_docprops",
        "plan.xlsx",
        _lazy(lambda: rewrite_zip(valid_xlsx_bytes(), replace={
            "docProps/core.xml": _with_dtd(_member("docProps/core.xml"), b"<!DOCTYPE x>")})),
        "安全でないXML(DTD/エンティティ宣言)",
    ),
    Case("utf16_dtd", "plan.xlsx", _lazy(_utf16_dtd), "安全でないXML(DTD/エンティティ宣言)"),
    Case("huge_dimension", "plan.xlsx", _lazy(_huge_dimension), "シート「2 権利擁護」の範囲(A1:XFD1048576)が大きすぎます"),
    Case(
        "macro_xlsm",
        "plan.xlsm",
        _lazy(lambda: rewrite_zip(valid_xlsx_bytes(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not run"})),
        "マクロを含むブックです。マクロは実行せず",
        warning=True,
    ),
]


def generate(directory: Path) -> dict[str, Path]:
    """Build every case into ``directory``; returns case name -> path."""
    paths = {}
    for case in CASES:
        folder = directory / case.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / case.filename
        case.build(path)
        paths[case.name] = path
    return paths
