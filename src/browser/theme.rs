//! The light/dark theme choice: follows the system unless the user picked one,
//! which is remembered in localStorage and applied as `data-theme` on `<html>`.

use gloo::storage::{LocalStorage, Storage};

const KEY: &str = "folio:theme";

/// A theme the user can pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The theme in effect: the stored choice, else the system preference.
pub fn current() -> Theme {
    match LocalStorage::raw().get_item(KEY).ok().flatten().as_deref() {
        Some("dark") => Theme::Dark,
        Some("light") => Theme::Light,
        _ if prefers_dark() => Theme::Dark,
        _ => Theme::Light,
    }
}

fn prefers_dark() -> bool {
    gloo::utils::window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
}

/// Applies `theme` to the page and remembers it (a storage failure only
/// loses the preference, never the page state).
pub fn apply(theme: Theme, remember: bool) {
    if let Some(root) = gloo::utils::document().document_element() {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
    if remember {
        let _ = LocalStorage::raw().set_item(KEY, theme.as_str());
    }
}
