#!/usr/bin/env bash
# Prepare a Debian machine for Kawasaki Planner: the system libraries Qt needs, a Japanese
# font, LibreOffice Calc (headless, scripted through python3-uno) and Gnumeric's ssconvert for the
# tests that round-trip workbooks through real spreadsheet programs (tests/spreadsheet), poppler-utils
# (pdftotext, pdffonts: the report tests read the PDF back), and a
# virtual environment with the app and its test tools. Safe to run again.
#   scripts/setup.sh          libraries for offscreen Qt (tests)
#   scripts/setup.sh --gui    plus what a visible window under X or Xvfb needs
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-ipaexfont-gothic binutils
          libreoffice-calc-nogui python3-uno gnumeric poppler-utils)
if [ "${1:-}" = "--gui" ]; then
  packages+=(xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
             libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0)
fi
python3 -c "import ensurepip, venv" 2>/dev/null || packages+=(python3-venv)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # apt-get that waits (up to 10 minutes) for another apt/dpkg instead of failing at once: install
  # honours DPkg::Lock::Timeout, update does not (it takes /var/lib/apt/lists/lock), so retry on a lock error.
  apt_get() {
    local err waited=0
    err=$(mktemp)
    until $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@" 2>"$err"; do
      if grep -qE 'Could not get lock|Unable to lock|Unable to acquire' "$err" && [ "$waited" -lt 600 ]; then
        echo "Another package manager is busy; waiting for it (apt-get $1, ${waited}s so far) ..." >&2
        sleep 10
        waited=$((waited + 10))
      else
        cat "$err" >&2
        rm -f "$err"
        return 1
      fi
    done
    cat "$err" >&2
    rm -f "$err"
  }
  echo "Installing system packages: ${missing[*]}"
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
