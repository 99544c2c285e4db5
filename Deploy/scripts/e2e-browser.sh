#!/usr/bin/env bash
# Runs the real-browser end-to-end test (Tests/BrowserEndToEnd) against an
# already-built gatehouse binary: headless Chromium drives the demo SPA through
# sign-in, an API call, a transparent token refresh and sign-out; and through nginx terminating
# TLS in front of three `gatehouse serve` replicas on one Redis (test_multi_replica.py).
# Installs what is missing: Debian chromium + chromium-driver + nginx (apt-get as root;
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

# ---- Debian packages (through the one installer, setup-deps.sh) and the venv -------------------
Deploy/scripts/setup-deps.sh chromium chromium-driver nginx
venv="${TMPDIR:-/tmp}/gatehouse-e2e-venv"
Deploy/scripts/python-venv.sh "$venv" pytest selenium

# ---- run ------------------------------------------------------------------------------------
echo "==> browser end-to-end test with $binary"
export GATEHOUSE_BIN="$binary"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"
export SE_OFFLINE=true             # never let Selenium Manager look for a driver online
export PYTHONDONTWRITEBYTECODE=1
# pytest prints its summary line ("N passed in Xs" / "N failed …") last; its exit code is ours.
exec "$venv/bin/python" -m pytest Tests/BrowserEndToEnd -v