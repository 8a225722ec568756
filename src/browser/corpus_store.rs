//! The corpora a person opened, kept in this browser's IndexedDB (not
//! localStorage: packs run to hundreds of MB), so they open again offline.
//!
//! One database per site folder (as the user-data key), four object
//! stores: `corpora` (each corpus's description, keyed by id),
//! `packs` (its app pack, a `Uint8Array`, same key), `shards` (a large
//! corpus's pack is a head, in `packs`, and shards, each keyed
//! `{id}/{path}` by the path its head names: opening it decodes the head
//! alone, and `browser::shards` reads the shards a view needs from here)
//! and `settings` (the corpus in view). A corpus is written in one
//! transaction over the stores, so it is kept whole or not at all: a full
//! or refused store aborts the transaction and leaves nothing half-saved.
//! A large corpus the compile worker made is kept in two: the worker
//! writes its shards under the new corpus's id ([`write_shards`], one
//! transaction, from the worker: the page never receives them), then the
//! page writes its head and description ([`commit`], one transaction);
//! shards with no description are half a corpus, deleted when the open is
//! cancelled or its commit fails ([`delete_shards`]); a tab closed while
//! its worker wrote them leaves them behind, so the page deletes, once
//! idle after it starts, the shards of no described corpus that no tab is
//! writing ([`delete_orphan_shards`]: each writer holds a Web Lock named
//! for its corpus, [`hold`]).
//! Corpora kept before shards were (version 1 of the database) are one
//! file, and still open. A kept head is read a part at a time
//! ([`explorer_in_steps`]), each part a task of its own, each named in
//! the page's performance timeline ([`measure`]).
//!
//! web-sys directly, not an IndexedDB crate (`rexie`, `idb`,
//! `indexed_db_futures`): five operations need only a promise around a
//! request and one around a transaction, and the app's wasm stays smaller.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

use crate::browser::bundle_fetch::explorer_of_pack;
use crate::browser::{bench_hook, method};
use crate::engine::explorer::Explorer;
use crate::engine::open::byte_size;
use crate::engine::pack::{HeadDecoder, HEAD_MAGIC};

const VERSION: u32 = 2;
const CORPORA: &str = "corpora";
const PACKS: &str = "packs";
const SHARDS: &str = "shards";
const SETTINGS: &str = "settings";
/// Shards put in the store in one go (a few MB: a few milliseconds).
const SAVED_AT_ONCE: usize = 200;
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
    /// The pack's size in bytes (all its files).
    pub bytes: f64,
    /// How many shard files its pack has (0: one file).
    pub shards: f64,
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
            ("shards", self.shards.into()),
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
            shards: number("shards"),
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

thread_local! {
    /// The database, once opened (a view reads its shards one by one).
    static DATABASE: std::cell::RefCell<Option<IdbDatabase>> = const { std::cell::RefCell::new(None) };
}

async fn open() -> Result<IdbDatabase, JsValue> {
    if let Some(db) = DATABASE.with(|db| db.borrow().clone()) {
        return Ok(db);
    }
    let db = open_new().await?;
    DATABASE.with(|cached| *cached.borrow_mut() = Some(db.clone()));
    Ok(db)
}

async fn open_new() -> Result<IdbDatabase, JsValue> {
    open_named(&database_name()).await
}

/// The name of this site's corpora database, for the compile worker (a
/// worker cannot tell the page's folder: its location is its script's).
pub fn name() -> String {
    database_name()
}

