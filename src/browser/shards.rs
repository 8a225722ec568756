//! A sharded pack in the page (docs/pack-format.md): fetches the shards the
//! explorer asks for, each once and in parallel, by the relative path the
//! head names; hands them to the explorer; says when they arrive (the
//! results wait for index shards, a row only for its own record shard) and
//! why some could not be had. Every shard fetched is also put in the
//! service worker's shard cache, and "Make available offline" puts the
//! rest there, so the corpus then works with no network.
//!
//! A corpus the person opened and keeps (`browser::corpus_store`) can be
//! a sharded pack too: its shards are then read from the browser's store
//! (or, until it is kept, from the page's memory) instead of the host:
//! [`Source`], set by whoever puts a corpus in view.
//!
//! The shard cache is shared by every deployment of the site (shards are
//! named by the hash of their bytes, so a name always means the same
//! bytes); the head is in the deployment's own cache (`sw.js`), so a page
//! always reads one deployment's head with exactly the shards it names.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::engine::pack::shards::{ShardId, ShardKind};
use crate::state::ExplorerHandle;

/// What became of the shards asked for, for the explorer's components.
#[derive(Clone, Copy)]
pub struct Fetcher {
    explorer: ExplorerHandle,
    /// Bumped when a shard other than a record shard comes in (postings,
    /// positions, entities, facets, ids, the title order, vectors, map).
    pub index: RwSignal<u32>,
    /// Bumped when a record shard comes in.
    pub records: RwSignal<u32>,
    /// Bumped when a vector or map shard comes in (the map and the
    /// recommendations wait for them; `index` is bumped too, for the
    /// results of a map region or a "recommended for" view).
    pub discovery: RwSignal<u32>,
    /// Whether the results in view wait for shards.
    pub waiting: RwSignal<bool>,
    /// Why some shards could not be had (cleared when one comes in).
    pub problem: RwSignal<Option<Problem>>,
    in_flight: StoredValue<HashSet<ShardId>>,
    /// Where the fetch of the shards every query reads is
    /// ([`Fetcher::prefetch_shared`]).
    shared: StoredValue<Shared>,
    /// Shards to fetch once nothing is in flight ([`Fetcher::fetch_after_rows`]).
    later: StoredValue<Vec<ShardId>>,
}

/// When the shards that every query reads are fetched: not before the
/// first query's own shards are in (on the modelled home line they would
/// share its bandwidth), or the page has been quiet a while.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shared {
    /// The first view is not painted yet.
    NotYet,
    /// Painted: waiting for a first query's shards, or for quiet.
    Painted,
    /// A query was answered after waiting for its shards: once nothing
    /// is in flight (its rows' records).
    AfterQuery,
    Started,
}

/// How long the page is left quiet (nothing fetched, no query waiting)
/// before the shards every query reads are fetched anyway.
const QUIET: std::time::Duration = std::time::Duration::from_secs(4);

/// Where the shards of the corpus in view are read from.
#[derive(Clone, Debug)]
pub enum Source {
    /// The site's host, through the service worker's shard cache.
    Site,
    /// A corpus kept in this browser (`corpus_store`), by id.
    Kept(String),
    /// A corpus just opened, not kept (yet): its shards by path, in the
    /// page's memory (JavaScript's, not the app's).
    Opened(Rc<HashMap<String, Uint8Array>>),
}

thread_local! {
    static SOURCE: RefCell<Source> = const { RefCell::new(Source::Site) };
}

/// Reads the shards of the corpus put in view next (or now in view) from
/// `source`. A shard read from the wrong source is refused by the head's
/// hash, never used.
pub fn read_from(source: Source) {
    SOURCE.with(|s| *s.borrow_mut() = source);
}

/// Whether the corpus in view reads its shards from `opened` (it is still
/// the one just opened).
pub fn reads_from(opened: &Rc<HashMap<String, Uint8Array>>) -> bool {
    SOURCE.with(|s| matches!(&*s.borrow(), Source::Opened(now) if Rc::ptr_eq(now, opened)))
}

/// Whether the corpus in view reads its shards from the site's host
/// (only then is "Make available offline" for it).
pub fn reads_from_site() -> bool {
    SOURCE.with(|s| matches!(*s.borrow(), Source::Site))
}

/// Why shards could not be had, in words the page shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The host could not be reached (offline) and they are not on this device.
    Unreachable,
    /// The host no longer has them, or has other bytes under their name:
    /// the site was updated since this page loaded.
    Replaced,
    /// A kept corpus's shards are not in this browser's storage (cleared
    /// by the browser, or the corpus deleted in another tab).
    NotKept,
}

