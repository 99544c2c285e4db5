#!/usr/bin/env bash
# Runs every Gatehouse test: installs what is missing, builds, runs the suite,
# the browser end-to-end test and the deployment checks. Tests that need Redis
# start their own redis-server on a free loopback port.
# In CI (CI set) it also runs the container image's release build step
# (Deploy/scripts/build-release.sh, the one the Dockerfile runs); locally add
# --with-release for that (it takes 15-25 minutes on 2 cores).
set -euo pipefail
with_release=${CI:+1}
[ "${1:-}" = "--with-release" ] && with_release=1
cd "$(dirname "$0")/../.."
Deploy/scripts/setup-deps.sh
echo "==> swift build --build-tests"
swift build --build-tests
echo "==> swift test"
Deploy/scripts/interop-venv.sh  # the third-party provider of the interop test
swift test --skip-build
echo "==> fuzzing smoke (libFuzzer over every parser of attacker bytes, 15 s each, with the regression inputs)"
Deploy/scripts/fuzz.sh 15
echo "==> browser end-to-end (headless Chromium through the demo)"
swift build --product gatehouse
Deploy/scripts/e2e-browser.sh .build/debug/gatehouse
echo "==> deployment manifests, compose file and their Gatehouse configs"
Deploy/scripts/validate-manifests.sh .build/debug/gatehouse
if [ -n "${with_release:-}" ]; then
  echo "==> release build, the Dockerfile's step"
  GATEHOUSE_SCRATCH=.build-release Deploy/scripts/build-release.sh .build-dist
fi
