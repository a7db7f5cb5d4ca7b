#!/usr/bin/env bash
# Lighthouse performance scores for the pages issue 15 names: the visitors' home and Apply, a
# mentee's match home, goal sheet and chat on the mobile preset (simulated Slow 4G, CPU 4x slower),
# and the coordinators' dashboard on the desktop preset. Each page is measured RUNS times (3 by
# default) from an empty cache (Lighthouse clears storage and service workers before each run) and
# the run with the median score is printed with its metrics. Measured, not asserted: the figures
# go to bench/README.md.
#   bench/lighthouse.sh                   builds the release site (split by route) if needed
#   SKIP_BUILD=1 RUNS=5 bench/lighthouse.sh   reuses the build; five runs a page
#   SKIP_BUILD=1 TANDEM_BIN=target/debug/tandem bench/lighthouse.sh   the site as built, served by
#     another build of the server (the bundle is what is measured; a render takes milliseconds)
# Lighthouse is installed from bench/lighthouse/package.json (12.x: 13 needs Node 22), not by the
# test command. Everything it loads comes from a server on 127.0.0.1 that this script starts and stops.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$TANDEM_ROOT"

RUNS="${RUNS:-3}"
PORT="${BENCH_PORT:-3500}"
target_dir="${CARGO_TARGET_DIR:-$TANDEM_ROOT/target}"
base="http://127.0.0.1:$PORT"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  scripts/setup.sh --test
  cargo leptos build --release --split
fi
if [[ ! -x bench/lighthouse/node_modules/.bin/lighthouse ||
  bench/lighthouse/package-lock.json -nt bench/lighthouse/node_modules/.installed ]]; then
  (cd bench/lighthouse && npm ci --no-audit --no-fund && touch node_modules/.installed)
fi

data="$(mktemp -d)"
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$data"' EXIT
DATABASE_URL="sqlite://$data/tandem.db" TANDEM_DATA_DIR="$data" TANDEM_ADDR="127.0.0.1:$PORT" RUST_LOG=warn \
  "${TANDEM_BIN:-$target_dir/release/tandem}" serve --demo >"$data/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "$base/healthz" >/dev/null || { cat "$data/server.log"; exit 1; }

# The demo coordinator's current two-step code, from the key the demo prints (RFC 6238).
demo_code() {
  python3 -c 'import base64,hashlib,hmac,struct,sys,time
h = hmac.new(base64.b32decode(sys.argv[1]), struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
o = h[-1] & 15
print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7fffffff) % 1000000))' TANDEMDEMOCOORDINATORTOTPSECRETX
}

# A session cookie for a demo account, through the sign-in server functions (the coordinator's
# second step with the demo's code).
session_of() {
  local jar answer
  jar="$(mktemp)"
  answer="$(curl -s -c "$jar" -H "Origin: $base" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"demo-password-1\"}" "$base/api/sign_in")"
  if [[ "$answer" == '"CodeNeeded"' ]]; then
    curl -s -b "$jar" -c "$jar" -o /dev/null -H "Origin: $base" -H 'Content-Type: application/json' \
      -d "{\"code\":\"$(demo_code)\"}" "$base/api/sign_in_second_factor"
  fi
  awk -F'\t' '$6 == "tandem_session" { print $6 "=" $7 }' "$jar"
  rm -f "$jar"
}
mentee="$(session_of mentee@example.org)"
coordinator="$(session_of coordinator@example.org)"
match_id="$(curl -fs -H "Cookie: $mentee" "$base/home" | grep -o '/match/[0-9]*' | head -n1 | grep -o '[0-9]\+')"
[[ -n "$mentee" && -n "$coordinator" && -n "$match_id" ]] || { echo "could not sign in the demo accounts"; exit 1; }

chrome_flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --disable-quic --no-first-run"
# label, path, preset (mobile or desktop), cookie
pages=(
  "home|/|mobile|"
  "apply|/apply|mobile|"
  "match home|/match/$match_id|mobile|$mentee"
  "goal sheet|/match/$match_id/goals|mobile|$mentee"
  "chat|/match/$match_id/chat|mobile|$mentee"
  "dashboard|/coordinator/dashboard|desktop|$coordinator"
)
out="$data/lighthouse"
mkdir -p "$out"
echo "Lighthouse $(bench/lighthouse/node_modules/.bin/lighthouse --version), $(/usr/bin/chromium --version 2>/dev/null), $(date -u +%F), $(nproc) cores, median of $RUNS runs"
for entry in "${pages[@]}"; do
  IFS='|' read -r label path preset cookie <<<"$entry"
  args=(--quiet --output=json --only-categories=performance "--chrome-flags=$chrome_flags")
  [[ "$preset" == desktop ]] && args+=(--preset=desktop)
  [[ -n "$cookie" ]] && args+=("--extra-headers={\"Cookie\":\"$cookie\"}")
  for run in $(seq 1 "$RUNS"); do
    CHROME_PATH=/usr/bin/chromium bench/lighthouse/node_modules/.bin/lighthouse "$base$path" "${args[@]}" \
      --output-path="$out/${label// /_}-$run.json" 2>>"$data/lighthouse.log" ||
      { tail -n 20 "$data/lighthouse.log"; exit 1; }
  done
  node bench/lighthouse/summary.mjs "$label ($preset)" "$out/${label// /_}"-*.json
done
