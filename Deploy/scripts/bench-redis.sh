#!/usr/bin/env bash
# Benchmarks Gatehouse's Redis client against redis-benchmark on the same
# redis-server in the same run: GET of a 1 KiB value by 50 concurrent callers.
# Runs both twice, interleaved, and prints ops/s and the ratio.
#   Deploy/scripts/bench-redis.sh [seconds=10]
# A 60 s memory soak: Deploy/scripts/bench-redis.sh 60
set -euo pipefail
cd "$(dirname "$0")/../.."
Deploy/scripts/setup-deps.sh
seconds=${1:-10}
# A scratch path of its own keeps the debug build warm for tests.
swift build -c release --scratch-path .build-release --product gatehouse-bench >/dev/null
bench=.build-release/release/gatehouse-bench

dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no --daemonize no --logfile "$dir/redis.log" &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done

baseline_rps() {
  # redis-benchmark has no duration flag: size -n from a short probe so it runs ~$seconds s.
  local probe n
  probe=$(redis-benchmark -p "$port" -t get -d 1024 -c 50 -n 100000 -q --csv | tail -1 | cut -d, -f2 | tr -d '"')
  n=$(python3 -c "print(max(100000, int(float('$probe') * $seconds)))")
  redis-benchmark -p "$port" -t get -d 1024 -c 50 -n "$n" -q --csv | tail -1 | cut -d, -f2 | tr -d '"'
}
ours_rps() {
  "$bench" redis-get --url "redis://127.0.0.1:$port/0" --concurrency 50 --duration "$seconds" --value-size 1024 | tee "$dir/ours.txt" >&2
  grep gatehouse_ops_per_sec "$dir/ours.txt" | cut -d' ' -f2
}

declare -a base ours
for round in 1 2; do
  b=$(baseline_rps); base+=("$b"); echo "round $round: redis-benchmark $b ops/s"
  o=$(ours_rps); ours+=("$o"); echo "round $round: gatehouse       $o ops/s"
done
python3 - "${base[@]}" "${ours[@]}" <<'PY'
import sys
v = list(map(float, sys.argv[1:])); b, o = v[:2], v[2:]
print(f"redis-benchmark  mean {sum(b)/2:,.0f} ops/s  (runs: {', '.join(f'{x:,.0f}' for x in b)})")
print(f"gatehouse client mean {sum(o)/2:,.0f} ops/s  (runs: {', '.join(f'{x:,.0f}' for x in o)})")
print(f"ratio gatehouse / redis-benchmark: {sum(o)/sum(b):.2f}")
PY
