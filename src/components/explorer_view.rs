//! The explorer's layout and what its keyboard shortcuts do (which key is
//! which: [`crate::engine::shortcuts`]).

use std::sync::{Arc, PoisonError};

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use crate::components::corpus_menu::CorpusMenu;
use crate::components::entity_chip::{clear, leave_focus, track_mentions};
use crate::components::facet_panel::FacetPanel;
use crate::components::filter_bar::FilterBar;
use crate::components::keyboard_help::KeyboardHelp;
use crate::components::map_view::MapView;
use crate::components::offline::OfflineButton;
use crate::components::open_papers::OpenButton;
use crate::components::overview::Overview;
use crate::components::paper_view::PaperView;
use crate::components::result_list::ResultList;
use crate::components::search_box::{SearchBox, SEARCH_INPUT_ID};
use crate::components::tag_manager::TagManager;
use crate::components::theme_toggle::ThemeToggle;
use crate::components::user_data_banner::UserDataBanner;
use crate::engine::explorer::WarmUp;
use crate::engine::shortcuts::{action_for, Action};
use crate::state::{
    after_paint, expect_cursor, expect_explorer, expect_hover, expect_pane, expect_results, expect_user,
    expect_view, provide_explorer_state, RehearsalContext, SharedExplorer,
};

#[component]
pub fn ExplorerView(
    /// The loaded corpus.
    explorer: SharedExplorer,
) -> impl IntoView {
    crate::browser::bench_hook::register(Arc::clone(&explorer));
    // Right after the first view is painted, run keystrokes' engine work so
    // that the first real ones do not wait for its code to compile, a step
    // per task: a keystroke meanwhile waits for one step, not all of it.
    provide_explorer_state(Arc::clone(&explorer));
    // Once the engine's steps are done, the views' update code too
    // (`state::rehearse`).
    let rehearse = expect_context::<RehearsalContext>().0;
    after_paint(move || warm_up(explorer, WarmUp::default(), crate::browser::bench_hook::now(), rehearse));
    let papers = expect_explorer();
    let fetcher = crate::browser::shards::expect_fetcher();
    after_paint(move || fetcher.prefetch_shared());
    let view = expect_view();
    let results = expect_results();
    let cursor = expect_cursor();
    let user = expect_user();
    let hover = expect_hover();
    let pane = expect_pane();
    let help_open = RwSignal::new(false);
    let tags_open = RwSignal::new(false);
    let facets_open = RwSignal::new(false);

    let keys = window_event_listener(leptos::ev::keydown, move |event: KeyboardEvent| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let target =
            event.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok());
        let typing = target.as_ref().is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.is_content_editable()
        });
        // Enter on a button or a link is that control's: it does not also
        // open the selected paper.
        let activates = event.key() == "Enter"
            && target.as_ref().is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY"));
        let Some(action) = action_for(&event.key(), typing) else { return };
        let count = results.with_untracked(|r| r.len());
        // Opens the selected paper (and focuses its tag input): at once, or
        // for a row still loading once its id is in.
        let open_selected = move |focus_tag: bool| {
            let Some(doc) = results.with_untracked(|r| r.get(cursor.get_untracked())) else { return };
            let open = move |id: String| {
                view.try_update(|v| v.paper = Some(id));
                if focus_tag {
                    user.focus_tag_input.try_set(true);
                }
            };
            match papers.with(|e| e.try_id(doc).map(str::to_owned)) {
                Some(id) => open(id),
                None => leptos::task::spawn_local(async move {
                    if let Some(id) = fetcher.ids_of(&[doc]).await.ok().and_then(|mut ids| ids.pop()) {
                        open(id);
                    }
                }),
            }
        };
        match action {
            Action::Close => {
                if help_open.get_untracked() || tags_open.get_untracked() {
                    help_open.set(false);
                    tags_open.set(false);
                } else if view.with_untracked(|v| v.paper.is_some()) {
                    view.update(|v| v.paper = None);
                } else if typing {
                    view.update(|v| v.query.clear());
                }
            }
            Action::Search => {
                event.prevent_default();
                focus_search();
            }
            Action::Help => help_open.update(|open| *open = !*open),
            Action::Next if count > 0 => {
                event.prevent_default();
                cursor.update(|c| *c = (*c + 1).min(count - 1));
            }
            Action::Previous if count > 0 => {
                event.prevent_default();
                cursor.update(|c| *c = c.saturating_sub(1));
            }
            Action::Next | Action::Previous => {}
            Action::Tag => {
                // Open the selected paper (if none is open) and focus its tag input.
                event.prevent_default();
                if view.with_untracked(|v| v.paper.is_none()) {
                    open_selected(true);
                } else {
                    user.focus_tag_input.set(true);
                }
            }
            Action::Open if !activates => open_selected(false),
            Action::Open => {}
        }
    });
    // Another corpus opened: this explorer goes, and its keys with it.
    on_cleanup(move || keys.remove());

    view! {
        <a class="skip-link" href="#results">"Skip to results"</a>
        <header class="app-header">
            <h1 class="app-title">"Folio"</h1>
            <SearchBox />
            <div class="header-actions">
                <button
                    class="icon-button facets-toggle"
                    aria-controls="facet-panel"
                    aria-expanded=move || facets_open.get().to_string()
                    on:click=move |_| facets_open.update(|o| *o = !*o)
                >
                    "Filters"
                </button>
                <CorpusMenu />
                <OfflineButton />
                <OpenButton />
                <button class="icon-button" data-testid="open-tags" on:click=move |_| tags_open.set(true)>"Tags"</button>
                <button class="icon-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)"
                    on:click=move |_| help_open.set(true)>"?"</button>
                <ThemeToggle />
            </div>
        </header>
        <div class="explorer" class:facets-open=move || facets_open.get()
            on:mouseover=move |ev| track_mentions(hover, &ev) on:focusin=move |ev| track_mentions(hover, &ev)
            on:mouseleave=move |_| clear(hover) on:focusout=move |ev| leave_focus(hover, &ev)>
            <FacetPanel />
            <main id="results" class="results-pane" tabindex="-1">
                <UserDataBanner />
                <FilterBar />
                <Show when=move || pane.with(|p| p.map)>
                    <MapView />
                </Show>
                <Overview />
                <ResultList />
            </main>
            <PaperView />
        </div>
        <Show when=move || tags_open.get()>
            <TagManager on_close=Callback::new(move |_| tags_open.set(false)) />
        </Show>
        <Show when=move || help_open.get()>
            <KeyboardHelp on_close=Callback::new(move |_| help_open.set(false)) />
        </Show>
    }
}

