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

/// Runs `f` once the page is idle (`requestIdleCallback`), at the latest
/// after 10 seconds; where the browser has no idle callbacks, after 5.
pub(crate) fn when_idle(f: impl FnOnce() + 'static) {
    let f = wasm_bindgen::closure::Closure::once_into_js(f);
    let window = gloo::utils::window();
    let scheduled = method(&window, "requestIdleCallback").is_some_and(|idle| {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"timeout".into(), &10_000.into());
        idle.call2(&window, &f, &options).is_ok()
    });
    if !scheduled {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            wasm_bindgen::JsCast::unchecked_ref(&f),
            5_000,
        );
    }
}
