#!/usr/bin/env bash
# Sets up and runs every test: native engine/CLI tests, the release build of
# the site, and the browser tests in headless Chromium. CI runs exactly this.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
bash "$FOLIO_ROOT/scripts/setup.sh" test
cd "$FOLIO_ROOT"

folio_log "native tests (cargo test)"
"$FOLIO_NATIVE_CARGO" test --locked --quiet
# The benchmarks print figures and assert nothing, so they are not run here,
# but they must keep building: a type check of each (seconds, not a build).
folio_log "benchmarks type-check (cargo check --benches)"
"$FOLIO_NATIVE_CARGO" check --locked --quiet --benches

folio_log "release build of the site"
(folio_wasm_env && trunk build --release)
# The hostile corpus (markup and javascript: URLs in titles and abstracts) for
# tests/e2e/hostile.spec.mjs; reuses the wasm just built, so it takes seconds.
folio_log "release build of the hostile test corpus (target/dist-hostile/)"
(folio_wasm_env && FOLIO_CORPUS=tests/fixtures/hostile/hostile.txt trunk build --release --dist target/dist-hostile)
# Papers whose ids (DOIs) hold `#`, `%`, `&` and `=`, for tests/e2e/links.spec.mjs.
folio_log "release build of the DOI-link test corpus (target/dist-doi/)"
(folio_wasm_env && FOLIO_CORPUS=tests/fixtures/doi/doi.jsonl trunk build --release --dist target/dist-doi)
folio_log "release build of a real BibTeX export without abstracts (target/dist-bib/)"
(folio_wasm_env && FOLIO_CORPUS=tests/fixtures/exports/scholar-srush.bib trunk build --release --dist target/dist-bib)
folio_log "release build with no corpus of its own (target/dist-empty/)"
(folio_wasm_env && FOLIO_CORPUS= trunk build --release --dist target/dist-empty)

# The seed cut into a head and small shards (31 files), for
# tests/e2e/sharded.spec.mjs: what a 100k-paper site does, on 24 papers.
folio_log "release build of the seed as a sharded pack (target/dist-sharded/)"
(folio_wasm_env && FOLIO_PACK_LAYOUT=sharded FOLIO_SHARD_SIZE=3000 trunk build --release --dist target/dist-sharded)

# Math in titles and abstracts, hostile TeX included, for tests/e2e/math.spec.mjs.
folio_log "release build of the math test corpus (target/dist-math/)"
(folio_wasm_env && FOLIO_CORPUS=tests/fixtures/math/math.jsonl trunk build --release --dist target/dist-math)

folio_log "browser tests (Playwright, headless Chromium)"
cd tests/e2e
npx playwright test
