"""The frozen app's entry point: the same ``main`` as the ``kawasaki-planner`` command.

A windowed Windows build has no console, so ``sys.stdout``/``sys.stderr`` are None and whatever
``--self-test`` prints would be lost. In that case its output goes to ``kawasaki-planner-self-test.log``
in the user's temporary folder (%TEMP%); the exit code (0 = every check held) is the result either way.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

SELF_TEST_LOG = "kawasaki-planner-self-test.log"


def _self_test_log():
    if "--self-test" not in sys.argv[1:] or (sys.stdout is not None and sys.stderr is not None):
        return None
    log = open(Path(tempfile.gettempdir()) / SELF_TEST_LOG, "w", encoding="utf-8")  # noqa: SIM115 (lives until exit)
    if sys.stdout is None:
        sys.stdout = log
    if sys.stderr is None:
        sys.stderr = log
    return log


def run() -> int:
    from kawasaki_planner.cli import main

    log = _self_test_log()
    try:
        return main()
    finally:
        if log is not None:
            log.close()


if __name__ == "__main__":
    raise SystemExit(run())
