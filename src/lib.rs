//! Folio: the pure engine plus, in the browser build, the Leptos app.
pub mod engine;
