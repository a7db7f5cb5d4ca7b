#!/usr/bin/env bash
# The dashboard benchmark (issue 6): a generated cohort (`tandem-bench seed-dashboard`: 2,000
# participants, 1,000 matches, 200,000 messages, 20,000 contacts, 3,000 goals), then the same at
# ten times the data, on SQLite and on PostgreSQL. For each: the dashboard page and the matches
# table rendered on the server for a signed-in coordinator, wrk with 8 connections from the same
# machine. Budgets: dashboard p50 <= 50 ms and p99 <= 150 ms; ten times the data no more than
# two times slower.   DURATION (default 10 s), SKIP_BUILD=1 to reuse the release build, PG_SCALES
# (default "1 10") to run fewer PostgreSQL scales.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$TANDEM_ROOT"

DURATION="${DURATION:-10}"
PORT="${BENCH_PORT:-3400}"
target_dir="${CARGO_TARGET_DIR:-$TANDEM_ROOT/target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  scripts/setup.sh
  cargo leptos build --release --split
  cargo build --release --locked -p bench-tools
fi
tandem="$target_dir/release/tandem"
bench_tool="$target_dir/release/tandem-bench"

data="$(mktemp -d)"
server_pid=""
pg_db=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  [[ -n "$pg_db" ]] && psql -h 127.0.0.1 -U root -d postgres -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" || true
  rm -rf "$data"
}
trap cleanup EXIT

measure() { # label url cookie
  local out rps p50 p99 errors
  out="$(wrk -t2 -c8 -d"${DURATION}s" --latency -H "Cookie: $3" "$2")"
  rps="$(awk '/Requests\/sec/ { print $2 }' <<<"$out")"
  p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
  p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)"
  printf '%-46s %9s req/s  p50 %8s  p99 %8s  %s\n' "$1" "$rps" "$p50" "$p99" "$errors"
}

run() { # engine-label url scale
  local label="$1" url="$2" scale="$3" seeded cohort cookie t0
  t0=$SECONDS
  # The last line is the answer (a slow-statement warning may come before it).
  seeded="$(DATABASE_URL="$url" TANDEM_DATA_DIR="$data" RUST_LOG=warn "$bench_tool" seed-dashboard --scale "$scale" | tail -n 1)"
  cohort="${seeded%% *}"; cookie="${seeded#* }"
  echo "-- $label, scale $scale (seeded in $((SECONDS - t0)) s)"
  DATABASE_URL="$url" TANDEM_DATA_DIR="$data" TANDEM_ADDR="127.0.0.1:$PORT" RUST_LOG=warn \
    "$tandem" serve >"$data/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  measure "dashboard (cohort)" "http://127.0.0.1:$PORT/coordinator/dashboard?cohort=$cohort" "$cookie"
  measure "matches table (cohort, needs attention)" "http://127.0.0.1:$PORT/coordinator/matches?cohort=$cohort&flag=any" "$cookie"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

echo "Tandem dashboard benchmark, $(date -u +%F), $(nproc) cores, ${DURATION}s each, wrk -c8 on the same machine"
run "SQLite" "sqlite://$data/scale1.db" 1
run "SQLite" "sqlite://$data/scale10.db" 10
if psql -h 127.0.0.1 -U root -d postgres -Atc 'SELECT 1' >/dev/null 2>&1; then
  for scale in ${PG_SCALES:-1 10}; do
    pg_db="tandem_dash_bench_$$_$scale"
    psql -h 127.0.0.1 -U root -d postgres -qc "CREATE DATABASE $pg_db"
    run "PostgreSQL" "postgres://root@127.0.0.1:5432/$pg_db" "$scale"
    psql -h 127.0.0.1 -U root -d postgres -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)"; pg_db=""
  done
else
  echo "PostgreSQL is not reachable on 127.0.0.1:5432; its runs were skipped."
fi
