#!/usr/bin/env bash
# Measures Tandem on this machine and prints the figures (see bench/README.md for the budgets).
#   bench/run.sh            builds the release site if needed, then measures
# Load comes from wrk on the same machine, against a server on loopback only. Every run is
# bounded: DURATION seconds per measurement (default 10).
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$TANDEM_ROOT"

DURATION="${DURATION:-10}"
PORT="${BENCH_PORT:-3200}"
target_dir="${CARGO_TARGET_DIR:-$TANDEM_ROOT/target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v brotli >/dev/null || { apt-get update -qq && apt-get install -y -qq brotli; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  scripts/setup.sh
  cargo leptos build --release --split
  cargo build --release --locked -p bench-tools
fi

data="$(mktemp -d)"
trap 'kill "$server_pid" "$bare_pid" 2>/dev/null || true; rm -rf "$data"' EXIT
# The yardstick: a bare Leptos 0.8 page (one route, one island button) on the same machine, in
# the same run, so the signed-in page's cost reads as a multiple of it (issue 34's budget).
BARE_PORT="${BENCH_BARE_PORT:-3299}"
RUST_LOG=warn "$target_dir/release/tandem-bench" bare-page --addr "127.0.0.1:$BARE_PORT" >"$data/bare.log" 2>&1 &
bare_pid=$!
DATABASE_URL="sqlite://$data/tandem.db" TANDEM_DATA_DIR="$data" TANDEM_ADDR="127.0.0.1:$PORT" RUST_LOG=warn \
  "$target_dir/release/tandem" serve --demo >"$data/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$data/server.log"; exit 1; }

# wrk prints latency percentiles with --latency; pull out requests/s and p50/p99.
measure() {
  local label="$1" conns="$2" url="$3"; shift 3
  local out
  out="$(wrk -t2 -c"$conns" -d"${DURATION}s" --latency "$@" "$url")"
  local rps p50 p99 errors
  rps="$(awk '/Requests\/sec/ { print $2 }' <<<"$out")"
  p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
  p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)"
  printf '%-34s %6s conns  %10s req/s  p50 %8s  p99 %8s  %s\n' "$label" "$conns" "$rps" "$p50" "$p99" "$errors"
  last_rps="$rps"
}
# "label: N.NN× the bare page" from the last measurement.
versus_bare() {
  awk -v label="$1" -v r="$last_rps" -v b="$bare_rps" 'BEGIN { printf "  %s: %.2f× the bare page\n", label, r / b }'
}

echo "Tandem benchmarks, $(date -u +%F), $(nproc) cores, ${DURATION}s each, wrk on the same machine"
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$BARE_PORT/" >/dev/null && break; sleep 0.2; done
measure "bare Leptos 0.8 page (yardstick)" 32 "http://127.0.0.1:$BARE_PORT/"
bare_rps="$last_rps"
measure "SSR / (visitor)" 32 "http://127.0.0.1:$PORT/"
versus_bare "the visitor's /"
measure "SSR /sign-in (visitor)" 32 "http://127.0.0.1:$PORT/sign-in"
# What the page cache saves: the same page rendered every time (a query string bypasses the cache).
measure "SSR / uncached render" 32 "http://127.0.0.1:$PORT/?uncached=1"
# A signed-in person's home: session lookup, database queries, a personal render.
cookie="$(curl -s -D - -o /dev/null -H "Origin: http://127.0.0.1:$PORT" -H 'Content-Type: application/json' \
  -d '{"email":"mentee@example.org","password":"demo-password-1"}' \
  "http://127.0.0.1:$PORT/api/sign_in" | awk -F'[:;] *' 'tolower($1) == "set-cookie" { print $2; exit }')"
