#!/usr/bin/env bash
# Set up if needed, then open Kawasaki Planner on the bundled sample plan (or the workbook given).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --gui
plan="${1:-sample_data/kawasaki_plan_r8.xlsx}"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: starting the app inside a virtual X server (xvfb-run)."
  exec xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/kawasaki-planner "$plan"
fi
exec .venv/bin/kawasaki-planner "$plan"
