//! Hooks for the in-browser benchmark (`scripts/bench-browser.mjs`): the page
//! calls the engine directly to time it without rendering, and reads the
//! wasm memory size. Exported through wasm-bindgen (`window.wasmBindings`).

use std::cell::RefCell;
use std::sync::PoisonError;

use wasm_bindgen::prelude::wasm_bindgen;

use crate::engine::facets::FacetIndex;
use crate::engine::query::parse;
use crate::engine::search::{search, SearchOptions};
use crate::engine::tags::UserData;
use crate::engine::view_state::ViewState;
use crate::state::SharedExplorer;

thread_local! {
    static EXPLORER: RefCell<Option<SharedExplorer>> = const { RefCell::new(None) };
}

/// Makes the loaded corpus available to the benchmark hooks.
pub fn register(explorer: SharedExplorer) {
    EXPLORER.with(|slot| *slot.borrow_mut() = Some(explorer));
}

/// One interaction's engine work for `query` (search, facet filtering and
/// counting, ordering); returns the number of results.
#[wasm_bindgen(js_name = folioBenchExplore)]
pub fn bench_explore(query: &str) -> u32 {
    EXPLORER.with(|slot| {
        let Some(explorer) = slot.borrow().clone() else { return 0 };
        let explorer = explorer.read().unwrap_or_else(PoisonError::into_inner);
        let state = ViewState { query: query.to_owned(), ..Default::default() };
        let user = UserData::default();
        let facets = FacetIndex::new(explorer.len());
        explorer.explore(&state, &user, &facets).len() as u32
    })
}

/// The search alone for `query`; returns the number of hits.
#[wasm_bindgen(js_name = folioBenchSearch)]
pub fn bench_search(query: &str) -> u32 {
    EXPLORER.with(|slot| {
        let Some(explorer) = slot.borrow().clone() else { return 0 };
        let explorer = explorer.read().unwrap_or_else(PoisonError::into_inner);
        search(explorer.search_index(), &parse(query), &SearchOptions::default()).len() as u32
    })
}

/// Bytes of wasm linear memory in use by the app.
#[wasm_bindgen(js_name = folioWasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}
