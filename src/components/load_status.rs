//! The loading, load-failure and no-corpus states of the explorer.

use leptos::prelude::*;

use crate::components::corpus_menu::CorpusMenu;
use crate::components::open_papers::OpenButton;

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
            <p>"Or open your own papers (BibTeX, RIS, CSV, JSON or a listing): they stay on this computer." <OpenButton /></p>
        </section>
    }
}

/// A site built with no corpus of its own (one deployed Folio serves
/// anyone's papers): asks for files.
#[component]
pub fn EmptySite() -> impl IntoView {
    view! {
        <header class="app-header">
            <h1 class="app-title">"Folio"</h1>
            <div class="header-actions"><CorpusMenu /></div>
        </header>
        <section class="empty-site" data-testid="empty-site">
            <h2>"Explore your own papers"</h2>
            <p>"Open a reference manager's export (Zotero, Mendeley, Google Scholar: BibTeX, RIS, CSV, CSL-JSON), JSON Lines or a listing, plain or .gz, or drop the files anywhere on this page."</p>
            <p>"They are read in this browser and kept here, for offline use: nothing is uploaded."</p>
            <p><OpenButton /></p>
        </section>
    }
}
