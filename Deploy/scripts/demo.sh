#!/usr/bin/env bash
# Runs the Gatehouse demo on one machine: installs what is missing, builds,
# and starts `gatehouse demo` (proxy, development OpenID provider, demo API, SPA).
# Extra arguments go to `gatehouse demo`, e.g. --port 8080 or --redis redis://127.0.0.1:6379/0
set -euo pipefail
cd "$(dirname "$0")/../.."
Deploy/scripts/setup-deps.sh
swift build --product gatehouse
exec .build/debug/gatehouse demo "$@"
