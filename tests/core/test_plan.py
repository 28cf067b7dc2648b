import pytest

from kawasaki_planner.core.plan import ADOPTION_LABEL, Direction, FigureRef, forecast_ref
from kawasaki_planner.core.values import FigureError


def test_sections_in_the_plans_order(published_plan):
    assert [s.number for s in published_plan.sections] == [1, 2, 3, 4, 5, 6, 7]
    assert sum(len(s.indicators) for s in published_plan.sections) == 27
    assert published_plan.section(2).status[0].item == "こどもの意見聴取等の実施"


def test_directions_of_good(published_plan):
    six = published_plan.section(6)
    assert six.indicator("一時保護施設平均入所日数").direction is Direction.LOWER
    assert six.indicator("一時保護施設平均入所率").direction is Direction.LOWER
    assert published_plan.section(2).indicator("子どもの権利擁護に関する研修の実施回数(年)").direction is Direction.AT_LEAST
    assert six.indicator("一時保護施設の定員数").direction is Direction.HIGHER


def test_listeners_hear_each_change_once_and_the_forecast_once(published_plan):
    heard, recomputed = [], []
    published_plan.figure_changed.connect(heard.append)
    published_plan.forecast_changed.connect(lambda: recomputed.append(1))
    ref = FigureRef(2, "意見表明支援を利用可能な児童数", 2025, "actual")
    published_plan.set_figure(ref, "990人")
    assert heard == [ref] and recomputed == []
    published_plan.set_figure(ref, "990")  # the same figure: nobody is told
    assert heard == [ref]
    published_plan.set_figures([(forecast_ref("population", 2026), "1"), (forecast_ref("population", 2027), "2")])
    assert len(recomputed) == 1 and len(heard) == 3


def test_refused_input_changes_nothing(published_plan):
    ref = FigureRef(2, "意見表明支援を利用可能な児童数", 2026, "plan")
    heard = []
    published_plan.figure_changed.connect(heard.append)
    with pytest.raises(FigureError):
        published_plan.set_figures([(FigureRef(2, "意見表明支援を利用可能な児童数", 2025, "actual"), "1"), (ref, "abc")])
    assert published_plan.figure(ref).text == "997人"
    assert published_plan.figure(FigureRef(2, "意見表明支援を利用可能な児童数", 2025, "actual")).is_blank
    assert heard == []


def test_derived_figures_cannot_be_typed(published_plan):
    with pytest.raises(FigureError, match="計算"):
        published_plan.set_figure(forecast_ref("placed", 2026), "400")
    assert published_plan.is_input(forecast_ref("rate", 2025))
    assert not published_plan.is_input(forecast_ref("rate", 2026))
    assert published_plan.is_input(forecast_ref("age.school", 2024, "actual"))


def test_the_adoption_figure_is_one_figure(published_plan):
    indicator = published_plan.adoption_indicator()
    assert indicator is published_plan.section(7).indicator(ADOPTION_LABEL)
    assert indicator.figure(2026, "plan").text == "6件"


def test_new_plan_has_the_structure_and_no_figures():
    from kawasaki_planner.io.source import new_plan

    plan = new_plan()
    assert [s.number for s in plan.sections] == [1, 2, 3, 4, 5, 6, 7]
    assert all(not i.plan and not i.actual for s in plan.sections for i in s.indicators)
    assert plan.figure(forecast_ref("placed", 2026)).is_blank


def test_only_the_forecast_section_has_computed_figures(published_plan):
    from kawasaki_planner.core.plan import FigureRef

    for section in published_plan.sections:
        refs = [FigureRef(section.number, i.label, year, kind) for i in section.indicators
                for year in published_plan.years for kind in ("plan", "actual")]
        if not published_plan.has_derived(section.number):
            assert all(published_plan.is_input(ref) for ref in refs)
    assert published_plan.has_derived(5)
    assert not published_plan.is_input(FigureRef(5, "placed", 2027, "plan"))
