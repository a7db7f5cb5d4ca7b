#!/usr/bin/env bash
# What a page costs in instructions: the same figure on every run, however busy the machine.
# A 2-core VM's requests/s move by 30% between runs; callgrind counts the instructions the server
# executes (all its threads, SQLite's included), which do not move, so two builds can be compared
# one after the other. It does not count the kernel's work (task switches, the network), which
# `bench/profile.sh` and `bench/run.sh` see.
#   bench/instructions.sh                      /home, the bare page, for the demo mentee
#   PAGES="/home /match/1/goals" bench/instructions.sh
#   TANDEM_BIN=/path/to/tandem bench/instructions.sh   another build (its hash.txt beside it)
#   PAGES="/home /home?at={n}" bench/instructions.sh   {n} is each request's number: an address
#                                                       per request, so a person's kept page
#                                                       (infra::written) is written every time
# Prints instructions per request for each page, the bare Leptos page's, and the ratio. Needs the
# release build (bench/run.sh builds it; SKIP_BUILD=1 uses the one there is) and valgrind.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$TANDEM_ROOT"

PAGES="${PAGES:-/home}"
N="${REQUESTS:-100}"
PORT="${BENCH_PORT:-3202}"
BARE_PORT="${BENCH_BARE_PORT:-3298}"
target_dir="${CARGO_TARGET_DIR:-$TANDEM_ROOT/target}"
bin="${TANDEM_BIN:-$target_dir/release/tandem}"
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  scripts/setup.sh
  cargo leptos build --release --split
  cargo build --release --locked -p bench-tools
fi

data="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$data"' EXIT
wait_for() { for _ in $(seq 1 600); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done; return 1; }

# Instructions per request of $3 against the callgrind process $1 writing to $data/$2.out (with
# curl's extra arguments after): 20 requests to warm its caches, the counters zeroed, $N
# requests, the counters dumped.
count() {
  local pid=$1 out=$2 url=$3; shift 3
  for i in $(seq 1 20); do curl -fs -o /dev/null "$@" "${url//\{n\}/w$i}"; done
  callgrind_control -z "$pid" >/dev/null 2>&1
  for i in $(seq 1 "$N"); do curl -fs -o /dev/null "$@" "${url//\{n\}/$i}"; done
  rm -f "$data/$out".out.*
  callgrind_control -d "$pid" >/dev/null 2>&1
  sleep 1
  local total
  total=$(callgrind_annotate "$(ls "$data/$out".out.* | head -1)" 2>/dev/null |
    awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
  echo $((total / N))
}

# The demo database and a signed-in session, made at full speed; the server under callgrind then
# serves them (seeding hashes passwords, which would take minutes under valgrind).
export DATABASE_URL="sqlite://$data/tandem.db" TANDEM_DATA_DIR="$data" TANDEM_ADDR="127.0.0.1:$PORT" RUST_LOG=warn
"$bin" serve --demo >"$data/seed.log" 2>&1 &
seed_pid=$!
pids+=("$seed_pid")
wait_for "http://127.0.0.1:$PORT/healthz" || { cat "$data/seed.log"; exit 1; }
cookie="$(curl -s -D - -o /dev/null -H "Origin: http://127.0.0.1:$PORT" -H 'Content-Type: application/json' \
  -d '{"email":"mentee@example.org","password":"demo-password-1"}' \
  "http://127.0.0.1:$PORT/api/sign_in" | awk -F'[:;] *' 'tolower($1) == "set-cookie" { print $2; exit }')"
kill "$seed_pid"; wait "$seed_pid" 2>/dev/null || true

valgrind -q --tool=callgrind --callgrind-out-file="$data/cg.out" "$bin" serve >"$data/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
wait_for "http://127.0.0.1:$PORT/healthz" || { cat "$data/server.log"; exit 1; }
RUST_LOG=warn valgrind -q --tool=callgrind --callgrind-out-file="$data/bare.out" \
  "$target_dir/release/tandem-bench" bare-page --addr "127.0.0.1:$BARE_PORT" >"$data/bare.log" 2>&1 &
bare_pid=$!
pids+=("$bare_pid")
wait_for "http://127.0.0.1:$BARE_PORT/" || { cat "$data/bare.log"; exit 1; }

bare=$(count "$bare_pid" bare "http://127.0.0.1:$BARE_PORT/")
echo "bare Leptos page: $bare instructions/request (one connection per request, as below)"
for page in $PAGES; do
  n=$(count "$server_pid" cg "http://127.0.0.1:$PORT$page" -H "Cookie: $cookie")
  echo "$page: $n instructions/request ($(awk -v a="$n" -v b="$bare" 'BEGIN { printf "%.1f", a / b }')× the bare page)"
done
