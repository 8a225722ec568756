//! The view state in the page URL's query string: read on load and on
//! back/forward, written with the History API (no navigation, no deep paths).

use wasm_bindgen::JsValue;
use web_sys::UrlSearchParams;

use crate::engine::view_state::ViewState;

const KEYS: [&str; 5] = ["q", "f", "x", "sort", "paper"];

/// The view state encoded in the current URL (defaults when absent or malformed).
pub fn read() -> ViewState {
    let search = gloo::utils::window().location().search().unwrap_or_default();
    let Ok(params) = UrlSearchParams::new_with_str(&search) else {
        return ViewState::default();
    };
    let mut pairs = Vec::new();
    for key in KEYS {
        for value in params.get_all(key).iter() {
            if let Some(value) = value.as_string() {
                pairs.push((key, value));
            }
        }
    }
    ViewState::from_pairs(pairs)
}

/// Writes `state` into the URL unless it is already there. `push` adds a
/// history entry (back returns to the previous view); otherwise the current
/// entry is replaced (used while typing a query).
pub fn write(state: &ViewState, push: bool) {
    let window = gloo::utils::window();
    let location = window.location();
    let Ok(params) = UrlSearchParams::new() else {
        return;
    };
    for (key, value) in state.to_pairs() {
        params.append(&key, &value);
    }
    let query: String = params.to_string().into();
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
