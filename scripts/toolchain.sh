# Sourced by the other scripts: puts the right toolchain on PATH for the wasm
# build (see ../README.md "How the build finds its tools").
#
# - Cargo-installed tools (trunk, wasm-bindgen) live in ~/.cargo/bin.
# - If rustup has the wasm32-unknown-unknown target, the plain toolchain builds
#   the app. Otherwise Debian's rustc-web toolchain (in /usr/bin) compiles std
#   from source for wasm32 (build-std), which needs RUSTC_BOOTSTRAP.
# - FOLIO_NATIVE_CARGO is the cargo for native builds (tests, the `folio` CLI
#   run by the Trunk hook), so both share target/ artifacts.

FOLIO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export FOLIO_ROOT
export PATH="$HOME/.cargo/bin:$FOLIO_ROOT/tests/e2e/node_modules/.bin:$PATH"
FOLIO_NATIVE_CARGO="$(command -v cargo || true)"
export FOLIO_NATIVE_CARGO

folio_has_rustup_wasm() {
  command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown
}

# Exports the environment for a wasm build (Trunk) into the current shell.
folio_wasm_env() {
  if folio_has_rustup_wasm; then
    FOLIO_WASM_TOOLCHAIN=rustup
  else
    FOLIO_WASM_TOOLCHAIN=debian
    export PATH="/usr/bin:$PATH"
    export RUSTC_BOOTSTRAP=1
    export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    # Smaller algorithms in core/alloc (sorting is ~70 KB of the wasm otherwise).
    export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
    # No panic messages in the release wasm (about 22 KB gzipped): the app
    # does not panic on data, and this keeps wasm+JS within its budget.
    # (The wasm builds' profile is Cargo.toml's wasm-release.)
    export CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT=true CARGO_PROFILE_WASM_RELEASE_PANIC=immediate-abort
  fi
  export FOLIO_WASM_TOOLCHAIN
  export TRUNK_SKIP_VERSION_CHECK=true TRUNK_OFFLINE=true
}

folio_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