impl Problem {
    pub fn message(&self) -> &'static str {
        match self {
            Problem::Unreachable => {
                "You are offline, and this view needs parts of the corpus that are not on this device yet. \
                 Once online, “Make available offline” keeps all of it here."
            }
            Problem::Replaced => {
                "This site was updated since the page was loaded: reload the page to see the new version."
            }
            Problem::NotKept => {
                "Parts of this corpus are no longer kept in this browser (its storage was cleared, or the \
                 corpus deleted): open its files again."
            }
        }
    }
}

/// Provides the fetcher of the explorer's shards.
pub fn provide(explorer: ExplorerHandle) -> Fetcher {
    let fetcher = Fetcher {
        explorer,
        index: RwSignal::new(0),
        records: RwSignal::new(0),
        discovery: RwSignal::new(0),
        waiting: RwSignal::new(false),
        problem: RwSignal::new(None),
        in_flight: StoredValue::new(HashSet::new()),
        shared: StoredValue::new(Shared::NotYet),
        later: StoredValue::new(Vec::new()),
    };
    provide_context(fetcher);
    fetcher
}

pub fn expect_fetcher() -> Fetcher {
    expect_context::<Fetcher>()
}

impl Fetcher {
    /// The results in view are the answer for the view (nothing awaited).
    pub fn answered(&self) {
        if self.waiting.get_untracked() {
            self.waiting.set(false);
            // A query's shards are in: the shared ones once its rows' are too
            // (asked for when the rows render).
            if self.advance(Shared::Painted, Shared::AfterQuery) {
                let this = *self;
                crate::state::after_paint(move || this.when_idle());
            }
        }
    }

    /// Fetches shards `ids` (those not already on their way) in parallel:
    /// the results in view wait for them.
    pub fn fetch(&self, ids: Vec<ShardId>) {
        if ids.iter().any(|id| id.kind != ShardKind::Records) && !self.waiting.get_untracked() {
            self.waiting.set(true);
        }
        self.prefetch(ids);
    }

    /// Fetches the shards that every query reads (the facet lists kept out
    /// of the head: any query's counts read them) once the first view is
    /// painted (this call) and then the first query's own shards have
    /// arrived, or the page has been quiet for [`QUIET`]: they never share
    /// the line with the first query's, whose results do not wait for
    /// them (its facet groups say they are counting meanwhile).
    pub fn prefetch_shared(&self) {
        if self.advance(Shared::NotYet, Shared::Painted) {
            self.when_quiet();
        }
    }

    /// Moves the shared shards' fetch from `from` to `to`: whether it was at `from`.
    fn advance(&self, from: Shared, to: Shared) -> bool {
        let moved = self.shared.try_update_value(|at| (*at == from).then(|| *at = to).is_some());
        moved.unwrap_or(false)
    }

    /// Starts the shared shards' fetch after [`QUIET`] with nothing in
    /// flight and no query waiting (checked again until so).
    fn when_quiet(&self) {
        let this = *self;
        set_timeout(
            move || {
                let Some(state) = this.shared.try_get_value() else { return };
                let busy = this.waiting.try_get_untracked().unwrap_or(true)
                    || this.in_flight.try_with_value(|set| !set.is_empty()).unwrap_or(true);
                match state {
                    Shared::Painted if busy => this.when_quiet(),
                    Shared::Painted => this.start_shared(),
                    _ => {}
                }
            },
            QUIET,
        );
    }

    /// Fetches shards `ids` once nothing is in flight: what the facet
    /// groups of the answer just shown wait for, after its rows' records
    /// (asked for when the rows render), which would otherwise share the
    /// line with them.
    pub fn fetch_after_rows(&self, ids: Vec<ShardId>) {
        if ids.is_empty() {
            return;
        }
        self.later.try_update_value(|later| later.extend(ids));
        let this = *self;
        crate::state::after_paint(move || this.when_idle());
    }

    /// With nothing in flight: the shards put off until then, else (after
    /// a first query) the shared ones.
    fn when_idle(&self) {
        if !self.in_flight.try_with_value(HashSet::is_empty).unwrap_or(false) {
            return;
        }
        let later = self.later.try_update_value(std::mem::take).unwrap_or_default();
        let later: Vec<ShardId> = self
            .explorer
            .try_with(|e| later.into_iter().filter(|&id| !e.has_shard(id)).collect())
            .unwrap_or_default();
        if !later.is_empty() {
            self.prefetch(later);
        } else if self.shared.try_get_value() == Some(Shared::AfterQuery) {
            self.start_shared();
        }
    }

