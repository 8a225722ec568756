//! The results, a page at a time: only what is shown is rendered, so a
//! 100k-paper corpus stays responsive.

use leptos::either::Either;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser::shards::expect_fetcher;
use crate::components::entity_chip::EntityChip;
use crate::components::math_formula::MathFormula;
use crate::components::recommendations::{provide_reasons, RecommendBanner, RowReasons};
use crate::engine::facet_kind::FacetKind;
use crate::engine::highlight::{segments, Segment, Span};
use crate::engine::view_state::ViewState;
use crate::state::{expect_cursor, expect_explorer, expect_hover, expect_results, expect_user, expect_view};

/// Results rendered per page: about a screenful of rows with a snippet
/// (each row a keystroke makes is work before its frame: with 12, the
/// slowest keystrokes took 40% longer at 100k papers). The next page
/// comes when the rows leave room for another in the window (a frame
/// later), when the list is scrolled near its end, or with "Show more".
const PAGE: usize = 6;
/// How close (px) the end of the list comes to the bottom of the window
/// before the next page is rendered.
const AHEAD: f64 = 600.0;
/// Room (px) left below the last row, in the window, for another page to
/// follow at once: about a row without a snippet.
const ROOM: u32 = 96;
/// Entity chips shown in a result row (the paper view shows them all).
const ROW_CHIPS: usize = 6;

#[component]
pub fn ResultList() -> impl IntoView {
    let results = expect_results();
    let view = expect_view();
    let cursor = expect_cursor();
    let shown = RwSignal::new(PAGE);
    // A new result set starts at the first page again (set only when it
    // differs: setting re-renders the rows; not for a rehearsal).
    Effect::new(move |_| {
        results.track();
        if !crate::state::rehearsing() && shown.get_untracked() != PAGE {
            shown.set(PAGE);
        }
    });
    // Keep the keyboard cursor visible when it moves: reveal its page and
    // scroll to it (not on every keystroke: scrolling forces a layout).
    Effect::new(move |before: Option<usize>| {
        let c = cursor.get();
        if before.is_some_and(|b| b != c) {
            if c >= shown.get_untracked() {
                shown.set((c / PAGE + 1) * PAGE);
            }
            if let Some(el) =
                gloo::utils::document().query_selector(".result[aria-current=\"true\"]").ok().flatten()
            {
                el.scroll_into_view_with_bool(false);
            }
        }
        c
    });
    let total = move || results.with(|r| r.len());
    // Scrolling near the end of the list renders the next page (once per
    // page: the button is only there while a page is left).
    let more = NodeRef::<leptos::html::Button>::new();
    let scroll = window_event_listener(leptos::ev::scroll, move |_| {
        let Some(button) = more.get_untracked() else { return };
        if !button.is_connected() || shown.get_untracked() >= results.with_untracked(|r| r.len()) {
            return;
        }
        let height = gloo::utils::window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
        if button.get_bounding_client_rect().top() < height + AHEAD {
            shown.update(|n| *n += PAGE);
        }
    });
    on_cleanup(move || scroll.remove());
    // Rows that leave room for another in the window (no abstracts, a
    // tall window) are followed by the next page. An IntersectionObserver
    // tells from the layout of the frame that shows them (none is forced)
    // whether the button is above the window's bottom by a row's room;
    // the button is observed afresh after each change, as a new
    // observation reports the state at once, until the window is full or
    // no page is left.
    let room = StoredValue::new_local(RoomObserver::new(move || {
        shown.try_update(|n| *n += PAGE);
    }));
    Effect::new(move |_| {
        results.track();
        shown.track();
        if let Some(button) = more.get() {
            room.with_value(|room| room.observe(&button));
        }
    });
    on_cleanup(move || room.with_value(RoomObserver::disconnect));
    // Rows keyed by paper: a new page appends, and a paper still among the
    // rows shown after a keystroke keeps its row (moved, with its position
    // updated) instead of a new one being made.
    let rows = move || results.with(|r| r.first(shown.get()).to_vec());
    // A sharded pack's rows need their record shards: asked for as soon as
    // the rows are known, each row shown when its own is in.
    let fetcher = expect_fetcher();
    Effect::new(move |_| {
        let docs = results.with(|r| r.first(shown.get()).to_vec());
        fetcher.fetch_records(&docs);
    });
    provide_reasons(Signal::derive(move || results.with(|r| r.first(shown.get()).to_vec())));
    view! {
        <RecommendBanner />
        <ShardStatus />
        <Show when=move || results.with(|r| r.fewer_words())>
            <p class="fewer-words" role="status" data-testid="fewer-words">
                "No paper has all the words; showing those with most of them."
            </p>
        </Show>
        <ol class="result-list" aria-label="Results">
            <For each=rows key=|&doc| doc children=move |doc| {
                let index = Memo::new(move |_| {
                    results.with(|r| r.first(shown.get()).iter().position(|&d| d == doc).unwrap_or(0))
                });
                view! { <RowWhenLoaded doc index /> }
            } />
        </ol>
        <Show when=move || { total() == 0 }>
            <section class="empty-state" data-testid="no-results">
                <h2>"No papers match"</h2>
                {move || results.with(|r| r.suggestion().map(str::to_owned)).map(|suggestion| {
                    let query = suggestion.clone();
                    view! {
                        <p data-testid="suggestion">"Did you mean "
                            <button class="link-button" on:click=move |_| { let q = query.clone(); view.update(|s| s.query = q); }>{suggestion}</button>
                            "?"
                        </p>
                    }
                })}
                {move || {
                    let (matches, filtered) = results.with(|r| (r.query_matches, view.with(|v| !v.selection.is_empty() || v.on_map())));
                    if matches > 0 && filtered {
                        Some(view! {
                            <p>{format!("{matches} papers match the search, but not the filters. ")}
                                <button class="button" data-testid="drop-filters" on:click=move |_| view.update(|s| s.clear_filters())>"Drop all filters"</button>
                            </p>
                        }.into_any())
                    } else if matches == 0 {
                        Some(view! { <p>"No paper has all of these words. Try fewer words, or check the spelling."</p> }.into_any())
                    } else {
                        None
                    }
                }}
            </section>
        </Show>
        <Show when=move || { shown.get() < total() }>
            <button class="show-more button" data-testid="show-more" node_ref=more on:click=move |_| shown.update(|n| *n += PAGE)>
                {move || format!("Show more ({} of {} shown)", shown.get().min(total()), total())}
            </button>
        </Show>
    }
}

