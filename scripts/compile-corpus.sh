#!/usr/bin/env bash
# Trunk pre_build hook: compiles corpus/ into $TRUNK_STAGING_DIR/bundle.json
# and its app pack bundle.pack (what the app loads first; above 8 MB a head,
# with its shards in shards/) with the native `folio` CLI. FOLIO_CORPUS
# overrides the inputs (a space-separated list of files; set and empty: no
# corpus); FOLIO_PACK_LAYOUT (auto, single, sharded; default auto) and
# FOLIO_SHARD_SIZE (bytes, see `folio compile --help`) how the pack is cut.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TRUNK_STAGING_DIR:?run by trunk as a pre_build hook}"

# The wasm build may run with build-std settings; the native compiler must not.
unset RUSTC_BOOTSTRAP CARGO_UNSTABLE_BUILD_STD CARGO_BUILD_TARGET CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT \
      CARGO_PROFILE_WASM_RELEASE_PANIC RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
cargo_bin="${FOLIO_NATIVE_CARGO:-cargo}"

# FOLIO_CORPUS set but empty, or no corpus/ files: a site with no corpus of
# its own (an empty explorer that asks for a file); scripts/post-build.mjs
# marks its index.html so the app does not take it for a broken deploy.
shopt -s nullglob
# shellcheck disable=SC2206
inputs=(${FOLIO_CORPUS-corpus/*})
if [ ${#inputs[@]} -eq 0 ]; then
  echo "compile-corpus: no corpus files: building a site with no corpus of its own" >&2
  exit 0
fi
"$cargo_bin" run --quiet --release --bin folio -- compile "${inputs[@]}" --out "$TRUNK_STAGING_DIR/bundle.json" \
  --pack "$TRUNK_STAGING_DIR/bundle.pack" --pack-layout "${FOLIO_PACK_LAYOUT:-auto}" \
  ${FOLIO_SHARD_SIZE:+--shard-size "$FOLIO_SHARD_SIZE"}
chmod 644 "$TRUNK_STAGING_DIR/bundle.json" "$TRUNK_STAGING_DIR/bundle.pack"
if [ -d "$TRUNK_STAGING_DIR/shards" ]; then chmod -R a+rX "$TRUNK_STAGING_DIR/shards"; fi
