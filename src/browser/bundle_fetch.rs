//! Fetches and decodes the corpus bundle.

use gloo::net::http::Request;
use thiserror::Error;

use crate::engine::bundle::{Bundle, BundleError};

/// The bundle's URL, relative to the page so the site works under any sub-path.
pub const BUNDLE_URL: &str = "bundle.json";

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

pub async fn fetch_bundle(url: &str) -> Result<Bundle, LoadError> {
    let network = |err: gloo::net::Error| LoadError::Network { url: url.to_owned(), reason: err.to_string() };
    let response = Request::get(url).send().await.map_err(network)?;
    if !response.ok() {
        return Err(LoadError::Http { url: url.to_owned(), status: response.status() });
    }
    let text = response.text().await.map_err(network)?;
    Bundle::from_json(&text).map_err(|source| LoadError::Corrupt { url: url.to_owned(), source })
}
