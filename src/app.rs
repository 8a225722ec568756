//! The root component: loads the bundle and shows the explorer, or a loading
//! or error state.

use std::sync::Arc;

use leptos::prelude::*;

use crate::browser::bundle_fetch::{fetch_bundle, BUNDLE_URL};
use crate::components::load_status::{LoadFailed, Loading};
use crate::components::paper_list::PaperList;

/// Mounts the app on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let bundle = LocalResource::new(|| async {
        fetch_bundle(BUNDLE_URL).await.map(Arc::new).map_err(|err| err.to_string())
    });
    view! {
        <header class="app-header">
            <h1 class="app-title">"Folio"</h1>
        </header>
        <main id="main" class="app-main">
            {move || match bundle.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Ok(bundle)) => view! { <PaperList bundle /> }.into_any(),
                Some(Err(message)) => view! { <LoadFailed message /> }.into_any(),
            }}
        </main>
    }
}
