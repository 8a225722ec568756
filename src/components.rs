//! UI components, one per file; they render state and call the engine.

pub mod load_status;
pub mod paper_list;
