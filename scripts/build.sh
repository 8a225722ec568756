#!/usr/bin/env bash
# Builds the static site into dist/ (release). Extra arguments go to trunk.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
bash "$FOLIO_ROOT/scripts/setup.sh" build
cd "$FOLIO_ROOT"
folio_wasm_env
folio_log "building dist/ with trunk ($FOLIO_WASM_TOOLCHAIN toolchain)"
trunk build --release "$@"
