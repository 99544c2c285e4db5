#!/usr/bin/env bash
# Runs every Gatehouse test: installs what is missing, builds, runs the suite.
# Tests that need Redis start their own redis-server on a free loopback port.
set -euo pipefail
cd "$(dirname "$0")/../.."
Deploy/scripts/setup-deps.sh
echo "==> swift build --build-tests"
swift build --build-tests
echo "==> swift test"
swift test --skip-build
echo "==> browser end-to-end (headless Chromium through the demo)"
swift build --product gatehouse
Deploy/scripts/e2e-browser.sh .build/debug/gatehouse
