"""The command line and the forecast scenarios: forecast --scenario / --all, export --scenario, several plans."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pandas as pd
import pytest

from kawasaki_planner.cli import main
from kawasaki_planner.core import scenarios as sc
from kawasaki_planner.io.tidy import COLUMNS
from kawasaki_planner.io.workbook import load_plan, save_plan
from tests.conftest import SAMPLE
from tests.io.test_scenario_storage import with_scenarios


@pytest.fixture
def scenario_book(sample_path, tmp_path):
    plan = load_plan(sample_path)
    with_scenarios(plan)
    out = tmp_path / "scenarios.xlsx"
    save_plan(plan, out)
    return out


def test_forecast_prints_the_adopted_scenario_as_before(scenario_book, capsys):
    assert main(["forecast", str(SAMPLE)]) == 0
    published = capsys.readouterr().out
    assert main(["forecast", str(scenario_book)]) == 0
    assert capsys.readouterr().out == published


def test_forecast_scenario_prints_another(scenario_book, capsys):
    assert main(["forecast", str(scenario_book), "--scenario", "増加率3.3%案"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("■推計シナリオ「増加率3.3%案」")
    placed = next(line for line in out.splitlines() if line.startswith("措置児童数"))
    assert placed.split()[1:6] == ["341", "347", "352", "356", "361"]


def test_an_unknown_scenario_is_a_japanese_error_listing_the_names(scenario_book, capsys):
    assert main(["forecast", str(scenario_book), "--scenario", "なし案"]) == 2
    err = capsys.readouterr().err
    assert "シナリオ「なし案」はありません" in err
    assert "「採用案」「増加率3.3%案」「基準率0.150%案」" in err
    assert main(["export", str(scenario_book), "--scenario", "なし案"]) == 2


def test_forecast_all_shows_the_scenarios_side_by_side(scenario_book, capsys):
    assert main(["forecast", str(scenario_book), "--all"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "■推計シナリオの比較(採用: 採用案)"
    block = lines[lines.index(next(line for line in lines if line.startswith("措置児童数"))):][:4]
    assert block[1].split() == ["採用案(採用)", "341", "345", "348", "350", "352", "342"]
    assert block[2].split() == ["増加率3.3%案", "341", "347", "352", "356", "361", "342"]
    assert block[3].split()[0] == "基準率0.150%案" and block[3].split()[1] == "356"
    assert main(["forecast", str(scenario_book), "--all", "--scenario", "採用案"]) == 2


def test_export_is_the_adopted_scenario_unless_told(scenario_book, capsys):
    def placed(args):
        assert main(["export", *args, "--format", "json"]) == 0
        rows = json.loads(capsys.readouterr().out)
        return [r["value"] for r in rows if r["indicator"] == "措置児童数" and r["kind"] == "plan"]

    assert placed([str(scenario_book)]) == [341, 345, 348, 350, 352]
    assert placed([str(scenario_book), "--scenario", "増加率3.3%案"]) == [341, 347, 352, 356, 361]
    assert load_plan(scenario_book).adopted_id == "s1"  # the workbook is not changed


def test_one_workbook_keeps_todays_columns(tmp_path):
    out = tmp_path / "one.csv"
    assert main(["export", str(SAMPLE), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == ",".join(COLUMNS)


def test_several_workbooks_make_one_table_with_a_plan_column(scenario_book, tmp_path):
    other = tmp_path / "other_city.xlsx"
    plan = load_plan(SAMPLE)
    plan.title = "横浜市社会的養育推進計画"
    save_plan(plan, other)
    twin = tmp_path / "twin.xlsx"
    shutil.copy(SAMPLE, twin)
    out = tmp_path / "all.csv"
    assert main(["export", str(scenario_book), str(other), str(twin), "-o", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    frame = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert list(frame.columns) == ["plan", *COLUMNS]
    assert list(dict.fromkeys(frame["plan"])) == [
        "川崎市社会的養育推進計画 (scenarios.xlsx)", "横浜市社会的養育推進計画", "川崎市社会的養育推進計画 (twin.xlsx)"]
    single = pd.read_csv(io.StringIO(_export_one(twin, tmp_path)), dtype=str)
    ours = frame[frame["plan"] == "川崎市社会的養育推進計画 (twin.xlsx)"].drop(columns="plan").reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, single)
    assert len(ours) == 239


def _export_one(path, tmp_path) -> str:
    out = tmp_path / "single.csv"
    assert main(["export", str(path), "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8-sig")


def test_several_workbooks_as_json_and_with_a_scenario(scenario_book, capsys):
    assert main(["export", str(scenario_book), str(SAMPLE), "--format", "json", "--scenario", "採用案"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["plan"] for r in rows} == {"川崎市社会的養育推進計画 (scenarios.xlsx)", "川崎市社会的養育推進計画 (kawasaki_plan_r8.xlsx)"}
    assert all(isinstance(r["value"], (int, float)) for r in rows)
    assert isinstance(rows[0]["section"], int) and isinstance(rows[0]["fiscal_year"], int)


def test_a_formula_like_text_is_neutralised_in_the_joint_csv(tmp_path):
    plan = load_plan(SAMPLE)
    plan.title = "=HYPERLINK(1)"
    sc.rename(plan, plan.adopted_id, "案")
    first = tmp_path / "a.xlsx"
    save_plan(plan, first)
    out = tmp_path / "joint.csv"
    assert main(["export", str(first), str(SAMPLE), "-o", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(1)"