/// An IntersectionObserver calling `more` each time an element it
/// observes is seen in the window with [`ROOM`] px below it (none where
/// the browser has none: the scroll and "Show more" still page).
struct RoomObserver {
    observer: Option<web_sys::IntersectionObserver>,
    /// Called by the observer: kept as long as it is.
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl RoomObserver {
    fn new(more: impl Fn() + 'static) -> Self {
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let seen = entries.iter().any(|entry| {
                entry.dyn_into::<web_sys::IntersectionObserverEntry>().is_ok_and(|e| e.is_intersecting())
            });
            if seen {
                more();
            }
        });
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin(&format!("0px 0px -{ROOM}px 0px"));
        let observer =
            web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options).ok();
        RoomObserver { observer, _callback: callback }
    }

    /// Observes `element` afresh: its state is reported after the next
    /// frame's layout, whether or not it changed.
    fn observe(&self, element: &web_sys::Element) {
        if let Some(observer) = &self.observer {
            observer.unobserve(element);
            observer.observe(element);
        }
    }

    fn disconnect(&self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
    }
}

/// A row once its paper's record is held (at once, but for a sharded
/// pack whose record shard is on its way).
#[component]
fn RowWhenLoaded(doc: u32, index: Memo<usize>) -> impl IntoView {
    let explorer = expect_explorer();
    let fetcher = expect_fetcher();
    let loaded = Memo::new(move |_| {
        fetcher.records.track();
        explorer.with(|e| e.try_paper(doc).is_some())
    });
    // Runs again only when `loaded` changes (a memo); smaller than a Show.
    move || match loaded.get() {
        true => Either::Left(view! { <ResultRow doc index /> }),
        false => Either::Right(view! {
            <li class="result result-pending" data-testid="result-pending" aria-busy="true">"Loading…"</li>
        }),
    }
}

/// Whether the results wait for parts of a sharded corpus, or why they
/// cannot have them.
#[component]
fn ShardStatus() -> impl IntoView {
    let fetcher = expect_fetcher();
    move || {
        match fetcher.problem.get() {
        Some(problem) => Some(view! {
            <p class="shard-status shard-problem" role="alert" data-testid="shard-problem">{problem.message()}</p>
        }.into_any()),
        None => fetcher.waiting.get().then(|| view! {
            <p class="shard-status" role="status" data-testid="shard-waiting">"Searching…"</p>
        }.into_any()),
    }
    }
}

