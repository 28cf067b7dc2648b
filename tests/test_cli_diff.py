"""`kawasaki-planner diff OLD NEW`: two workbooks we edit ourselves give exactly the changes we made."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kawasaki_planner.core import structure
from kawasaki_planner.core.plan import FigureRef, NarrativeBlock, StatusItem
from kawasaki_planner.io.workbook import load_plan, save_plan
from tests.io.workbook_edit import edit

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "kawasaki_plan_r8.xlsx"
V1 = ROOT / "tests" / "data" / "kawasaki_plan_r8_v1.xlsx"
COLUMNS = ["section", "indicator", "fiscal_year", "kind", "change", "before", "after"]

OPINION = "意見表明支援を利用可能な児童数"
CENTRE = "こども家庭センターの設置数"
CENTRE_NEW = "こども家庭センターの設置か所数"
ADDED = "子どもの権利ノートの配布数"
NARRATIVE_ADDITION = "あわせて、こどもの声を聴く仕組みを全区に広げます。"
STATUS_ADDITION = "令和8年度からは全児童相談所で実施します。"

EXPECTED = [
    ["", "計画期間(年度)", "", "", "added", "", "R12年度 (2030)"],
    ["2", "本文「(1) 現行計画の達成見込み・要因分析」", "", "", "text", "<narrative before>", "<narrative after>"],
    ["2", "現在の整備・取組状況「こどもの意見聴取等の実施」", "", "", "text", "<status before>", "<status after>"],
    ["2", OPINION, "2025", "actual", "added", "", "905人"],
    ["2", OPINION, "2026", "plan", "changed", "997人", "1,111人"],
    ["2", ADDED, "", "", "added", "", ADDED],
    ["2", ADDED, "2029", "plan", "added", "", "500件"],
    ["3", CENTRE_NEW, "", "", "renamed", CENTRE, CENTRE_NEW],
    ["6", "一時保護施設の定員数", "2027", "plan", "changed", "<old capacity>", "45人"],
]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kawasaki_planner", *args], capture_output=True, cwd=ROOT, timeout=180,
                          env=env)


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """(old, new, the texts the expected rows stand for): new is old edited in the app and then in a spreadsheet."""
    folder = tmp_path_factory.mktemp("diff")
    old, new = folder / "old.xlsx", folder / "new.xlsx"
    shutil.copy(SAMPLE, old)
    shutil.copy(SAMPLE, new)
    plan = load_plan(new)
    plan.set_figure(FigureRef(2, OPINION, 2026, "plan"), "1,111")
    plan.set_figure(FigureRef(2, OPINION, 2025, "actual"), "905")
    structure.edit_indicator(plan, 3, CENTRE, label=CENTRE_NEW)
    added = structure.new_indicator(plan, 2, ADDED, "件")
    structure.insert_indicator(plan, 2, 2, added)
    plan.set_figure(FigureRef(2, added.id, 2029, "plan"), "500")
    section = plan.section(2)
    first = section.narrative[0]
    narrative_after = first.text.replace("必要です。", "必要です。" + NARRATIVE_ADDITION, 1)
    structure.set_narrative(plan, 2, [NarrativeBlock(first.heading, narrative_after), *section.narrative[1:]])
    status = section.status[0]
    structure.set_status(plan, 2, [StatusItem(status.item, status.description + STATUS_ADDITION), *section.status[1:]])
    structure.set_years(plan, (*plan.years, 2030))
    save_plan(plan, new, backups=0)
    # And a figure typed over in a spreadsheet program, as a colleague would.
    capacity = load_plan(old).section(6).indicator("一時保護施設の定員数").figure(2027, "plan").text
    edit(new, 6, "一時保護施設の定員数", 2027, "plan", 45)
    texts = {"<narrative before>": first.text, "<narrative after>": narrative_after,
             "<status before>": status.description, "<status after>": status.description + STATUS_ADDITION,
             "<old capacity>": capacity}
    return old, new, texts


def expected(texts: dict) -> list[list[str]]:
    return [[texts.get(cell, cell) for cell in row] for row in EXPECTED]


def test_csv_lists_exactly_the_changes_made_with_the_rename_recognised(books, tmp_path):
    old, new, texts = books
    out = tmp_path / "diff.csv"
    result = run_cli("diff", str(old), str(new), "--format", "csv", "-o", str(out))
    assert result.returncode == 1, result.stderr.decode("utf-8")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # as export writes it: Excel opens the Japanese as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == COLUMNS
    assert rows[1:] == expected(texts)
    assert b"\r\n" in raw


def test_json_has_the_same_rows(books):
    old, new, texts = books
    result = run_cli("diff", str(old), str(new), "--format", "json")
    assert result.returncode == 1
    rows = json.loads(result.stdout.decode("utf-8"))
    assert all(list(row) == COLUMNS for row in rows)
    flat = [["" if row[c] is None else str(row[c]) for c in COLUMNS] for row in rows]
    assert flat == expected(texts)
    renamed = next(row for row in rows if row["change"] == "renamed")
    assert renamed["fiscal_year"] is None and renamed["kind"] == ""


def test_text_is_grouped_by_section_in_japanese(books):
    old, new, _ = books
    result = run_cli("diff", str(old), str(new))
    assert result.returncode == 1
    out = result.stdout.decode("utf-8")
    assert "相違 9 件" in out
    assert out.index("■ 計画全体") < out.index("■ 2 当事者である子どもの権利擁護の取組") < out.index("■ 3 ") < out.index("■ 6 ")
    assert "・計算値" not in out
    assert f"[変更] {OPINION} R8年度 (2026) 目標: 997人 → 1,111人" in out
    assert f"[名称変更] {CENTRE_NEW}: {CENTRE} → {CENTRE_NEW}" in out
    assert "{+" + NARRATIVE_ADDITION + "+}" in out.replace("\n", "")


def test_a_plan_compared_with_itself_exits_0(books):
    old, _, _ = books
    result = run_cli("diff", str(old), str(old))
    assert result.returncode == 0
    assert "相違はありません" in result.stdout.decode("utf-8")


def test_a_version_1_book_and_the_version_2_the_app_saves_from_it_are_the_same(tmp_path):
    copy = tmp_path / "v2.xlsx"
    shutil.copy(V1, copy)
    save_plan(load_plan(copy), copy, backups=0)
    assert load_workbook(copy).active is not None
    result = run_cli("diff", str(V1), str(copy), "--format", "csv")
    assert result.returncode == 0, result.stdout.decode("utf-8-sig")
    assert result.stdout.decode("utf-8-sig").strip() == ",".join(COLUMNS)


@pytest.mark.parametrize(("content", "needle"), [(b"", "空"), (b"<html><body>x</body></html>", "HTML")])
def test_a_refused_file_exits_2_with_a_japanese_message(books, tmp_path, content, needle):
    old, _, _ = books
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(content)
    result = run_cli("diff", str(old), str(bad))
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2
    assert needle in err and "Traceback" not in err
    missing = run_cli("diff", str(tmp_path / "none.xlsx"), str(old))
    assert missing.returncode == 2 and "見つかりません" in missing.stderr.decode("utf-8")


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_xlsx_and_pdf_need_an_output_file(books, fmt):
    old, new, _ = books
    result = run_cli("diff", str(old), str(new), "--format", fmt)
    assert result.returncode == 2
    assert "-o" in result.stderr.decode("utf-8")


def test_the_xlsx_comparison_table_has_every_change_under_its_section(books, tmp_path):
    old, new, texts = books
    out = tmp_path / "新旧対照表.xlsx"
    result = run_cli("diff", str(old), str(new), "--format", "xlsx", "-o", str(out))
    assert result.returncode == 1, result.stderr.decode("utf-8")
    book = load_workbook(out, rich_text=True)
    sheet = book.active
    assert [c.value for c in sheet[4]] == ["項目", "改定前", "改定後", "備考"]
    rows = [[("" if c.value is None else str(c.value)) for c in row] for row in sheet.iter_rows(min_row=5)]
    headings = [row[0] for row in rows if row[1:] == ["", "", ""]]
    assert headings == ["計画全体", "2 当事者である子どもの権利擁護の取組", "3 児童家庭支援体制の構築等に向けた本市の取組",
                        "6 一時保護施設の質の向上に向けた取組"]
    body = [row for row in rows if row[1:] != ["", "", ""]]
    assert len(body) == len(EXPECTED)
    assert [OPINION + "\nR8年度 (2026) 目標", "997人", "1,111人", "変更"] in body
    assert [CENTRE_NEW, CENTRE, CENTRE_NEW, "名称変更"] in body
    narrative = next(row for row in body if row[0].startswith("本文"))
    assert narrative[1:3] == [texts["<narrative before>"], texts["<narrative after>"]]
    # The inserted passage is marked (red, bold, underlined), the rest of the text is not.
    cell = next(c for row in sheet.iter_rows(min_row=5) for c in row if str(c.value or "").startswith(texts["<narrative after>"][:20])
                and c.column == 3)
    marked = "".join(run.text for run in cell.value if not isinstance(run, str) and run.font.b)
    assert NARRATIVE_ADDITION in marked and len(marked) < len(NARRATIVE_ADDITION) + 4
    setup = sheet.page_setup
    assert int(setup.paperSize) == 9 and setup.orientation == "landscape" and setup.fitToWidth == 1  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows.replace("$", "") == "4:4"


def test_the_pdf_comparison_table_reads_back_through_pdftotext(books, tmp_path):
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext (poppler-utils) is needed in CI")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    old, new, _ = books
    out = tmp_path / "新旧対照表.pdf"
    env = {**os.environ, "QT_QPA_PLATFORM": ""}  # the command line makes its own offscreen Qt
    result = run_cli("diff", str(old), str(new), "--format", "pdf", "-o", str(out), env=env)
    assert result.returncode == 1, result.stderr.decode("utf-8")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    # Qt names some kanji by their radical's code point (⽂ for 文) in the PDF's text layer; the writer rewrites them.
    assert not any("\u2f00" <= ch <= "\u2fdf" for ch in text)
    for needle in ("新旧対照表", "項目", "改定前", "改定後", "備考", "2 当事者である子どもの権利擁護の取組", "997人", "1,111人",
                   CENTRE_NEW, "R12年度 (2030)", "名称変更"):
        assert needle in text, needle
    assert re.search(r"1\s*/\s*2", text)  # page numbers
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout if shutil.which("pdffonts") else ""
    if fonts:
        assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded


def test_the_comparison_and_its_text_csv_xlsx_exports_load_no_qt():
    code = (
        "import sys, contextlib, io, tempfile, os\n"
        "from kawasaki_planner.cli import main\n"
        "d = tempfile.mkdtemp()\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['diff', 'sample_data/kawasaki_plan_r8.xlsx', 'tests/data/kawasaki_plan_r8_v1.xlsx'])\n"
        "    main(['diff', 'sample_data/kawasaki_plan_r8.xlsx', 'sample_data/kawasaki_plan_r8.xlsx', '--format', 'xlsx',"
        " '-o', os.path.join(d, 'x.xlsx')])\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""


def test_computed_figures_are_listed_only_when_asked_for(tmp_path):
    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    shutil.copy(SAMPLE, old)
    shutil.copy(SAMPLE, new)
    edit(new, 5, "児童人口", 2027, "plan", 230000)
    every = run_cli("diff", str(old), str(new), "--format", "json", "--computed")
    typed = run_cli("diff", str(old), str(new), "--format", "json")
    assert every.returncode == typed.returncode == 1
    rows = json.loads(every.stdout.decode("utf-8"))
    assert rows[0] == {"section": 5, "indicator": "児童人口", "fiscal_year": 2027, "kind": "plan", "change": "changed",
                       "before": "233,198", "after": "230,000"}
    assert {"措置児童数", "合計 里親等委託率対象児童数"} <= {r["indicator"] for r in rows[1:]}
    assert json.loads(typed.stdout.decode("utf-8")) == rows[:1]
    text = run_cli("diff", str(old), str(new), "--computed").stdout.decode("utf-8")
    assert "[変更] 措置児童数 R9年度 (2027) 見込み: 348 → 343(計算値)" in text
    assert "措置児童数" not in run_cli("diff", str(old), str(new)).stdout.decode("utf-8")
