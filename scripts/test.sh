#!/usr/bin/env bash
# Sets up and runs every check: formatting (rustfmt and leptosfmt), clippy for the server and the
# WASM builds, the Rust tests on SQLite and PostgreSQL, and the browser tests in Chromium. Each step
# prints its time.
#
#   scripts/test.sh            everything, as CI runs it
#   scripts/test.sh rust       formatting, clippy and the Rust tests (no WASM build, no browser)
#   scripts/test.sh browser    the release site, the server binary and the browser tests
#   scripts/test.sh one NAME   the Rust tests and the browser tests whose name contains NAME
#                              (builds the site only when a browser test matches)
# The full command is what CI runs (.ci/run); the others are for a developer between commits.
#
# PostgreSQL: TANDEM_TEST_POSTGRES_URL (default postgres://root@127.0.0.1:5432/test) must reach a
# server where that user may create databases; each test makes its own and drops it.
# Set CARGO_TARGET_DIR to a folder outside the clone to reuse builds between runs.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$TANDEM_ROOT"

mode="${1:-all}"
filter="${2:-}"
case "$mode" in
  all | rust | browser) ;;
  one) [[ -n "$filter" ]] || { echo "usage: scripts/test.sh one NAME" >&2; exit 2; } ;;
  *) echo "usage: scripts/test.sh [all | rust | browser | one NAME]" >&2; exit 2 ;;
esac
wants() { [[ "$mode" == all || " $* " == *" $mode "* ]]; }

started=$SECONDS
step() {
  local name="$1"; shift
  local t0=$SECONDS
  printf '\n== %s\n' "$name"
  "$@"
  printf -- '-- %s took %ds\n' "$name" $((SECONDS - t0))
}

if wants browser one; then step "setup" scripts/setup.sh --test; else step "setup" scripts/setup.sh; fi

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

# On failure, the files leptosfmt would change with their diffs (not the ✅ of every other file).
leptosfmt_check() {
  local out
  if ! out="$(leptosfmt --check app/src frontend/src 2>&1)"; then
    printf '%s\n' "$out" | grep -v '^✅'
    echo "Run: leptosfmt app/src frontend/src && cargo fmt --all" >&2
    return 1
  fi
  printf '%s\n' "$out" | tail -n 1
}

if wants rust; then
  step "rustfmt" cargo fmt --all --check
  # view! macros, which rustfmt leaves alone; rustfmt runs first and agrees with its output.
  step "leptosfmt" leptosfmt_check
  step "clippy (server)" cargo clippy -p app -p server -p test-support -p bench-tools --features app/ssr --all-targets --locked -- -D warnings
  step "clippy (wasm)" cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings
fi
# The release bundle, split by route, CSS and assets into target/site: the browser tests run on what
# a phone gets and check its size. cargo-leptos writes hash.txt (the hashed file names) beside the
# release binary; the debug binary the tests run reads it beside itself.
target_dir="${CARGO_TARGET_DIR:-$TANDEM_ROOT/target}"
site() {
  cargo leptos build --release --frontend-only --split
  mkdir -p "$target_dir/debug"
  cp "$target_dir/release/hash.txt" "$target_dir/debug/hash.txt"
}
browser_tests() {
  (cd end2end && TANDEM_BIN="$target_dir/debug/tandem" npx playwright test "$@")
}

case "$mode" in
  all)
    step "site (wasm, release, split)" site
    step "rust tests: app (sqlite + postgres)" cargo test -p app --features ssr --locked
    # Also builds target/debug/tandem, the binary the browser tests run.
    step "rust tests: server (sqlite + postgres)" cargo test -p server --locked
    step "browser tests (chromium)" browser_tests
    ;;
  rust)
    step "rust tests: app (sqlite + postgres)" cargo test -p app --features ssr --locked
    step "rust tests: server (sqlite + postgres)" cargo test -p server --locked
    ;;
  browser)
    step "site (wasm, release, split)" site
    step "server binary" cargo build -p server --locked
    step "browser tests (chromium)" browser_tests
    ;;
  one)
    step "rust tests: app matching '$filter'" cargo test -p app --features ssr --locked -- "$filter"
    step "rust tests: server matching '$filter'" cargo test -p server --locked -- "$filter"
    # grep reads the whole list: `grep -q` would stop at the first match, and with pipefail the
    # listing's broken pipe would then skip the browser tests when many match.
    if (cd end2end && npx playwright test --list -g "$filter" 2>/dev/null | grep '›' >/dev/null); then
      step "site (wasm, release, split)" site
      step "server binary" cargo build -p server --locked
      step "browser tests matching '$filter'" browser_tests -g "$filter"
    fi
    ;;
esac

printf '\nAll checks passed in %ds.\n' $((SECONDS - started))
