//! The light/dark toggle.

use leptos::prelude::*;

use crate::browser::theme::{self, Theme};

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let current = RwSignal::new(theme::current());
    let toggle = move |_| {
        let next = if current.get_untracked() == Theme::Dark { Theme::Light } else { Theme::Dark };
        theme::apply(next, true);
        current.set(next);
    };
    view! {
        <button
            class="icon-button"
            data-testid="theme-toggle"
            aria-label=move || if current.get() == Theme::Dark { "Switch to light theme" } else { "Switch to dark theme" }
            aria-pressed=move || (current.get() == Theme::Dark).to_string()
            on:click=toggle
        >
            {move || if current.get() == Theme::Dark { "Light" } else { "Dark" }}
        </button>
    }
}
