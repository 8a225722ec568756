//! Reactive glue: the app-wide handles components share through context.
//!
//! The URL is the source of truth for the view: `ViewContext` is read from it
//! on load and on back/forward, and written back by one effect.

use std::sync::Arc;

use leptos::prelude::*;

use crate::browser::url_state;
use crate::engine::explorer::{Exploration, Explorer};
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

/// Provides every context for the explorer and keeps the URL in sync.
pub fn provide_explorer_state(explorer: Arc<Explorer>) {
    let view = RwSignal::new(url_state::read());
    let results = {
        let explorer = Arc::clone(&explorer);
        Memo::new(move |_| Arc::new(view.with(|state| explorer.explore(state))))
    };
    // The one writer of the URL: typing replaces the entry, anything else pushes one.
    let previous = StoredValue::new(view.get_untracked());
    Effect::new(move |_| {
        let state = view.get();
        let push = previous.with_value(|old| old.query == state.query || old.paper != state.paper);
        url_state::write(&state, push);
        previous.set_value(state);
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
