#!/usr/bin/env bash
# Installs what building Tandem needs and the machine lacks. Safe to run again: each step is
# skipped when its tool is already there at the right version.
#   scripts/setup.sh          build tools (WASM target, cargo-leptos, wasm-bindgen CLI, leptosfmt,
#                             npm tools)
#   scripts/setup.sh --test   the same, plus Chromium for the browser tests and Java for the Nu checker
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$TANDEM_ROOT"

want_test=false
[[ "${1:-}" == "--test" ]] && want_test=true
say() { printf '\n== %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(cargo leptos --version 2>/dev/null || true)" != *"0.3.10"* ]]; then
  say "Installing cargo-leptos 0.3.10 (about 20 minutes on 2 cores, once)"
  # no_downloads: use the tools on PATH instead of fetching binaries these machines cannot reach.
  cargo install cargo-leptos@0.3.10 --locked --features no_downloads
fi

bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]]; then
  say "Installing wasm-bindgen-cli $bindgen_version (must equal the crate in Cargo.lock)"
  # Not --locked: a locked dependency of 0.2.130 is missing from the registry.
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

# The formatter of view! macros, which `scripts/test.sh rust` checks (settings in leptosfmt.toml).
if [[ "$(leptosfmt --version 2>/dev/null || true)" != "leptosfmt 0.1.33" ]]; then
  say "Installing leptosfmt 0.1.33 (about 2 minutes, once)"
  cargo install leptosfmt --version 0.1.33 --locked
fi

if [[ ! -x end2end/node_modules/.bin/wasm-opt || end2end/package.json -nt end2end/node_modules/.installed ]]; then
  say "Installing npm tools (wasm-opt from binaryen, Playwright, axe-core)"
  (cd end2end && npm ci --no-audit --no-fund && touch node_modules/.installed)
fi

if $want_test && [[ ! -x /usr/bin/chromium ]]; then
  say "Installing Debian's Chromium for the browser tests"
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && apt-get install -y -qq chromium
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium
  fi
fi
# The Nu Html Checker (npm vnu-jar, html_valid.spec.ts) runs on Java.
if $want_test && ! command -v java >/dev/null; then
  say "Installing a Java runtime for the Nu Html Checker"
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && apt-get install -y -qq default-jre-headless
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq default-jre-headless
  fi
fi
echo "Setup complete."