measure "SSR /home (signed in)" 32 "http://127.0.0.1:$PORT/home" -H "Cookie: $cookie"
versus_bare "the mentee's signed-in /home (budget: at least 0.25×)"
# The same home written every time: a new address per request, so the person's kept page
# (app/src/backend/infra/written.rs) never matches, as on a first visit or after a change.
cat >"$data/each.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/home?at=" .. n)
end
LUA
measure "SSR /home, written every time" 32 "http://127.0.0.1:$PORT/home" -H "Cookie: $cookie" -s "$data/each.lua"
versus_bare "the mentee's /home written every time"
# The match home (issue 4) with a year of data for the match: 3 goals, 40 progress notes,
# 50 contacts, 20 activities. The mentee's /home is their match home; the goal sheet is its own page.
# Budget: p99 <= 20 ms at 32 connections.
match_id="$(DATABASE_URL="sqlite://$data/tandem.db" TANDEM_DATA_DIR="$data" RUST_LOG=warn \
  "$target_dir/release/tandem-bench" seed-year)"
measure "SSR match home, a year of data" 32 "http://127.0.0.1:$PORT/home" -H "Cookie: $cookie"
measure "SSR goal sheet, a year of data" 32 "http://127.0.0.1:$PORT/match/$match_id/goals" -H "Cookie: $cookie"
# Apply reads the open window and renders the whole form; visitors get it from the page cache.
measure "SSR /apply (visitor)" 32 "http://127.0.0.1:$PORT/apply"
wasm="$(cd target/site/pkg && ls tandem*.wasm | grep -v '\.br$\|\.gz$' | head -n1)"
js="$(cd target/site/pkg && ls tandem*.js | grep -v '\.br$\|\.gz$' | head -n1)"
measure "static /pkg/$wasm (br)" 8 "http://127.0.0.1:$PORT/pkg/$wasm" -H 'Accept-Encoding: br'
measure "static /pkg/$js (br)" 8 "http://127.0.0.1:$PORT/pkg/$js" -H 'Accept-Encoding: br'

size() { stat -c %s "$1"; }
wasm_raw=$(size "target/site/pkg/$wasm"); js_raw=$(size "target/site/pkg/$js")
wasm_br=$(brotli -c -q 11 "target/site/pkg/$wasm" | wc -c); js_br=$(brotli -c -q 11 "target/site/pkg/$js" | wc -c)
# The main module only: each page adds its chunks (bench/bundle.sh measures what a page fetches).
printf 'WASM %s (main module): %d bytes raw, %d bytes brotli\n' "$wasm" "$wasm_raw" "$wasm_br"
printf 'JS   %s: %d bytes raw, %d bytes brotli\n' "$js" "$js_raw" "$js_br"
awk -v r=$((wasm_raw + js_raw)) -v b=$((wasm_br + js_br)) \
  'BEGIN { printf "main WASM+JS: %.1f KB raw, %.1f KB brotli (pages: bench/bundle.sh)\n", r / 1000, b / 1000 }'

# Matching (issue 3): ranking suggestions for one mentee, and the optimal proposal for a cohort of
# 500 mentees and 300 mentors (600 places), on generated applicants. Budget: proposal under 1 s.
# The same through the server's own code on each engine (load the applicants, score, assign).
"$target_dir/release/tandem-bench" matching --mentees 500 --mentors 300 --runs 5
if psql -h 127.0.0.1 -U root -d postgres -Atc 'SELECT 1' >/dev/null 2>&1; then
  pg_db="tandem_bench_$$"
  psql -h 127.0.0.1 -U root -d postgres -qc "CREATE DATABASE $pg_db"
  "$target_dir/release/tandem-bench" matching --mentees 500 --mentors 300 --runs 5 \
    --database-url "postgres://root@127.0.0.1:5432/$pg_db" | grep Postgres
  psql -h 127.0.0.1 -U root -d postgres -qc "DROP DATABASE $pg_db WITH (FORCE)"
else
  echo "PostgreSQL on 127.0.0.1:5432 not reachable: matching measured on SQLite only"
fi
