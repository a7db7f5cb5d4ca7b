#!/usr/bin/env bash
# Paint and interactivity in Chromium under Lighthouse's throttling, first and repeat visits: FCP,
# LCP (and the element it picked), CLS and the moment hydration ends, for the visitors' and a
# participant's pages on a throttled phone and the dashboard on the desktop preset; and a client
# navigation between a participant's pages (click to painted, cold and fetched ahead). Measured,
# not asserted: end2end/bench/vitals.spec.ts prints the figures bench/README.md quotes.
#   bench/vitals.sh                 builds the release site (split by route) if needed, then measures
#   SKIP_BUILD=1 RUNS=5 bench/vitals.sh   reuses the build; five visits per page and kind
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
  npx playwright test --config bench.config.ts --reporter=list
