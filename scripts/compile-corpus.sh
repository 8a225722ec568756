#!/usr/bin/env bash
# Trunk pre_build hook: compiles corpus/ into $TRUNK_STAGING_DIR/bundle.json
# and its app pack bundle.pack (what the app loads first) with the native
# `folio` CLI. FOLIO_CORPUS overrides the inputs (a
# space-separated list of files).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TRUNK_STAGING_DIR:?run by trunk as a pre_build hook}"

# The wasm build may run with build-std settings; the native compiler must not.
unset RUSTC_BOOTSTRAP CARGO_UNSTABLE_BUILD_STD CARGO_BUILD_TARGET CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT \
      CARGO_PROFILE_RELEASE_PANIC RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
cargo_bin="${FOLIO_NATIVE_CARGO:-cargo}"

# shellcheck disable=SC2206
inputs=(${FOLIO_CORPUS:-corpus/*})
"$cargo_bin" run --quiet --release --bin folio -- compile "${inputs[@]}" --out "$TRUNK_STAGING_DIR/bundle.json" \
  --pack "$TRUNK_STAGING_DIR/bundle.pack"
chmod 644 "$TRUNK_STAGING_DIR/bundle.json" "$TRUNK_STAGING_DIR/bundle.pack"
