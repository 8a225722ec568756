//! A formula of a title or an abstract as MathML: the engine's tree
//! ([`crate::engine::math::render`]: allowlisted elements and attributes
//! only) built node by node with `createElementNS` and text nodes, never
//! from markup; the formula's source text when it does not parse.

use leptos::prelude::*;

use crate::engine::math::{render, MathNode};

const MATHML: &str = "http://www.w3.org/1998/Math/MathML";

#[component]
pub fn MathFormula(
    /// The formula as written, delimiters included (`$\ell_1$`).
    source: String,
) -> impl IntoView {
    let Some(tree) = render(&source) else {
        return view! { <span class="math-source">{source}</span> }.into_any();
    };
    let holder = NodeRef::<leptos::html::Span>::new();
    holder.on_load(move |span| {
        // A re-render (a new highlight) may keep the element and load it
        // again: replace what it holds.
        span.set_text_content(None);
        if let Some(node) = build(&tree) {
            let _ = span.append_child(&node);
        }
    });
    // The source on hover, to read or copy the TeX.
    view! { <span class="math" title=source node_ref=holder></span> }.into_any()
}

/// The DOM nodes of `node`: MathML elements, their attributes, text nodes.
fn build(node: &MathNode) -> Option<web_sys::Node> {
    let document = gloo::utils::document();
    match node {
        MathNode::Text(text) => Some(document.create_text_node(text).into()),
        MathNode::Element { name, attributes, children } => {
            let element = document.create_element_ns(Some(MATHML), name).ok()?;
            for (attribute, value) in attributes {
                element.set_attribute(attribute, value).ok()?;
            }
            for child in children {
                element.append_child(&build(child)?).ok()?;
            }
            Some(element.into())
        }
    }
}
