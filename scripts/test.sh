#!/usr/bin/env bash
# Sets up and runs every check: formatting, clippy for the server and the WASM builds, the Rust
# tests on SQLite and PostgreSQL, and the browser tests in Chromium. Each step prints its time.
#
# PostgreSQL: TANDEM_TEST_POSTGRES_URL (default postgres://root@127.0.0.1:5432/test) must reach a
# server where that user may create databases; each test makes its own and drops it.
# Set CARGO_TARGET_DIR to a folder outside the clone to reuse builds between runs.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$TANDEM_ROOT"

started=$SECONDS
step() {
  local name="$1"; shift
  local t0=$SECONDS
  printf '\n== %s\n' "$name"
  "$@"
  printf -- '-- %s took %ds\n' "$name" $((SECONDS - t0))
}

step "setup" scripts/setup.sh --test

export TANDEM_TEST_POSTGRES_URL="${TANDEM_TEST_POSTGRES_URL:-postgres://root@127.0.0.1:5432/test}"
export TANDEM_REQUIRE_POSTGRES=1
postgres_ready() {
  if ! pg_isready -q -d "$TANDEM_TEST_POSTGRES_URL" 2>/dev/null; then
    echo "PostgreSQL is not answering; trying to start the local cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -d "$TANDEM_TEST_POSTGRES_URL" && break; sleep 1; done
  fi
  pg_isready -d "$TANDEM_TEST_POSTGRES_URL"
  # Databases left by an earlier run that was killed mid-test.
  psql -q -d "$TANDEM_TEST_POSTGRES_URL" -Atc \
    "SELECT datname FROM pg_database WHERE datname LIKE 'tandem\_test\_%'" |
    while read -r db; do psql -q -d "$TANDEM_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"; done
}
step "postgres" postgres_ready

step "rustfmt" cargo fmt --all --check
step "clippy (server)" cargo clippy -p app -p server --features app/ssr --all-targets --locked -- -D warnings
step "clippy (wasm)" cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings
# The release bundle, split by route, CSS and assets into target/site: the browser tests run on what
# a phone gets and check its size. cargo-leptos writes hash.txt (the hashed file names) beside the
# release binary; the debug binary the tests run reads it beside itself.
target_dir="${CARGO_TARGET_DIR:-$TANDEM_ROOT/target}"
site() {
  cargo leptos build --release --frontend-only --split
  mkdir -p "$target_dir/debug"
  cp "$target_dir/release/hash.txt" "$target_dir/debug/hash.txt"
}
step "site (wasm, release, split)" site
step "rust tests: app (sqlite + postgres)" cargo test -p app --features ssr --locked
# Also builds target/debug/tandem, the binary the browser tests run.
step "rust tests: server (sqlite + postgres)" cargo test -p server --locked

browser_tests() {
  (cd end2end && TANDEM_BIN="$target_dir/debug/tandem" npx playwright test)
}
step "browser tests (chromium)" browser_tests

printf '\nAll checks passed in %ds.\n' $((SECONDS - started))
