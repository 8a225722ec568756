//! Entry point of the browser app (built for wasm32 by Trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    folio::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "folio-app is the browser app: build it with `trunk build` (see README.md); the CLI is `folio`."
    );
    std::process::exit(2);
}
