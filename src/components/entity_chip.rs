//! Facet values named in the text (a model, benchmark, method, ...): as a
//! chip that filters by the value when clicked, and, for chips and facet
//! values alike, highlighting where papers name the value while it is
//! pointed at or focused. The highlighting listens once, on the explorer
//! (`track_mentions`), not on every chip: a keystroke re-renders hundreds.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::engine::facet_kind::FacetKind;
use crate::state::{expect_cursor, expect_view};

/// The attributes that make an element name a facet value.
pub const GROUP_ATTR: &str = "data-mention-group";
pub const VALUE_ATTR: &str = "data-mention-value";

#[component]
pub fn EntityChip(
    /// The entity's facet kind (`model`, `benchmark`, ...).
    kind: FacetKind,
    /// The value as the facet lists it.
    name: String,
) -> impl IntoView {
    let view = expect_view();
    let cursor = expect_cursor();
    let group = kind.key();
    let title = format!("{group}: show where it is named; click to filter");
    let (filter, value) = (name.clone(), name.clone());
    view! {
        <button class=format!("entity-chip entity-{group}") data-testid="entity-chip" title=title
            data-mention-group=group data-mention-value=value
            on:click=move |_| {
                cursor.set(0);
                view.update(|s| s.selection.include(group, &filter));
            }>
            {name}
        </button>
    }
}

/// The facet value named by the event's target or its closest ancestor
/// that names one.
fn mention_of(event: &web_sys::Event) -> Option<(String, String)> {
    let target: web_sys::Element = event.target()?.dyn_into().ok()?;
    let named = target.closest(&format!("[{GROUP_ATTR}]")).ok()??;
    Some((named.get_attribute(GROUP_ATTR)?, named.get_attribute(VALUE_ATTR)?))
}

/// Points `hover` at what the event's target names (or at nothing): for
/// `mouseover` and `focusin` on an ancestor of the chips and facet values.
pub fn track_mentions(hover: RwSignal<Option<(String, String)>>, event: &web_sys::Event) {
    let named = mention_of(event);
    if hover.with_untracked(|h| *h != named) {
        hover.set(named);
    }
}

/// Highlights nothing once focus leaves the explorer (within it, the
/// `focusin` of the newly focused element decides).
pub fn leave_focus(hover: RwSignal<Option<(String, String)>>, event: &web_sys::FocusEvent) {
    let within = event.related_target().zip(event.current_target()).is_some_and(|(to, here)| {
        here.unchecked_ref::<web_sys::Node>().contains(Some(to.unchecked_ref::<web_sys::Node>()))
    });
    if !within {
        clear(hover);
    }
}

/// Highlights nothing (the pointer or focus left the explorer).
pub fn clear(hover: RwSignal<Option<(String, String)>>) {
    if hover.with_untracked(Option::is_some) {
        hover.set(None);
    }
}
