//! Loads the corpus bundle: from the `<script type="application/json"
//! id="folio-bundle">` element of the single-file build when the page has
//! one (a page opened from `file://` cannot fetch), else by fetching it.

use gloo::net::http::Request;
use thiserror::Error;

use crate::engine::bundle::{Bundle, BundleError};

/// The bundle's URL, relative to the page so the site works under any sub-path.
pub const BUNDLE_URL: &str = "bundle.json";

/// The id of the element that carries the bundle in the single-file build
/// (written by `scripts/single-file.mjs`).
pub const INLINE_BUNDLE_ID: &str = "folio-bundle";

/// Where an inlined bundle came from, in error messages.
const INLINE_BUNDLE_NAME: &str = "the bundle inlined in this page";

/// Why the bundle could not be loaded; the message is shown to the user.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("could not reach {url}: {reason}")]
    Network { url: String, reason: String },
    #[error("{url} answered HTTP {status}: the paper bundle is missing from this site")]
    Http { url: String, status: u16 },
    #[error("{url} is damaged: {source}")]
    Corrupt { url: String, source: BundleError },
}

/// The bundle inlined in the page (single-file build), if there is one.
pub fn inline_bundle() -> Option<String> {
    gloo::utils::document().get_element_by_id(INLINE_BUNDLE_ID)?.text_content()
}

/// The inlined bundle when the page has one, else the one at `url`.
pub async fn fetch_bundle(url: &str) -> Result<Bundle, LoadError> {
    if let Some(text) = inline_bundle() {
        return Bundle::from_json(&text)
            .map_err(|source| LoadError::Corrupt { url: INLINE_BUNDLE_NAME.to_owned(), source });
    }
    let network = |err: gloo::net::Error| LoadError::Network { url: url.to_owned(), reason: err.to_string() };
    let response = Request::get(url).send().await.map_err(network)?;
    if !response.ok() {
        return Err(LoadError::Http { url: url.to_owned(), status: response.status() });
    }
    let text = response.text().await.map_err(network)?;
    Bundle::from_json(&text).map_err(|source| LoadError::Corrupt { url: url.to_owned(), source })
}
