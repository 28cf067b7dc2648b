"""Where the bundled sample plan is: inside the package when frozen, in sample_data/ in a checkout."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

SAMPLE_NAME = "kawasaki_plan_r8.xlsx"


def sample_plan_path() -> Path | None:
    bundled = files("kawasaki_planner.resources").joinpath(SAMPLE_NAME)
    if bundled.is_file():
        with as_file(bundled) as path:
            return Path(path)
    checkout = Path(__file__).resolve().parent.parent / "sample_data" / SAMPLE_NAME
    return checkout if checkout.is_file() else None
