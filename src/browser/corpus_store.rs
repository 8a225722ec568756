//! The corpora a person opened, kept in this browser's IndexedDB (not
//! localStorage: packs run to hundreds of MB), so they open again offline.
//!
//! One database per site folder (as the user-data key), three object
//! stores: `corpora` (each corpus's description, keyed by id),
//! `packs` (its app pack, a `Uint8Array`, same key) and `settings` (the
//! corpus in view). A corpus is written in one transaction over both
//! stores, so it is kept whole or not at all: a full or refused store
//! aborts the transaction and leaves nothing half-saved.
//!
//! web-sys directly, not an IndexedDB crate (`rexie`, `idb`,
//! `indexed_db_futures`): five operations need only a promise around a
//! request and one around a transaction, and the app's wasm stays smaller.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

use crate::engine::open::megabytes;

const VERSION: u32 = 1;
const CORPORA: &str = "corpora";
const PACKS: &str = "packs";
const SETTINGS: &str = "settings";
const CURRENT: &str = "current";

/// A kept corpus, as the corpus menu lists it (stored as a plain object:
/// the app's wasm carries no JSON codec for it).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCorpus {
    pub id: String,
    pub name: String,
    pub papers: f64,
    /// When it was opened or last changed (milliseconds since the epoch).
    pub date: f64,
    /// The pack's size in bytes.
    pub bytes: f64,
}

impl StoredCorpus {
    fn to_js(&self) -> JsValue {
        let object = js_sys::Object::new();
        for (key, value) in [
            ("id", JsValue::from_str(&self.id)),
            ("name", JsValue::from_str(&self.name)),
            ("papers", self.papers.into()),
            ("date", self.date.into()),
            ("bytes", self.bytes.into()),
        ] {
            let _ = js_sys::Reflect::set(&object, &key.into(), &value);
        }
        object.into()
    }

    fn from_js(value: &JsValue) -> Option<Self> {
        let get = |key: &str| js_sys::Reflect::get(value, &key.into()).ok();
        let number = |key: &str| get(key).and_then(|v| v.as_f64()).unwrap_or(0.0);
        Some(StoredCorpus {
            id: get("id")?.as_string()?,
            name: get("name")?.as_string()?,
            papers: number("papers"),
            date: number("date"),
            bytes: number("bytes"),
        })
    }
}

/// Why the store could not do what was asked, in words for the person.
pub fn describe(err: &JsValue) -> String {
    let name = err.dyn_ref::<web_sys::DomException>().map(|e| e.name()).unwrap_or_default();
    match name.as_str() {
        "QuotaExceededError" => "this browser's storage for the site is full".to_owned(),
        "InvalidStateError" | "SecurityError" | "UnknownError" => {
            "this browser does not let the site keep data (private window, or storage turned off)".to_owned()
        }
        _ => {
            let message = err.dyn_ref::<web_sys::DomException>().map(|e| e.message());
            message.or_else(|| err.as_string()).unwrap_or_else(|| "the browser's storage failed".to_owned())
        }
    }
}

fn database_name() -> String {
    format!("{}:corpora", crate::browser::user_store::key().trim_end_matches(":user-data"))
}

