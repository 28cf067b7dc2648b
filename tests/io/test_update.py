"""`kawasaki-planner update PLAN.xlsx FIGURES.csv`: the export's CSV contract read back into a plan.

The command runs in-process (``main``); its edit lock needs a Qt application object, which pytest-qt's ``qapp``
gives (the command creates a QCoreApplication only when it runs alone).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kawasaki_planner.cli import main
from kawasaki_planner.core.plan import FigureRef, forecast_ref
from kawasaki_planner.io.tidy import tidy_rows
from kawasaki_planner.io.update import Row, UpdateError, parse_figures_csv, plan_changes, read_figures_csv
from kawasaki_planner.io.workbook import load_plan

HEADER = "section,indicator,fiscal_year,kind,value,unit,text"
CHILDREN = "意見表明支援を利用可能な児童数"  # section 2, 人
CENTRES = "こども家庭センターの設置数"  # section 3, 「7か所(試行実施)」
TRAINING = "研修の実施回数(年間)"  # section 4, 「1回以上」-style targets
CUSTODY = "一時保護施設の定員数"  # section 6


@pytest.fixture
def run(qapp, capsys):
    def run_update(*args: str | Path) -> tuple[int, str, str]:
        code = main(["update", *map(str, args)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run_update


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8-sig", newline: str = "\r\n") -> Path:
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    return path


def figures(path: Path) -> dict[tuple, str]:
    return {(str(r["section"]), r["indicator"], str(r["fiscal_year"]), r["kind"]): r["text"] for r in tidy_rows(load_plan(path))}


def lock_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("~$"))


def test_the_exports_own_csv_read_back_changes_nothing_and_rewrites_nothing(sample_path, run, tmp_path):
    exported = tmp_path / "figures.csv"
    assert main(["export", str(sample_path), "-o", str(exported)]) == 0
    before = sample_path.read_bytes()
    code, out, err = run(sample_path, exported)
    assert (code, err) == (0, "")
    assert out.strip() == f"変更する数値はありません(変更なし 239 件)。{sample_path} は書き換えていません"
    assert sample_path.read_bytes() == before
    assert not sample_path.with_name("plan.bak1.xlsx").exists()
    assert lock_files(tmp_path) == []
    # Every row, the computed section-5 ones included, was accepted: none is a change, none a problem.
    changes, problems = plan_changes(load_plan(sample_path), read_figures_csv(exported))
    assert (changes, problems) == ([], [])


def test_an_update_changes_exactly_the_figures_it_names_and_keeps_a_backup(sample_path, run, tmp_path):
    original = sample_path.read_bytes()
    before = figures(sample_path)
    csv_path = write_csv(tmp_path / "figures.csv", [
        HEADER,
        f"2,{CHILDREN},2026,plan,,,１，２３４人",  # typed as on a Japanese PC: read as the window reads it
        f"6,{CUSTODY},2025,actual,55,人,",  # a new actual: value and unit, the cell was blank
        f"3,{CENTRES},2025,plan,8,か所,",  # value only: the figure's note stays
        f'2,{CHILDREN},2027,plan,,,"{before[("2", CHILDREN, "2027", "plan")]}"',  # unchanged (「1,000人」)
    ])
    code, out, err = run(sample_path, csv_path)
    assert (code, err) == (0, "")
    assert out.strip() == f"3 件の数値を更新しました(変更なし 1 件)→ {sample_path}"
    after = figures(sample_path)
    expected = {**before, ("2", CHILDREN, "2026", "plan"): "1,234人", ("6", CUSTODY, "2025", "actual"): "55人",
                ("3", CENTRES, "2025", "plan"): "8か所(試行実施)"}
    assert after == expected
    assert sample_path.with_name("plan.bak1.xlsx").read_bytes() == original
    assert lock_files(tmp_path) == []


def test_a_forecast_input_is_applied_and_the_forecast_recomputed(sample_path, run, tmp_path):
    plan = load_plan(sample_path)
    placed = plan.figure(forecast_ref("placed", 2026)).number
    csv_path = write_csv(tmp_path / "figures.csv", [HEADER, "5,児童人口,2026,plan,300000,人,"])
    code, out, _ = run(sample_path, csv_path)
    assert code == 0 and out.startswith("1 件の数値を更新しました")
    again = load_plan(sample_path)
    assert again.figure(forecast_ref("population", 2026)).text == "300,000"
    assert again.figure(forecast_ref("placed", 2026)).number > placed


def test_refused_rows_are_all_listed_by_line_and_nothing_is_written(sample_path, run, tmp_path):
    before = sample_path.read_bytes()
    lines = [
        HEADER,                                                   # 1
        f"2,{CHILDREN},2026,plan,,,1000人",                       # 2 fine, but not applied: the update is refused
        f"9,{CHILDREN},2026,plan,,,1000人",                       # 3 no section 9
        "2,存在しない指標,2026,plan,,,1000人",                     # 4 unknown indicator
        "5,措置児童数,2026,plan,400,人,",                          # 5 computed, and not what the forecast gives
        f"2,{CHILDREN},2026,actual,abc,人,",                      # 6 unreadable value
        f"2,{CHILDREN},2027,actual,5,か所,",                      # 7 unit of another row
        f"2,{CHILDREN},2031,plan,,,5人",                          # 8 outside the plan's years
        f"2,{CHILDREN},2026,target,,,5人",                        # 9 kind
        f"2,{CHILDREN},2028,plan,,,",                             # 10 neither text nor value
        f"2,{CHILDREN},2026,plan,,,999人",                        # 11 the same figure as line 2
        f"2,{CHILDREN},2028,actual,,,たくさん",                    # 12 refused by Plan.prepare
        f"2,{CHILDREN},2029,plan,10,人,11人",                     # 13 text and value disagree
    ]
    csv_path = write_csv(tmp_path / "figures.csv", lines)
    code, out, err = run(sample_path, csv_path)
    assert code == 2 and out == ""
    listed = [int(n) for n in re.findall(r"^  (\d+)行目: ", err, flags=re.M)]
    assert listed == list(range(3, 14))
    assert "計画ブックは書き換えていません" in err and "11 行を反映できません" in err
    assert "指標「存在しない指標」は節2にありません" in err
    assert "11行目: 2行目と同じ数値" in err
    assert "計算で求める値のため更新できません" in err.splitlines()[3]
    assert "Traceback" not in err
    assert sample_path.read_bytes() == before
    assert not sample_path.with_name("plan.bak1.xlsx").exists()
    assert lock_files(tmp_path) == []


def test_a_computed_figure_is_refused_unless_it_agrees_with_the_computation(sample_plan):
    placed = sample_plan.figure(forecast_ref("placed", 2026))
    agreeing = Row(2, "5", "措置児童数", "2026", "plan", placed.plain_value, "人", placed.text)
    changed = Row(3, "5", "措置児童数", "2027", "plan", "", "", "999")
    changes, problems = plan_changes(sample_plan, [agreeing, changed])
    assert changes == []
    assert problems == ["3行目: 節5「措置児童数」R9年度 (2027) 見込みは計算で求める値のため更新できません(入力値から再計算されます)"]


def test_excels_japanese_csv_in_cp932_is_read(sample_path, run, tmp_path):
    csv_path = write_csv(tmp_path / "figures.csv", [HEADER, f"2,{CHILDREN},2026,plan,,,1500人"], encoding="cp932")
    assert csv_path.read_bytes().decode("cp932").startswith("section")
    code, out, err = run(sample_path, csv_path)
    assert (code, err) == (0, "") and out.startswith("1 件の数値を更新しました")
    assert figures(sample_path)[("2", CHILDREN, "2026", "plan")] == "1,500人"


@pytest.mark.parametrize(("encoding", "newline"), [("utf-8", "\n"), ("utf-8-sig", "\n"), ("cp932", "\r\n"), ("utf-16", "\r\n")])
def test_encodings_and_line_ends(encoding, newline):
    text = newline.join([HEADER, f"2,{CHILDREN},2026,plan,,,1500人", ""])
    if encoding == "utf-16":
        text = text.replace(",", "\t")  # Excel's 「Unicode テキスト」 is tab-separated
    [row] = parse_figures_csv(text.encode(encoding))
    assert (row.line, row.section, row.indicator, row.fiscal_year, row.kind, row.text) == (2, "2", CHILDREN, "2026", "plan", "1500人")


def test_columns_in_any_order_extra_columns_and_blank_lines(sample_plan):
    data = ("メモ,text,kind,fiscal_year,indicator,section\r\n"
            "確認済み,1500人,plan,2026," + CHILDREN + ",2\r\n"
            ",,,,,\r\n"
            "\r\n"
            "未確認,2か所,actual,2025," + CENTRES + ",3\r\n").encode("utf-8")
    rows = parse_figures_csv(data)
    assert [(r.line, r.text) for r in rows] == [(2, "1500人"), (5, "2か所")]
    changes, problems = plan_changes(sample_plan, rows)
    assert problems == []
    assert [(ref.section, ref.row, ref.year, ref.kind, f.text) for ref, f in changes] == [
        (2, CHILDREN, 2026, "plan", "1,500人"), (3, CENTRES, 2025, "actual", "2か所")]


def test_missing_columns_are_one_clear_message(sample_path, run, tmp_path):
    before = sample_path.read_bytes()
    csv_path = write_csv(tmp_path / "figures.csv", ["section,indicator,text", f"2,{CHILDREN},1000人"])
    code, out, err = run(sample_path, csv_path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "必要な列がありません: fiscal_year, kind" in err
    assert sample_path.read_bytes() == before
    with pytest.raises(UpdateError, match="text または value"):
        parse_figures_csv(b"section,indicator,fiscal_year,kind\r\n")


def test_an_unreadable_encoding_is_refused():
    with pytest.raises(UpdateError, match="文字コード"):
        parse_figures_csv(b"section,indicator,fiscal_year,kind,text\r\n2,\xff\xfe\xfd,2026,plan,1\r\n")


def test_value_only_keeps_the_printed_dressing_and_accepts_excels_separators(sample_plan):
    at_least = next(
        (FigureRef(s.number, i.label, y, "plan"), i.figure(y, "plan"))
        for s in sample_plan.sections for i in s.indicators for y in sample_plan.years
        if i.figure(y, "plan").qualifier == "以上"
    )
    ref, figure = at_least
    rows = [
        Row(2, str(ref.section), ref.row, str(ref.year), "plan", "2", "", ""),
        Row(3, "5", "児童人口", "2026", "plan", "241,047", "人", ""),
    ]
    changes, problems = plan_changes(sample_plan, rows)
    assert problems == []
    assert changes[0][1].text == figure.text.replace(figure.plain_value, "2", 1) and changes[0][1].qualifier == "以上"
    assert changes[1][1].text == "241,047"


def test_the_exports_formula_quote_is_undone():
    [row] = parse_figures_csv(f"{HEADER}\r\n2,{CHILDREN},2026,plan,,,'-\r\n".encode())
    assert row.text == "-"


def test_output_elsewhere_leaves_the_plan_untouched(sample_path, run, tmp_path):
    before = sample_path.read_bytes()
    out_path = tmp_path / "更新後.xlsx"
    csv_path = write_csv(tmp_path / "figures.csv", [HEADER, f"2,{CHILDREN},2026,plan,,,1500人"])
    code, out, _ = run(sample_path, csv_path, "-o", out_path)
    assert code == 0 and out.strip() == f"1 件の数値を更新しました(変更なし 0 件)→ {out_path}"
    assert sample_path.read_bytes() == before
    assert not sample_path.with_name("plan.bak1.xlsx").exists()
    assert figures(out_path)[("2", CHILDREN, "2026", "plan")] == "1,500人"
    assert lock_files(tmp_path) == []


def test_output_elsewhere_is_written_even_when_nothing_changes(sample_path, run, tmp_path):
    from kawasaki_planner.core.plan import plan_snapshot

    exported = tmp_path / "figures.csv"
    assert main(["export", str(sample_path), "-o", str(exported)]) == 0
    out_path = tmp_path / "写し.xlsx"
    code, out, _ = run(sample_path, exported, "-o", out_path)
    assert code == 0 and out.strip() == f"変更する数値はありません(変更なし 239 件)。計画をそのまま {out_path} に保存しました"
    assert plan_snapshot(load_plan(out_path)) == plan_snapshot(load_plan(sample_path))


def test_the_planners_sheet_note_and_comment_survive_an_update(sample_path, run, tmp_path):
    from openpyxl import load_workbook
    from openpyxl.comments import Comment

    from tests.io.workbook_edit import find_sheet, locate

    book = load_workbook(sample_path)
    book.create_sheet("メモ")["A1"] = "実績は各課から11月に届く"
    sheet = find_sheet(book, 2)
    cell = locate(sheet, CHILDREN, 2026, "plan")
    sheet[cell].comment = Comment("こども家庭課の集計", "山田")
    sheet.cell(sheet[cell].row, sheet.max_column + 2).value = "要確認"
    note_cell = sheet.cell(sheet[cell].row, sheet.max_column).coordinate
    book.save(sample_path)
    csv_path = write_csv(tmp_path / "figures.csv", [HEADER, f"2,{CHILDREN},2026,plan,,,1500人"])
    code, out, _ = run(sample_path, csv_path)
    assert code == 0, out
    saved = load_workbook(sample_path)
    assert saved["メモ"]["A1"].value == "実績は各課から11月に届く"
    sheet = find_sheet(saved, 2)
    assert sheet[cell].value == 1500 and sheet[cell].comment.text == "こども家庭課の集計"
    assert sheet[note_cell].value == "要確認"


def test_a_target_that_is_not_xlsx_is_refused(sample_path, run, tmp_path):
    csv_path = write_csv(tmp_path / "figures.csv", [HEADER, f"2,{CHILDREN},2026,plan,,,1500人"])
    code, _, err = run(sample_path, csv_path, "-o", tmp_path / "out.csv")
    assert code == 2 and ".xlsx にしてください" in err
    assert not (tmp_path / "out.csv").exists()


def test_warnings_of_the_plan_are_printed_and_the_update_is_applied(sample_path, run, tmp_path):
    from tests.io.workbook_edit import edit

    edit(sample_path, 4, TRAINING, 2026, "plan", "=1+1")  # a formula: read by its saved result, with a warning
    csv_path = write_csv(tmp_path / "figures.csv", [HEADER, f"2,{CHILDREN},2026,plan,,,1500人"])
    code, out, _ = run(sample_path, csv_path)
    assert code == 1
    assert out.startswith("1 件の数値を更新しました") and "  注意: " in out and "数式" in out
    assert figures(sample_path)[("2", CHILDREN, "2026", "plan")] == "1,500人"


def test_an_unlikely_figure_is_applied_with_a_warning_naming_its_csv_line_and_cell(sample_path, run, tmp_path):
    """Plausibility as ``check`` has it: 措置率 1.5 % (a slip for 0.15 %?) is written, and said, with the rates
    computed from it; a figure the plan already had a finding for is not said again."""
    rows = [HEADER, "5,児童人口に対する措置率,2025,plan,,,1.5%", f"2,{CHILDREN},2026,plan,,,1500人"]
    csv_path = write_csv(tmp_path / "figures.csv", rows)
    code, out, _ = run(sample_path, csv_path)
    assert code == 1
    assert out.startswith("2 件の数値を更新しました")
    lines = [line for line in out.splitlines() if line.startswith("  注意: ")]
    assert lines[0] == ("  注意: 2行目: シート「5 代替養育の見込み」のセル F7 の値「1.5%」: 措置率 1.5% は 1% を超えています"
                        "(小数点の位置を確かめてください)")
    computed = lines[1:]
    assert len(computed) == 4 and all(line.startswith("  注意: 計算値: シート「5 代替養育の見込み」のセル ") for line in computed)
    assert figures(sample_path)[("5", "児童人口に対する措置率", "2025", "plan")] == "1.5%"
    check = main(["check", str(sample_path)])
    assert check == 1  # the file written holds what the update said


def test_a_plausible_update_has_no_plausibility_warnings(sample_path, run, tmp_path):
    csv_path = write_csv(tmp_path / "figures.csv", [HEADER, "5,児童人口に対する措置率,2025,plan,,,0.15%"])
    code, out, _ = run(sample_path, csv_path)
    assert (code, "注意" in out) == (0, False)


def test_a_plan_another_instance_is_editing_is_refused(sample_path, run, tmp_path, fresh_data_dir):
    from tests.ui.safety_helpers import kill, start_child

    before = sample_path.read_bytes()
    csv_path = write_csv(tmp_path / "figures.csv", [HEADER, f"2,{CHILDREN},2026,plan,,,1500人"])
    child = start_child(fresh_data_dir, "lock-hold", str(sample_path))  # a live app holding the plan's lock
    try:
        code, out, err = run(sample_path, csv_path)
    finally:
        kill(child)
    assert code == 2 and out == ""
    assert err.strip() == (
        "エラー: 「plan.xlsx」は このPCの別のウィンドウ(あなた) が編集中のため更新できません。"
        "編集が終わってからもう一度実行するか、-o で別のファイルに保存してください"
    )
    assert sample_path.read_bytes() == before
    # Written elsewhere, the same update goes through: only the file it would write is locked.
    code, _, _ = run(sample_path, csv_path, "-o", tmp_path / "copy.xlsx")
    assert code == 0


def test_a_colleagues_lock_from_another_pc_names_them(sample_path, run, tmp_path):
    from tests.ui.safety_helpers import fake_foreign_lock

    fake_foreign_lock(sample_path, user="山田", silent_hours=0)
    before = sample_path.read_bytes()
    csv_path = write_csv(tmp_path / "figures.csv", [HEADER, f"2,{CHILDREN},2026,plan,,,1500人"])
    code, _, err = run(sample_path, csv_path)
    assert code == 2 and "「plan.xlsx」は 山田さん(PC名: KWS-PC-0042) が編集中のため更新できません" in err
    assert sample_path.read_bytes() == before


def test_the_update_holds_the_lock_while_it_saves(sample_path, run, tmp_path, fresh_data_dir, monkeypatch):
    from kawasaki_planner.io import workbook
    from tests.ui.safety_helpers import run_child

    seen = {}
    save = workbook.save_plan

    def probing_save(plan, path, **kwargs):
        seen.update(run_child(fresh_data_dir, "lock-probe", str(path)))  # another process tries to lock it now
        return save(plan, path, **kwargs)

    monkeypatch.setattr(workbook, "save_plan", probing_save)
    csv_path = write_csv(tmp_path / "figures.csv", [HEADER, f"2,{CHILDREN},2026,plan,,,1500人"])
    code, _, _ = run(sample_path, csv_path)
    assert code == 0
    assert seen["status"] == "held"
    assert lock_files(tmp_path) == []  # released afterwards


@pytest.fixture
def fresh_data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "appdata"
    folder.mkdir()
    return folder


def test_rows_are_read_as_written(tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, f" 2 , {CHILDREN} ,2026, plan ,,, 1500人 "])
    [row] = read_figures_csv(path)
    assert (row.section, row.indicator, row.kind, row.text) == ("2", CHILDREN, "plan", "1500人")


def test_a_computed_figure_as_excel_saves_it_still_agrees(sample_plan):
    rate = sample_plan.figure(forecast_ref("rate", 2029))
    assert rate.text == "0.160%"
    rows = [Row(2, "5", "児童人口に対する措置率", "2029", "plan", "0.16", "%", "0.16%")]  # Excel drops the trailing 0
    assert plan_changes(sample_plan, rows) == ([], [])


def test_excel_rounding_the_text_but_not_the_value_is_caught(sample_plan):
    rows = [Row(2, "5", "児童人口に対する措置率", "2025", "plan", "0.144", "%", "0.14%")]
    changes, [problem] = plan_changes(sample_plan, rows)
    assert changes == [] and problem.startswith("2行目: text「0.14%」と value「0.144」が食い違っています")
