//! The `?` overlay listing the keyboard shortcuts (the table the key
//! handler dispatches from: [`crate::engine::shortcuts`]).

use leptos::prelude::*;

use crate::components::dialog::Dialog;
use crate::engine::shortcuts::SHORTCUTS;

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
                {SHORTCUTS.iter().map(|s| view! { <dt><kbd>{s.keys}</kbd></dt><dd>{s.description}</dd> }).collect_view()}
            </dl>
            <button node_ref=close class="button" on:click=move |_| on_close.run(())>"Close"</button>
        </Dialog>
    }
}
