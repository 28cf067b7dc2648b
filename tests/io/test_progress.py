"""Long reads and writes report their progress as a rising fraction that ends at 1."""

from __future__ import annotations

import pytest

from kawasaki_planner.io.progress import span
from kawasaki_planner.io.workbook import load_plan, save_plan


def _check(fractions: list[float]) -> None:
    assert len(fractions) >= 8
    assert fractions == sorted(fractions)
    assert 0.0 <= fractions[0] < 0.5 and fractions[-1] == 1.0


def test_save_and_load_report_rising_progress(sample_plan, tmp_path):
    path = tmp_path / "p.xlsx"
    saved: list[float] = []
    save_plan(sample_plan, path, progress=saved.append)
    _check(saved)
    assert any(0.3 < f <= 0.5 for f in saved)  # the write (the first half) finished before the read-back began
    loaded: list[float] = []
    load_plan(path, progress=loaded.append)
    _check(loaded)


def test_span_maps_a_stage_into_its_share():
    heard: list[float] = []
    stage = span(heard.append, 0.4, 0.8)
    for fraction in (0.0, 0.5, 1.0, 2.0):
        stage(fraction)
    assert heard == pytest.approx([0.4, 0.6, 0.8, 0.8])
    assert span(None, 0, 1) is None
