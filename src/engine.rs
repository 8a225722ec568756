//! The pure engine: corpus parsing, the bundle format, text analysis, search,
//! facets and tags.
//!
//! Architecture Invariant: nothing under `engine` does IO or names a browser
//! crate; it builds and tests natively with plain `cargo test`.

pub mod analyze;
pub mod bundle;
pub mod catalog;
pub mod compile;
pub mod diagnostic;
pub mod dictionary;
pub mod discover;
pub mod enrich;
pub mod explorer;
pub mod export;
pub mod facet_kind;
pub mod facets;
pub mod formats;
pub mod highlight;
pub mod index;
pub mod listing;
pub mod map;
pub mod math;
pub mod open;
pub mod pack;
pub mod progress;
pub mod query;
pub mod safe_url;
pub mod search;
pub mod shortcuts;
pub mod tags;
pub mod text;
pub mod unicode;
pub mod view_state;
