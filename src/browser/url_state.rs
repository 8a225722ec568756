//! The view state in the page URL's query string: read on load and on
//! back/forward, written with the History API (no navigation, no deep paths).
//! The query string itself is the engine's ([`ViewState::to_query`]), the
//! same text the app's links carry, followed by the page's own parameters
//! ([`Pane`]: whether the map is shown and what colors it), which links to
//! a paper or a view leave out.

use std::cell::RefCell;

use wasm_bindgen::JsValue;

use crate::engine::view_state::ViewState;

/// How the page shows the view, beside what the view is: `show=map` when
/// the map is shown, `color=KEY` what colors its points (a facet group's key,
/// `cluster`, or `none`; the default is left out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pane {
    pub map: bool,
    pub color: String,
}

impl Pane {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.map {
            pairs.push(("show", "map".to_owned()));
        }
        if !self.color.is_empty() {
            pairs.push(("color", self.color.clone()));
        }
        pairs
    }
}

thread_local! {
    /// The pane the URL carries (written with every view).
    static PANE: RefCell<Pane> = RefCell::new(read_pane());
}

/// The view state encoded in the current URL (defaults when absent or malformed).
pub fn read() -> ViewState {
    ViewState::from_query(&search())
}

/// The pane the current URL names (defaults when absent or malformed).
pub fn read_pane() -> Pane {
    let mut pane = Pane::default();
    for (key, value) in form_urlencoded::parse(search().trim_start_matches('?').as_bytes()) {
        match key.as_ref() {
            "show" => pane.map = value == "map",
            "color" if !value.is_empty() => pane.color = value.into_owned(),
            _ => {}
        }
    }
    pane
}

fn search() -> String {
    gloo::utils::window().location().search().unwrap_or_default()
}

/// Shows `pane` from now on: the URL's entry is rewritten with it.
pub fn set_pane(pane: Pane) {
    if PANE.with(|p| *p.borrow() == pane) {
        return;
    }
    PANE.with(|p| *p.borrow_mut() = pane);
    write(&read(), false);
}

/// Writes `state` (and the pane in effect) into the URL unless it is
/// already there. `push` adds a history entry (back returns to the
/// previous view); otherwise the current entry is replaced (used while
/// typing a query).
pub fn write(state: &ViewState, push: bool) {
    let window = gloo::utils::window();
    let location = window.location();
    let mut query = form_urlencoded::Serializer::new(state.to_query());
    PANE.with(|p| query.extend_pairs(p.borrow().pairs()));
    let query = query.finish();
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
