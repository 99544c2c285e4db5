#!/usr/bin/env bash
# Makes, or reuses, a Python venv with the given pip requirements (installed when missing; pip
# needs no network for requirements already met). A Debian python3 without venv support gets
# python3-venv through setup-deps.sh. Used by e2e-browser.sh and interop-venv.sh.
# Usage: python-venv.sh DIR REQUIREMENT...
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=$1
shift

python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: $python is not on PATH." >&2
  exit 1
fi
if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  Deploy/scripts/setup-deps.sh python3-venv
fi
if ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
  echo "==> creating $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
