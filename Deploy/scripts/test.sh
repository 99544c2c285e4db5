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
  Deploy/scripts/setup-deps.sh binutils  # strip, readelf, nm
  GATEHOUSE_SCRATCH=.build-release Deploy/scripts/build-release.sh .build-dist
  echo "==> the release binary runs Swift concurrency on its event loops"
  # A --static-swift-stdlib binary hides the runtime's hook from dlsym (swift-nio's take-over
  # quietly did nothing there); `serve` says in its first log line where tasks run.
  smoke=$(mktemp -d)
  printf 'listen: 127.0.0.1:0\nadmin_listen: 127.0.0.1:0\npublic_url: http://127.0.0.1:8080\noidc: {issuer: "http://127.0.0.1:9/", client_id: smoke, client_secret: smoke}\nsession: {store: memory, encryption_keys: ["%s"]}\nlog: {level: info, format: text}\n' \
    "$(.build-dist/gatehouse keygen)" >"$smoke/gatehouse.yaml"
  (timeout -k 2 4 .build-dist/gatehouse serve --config "$smoke/gatehouse.yaml" >"$smoke/log" 2>&1 || true)
  grep -q 'gatehouse.executor=event-loops' "$smoke/log" || { cat "$smoke/log" >&2; echo "error: the release binary does not run tasks on its event loops" >&2; exit 1; }
  rm -rf "$smoke"
  echo "==> the release binary is linked lean (packed relocations, no exported symbols)"
  # build-release.sh's linker flags; without them peak RSS grows by ~9 MiB.
  dynamic=$(readelf -d .build-dist/gatehouse)
  grep -q '(RELR)' <<<"$dynamic" || { echo "error: the release binary has no packed relocations (DT_RELR)" >&2; exit 1; }
  exported=$(nm -D --defined-only .build-dist/gatehouse | wc -l)
  [ "$exported" -eq 0 ] || { echo "error: the release binary exports $exported symbols" >&2; exit 1; }
fi
