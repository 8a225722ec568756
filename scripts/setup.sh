#!/usr/bin/env bash
# Installs what Folio needs and is missing. Idempotent: when everything is
# present it only checks versions (a few seconds).
#
#   scripts/setup.sh build   toolchain for building and serving the app
#   scripts/setup.sh test    the above, plus Chromium and the browser-test packages
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
mode="${1:-build}"
cd "$FOLIO_ROOT"

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must match the wasm-bindgen crate exactly.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  folio_log "installing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -q >/dev/null || true
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}" >/dev/null
}

cargo_tool() { # name version crate [extra cargo install args...]
  local bin="$1" version="$2" crate="$3"; shift 3
  if "$bin" --version 2>/dev/null | grep -q -- " $version"; then return 0; fi
  folio_log "installing $crate $version (a few minutes, once)"
  "$FOLIO_NATIVE_CARGO" install "$crate" --version "=$version" "$@"
}

# Node runs the build's post-build step and the browser tests.
command -v node >/dev/null || apt_install nodejs npm
if ! folio_has_rustup_wasm; then
  apt_install rustc-web cargo-web rust-web-src lld-22
fi
# Trunk builds with --offline: fetch the crates first (std's own for build-std).
"$FOLIO_NATIVE_CARGO" fetch --locked --quiet
if ! folio_has_rustup_wasm; then
  PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 cargo fetch --quiet \
    --manifest-path /usr/lib/rustlib/src/rust/library/Cargo.toml
fi
cargo_tool trunk "$TRUNK_VERSION" trunk --locked
# Not --locked: one of its locked dependencies was yanked (see TOOLCHAIN notes).
cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen-cli

if [ "$mode" = test ]; then
  apt_install chromium chromium-driver
  stamp=tests/e2e/node_modules/.folio-lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s tests/e2e/package-lock.json "$stamp"; then
    folio_log "installing browser-test packages (npm ci)"
    (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    cp tests/e2e/package-lock.json "$stamp"
  fi
fi
folio_log "setup complete ($mode)"
