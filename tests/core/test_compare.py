"""core/compare.py: two plans compared by identity, each kind of change once, in reading order."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kawasaki_planner.core import structure
from kawasaki_planner.core.compare import (
    ADDED,
    CHANGED,
    EVALUATION_SCOPE,
    MOVED,
    REMOVED,
    RENAMED,
    TEXT,
    compare_plans,
)
from kawasaki_planner.core.evaluation_texts import IndicatorTexts, Summary, SummaryChoice
from kawasaki_planner.core.plan import Direction, FigureRef, forecast_ref
from kawasaki_planner.core.text_diff import character_opcodes, text_segments
from kawasaki_planner.io.source import load_source

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "sample_data" / "plan_source.json"
OPINION = "意見表明支援を利用可能な児童数"


@pytest.fixture
def old():
    return load_source(SOURCE)


@pytest.fixture
def new():
    return load_source(SOURCE)


def rows(differences):
    return [(d.section, d.item, d.fiscal_year, d.kind, d.change, d.before, d.after) for d in differences]


def test_the_same_plan_has_no_differences(old, new):
    assert compare_plans(old, new) == []


def test_a_figure_typed_blank_and_cleared(old, new):
    new.set_figure(FigureRef(2, OPINION, 2026, "plan"), "1,111")
    new.set_figure(FigureRef(2, OPINION, 2028, "actual"), "5")
    new.set_figure(FigureRef(2, OPINION, 2029, "plan"), None)
    assert rows(compare_plans(old, new)) == [
        (2, OPINION, 2026, "plan", CHANGED, "997人", "1,111人"),
        (2, OPINION, 2028, "actual", ADDED, "", "5人"),
        (2, OPINION, 2029, "plan", REMOVED, "1,004人", ""),
    ]


def test_a_forecast_input_brings_its_computed_figures_flagged(old, new):
    new.set_figure(forecast_ref("population", 2027), "230,000")
    differences = compare_plans(old, new)
    assert rows(differences)[0] == (5, "児童人口", 2027, "plan", CHANGED, "233,198", "230,000")
    assert not differences[0].computed
    computed = differences[1:]
    assert computed and all(d.computed and d.fiscal_year == 2027 for d in computed)
    assert "措置児童数" in [d.item for d in computed]
    assert "計算値" in computed[0].remarks
    assert rows(compare_plans(old, new, computed=False)) == rows(differences[:1])


def test_renamed_moved_unit_and_direction_keep_the_identity(old, new):
    section = new.section(2)
    first, second = section.indicators[0], section.indicators[1]
    structure.edit_indicator(new, 2, first.id, label="意見表明支援を利用できる児童数", direction=Direction.LOWER)
    structure.edit_indicator(new, 2, second.id, unit="回")
    structure.move_indicator(new, 2, first.id, 3)
    differences = [d for d in compare_plans(old, new) if d.fiscal_year is None]
    assert rows(differences) == [
        (2, second.label, None, "", CHANGED, "単位: 日", "単位: 回"),
        (2, "意見表明支援を利用できる児童数", None, "", RENAMED, OPINION, "意見表明支援を利用できる児童数"),
        (2, "意見表明支援を利用できる児童数", None, "", CHANGED, "評価の方向: 高いほど良い", "評価の方向: 低いほど良い"),
        (2, "意見表明支援を利用できる児童数", None, "", MOVED, "1行目", "4行目"),
    ]
    # The unit printed with each figure changed too: those are figure changes of the same row.
    figures = [d for d in compare_plans(old, new) if d.fiscal_year is not None]
    assert figures and all(d.indicator == second.id and d.after.endswith("回") for d in figures)


def test_an_indicator_removed_stands_where_it_was_with_its_figures(old, new):
    section = new.section(3)
    gone = section.indicators[1]
    structure.remove_indicator(new, 3, gone.id)
    differences = compare_plans(old, new)
    assert differences[0].change == REMOVED and differences[0].before == gone.label and differences[0].after == ""
    assert all(d.indicator == gone.id and d.change == REMOVED for d in differences)
    assert len(differences) == 1 + len(gone.plan) + len(gone.actual)
    # Only one moved row is reported when one row is inserted: the others keep their order.
    added = structure.new_indicator(new, 3, "新しい指標", "回")
    structure.insert_indicator(new, 3, 0, added)
    assert [d.change for d in compare_plans(old, new) if d.fiscal_year is None] == [ADDED, REMOVED]


def test_sections_years_and_titles(old, new):
    structure.rename_section(new, 2, "2 子どもの権利擁護の取組", new.section(2).short_title)
    number = structure.missing_guideline_sections(new)[0]
    structure.insert_section(new, structure.new_section(new, number[1], number[2], number[0]))
    structure.set_years(new, new.years[1:])
    differences = compare_plans(old, new)
    assert (None, "計画期間(年度)", None, "", REMOVED, "R6年度 (2024)", "") in rows(differences)
    assert (2, "節の題名", None, "", RENAMED, "2 当事者である子どもの権利擁護の取組", "2 子どもの権利擁護の取組") in rows(differences)
    added = [d for d in differences if d.section == number[0]]
    assert added[0].item == "節" and added[0].change == ADDED
    # Plan-wide first, then by section in the plan's order.
    sections = [d.section for d in differences]
    assert sections[0] is None and sections.index(2) < sections.index(number[0])


def test_narrative_blocks_and_status_rows_align_by_sequence(old, new):
    from kawasaki_planner.core.plan import NarrativeBlock, StatusItem

    section = new.section(3)
    blocks = list(section.narrative)
    blocks[1] = NarrativeBlock(blocks[1].heading, blocks[1].text + "追記します。")
    blocks.insert(3, NarrativeBlock("(新) 見出し", "新しい段落"))
    structure.set_narrative(new, 3, blocks)
    items = list(section.status)
    removed = items.pop(0)
    items[0] = StatusItem(items[0].item, "改めた説明")
    structure.set_status(new, 3, items)
    got = [(d.scope, d.change, d.position) for d in compare_plans(old, new)]
    assert got == [("narrative", TEXT, 1), ("narrative", ADDED, 3), ("status", REMOVED, 0), ("status", TEXT, 0)]
    status = [d for d in compare_plans(old, new) if d.scope == "status"]
    assert status[0].before == f"{removed.item}\n{removed.description}"
    assert status[1].item == f"現在の整備・取組状況「{items[0].item}」" and status[1].after == "改めた説明"


def test_evaluation_texts_by_identity(old, new):
    id = new.section(2).indicators[0].id
    old.set_indicator_texts(2, id, 2025, IndicatorTexts(done="実施した", factors="要因"))
    new.set_indicator_texts(2, id, 2025, IndicatorTexts(done="実施した。拡充", next_steps="続ける"))
    new.set_section_text(2, 2025, "おおむね順調")
    new.set_summary(2, id, SummaryChoice(Summary.NOT_COMPARABLE, "法改正"))
    structure.edit_indicator(new, 2, id, label="改めた名")
    differences = [d for d in compare_plans(old, new) if d.scope == EVALUATION_SCOPE]
    assert rows(differences) == [
        (2, "改めた名 実績・取組状況", 2025, "", TEXT, "実施した", "実施した。拡充"),
        (2, "改めた名 要因分析", 2025, "", REMOVED, "要因", ""),
        (2, "改めた名 今後の方向性", 2025, "", ADDED, "", "続ける"),
        (2, "改めた名 計画期間の総括", None, "", ADDED, "", "IV 法制度等の改定により比較不能(法改正)"),
        (2, "総合評価", 2025, "", ADDED, "", "おおむね順調"),
    ]


def test_records_have_the_contract_columns(old, new):
    structure.edit_indicator(new, 2, new.section(2).indicators[0].id, label="改めた名")
    (renamed,) = compare_plans(old, new)
    assert renamed.record() == {"section": 2, "indicator": "改めた名", "fiscal_year": "", "kind": "", "change": RENAMED,
                                "before": OPINION, "after": "改めた名"}


TEXTS = st.text(alphabet="あいう。、\nab", max_size=30)


@given(TEXTS, TEXTS)
def test_marked_segments_give_back_both_texts_and_mark_only_what_differs(before, after):
    old, new = text_segments(before, after)
    assert "".join(t for t, _ in old) == before and "".join(t for t, _ in new) == after
    kept_old = "".join(t for t, marked in old if not marked)
    kept_new = "".join(t for t, marked in new if not marked)
    assert kept_old == kept_new  # the unmarked runs are the text both share


@given(TEXTS, TEXTS)
def test_slid_opcodes_still_turn_before_into_after(before, after):
    rebuilt = ""
    for tag, i1, i2, j1, j2 in character_opcodes(before, after):
        if tag == "equal":
            assert before[i1:i2] == after[j1:j2]
        rebuilt += after[j1:j2]
    assert rebuilt == after


def test_an_inserted_sentence_is_marked_as_the_sentence():
    before = "必要です。令和4年"
    after = "必要です。あわせて広げます。令和4年"
    assert text_segments(before, after)[1] == [("必要です。", False), ("あわせて広げます。", True), ("令和4年", False)]
