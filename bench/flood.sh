#!/usr/bin/env bash
# The sign-in flood (issue 17, item 3): 200 sign-ins in flight at all times against a release
# `tandem serve` on SQLite, each for an unknown email from an address of its own behind a trusted
# proxy, so every one reaches the password hash. Prints the server's resident memory before and
# at its peak (budget: grows by less than 200 MB), `/healthz` latency during the flood (budget:
# p99 under 100 ms), and sign-ins checked per second at the hashing bound.
#   FLOOD_SECONDS (default 20), FLOOD_CLIENTS (default 200), SKIP_BUILD=1 to reuse the build.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$TANDEM_ROOT"

SECONDS_OF_FLOOD="${FLOOD_SECONDS:-20}"
CLIENTS="${FLOOD_CLIENTS:-200}"
PORT="${BENCH_PORT:-3400}"
target_dir="${CARGO_TARGET_DIR:-$TANDEM_ROOT/target}"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  cargo build --release --locked -p server --bin tandem --example sign_in_flood
fi
ulimit -n "$(ulimit -Hn)"

data="$(mktemp -d)"
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$data"' EXIT
DATABASE_URL="sqlite://$data/tandem.db" TANDEM_DATA_DIR="$data" TANDEM_ADDR="127.0.0.1:$PORT" \
  TANDEM_TRUSTED_PROXIES=127.0.0.1 RUST_LOG=error \
  "$target_dir/release/tandem" serve >"$data/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$data/server.log"; exit 1; }

kb() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$server_pid/status"; }
echo "Tandem sign-in flood, $(date -u +%F), $(nproc) cores, $CLIENTS sign-ins in flight for ${SECONDS_OF_FLOOD}s"
before="$(kb VmRSS)"
"$target_dir/release/examples/sign_in_flood" --base "http://127.0.0.1:$PORT" \
  --clients "$CLIENTS" --seconds "$SECONDS_OF_FLOOD"
peak="$(kb VmHWM)"
after="$(kb VmRSS)"
awk -v b="$before" -v p="$peak" -v a="$after" 'BEGIN {
  printf "server RSS: %.1f MB before, %.1f MB at peak (+%.1f MB, budget +200 MB), %.1f MB after\n",
    b / 1024, p / 1024, (p - b) / 1024, a / 1024 }'
