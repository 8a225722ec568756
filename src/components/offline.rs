//! "Available offline" for a sharded site corpus (a large one, fetched by
//! query): how much of it is on this device, and a download of the rest
//! with its size, a progress bar and Cancel. A small corpus is one file the
//! service worker keeps at the first visit, and a corpus kept in this
//! browser is on this device already: no button then.

use leptos::prelude::*;

use crate::browser::corpus_store;
use crate::browser::shards::{make_available_offline, offline_state, OfflineState};
use crate::components::dialog::Dialog;
use crate::engine::open::byte_size;
use crate::state::expect_explorer;

#[component]
pub fn OfflineButton() -> impl IntoView {
    let explorer = expect_explorer();
    // A kept corpus is on this device already.
    let sharded = explorer.with(|e| e.is_sharded()) && crate::browser::shards::reads_from_site();
    let open = RwSignal::new(false);
    // The download outlives the dialog (closing it does not stop it).
    let state = RwSignal::new(None::<OfflineState>);
    let no_cache = RwSignal::new(false);
    let progress = RwSignal::new(None::<(u64, u64)>);
    let outcome = RwSignal::new(None::<String>);
    let usage = RwSignal::new(String::new());
    let stop = StoredValue::new(false);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            match offline_state(explorer).await {
                Some(now) => state.set(Some(now)),
                None => no_cache.set(true),
            }
            if let Some(text) = corpus_store::usage().await {
                usage.set(text);
            }
        })
    };
    let download = move |_| {
        stop.set_value(false);
        outcome.set(None);
        progress.set(Some((0, 0)));
        corpus_store::request_persistence();
        leptos::task::spawn_local(async move {
            let result = make_available_offline(
                explorer,
                move |done, total| progress.set(Some((done, total))),
                move || !stop.try_get_value().unwrap_or(true),
            )
            .await;
            progress.set(None);
            outcome.set(Some(match result {
                Ok(()) => "Done: this corpus now works with no network.".to_owned(),
                Err(reason) => format!("Stopped: {reason}."),
            }));
            refresh();
        });
    };
    let summary = move || {
        if no_cache.get() {
            return "This browser keeps no files for this page (it needs http or https): the corpus is read from the host as needed.".to_owned();
        }
        match state.get() {
            None => "Checking what is on this device…".to_owned(),
            Some(s) if s.cached_files == s.files => format!(
                "All of this corpus ({}) is on this device: it works with no network.",
                byte_size(s.bytes)
            ),
            Some(s) => format!(
                "About {} of {} of this corpus are on this device ({} of {} parts). Search works offline only with what is here.",
                byte_size(s.cached_bytes),
                byte_size(s.bytes),
                s.cached_files,
                s.files
            ),
        }
    };
    let missing = move || state.with(|s| s.as_ref().map_or(0, |s| s.bytes - s.cached_bytes));
    let close = Callback::new(move |_| open.set(false));
    sharded.then(|| {
        view! {
            <button class="icon-button" data-testid="offline-open" title="Keep this corpus on this device"
                on:click=move |_| { open.set(true); refresh(); }>"Offline"</button>
            <Show when=move || open.get()>
                <Dialog title="Available offline" testid="offline-dialog" on_close=close>
                    <p data-testid="offline-state">{summary}</p>
                    <p class="muted" data-testid="offline-usage">{move || usage.get()}</p>
                    {move || progress.get().map(|(done, total)| view! {
                        <progress data-testid="offline-progress" max=total.max(1).to_string() value=done.to_string()></progress>
                        <p class="muted">{format!("{} of {}", byte_size(done), byte_size(total))}</p>
                    })}
                    <p role="status" data-testid="offline-outcome">{move || outcome.get()}</p>
                    <div class="dialog-actions">
                        <Show when=move || { progress.get().is_none() && missing() > 0 && !no_cache.get() }
                            fallback=move || progress.get().is_some().then(|| view! {
                                <button class="button" data-testid="offline-cancel" on:click=move |_| stop.set_value(true)>"Cancel"</button>
                            })>
                            <button class="button button-primary" data-testid="offline-download" on:click=download>
                                {move || format!("Make available offline ({} more)", byte_size(missing()))}
                            </button>
                        </Show>
                        <button class="button" on:click=move |_| close.run(())>"Close"</button>
                    </div>
                </Dialog>
            </Show>
        }
    })
}