/// One result: title and snippet with the query's matches highlighted (or,
/// while a facet value is hovered, where the paper names it), meta, entity
/// chips and the user's tags.
#[component]
fn ResultRow(
    /// The paper.
    doc: u32,
    /// Its position in the results (it changes as the results do).
    index: Memo<usize>,
) -> impl IntoView {
    let explorer = expect_explorer();
    let view = expect_view();
    let cursor = expect_cursor();
    let user = expect_user();
    let hover = expect_hover();
    let paper = explorer.with(|e| e.paper(doc));
    let id = paper.id.clone();
    let results = expect_results();
    // Where the pointed facet value is named, else the query's matches.
    let shown = Memo::new(move |_| {
        hover.with(|h| {
            let hover = h.as_ref().map(|(g, v)| (g.as_str(), v.as_str()));
            results.with(|r| explorer.with(|e| e.shown_highlights(r, doc, hover)))
        })
    });
    let title = {
        let text = paper.title.clone();
        move || shown.with(|(h, _)| marked(&text, &h.title))
    };
    let snippet = move || {
        shown.with(|(h, _)| {
            explorer
                .with(|e| e.snippet_around(doc, &h.abstract_spans))
                .into_iter()
                .map(segment_view)
                .collect_view()
        })
    };
    let naming = move || shown.with(|(_, mention)| *mention);
    let meta = paper
        .metadata
        .year
        .map(|y| y.to_string())
        .into_iter()
        .chain(paper.metadata.authors.first().map(|a| {
            if paper.metadata.authors.len() > 1 {
                format!("{a} et al.")
            } else {
                a.clone()
            }
        }))
        .collect::<Vec<_>>()
        .join(" · ");
    let entities = &paper.enrichment.entities;
    let chips = entities
        .iter()
        .take(ROW_CHIPS)
        .map(|e| view! { <li><EntityChip kind=FacetKind::of_entity(e.kind) name=e.name.clone() /></li> })
        .collect_view();
    let more_chips = entities.len().saturating_sub(ROW_CHIPS);
    let has_chips = !entities.is_empty();
    // A real link (open in a new tab, copy), encoded as the URL the app writes.
    let href = ViewState { paper: Some(id.clone()), ..Default::default() }.href();
    let open = {
        let id = id.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            cursor.set(index.get_untracked());
            let id = id.clone();
            view.update(|s| s.paper = Some(id));
        }
    };
    let user_data = {
        let id = id.clone();
        move || {
            user.store.with(|s| s.paper(&id).cloned()).map(|data| {
                view! {
                    <p class="result-user" data-testid="result-user">
                        {data.starred.then_some("★ ")}
                        {data.read.then_some("✓ read ")}
                        {data.tags.into_iter().map(|t| view! { <span class="tag-chip">{t}</span> }).collect_view()}
                    </p>
                }
            })
        }
    };
    view! {
        <li class="result" data-testid="result" data-paper-id=id.clone() class:naming=naming
            aria-current=move || (cursor.get() == index.get()).to_string()>
            <h2 class="result-title">
                <a href=href data-testid="result-title" on:click=open>{title}</a>
            </h2>
            {(!meta.is_empty()).then(|| view! { <p class="result-meta">{meta}</p> })}
            <p class="result-snippet" data-testid="result-snippet">{snippet}</p>
            {has_chips.then(|| view! {
                <ul class="entity-chips row-chips" aria-label="Named in this paper">
                    {chips}
                    {(more_chips > 0).then(|| view! { <li class="more-chips">{format!("+{more_chips} more")}</li> })}
                </ul>
            })}
            {user_data}
            <RowReasons doc id=id.clone() title=paper.title.clone() />
        </li>
    }
}

/// One piece of text, inside `<mark>` when highlighted: text, or a formula
/// as MathML (never markup).
pub fn segment_view(segment: Segment) -> AnyView {
    let content = if segment.math {
        view! { <MathFormula source=segment.text /> }.into_any()
    } else {
        segment.text.into_any()
    };
    if segment.highlighted {
        view! { <mark>{content}</mark> }.into_any()
    } else {
        content
    }
}

/// `text` with `spans` marked.
pub fn marked(text: &str, spans: &[Span]) -> impl IntoView {
    segments(text, spans).into_iter().map(segment_view).collect_view()
}
