#!/usr/bin/env bash
# Publishing Program News (issue 7): a generated cohort whose 2,000 participants in active
# matches each get their own issue (their own goals), handed to an SMTP server on loopback
# (server/examples/smtp_sink.rs, a separate process). For each run: the time from the publish
# request until the SMTP server has accepted every message, and the Tandem server's memory (RSS)
# before and at its peak meanwhile. Runs: SQLite and PostgreSQL without a pace limit
# (TANDEM_MAIL_PER_MINUTE high), and SQLite at the default pace of 600 a minute.
#   SKIP_BUILD=1 reuses the release build; PAIRS (default 1112, about 2,000 active participants);
#   PACED=0 skips the paced run (it takes over three minutes by design).
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$TANDEM_ROOT"

PORT="${BENCH_PORT:-3500}"
SMTP_PORT="${BENCH_SMTP_PORT:-2525}"
PAIRS="${PAIRS:-1112}"
target_dir="${CARGO_TARGET_DIR:-$TANDEM_ROOT/target}"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  scripts/setup.sh
  cargo leptos build --release --split
  cargo build --release --locked -p server --example smtp_sink
  cargo build --release --locked -p bench-tools
fi
profile="${PROFILE:-release}" # PROFILE=debug tries the script on a debug build (figures meaningless)
tandem="$target_dir/$profile/tandem"
bench_tool="$target_dir/$profile/tandem-bench"
sink="$target_dir/$profile/examples/smtp_sink"

data="$(mktemp -d)"
server_pid=""
sink_pid=""
pg_db=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  [[ -n "$sink_pid" ]] && kill "$sink_pid" 2>/dev/null || true
  [[ -n "$pg_db" ]] && psql -h 127.0.0.1 -U root -d postgres -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" || true
  rm -rf "$data"
}
trap cleanup EXIT

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

run() { # label database-url per-minute
  local label="$1" url="$2" pace="$3" seeded issue recipients cookie t0 t1 before peak now
  seeded="$(DATABASE_URL="$url" TANDEM_DATA_DIR="$data" RUST_LOG=warn "$bench_tool" seed-news --pairs "$PAIRS" | tail -n 1)"
  read -r issue recipients cookie <<<"$seeded"
  "$sink" "127.0.0.1:$SMTP_PORT" "$recipients" >"$data/sink.log" 2>&1 &
  sink_pid=$!
  DATABASE_URL="$url" TANDEM_DATA_DIR="$data" TANDEM_ADDR="127.0.0.1:$PORT" RUST_LOG=warn \
    SMTP_HOST=127.0.0.1 SMTP_PORT="$SMTP_PORT" SMTP_SECURITY=none TANDEM_MAIL_PER_MINUTE="$pace" \
    "$tandem" serve >"$data/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  before="$(rss_kb "$server_pid")"
  peak="$before"
  t0="$(date +%s.%N)"
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$PORT/api/publish_issue" \
    -H "Origin: http://127.0.0.1:$PORT" -H "Cookie: $cookie" -H 'Content-Type: application/json' \
    -d "{\"id\": $issue}"
  while kill -0 "$sink_pid" 2>/dev/null; do
    now="$(rss_kb "$server_pid")"
    (( now > peak )) && peak="$now"
    sleep 0.1
  done
  t1="$(date +%s.%N)"
  wait "$sink_pid" 2>/dev/null || true; sink_pid=""
  printf '%-34s %5d emails  %7.1f s  %7.1f /s  RSS %4d MB before, %4d MB peak\n' \
    "$label" "$recipients" "$(bc -l <<<"$t1 - $t0")" "$(bc -l <<<"$recipients / ($t1 - $t0)")" \
    $((before / 1024)) $((peak / 1024))
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

command -v bc >/dev/null || { apt-get update -qq && apt-get install -y -qq bc; }
echo "Tandem news publishing benchmark, $(date -u +%F), $(nproc) cores, SMTP on loopback"
run "SQLite, unpaced" "sqlite://$data/news1.db" 1000000
if psql -h 127.0.0.1 -U root -d postgres -Atc 'SELECT 1' >/dev/null 2>&1; then
  pg_db="tandem_news_bench_$$"
  psql -h 127.0.0.1 -U root -d postgres -qc "CREATE DATABASE $pg_db"
  run "PostgreSQL, unpaced" "postgres://root@127.0.0.1:5432/$pg_db" 1000000
  psql -h 127.0.0.1 -U root -d postgres -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)"; pg_db=""
else
  echo "PostgreSQL is not reachable on 127.0.0.1:5432; its run was skipped."
fi
if [[ "${PACED:-1}" != 0 ]]; then
  run "SQLite, default pace (600/min)" "sqlite://$data/news2.db" 600
fi
