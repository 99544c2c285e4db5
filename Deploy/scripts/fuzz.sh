#!/usr/bin/env bash
# Fuzzes every Gatehouse parser that takes attacker bytes with libFuzzer (+ AddressSanitizer and
# LeakSanitizer), on the real source files; the harnesses live in Fuzz/ (see Fuzz/README.md).
#
#   Deploy/scripts/fuzz.sh [seconds-per-target] [target...]
#
# Default: 20 seconds for each of the targets below, one after another. Each run starts from the
# committed seeds (Fuzz/corpus/<target>/) and every earlier finding (Fuzz/regressions/<target>/),
# so a regression fails at once. The script builds what it needs (into Fuzz/.build*, ignored by
# git, never the main package's .build), prints per target the duration and the number of executed
# inputs, and exits non-zero if any target crashes, fails an invariant, leaks, runs out of memory or
# spends more than 5 s on one input. Findings are written to Fuzz/.build-work/<target>/.
# Extra libFuzzer flags: FUZZ_FLAGS="-jobs=2 ...". The binaries also take libFuzzer's usual
# command line directly (Fuzz/.build-swiftc/<target>, Fuzz/.build/release/*Fuzzer).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
all_targets="requesttarget cookieheader formbody returnurl resp jws jwks"

seconds=20
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then seconds=$1; shift; fi
targets=${*:-$all_targets}
for target in $targets; do
  case " $all_targets " in *" $target "*) ;; *) echo "fuzz.sh: unknown target '$target' (known: $all_targets)" >&2; exit 2 ;; esac
done

# -package-name: the sources use `package` access among themselves, as in their SwiftPM package.
swiftc_flags=(-O -g -sanitize=fuzzer,address -parse-as-library -swift-version 6 -package-name gatehouse -use-ld=lld)
bin=Fuzz/.build-swiftc
mkdir -p "$bin"

# The real sources each swiftc-built target is compiled from, with its harness.
sources_of() {
  case $1 in
    requesttarget) echo Sources/GatehouseServer/HTTP/RequestTarget.swift Fuzz/Harnesses/RequestTargetFuzzer.swift ;;
    cookieheader) echo Sources/GatehouseServer/HTTP/CookieHeader.swift Fuzz/Harnesses/CookieHeaderFuzzer.swift ;;
    formbody) echo Sources/GatehouseServer/HTTP/FormBody.swift Fuzz/Harnesses/FormBodyFuzzer.swift ;;
    returnurl) echo Sources/GatehouseOAuth/ReturnURL.swift Fuzz/Harnesses/ReturnURLFuzzer.swift ;;
    resp)
      # RESPReader and its NIO-free helpers (the frame scanner, its limits, and any RESP* file
      # added later that imports nothing but CHiredis), the reply and error types.
      local file
      for file in Sources/GatehouseRedis/RESP*.swift; do
        grep -E '^[[:space:]]*((public|internal|package|private|fileprivate)[[:space:]]+)?import[[:space:]]+' "$file" | grep -q -v -w CHiredis && continue
        printf '%s ' "$file"
      done
      echo Sources/GatehouseRedis/RedisReply.swift Sources/GatehouseRedis/RedisClientError.swift Fuzz/Harnesses/RESPReaderFuzzer.swift ;;
  esac
}

binary_of() {
  case $1 in
    jws) echo Fuzz/.build/release/JWSFuzzer ;;
    jwks) echo Fuzz/.build/release/JWKSFuzzer ;;
    *) echo "$bin/$1" ;;
  esac
}

build_started=$(date +%s)
package_built=
for target in $targets; do
  case $target in
    jws | jwks)
      # GatehouseOAuth needs swift-crypto, so these two come from the small package in Fuzz/,
      # whose GatehouseOAuth target is a symlink to the real Sources/GatehouseOAuth.
      if [ -z "$package_built" ]; then
        echo "==> swift build (Fuzz/Package.swift: JWSFuzzer, JWKSFuzzer)"
        mkdir -p Fuzz/.build-work
        if ! swift build -c release --package-path Fuzz --scratch-path Fuzz/.build \
          -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >Fuzz/.build-work/package-build.log 2>&1; then
          grep -v '^\[' Fuzz/.build-work/package-build.log | tail -60
          echo "fuzz.sh: the Fuzz package did not build" >&2
          exit 1
        fi
        package_built=1
      fi
      ;;
    *)
      read -r -a sources <<<"$(sources_of "$target")"
      out=$bin/$target
      if [ ! -x "$out" ] || [ -n "$(find "${sources[@]}" -newer "$out" 2>/dev/null)" ]; then
        echo "==> swiftc $target"
        extra=()
        [ "$target" = resp ] && extra=(-I Sources/CHiredis)
        swiftc "${swiftc_flags[@]}" "${extra[@]}" "${sources[@]}" -o "$out"
      fi
      ;;
  esac
done
echo "==> built in $(($(date +%s) - build_started)) s"

failed=
summary=()
for target in $targets; do
  work=Fuzz/.build-work/$target
  mkdir -p "$work/corpus" Fuzz/regressions/$target
  max_len=4096
  case $target in jws | jwks) max_len=20000 ;; esac  # beyond SignedJWT's 16 KiB limit
  started=$(date +%s)
  status=0
  # The first corpus folder receives new inputs; the committed seeds and regressions stay as they are.
  # shellcheck disable=SC2086
  timeout --kill-after=10 $((seconds + 120)) "$(binary_of "$target")" \
    -max_total_time="$seconds" -timeout=5 -max_len=$max_len -print_final_stats=1 \
    -artifact_prefix="$root/$work/" ${FUZZ_FLAGS:-} \
    "$work/corpus" "Fuzz/corpus/$target" "Fuzz/regressions/$target" >"$work/log" 2>&1 || status=$?
  duration=$(($(date +%s) - started))
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  # Without final stats (a crash), the last status line's count.
  [ -n "$executions" ] || executions=$(sed -n 's/^#\([0-9][0-9]*\)[[:space:]].*/\1/p' "$work/log" | tail -1)
  if [ "$status" -eq 0 ]; then
    line=$(printf '%-14s ok      %5d s  %12s executions' "$target" "$duration" "${executions:-?}")
  else
    failed=1
    line=$(printf '%-14s FAILED  %5d s  %12s executions  (exit %d; log %s)' "$target" "$duration" "${executions:-?}" "$status" "$work/log")
    echo "---- $target failed; the end of $work/log:"
    grep -v -e '^#[0-9]' -e '^INFO:' "$work/log" | grep -v -e '^    #[0-9]* .* in fuzzer::' | tail -40
    ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null | sed 's/^/finding: /' || true
  fi
  echo "$line"
  summary+=("$line")
done

echo "==> fuzzing summary (${seconds} s per target)"
printf '%s\n' "${summary[@]}"
if [ -n "$failed" ]; then
  echo "fuzz.sh: a target failed; add the finding to Fuzz/regressions/<target>/ and a unit test" >&2
  exit 1
fi
