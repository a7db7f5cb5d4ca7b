#!/usr/bin/env bash
# Prints what a phone downloads under /pkg/ (brotli bytes on the wire, from an empty cache) for
# each landing page and for a participant's whole session, measured in Chromium against the
# release build: the browser test end2end/tests/bundle.spec.ts, which also holds the budgets.
#   bench/bundle.sh            builds the release site (split by route) if needed, then measures
#   SKIP_BUILD=1 bench/bundle.sh   reuses the release build
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$TANDEM_ROOT"
target_dir="${CARGO_TARGET_DIR:-$TANDEM_ROOT/target}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  scripts/setup.sh --test
  cargo leptos build --release --split
fi
cd end2end
TANDEM_BIN="$target_dir/release/tandem" TANDEM_E2E_PORT="${BENCH_PORT:-3400}" \
  npx playwright test bundle --project=phone --reporter=list
