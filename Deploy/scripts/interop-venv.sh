#!/usr/bin/env bash
# Makes the Python venv the provider interop test runs its third-party OpenID provider in:
# IdentityPython's idpyoidc server (PyPI), pinned, under ${TMPDIR:-/tmp}/gatehouse-interop-venv.
# Tests/GatehouseIntegrationTests/IdpyOIDCInteropTests.swift starts Tests/Interop/idpyoidc_op.py
# with it.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec Deploy/scripts/python-venv.sh "${TMPDIR:-/tmp}/gatehouse-interop-venv" "idpyoidc==5.0.0"
