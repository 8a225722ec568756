//! The browser-IO layer: everything that talks to the outside world (network,
//! URL, storage). Components call these, never `web_sys` or `gloo` directly.

pub mod bench_hook;
pub mod bundle_fetch;
pub mod compile_worker;
pub mod corpus_store;
pub mod download;
pub mod map_canvas;
pub mod map_gl;
pub mod service_worker;
pub mod shards;
pub mod theme;
pub mod unicode;
pub mod url_state;
pub mod user_store;

/// `target`'s method `name`, if it has one: for what a browser may lack
/// (Web Locks, `requestIdleCallback`) or web-sys does not bind (a WebGL
/// extension's method, `performance.measure` with options).
pub(crate) fn method(target: &wasm_bindgen::JsValue, name: &str) -> Option<js_sys::Function> {
    wasm_bindgen::JsCast::dyn_into(js_sys::Reflect::get(target, &name.into()).ok()?).ok()
}
