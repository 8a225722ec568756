//! Folio: the pure engine (everywhere) and, in the wasm32 build, the Leptos
//! app: a thin browser-IO layer, the root component and its components.

pub mod engine;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod state;
