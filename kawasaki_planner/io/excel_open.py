"""Opening a workbook with openpyxl behind the file guard, and naming what went wrong in Japanese.

Every open goes through :func:`open_workbook`: the guard (zip bombs, DTDs, encryption, legacy formats)
runs first and cannot be skipped, openpyxl must be parsing with defusedxml, and whatever openpyxl still
raises becomes a PlanFormatError that names the part or sheet it was reading. What openpyxl reads but
cannot write back (charts, images, pivot tables, macros, form controls …) is listed by
:func:`unkept_content`, so the user hears it before a save drops it.
"""

from __future__ import annotations

import io
import types
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.reader.excel import ExcelReader, apply_stylesheet
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .errors import PlanFormatError
from .guard import guard_openpyxl, inspect_workbook_file

MSG_PART = "ブックの{part}が壊れているため読めません({detail})。Excelで開いて保存し直すか、バックアップから復元してください"
MSG_SHEET = "シート「{sheet}」の内容が壊れているため読めません({detail})。Excelで開いて保存し直すか、バックアップから復元してください"

# The steps of openpyxl's ExcelReader.read(), with the part each one reads, in the user's words.
_STEPS = (
    ("read_manifest", "内容一覧([Content_Types].xml)"),
    ("read_strings", "共有文字列(sharedStrings.xml)"),
    ("read_workbook", "ブック情報(workbook.xml)"),
    ("read_properties", "文書のプロパティ(docProps/core.xml)"),
    ("read_custom", "ユーザー設定のプロパティ(docProps/custom.xml)"),
    ("read_theme", "テーマ(theme1.xml)"),
    ("apply_stylesheet", "スタイル(styles.xml)"),
    ("read_worksheets", "シート"),
    ("assign_names", "名前の定義(workbook.xml)"),
)

# Parts openpyxl does not write back, or writes back changed: (path prefix in the zip, what the user calls it).
_UNKEPT_PARTS = (
    ("xl/charts/", "グラフ"),
    ("xl/chartsheets/", "グラフシート"),
    ("xl/media/", "画像"),
    ("xl/drawings/", "図形・画像"),
    ("xl/pivotTables/", "ピボットテーブル"),
    ("xl/pivotCache/", "ピボットテーブル"),
    ("xl/vbaProject.bin", "マクロ"),
    ("xl/ctrlProps/", "フォームコントロール"),
    ("xl/activeX/", "ActiveXコントロール"),
    ("xl/slicers/", "スライサー"),
    ("xl/slicerCaches/", "スライサー"),
    ("xl/timelines/", "タイムライン"),
    ("xl/embeddings/", "埋め込みオブジェクト"),
    ("xl/threadedComments/", "スレッド形式のコメント"),
)
# openpyxl's own warnings when it drops part of a sheet: (start of its English text, what the user calls it).
_DROPPED = (
    ("Data Validation extension", "入力規則の一部(拡張機能)"),
    ("Conditional Formatting extension", "条件付き書式の一部(拡張機能)"),
    ("Slicer List extension", "スライサー"),
    ("Sparkline Group extension", "スパークライン"),
    ("Protected Range extension", "範囲の編集の許可(保護された範囲)"),
    ("Ignored Error extension", "エラーチェックの無視の設定"),
    ("Web Extension extension", "Office アドイン"),
    ("Timeline Ref extension", "タイムライン"),
    ("Unknown extension", "Excelの拡張機能の一部"),
)
# Any other extension openpyxl drops (its list may grow): said in general words rather than not at all.
_DROPPED_OTHER = "Excelの拡張機能の一部"


@dataclass
class OpenedBook:
    """A workbook as openpyxl read it, with what the user must hear about it."""

    book: Workbook
    warnings: list[str] = field(default_factory=list)  # guard warnings (macros …), in Japanese
    unkept: list[str] = field(default_factory=list)  # what a save will not keep, in the user's words


def open_workbook(data: bytes, *, path: str | Path | None = None, data_only: bool = False,
                  inspected: list[str] | None = None, for_writing: bool = True) -> OpenedBook:
    """openpyxl's Workbook for ``data`` (the bytes of ``path``); raises PlanFormatError (Japanese).

    ``for_writing=False`` is for a workbook that is only read and then dropped (loading a plan: a save opens the
    bytes again): every part is parsed and checked as for writing, but the cells a merged range covers are not
    given objects of their own (see _ReadingSheet).

    ``inspected`` is the guard's result when the caller already ran it on ``path``; otherwise the
    guard runs here, on ``path`` if given, else on the bytes.
    """
    if inspected is None:
        inspected = _inspect(data, path)
    guard_openpyxl()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        book = _read(data, data_only, for_writing)
    unkept = unkept_content(data)
    unkept += [label for label in _dropped(caught) if label not in unkept]
    return OpenedBook(book, list(inspected), unkept)


