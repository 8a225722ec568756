//! Offers a new deploy of the site once it is installed and waiting:
//! "A new version of Folio is available" with a Reload button.

use leptos::prelude::*;

use crate::browser::service_worker;

/// Registers the service worker and shows the offer when a new version waits.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let update_ready = RwSignal::new(false);
    service_worker::register(move || {
        let _ = update_ready.try_set(true);
    });
    view! {
        <Show when=move || update_ready.get()>
            <div class="banner update-banner" role="status" data-testid="update-banner">
                <p>"A new version of Folio is available."</p>
                <button class="button button-primary" data-testid="update-reload"
                    on:click=move |_| service_worker::apply_update()>
                    "Reload"
                </button>
            </div>
        </Show>
    }
}
