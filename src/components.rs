//! UI components, one per file; they render state and call the engine.

pub mod bulk_tag;
pub mod corpus_menu;
pub mod dialog;
pub mod entity_chip;
pub mod explorer_view;
pub mod facet_panel;
pub mod filter_bar;
pub mod keyboard_help;
pub mod load_status;
pub mod map_view;
pub mod math_formula;
pub mod offline;
pub mod open_papers;
pub mod overview;
pub mod paper_view;
pub mod recommendations;
pub mod result_list;
pub mod search_box;
pub mod tag_editor;
pub mod tag_manager;
pub mod theme_toggle;
pub mod update_banner;
pub mod user_data_banner;
