//! The pure engine: corpus parsing, the bundle format, text analysis.
//!
//! Architecture Invariant: nothing under `engine` does IO or names a browser
//! crate; it builds and tests natively with plain `cargo test`.

pub mod bundle;
pub mod compile;
pub mod diagnostic;
pub mod listing;
pub mod text;
