//! Loads the site's own corpus, always as an app pack (indexes precomputed
//! by the compiler, ready in the time of a copy): the pack inlined in the
//! single-file build (a page opened from `file://` cannot fetch), else
//! `bundle.pack`; on a host without a usable pack, `bundle.json` made into a
//! pack by the compile worker. The page never indexes: `Explorer::new` is
//! not in its wasm (`Bundle::from_json` reads only a pack's meta).

use js_sys::Uint8Array;
use thiserror::Error;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::browser::compile_worker::{self, ConvertError, Form};
use crate::engine::explorer::Explorer;
use crate::engine::pack::HEAD_MAGIC;

/// The bundle's URL, relative to the page so the site works under any sub-path.
pub const BUNDLE_URL: &str = "bundle.json";

/// The app pack's URL (written beside the bundle by `folio compile --pack`).
pub const PACK_URL: &str = "bundle.pack";

/// The global that holds the pack's bytes in the single-file build: its
/// script (`scripts/single-file.mjs`) decodes the inlined pack into it
/// before it starts the app.
pub const INLINE_PACK_GLOBAL: &str = "folioPack";

/// Where an inlined pack came from, in error messages.
const INLINE_PACK_NAME: &str = "the pack inlined in this page";

thread_local! {
    /// The pack the compile worker made of `bundle.json` when the site had
    /// no usable one: the site's corpus, for adding to it or exporting it.
    static MADE_PACK: std::cell::RefCell<Option<Uint8Array>> = const { std::cell::RefCell::new(None) };
}

/// Why the bundle could not be loaded; the message is shown to the user.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("could not reach {url}: {reason}")]
    Network { url: String, reason: String },
    #[error("{url} answered HTTP {status}: the paper bundle is missing from this site")]
    Http { url: String, status: u16 },
    #[error("{url} is damaged: {reason}")]
    Corrupt { url: String, reason: String },
    #[error("{url} could not be read: {reason}")]
    Worker { url: String, reason: String },
}

/// Whether the site was built with a corpus of its own (a build with none
/// says so in its page: `<meta name="folio-corpus" content="none">`,
/// written by `scripts/post-build.mjs`).
pub fn site_has_corpus() -> bool {
    let meta = gloo::utils::document().query_selector("meta[name=\"folio-corpus\"]").ok().flatten();
    meta.and_then(|m| m.get_attribute("content")).as_deref() != Some("none")
}

/// The pack inlined in the page (single-file build), if there is one.
pub fn inline_pack() -> Option<Uint8Array> {
    js_sys::Reflect::get(&js_sys::global(), &INLINE_PACK_GLOBAL.into()).ok()?.dyn_into().ok()
}

/// The explorer over the inlined pack, the pack, or the bundle, in that
/// order. A pack that is missing, damaged or of another version is skipped
/// with a console warning: the bundle is always the reference.
pub async fn load_explorer() -> Result<Explorer, LoadError> {
    // A sharded site pack reads its shards from the host.
    crate::browser::shards::read_from(crate::browser::shards::Source::Site);
    if let Some(pack) = inline_pack() {
        return explorer_of_pack(pack.to_vec())
            .map_err(|reason| LoadError::Corrupt { url: INLINE_PACK_NAME.to_owned(), reason });
    }
    let pack = match fetch_bytes(PACK_URL).await {
        Ok(bytes) => explorer_of_pack(bytes),
        Err(err) => Err(err.to_string()),
    };
    match pack {
        Ok(explorer) => return Ok(explorer),
        Err(reason) => {
            web_sys::console::warn_1(&format!("{PACK_URL} not used ({reason}); reading {BUNDLE_URL}").into())
        }
    }
    let bundle = fetch_js_bytes(BUNDLE_URL).await?;
    let url = BUNDLE_URL.to_owned();
    let pack = match compile_worker::convert(bundle, Form::Pack).await {
        Ok(pack) => pack,
        Err(ConvertError::Corpus(reason)) => return Err(LoadError::Corrupt { url, reason }),
        Err(ConvertError::Worker(reason)) => return Err(LoadError::Worker { url, reason }),
    };
    let explorer = explorer_of_pack(pack.to_vec()).map_err(|reason| LoadError::Corrupt { url, reason })?;
    MADE_PACK.with(|made| *made.borrow_mut() = Some(pack));
    Ok(explorer)
}

/// The explorer over an app pack, or why not: the one call site of
/// `Explorer::from_pack` in the app (the site's pack, an opened or a kept
/// corpus), so that its code is in the wasm once. A sharded pack's head
/// (a large site corpus) gives an explorer that asks for its shards
/// (`browser::shards` fetches them beside `bundle.pack`).
#[inline(never)]
pub fn explorer_of_pack(pack: Vec<u8>) -> Result<Explorer, String> {
    match pack.starts_with(HEAD_MAGIC) {
        true => Explorer::from_head(&pack),
        false => Explorer::from_pack(pack),
    }
    .map_err(|err| err.to_string())
}

/// The body of `url`, as bytes in the app's memory.
/// A gzipped file (a sharded pack's head) comes inflated.
async fn fetch_bytes(url: &str) -> Result<Vec<u8>, LoadError> {
    let bytes = fetch_js_bytes(url).await?;
    crate::browser::shards::gunzip(bytes)
        .await
        .map_err(|_| LoadError::Corrupt { url: url.to_owned(), reason: "not a valid gzip file".to_owned() })
}

/// The site's corpus as bytes the compile worker reads (the pack, else the
/// bundle, which is also what a sharded pack's head stands for: the whole
/// corpus is in no one file else; a copy of the inlined pack in the single-file build, or of the
/// pack made of the bundle when the site had no usable one), kept on the
/// JavaScript side: a corpus is added to without a copy in the app's
/// memory.
pub async fn site_corpus_bytes() -> Result<Uint8Array, LoadError> {
    if let Some(pack) = inline_pack().or_else(|| MADE_PACK.with(|made| made.borrow().clone())) {
        // A copy: the worker takes (detaches) the bytes it is given.
        return Ok(pack.slice(0, pack.length()));
    }
    match fetch_js_bytes(PACK_URL).await {
        // A sharded pack's head (gzipped, or not) is not the corpus.
        Ok(bytes) if !is_head(&bytes.subarray(0, HEAD_MAGIC.len() as u32).to_vec()) => Ok(bytes),
        _ => fetch_js_bytes(BUNDLE_URL).await,
    }
}

/// Whether a pack file's first bytes are a sharded pack's head's (as
/// `folio pack` writes it: gzipped; or plain).
fn is_head(start: &[u8]) -> bool {
    start.starts_with(&crate::browser::shards::GZIP_MAGIC) || start.starts_with(HEAD_MAGIC)
}

/// The body of `url` as bytes kept on the JavaScript side.
pub async fn fetch_js_bytes(url: &str) -> Result<Uint8Array, LoadError> {
    let network = |err: wasm_bindgen::JsValue| {
        let reason = match err.dyn_ref::<js_sys::Error>() {
            Some(err) => String::from(err.message()),
            None => format!("{err:?}"),
        };
        LoadError::Network { url: url.to_owned(), reason }
    };
    let response: web_sys::Response =
        JsFuture::from(gloo::utils::window().fetch_with_str(url)).await.map_err(network)?.unchecked_into();
    if !response.ok() {
        return Err(LoadError::Http { url: url.to_owned(), status: response.status() });
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(network)?).await.map_err(network)?;
    Ok(Uint8Array::new(&buffer))
}
