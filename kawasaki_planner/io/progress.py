"""Progress of a long read or write, as a fraction 0–1 handed to a callback (the window's progress bar).

The io layer knows nothing of Qt: a callback may be called from any thread and must be cheap.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[float], None]


def span(progress: Progress | None, start: float, end: float) -> Progress | None:
    """A callback reporting 0–1 as ``start``–``end`` of ``progress``: one stage of a longer operation."""
    if progress is None:
        return None
    return lambda fraction: progress(start + (end - start) * min(1.0, max(0.0, fraction)))
