//! The math worker: a Web Worker (built for wasm32 by Trunk, started by the
//! app when the first formula is shown) that renders formulas with
//! `engine::math::render` (pulldown-latex), so the TeX parser and MathML
//! renderer stay out of the app's own wasm.
//!
//! Protocol (see `src/browser/math_worker.rs` for the app's side): the
//! worker posts `"ready"`; the app posts formula sources (delimiters
//! included, `$\ell_1$`), one per message; the worker answers each with
//! `[source, tree]`, `tree` being null when the formula does not render, or
//! the MathML tree as plain values: a text node is a string, an element an
//! array `[name, [attribute, value, ...], child, ...]` (allowlisted names and
//! attributes only, as `engine::math::MathNode` holds them).

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("folio-math is the browser app's math worker: build it with `trunk build` (see README.md).");
    std::process::exit(2);
}

#[cfg(target_arch = "wasm32")]
mod worker {
    use folio::engine::math::{render, MathNode};
    use js_sys::Array;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// `node` as plain values the page can read without a decoder.
    fn value(node: &MathNode) -> JsValue {
        match node {
            MathNode::Text(text) => JsValue::from_str(text),
            MathNode::Element { name, attributes, children } => {
                let element = Array::new();
                element.push(&JsValue::from_str(name));
                let pairs = Array::new();
                for (attribute, value) in attributes {
                    pairs.push(&JsValue::from_str(attribute));
                    pairs.push(&JsValue::from_str(value));
                }
                element.push(&pairs);
                for child in children {
                    element.push(&value(child));
                }
                element.into()
            }
        }
    }

    pub fn start() {
        // A panic names itself in the console (else only "unreachable").
        console_error_panic_hook::set_once();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
            let Some(source) = event.data().as_string() else { return };
            let tree = render(&source).map(|tree| value(&tree)).unwrap_or(JsValue::NULL);
            let _ = scope().post_message(&Array::of2(&JsValue::from_str(&source), &tree));
        });
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The worker lives as long as the page.
        on_message.forget();
        let _ = scope().post_message(&JsValue::from_str("ready"));
    }
}
