#!/usr/bin/env bash
# Benchmark deps-known-vulnerable (see README, "Performance"): a synthetic OSV export of
# ADVISORIES records over PACKAGES packages, a project pinning PINS of them; times `check`
# without a database, with the compact cache (installed by `harden advisories update` from a
# loopback server on 127.0.0.1), and with the zip given by --advisories.
# Usage: bench/advisories.sh [ADVISORIES] [PACKAGES] [PINS]   (defaults 40000 12000 300)
# HARDEN_BIN=target/debug/harden skips the release build (read the ratios, not the seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server"; rm -rf "$work"' EXIT

if [ -n "${HARDEN_BIN:-}" ]; then
  bin="$(realpath "$HARDEN_BIN")"
else
  cargo build --release --quiet
  bin="$PWD/target/release/harden"
fi
python3 bench/osv_generate.py "$work" "${1:-40000}" "${2:-12000}" "${3:-300}"
ls -l "$work/all.zip"

python3 -m http.server 0 --bind 127.0.0.1 --directory "$work" >"$work/server.log" 2>&1 &
server=$!
port=""
for _ in $(seq 50); do
  port=$(grep -o 'port [0-9]*' "$work/server.log" | grep -o '[0-9]*' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
export HARDEN_CACHE_DIR="$work/cache"
/usr/bin/time -f "advisories update: wall %e s, peak RSS %M KiB" \
  "$bin" advisories update --url "http://127.0.0.1:$port/all.zip"

run() {
  local label="$1"; shift
  "$bin" check "$work/project" --select deps-known-vulnerable --format json --output "$work/out.json" "$@" || true
  /usr/bin/time -f "$label: wall %e s, peak RSS %M KiB" \
    "$bin" check "$work/project" --select deps-known-vulnerable --format json --output "$work/out.json" "$@" || true
}
HARDEN_CACHE_DIR="$work/none" run "no database"
run "compact cache"
run "zip (--advisories)" --advisories "$work/all.zip"
run "directory (--advisories)" --advisories "$work/records"

# The whole baseline profile, without and with the database: what the check adds to a run.
run_all() {
  local label="$1"; shift
  "$bin" check "$work/project" --format json --output "$work/out.json" "$@" || true
  /usr/bin/time -f "$label: wall %e s, peak RSS %M KiB" \
    "$bin" check "$work/project" --format json --output "$work/out.json" "$@" || true
}
HARDEN_CACHE_DIR="$work/none" run_all "baseline profile, no database"
run_all "baseline profile, compact cache"
