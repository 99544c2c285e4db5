#!/usr/bin/env bash
# Makes the benchmark upstream's TLS certificate in DIR (upstream.crt, upstream.key): self-signed,
# its own CA, for both names the proxies use (localhost, 127.0.0.1), valid two days.
#   Deploy/bench/upstream-cert.sh DIR
set -euo pipefail
dir=$1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$dir/upstream.key" -out "$dir/upstream.crt" \
  >"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; echo "error: could not make the upstream's certificate" >&2; exit 1; }
chmod 644 "$dir/upstream.key" # read by nginx workers (nobody); a throwaway key in a temporary directory
