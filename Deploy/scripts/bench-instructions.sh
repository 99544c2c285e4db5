#!/usr/bin/env bash
# Counts the CPU instructions Gatehouse spends per proxied request, with valgrind's callgrind:
# repeatable on a shared, noisy machine where req/s and CPU time are not (the count moves by
# well under 1 % between runs; wall-clock figures move by 10 %).
#
# One `gatehouse serve` runs under callgrind with Redis sessions, the development provider and an
# nginx upstream; a real login gives a session cookie. After a warm-up, REQUESTS sequential
# keep-alive requests (Cookie + X-CSRF, all must be 200 with the upstream's body) go to each
# variant's path, twice, interleaved; callgrind's counters are zeroed before and dumped after each
# batch, so every figure is that batch's instructions in the whole process divided by REQUESTS.
#
#   plain    /api/bench     route `token: user`
#   require  /ruled/bench   the same route with `require: {claims: {groups: [demo-users]},
#                           scopes: [openid, profile]}` (rules that hold)
#   tls      /tls/bench     route `token: user` to the same upstream over TLS (nginx with a
#                           self-signed certificate made for the run, trusted by `tls.ca_file`)
#   dpop     /api/bench     with BENCH_DPOP=1: a second `gatehouse serve`, the same but with
#                           `oidc.dpop: true` (a DPoP proof signed for every upstream call)
#
#   Deploy/scripts/bench-instructions.sh [requests=2000]
# BENCH_GATEHOUSE=PATH uses that gatehouse binary instead of building one. It must be linked with
#   --static-swift-stdlib (as Deploy/scripts/build-release.sh and the image build it): valgrind 3.19
#   and 3.24 both crash reading the toolchain's shared lib_FoundationICU.so, so a dynamically linked
#   build cannot run under callgrind; the script builds a static one when none is given;
# BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
requests=${1:-2000}
case $requests in '' | *[!0-9]*) echo "usage: $0 [requests=2000]" >&2; exit 2 ;; esac

Deploy/scripts/setup-deps.sh valgrind nginx-light curl
if [ -n "${BENCH_GATEHOUSE:-}" ]; then
  gatehouse=$(realpath "$BENCH_GATEHOUSE")
  [ -x "$gatehouse" ] || { echo "error: BENCH_GATEHOUSE=$BENCH_GATEHOUSE is not an executable" >&2; exit 1; }
else
  echo "==> building gatehouse (release, static Swift runtime)"
  GATEHOUSE_SCRATCH=.build-release-static Deploy/scripts/build-release.sh .build-release-static/dist >/tmp/gatehouse-bench-build.log 2>&1 ||
    { tail -40 /tmp/gatehouse-bench-build.log >&2; exit 1; }
  gatehouse=$root/.build-release-static/dist/gatehouse
fi

dir=$(mktemp -d /tmp/gatehouse-instructions.XXXXXX)
chmod 755 "$dir"
pids=()
cleanup() {
  local pid
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

read -r redis_port upstream_port provider_port gatehouse_port admin_port dpop_port dpop_admin_port upstream_tls_port < <(python3 - <<'PY'
import socket
socks = []
for _ in range(8):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
)
wait_http() { # URL [tries]: until it answers 200
  for _ in $(seq 1 "${2:-200}"); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true)" = 200 ] && return 0
    sleep 0.1
  done
  die "$1 did not answer 200"
}

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no --logfile "$dir/redis.log" &
pids+=($!)
Deploy/bench/upstream-cert.sh "$dir"
sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$upstream_port|g" -e "s|@TLS_PORT@|$upstream_tls_port|g" Deploy/bench/upstream.nginx.conf >"$dir/upstream.conf"
nginx -p "$dir" -e "$dir/upstream.error.log" -c "$dir/upstream.conf" &
pids+=($!)
gatehouse_url=http://127.0.0.1:$gatehouse_port
provider_url=http://127.0.0.1:$provider_port
"$gatehouse" dev-provider --host 127.0.0.1 --port "$provider_port" \
  --client-id gatehouse-bench --client-secret bench-secret-not-for-production \
  --redirect-uri "$gatehouse_url/bff/callback" --redirect-uri "http://127.0.0.1:$dpop_port/bff/callback" --post-logout-redirect-uri "$gatehouse_url/" >"$dir/provider.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$upstream_port/api/bench"
wait_http "$provider_url/.well-known/openid-configuration"
# Tokens that outlive the run: no refresh happens while it counts.
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
  -d '{"access_token": 7200, "refresh_token": 14400, "id_token": 7200}' "$provider_url/_dev/lifetimes" || die "could not set token lifetimes"

session_key=$("$gatehouse" keygen)
write_config() { # NAME PORT ADMIN_PORT DPOP
  cat >"$dir/$1.yaml" <<YAML
listen: 127.0.0.1:$2
admin_listen: 127.0.0.1:$3
public_url: http://127.0.0.1:$2
static_dir: $root/Public
oidc:
  issuer: $provider_url
  client_id: gatehouse-bench
  client_secret: bench-secret-not-for-production
  scopes: [openid, profile, email, offline_access]
  dpop: $4
session:
  store: redis://127.0.0.1:$redis_port/0
  encryption_keys: ["$session_key"]
log:
  level: warning
  format: text
routes:
  - path: /api/
    upstream: http://127.0.0.1:$upstream_port/
  - path: /ruled/
    upstream: http://127.0.0.1:$upstream_port/api/
    strip_prefix: true
    require: {claims: {groups: [demo-users]}, scopes: [openid, profile]}
  - path: /tls/
    upstream: https://127.0.0.1:$upstream_tls_port/
    tls: {ca_file: $dir/upstream.crt}
YAML
  "$gatehouse" check-config --config "$dir/$1.yaml" >"$dir/check-config.$1.log" 2>&1 || { cat "$dir/check-config.$1.log" >&2; die "bad generated configuration"; }
}

