//! A formula of a title or an abstract as MathML: its source text until the
//! math worker ([`crate::browser::math_worker`], which runs
//! [`crate::engine::math::render`]) answers with its tree, then that tree
//! built node by node with `createElementNS` and text nodes, never from
//! markup, and only with the allowlisted elements and attributes
//! ([`ELEMENTS`], [`ATTRIBUTES`]); the source text stays when the formula
//! does not parse or the worker is not there.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::math_worker;
use crate::engine::math::{ATTRIBUTES, ELEMENTS};

const MATHML: &str = "http://www.w3.org/1998/Math/MathML";

/// Deeper trees are refused (the engine's reader refuses them already).
const MAX_DEPTH: usize = 64;

#[component]
pub fn MathFormula(
    /// The formula as written, delimiters included (`$\ell_1$`).
    source: String,
) -> impl IntoView {
    let holder = NodeRef::<leptos::html::Span>::new();
    holder.on_load(move |span| {
        // A re-render (a new highlight) may keep the element and load it
        // again: replace what it holds.
        span.set_text_content(Some(&source));
        span.set_class_name("math-source");
        let title = source.clone();
        math_worker::render(&source, move |tree| {
            if let Some(node) = build(tree, 0) {
                span.set_text_content(None);
                let _ = span.append_child(&node);
                span.set_class_name("math");
                // The source on hover, to read or copy the TeX.
                let _ = span.set_attribute("title", &title);
            }
        });
    });
    view! { <span class="math-source" node_ref=holder></span> }
}

/// The DOM nodes of a tree as the worker sends it (a string: a text node;
/// `[name, [attribute, value, ...], child, ...]`: an element), or `None`
/// when it holds anything off the allowlist.
fn build(node: &JsValue, depth: usize) -> Option<web_sys::Node> {
    let document = gloo::utils::document();
    if let Some(text) = node.as_string() {
        return Some(document.create_text_node(&text).into());
    }
    let parts = node.dyn_ref::<js_sys::Array>()?;
    let name = parts.get(0).as_string()?;
    if depth > MAX_DEPTH || !ELEMENTS.contains(&name.as_str()) {
        return None;
    }
    let element = document.create_element_ns(Some(MATHML), &name).ok()?;
    let attributes: js_sys::Array = parts.get(1).dyn_into().ok()?;
    for pair in 0..attributes.length() / 2 {
        let attribute = attributes.get(2 * pair).as_string()?;
        let value = attributes.get(2 * pair + 1).as_string()?;
        if !ATTRIBUTES.contains(&attribute.as_str()) {
            return None;
        }
        element.set_attribute(&attribute, &value).ok()?;
    }
    for child in 2..parts.length() {
        element.append_child(&build(&parts.get(child), depth + 1)?).ok()?;
    }
    Some(element.into())
}
