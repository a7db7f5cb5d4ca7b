#!/usr/bin/env bash
# The chat benchmark (issue 5): websocket clients on loopback against a release `tandem serve`,
# on SQLite and on PostgreSQL, with the load generator (server/examples/chat_load.rs) on the
# same machine. Prints, per engine:
#   - delivery latency (send_message call to the partner's socket) with 1,000 connected clients
#     in 500 matches and 100 messages/s in total (budget p99 <= 50 ms);
#   - the server's resident memory holding 10,000 idle live connections (budget <= 500 MB), five
#     per session (each person has two sessions; the server allows six sockets a session), the
#     bytes each costs, and the delivery latency above again while they are held;
#   - a signed-in participant's /home (wrk, 32 connections, 10 s): alone, while the 10,000 idle
#     connections are held, and while they are held and the chat load runs (budget: p99
#     unchanged within noise);
#   - on PostgreSQL, delivery across two instances: sent through one, received on the other
#     (budget p99 <= 150 ms).
#   SECONDS_PER_RUN (default 30), SKIP_BUILD=1 to reuse the release build.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$TANDEM_ROOT"

RUN_SECONDS="${SECONDS_PER_RUN:-30}"
PORT="${BENCH_PORT:-3300}"
target_dir="${CARGO_TARGET_DIR:-$TANDEM_ROOT/target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  cargo build --release --locked -p server --bin tandem --example chat_load
fi
tandem="$target_dir/release/tandem"
load="$target_dir/release/examples/chat_load"
# 10,000 sockets on each side of loopback (each process needs a little over 10,000 descriptors).
ulimit -n "$(ulimit -Hn)"
if [[ "$(ulimit -n)" != unlimited && "$(ulimit -n)" -lt 10100 ]]; then
  echo "The open-files limit is $(ulimit -n); 10,000 idle sockets need about 10,100." >&2
  exit 1
fi

data="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$data"; }
trap cleanup EXIT

start_server() { # url port -> pid in $server_pid
  local url="$1" port="$2"
  DATABASE_URL="$url" TANDEM_DATA_DIR="$data" TANDEM_ADDR="127.0.0.1:$port" RUST_LOG=warn \
    "$tandem" serve >>"$data/server-$port.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.2; done
  cat "$data/server-$port.log"; exit 1
}

rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# Opens 10,000 idle live connections (as 10,000 signed-in tabs on any page: hello, the badge,
# nothing more) and holds them in the background; prints the server's memory before and with
# them, and the bytes each one costs.
idle_start() { # label pid port pairs -> idle_pid
  local label="$1" pid="$2" port="$3" pairs="$4"
  local before_kb; before_kb="$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")"
  "$load" idle --socket-base "http://127.0.0.1:$port" --pairs "$pairs" --sockets 10000 >"$data/idle.out" 2>&1 &
  idle_pid=$!
  for _ in $(seq 1 600); do grep -q READY "$data/idle.out" && break; kill -0 "$idle_pid" 2>/dev/null || break; sleep 0.5; done
  grep READY "$data/idle.out" || { cat "$data/idle.out"; kill "$idle_pid"; exit 1; }
  sleep 3
  local with_kb; with_kb="$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")"
  awk -v label="$label" -v b="$before_kb" -v w="$with_kb" 'BEGIN {
    printf "%-11s server RSS: %.1f MB before, %.1f MB holding 10,000 idle sockets (budget 500 MB): %d bytes each\n",
      label, b / 1024, w / 1024, (w - b) * 1024 / 10000 }' 
}

# /home for the first pair's mentee, as bench/run.sh measures it: requests/s, p50, p99.
home_load() { # label port pairs
  local cookie; cookie="$(awk 'NR == 1 { print $3 }' "$3")"
  wrk -t2 -c32 -d10s --latency -H "Cookie: $cookie" "http://127.0.0.1:$2/home" | awk -v label="$1" '
    /Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    /Non-2xx|Socket errors/ { errors = errors " " $0 }
    END { printf "%-58s %9s req/s  p50 %8s  p99 %8s%s\n", label, rps, p50, p99, errors }'
}

# The chat load in the background while /home is measured; its figures print when it ends.
home_during_chat() { # label port pairs
  "$load" live --send-base "http://127.0.0.1:$2" --pairs "$3" --rate 100 --seconds 12 >"$data/live.out" 2>&1 &
  local live_pid=$!
  sleep 1
  home_load "$1" "$2" "$3"
  wait "$live_pid" || { cat "$data/live.out"; exit 1; }
  sed 's/^/    chat load meanwhile: /' "$data/live.out"
}

