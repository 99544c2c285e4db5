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
# A lean binary: on Linux most of Gatehouse's resident memory is its own mapped code, not its
# heap. The toolchain's static-stdlib link exports every package symbol (53k, 5 MB of symbol
# tables nothing looks up: the executor hook is resolved by the linker, not dlsym), and gold
# writes 150k relative relocations (3.6 MB, all read and applied at start). lld, which Swift
# toolchains ship, packs them (DT_RELR) and keeps read-only data out of the code segment: peak
# RSS under bench-proxy.sh 48.2 -> 39.6 MiB. Here, not in Package.swift: DT_RELR needs glibc
# 2.36 (the image's bookworm has it), and a release build on an older host must still run.
flags+=(-Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic)
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