fn focus_search() {
    if let Some(input) = gloo::utils::document().get_element_by_id(SEARCH_INPUT_ID) {
        if let Ok(input) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(input) {
            let _ = input.focus();
            input.select();
        }
    }
}

/// Runs the explorer's warm-up step `at`, and the next one in a task of
/// its own, until done (or the corpus is gone). The first also renders a
/// formula, so that the first row with one does not wait for the math
/// renderer's code to compile; after the last, `rehearse` runs the views'
/// update code (`state::rehearse`). The engine's steps are named `folio:
/// warm-up` in the page's performance timeline (for the benchmark).
fn warm_up(explorer: SharedExplorer, at: WarmUp, started: f64, rehearse: Callback<()>) {
    if Arc::strong_count(&explorer) == 1 {
        return;
    }
    if at == WarmUp::default() {
        crate::components::math_formula::warm_up();
    }
    let engine = explorer.read().unwrap_or_else(PoisonError::into_inner);
    let start = crate::browser::bench_hook::now();
    let next = engine.warm_up_step(at).0;
    crate::browser::bench_hook::measure("warm-up step", start);
    drop(engine);
    if next == WarmUp::Done {
        crate::browser::bench_hook::measure("warm-up", started);
        rehearse.try_run(());
    } else {
        set_timeout(move || warm_up(explorer, next, started, rehearse), std::time::Duration::ZERO);
    }
}