# Debian's valgrind cannot read the DWARF 5 the Swift toolchain writes ("possibly corrupted
# debuginfo"); counting instructions needs no debug info, so a stripped copy runs.
strip --strip-debug -o "$dir/gatehouse" "$gatehouse"
start_under_callgrind() { # NAME ADMIN_PORT: prints the pid
  valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.$1.out" --dump-instr=no \
    "$dir/gatehouse" serve --config "$dir/$1.yaml" >"$dir/gatehouse.$1.log" 2>&1 &
  echo $!
}

echo "==> starting gatehouse under valgrind --tool=callgrind (slow: about 50x)"
write_config main "$gatehouse_port" "$admin_port" false
main_pid=$(start_under_callgrind main "$admin_port")
pids+=("$main_pid")
variants=(plain require tls)
if [ "${BENCH_DPOP:-0}" = 1 ]; then
  write_config dpop "$dpop_port" "$dpop_admin_port" true
  dpop_pid=$(start_under_callgrind dpop "$dpop_admin_port")
  pids+=("$dpop_pid")
  variants+=(dpop)
fi
wait_http "http://127.0.0.1:$admin_port/readyz" 600
main_cookie=$(python3 Deploy/bench/login.py "$gatehouse_url") || die "login through the development provider failed"
if [ "${BENCH_DPOP:-0}" = 1 ]; then
  wait_http "http://127.0.0.1:$dpop_admin_port/readyz" 600
  dpop_cookie=$(python3 Deploy/bench/login.py "http://127.0.0.1:$dpop_port") || die "login (dpop) through the development provider failed"
fi

# COUNT sequential keep-alive GETs; every answer must be 200 with the upstream's body.
load() { # PORT PATH COUNT COOKIE
  python3 - "$@" <<'PY'
import http.client, sys
port, path, count, cookie = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
for i in range(count):
    connection.request("GET", path, headers={"Cookie": cookie, "X-CSRF": "1"})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200 or body != b'{"ok":true}':
        sys.exit(f"request {i} to {path} answered {response.status} {body[:200]!r}")
PY
}
target() { # VARIANT -> "PID PORT PATH COOKIE NAME"
  case $1 in
    plain) echo "$main_pid $gatehouse_port /api/bench $main_cookie main" ;;
    require) echo "$main_pid $gatehouse_port /ruled/bench $main_cookie main" ;;
    tls) echo "$main_pid $gatehouse_port /tls/bench $main_cookie main" ;;
    dpop) echo "$dpop_pid $dpop_port /api/bench $dpop_cookie dpop" ;;
  esac
}
for variant in "${variants[@]}"; do
  read -r pid port path cookie name < <(target "$variant")
  load "$port" "$path" 50 "$cookie" || die "warm-up failed on $variant ($path)"
done
for pid in "$main_pid" ${dpop_pid:+"$dpop_pid"}; do callgrind_control -z "$pid" >/dev/null 2>&1; done

results=$dir/results.tsv
: >"$results"
dump=0
for round in 1 2; do
  for variant in "${variants[@]}"; do
    read -r pid port path cookie name < <(target "$variant")
    load "$port" "$path" "$requests" "$cookie" || die "the $variant batch failed"
    callgrind_control --dump="$variant-$round" "$pid" >/dev/null 2>&1
    dump=$((dump + 1))
    file=$(ls -t "$dir"/callgrind."$name".out.* 2>/dev/null | head -1)
    [ -n "$file" ] || die "callgrind wrote no dump"
    total=$(awk '/^(summary|totals):/ { print $2; exit }' "$file")
    printf '%s\t%s\t%s\n' "$round" "$variant" "$total" >>"$results"
    awk -v r="$round" -v v="$variant" -v t="$total" -v n="$requests" 'BEGIN { printf "    round %s %-8s %14.0f instructions, %10.0f per request\n", r, v, t, t / n }'
    mv "$file" "$dir/done.$dump.$variant.$round"
  done
done

python3 - "$results" "$requests" <<'PY'
import sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().split("\n") if line]
n = int(sys.argv[2])
per = {}
for round_, variant, total in rows:
    per.setdefault(variant, []).append(int(total) / n)
print()
for variant, values in per.items():
    spread = (max(values) - min(values)) / min(values) * 100
    print(f"{variant:<8} {sum(values) / len(values):>12,.0f} instructions per request (rounds {', '.join(f'{v:,.0f}' for v in values)}; spread {spread:.2f} %)")
plain = sum(per["plain"]) / len(per["plain"])
ruled = sum(per["require"]) / len(per["require"])
print(f"require / plain: {ruled / plain:.4f} ({(ruled / plain - 1) * 100:+.2f} %)")
print(f"{'PASS' if ruled / plain < 1.05 else 'FAIL'}  a require rule costs < 5 % per proxied request")
tls = sum(per["tls"]) / len(per["tls"])
print(f"tls / plain: {tls / plain:.4f} ({(tls / plain - 1) * 100:+.2f} %): the same route to an https upstream")
if "dpop" in per:
    dpop = sum(per["dpop"]) / len(per["dpop"])
    print(f"dpop / plain: {dpop / plain:.4f} ({(dpop / plain - 1) * 100:+.2f} %): a DPoP proof signed for every upstream call")
PY
