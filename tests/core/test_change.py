"""One notification per edit, naming every figure it changed, the computed ones included."""

from __future__ import annotations

from kawasaki_planner.core import forecast as fc
from kawasaki_planner.core import structure as st
from kawasaki_planner.core.plan import FigureRef, forecast_ref


def _listen(plan):
    heard = []
    plan.changed.connect(heard.append)
    return heard


def test_a_typed_figure_outside_the_forecast_is_the_whole_change(published_plan):
    heard = _listen(published_plan)
    ref = FigureRef(2, "意見表明支援を利用可能な児童数", 2025, "actual")
    published_plan.set_figure(ref, "990人")
    assert [c.figures for c in heard] == [frozenset({ref})]
    published_plan.set_figure(ref, "990人")  # no change: nothing heard
    assert len(heard) == 1


def test_the_rate_edit_names_every_derived_figure_that_moved_and_only_those(published_plan):
    before = {key: f for key, f in published_plan.forecast.cells.items()}
    heard = _listen(published_plan)
    ref = forecast_ref("rate", published_plan.first_forecast_year)
    published_plan.set_figure(ref, "0.150%")
    after = published_plan.forecast.cells
    moved = {forecast_ref(*key) for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert len(heard) == 1
    assert heard[0].figures == frozenset({ref}) | moved
    assert forecast_ref("placed", 2029) in heard[0].figures and forecast_ref("placed", 2024, "actual") not in heard[0].figures


def test_an_adoption_target_names_the_counts_it_moves(published_plan):
    heard = _listen(published_plan)
    adoption = published_plan.adoption_indicator()
    published_plan.set_figure(FigureRef(7, adoption.id, 2027, "plan"), "20件")
    figures = heard[0].figures
    assert forecast_ref("placed", 2027) in figures and forecast_ref("before_adoption", 2027) not in figures


def test_a_structure_edit_names_its_section_and_what_it_recomputed(published_plan):
    heard = _listen(published_plan)
    adoption = published_plan.adoption_indicator()
    st.remove_indicator(published_plan, 7, adoption.id)
    assert heard[-1].sections == frozenset({7}) and forecast_ref("placed", 2027) in heard[-1].figures
    st.set_years(published_plan, (*published_plan.years, 2030))
    assert heard[-1].plan_wide and heard[-1].touches(3)
    assert len(heard) == 2
    assert all(isinstance(ref.row, str) and (ref.row in fc.ALL_ROWS) for ref in heard[0].figures)
