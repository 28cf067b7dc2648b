"""Gnumeric re-saves the plan workbook (``ssconvert in.xlsx out.xlsx``) and the app reads the same plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from kawasaki_planner.core.plan import plan_snapshot
from kawasaki_planner.io.tidy import tidy_rows
from kawasaki_planner.io.workbook import load_plan

pytestmark = pytest.mark.spreadsheet


@pytest.fixture
def source(request, sample_path, app_workbook) -> Path:
    return {"sample": sample_path, "saved by the app": app_workbook}[request.param]


@pytest.mark.parametrize("source", ["sample", "saved by the app"], indirect=True)
def test_a_resave_in_gnumeric_gives_back_the_same_plan(ssconvert, source, tmp_path):
    resaved = ssconvert(source, tmp_path / "gnumeric.xlsx")
    plan, expected = load_plan(resaved), load_plan(source)
    assert plan_snapshot(plan) == plan_snapshot(expected)
    rows = list(tidy_rows(plan))
    assert len(rows) == 239
    assert rows == list(tidy_rows(expected))
    assert plan.load_warnings == expected.load_warnings
