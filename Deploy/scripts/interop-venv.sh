#!/usr/bin/env bash
# Makes the Python venv the provider interop test runs its third-party OpenID provider in:
# IdentityPython's idpyoidc server (PyPI), pinned, under ${TMPDIR:-/tmp}/gatehouse-interop-venv.
# Tests/GatehouseIntegrationTests/IdpyOIDCInteropTests.swift starts Tests/Interop/idpyoidc_op.py
# with it. Installs python3-venv through setup-deps.sh when a Debian python3 lacks it.
# Usage: interop-venv.sh   (prints nothing else when the venv is ready)
set -euo pipefail
cd "$(dirname "$0")/../.."

python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: $python is not on PATH." >&2
  exit 1
fi
if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  Deploy/scripts/setup-deps.sh python3-venv
fi

venv="${TMPDIR:-/tmp}/gatehouse-interop-venv"
if ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
  echo "==> creating $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import importlib.metadata as m, sys; sys.exit(m.version("idpyoidc") != "5.0.0")' >/dev/null 2>&1; then
  echo "==> installing idpyoidc 5.0.0 into $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "idpyoidc==5.0.0"
fi
