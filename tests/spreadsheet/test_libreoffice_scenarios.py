"""The 推計シナリオ sheet through LibreOffice Calc (driven by its own scripting): re-saved and typed into, read back."""

from __future__ import annotations

import pytest

from kawasaki_planner.core import scenarios as sc
from kawasaki_planner.core.plan import forecast_ref, plan_snapshot
from kawasaki_planner.io.scenario_sheet import SHEET
from kawasaki_planner.io.workbook import load_plan, save_plan
from tests.io.test_scenario_storage import cell_of, with_scenarios

pytestmark = pytest.mark.spreadsheet


@pytest.fixture
def scenario_workbook(sample_path, tmp_path):
    plan = load_plan(sample_path)
    growth, _ = with_scenarios(plan)
    sc.adopt(plan, growth.id)  # section 5 prints the 3.3 % scenario: the published one is a column of the sheet only
    out = tmp_path / "scenarios.xlsx"
    save_plan(plan, out)
    return out


def test_a_resave_in_libreoffice_keeps_every_scenario_exactly(libreoffice, scenario_workbook, tmp_path):
    resaved = libreoffice.edit(scenario_workbook, tmp_path / "resaved.xlsx", [{"do": "resave"}])
    plan, expected = load_plan(resaved), load_plan(scenario_workbook)
    assert plan.load_warnings == expected.load_warnings == []
    assert plan_snapshot(plan) == plan_snapshot(expected)
    assert sc.adopted(plan).name == "増加率3.3%案"
    assert plan.figure(forecast_ref("placed", 2029)).text == "361"


def test_a_growth_rate_typed_in_libreoffice_is_read_into_its_scenario(libreoffice, scenario_workbook, tmp_path):
    cell = cell_of(scenario_workbook, "採用案", "措置率増加率", "R10年度 (2028)")
    typed = libreoffice.edit(scenario_workbook, tmp_path / "typed.xlsx",
                             [{"do": "type", "sheet": SHEET, "cell": cell, "text": "3.5%"}])
    plan = load_plan(typed)
    assert plan.load_warnings == []
    published = sc.by_name(plan, "採用案")
    assert sc.effective_inputs(plan, published).get("growth", 2028, "plan").text == "3.5%"
    expected = load_plan(scenario_workbook)
    sc.set_figures(expected, sc.by_name(expected, "採用案").id, [(("growth", 2028, "plan"), "3.5%")])
    assert plan_snapshot(plan) == plan_snapshot(expected)
