//! The search box: edits the view's query on every keystroke.

use leptos::prelude::*;

use crate::state::{expect_cursor, expect_view};

/// The input's DOM id, focused by the `/` shortcut.
pub const SEARCH_INPUT_ID: &str = "search";

#[component]
pub fn SearchBox() -> impl IntoView {
    let view = expect_view();
    let cursor = expect_cursor();
    view! {
        <form class="search" role="search" on:submit=|ev| ev.prevent_default()>
            <label class="visually-hidden" for=SEARCH_INPUT_ID>"Search papers"</label>
            <input
                id=SEARCH_INPUT_ID
                type="search"
                placeholder="Search papers (press /)"
                autocomplete="off"
                spellcheck="false"
                data-testid="search"
                prop:value=move || view.with(|v| v.query.clone())
                on:input=move |ev| {
                    let query = event_target_value(&ev);
                    if cursor.get_untracked() != 0 {
                        cursor.set(0);
                    }
                    view.update(|v| v.query = query);
                }
            />
        </form>
    }
}
