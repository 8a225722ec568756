//! The browser-IO layer: everything that talks to the outside world (network,
//! storage). Components call these, never `web_sys` or `gloo` directly.

pub mod bundle_fetch;