def _inspect(data: bytes, path: str | Path | None) -> list[str]:
    if path is not None:
        return inspect_workbook_file(path)
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "book.xlsx"
        copy.write_bytes(data)
        return inspect_workbook_file(copy)


class _ReadingSheet(Worksheet):
    """A worksheet read only for its values: a merged range keeps its extent, its covered cells stay as parsed.

    openpyxl gives each covered cell a MergedCell with its own copy of the range's protection and edge borders
    (MergedCellRange.format, which the writer needs): about 0.3 ms per range, a fifth of reading the sample, whose
    text rows are merged across the year columns. The plan reader needs only the ranges (ws.merged_cells).
    """

    def _clean_merge_range(self, mcr) -> None:
        pass


def _create_reading_sheet(book: Workbook, title: str | None = None, index: int | None = None) -> Worksheet:
    sheet = _ReadingSheet(parent=book, title=title)
    book._add_sheet(sheet=sheet, index=index)
    return sheet


def _read(data: bytes, data_only: bool, for_writing: bool = True) -> Workbook:
    try:
        reader = ExcelReader(io.BytesIO(data), read_only=False, keep_vba=False, data_only=data_only, keep_links=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise PlanFormatError(MSG_PART.format(part="構造(zip)", detail=_detail(exc))) from exc
    if "xl/styles.xml" not in reader.valid_files:
        reader.archive.close()
        raise PlanFormatError(MSG_PART.format(part="書式(styles.xml)", detail="書式の部品がありません"))
    part = ""
    try:
        for step, part in _STEPS:  # noqa: B007 - ``part`` names the failing step in the except clause
            if step == "apply_stylesheet":
                apply_stylesheet(reader.archive, reader.wb)
            elif step == "read_worksheets":
                if not for_writing:  # this workbook's own sheets only; read_workbook has just made it
                    reader.wb.create_sheet = types.MethodType(_create_reading_sheet, reader.wb)
                _read_worksheets(reader)
            elif step == "assign_names":
                reader.parser.assign_names()
            else:
                getattr(reader, step)()
    except PlanFormatError:
        raise
    except Exception as exc:  # openpyxl raises anything from KeyError to TypeError on a damaged part
        raise PlanFormatError(MSG_PART.format(part=part, detail=_detail(exc))) from exc
    finally:
        reader.archive.close()
    return reader.wb


def _read_worksheets(reader: ExcelReader) -> None:
    """openpyxl's read_worksheets, with the sheet named when one of them is damaged."""
    before = len(reader.wb.worksheets)
    try:
        reader.read_worksheets()
    except Exception as exc:
        sheets = reader.wb.worksheets
        name = sheets[-1].title if len(sheets) > before else "(先頭)"
        raise PlanFormatError(MSG_SHEET.format(sheet=name, detail=_detail(exc))) from exc


def _detail(exc: BaseException) -> str:
    """What is wrong, in the user's words: openpyxl's own messages are English and name no place."""
    if isinstance(exc, (IndexError, KeyError)):
        return "存在しない書式・文字列・部品を参照しています"
    if isinstance(exc, (ValueError, TypeError)):
        return "値の形式が正しくありません"
    if isinstance(exc, (zipfile.BadZipFile, EOFError, OSError)):
        return "圧縮データが壊れています"
    return "内部の形式が正しくありません"


def unkept_content(data: bytes) -> list[str]:
    """What the workbook holds that a save through openpyxl does not keep (in the user's words, once each)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return []
    found: list[str] = []
    # Comments are drawn through VML parts (xl/drawings/vmlDrawing*.vml); openpyxl keeps comments, so those do not count.
    names = [name for name in names if not name.endswith(".vml")]
    for prefix, label in _UNKEPT_PARTS:
        if any(name.startswith(prefix) for name in names) and label not in found:
            found.append(label)
    return found


def _dropped(caught: list[warnings.WarningMessage]) -> list[str]:
    found: list[str] = []
    for message in caught:
        text = str(message.message)
        label = next((label for start, label in _DROPPED if text.startswith(start)), None)
        if label is None and text.endswith("extension is not supported and will be removed"):
            label = _DROPPED_OTHER
        if label is not None and label not in found:
            found.append(label)
    return found


def unkept_warning(unkept: list[str]) -> str:
    """The sentence said when the file is opened and again before the first save."""
    return (f"このブックには {'・'.join(unkept)} が含まれています。このアプリで保存すると、これらは保存されません"
            "(失われるか、形が変わります)。残す必要がある場合は、別の名前で保存してください")


__all__ = ["OpenedBook", "open_workbook", "unkept_content", "unkept_warning"]
