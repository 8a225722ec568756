//! Reactive glue: the app-wide handles components share through context.
//!
//! The URL is the source of truth for the view: `ViewContext` is read from it
//! on load and on back/forward, and written back by one effect. The user's
//! data lives in `UserContext` and is written to storage by one effect.

use std::sync::Arc;

use leptos::prelude::*;

use crate::browser::{url_state, user_store};
use crate::engine::explorer::{Exploration, Explorer};
use crate::engine::facets::FacetIndex;
use crate::engine::tags::{merge_three_way, TagStore, UserData};
use crate::engine::view_state::ViewState;

/// The loaded corpus and its indexes.
#[derive(Clone)]
pub struct ExplorerContext(pub Arc<Explorer>);

/// The shareable view state (query, filters, sort, open paper).
#[derive(Clone, Copy)]
pub struct ViewContext(pub RwSignal<ViewState>);

/// What the explorer answered for the current view.
#[derive(Clone, Copy)]
pub struct ResultsContext(pub Memo<Arc<Exploration>>);

/// The keyboard cursor in the result list (index into the results).
#[derive(Clone, Copy)]
pub struct CursorContext(pub RwSignal<usize>);

/// The facet value (group key, value) whose mentions in the papers' text
/// are highlighted: set while a facet value or an entity chip is hovered or
/// focused.
#[derive(Clone, Copy)]
pub struct HoverContext(pub RwSignal<Option<(String, String)>>);

/// The user's tags, notes and reading state, and how saving them goes.
#[derive(Clone, Copy)]
pub struct UserContext {
    pub store: RwSignal<TagStore>,
    /// Written by a newer Folio, or storage unusable: never written.
    pub read_only: RwSignal<bool>,
    /// A problem found when loading (shown until dismissed).
    pub load_problem: RwSignal<Option<String>>,
    /// Why the last save failed, if it did (cleared by the next success).
    pub save_error: RwSignal<Option<String>>,
    /// Facet groups of the user's data.
    pub facets: Memo<Arc<FacetIndex>>,
    /// Asks the paper view to focus its tag input (the `t` key); the
    /// editor clears it once done, even if it mounts after the request.
    pub focus_tag_input: RwSignal<bool>,
}

impl UserContext {
    /// Applies one change to the store (the save effect persists it).
    pub fn change<T>(&self, change: impl FnOnce(&mut TagStore, u64) -> T) -> T {
        let now = user_store::now();
        let mut result = None;
        self.store.update(|store| result = Some(change(store, now)));
        result.expect("update runs the closure")
    }
}

/// How long typing pauses before the query goes into the URL.
const URL_PAUSE: std::time::Duration = std::time::Duration::from_millis(300);

/// Runs `f` once the next frame is painted.
pub fn after_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(f, std::time::Duration::ZERO));
}

