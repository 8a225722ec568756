//! A facet value named in the text (a model, benchmark, method, ...) as a
//! chip: hovering or focusing it highlights where it is named, in the
//! results and the open paper; clicking it filters by it.

use leptos::prelude::*;

use crate::state::{expect_cursor, expect_hover, expect_view};

#[component]
pub fn EntityChip(
    /// The facet group (`model`, `benchmark`, ...).
    group: &'static str,
    /// The value as the facet lists it.
    name: String,
) -> impl IntoView {
    let view = expect_view();
    let cursor = expect_cursor();
    let hovered = HoverTarget::new(group, &name);
    let title = format!("{group}: show where it is named; click to filter");
    let filter = name.clone();
    view! {
        <button class=format!("entity-chip entity-{group}") data-testid="entity-chip" data-group=group title=title
            on:mouseenter=move |_| hovered.enter() on:focus=move |_| hovered.enter()
            on:mouseleave=move |_| hovered.leave() on:blur=move |_| hovered.leave()
            on:click=move |_| {
                cursor.set(0);
                view.update(|s| s.selection.include(group, &filter));
            }>
            {name}
        </button>
    }
}

/// A facet value that highlights its mentions while pointed at or focused.
#[derive(Clone, Copy)]
pub struct HoverTarget {
    value: StoredValue<(String, String)>,
    hover: RwSignal<Option<(String, String)>>,
}

impl HoverTarget {
    pub fn new(group: &str, value: &str) -> Self {
        Self { value: StoredValue::new((group.to_owned(), value.to_owned())), hover: expect_hover() }
    }

    pub fn enter(self) {
        self.hover.set(Some(self.value.get_value()));
    }

    /// Clears the highlight if it is still this value's.
    pub fn leave(self) {
        if self.value.with_value(|v| self.hover.with_untracked(|h| h.as_ref() == Some(v))) {
            self.hover.set(None);
        }
    }
}
