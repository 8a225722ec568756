#!/usr/bin/env bash
# Builds the site (scripts/build.sh), then writes it as one self-contained
# HTML file that opens from file://: dist-single/folio.html, or the path given.
# FOLIO_CORPUS picks the corpus files, as for the other scripts.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
out="${1:-$FOLIO_ROOT/dist-single/folio.html}"
# One file holds one pack: never cut into a head and shards, whatever its size.
FOLIO_PACK_LAYOUT=single bash "$FOLIO_ROOT/scripts/build.sh"
folio_log "writing the single-file build"
node "$FOLIO_ROOT/scripts/single-file.mjs" "$FOLIO_ROOT/dist" "$out"