/// Provides every context for the explorer and keeps the URL and storage in sync.
pub fn provide_explorer_state(explorer: Arc<Explorer>) {
    let view = RwSignal::new(url_state::read());
    let user = provide_user_state(Arc::clone(&explorer));
    let results = {
        let explorer = Arc::clone(&explorer);
        Memo::new_with_compare(
            move |_| {
                let user_facets = user.facets.get();
                user.store.with(|store| {
                    Arc::new(view.with(|state| explorer.explore(state, store.data(), &user_facets)))
                })
            },
            |old, new| old != new,
        )
    };
    // The one writer of the URL: typing replaces the entry once typing
    // pauses (each History call costs Chromium a reload of the page icon,
    // milliseconds a keystroke), anything else pushes one, after writing a
    // pending query into the entry it leaves. Pushes wait until the frame
    // is painted: a History call makes Chromium update styles at once, in
    // the middle of the interaction's DOM changes.
    let previous = StoredValue::new(view.get_untracked());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    // Cancels the pending write; whether there was one.
    let cancel = move || pending.try_update_value(Option::take).flatten().map(|h| h.clear()).is_some();
    Effect::new(move |_| {
        let state = view.get();
        let typing = previous.with_value(|old| old.query != state.query && old.paper == state.paper);
        let left = (cancel() && !typing).then(|| previous.get_value());
        if typing {
            let write = move || {
                pending.set_value(None);
                view.with_untracked(|state| url_state::write(state, false));
            };
            pending.set_value(set_timeout_with_handle(write, URL_PAUSE).ok());
        } else {
            let state = state.clone();
            after_paint(move || {
                if let Some(left) = &left {
                    url_state::write(left, false);
                }
                // Unless the view moved on (another click, back/forward) meanwhile.
                if view.with_untracked(|now| *now == state) {
                    url_state::write(&state, true);
                }
            });
        }
        previous.set_value(state);
    });
    // Leaving the page (reload, close, another site) writes a pending query.
    let _ = window_event_listener_untyped("pagehide", move |_| {
        if cancel() {
            view.with_untracked(|state| url_state::write(state, false));
        }
    });
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        let state = url_state::read();
        previous.set_value(state.clone());
        view.set(state);
    });
    provide_context(ExplorerContext(explorer));
    provide_context(ViewContext(view));
    provide_context(ResultsContext(results));
    provide_context(CursorContext(RwSignal::new(0)));
    provide_context(HoverContext(RwSignal::new(None)));
}

fn provide_user_state(explorer: Arc<Explorer>) -> UserContext {
    let key = user_store::key();
    let loaded = user_store::load(&key);
    let store = RwSignal::new(TagStore::new(loaded.data));
    let facets = Memo::new_with_compare(
        move |_| Arc::new(store.with(|s| explorer.user_facets(s.data()))),
        |old, new| !matches!((old, new), (Some(a), Some(b)) if Arc::ptr_eq(a, b)),
    );
    let user = UserContext {
        store,
        read_only: RwSignal::new(loaded.read_only),
        load_problem: RwSignal::new(loaded.problem),
        save_error: RwSignal::new(None),
        facets,
        focus_tag_input: RwSignal::new(false),
    };
    // What storage holds now, so that loading or another tab's change is not written back.
    let saved = StoredValue::new(store.with_untracked(|s| s.data().clone()));
    {
        let key = key.clone();
        Effect::new(move |_| {
            let data: UserData = store.with(|s| s.data().clone());
            if user.read_only.get_untracked() || saved.with_value(|s| *s == data) {
                return;
            }
            match user_store::save(&key, &data) {
                Ok(()) => {
                    saved.set_value(data);
                    user.save_error.set(None);
                }
                Err(reason) => user.save_error.set(Some(reason)),
            }
        });
    }
    // Another tab saved: merge three ways (what this tab last saved, what it
    // holds now, what the other tab saved), so neither tab's change is lost;
    // the save effect then writes the merge if it differs from theirs.
    let listener = user_store::on_other_tab_change(key, move |theirs| {
        let base = saved.get_value();
        saved.set_value(theirs.clone());
        store.update(|s| {
            let merged = merge_three_way(&base, s.data(), &theirs);
            s.replace(merged);
        });
    });
    // The explorer lives as long as the page.
    listener.forget();
    provide_context(user);
    user
}

pub fn expect_explorer() -> Arc<Explorer> {
    expect_context::<ExplorerContext>().0
}

pub fn expect_view() -> RwSignal<ViewState> {
    expect_context::<ViewContext>().0
}

pub fn expect_results() -> Memo<Arc<Exploration>> {
    expect_context::<ResultsContext>().0
}

pub fn expect_cursor() -> RwSignal<usize> {
    expect_context::<CursorContext>().0
}

pub fn expect_hover() -> RwSignal<Option<(String, String)>> {
    expect_context::<HoverContext>().0
}

pub fn expect_user() -> UserContext {
    expect_context::<UserContext>()
}