/// Opens (creating or upgrading) the corpora database `name`, from the page
/// or from a worker (both have `indexedDB`).
pub async fn open_named(name: &str) -> Result<IdbDatabase, JsValue> {
    let factory = js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into())
        .ok()
        .and_then(|f| f.dyn_into::<web_sys::IdbFactory>().ok())
        .ok_or_else(|| JsValue::from_str("IndexedDB is not available"))?;
    let request: IdbOpenDbRequest = factory.open_with_u32(name, VERSION)?;
    let upgrade = Closure::once_into_js({
        let request = request.clone();
        move || {
            if let Ok(db) = request.result().and_then(|db| db.dyn_into::<IdbDatabase>()) {
                for store in [CORPORA, PACKS, SHARDS, SETTINGS] {
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

/// The keys of corpus `id`'s shards: `{id}/` then any path.
fn shard_keys(id: &str) -> Result<JsValue, JsValue> {
    let range = web_sys::IdbKeyRange::bound(&format!("{id}/").into(), &format!("{id}/\u{ffff}").into())?;
    Ok(range.into())
}

/// Puts `shards` (path, bytes) under corpus `id` in `tx`, a batch at a
/// time, each batch once the one before is written (the transaction stays
/// open meanwhile): each put copies its bytes on the calling thread, and a
/// 100k-paper corpus has 15,000 shards. Returns how many, and their bytes.
async fn put_shards(
    tx: &IdbTransaction,
    id: &str,
    shards: impl Iterator<Item = (String, Uint8Array)>,
) -> Result<(usize, f64), JsValue> {
    let store = tx.object_store(SHARDS)?;
    let (mut count, mut bytes) = (0, 0.0);
    let mut last = store.delete(&shard_keys(id)?)?;
    for (path, shard) in shards {
        if count % SAVED_AT_ONCE == 0 {
            JsFuture::from(settled(&last)).await?;
        }
        last = store.put_with_key(&shard, &JsValue::from_str(&format!("{id}/{path}")))?;
        count += 1;
        bytes += f64::from(shard.length());
    }
    JsFuture::from(settled(&last)).await?;
    Ok((count, bytes))
}

/// Aborts `tx` after `err` and waits for it to end: nothing it did stays.
async fn abandon(tx: &IdbTransaction, done: Promise, err: JsValue) -> JsValue {
    let _ = tx.abort();
    let _ = JsFuture::from(done).await;
    err
}

/// Keeps `corpus` and its `pack` (a sharded pack's head, with its
/// `shards` by path; replacing a corpus of the same id, its old shards
/// too) and makes it the corpus in view, in one transaction: all or
/// nothing.
pub async fn save(
    corpus: &StoredCorpus,
    pack: &Uint8Array,
    shards: &[(String, Uint8Array)],
) -> Result<(), JsValue> {
    let db = open().await?;
    let tx = transaction(&db, &[CORPORA, PACKS, SHARDS, SETTINGS], true)?;
    let done = committed(&tx);
    if let Err(err) = put_shards(&tx, &corpus.id, shards.iter().cloned()).await {
        return Err(abandon(&tx, done, err).await);
    }
    if let Err(err) = put_corpus(&tx, corpus, pack, None) {
        return Err(abandon(&tx, done, err).await);
    }
    JsFuture::from(done).await.map(|_| ())
}

/// Puts the description and pack of `corpus` and makes it the corpus in
/// view; deletes corpus `replaced` (with its shards) when given.
fn put_corpus(
    tx: &IdbTransaction,
    corpus: &StoredCorpus,
    pack: &Uint8Array,
    replaced: Option<&str>,
) -> Result<(), JsValue> {
    let key = JsValue::from_str(&corpus.id);
    if let Some(old) = replaced.filter(|old| *old != corpus.id) {
        let old_key = JsValue::from_str(old);
        tx.object_store(CORPORA)?.delete(&old_key)?;
        tx.object_store(PACKS)?.delete(&old_key)?;
        tx.object_store(SHARDS)?.delete(&shard_keys(old)?)?;
    }
    tx.object_store(PACKS)?.put_with_key(pack, &key)?;
    tx.object_store(CORPORA)?.put_with_key(&corpus.to_js(), &key)?;
    tx.object_store(SETTINGS)?.put_with_key(&key, &JsValue::from_str(CURRENT))?;
    Ok(())
}

/// Writes a sharded pack's shards under corpus `id` in database `db_name`
/// (the compile worker does, so that they never cross to the page), in
/// one transaction: all or none. They are half of a corpus until
/// [`commit`] writes its head and description (or [`delete_shards`] drops
/// them). Returns how many shards, and their bytes.
pub async fn write_shards(
    db_name: &str,
    id: &str,
    shards: impl Iterator<Item = (String, Uint8Array)>,
) -> Result<(usize, f64), JsValue> {
    let db = open_named(db_name).await?;
    let tx = transaction(&db, &[SHARDS], true)?;
    let done = committed(&tx);
    let written = match put_shards(&tx, id, shards).await {
        Ok(written) => written,
        Err(err) => {
            let err = abandon(&tx, done, err).await;
            db.close();
            return Err(err);
        }
    };
    let result = JsFuture::from(done).await.map(|_| written);
    db.close();
    result
}

/// Keeps `corpus` whose shards [`write_shards`] wrote: its `head` and
/// description, in view, in one transaction (replacing corpus `replaced`
/// and its shards, when adding to a kept corpus made a new one).
pub async fn commit(corpus: &StoredCorpus, head: &Uint8Array, replaced: Option<&str>) -> Result<(), JsValue> {
    let db = open().await?;
    let tx = transaction(&db, &[CORPORA, PACKS, SHARDS, SETTINGS], true)?;
    let done = committed(&tx);
    if let Err(err) = put_corpus(&tx, corpus, head, replaced) {
        return Err(abandon(&tx, done, err).await);
    }
    let committed = JsFuture::from(done).await.map(|_| ());
    if committed.is_ok() {
        release(&corpus.id);
    }
    committed
}

/// Deletes the shards kept under `id` (those of an open cancelled or not
/// kept after [`write_shards`]), and lets go of the corpus ([`release`]).
pub async fn delete_shards(id: &str) -> Result<(), JsValue> {
    let deleted = async {
        let db = open().await?;
        let tx = transaction(&db, &[SHARDS], true)?;
        let done = committed(&tx);
        tx.object_store(SHARDS)?.delete(&shard_keys(id)?)?;
        JsFuture::from(done).await.map(|_| ())
    }
    .await;
    release(id);
    deleted
}

thread_local! {
    /// Per corpus this page writes, the function that lets go of its lock.
    static HELD: std::cell::RefCell<std::collections::HashMap<String, js_sys::Function>> =
        std::cell::RefCell::default();
}

/// The Web Lock a page holds while corpus `id` is being written: its name.
fn lock_name(id: &str) -> String {
    format!("{}/{id}", database_name())
}

/// The page's lock manager (`navigator.locks`), where the browser has one.
fn locks() -> Option<JsValue> {
    let navigator = gloo::utils::window().navigator();
    js_sys::Reflect::get(&navigator, &"locks".into()).ok().filter(|l| !l.is_undefined() && !l.is_null())
}

/// Marks corpus `id` as being written by this page until [`release`]
/// (its shards first, by the worker; then its head and description, by
/// [`commit`]), with a Web Lock: the lock, unlike a mark in the store,
/// goes with the tab, so shards whose writer closed are told apart from
/// shards another tab is writing ([`delete_orphan_shards`]).
pub fn hold(id: &str) {
    let Some(locks) = locks() else { return };
    let mut release = None;
    let held = Promise::new(&mut |resolve, _| release = Some(resolve));
    let Some(release) = release else { return };
    let until_released = Closure::once_into_js(move |_lock: JsValue| held);
    if let Some(request) = method(&locks, "request") {
        if request.call2(&locks, &lock_name(id).into(), &until_released).is_ok() {
            HELD.with(|held| held.borrow_mut().insert(id.to_owned(), release));
        }
    }
}

/// Lets go of corpus `id` ([`hold`]): written whole, or deleted.
pub fn release(id: &str) {
    if let Some(release) = HELD.with(|held| held.borrow_mut().remove(id)) {
        let _ = release.call0(&JsValue::NULL);
    }
}

/// The corpora some tab of this site is writing now (the locks held), or
/// `None` where the browser cannot tell (no Web Locks).
async fn being_written() -> Option<std::collections::HashSet<String>> {
    let locks = locks()?;
    let query = method(&locks, "query")?;
    let promise: Promise = query.call0(&locks).ok()?.dyn_into().ok()?;
    let state = JsFuture::from(promise).await.ok()?;
    let prefix = format!("{}/", database_name());
    let mut names = std::collections::HashSet::new();
    for list in ["held", "pending"] {
        let list: Array = js_sys::Reflect::get(&state, &list.into()).ok()?.dyn_into().ok()?;
        for lock in list.iter() {
            let name = js_sys::Reflect::get(&lock, &"name".into()).ok().and_then(|n| n.as_string());
            if let Some(id) = name.as_deref().and_then(|n| n.strip_prefix(&prefix)) {
                names.insert(id.to_owned());
            }
        }
    }
    Some(names)
}

/// Deletes the shards of no described corpus that no tab is writing (a
/// tab closed while its worker wrote a corpus's shards leaves them):
/// returns the corpora whose shards it deleted. Does nothing where the
/// browser cannot say which corpora are being written. One transaction;
/// it reads a key per corpus (the first shard after the last corpus's),
/// not every shard's.
pub async fn delete_orphan_shards() -> Result<Vec<String>, JsValue> {
    let Some(writing) = being_written().await else { return Ok(Vec::new()) };
    let db = open().await?;
    let tx = transaction(&db, &[CORPORA, SHARDS], true)?;
    let done = committed(&tx);
    let described: Array =
        JsFuture::from(settled(&tx.object_store(CORPORA)?.get_all_keys()?)).await?.unchecked_into();
    let described: std::collections::HashSet<String> =
        described.iter().filter_map(|k| k.as_string()).collect();
    let store = tx.object_store(SHARDS)?;
    let mut deleted = Vec::new();
    let mut after = web_sys::IdbKeyRange::lower_bound(&"".into())?;
    loop {
        let key = JsFuture::from(settled(&store.get_key(&after)?)).await?;
        let Some(key) = key.as_string() else { break };
        let id = key.split('/').next().unwrap_or_default().to_owned();
        if !described.contains(&id) && !writing.contains(&id) {
            store.delete(&shard_keys(&id)?)?;
            deleted.push(id.clone());
        }
        after = web_sys::IdbKeyRange::lower_bound_with_open(&format!("{id}/\u{ffff}").into(), true)?;
    }
    JsFuture::from(done).await?;
    Ok(deleted)
}

/// Runs [`delete_orphan_shards`] once the page is idle (after its first
/// paint and the corpus's opening), so that it takes nothing from them.
pub fn delete_orphan_shards_when_idle() {
    crate::browser::when_idle(|| {
        wasm_bindgen_futures::spawn_local(async {
            if let Ok(deleted) = delete_orphan_shards().await {
                if !deleted.is_empty() {
                    let message = format!("deleted the shards of {} corpora never kept", deleted.len());
                    web_sys::console::info_1(&message.into());
                }
            }
        });
    });
}

/// Every shard kept under `id`, by path.
pub async fn shards_of(id: &str) -> Result<Vec<(String, Uint8Array)>, JsValue> {
    let db = open().await?;
    let tx = transaction(&db, &[SHARDS], false)?;
    read_shards(&tx, id).await
}

async fn read_shards(tx: &IdbTransaction, id: &str) -> Result<Vec<(String, Uint8Array)>, JsValue> {
    let store = tx.object_store(SHARDS)?;
    let range = shard_keys(id)?;
    let keys: Array = JsFuture::from(settled(&store.get_all_keys_with_key(&range)?)).await?.unchecked_into();
    let values: Array = JsFuture::from(settled(&store.get_all_with_key(&range)?)).await?.unchecked_into();
    let prefix = id.len() + 1;
    Ok(keys
        .iter()
        .zip(values.iter())
        .map(|(key, value)| {
            let path = key.as_string().unwrap_or_default().get(prefix..).unwrap_or_default().to_owned();
            (path, value.unchecked_into())
        })
        .collect())
}

/// Lets the page run (paint, input) before what follows: a task of its own.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = gloo::utils::window().set_timeout_with_callback(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The explorer of `pack`: a sharded pack's head is read a part at a time,
/// each part a task of its own ([`HeadDecoder`]: tens of milliseconds in
/// all at 100k papers), so that the page paints and takes input between
/// them; a whole pack at once.
pub async fn explorer_in_steps(pack: Vec<u8>) -> Result<Explorer, String> {
    if !pack.starts_with(HEAD_MAGIC) {
        return explorer_of_pack(pack);
    }
    let start = bench_hook::now();
    let mut decoder = HeadDecoder::new(pack).map_err(|err| err.to_string())?;
    bench_hook::measure("head: frame", start);
    while let Some(part) = decoder.next_part() {
        next_task().await;
        let start = bench_hook::now();
        decoder.step().map_err(|err| err.to_string())?;
        bench_hook::measure(&format!("head: {part}"), start);
    }
    next_task().await;
    let start = bench_hook::now();
    let explorer = Explorer::from_head_decoder(decoder).map_err(|err| err.to_string());
    bench_hook::measure("head: explorer", start);
    explorer
}

/// The explorer over kept corpus `id` (a sharded pack's head, read a part
/// at a time: its shards are then read from this store,
/// `browser::shards::Source::Kept`).
pub async fn explorer(id: &str) -> Result<Explorer, String> {
    let pack = match pack(id).await {
        Ok(Some(pack)) => pack,
        Ok(None) => return Err("it is no longer kept in this browser".to_owned()),
        Err(err) => return Err(describe(&err)),
    };
    let explorer = explorer_in_steps(pack.to_vec()).await?;
    crate::browser::shards::read_from(crate::browser::shards::Source::Kept(id.to_owned()));
    Ok(explorer)
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

/// Shard `path` of kept corpus `id` (`None` if it has none by that path).
pub async fn shard(id: &str, path: &str) -> Result<Option<Uint8Array>, JsValue> {
    let db = open().await?;
    let tx = transaction(&db, &[SHARDS], false)?;
    let key = JsValue::from_str(&format!("{id}/{path}"));
    let value = JsFuture::from(settled(&tx.object_store(SHARDS)?.get(&key)?)).await?;
    Ok(value.dyn_into::<Uint8Array>().ok())
}

/// The whole of kept corpus `id` in one buffer the compile worker reads
/// (to add files to it, or export it): its pack, or for a sharded pack
/// its head and every shard (`engine::open::FILES_MAGIC`), put together
/// on the JavaScript side (not in the app's memory). `None` if there is
/// no corpus by that id (a shard missing is for the worker to refuse).
pub async fn whole(id: &str) -> Result<Option<Uint8Array>, JsValue> {
    let db = open().await?;
    let tx = transaction(&db, &[PACKS, SHARDS], false)?;
    let pack = JsFuture::from(settled(&tx.object_store(PACKS)?.get(&JsValue::from_str(id))?)).await?;
    let Ok(pack) = pack.dyn_into::<Uint8Array>() else { return Ok(None) };
    if !pack.subarray(0, 8).to_vec().starts_with(crate::engine::pack::HEAD_MAGIC) {
        return Ok(Some(pack));
    }
    let mut files: Vec<(String, Uint8Array)> = vec![("head".to_owned(), pack)];
    files.extend(read_shards(&tx, id).await?);
    Ok(Some(buffer_of(&files)))
}

/// An opened sharded pack's files, its `head` and `shards`, in one buffer
/// (what the worker reads, as [`whole`] gives a kept one's).
pub fn files_buffer(head: &Uint8Array, shards: &[(String, Uint8Array)]) -> Uint8Array {
    let files: Vec<(String, Uint8Array)> =
        std::iter::once(("head".to_owned(), head.clone())).chain(shards.iter().cloned()).collect();
    buffer_of(&files)
}

/// `files` in one buffer, as `engine::open::files_of` writes them.
fn buffer_of(files: &[(String, Uint8Array)]) -> Uint8Array {
    let word = |n: usize| (n as u32).to_le_bytes();
    let total =
        12 + files.iter().map(|(name, bytes)| 8 + name.len() + bytes.length() as usize).sum::<usize>();
    let out = Uint8Array::new_with_length(total as u32);
    let mut at = 0u32;
    let mut put = |bytes: &Uint8Array| {
        out.set(bytes, at);
        at += bytes.length();
    };
    put(&Uint8Array::from(&crate::engine::open::FILES_MAGIC[..]));
    put(&Uint8Array::from(&word(files.len())[..]));
    for (name, bytes) in files {
        put(&Uint8Array::from(&word(name.len())[..]));
        put(&Uint8Array::from(name.as_bytes()));
        put(&Uint8Array::from(&word(bytes.length() as usize)[..]));
        put(bytes);
    }
    out
}

/// Deletes a kept corpus, its pack and its shards (and forgets it as the
/// corpus in view).
pub async fn delete(id: &str) -> Result<(), JsValue> {
    let db = open().await?;
    let tx = transaction(&db, &[CORPORA, PACKS, SHARDS, SETTINGS], true)?;
    let done = committed(&tx);
    let key = JsValue::from_str(id);
    tx.object_store(CORPORA)?.delete(&key)?;
    tx.object_store(PACKS)?.delete(&key)?;
    tx.object_store(SHARDS)?.delete(&shard_keys(id)?)?;
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
        byte_size(used as u64),
        byte_size(quota as u64)
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
