#!/usr/bin/env bash
# Sets up, builds the release site, and runs Tandem with demo data on SQLite at
# http://127.0.0.1:3000 (or TANDEM_ADDR). The database lives in data/tandem.db; demo data is loaded
# only when it is empty. With no SMTP_HOST, emails are written to data/outbox/.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$TANDEM_ROOT"
scripts/setup.sh
printf '\n== Building the release site (about 15 minutes the first time)\n'
cargo leptos build --release --split
target_dir="${CARGO_TARGET_DIR:-$TANDEM_ROOT/target}"
exec "$target_dir/release/tandem" serve --demo
