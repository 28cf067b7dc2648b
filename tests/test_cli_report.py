"""`kawasaki-planner report`: the format by extension, the default and refused years, refused workbooks, and a PDF
and a workbook whose figures are evaluate_plan's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kawasaki_planner.cli import main
from kawasaki_planner.io.workbook import load_plan, save_plan
from tests.report_cases import R7_ACTUALS, enter_r7, pdf_pages, pdf_text, require_poppler

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def r7_plan(sample_plan, tmp_path) -> Path:
    """A workbook of the sample with the R7 actuals of tests/report_cases.py entered."""
    path = tmp_path / "計画.xlsx"
    save_plan(enter_r7(sample_plan, texts=False), path)
    return path


def run_report(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "kawasaki_planner", "report", *args], capture_output=True, cwd=ROOT,
                          timeout=120, env=environment)


def test_a_pdf_without_a_display_has_every_rated_indicator(r7_plan, tmp_path):
    require_poppler()
    out = tmp_path / "報告書.pdf"
    done = run_report(str(r7_plan), "--year", "2025", "-o", str(out))
    assert done.returncode == 0, done.stderr.decode("utf-8")
    pages = pdf_pages(out)
    assert done.stdout.decode("utf-8").strip() == (
        f"R7年度 (2025) 点検・評価結果報告書(PDF、{pages} ページ、指標 27)を {out} に出力しました")
    assert done.stderr == b""
    text = pdf_text(out)
    for _, label, _, status in R7_ACTUALS:
        words = status.label.split(" ", 1)[-1]
        assert any(label in line and words in line for line in text.splitlines()), label


def test_the_year_defaults_to_the_latest_with_actuals_and_takes_era_names(r7_plan, tmp_path, capsys):
    out = tmp_path / "報告書.xlsx"
    assert main(["report", str(r7_plan), "-o", str(out)]) == 0
    assert "R7年度 (2025) 点検・評価結果報告書(Excel、指標 27)" in capsys.readouterr().out
    assert openpyxl.load_workbook(out)["評価結果"]["A1"].value == "R7年度 (2025) 点検・評価結果報告書"
    assert main(["report", str(r7_plan), "--year", "R8", "-o", str(out)]) == 0
    assert openpyxl.load_workbook(out)["評価結果"]["A1"].value == "R8年度 (2026) 点検・評価結果報告書"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "報告書.docx"], "エラー: 出力先「報告書.docx」の拡張子は .pdf(PDF)か .xlsx(Excel)にしてください"),
        (["-o", "報告書"], "エラー: 出力先「報告書」の拡張子は .pdf(PDF)か .xlsx(Excel)にしてください"),
        (["--year", "2031", "-o", "r.xlsx"],
         "エラー: 2031年度はこの計画にありません(計画の年度: 2024、2025、2026、2027、2028、2029)"),
        (["--year", "来年", "-o", "r.xlsx"], "エラー: 「来年」は年度として読めません(例: 2025、R7)"),
    ],
)
def test_refusals_are_japanese_and_exit_2(r7_plan, tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(r7_plan), *args]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == message and captured.out == ""
    assert list(tmp_path.glob("r.*")) == [] and list(tmp_path.glob("報告書*")) == []


def test_a_refused_workbook_exits_2_as_other_commands_do(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"<html><body>x</body></html>")
    assert main(["report", str(bad), "-o", str(tmp_path / "r.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("エラー: ") and "HTML" in err and "Traceback" not in err
    assert main(["report", str(tmp_path / "none.xlsx"), "-o", str(tmp_path / "r.xlsx")]) == 2
    assert "見つかりません" in capsys.readouterr().err


def test_a_plan_without_actuals_needs_a_year(tmp_path, capsys, sample_plan):
    from kawasaki_planner.core.plan import FigureRef

    for section in sample_plan.sections:
        for indicator in section.indicators:
            for year in list(indicator.actual):
                if not sample_plan.is_input(FigureRef(section.number, indicator.id, year, "actual")):
                    continue
                sample_plan.set_figure(FigureRef(section.number, indicator.id, year, "actual"), None)
    path = tmp_path / "計画.xlsx"
    save_plan(sample_plan, path)
    assert main(["report", str(path), "-o", str(tmp_path / "r.xlsx")]) == 2
    assert "実績が入力された年度がないため、年度を指定してください" in capsys.readouterr().err
    assert main(["report", str(path), "--year", "2025", "-o", str(tmp_path / "r.xlsx")]) == 0


def test_a_folder_that_is_not_there_is_a_japanese_error(r7_plan, tmp_path, capsys):
    assert main(["report", str(r7_plan), "-o", str(tmp_path / "ない" / "r.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("エラー: 報告書を「") and "Traceback" not in err


def test_the_help_line_is_japanese(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["report", "-h"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("使い方: kawasaki-planner report [-h] [--year YEAR] -o OUT.pdf PLAN.xlsx")
    assert "年度の点検・評価結果報告書を PDF または Excel で出力" in out and "省略時は実績が入力された最新の年度" in out


def test_the_self_test_draws_a_report_page(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    environment.update(KAWASAKI_PLANNER_DATA_DIR=str(tmp_path / "appdata"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-m", "kawasaki_planner", "--self-test"], capture_output=True, cwd=ROOT,
                          timeout=120, env=environment)
    assert done.returncode == 0, done.stderr.decode("utf-8")
    assert "self-test report page: ok" in done.stdout.decode("utf-8").splitlines()


def test_the_report_leaves_the_plan_as_it_was(r7_plan, tmp_path):
    before = r7_plan.read_bytes()
    assert main(["report", str(r7_plan), "-o", str(tmp_path / "r.xlsx")]) == 0
    assert r7_plan.read_bytes() == before and len(load_plan(r7_plan).sections) == 7


def test_the_report_never_replaces_the_plan_itself(r7_plan, capsys, monkeypatch):
    before = r7_plan.read_bytes()
    assert main(["report", str(r7_plan), "-o", str(r7_plan)]) == 2
    assert "は計画ブックそのものです" in capsys.readouterr().err
    monkeypatch.chdir(r7_plan.parent)
    assert main(["report", str(r7_plan), "-o", r7_plan.name]) == 2  # the same file by another name
    assert r7_plan.read_bytes() == before
