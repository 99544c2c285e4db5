#!/usr/bin/env bash
# Benchmarks Gatehouse's API proxy against nginx on the same machine in the same run.
#   (a) upstream  an nginx answering {"ok":true} (worker_processes 1), hit directly
#   (b) nginx     nginx as a plain reverse proxy to (a), no auth, keepalive upstream pool
#   (c) gatehouse `gatehouse serve` proxying /api/ to (a) with `token: user`, Redis sessions,
#                 a real session cookie (logged in through the development provider) + X-CSRF: 1
# wrk, 2 threads, 64 connections, SECONDS s per run, interleaved a,b,c,a,b,c after a 3 s
# unmeasured warm-up of each. Prints req/s,
# p50, p99, resident memory and CPU per request for every run and the means, the ratios,
# Redis commands per proxied request, and PASS/FAIL against the targets:
#   req/s c/b >= 0.5,  p99 c <= 2 x p99 b,  Gatehouse peak RSS (VmHWM) <= 48 MiB.
# Missing targets do not change the exit status (it is a benchmark); a run with any
# non-2xx answer or socket error does (exit 1), as does a failed setup or login.
#   Deploy/scripts/bench-proxy.sh [seconds=15]
# BENCH_KEEP=1 keeps the temporary directory (configs, logs, wrk output) for a look;
# BENCH_GATEHOUSE=PATH uses that gatehouse binary instead of building one;
# BENCH_TOKEN=none proxies without a token (no session work: the proxy path alone, for comparison);
# BENCH_REQUIRE=1 adds a fourth target, `gatehouse+require`: the same process and route settings
#   under /ruled/ with a require rule (a groups claim and two scopes, all held), interleaved with
#   the others, and the cost of the rule as a ratio against `gatehouse` in the same run;
# BENCH_DPOP=1 adds `gatehouse+dpop`: a second `gatehouse serve`, the same but with `oidc.dpop: true`
#   (a DPoP proof signed for every upstream call), logged in on its own, interleaved likewise;
# BENCH_SESSIONS=N adds `gatehouse+sessions`: the same process and route, but every request carries
#   the next of N session cookies (N scripted logins through the development provider, e.g. 10000),
#   so the session cache (4096 entries) and the Redis path are measured, not one hot session;
#   it reports its req/s against nginx and gatehouse and its Redis commands per request;
# BENCH_TLS=1 adds `nginx+tls` and `gatehouse+tls`: the same two proxies (same processes) to the
#   same upstream over TLS (nginx listens with a self-signed certificate made for the run; both
#   proxies verify it, keep connections alive and nginx reuses TLS sessions), interleaved likewise;
#   target: req/s gatehouse+tls / nginx+tls >= 0.4;
# BENCH_ROUNDS=N measures N interleaved rounds instead of 2;
# BENCH_PERF=SECONDS then profiles Gatehouse under the same load with perf (where its CPU goes).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
seconds=${1:-15}
case $seconds in '' | *[!0-9]*) echo "usage: $0 [seconds=15]" >&2; exit 2 ;; esac

Deploy/scripts/setup-deps.sh wrk nginx-light
if [ -n "${BENCH_GATEHOUSE:-}" ]; then
  # A binary built elsewhere (e.g. from a snapshot while the tree is being edited).
  gatehouse=$(realpath "$BENCH_GATEHOUSE")
  [ -x "$gatehouse" ] || { echo "error: BENCH_GATEHOUSE=$BENCH_GATEHOUSE is not an executable" >&2; exit 1; }
else
  # The image's binary (static runtime, lean link), in a scratch path of its own so the debug
  # build stays warm for tests.
  echo "==> building gatehouse (release, as the image does)"
  build_log=$(mktemp /tmp/gatehouse-bench-build.XXXXXX)
  if ! GATEHOUSE_SCRATCH=.build-release-static Deploy/scripts/build-release.sh .build-release-static/dist >"$build_log" 2>&1; then
    tail -40 "$build_log" >&2
    echo "error: the release build failed (full log: $build_log)" >&2
    exit 1
  fi
  rm -f "$build_log"
  gatehouse=$root/.build-release-static/dist/gatehouse
