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
    assert any(0.3 < f < 0.5 for f in saved)  # the write finished before the read-back began
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


def test_reading_and_writing_pause_the_collector_and_restore_it(sample_plan, tmp_path, monkeypatch):
    import gc

    from kawasaki_planner.io import workbook_read

    seen = []
    real = workbook_read.read_cells
    monkeypatch.setattr(workbook_read, "read_cells", lambda *a: seen.append(gc.isenabled()) or real(*a))
    path = tmp_path / "gc.xlsx"
    save_plan(sample_plan, path)  # its read-back goes through read_cells too
    load_plan(path)
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        load_plan(path)
        assert not gc.isenabled()  # a pause inside a pause leaves the outer one in force
    finally:
        gc.enable()
