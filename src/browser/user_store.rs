//! The user's data in localStorage: load (setting aside what does not
//! decode), save (reporting failures), and changes made by other tabs.
//!
//! localStorage rather than IndexedDB: user data is small (tags and notes on
//! the papers a person touched), synchronous access makes "saved" mean saved
//! before the next interaction, and the `storage` event keeps tabs in sync
//! for free. The key is namespaced by app and by the page's path, so two
//! corpora deployed on one origin never share or overwrite data.

use gloo::events::EventListener;
use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

use crate::engine::tags::{decode, encode, storage_key, UserData};

/// What loading found.
pub struct Loaded {
    pub data: UserData,
    /// Written by a newer Folio: shown, never overwritten.
    pub read_only: bool,
    /// A problem to show the user (e.g. a damaged value that was set aside).
    pub problem: Option<String>,
}

/// The storage key of this deployment's user data.
pub fn key() -> String {
    let path = gloo::utils::window().location().pathname().unwrap_or_default();
    let dir = path.rsplit_once('/').map_or("/", |(dir, _)| dir);
    storage_key(if dir.is_empty() { "/" } else { dir })
}

/// Milliseconds since the epoch.
pub fn now() -> u64 {
    js_sys::Date::now() as u64
}

fn storage() -> Result<web_sys::Storage, String> {
    gloo::utils::window()
        .local_storage()
        .ok()
        .flatten()
        .ok_or_else(|| "this browser blocks storage for this page (private mode or disabled)".to_owned())
}

pub fn load(key: &str) -> Loaded {
    let raw = match storage().map(|s| s.get_item(key)) {
        Ok(Ok(Some(raw))) => raw,
        Ok(Ok(None)) => return Loaded { data: UserData::default(), read_only: false, problem: None },
        Ok(Err(_)) | Err(_) => {
            return Loaded {
                data: UserData::default(),
                read_only: true,
                problem: Some("Your saved tags cannot be read: this browser blocks storage for this page. Changes stay in this tab only; use Export to keep them.".to_owned()),
            }
        }
    };
    match decode(&raw) {
        Ok(decoded) => Loaded {
            problem: decoded.read_only.then(|| {
                format!("Your tags were saved by a newer version of Folio (format {}). They are shown read-only so that nothing is lost; update Folio to edit them.", decoded.version)
            }),
            data: decoded.data,
            read_only: decoded.read_only,
        },
        Err(err) => {
            let aside = format!("{key}:set-aside:{}", now());
            match storage().and_then(|s| s.set_item(&aside, &raw).map_err(|_| "storage is full".to_owned())) {
                Ok(()) => Loaded {
                    data: UserData::default(),
                    read_only: false,
                    problem: Some(format!("Your saved tags could not be read ({err}). The old value was kept under \"{aside}\" in this browser's storage and starts fresh here.")),
                },
                Err(_) => Loaded {
                    data: UserData::default(),
                    read_only: true,
                    problem: Some(format!("Your saved tags could not be read ({err}) and could not be set aside, so nothing will be written over them. Changes stay in this tab only.")),
                },
            }
        }
    }
}

/// Saves the data; the error says why it could not be saved.
pub fn save(key: &str, data: &UserData) -> Result<(), String> {
    let text = encode(data, key, now());
    storage()?.set_item(key, &text).map_err(|err| {
        let name = err.dyn_ref::<js_sys::Error>().map(|e| String::from(e.name())).unwrap_or_default();
        if name.contains("Quota") {
            "the browser's storage for this site is full".to_owned()
        } else {
            format!(
                "the browser refused to save ({})",
                if name.is_empty() { "unknown error".to_owned() } else { name }
            )
        }
    })
}

/// Calls `on_change` with the data another tab saved under `key`.
pub fn on_other_tab_change(key: String, on_change: impl Fn(UserData) + 'static) -> EventListener {
    EventListener::new(&gloo::utils::window(), "storage", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else { return };
        if event.key().as_deref() != Some(key.as_str()) {
            return;
        }
        if let Some(Ok(decoded)) = event.new_value().map(|raw: String| decode(&raw)) {
            on_change(decoded.data);
        }
    })
}

/// Reads a raw value (used by the export of a set-aside value).
pub fn raw(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}
