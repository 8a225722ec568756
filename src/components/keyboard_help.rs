//! The `?` overlay listing the keyboard shortcuts.

use leptos::prelude::*;

use crate::components::dialog::Dialog;

/// The shortcuts, as shown in the overlay.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("/", "Search"),
    ("j / k", "Next / previous result"),
    ("Enter", "Open the selected paper"),
    ("Esc", "Close the paper, or clear the search"),
    ("t", "Tag the open or selected paper"),
    ("?", "Show or hide this help"),
];

#[component]
pub fn KeyboardHelp(
    /// Called when the overlay is dismissed.
    on_close: Callback<()>,
) -> impl IntoView {
    let close = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = close.get() {
            let _ = button.focus();
        }
    });
    view! {
        <Dialog title="Keyboard shortcuts" testid="keyboard-help" on_close>
            <dl class="shortcuts">
                {SHORTCUTS.iter().map(|(key, what)| view! { <dt><kbd>{*key}</kbd></dt><dd>{*what}</dd> }).collect_view()}
            </dl>
            <button node_ref=close class="button" on:click=move |_| on_close.run(())>"Close"</button>
        </Dialog>
    }
}
