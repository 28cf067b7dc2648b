"""The pre-open guard: every hostile file is refused fast, in Japanese, without being modified."""

from __future__ import annotations

import hashlib
import io
import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kawasaki_planner.io import guard
from kawasaki_planner.io.errors import PlanFormatError
from kawasaki_planner.io.excel_open import open_workbook
from kawasaki_planner.io.guard import guard_openpyxl, inspect_workbook_file

sys.path.insert(0, str(Path(__file__).parent))
import hostile_files as hostile

_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _fingerprint(path: Path) -> tuple[str, int] | None:
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def _write_valid(path: Path) -> Path:
    path.write_bytes(hostile.valid_xlsx_bytes())
    return path


@pytest.mark.parametrize("case", hostile.CASES, ids=lambda case: case.name)
def test_each_hostile_file_is_refused_with_its_own_message(case, tmp_path):
    path = tmp_path / case.filename
    case.build(path)
    before = _fingerprint(path)
    listing = sorted(tmp_path.rglob("*"))

    started = time.perf_counter()
    if case.warning:
        warnings = inspect_workbook_file(path)
        assert any(case.expect in w for w in warnings), warnings
    else:
        with pytest.raises(PlanFormatError) as caught:
            inspect_workbook_file(path)
        assert case.expect in str(caught.value)
        assert _JAPANESE.search(str(caught.value))
    elapsed = time.perf_counter() - started

    assert elapsed < 2.0, f"{case.name} took {elapsed:.2f}s"
    assert _fingerprint(path) == before, "the guard must never modify the file"
    assert sorted(tmp_path.rglob("*")) == listing, "the guard must never create files"


def test_generate_builds_every_case_into_one_directory(tmp_path):
    paths = hostile.generate(tmp_path)
    assert set(paths) == {case.name for case in hostile.CASES}


def test_valid_workbook_passes_without_warnings_and_loads(tmp_path):
    path = _write_valid(tmp_path / "plan.xlsx")
    assert inspect_workbook_file(path) == []
    opened = open_workbook(path.read_bytes(), path=path)
    assert opened.warnings == [] and opened.unkept == []
    assert opened.book.sheetnames == list(hostile.SHEET_NAMES)


def test_workbook_saved_by_the_app_passes(tmp_path):
    from kawasaki_planner.io.source import load_source
    from kawasaki_planner.io.workbook_write import write_plan

    plan = load_source(Path(__file__).parents[2] / "sample_data" / "plan_source.json")  # a new plan: laid out anew
    path = tmp_path / "計画.xlsx"
    write_plan(plan, path)
    assert inspect_workbook_file(path) == []


def test_a_larger_ordinary_workbook_is_accepted_quickly(tmp_path):
    wb = openpyxl.Workbook()
    sheet = wb.active
    for row in range(1, 5001):
        sheet.append([f"項目{row}", *range(row, row + 19)])
    path = tmp_path / "large.xlsx"
    wb.save(path)
    started = time.perf_counter()
    assert inspect_workbook_file(path) == []
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("ref", "refused"),
    [("A1:T200000", False), ("A1", False), ("B2:XFD10", False), ("A1:A200001", True), ("A1:XFE1", True)],
)
def test_dimension_limits(tmp_path, ref, refused):
    sheet = hostile._member("xl/worksheets/sheet1.xml")
    sheet = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), sheet)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(hostile.rewrite_zip(hostile.valid_xlsx_bytes(), replace={"xl/worksheets/sheet1.xml": sheet}))
    if refused:
        with pytest.raises(PlanFormatError, match=re.escape(f"シート「1 計画の概要」の範囲({ref})が大きすぎます")):
            inspect_workbook_file(path)
    else:
        assert inspect_workbook_file(path) == []


def test_xlsm_extension_alone_warns_about_macros(tmp_path):
    path = _write_valid(tmp_path / "plan.xlsm")
    assert inspect_workbook_file(path) == [guard.WARN_MACRO]


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    # Root ignores file modes, so a chmod test cannot prove anything here; simulate the OS refusing instead.
    path = _write_valid(tmp_path / "plan.xlsx")
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(PlanFormatError, match=re.escape("ファイル「plan.xlsx」を読み取れません")):
        inspect_workbook_file(path)


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root and Windows ignore POSIX modes")
def test_unreadable_file_by_mode(tmp_path):
    path = _write_valid(tmp_path / "plan.xlsx")
    path.chmod(0)
    try:
        with pytest.raises(PlanFormatError, match="読み取れません"):
            inspect_workbook_file(path)
    finally:
        path.chmod(0o600)


def test_openpyxl_parses_with_defusedxml(monkeypatch):
    assert openpyxl.DEFUSEDXML is True
    guard_openpyxl()
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError):
        guard_openpyxl()


def test_the_guard_refuses_before_openpyxl_reads(tmp_path, monkeypatch):
    from kawasaki_planner.io import excel_open
    from kawasaki_planner.io.workbook import load_plan

    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"a,b\n1,2\n")
    monkeypatch.setattr(excel_open, "ExcelReader", lambda *a, **k: pytest.fail("openpyxl must not be reached"))
    with pytest.raises(PlanFormatError, match="CSV"):
        load_plan(path)


def test_a_load_fails_loudly_when_openpyxl_would_parse_without_defusedxml(sample_path, monkeypatch):
    from kawasaki_planner.io.workbook import load_plan

    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError):
        load_plan(sample_path)


def test_error_keeps_the_cause_for_logs(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(hostile.valid_xlsx_bytes()[:300])
    with pytest.raises(PlanFormatError) as caught:
        inspect_workbook_file(path)
    assert isinstance(caught.value.__cause__, zipfile.BadZipFile)


# --- Property tests: whatever the bytes, the only possible outcome is a list of warnings or PlanFormatError. ---

_FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def _outcome(data: bytes, suffix: str = ".xlsx") -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            result = inspect_workbook_file(path)
        except PlanFormatError as exc:
            assert _JAPANESE.search(str(exc))
        else:
            assert isinstance(result, list)
        assert path.read_bytes() == data


@_FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_only_raise_plan_format_error(data):
    _outcome(data)


@_FUZZ
@given(st.sampled_from([b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xff\xfe"]),
       st.binary(max_size=4096))
def test_random_bytes_behind_a_known_magic_only_raise_plan_format_error(magic, data):
    _outcome(magic + data)


# Names zipfile can write at all: no NUL (it truncates there), no lone surrogates, no directories.
_ZIP_NAME_CHARS = st.characters(min_codepoint=0x20, blacklist_categories=["Cs"], blacklist_characters="/\\")
_PART_NAMES = st.sampled_from(
    ["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "_rels/.rels",
     "xl/worksheets/sheet1.xml", "xl/vbaProject.bin", "mimetype", "word/document.xml"]
) | st.text(_ZIP_NAME_CHARS, min_size=1, max_size=20)
_PART_CONTENT = st.binary(max_size=512) | st.sampled_from(
    [hostile._member(name) for name in ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")]
)


@_FUZZ
@given(st.dictionaries(_PART_NAMES, _PART_CONTENT, max_size=8))
def test_random_zips_only_raise_plan_format_error(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
    _outcome(buffer.getvalue())


@_FUZZ
@given(st.data())
def test_damaged_real_workbooks_only_raise_plan_format_error(data):
    original = bytearray(hostile.valid_xlsx_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(original)))
    _outcome(bytes(original[:cut]), data.draw(st.sampled_from([".xlsx", ".xlsm"])))
