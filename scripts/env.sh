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

# rust-toolchain.toml names 1.95.0. These offline machines have it installed as "stable"; rustup
# would try to download "1.95.0" if it were missing, so give it that name when stable is 1.95.0.
tandem_toolchain="$(sed -n 's/^channel = "\(.*\)"/\1/p' "$TANDEM_ROOT/rust-toolchain.toml")"
if command -v rustup >/dev/null &&
  ! rustup toolchain list | grep -q "^$tandem_toolchain-"; then
  stable_sysroot="$(rustc +stable --print sysroot 2>/dev/null || true)"
  if [[ -n "$stable_sysroot" && "$(rustc +stable --version)" == "rustc $tandem_toolchain "* ]]; then
    ln -s "$stable_sysroot" "${RUSTUP_HOME:-$HOME/.rustup}/toolchains/$tandem_toolchain-$(basename "$stable_sysroot" | sed 's/^stable-//')"
  fi
fi
unset tandem_toolchain stable_sysroot
