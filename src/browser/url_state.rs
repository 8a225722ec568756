//! The view state in the page URL's query string: read on load and on
//! back/forward, written with the History API (no navigation, no deep paths).
//! The query string itself is the engine's ([`ViewState::to_query`]), the
//! same text the app's links carry.

use wasm_bindgen::JsValue;

use crate::engine::view_state::ViewState;

/// The view state encoded in the current URL (defaults when absent or malformed).
pub fn read() -> ViewState {
    ViewState::from_query(&gloo::utils::window().location().search().unwrap_or_default())
}

/// Writes `state` into the URL unless it is already there. `push` adds a
/// history entry (back returns to the previous view); otherwise the current
/// entry is replaced (used while typing a query).
pub fn write(state: &ViewState, push: bool) {
    let window = gloo::utils::window();
    let location = window.location();
    let query = state.to_query();
    let current = location.search().unwrap_or_default();
    if current.trim_start_matches('?') == query {
        return;
    }
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let url = if query.is_empty() { format!("{path}{hash}") } else { format!("{path}?{query}{hash}") };
    if let Ok(history) = window.history() {
        let _ = if push {
            history.push_state_with_url(&JsValue::NULL, "", Some(&url))
        } else {
            history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
        };
    }
}
