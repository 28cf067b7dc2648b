#!/usr/bin/env bash
# Build the one-folder app from build.spec into build/ and smoke-test the frozen copy (Linux; CI runs this).
#   packaging/build_and_smoke.sh            the folder is build/dist/kawasaki-planner, its zip next to it
# Needs the venv made by scripts/setup.sh; installs the build extra (PyInstaller) and binutils if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || scripts/setup.sh
if ! command -v objdump >/dev/null || ! command -v strip >/dev/null; then
  # PyInstaller reads shared-library dependencies with objdump on Linux; build.spec strips with strip.
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing binutils (PyInstaller needs objdump)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends binutils
fi
.venv/bin/python -m pip install -q -e '.[build]'

started=$(date +%s)
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --workpath build/pyinstaller --distpath build/dist build.spec
echo "build: $(( $(date +%s) - started )) s"
QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/smoke.py build/dist/kawasaki-planner
