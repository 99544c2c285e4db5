#!/usr/bin/env bash
# The release build of `gatehouse`: the ONE build step shared by Deploy/Dockerfile and CI,
# so a broken image build shows up in CI even where no Docker engine runs.
#
# Usage (from anywhere):  Deploy/scripts/build-release.sh [OUT_DIR]
#   OUT_DIR            where the binary is copied to (default: .build-dist, git-ignored);
#                      a relative OUT_DIR is taken relative to the caller's directory.
#   GATEHOUSE_SCRATCH  SwiftPM scratch path (default: .build), e.g. to keep a release
#                      build apart from a debug tree another job is using.
#
# Installs nothing: the caller provides Swift 6.2+ and `libhiredis-dev` + `pkg-config`
# (the Dockerfile's builder stage does; on a dev machine Deploy/scripts/setup-deps.sh).
#
# --static-swift-stdlib links the Swift runtime and Foundation into the binary, so the
# runtime image needs only libc, libstdc++ (already in debian:bookworm-slim, apt uses it)
# and libhiredis0.14.
set -euo pipefail

out="${1:-.build-dist}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

cd "$(dirname "$0")/../.."
scratch="${GATEHOUSE_SCRATCH:-.build}"

flags=(-c release --product gatehouse --static-swift-stdlib --scratch-path "$scratch")
echo "==> swift build ${flags[*]}"
swift build "${flags[@]}"

bin_dir="$(swift build "${flags[@]}" --show-bin-path)"
mkdir -p "$out"
install -m 0755 "$bin_dir/gatehouse" "$out/gatehouse"
# DWARF is ~1/3 of the binary; the symbol table stays, so crash backtraces keep names.
if command -v strip >/dev/null 2>&1; then
  strip --strip-debug "$out/gatehouse"
fi
echo "==> $out/gatehouse ($(du -h "$out/gatehouse" | cut -f1))"
