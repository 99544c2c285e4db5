#!/usr/bin/env bash
# Installs what building and testing Gatehouse needs on Debian, when missing.
# As root it runs apt-get; otherwise it prints the exact apt-get line and stops.
# Usage: setup-deps.sh [extra-debian-package ...]
set -euo pipefail

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in pkg-config libhiredis-dev redis-server redis-sentinel redis-tools openssl "$@"; do
  have_pkg "$pkg" || need+=("$pkg")
done

if ! command -v swift >/dev/null 2>&1; then
  echo "error: swift is not on PATH. Install a Swift 6.x toolchain (swift.org) first." >&2
  exit 1
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

line="apt-get update && apt-get install -y --no-install-recommends ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Gatehouse needs these Debian packages: ${need[*]}" >&2
  echo "Run as root:  $line" >&2
  exit 1
fi
echo "==> installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