    fn start_shared(&self) {
        if self.shared.try_update_value(|s| std::mem::replace(s, Shared::Started)) == Some(Shared::Started) {
            return;
        }
        let ids = self.explorer.try_with(|e| e.shard_ids(ShardKind::Facets).collect());
        self.prefetch(ids.unwrap_or_default());
    }

    /// Fetches shards `ids` (those not already on their way) in parallel,
    /// without the results saying they wait (a paper's similar papers' id
    /// shards, the tag manager's).
    pub fn prefetch(&self, ids: Vec<ShardId>) {
        for id in ids {
            // Not one held already (the facet shards a first query's counts
            // fetched, when the shared ones are) nor one on its way.
            let path = self.explorer.try_with(|e| match e.has_shard(id) {
                true => None,
                false => e.shard_entry(id).map(|entry| entry.path()),
            });
            let Some(path) = path.flatten() else { continue };
            if !self.in_flight.try_update_value(|set| set.insert(id)).unwrap_or(false) {
                continue;
            }
            let this = *self;
            leptos::task::spawn_local(async move { this.receive(id, fetch_shard(&path).await) });
        }
    }

    /// Fetches the record shards of papers `docs` that are not held.
    pub fn fetch_records(&self, docs: &[u32]) {
        if let Some(missing) = self.explorer.try_with_mut(|e| e.missing_records(docs)) {
            self.fetch(missing);
        }
    }

    /// Fetches the record shards of papers `docs` that are not held and
    /// waits for them (an export of results reads every paper's record), a
    /// batch at a time. They stay held until the next exploration.
    pub async fn records_of(&self, docs: &[u32]) -> Result<(), Problem> {
        let missing = self.explorer.try_with_mut(|e| e.missing_records(docs)).unwrap_or_default();
        self.wait_for(missing).await
    }

    /// The ids of papers `docs` (tagging every result), after fetching
    /// what says them (`Explorer::missing_ids`: a few papers' records, or
    /// every id shard) and waiting for it.
    pub async fn ids_of(&self, docs: &[u32]) -> Result<Vec<String>, Problem> {
        // The shards asked for are kept until the next exploration, which a
        // shard arriving meanwhile may start: ask again until none is missing.
        for _ in 0..ID_ROUNDS {
            let missing = self.explorer.try_with_mut(|e| e.missing_ids(docs)).unwrap_or_default();
            if missing.is_empty() {
                break;
            }
            self.wait_for(missing).await?;
        }
        let ids: Option<Vec<String>> = self
            .explorer
            .try_with(|e| docs.iter().map(|&d| e.try_id(d).map(str::to_owned)).collect())
            .flatten();
        // Only if the host changed its files meanwhile, or the corpus closed.
        ids.ok_or(Problem::Replaced)
    }

    /// Fetches shards `missing` a batch at a time and gives them to the
    /// explorer.
    async fn wait_for(&self, missing: Vec<ShardId>) -> Result<(), Problem> {
        for batch in missing.chunks(BATCH) {
            let paths: Vec<(ShardId, String)> = batch
                .iter()
                .filter_map(|&id| {
                    Some((id, self.explorer.try_with(|e| e.shard_entry(id).map(|s| s.path()))??))
                })
                .collect();
            let fetched = futures::future::join_all(paths.iter().map(|(_, path)| fetch_shard(path))).await;
            for ((id, _), bytes) in paths.into_iter().zip(fetched) {
                if self.add(id, bytes?)? {
                    self.arrived(id);
                }
            }
        }
        Ok(())
    }

    /// Gives shard `id`'s bytes to the explorer: whether it took them
    /// (`false`: the explorer is gone, another corpus opened), or why not.
    fn add(&self, id: ShardId, bytes: Vec<u8>) -> Result<bool, Problem> {
        match self.explorer.try_with_mut(|e| e.add_shard(id, &bytes)) {
            Some(Ok(())) => Ok(true),
            None => Ok(false),
            Some(Err(err)) => {
                web_sys::console::warn_1(&format!("shard {:?} {} refused: {err}", id.kind, id.number).into());
                Err(Problem::Replaced)
            }
        }
    }

