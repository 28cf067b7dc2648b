"""The command-line contract: export columns, check exit codes and messages, forecast text."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kawasaki_planner.cli import main
from tests.published import PRINTED_FLAW, PUBLISHED

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "kawasaki_plan_r8.xlsx"
COLUMNS = ["section", "indicator", "fiscal_year", "kind", "value", "unit", "text"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kawasaki_planner", *args], capture_output=True, cwd=ROOT, timeout=120)


def test_export_csv_to_a_file_has_a_bom_and_every_published_figure(tmp_path):
    out = tmp_path / "plan.csv"
    assert main(["export", str(SAMPLE), "--format", "csv", "-o", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 239
    by_key = {(int(r["section"]), r["indicator"], int(r["fiscal_year"]), r["kind"]): r for r in rows}
    for section, label, year, kind, text in PUBLISHED:
        if text == "-":
            continue
        expected = PRINTED_FLAW.get((section, label, year, kind), (None, text))[1]
        assert by_key[(section, label, year, kind)]["text"] == expected


def test_export_values_are_plain_ascii_numbers(capsys):
    assert main(["export", str(SAMPLE)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    by_key = {(r["indicator"], r["fiscal_year"], r["kind"]): r for r in rows}
    assert by_key[("児童人口", "2025", "plan")]["value"] == "241047"
    assert by_key[("児童人口", "2025", "plan")]["unit"] == "人"
    assert by_key[("児童人口に対する措置率", "2025", "plan")]["value"] == "0.144"
    assert by_key[("児童人口に対する措置率", "2029", "plan")]["value"] == "0.160"
    centre = by_key[("こども家庭センターの設置数", "2025", "plan")]
    assert (centre["value"], centre["unit"], centre["text"]) == ("7", "か所", "7か所(試行実施)")
    assert by_key[("就学前児童(3歳以上) 里親等委託率対象児童数", "2026", "plan")]["value"] == "43"
    assert by_key[("合計 里親等委託率対象児童数", "2024", "actual")]["value"] == "296"


def test_export_json(capsys):
    assert main(["export", str(SAMPLE), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 239 and list(rows[0]) == COLUMNS
    rate = next(r for r in rows if r["indicator"] == "児童人口に対する措置率" and r["fiscal_year"] == 2025)
    assert rate["value"] == 0.144 and rate["text"] == "0.144%"


def test_check_of_the_sample_passes_and_reports_the_r11_rate():
    result = run_cli("check", str(SAMPLE))
    assert result.returncode == 0
    out = result.stdout.decode("utf-8")
    assert "指標 27" in out and "数値 239" in out
    assert "児童人口に対する措置率 R11年度 (2029)" in out and "0.161%" in out and "0.160%" in out


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"", "空"), (b"section,indicator\n1,2\n", "CSV"), (b"<html><body>x</body></html>", "HTML")],
)
def test_check_refuses_what_is_not_a_plan_without_a_traceback(tmp_path, content, needle):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    result = run_cli("check", str(path))
    err = result.stderr.decode("utf-8")
    assert result.returncode != 0
    assert needle in err and "Traceback" not in err
    assert path.read_bytes() == content


def test_check_names_sheet_cell_and_value_of_a_broken_cell(sample_path):
    from tests.io.workbook_edit import edit

    coordinate = edit(sample_path, 6, "一時保護施設の定員数", 2027, "plan", "たくさん")
    result = run_cli("check", str(sample_path))
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2
    assert "6 一時保護" in err and coordinate in err and "たくさん" in err and "Traceback" not in err


def test_missing_file_and_bad_arguments_are_japanese_messages(tmp_path):
    result = run_cli("check", str(tmp_path / "none.xlsx"))
    assert result.returncode != 0 and "見つかりません" in result.stderr.decode("utf-8")
    result = run_cli("export", str(SAMPLE), "--format", "xml")
    assert result.returncode == 2 and "引数" in result.stderr.decode("utf-8")


def test_forecast_prints_both_tables(capsys):
    assert main(["forecast", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "■代替養育を必要とする児童数の推計" in out and "(年齢別)" in out
    line = next(x for x in out.splitlines() if x.startswith("措置児童数"))
    assert line.split()[1:] == ["341", "345", "348", "350", "352", "342"]
    rate = next(x for x in out.splitlines() if x.startswith("児童人口に対する措置率"))
    assert "0.160%" in rate and "0.161%" not in rate


def test_check_exits_1_with_the_warning_for_a_readable_workbook_with_formulas(sample_path):
    from tests.io.workbook_edit import edit

    edit(sample_path, 4, "研修の実施回数(年間)", 2026, "plan", "=1+1")
    before = sample_path.read_bytes()
    result = run_cli("check", str(sample_path))
    out = result.stdout.decode("utf-8")
    assert result.returncode == 1
    assert "数式" in out and "評価しません" in out
    assert sample_path.read_bytes() == before
