//! The root component: loads the corpus into an explorer and shows it,
//! or a loading or error state.

use std::sync::Arc;

use leptos::prelude::*;

use crate::browser::bundle_fetch::load_explorer;
use crate::components::explorer_view::ExplorerView;
use crate::components::load_status::{LoadFailed, Loading};

/// Mounts the app on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    crate::browser::unicode::install();
    crate::browser::theme::apply(crate::browser::theme::current(), false);
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let explorer =
        LocalResource::new(|| async { load_explorer().await.map(Arc::new).map_err(|err| err.to_string()) });
    view! {
        {move || match explorer.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Ok(explorer)) => view! { <ExplorerView explorer /> }.into_any(),
            Some(Err(message)) => view! { <LoadFailed message /> }.into_any(),
        }}
        <crate::components::update_banner::UpdateBanner />
    }
}