    fn receive(&self, id: ShardId, bytes: Result<Vec<u8>, Problem>) {
        self.in_flight.try_update_value(|set| set.remove(&id));
        match bytes.and_then(|bytes| self.add(id, bytes)) {
            Ok(false) => {}
            Ok(true) => {
                if self.problem.get_untracked().is_some() {
                    self.problem.set(None);
                }
                self.arrived(id);
            }
            Err(problem) => self.problem.set(Some(problem)),
        }
        // Once held (a shard put off until now may be this one).
        self.when_idle();
    }

    /// Says that shard `id` is held: what waits for its kind runs again.
    fn arrived(&self, id: ShardId) {
        if matches!(id.kind, ShardKind::Vectors | ShardKind::Map) {
            self.discovery.try_update(|n| *n += 1);
        }
        let signal = if id.kind == ShardKind::Records { self.records } else { self.index };
        signal.try_update(|n| *n += 1);
    }
}

/// A shard's bytes, from where the corpus in view reads them ([`Source`]).
async fn fetch_shard(path: &str) -> Result<Vec<u8>, Problem> {
    match SOURCE.with(|s| s.borrow().clone()) {
        Source::Site => fetch_site_shard(path).await,
        Source::Opened(shards) => shards.get(path).map(Uint8Array::to_vec).ok_or(Problem::NotKept),
        Source::Kept(id) => match crate::browser::corpus_store::shard(&id, path).await {
            Ok(Some(bytes)) => Ok(bytes.to_vec()),
            Ok(None) | Err(_) => Err(Problem::NotKept),
        },
    }
}

/// A site shard's bytes: from the service worker's cache when there, else
/// from the host (and then put in that cache).
async fn fetch_site_shard(path: &str) -> Result<Vec<u8>, Problem> {
    let window = gloo::utils::window();
    let response = JsFuture::from(window.fetch_with_str(path)).await.map_err(|_| Problem::Unreachable)?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return Err(if response.status() == 404 { Problem::Replaced } else { Problem::Unreachable });
    }
    let kept = response.clone().ok();
    let buffer = response.array_buffer().map_err(|_| Problem::Unreachable)?;
    let bytes = Uint8Array::new(&JsFuture::from(buffer).await.map_err(|_| Problem::Unreachable)?);
    if let (Some(kept), Some(cache)) = (kept, open_cache().await) {
        // Best effort: a full store only costs offline use.
        let _ = JsFuture::from(cache.put_with_str(path, &kept)).await;
    }
    // Bytes that are not gzip, or do not inflate, are refused by the head's hash.
    Ok(gunzip(bytes).await.unwrap_or_default())
}

/// The first bytes of a gzip file.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

#[wasm_bindgen]
extern "C" {
    /// The browser's own gzip decoder (web-sys lists it as unstable).
    type DecompressionStream;
    #[wasm_bindgen(constructor)]
    fn new(format: &str) -> DecompressionStream;
}

/// `bytes` inflated when they are gzip (a sharded pack's files are:
/// `folio pack` writes them so), by the browser's DecompressionStream: no
/// inflater in the app's wasm.
pub async fn gunzip(bytes: Uint8Array) -> Result<Vec<u8>, JsValue> {
    if bytes.length() < 2 || [bytes.get_index(0), bytes.get_index(1)] != GZIP_MAGIC {
        return Ok(bytes.to_vec());
    }
    let parts = Array::of1(&bytes);
    let stream = web_sys::Blob::new_with_u8_array_sequence(&parts)?.stream();
    let pipe: js_sys::Function = js_sys::Reflect::get(&stream, &"pipeThrough".into())?.dyn_into()?;
    let inflated: web_sys::ReadableStream =
        pipe.call1(&stream, &DecompressionStream::new("gzip"))?.dyn_into()?;
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&inflated))?;
    Ok(Uint8Array::new(&JsFuture::from(response.array_buffer()?).await?).to_vec())
}

/// The shard cache's name, as `sw.js` names it: one per site (its scope).
fn cache_name() -> Option<String> {
    let href = gloo::utils::window().location().href().ok()?;
    let scope = web_sys::Url::new_with_base("./", &href).ok()?.href();
    Some(format!("folio:{scope}:shards"))
}

/// The shard cache, where the page can have one (not on `file://`).
async fn open_cache() -> Option<web_sys::Cache> {
    let caches = gloo::utils::window().caches().ok()?;
    let cache = JsFuture::from(caches.open(&cache_name()?)).await.ok()?;
    Some(cache.unchecked_into())
}

