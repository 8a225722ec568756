//! The loading and load-failure states of the explorer.

use leptos::prelude::*;

/// Shown while the bundle is being fetched.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="load-status" role="status" aria-live="polite" data-testid="loading">
            "Loading papers…"
        </p>
    }
}

/// Shown when the bundle cannot be loaded.
#[component]
pub fn LoadFailed(
    /// What went wrong, in words for the user.
    message: String,
) -> impl IntoView {
    view! {
        <section class="load-failed" role="alert" data-testid="load-error">
            <h2>"The papers could not be loaded"</h2>
            <p>{message}</p>
            <p>"Rebuild the site with " <code>"trunk build --release"</code> " or check that bundle.json was deployed next to index.html."</p>
        </section>
    }
}
