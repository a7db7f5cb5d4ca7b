# Sourced by the other scripts: one place for the build environment.
# shellcheck shell=bash
TANDEM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TANDEM_ROOT
export PATH="$HOME/.cargo/bin:$TANDEM_ROOT/end2end/node_modules/.bin:$PATH"
# The same LEPTOS_* values cargo-leptos sets for its builds: leptos reads LEPTOS_OUTPUT_NAME at
# compile time, so plain `cargo test` builds must see it too or they would rebuild the crates.
export LEPTOS_OUTPUT_NAME=tandem
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_HASH_FILES=true
export LEPTOS_HASH_FILE_NAME=hash.txt
