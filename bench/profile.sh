#!/usr/bin/env bash
# Where a signed-in page's time goes: the mentee's /home under load, sampled with `perf`, printed
# as the top symbols (flat, by where the CPU was) beside the request rate it ran at.
#   bench/profile.sh               /home for the demo mentee
#   PAGE=/match/1/goals bench/profile.sh
# Needs the release build (bench/run.sh builds it; SKIP_BUILD=1 uses the one there is) and
# `perf` (linux-perf); wrk drives the load from the same machine for DURATION seconds (default 10).
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$TANDEM_ROOT"

DURATION="${DURATION:-10}"
PORT="${BENCH_PORT:-3201}"
PAGE="${PAGE:-/home}"
TOP="${TOP:-30}"
target_dir="${CARGO_TARGET_DIR:-$TANDEM_ROOT/target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  scripts/setup.sh
  cargo leptos build --release --split
fi

data="$(mktemp -d)"
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$data"' EXIT
DATABASE_URL="sqlite://$data/tandem.db" TANDEM_DATA_DIR="$data" TANDEM_ADDR="127.0.0.1:$PORT" RUST_LOG=warn \
  "$target_dir/release/tandem" serve --demo >"$data/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$data/server.log"; exit 1; }

cookie="$(curl -s -D - -o /dev/null -H "Origin: http://127.0.0.1:$PORT" -H 'Content-Type: application/json' \
  -d '{"email":"mentee@example.org","password":"demo-password-1"}' \
  "http://127.0.0.1:$PORT/api/sign_in" | awk -F'[:;] *' 'tolower($1) == "set-cookie" { print $2; exit }')"
# Warm the caches the page uses (the match home, the statements), as a visit would.
curl -fs -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$PORT$PAGE"

perf record -q -F 999 -e cpu-clock -p "$server_pid" -o "$data/perf.data" -- sleep "$DURATION" &
perf_pid=$!
sleep 0.5
wrk -t2 -c32 -d"$((DURATION - 1))s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$PORT$PAGE" |
  awk '/Requests\/sec|^ +(50|99)%/'
wait "$perf_pid"

echo "Top $TOP symbols (self time, all of the server's threads):"
perf report -q -i "$data/perf.data" --no-children --fields overhead,sym --percent-limit 0.3 2>/dev/null |
  sed -e 's/^ *//' -e 's/[[:space:]-]*$//' | cut -c1-150 | head -n "$TOP"
echo "By thread kind:"
perf report -q -i "$data/perf.data" --no-children --fields overhead,comm 2>/dev/null |
  sed -e 's/^ *//' -e 's/[[:space:]-]*$//' | grep . | head -n 8
