//! A formula of a title or an abstract as MathML, rendered in the same task
//! as the row or paper that shows it ([`crate::engine::math::render`]: a
//! keystroke's formulas are on the page in its first frame, not a message
//! round trip later), then built node by node with `createElementNS` and
//! text nodes, never from markup; the tree holds only the allowlisted
//! elements and attributes (`engine::math::ELEMENTS`, `ATTRIBUTES`). A
//! formula that does not parse shows its source text.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;

use crate::engine::math::{self, MathNode};

const MATHML: &str = "http://www.w3.org/1998/Math/MathML";

/// Formulas rendered so far, per source (`None`: does not parse): a
/// formula shown again (a new highlight, the same paper opened) is not
/// parsed again. Bounded: a page that has shown this many forgets them all.
const REMEMBERED: usize = 4096;

thread_local! {
    static RENDERED: RefCell<HashMap<String, Option<Rc<MathNode>>>> = RefCell::default();
}

fn rendered(source: &str) -> Option<Rc<MathNode>> {
    if let Some(known) = RENDERED.with(|r| r.borrow().get(source).cloned()) {
        return known;
    }
    let tree = math::render(source).map(Rc::new);
    RENDERED.with(|r| {
        let mut rendered = r.borrow_mut();
        if rendered.len() >= REMEMBERED {
            rendered.clear();
        }
        rendered.insert(source.to_owned(), tree.clone());
    });
    tree
}

/// Renders a formula once, for the renderer's code to be compiled before
/// a row needs it (the explorer's warm-up).
pub fn warm_up() {
    let _ = rendered("$\\ell_1 = \\sum_{i} |x_i|^2$");
}

#[component]
pub fn MathFormula(
    /// The formula as written, delimiters included (`$\ell_1$`).
    source: String,
) -> impl IntoView {
    let Some(tree) = rendered(&source) else {
        return view! { <span class="math-source">{source}</span> }.into_any();
    };
    let holder = NodeRef::<leptos::html::Span>::new();
    holder.on_load(move |span| {
        // A re-render (a new highlight) may keep the element and load it
        // again: replace what it holds.
        span.set_text_content(None);
        let _ = span.append_child(&build(&tree));
    });
    // The source on hover, to read or copy the TeX.
    view! { <span class="math" title=source node_ref=holder></span> }.into_any()
}

/// The DOM nodes of a rendered tree.
fn build(node: &MathNode) -> web_sys::Node {
    let document = gloo::utils::document();
    match node {
        MathNode::Text(text) => document.create_text_node(text).into(),
        MathNode::Element { name, attributes, children } => {
            let Ok(element) = document.create_element_ns(Some(MATHML), name) else {
                return document.create_text_node(&node.text()).into();
            };
            for (attribute, value) in attributes {
                let _ = element.set_attribute(attribute, value);
            }
            for child in children {
                let _ = element.append_child(&build(child));
            }
            element.into()
        }
    }
}
