"""Shared fixtures: the published plan, from its source and from the sample workbook."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "kawasaki_plan_r8.xlsx"
SOURCE = ROOT / "sample_data" / "plan_source.json"


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    """A private copy of the sample workbook, free to edit."""
    target = tmp_path / "plan.xlsx"
    shutil.copy(SAMPLE, target)
    return target


@pytest.fixture
def published_plan():
    from kawasaki_planner.io.source import load_source

    return load_source(SOURCE)


@pytest.fixture
def sample_plan():
    from kawasaki_planner.io.workbook import load_plan

    return load_plan(SAMPLE)
