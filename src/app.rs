//! The root component: the corpus in view (loading, loaded or failed) and
//! the opener that replaces it or adds to it with the person's own files.

use leptos::prelude::*;

use crate::components::explorer_view::ExplorerView;
use crate::components::load_status::{EmptySite, LoadFailed, Loading};
use crate::components::open_papers::OpenPapers;
use crate::state::{provide_corpus_state, CorpusState};

/// Mounts the app on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    crate::browser::unicode::install();
    crate::browser::theme::apply(crate::browser::theme::current(), false);
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let corpus = provide_corpus_state();
    view! {
        {move || match corpus.state.get() {
            CorpusState::Loading => view! { <Loading /> }.into_any(),
            CorpusState::Loaded(explorer) => view! { <ExplorerView explorer /> }.into_any(),
            CorpusState::Failed(message) => view! { <LoadFailed message /> }.into_any(),
            CorpusState::Empty => view! { <EmptySite /> }.into_any(),
        }}
        <OpenPapers />
        <crate::components::update_banner::UpdateBanner />
    }
}