/// How much of a sharded corpus is on this device: its shard files, and
/// their bytes as served (what downloading them costs and keeping them
/// takes: the cache keeps them gzipped, as served); the bytes held are
/// estimated from each kind's share unless every file is held.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OfflineState {
    pub files: usize,
    pub bytes: u64,
    pub cached_files: usize,
    pub cached_bytes: u64,
}

/// Every shard of the head (path and size as served), and their total
/// size as served (exact: the head records it per kind).
fn all_shards(explorer: ExplorerHandle) -> (Vec<(String, u64)>, u64) {
    explorer.with(|e| {
        let shards = ShardKind::ALL
            .into_iter()
            .flat_map(|kind| e.shard_ids(kind).collect::<Vec<_>>())
            .filter_map(|id| Some((e.shard_entry(id)?.path(), e.served_bytes(id)?)))
            .collect();
        (shards, ShardKind::ALL.into_iter().map(|kind| e.served_total(kind)).sum())
    })
}

/// The absolute URLs of the shards in the cache, after deleting those the
/// head does not name (an older deployment's).
async fn cached(cache: &web_sys::Cache, named: &HashSet<String>) -> HashSet<String> {
    let Ok(keys) = JsFuture::from(cache.keys()).await else { return HashSet::new() };
    let mut kept = HashSet::new();
    for request in Array::from(&keys).iter() {
        let url = request.unchecked_into::<web_sys::Request>().url();
        if named.contains(&url) {
            kept.insert(url);
        } else {
            let _ = JsFuture::from(cache.delete_with_str(&url)).await;
        }
    }
    kept
}

/// The absolute URL of a path relative to the page.
fn absolute(path: &str) -> String {
    let href = gloo::utils::window().location().href().unwrap_or_default();
    web_sys::Url::new_with_base(path, &href).map(|u| u.href()).unwrap_or_else(|_| path.to_owned())
}

/// How much of the corpus is on this device (`None` where there is no
/// cache: `file://`, or a browser without one).
pub async fn offline_state(explorer: ExplorerHandle) -> Option<OfflineState> {
    let cache = open_cache().await?;
    let (shards, total) = all_shards(explorer);
    let named: HashSet<String> = shards.iter().map(|(path, _)| absolute(path)).collect();
    let held = cached(&cache, &named).await;
    let mut state = OfflineState { files: shards.len(), bytes: total, ..OfflineState::default() };
    for (path, bytes) in &shards {
        if held.contains(&absolute(path)) {
            state.cached_files += 1;
            state.cached_bytes += bytes;
        }
    }
    // All of it: exactly its total.
    if state.cached_files == state.files {
        state.cached_bytes = total;
    }
    Some(state)
}

/// Shards fetched together by "Make available offline".
const BATCH: usize = 8;
/// How many times [`Fetcher::ids_of`] asks for what is missing.
const ID_ROUNDS: usize = 3;

/// Puts every shard not yet on this device in the shard cache, a batch at
/// a time; `progress(bytes done, bytes to do)` after each batch; stops
/// when `go_on` says so. Returns why it stopped early, if it did.
pub async fn make_available_offline(
    explorer: ExplorerHandle,
    progress: impl Fn(u64, u64),
    go_on: impl Fn() -> bool,
) -> Result<(), String> {
    let cache = open_cache().await.ok_or("this browser keeps no files for this page")?;
    let (shards, _) = all_shards(explorer);
    let named: HashSet<String> = shards.iter().map(|(path, _)| absolute(path)).collect();
    let held = cached(&cache, &named).await;
    let todo: Vec<&(String, u64)> =
        shards.iter().filter(|(path, _)| !held.contains(&absolute(path))).collect();
    let total: u64 = todo.iter().map(|(_, bytes)| bytes).sum();
    let mut done = 0;
    progress(done, total);
    for batch in todo.chunks(BATCH) {
        if !go_on() {
            return Err("cancelled".to_owned());
        }
        let urls: Array = batch.iter().map(|(path, _)| JsValue::from_str(path)).collect();
        JsFuture::from(cache.add_all_with_str_sequence(&urls)).await.map_err(|err| describe(&err))?;
        done += batch.iter().map(|(_, bytes)| bytes).sum::<u64>();
        progress(done, total);
    }
    Ok(())
}

/// A failed download in words (a full store names itself).
fn describe(err: &JsValue) -> String {
    match err.dyn_ref::<js_sys::Error>() {
        Some(err) if err.name() == "QuotaExceededError" => {
            "the browser's storage for this site is full; what was saved so far stays".to_owned()
        }
        Some(err) => format!("{}", String::from(err.message())),
        None => "the host could not be reached".to_owned(),
    }
}
