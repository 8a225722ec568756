//! The browser-IO layer: everything that talks to the outside world (network,
//! URL, storage). Components call these, never `web_sys` or `gloo` directly.

pub mod bench_hook;
pub mod bundle_fetch;
pub mod compile_worker;
pub mod corpus_store;
pub mod download;
pub mod map_canvas;
pub mod map_gl;
pub mod service_worker;
pub mod shards;
pub mod theme;
pub mod unicode;
pub mod url_state;
pub mod user_store;
