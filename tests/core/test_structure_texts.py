"""Structure edits take an indicator's, a section's or a dropped year's evaluation texts along; undo restores them."""

from __future__ import annotations

from kawasaki_planner.core import structure as st
from tests.evaluation_texts import YEAR, ids, write_texts


def test_structure_edits_take_texts_along_and_undo_brings_them_back(published_plan):
    write_texts(published_plan)
    before = published_plan.evaluation_texts.snapshot()
    first = ids(published_plan, 2)[0]
    texts = st.texts_of(published_plan, 2, first)
    index, indicator = st.remove_indicator(published_plan, 2, first)
    assert published_plan.evaluation_texts.indicator(2, first, YEAR).is_empty
    assert published_plan.evaluation_texts.summary(2, first) is None
    assert published_plan.evaluation_texts.section(2, YEAR)  # the section's own text stays
    st.insert_indicator(published_plan, 2, index, indicator, texts)
    assert published_plan.evaluation_texts.snapshot() == before

    texts = st.texts_of(published_plan, 2)
    _index, section = st.remove_section(published_plan, 2)
    assert not any(k[0] == 2 for k in published_plan.evaluation_texts.indicators)
    assert published_plan.evaluation_texts.section(2, YEAR) == ""
    st.insert_section(published_plan, section, texts)
    assert published_plan.evaluation_texts.snapshot() == before

    assert st.years_with_texts(published_plan, {2024, 2026}) == [2024]
    texts = st.texts_of_years(published_plan, {2024})
    old, dropped = st.set_years(published_plan, tuple(range(2025, 2030)))
    assert published_plan.evaluation_texts.years() == [2025]
    assert published_plan.evaluation_texts.summary(2, first) is not None  # a summary is the period's, not a year's
    st.restore_years(published_plan, old, dropped, texts)
    assert published_plan.evaluation_texts.snapshot() == before


def test_a_structure_edit_tells_which_texts_went(published_plan):
    write_texts(published_plan)
    heard = []
    published_plan.changed.connect(heard.append)
    first = ids(published_plan, 2)[0]
    st.remove_indicator(published_plan, 2, first)
    assert heard[-1].texts == {("indicator", 2, first, YEAR), ("summary", 2, first)}