fi

dir=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
chmod 755 "$dir" # nginx workers run as nobody
pids=()          # long-running processes, stopped at exit
transient_pid=  # the RSS sampler or perf while one runs
cleanup() {
  local pid
  if [ -n "$transient_pid" ]; then kill "$transient_pid" 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {
  echo "error: $*" >&2
  exit 1
}

# Ten distinct free loopback ports, all held open while they are picked.
read -r redis_port upstream_port nginx_port provider_port gatehouse_port admin_port dpop_port dpop_admin_port \
  upstream_tls_port nginx_tls_port < <(python3 - <<'PY'
import socket
socks = []
for _ in range(10):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
)

wait_http() { # URL [expected status]
  local url=$1 want=${2:-200} got
  for _ in $(seq 1 200); do
    got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" 2>/dev/null || true)
    [ "$got" = "$want" ] && return 0
    sleep 0.05
  done
  die "$url did not answer $want (last: ${got:-nothing})"
}

fill() { # TEMPLATE OUT KEY=VALUE...: replaces each @KEY@ in TEMPLATE, writes OUT
  local template=$1 out=$2
  shift 2
  python3 - "$template" "$out" "$@" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for pair in sys.argv[3:]:
    key, _, value = pair.partition("=")
    text = text.replace(f"@{key}@", value)
left = re.findall(r"@[A-Z_]+@", text)
if left:
    sys.exit(f"unfilled placeholders {sorted(set(left))} in {sys.argv[1]}")
open(sys.argv[2], "w").write(text)
PY
}

# -- Redis -----------------------------------------------------------------------------
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no \
  --daemonize no --logfile "$dir/redis.log" &
pids+=($!)
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done
redis-cli -p "$redis_port" ping >/dev/null || die "redis-server did not start (see $dir/redis.log)"

# -- upstream and nginx reverse proxy ----------------------------------------------------
Deploy/bench/upstream-cert.sh "$dir"
fill Deploy/bench/upstream.nginx.conf "$dir/upstream.conf" DIR="$dir" PORT="$upstream_port" TLS_PORT="$upstream_tls_port"
fill Deploy/bench/proxy.nginx.conf "$dir/proxy.conf" DIR="$dir" PORT="$nginx_port" UPSTREAM_PORT="$upstream_port" \
  TLS_PROXY_PORT="$nginx_tls_port" UPSTREAM_TLS_PORT="$upstream_tls_port"
nginx -p "$dir" -e "$dir/upstream.error.log" -c "$dir/upstream.conf" &
upstream_pid=$!
pids+=("$upstream_pid")
nginx -p "$dir" -e "$dir/proxy.error.log" -c "$dir/proxy.conf" &
nginx_pid=$!
pids+=("$nginx_pid")
wait_http "http://127.0.0.1:$upstream_port/api/bench"
wait_http "http://127.0.0.1:$nginx_port/api/bench"
wait_http "http://127.0.0.1:$nginx_tls_port/api/bench"

# -- development OpenID provider --------------------------------------------------------
gatehouse_url=http://127.0.0.1:$gatehouse_port
provider_url=http://127.0.0.1:$provider_port
"$gatehouse" dev-provider --host 127.0.0.1 --port "$provider_port" \
  --client-id gatehouse-bench --client-secret bench-secret-not-for-production \
  --redirect-uri "$gatehouse_url/bff/callback" --redirect-uri "http://127.0.0.1:$dpop_port/bff/callback" --post-logout-redirect-uri "$gatehouse_url/" \
  --backchannel-logout-uri "$gatehouse_url/bff/backchannel-logout" >"$dir/provider.log" 2>&1 &
pids+=($!)
wait_http "$provider_url/.well-known/openid-configuration"
# Tokens that outlive the benchmark: no refresh happens while it measures.
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
  -d '{"access_token": 7200, "refresh_token": 14400, "id_token": 7200}' "$provider_url/_dev/lifetimes" ||
  die "could not set the provider's token lifetimes"

# -- Gatehouse ----------------------------------------------------------------------------
session_key=$("$gatehouse" keygen)
fill Deploy/bench/gatehouse.yaml "$dir/gatehouse.yaml" PORT="$gatehouse_port" ADMIN_PORT="$admin_port" DPOP=false \
  STATIC_DIR="$root/Public" PROVIDER_PORT="$provider_port" REDIS_PORT="$redis_port" \
  UPSTREAM_PORT="$upstream_port" TOKEN="${BENCH_TOKEN:-user}" SESSION_KEY="$session_key" \
  RULED_ROUTE="$([ "${BENCH_REQUIRE:-0}" = 1 ] && echo "- {path: /ruled/, upstream: \"http://127.0.0.1:$upstream_port/api/\", strip_prefix: true, token: ${BENCH_TOKEN:-user}, require: {claims: {groups: [demo-users]}, scopes: [openid, profile]}}" || echo '# no ruled route (BENCH_REQUIRE=1 adds one)')" \
  TLS_ROUTE="- {path: /tls/, upstream: \"https://127.0.0.1:$upstream_tls_port/\", token: ${BENCH_TOKEN:-user}, tls: {ca_file: \"$dir/upstream.crt\"}}"
"$gatehouse" check-config --config "$dir/gatehouse.yaml" >"$dir/check-config.log" 2>&1 ||
  { cat "$dir/check-config.log" >&2; die "the generated configuration does not pass check-config"; }
"$gatehouse" serve --config "$dir/gatehouse.yaml" >"$dir/gatehouse.log" 2>&1 &
gatehouse_pid=$!
pids+=("$gatehouse_pid")
wait_http "http://127.0.0.1:$admin_port/readyz"
if [ "${BENCH_DPOP:-0}" = 1 ]; then
  fill Deploy/bench/gatehouse.yaml "$dir/gatehouse-dpop.yaml" PORT="$dpop_port" ADMIN_PORT="$dpop_admin_port" DPOP=true \
    STATIC_DIR="$root/Public" PROVIDER_PORT="$provider_port" REDIS_PORT="$redis_port" \
    UPSTREAM_PORT="$upstream_port" TOKEN=user SESSION_KEY="$session_key" RULED_ROUTE='# no ruled route' TLS_ROUTE='# no TLS route'
  "$gatehouse" serve --config "$dir/gatehouse-dpop.yaml" >"$dir/gatehouse-dpop.log" 2>&1 &
  dpop_pid=$!
  pids+=("$dpop_pid")
  wait_http "http://127.0.0.1:$dpop_admin_port/readyz"
fi

# -- log in like a browser, then check every target answers the upstream's body ---------------
cookie=$(python3 Deploy/bench/login.py "$gatehouse_url") || die "login through the development provider failed"
csrf_header="X-CSRF: 1"
dpop_url=http://127.0.0.1:$dpop_port
if [ "${BENCH_DPOP:-0}" = 1 ]; then
  dpop_cookie=$(python3 Deploy/bench/login.py "$dpop_url") || die "login (dpop) through the development provider failed"
fi
path=/api/bench
expected='{"ok":true}'
check_target() { # NAME URL [curl args...]
  local name=$1 url=$2 status body
  shift 2
  status=$(curl -s -o "$dir/check.body" -w '%{http_code}' "$@" "$url")
  body=$(cat "$dir/check.body")
  [ "$status" = 200 ] && [ "$body" = "$expected" ] ||
    die "$name answered $status '$body' before the benchmark; expected 200 '$expected'"
}
check_target upstream "http://127.0.0.1:$upstream_port$path"
check_target nginx "http://127.0.0.1:$nginx_port$path"
check_target gatehouse "$gatehouse_url$path" -H "Cookie: $cookie" -H "$csrf_header"
ruled_path=/ruled/bench
sessions=${BENCH_SESSIONS:-0}
case $sessions in '' | *[!0-9]*) die "BENCH_SESSIONS must be a number" ;; esac
if [ "$sessions" -gt 0 ]; then
  echo "==> logging in $sessions sessions (4 at a time)"
  python3 Deploy/bench/login.py "$gatehouse_url" --count "$sessions" >"$dir/cookies.txt" || die "the scripted logins failed"
  [ "$(sort -u "$dir/cookies.txt" | wc -l)" = "$sessions" ] || die "expected $sessions distinct session cookies"
  check_target gatehouse+sessions "$gatehouse_url$path" -H "Cookie: $(tail -1 "$dir/cookies.txt")" -H "$csrf_header"
fi
if [ "${BENCH_DPOP:-0}" = 1 ]; then
  check_target gatehouse+dpop "$dpop_url$path" -H "Cookie: $dpop_cookie" -H "$csrf_header"
fi
if [ "${BENCH_REQUIRE:-0}" = 1 ]; then
  check_target gatehouse+require "$gatehouse_url$ruled_path" -H "Cookie: $cookie" -H "$csrf_header"
fi
tls_path=/tls/bench
if [ "${BENCH_TLS:-0}" = 1 ]; then
  check_target nginx+tls "http://127.0.0.1:$nginx_tls_port$tls_path"
  check_target gatehouse+tls "$gatehouse_url$tls_path" -H "Cookie: $cookie" -H "$csrf_header"
fi
# ...and that the session really is what lets the request through.
status=$(curl -s -o /dev/null -w '%{http_code}' -H "$csrf_header" "$gatehouse_url$path")
if [ "${BENCH_TOKEN:-user}" = user ]; then
  [ "$status" = 401 ] || die "gatehouse answered $status without a session cookie; expected 401"
fi
echo "==> logged in; all three targets answer 200 $expected"

# -- measuring ----------------------------------------------------------------------------------
tree_pids() { echo "$1"; pgrep -P "$1" || true; } # nginx master + workers (Gatehouse: itself)
rss_kib() { # PID... -> summed VmRSS or VmHWM (field as $FIELD)
  local total=0 pid value
  for pid in "$@"; do
    value=$(awk -v f="${FIELD:-VmRSS}:" '$1 == f { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${value:-0}))
  done
  echo "$total"
}
cpu_ticks() { # PID... -> summed utime + stime
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
redis_calls() { redis-cli -p "$redis_port" info commandstats | tr -d '\r' | grep '^cmdstat_' | grep -v '^cmdstat_config' || true; }

results=$dir/results.tsv
: >"$results"
failed=0
run() { # ROUND NAME URL SERVER_PID [wrk -H args...]
  local round=$1 name=$2 url=$3 server=$4
  shift 4
  local procs peak=0 now sampler line hwm ticks_before ticks_after redis_after
  mapfile -t procs < <(tree_pids "$server")
  ticks_before=$(cpu_ticks "${procs[@]}")
  redis-cli -p "$redis_port" config resetstat >/dev/null
  # Peak summed VmRSS, sampled every 0.2 s while wrk runs.
  (
    while :; do
      now=$(rss_kib "${procs[@]}")
      [ "$now" -gt "$peak" ] && peak=$now && echo "$peak" >"$dir/peak.$name.$round"
      sleep 0.2
    done
  ) &
  sampler=$!
  transient_pid=$sampler
  wrk -t2 -c64 -d"${seconds}s" --latency -s "${WRK_SCRIPT:-Deploy/bench/report.lua}" "$@" "$url" >"$dir/wrk.$name.$round.txt" 2>&1 ||
    { cat "$dir/wrk.$name.$round.txt" >&2; die "wrk failed on $name"; }
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  transient_pid=
  ticks_after=$(cpu_ticks "${procs[@]}")
  hwm=$(FIELD=VmHWM rss_kib "${procs[@]}")
  redis_after=$(redis_calls | sed 's/^cmdstat_\([^:]*\):calls=\([0-9]*\).*/\1=\2/' | paste -sd, -)
  line=$(grep '^BENCH ' "$dir/wrk.$name.$round.txt") || { cat "$dir/wrk.$name.$round.txt" >&2; die "no BENCH line from wrk"; }
  # round name BENCH... peak_kib hwm_kib cpu_ticks clk_tck redis
  printf '%s\t%s\t%s\tpeak_kib=%s\thwm_kib=%s\tcpu_ticks=%s\tclk_tck=%s\tredis=%s\n' "$round" "$name" "${line#BENCH }" \
    "$(cat "$dir/peak.$name.$round" 2>/dev/null || echo 0)" "$hwm" "$((ticks_after - ticks_before))" "$(getconf CLK_TCK)" \
    "${redis_after:-none}" >>"$results"
  python3 - "$round" "$name" "$line" <<'PY'
import sys
round_, name, line = sys.argv[1:]
v = {k: int(x) for k, x in (kv.split("=") for kv in line.split()[1:])}
errors = v["connect"] + v["read"] + v["write"] + v["timeout"]
print(f"    round {round_} {name:<9} {v['requests'] / v['duration_us'] * 1e6:>10,.0f} req/s  p50 {v['p50_us'] / 1000:6.2f} ms"
      f"  p99 {v['p99_us'] / 1000:6.2f} ms  non-2xx {v['non2xx']}  socket errors {errors}")
PY
  if grep -Eq 'non2xx=[1-9]|connect=[1-9]|read=[1-9]|write=[1-9]|timeout=[1-9]' <<<"$line"; then
    echo "!!! $name round $round had non-2xx answers or socket errors:" >&2
    cat "$dir/wrk.$name.$round.txt" >&2
    failed=1
  fi
}

echo "==> wrk -t2 -c64 -d${seconds}s --latency, interleaved upstream, nginx, gatehouse ($(nproc) CPUs, all on this machine)"
# Warm-up, not measured, the same for all three: keep-alive pools filled, caches and
# allocators at their working size (the first seconds of any server run cold).
for url in "http://127.0.0.1:$upstream_port$path" "http://127.0.0.1:$nginx_port$path"; do
  wrk -t2 -c64 -d3s "$url" >/dev/null 2>&1 || die "warm-up failed on $url"
done
wrk -t2 -c64 -d3s -H "Cookie: $cookie" -H "$csrf_header" "$gatehouse_url$path" >/dev/null 2>&1 || die "warm-up failed on gatehouse"
if [ "${BENCH_DPOP:-0}" = 1 ]; then
  wrk -t2 -c64 -d3s -H "Cookie: $dpop_cookie" -H "$csrf_header" "$dpop_url$path" >/dev/null 2>&1 || die "warm-up failed on gatehouse+dpop"
fi
if [ "${BENCH_REQUIRE:-0}" = 1 ]; then
  wrk -t2 -c64 -d3s -H "Cookie: $cookie" -H "$csrf_header" "$gatehouse_url$ruled_path" >/dev/null 2>&1 || die "warm-up failed on gatehouse+require"
fi
if [ "$sessions" -gt 0 ]; then
  BENCH_COOKIES=$dir/cookies.txt wrk -t2 -c64 -d3s -s Deploy/bench/sessions.lua "$gatehouse_url$path" >/dev/null 2>&1 || die "warm-up failed on gatehouse+sessions"
fi
if [ "${BENCH_TLS:-0}" = 1 ]; then
  wrk -t2 -c64 -d3s "http://127.0.0.1:$nginx_tls_port$tls_path" >/dev/null 2>&1 || die "warm-up failed on nginx+tls"
  wrk -t2 -c64 -d3s -H "Cookie: $cookie" -H "$csrf_header" "$gatehouse_url$tls_path" >/dev/null 2>&1 || die "warm-up failed on gatehouse+tls"
fi
echo "    load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every number)"
rounds=${BENCH_ROUNDS:-2}
case $rounds in '' | *[!0-9]* | 0) die "BENCH_ROUNDS must be a positive number" ;; esac
for round in $(seq 1 "$rounds"); do
  run "$round" upstream "http://127.0.0.1:$upstream_port$path" "$upstream_pid"
  run "$round" nginx "http://127.0.0.1:$nginx_port$path" "$nginx_pid"
  # Alternate which of the two Gatehouse targets goes first, so drift during a round favours neither.
  if [ "${BENCH_REQUIRE:-0}" = 1 ] && [ $((round % 2)) = 0 ]; then
    run "$round" gatehouse+require "$gatehouse_url$ruled_path" "$gatehouse_pid" -H "Cookie: $cookie" -H "$csrf_header"
  fi
  run "$round" gatehouse "$gatehouse_url$path" "$gatehouse_pid" -H "Cookie: $cookie" -H "$csrf_header"
  if [ "${BENCH_REQUIRE:-0}" = 1 ] && [ $((round % 2)) = 1 ]; then
    run "$round" gatehouse+require "$gatehouse_url$ruled_path" "$gatehouse_pid" -H "Cookie: $cookie" -H "$csrf_header"
  fi
  if [ "$sessions" -gt 0 ]; then
    BENCH_COOKIES=$dir/cookies.txt WRK_SCRIPT=Deploy/bench/sessions.lua run "$round" gatehouse+sessions "$gatehouse_url$path" "$gatehouse_pid"
  fi
  if [ "${BENCH_DPOP:-0}" = 1 ]; then
    run "$round" gatehouse+dpop "$dpop_url$path" "$dpop_pid" -H "Cookie: $dpop_cookie" -H "$csrf_header"
  fi
  if [ "${BENCH_TLS:-0}" = 1 ]; then
    run "$round" nginx+tls "http://127.0.0.1:$nginx_tls_port$tls_path" "$nginx_pid"
    run "$round" gatehouse+tls "$gatehouse_url$tls_path" "$gatehouse_pid" -H "Cookie: $cookie" -H "$csrf_header"
  fi
done

echo "    load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" <<'PY'
import sys
from collections import defaultdict

rows = []
for raw in open(sys.argv[1]):
    round_, name, bench, *extra = raw.rstrip("\n").split("\t")
    v = {k: int(x) for k, x in (kv.split("=") for kv in bench.split())}
    e = dict(kv.split("=", 1) for kv in extra)
    rps = v["requests"] / v["duration_us"] * 1e6
    cpu_s = int(e["cpu_ticks"]) / int(e["clk_tck"])
    redis = {} if e["redis"] == "none" else {k: int(x) for k, x in (kv.split("=") for kv in e["redis"].split(","))}
    rows.append(dict(round=round_, name=name, rps=rps, p50=v["p50_us"] / 1000, p99=v["p99_us"] / 1000,
                     rss=int(e["peak_kib"]) / 1024, hwm=int(e["hwm_kib"]) / 1024,
                     cpu_us=cpu_s * 1e6 / max(v["requests"], 1), requests=v["requests"], redis=redis,
                     bad=v["non2xx"] + v["connect"] + v["read"] + v["write"] + v["timeout"]))

server = {"upstream": "nginx, 1 worker", "nginx": "nginx master+workers", "gatehouse": "gatehouse"}
names = [n for n in ("upstream", "nginx", "gatehouse", "gatehouse+require", "gatehouse+dpop", "gatehouse+sessions", "nginx+tls", "gatehouse+tls") if any(r["name"] == n for r in rows)]
print()
print(f"{'run':<6}{'target':<18}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'RSS MiB':>9}{'HWM MiB':>9}{'CPU us/req':>12}{'errors':>8}")
for r in rows:
    print(f"{r['round']:<6}{r['name']:<18}{r['rps']:>10,.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}{r['rss']:>9.1f}{r['hwm']:>9.1f}"
          f"{r['cpu_us']:>12.1f}{r['bad']:>8}")
mean = {}
for name in names:
    rs = [r for r in rows if r["name"] == name]
    m = {k: sum(r[k] for r in rs) / len(rs) for k in ("rps", "p50", "p99", "cpu_us")}
    m["rss"] = max(r["rss"] for r in rs)
    m["hwm"] = max(r["hwm"] for r in rs)
    mean[name] = m
    print(f"{'mean':<6}{name:<18}{m['rps']:>10,.0f}{m['p50']:>9.2f}{m['p99']:>9.2f}{m['rss']:>9.1f}{m['hwm']:>9.1f}{m['cpu_us']:>12.1f}")
print("(RSS: peak summed VmRSS sampled during the run; HWM: VmHWM after it; mean rows show the max;"
      " CPU: server user+system time per request)")
print("(RSS is of: " + "; ".join(f"{k}: {v}" for k, v in server.items()) + ")")

a, b, c = mean["upstream"], mean["nginx"], mean["gatehouse"]
print()
print(f"req/s  gatehouse / nginx    (c/b): {c['rps'] / b['rps']:.2f}")
print(f"req/s  gatehouse / upstream (c/a): {c['rps'] / a['rps']:.2f}")
print(f"p99    gatehouse / nginx    (c/b): {c['p99'] / b['p99']:.2f}")
def redis_per_request(name):
    runs = [r for r in rows if r["name"] == name]
    per_request = defaultdict(float)
    for r in runs:
        for cmd, calls in r["redis"].items():
            per_request[cmd] += calls / r["requests"] / len(runs)
    if not per_request:
        return "0"
    detail = ", ".join(f"{cmd} {n:.3f}" for cmd, n in sorted(per_request.items(), key=lambda kv: -kv[1]))
    return f"{sum(per_request.values()):.3f} ({detail})"
print(f"Redis commands per proxied request: {redis_per_request('gatehouse')}")

if "gatehouse+require" in mean:
    # Paired by round: both targets ran back to back in the same process, so a round's ratio
    # cancels most of the machine's drift; the mean of the paired ratios is the figure.
    plain = {r["round"]: r for r in rows if r["name"] == "gatehouse"}
    ruled = {r["round"]: r for r in rows if r["name"] == "gatehouse+require"}
    rps_ratios = [ruled[k]["rps"] / plain[k]["rps"] for k in plain if k in ruled]
    cpu_ratios = [ruled[k]["cpu_us"] / plain[k]["cpu_us"] for k in plain if k in ruled]
    print(f"require rule, req/s  gatehouse+require / gatehouse, paired by round: mean {sum(rps_ratios) / len(rps_ratios):.3f}"
          f" (rounds {', '.join(f'{x:.3f}' for x in rps_ratios)})")
    print(f"require rule, CPU/req gatehouse+require / gatehouse, paired by round: mean {sum(cpu_ratios) / len(cpu_ratios):.3f}"
          f" (rounds {', '.join(f'{x:.3f}' for x in cpu_ratios)})")

if "gatehouse+dpop" in mean:
    d = mean["gatehouse+dpop"]
    print(f"dpop, req/s  gatehouse+dpop / nginx: {d['rps'] / mean['nginx']['rps']:.2f}  (without dpop: {mean['gatehouse']['rps'] / mean['nginx']['rps']:.2f});"
          f" gatehouse+dpop / gatehouse: {d['rps'] / mean['gatehouse']['rps']:.3f}; CPU/req {d['cpu_us'] / mean['gatehouse']['cpu_us']:.3f}")

if "gatehouse+sessions" in mean:
    m = mean["gatehouse+sessions"]
    print(f"sessions, req/s  gatehouse+sessions / nginx: {m['rps'] / mean['nginx']['rps']:.2f}; / gatehouse (one session): {m['rps'] / mean['gatehouse']['rps']:.3f};"
          f" p99 {m['p99']:.2f} ms; CPU/req {m['cpu_us'] / mean['gatehouse']['cpu_us']:.3f}x")
    print(f"sessions, Redis commands per proxied request: {redis_per_request('gatehouse+sessions')}")

if "gatehouse+tls" in mean:
    t, n = mean["gatehouse+tls"], mean["nginx+tls"]
    print(f"tls, req/s  gatehouse+tls / nginx+tls: {t['rps'] / n['rps']:.2f}; p99 {t['p99'] / n['p99']:.2f}x nginx+tls's;"
          f" CPU/req gatehouse+tls / gatehouse: {t['cpu_us'] / c['cpu_us']:.3f}")

def check(label, ok, detail):
    print(f"{'PASS' if ok else 'FAIL'}  {label:<40} {detail}")
print()
check("req/s c/b >= 0.5", c["rps"] / b["rps"] >= 0.5, f"{c['rps'] / b['rps']:.2f}")
check("p99 c <= 2 x p99 b", c["p99"] <= 2 * b["p99"], f"{c['p99']:.2f} ms vs 2 x {b['p99']:.2f} ms = {2 * b['p99']:.2f} ms")
check("Gatehouse RSS (VmHWM) <= 48 MiB", c["hwm"] <= 48, f"{c['hwm']:.1f} MiB (peak sampled VmRSS {c['rss']:.1f} MiB)")
if "gatehouse+tls" in mean:
    ratio = mean["gatehouse+tls"]["rps"] / mean["nginx+tls"]["rps"]
    check("req/s gatehouse+tls / nginx+tls >= 0.4", ratio >= 0.4, f"{ratio:.2f}")
if "gatehouse+require" in mean:
    loss = 1 - sum(rps_ratios) / len(rps_ratios)
    check("require rule loses < 5 % req/s", loss < 0.05, f"{loss * 100:+.1f} % (paired mean over {len(rps_ratios)} rounds)")
PY

if [ -n "${BENCH_PERF:-}" ]; then
  # Where Gatehouse's CPU time goes: perf (software cpu-clock, frame-pointer call graphs) on
  # the gatehouse process under the same wrk load; buckets by Deploy/bench/perf-buckets.py.
  perf stat -e cpu-clock true >/dev/null 2>&1 || Deploy/scripts/setup-deps.sh linux-perf
  echo
  echo "==> profiling gatehouse for ${BENCH_PERF}s under wrk -t2 -c64 (perf record -e cpu-clock -g)"
  perf record -q -e cpu-clock -F 1999 -g -p "$gatehouse_pid" -o "$dir/perf.data" -- sleep "$BENCH_PERF" 2>"$dir/perf.log" &
  perf_pid=$!
  transient_pid=$perf_pid
  wrk -t2 -c64 -d"${BENCH_PERF}s" -s Deploy/bench/report.lua -H "Cookie: $cookie" -H "$csrf_header" \
    "$gatehouse_url$path" >"$dir/wrk.perf.txt" 2>&1
  wait "$perf_pid" || { transient_pid=; cat "$dir/perf.log" >&2; die "perf record failed"; }
  transient_pid=
  grep '^BENCH ' "$dir/wrk.perf.txt" | sed 's/^BENCH /    under perf: /'
  perf script -i "$dir/perf.data" -F comm,tid,ip,sym,dso 2>/dev/null >"$dir/perf.script"
  python3 Deploy/bench/perf-buckets.py "$dir/perf.script"
fi

if [ "$failed" = 1 ]; then
  echo >&2
  echo "!!! FAILED: at least one run had non-2xx answers or socket errors (see above); its numbers are not valid" >&2
  exit 1
fi
