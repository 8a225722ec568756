//! The `?` overlay listing the keyboard shortcuts (the table the key
//! handler dispatches from: [`crate::engine::shortcuts`]), and the keys of
//! the corpus map while it has the focus (`components::map_view`).

use leptos::prelude::*;

use crate::components::dialog::Dialog;
use crate::engine::shortcuts::SHORTCUTS;

/// The map's keys while it has the focus (`components::map_view` handles them).
const MAP_KEYS: [(&str, &str); 7] = [
    ("← → ↑ ↓", "Step to the nearest paper that way (its title is read out)"),
    ("Enter", "Open the paper stepped to or pointed at"),
    ("Esc", "Leave the paper stepped to"),
    ("Shift + ← → ↑ ↓", "Pan the map"),
    ("+ −", "Zoom in, zoom out"),
    ("0", "The whole map"),
    (
        "Shift-drag, Alt-drag",
        "Draw a box or a lasso (as the toolbar chooses; Alt-drag: a lasso): its papers become a filter",
    ),
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
                {SHORTCUTS.iter().map(|s| view! { <dt><kbd>{s.keys}</kbd></dt><dd>{s.description}</dd> }).collect_view()}
            </dl>
            <h3 class="shortcuts-heading">"On the map"</h3>
            <dl class="shortcuts" data-testid="map-keys">
                {MAP_KEYS.iter().map(|(keys, what)| view! { <dt><kbd>{*keys}</kbd></dt><dd>{*what}</dd> }).collect_view()}
            </dl>
            <button node_ref=close class="button" on:click=move |_| on_close.run(())>"Close"</button>
        </Dialog>
    }
}
