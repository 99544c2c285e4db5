#!/usr/bin/env bash
# Runs the real-browser end-to-end test (Tests/BrowserEndToEnd) against an
# already-built gatehouse binary: headless Chromium drives the demo SPA through
# sign-in, an API call, a transparent token refresh and sign-out.
# Installs what is missing: Debian chromium + chromium-driver (apt-get as root;
# otherwise it prints the exact apt-get line and stops), and a Python venv with
# pytest and selenium under ${TMPDIR:-/tmp}/gatehouse-e2e-venv. It never builds Swift.
# Usage: e2e-browser.sh [path/to/gatehouse]   (default .build/debug/gatehouse)
set -euo pipefail
cd "$(dirname "$0")/../.."

binary="${1:-.build/debug/gatehouse}"
case "$binary" in
  /*) ;;
  *) binary="$PWD/$binary" ;;
esac
if [ ! -x "$binary" ]; then
  echo "error: no gatehouse binary at $binary. Build it first (swift build) or pass its path." >&2
  exit 1
fi

python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: $python is not on PATH." >&2
  exit 1
fi

# ---- Debian packages (through the one installer, setup-deps.sh) ------------------------------
extra=(chromium chromium-driver)
# A Debian python3 needs python3-venv for `-m venv`; another python (pyenv, …) brings its own.
if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  extra+=(python3-venv)
fi
Deploy/scripts/setup-deps.sh "${extra[@]}"

# ---- Python venv with pytest and selenium ---------------------------------------------------
venv="${TMPDIR:-/tmp}/gatehouse-e2e-venv"
if ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
  echo "==> creating $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import pytest, selenium' >/dev/null 2>&1; then
  echo "==> installing pytest and selenium into $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check pytest selenium
fi

# ---- run ------------------------------------------------------------------------------------
echo "==> browser end-to-end test with $binary"
export GATEHOUSE_BIN="$binary"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"
export SE_OFFLINE=true             # never let Selenium Manager look for a driver online
export PYTHONDONTWRITEBYTECODE=1
# pytest prints its summary line ("N passed in Xs" / "N failed …") last; its exit code is ours.
exec "$venv/bin/python" -m pytest Tests/BrowserEndToEnd -v