idle_stop() { kill "$idle_pid"; wait "$idle_pid" 2>/dev/null || true; }

echo "Tandem chat benchmark, $(date -u +%F), $(nproc) cores, ${RUN_SECONDS}s of load per run"

# SQLite: one instance.
sqlite_url="sqlite://$data/chat.db"
"$load" seed --database-url "$sqlite_url" --matches 500 --sessions 2 --out "$data/pairs-sqlite.txt"
start_server "$sqlite_url" "$PORT"; sqlite_pid=$server_pid
curl -fs -o /dev/null -H "Cookie: $(awk 'NR == 1 { print $3 }' "$data/pairs-sqlite.txt")" "http://127.0.0.1:$PORT/home"
home_load "SQLite      /home, nothing else running" "$PORT" "$data/pairs-sqlite.txt"
echo "-- SQLite, one instance: 1,000 chat clients in 500 matches, 100 messages/s"
"$load" live --send-base "http://127.0.0.1:$PORT" --pairs "$data/pairs-sqlite.txt" --rate 100 --seconds "$RUN_SECONDS"
idle_start "SQLite" "$sqlite_pid" "$PORT" "$data/pairs-sqlite.txt"
echo "-- SQLite, the same with 10,000 idle live connections held"
"$load" live --send-base "http://127.0.0.1:$PORT" --pairs "$data/pairs-sqlite.txt" --rate 100 --seconds "$RUN_SECONDS"
printf 'SQLite      server RSS after the run with the idle sockets: %s MB (budget 500 MB)\n' "$(rss_mb "$sqlite_pid")"
home_load "SQLite      /home, 10,000 idle connections held" "$PORT" "$data/pairs-sqlite.txt"
home_during_chat "SQLite      /home, 10,000 held and 100 messages/s" "$PORT" "$data/pairs-sqlite.txt"
idle_stop
kill "$sqlite_pid"; wait "$sqlite_pid" 2>/dev/null || true

# PostgreSQL: one instance, then two on one database.
if psql -h 127.0.0.1 -U root -d postgres -Atc 'SELECT 1' >/dev/null 2>&1; then
  pg_db="tandem_chat_bench_$$"
  psql -h 127.0.0.1 -U root -d postgres -qc "CREATE DATABASE $pg_db"
  trap 'cleanup; psql -h 127.0.0.1 -U root -d postgres -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)"' EXIT
  pg_url="postgres://root@127.0.0.1:5432/$pg_db"
  "$load" seed --database-url "$pg_url" --matches 500 --sessions 2 --out "$data/pairs-pg.txt"
  start_server "$pg_url" "$PORT"; pg_a=$server_pid
  curl -fs -o /dev/null -H "Cookie: $(awk 'NR == 1 { print $3 }' "$data/pairs-pg.txt")" "http://127.0.0.1:$PORT/home"
  home_load "PostgreSQL  /home, nothing else running" "$PORT" "$data/pairs-pg.txt"
  echo "-- PostgreSQL, one instance: 1,000 chat clients in 500 matches, 100 messages/s"
  "$load" live --send-base "http://127.0.0.1:$PORT" --pairs "$data/pairs-pg.txt" --rate 100 --seconds "$RUN_SECONDS"
  idle_start "PostgreSQL" "$pg_a" "$PORT" "$data/pairs-pg.txt"
  echo "-- PostgreSQL, the same with 10,000 idle live connections held"
  "$load" live --send-base "http://127.0.0.1:$PORT" --pairs "$data/pairs-pg.txt" --rate 100 --seconds "$RUN_SECONDS"
  printf 'PostgreSQL  server RSS after the run with the idle sockets: %s MB (budget 500 MB)\n' "$(rss_mb "$pg_a")"
  home_load "PostgreSQL  /home, 10,000 idle connections held" "$PORT" "$data/pairs-pg.txt"
  home_during_chat "PostgreSQL  /home, 10,000 held and 100 messages/s" "$PORT" "$data/pairs-pg.txt"
  idle_stop
  start_server "$pg_url" "$((PORT + 1))"
  echo "-- PostgreSQL, two instances: sent through :$PORT, received on :$((PORT + 1))"
  "$load" live --send-base "http://127.0.0.1:$PORT" --socket-base "http://127.0.0.1:$((PORT + 1))" \
    --pairs "$data/pairs-pg.txt" --rate 100 --seconds "$RUN_SECONDS"
else
  echo "PostgreSQL is not reachable on 127.0.0.1:5432; its runs were skipped."
fi
