"""The command-line contract: export columns, check exit codes and messages, forecast text."""

from __future__ import annotations

import csv
import io
import json
import os
import re
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
    assert "数式" in out and "計算結果が保存されていない" in out  # openpyxl writes formulas without their result
    assert sample_path.read_bytes() == before


# --- standard output: what a redirect or a pipe gets ------------------------------------------------------------
def test_a_redirected_export_is_the_same_bytes_as_export_to_a_file(tmp_path):
    to_file = tmp_path / "file.csv"
    assert main(["export", str(SAMPLE), "-o", str(to_file)]) == 0
    redirected = tmp_path / "redirected.csv"
    with redirected.open("wb") as handle:
        done = subprocess.run([sys.executable, "-m", "kawasaki_planner", "export", str(SAMPLE)], stdout=handle,
                              stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    assert done.returncode == 0 and done.stderr == b""
    raw = redirected.read_bytes()
    assert raw == to_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfsection,indicator,")  # Excel reads the Japanese as UTF-8
    assert raw.count(b"\r\n") == 240 and raw.count(b"\n") == 240  # CRLF, every line


def test_json_on_standard_output_has_no_bom(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kawasaki_planner", "export", str(SAMPLE), "--format", "json"],
                          capture_output=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith(b"[")
    assert len(json.loads(done.stdout.decode("utf-8"))) == 239


def test_a_terminal_gets_the_csv_without_a_bom(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(["export", str(SAMPLE)]) == 0
    text = terminal.getvalue()
    assert text.startswith("section,indicator,") and "\r" not in text


def test_a_pipe_closed_by_head_ends_quietly():
    command = f'"{sys.executable}" -m kawasaki_planner export "{SAMPLE}" 2>err.txt | head -1; cat err.txt; rm -f err.txt'
    done = subprocess.run(["bash", "-c", command], capture_output=True, cwd=ROOT, timeout=120)
    assert done.stdout.decode("utf-8") == "\ufeffsection,indicator,fiscal_year,kind,value,unit,text\r\n"  # no stderr


@pytest.mark.parametrize("command", ["export", "check", "forecast"])
def test_a_reader_that_went_away_gives_no_traceback_and_no_file_error(command):
    child = subprocess.Popen([sys.executable, "-m", "kawasaki_planner", command, str(SAMPLE)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # before the plan is read: every write of the command meets a closed pipe
    err = child.stderr.read()
    child.stderr.close()
    assert child.wait(120) == 141  # 128 + SIGPIPE, as `cat` or `grep` report it
    assert err == b""


# --- argparse in Japanese ------------------------------------------------------------------------------------------
ENGLISH = ("usage:", "error:", "options:", "positional arguments", "show this help", "required", "invalid", "expected")


def test_help_lists_every_subcommand_and_the_window_options_in_japanese(capsys, monkeypatch):
    from kawasaki_planner.cli import SUBCOMMANDS

    monkeypatch.setenv("COLUMNS", "120")  # one line per subcommand, whatever terminal the tests run in
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("使い方: kawasaki-planner ")
    for heading in ("位置引数:", "オプション:", "サブコマンド:"):
        assert heading in out.splitlines()
    for name, command in SUBCOMMANDS.items():
        assert re.search(rf"^  {name} +{re.escape(command.help)}$", out, flags=re.M)
    assert list(SUBCOMMANDS)[:4] == ["export", "update", "check", "forecast"]
    assert "-h, --help            このヘルプを表示して終了" in out
    assert "--screenshot OUT.png" in out and "--tab N" in out and "--self-test" in out and "PLAN.xlsx" in out
    assert not any(word in out for word in ENGLISH)
    assert main(["-h"]) == 0 and capsys.readouterr().out == out


def test_a_subcommands_help_is_japanese(capsys):
    assert main(["update", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("使い方: kawasaki-planner update [-h] [-o OUT.xlsx] PLAN.xlsx FIGURES.csv\n")
    assert "位置引数:" in out and "オプション:" in out and "このヘルプを表示して終了" in out
    assert not any(word in out for word in ENGLISH)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export"], "kawasaki-planner export: エラー: 次の引数を指定してください: PLAN.xlsx"),
        (["update", "plan.xlsx"], "kawasaki-planner update: エラー: 次の引数を指定してください: FIGURES.csv"),
        (["export", "plan.xlsx", "--bogus"], "kawasaki-planner export: エラー: 解釈できない引数があります: --bogus"),
        (["plan.xlsx", "extra.csv"], "kawasaki-planner: エラー: 解釈できない引数があります: extra.csv"),
        (["export", "plan.xlsx", "--format", "xml"],
         "kawasaki-planner export: エラー: 引数 --format: 「xml」は選べません(選べるのは「csv」「json」)"),
        (["export", "plan.xlsx", "-o"], "kawasaki-planner export: エラー: 引数 -o/--output: 値を1つ指定してください"),
        (["--tab", "x"], "kawasaki-planner: エラー: 引数 --tab: 「x」は整数として読めません"),
    ],
)
def test_usage_errors_are_japanese(capsys, args, message):
    assert main(args) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert captured.out == ""
    assert lines[0].startswith("使い方: kawasaki-planner")
    assert lines[-1] == message
    assert not any(word in captured.err for word in ENGLISH)


def test_a_mistyped_subcommand_is_named_with_the_closest_one(capsys):
    assert main(["exprot", "plan.xlsx"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kawasaki-planner: エラー: サブコマンド「exprot」はありません。「export」のことですか?")
    assert main(["chek"]) == 2 and "「check」のことですか?" in capsys.readouterr().err
    assert main(["計画"]) == 2
    err = capsys.readouterr().err
    assert "サブコマンド「計画」はありません" in err and "export / update / check / forecast" in err


def test_what_counts_as_a_plan_rather_than_a_subcommand(tmp_path, monkeypatch):
    from kawasaki_planner.cli import _is_plan_path

    monkeypatch.chdir(tmp_path)
    (tmp_path / "exprot").write_bytes(b"")  # an existing file is a plan, whatever its name
    (tmp_path / "exports").mkdir()  # a folder is not
    assert _is_plan_path("exprot")
    assert not _is_plan_path("exports") and not _is_plan_path("chek")
    assert all(_is_plan_path(name) for name in ("none.xlsx", "古い計画.XLSM", "plan_source.json"))


# --- --screenshot failures ---------------------------------------------------------------------------------------------
def run_screenshot(tmp_path: Path, out: Path | str, plan: Path = SAMPLE) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KAWASAKI_PLANNER_DATA_DIR": str(tmp_path / "appdata"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    return subprocess.run([sys.executable, "-m", "kawasaki_planner", "--screenshot", str(out), str(plan)],
                          capture_output=True, cwd=ROOT, timeout=120, env=env)


def test_screenshot_into_a_missing_folder_is_a_japanese_message(tmp_path):
    done = run_screenshot(tmp_path, tmp_path / "なし" / "shot.png")
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2
    assert err.strip() == f"エラー: スクリーンショットの保存先フォルダー「{tmp_path / 'なし'}」がありません"


def test_screenshot_onto_a_folder_is_a_japanese_message(tmp_path):
    done = run_screenshot(tmp_path, tmp_path)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "はフォルダーです" in err and "Traceback" not in err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs a folder nobody can write into (/proc)")
def test_screenshot_that_cannot_be_written_is_a_japanese_message(tmp_path):
    done = run_screenshot(tmp_path, "/proc/kawasaki-shot.png")
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "Traceback" not in err
    assert "エラー: スクリーンショットを「/proc/kawasaki-shot.png」に保存できませんでした" in err


def test_screenshot_of_an_unreadable_plan_is_a_japanese_message(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"<html><body>x</body></html>")
    done = run_screenshot(tmp_path, tmp_path / "shot.png", bad)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "Traceback" not in err
    assert err.startswith(f"エラー: 計画「{bad}」を開けません: ") and "HTML" in err
    assert not (tmp_path / "shot.png").exists()
    done = run_screenshot(tmp_path, tmp_path / "shot.png", tmp_path / "none.xlsx")
    assert done.returncode == 2 and "見つかりません" in done.stderr.decode("utf-8")


def test_a_window_start_freezes_its_import_time_objects_and_keeps_collecting():
    """The GUI start pauses the cycle collector for the window's imports and freezes what they made (cli docstring);
    the collector is on again afterwards, and a process that imported the window already is left alone."""
    probe = (
        "import gc, kawasaki_planner.cli as cli\n"
        "cli._import_window_modules()\n"
        "frozen = gc.get_freeze_count()\n"
        "cli._import_window_modules()\n"
        "print(frozen, gc.get_freeze_count(), gc.isenabled())\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr
    frozen, again, enabled = done.stdout.split()
    assert int(frozen) > 20_000 and again == frozen and enabled == "True"


def test_export_and_forecast_say_the_plans_warnings_on_stderr_and_exit_1(tmp_path, capsys):
    """Doubt is never silent: what `check` would warn about is said by the output commands too, on standard error,
    so the data on standard output stays clean; exit 1 means done, with warnings."""
    from openpyxl import load_workbook

    from tests.io.workbook_edit import find_sheet

    plan = tmp_path / "plan.xlsx"
    book = load_workbook(SAMPLE)
    find_sheet(book, 6).sheet_state = "hidden"
    book.save(plan)
    for args in (["export", str(plan)], ["forecast", str(plan)], ["forecast", str(plan), "--all"],
                 ["export", str(plan), str(SAMPLE)]):
        assert main(args) == 1, args
        captured = capsys.readouterr()
        assert captured.err.splitlines() == ["注意: plan.xlsx: シート「6 一時保護」は非表示になっていますが、読み込みました"], args
        assert "注意" not in captured.out and captured.out
    assert main(["export", str(SAMPLE)]) == 0 and capsys.readouterr().err == ""
