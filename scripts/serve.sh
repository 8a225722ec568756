#!/usr/bin/env bash
# Sets up, builds and serves the explorer on the corpus in corpus/.
# PORT (default 8080) and FOLIO_CORPUS (files to compile) can be set.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
bash "$FOLIO_ROOT/scripts/setup.sh" build
cd "$FOLIO_ROOT"
folio_wasm_env
port="${PORT:-8080}"
folio_log "building; then Folio is at http://127.0.0.1:$port/ (Ctrl-C stops)"
exec trunk serve --release --address 127.0.0.1 --port "$port" --no-autoreload