/// A promise settled by `request`'s success (its result) or error.
fn settled(request: &IdbRequest) -> Promise {
    let request = request.clone();
    Promise::new(&mut |resolve, reject| {
        let done = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &done.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move || {
            let error = failed.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    })
}

/// A promise settled when `transaction` commits (or fails, or aborts).
fn committed(transaction: &IdbTransaction) -> Promise {
    let transaction = transaction.clone();
    Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = transaction.clone();
        let on_fail = Closure::<dyn Fn()>::new(move || {
            let error = failed.error().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &error);
        })
        .into_js_value();
        transaction.set_oncomplete(Some(on_complete.unchecked_ref()));
        transaction.set_onerror(Some(on_fail.unchecked_ref()));
        transaction.set_onabort(Some(on_fail.unchecked_ref()));
    })
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let factory =
        gloo::utils::window().indexed_db()?.ok_or_else(|| JsValue::from_str("IndexedDB is not available"))?;
    let request: IdbOpenDbRequest = factory.open_with_u32(&database_name(), VERSION)?;
    let upgrade = Closure::once_into_js({
        let request = request.clone();
        move || {
            if let Ok(db) = request.result().and_then(|db| db.dyn_into::<IdbDatabase>()) {
                for store in [CORPORA, PACKS, SETTINGS] {
                    if !db.object_store_names().contains(store) {
                        let _ = db.create_object_store(store);
                    }
                }
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    Ok(JsFuture::from(settled(&request)).await?.unchecked_into())
}

fn transaction(db: &IdbDatabase, stores: &[&str], write: bool) -> Result<IdbTransaction, JsValue> {
    let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
    let mode = if write { IdbTransactionMode::Readwrite } else { IdbTransactionMode::Readonly };
    db.transaction_with_str_sequence_and_mode(&names, mode)
}

/// Every kept corpus, newest first.
pub async fn list() -> Result<Vec<StoredCorpus>, JsValue> {
    let db = open().await?;
    let tx = transaction(&db, &[CORPORA], false)?;
    let all: Array = JsFuture::from(settled(&tx.object_store(CORPORA)?.get_all()?)).await?.unchecked_into();
    let mut corpora: Vec<StoredCorpus> = all.iter().filter_map(|v| StoredCorpus::from_js(&v)).collect();
    corpora.sort_by(|a, b| b.date.total_cmp(&a.date));
    Ok(corpora)
}

/// Keeps `corpus` and its `pack` (replacing a corpus of the same id) and
/// makes it the corpus in view, in one transaction: all or nothing.
pub async fn save(corpus: &StoredCorpus, pack: &Uint8Array) -> Result<(), JsValue> {
    let db = open().await?;
    let tx = transaction(&db, &[CORPORA, PACKS, SETTINGS], true)?;
    let done = committed(&tx);
    let key = JsValue::from_str(&corpus.id);
    let written = (|| {
        tx.object_store(PACKS)?.put_with_key(pack, &key)?;
        tx.object_store(CORPORA)?.put_with_key(&corpus.to_js(), &key)?;
        tx.object_store(SETTINGS)?.put_with_key(&key, &JsValue::from_str(CURRENT))
    })();
    if let Err(err) = written {
        let _ = tx.abort();
        let _ = JsFuture::from(done).await;
        return Err(err);
    }
    JsFuture::from(done).await.map(|_| ())
}

/// Renames a kept corpus.
pub async fn rename(id: &str, name: &str) -> Result<(), JsValue> {
    let db = open().await?;
    let tx = transaction(&db, &[CORPORA], true)?;
    let done = committed(&tx);
    let store = tx.object_store(CORPORA)?;
    let key = JsValue::from_str(id);
    let stored = JsFuture::from(settled(&store.get(&key)?)).await?;
    if let Some(mut corpus) = StoredCorpus::from_js(&stored) {
        corpus.name = name.to_owned();
        store.put_with_key(&corpus.to_js(), &key)?;
    }
    JsFuture::from(done).await.map(|_| ())
}

/// The pack of a kept corpus (`None` if there is none by that id).
pub async fn pack(id: &str) -> Result<Option<Uint8Array>, JsValue> {
    let db = open().await?;
    let tx = transaction(&db, &[PACKS], false)?;
    let value = JsFuture::from(settled(&tx.object_store(PACKS)?.get(&JsValue::from_str(id))?)).await?;
    Ok(value.dyn_into::<Uint8Array>().ok())
}

/// Deletes a kept corpus and its pack (and forgets it as the corpus in view).
pub async fn delete(id: &str) -> Result<(), JsValue> {
    let db = open().await?;
    let tx = transaction(&db, &[CORPORA, PACKS, SETTINGS], true)?;
    let done = committed(&tx);
    let key = JsValue::from_str(id);
    tx.object_store(CORPORA)?.delete(&key)?;
    tx.object_store(PACKS)?.delete(&key)?;
    let settings = tx.object_store(SETTINGS)?;
    let current = JsFuture::from(settled(&settings.get(&JsValue::from_str(CURRENT))?)).await?;
    if current.as_string().as_deref() == Some(id) {
        settings.delete(&JsValue::from_str(CURRENT))?;
    }
    JsFuture::from(done).await.map(|_| ())
}

/// The kept corpus in view when the page was left (`None`: the site's own).
pub async fn current() -> Result<Option<String>, JsValue> {
    let db = open().await?;
    let tx = transaction(&db, &[SETTINGS], false)?;
    Ok(JsFuture::from(settled(&tx.object_store(SETTINGS)?.get(&JsValue::from_str(CURRENT))?))
        .await?
        .as_string())
}

/// Makes a kept corpus (or, with `None`, the site's own) the one in view on the next visit.
pub async fn set_current(id: Option<&str>) -> Result<(), JsValue> {
    let db = open().await?;
    let tx = transaction(&db, &[SETTINGS], true)?;
    let done = committed(&tx);
    let store = tx.object_store(SETTINGS)?;
    match id {
        Some(id) => store.put_with_key(&JsValue::from_str(id), &JsValue::from_str(CURRENT))?,
        None => store.delete(&JsValue::from_str(CURRENT))?,
    };
    JsFuture::from(done).await.map(|_| ())
}

/// How much of this browser's storage the site uses, in words (`None`
/// where the browser does not say).
pub async fn usage() -> Option<String> {
    let storage = gloo::utils::window().navigator().storage();
    let estimate: web_sys::StorageEstimate =
        JsFuture::from(storage.estimate().ok()?).await.ok()?.unchecked_into();
    let (used, quota) = (estimate.get_usage()?, estimate.get_quota()?);
    Some(format!(
        "This site uses {} of the {} this browser allows it.",
        megabytes(used as u64),
        megabytes(quota as u64)
    ))
}

/// Asks the browser not to evict the site's storage under pressure
/// (granted or not at its discretion; asked once per page).
pub fn request_persistence() {
    if let Ok(promise) = gloo::utils::window().navigator().storage().persist() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}
