#!/usr/bin/env bash
# Set up if needed, then run the whole test suite (GUI tests offscreen) and the linter.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
