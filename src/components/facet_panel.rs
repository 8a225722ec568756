//! The facet panel: one group per facet the corpus has, each value with its
//! count for the current results; include (OR within a group) or exclude.
//! A group of a sharded pack whose paper lists are not fetched yet says it
//! is counting (the results do not wait for it) and fills in when they are.

use leptos::prelude::*;

use crate::engine::facet_kind::FacetKind;
use crate::engine::facets::ValueCount;
use crate::state::{after_paint, expect_cursor, expect_results, expect_view};

/// Values shown per group before "show more".
const COLLAPSED: usize = 8;
/// Values "show more" (and a filter) adds at a time: a group can have
/// hundreds of thousands of values (authors), never all rendered at once.
const MORE: usize = 50;

#[component]
pub fn FacetPanel() -> impl IntoView {
    let results = expect_results();
    // The groups are made in a task after the explorer's first frame: at
    // 100k papers making them was a third of the task that puts an opened
    // corpus in view (issue 15: no task over 50 ms).
    let made = RwSignal::new(false);
    after_paint(move || {
        made.try_set(true);
    });
    let groups = move || match made.get() {
        true => {
            results.with(|r| r.facets.iter().map(|g| (g.key.clone(), g.label.clone())).collect::<Vec<_>>())
        }
        false => Vec::new(),
    };
    view! {
        // Busy until its groups are made: nothing to read in it yet.
        <aside id="facet-panel" class="facet-panel" aria-label="Filters" data-testid="facet-panel"
            aria-busy=move || (!made.get()).to_string()>
            <For
                each=groups
                key=|(key, _)| key.clone()
                children=move |(key, label)| view! { <FacetGroup key label /> }
            />
        </aside>
    }
}

#[component]
fn FacetGroup(
    /// The group's key in the view state (e.g. `model`).
    key: String,
    /// The group's heading.
    label: String,
) -> impl IntoView {
    let results = expect_results();
    // Values shown beyond the collapsed few ("show more" adds a page; a
    // filter starts at a page).
    let limit = RwSignal::new(COLLAPSED);
    let filter = RwSignal::new(String::new());
    let filtering = move || filter.with(|f| !f.trim().is_empty());
    let effective = move || if filtering() { limit.get().max(MORE) } else { limit.get() };
    let next = move || if effective() == COLLAPSED { MORE } else { effective() + MORE };
    let group = StoredValue::new(key.clone());
    let heading_id = format!("facet-{key}");
    let labelledby = heading_id.clone();
    let testid = format!("facet-{key}");
    // The values shown and how many there are to show (with a filter, how
    // many match), as a memo: rows are keyed by position and update their
    // value, count and state in place (a keystroke changes the top values
    // of most groups: updating a row's text costs far less than making a
    // row and dropping another).
    let shown = Memo::new(move |_| {
        let limit = effective();
        filter.with(|needle| {
            group.with_value(|key| {
                results.with(|r| {
                    r.facets.iter().find(|g| g.key == *key).map_or_else(
                        || (Vec::new(), 0),
                        |g| {
                            if needle.trim().is_empty() {
                                (g.top(limit), g.len())
                            } else {
                                (g.matching(needle, limit), g.count_matching(needle))
                            }
                        },
                    )
                })
            })
        })
    });
    // Its counts wait for facet shards (a sharded pack's first query).
    let counting = Memo::new(move |_| group.with_value(|key| results.with(|r| r.counting(key))));
    let available = move || shown.with(|(_, n)| *n);
    let rows = Memo::new(move |_| shown.with(|(values, _)| values.len()));
    let text_group = FacetKind::from_key(&key).is_some_and(FacetKind::is_named_in_text);
    view! {
        <section class="facet-group" aria-labelledby=labelledby data-testid=testid
            aria-busy=move || counting.get().to_string()>
            <h2 class="facet-heading" id=heading_id>{label.clone()}</h2>
            <Show when=move || counting.get()>
                <p class="facet-counting" role="status" data-testid="facet-counting">"Counting…"</p>
            </Show>
            <Show when=move || { filtering() || available() > COLLAPSED }>
                <input class="facet-filter" type="search" placeholder=format!("Filter {}", label.to_lowercase())
                    aria-label=format!("Filter {}", label.to_lowercase())
                    prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev)) />
            </Show>
            <ul class="facet-values">
                <For
                    each=move || 0..rows.get()
                    key=|&position| position
                    children=move |position| view! { <FacetValue group position shown text_group counting /> }
                />
            </ul>
            <div class="facet-more">
                <Show when=move || { effective() < available() }>
                    <button class="link-button" data-testid="facet-show-more" on:click=move |_| limit.set(next())>
                        {move || format!("Show {} more", available().min(next()).saturating_sub(effective()))}
                    </button>
                </Show>
                <Show when=move || { limit.get() > COLLAPSED }>
                    <button class="link-button" on:click=move |_| limit.set(COLLAPSED)>"Show fewer"</button>
                </Show>
            </div>
        </section>
    }
}

/// The value shown at one position of a group: include it (checkbox) or
/// exclude it (`−`), with its count for the current results. The row stays
/// while the values change: it shows whichever value is at its position.
#[component]
fn FacetValue(
    /// The group's key.
    group: StoredValue<String>,
    /// The row's position among the values shown.
    position: usize,
    /// The values shown (this row's is read from it) and how many there are.
    shown: Memo<(Vec<ValueCount>, usize)>,
    /// Whether the value is named in the text (pointing at it highlights where).
    text_group: bool,
    /// Whether the group's counts are not known yet (its count shows `…`).
    counting: Memo<bool>,
) -> impl IntoView {
    let view = expect_view();
    let cursor = expect_cursor();
    let entry = Memo::new(move |_| shown.with(|(values, _)| values.get(position).cloned()));
    let value = move || entry.with(|e| e.as_ref().map(|v| v.value.clone()).unwrap_or_default());
    let count = move || match counting.get() {
        true => "…".to_owned(),
        false => entry.with(|e| e.as_ref().map_or(0, |v| v.count)).to_string(),
    };
    let included = move || entry.with(|e| e.as_ref().is_some_and(|v| v.included));
    let excluded = move || entry.with(|e| e.as_ref().is_some_and(|v| v.excluded));
    // Pointing at a value named in the text highlights where (see
    // entity_chip::track_mentions).
    let mention_group = text_group.then(|| group.get_value());
    let mention_value = move || text_group.then(value);
    let toggle = move |exclude: bool| {
        let Some(v) = entry.get_untracked() else { return };
        cursor.set(0);
        let (on, g) = (if exclude { v.excluded } else { v.included }, group.get_value());
        view.update(|s| match (on, exclude) {
            (true, _) => s.selection.clear_value(&g, &v.value),
            (false, false) => s.selection.include(&g, &v.value),
            (false, true) => s.selection.exclude(&g, &v.value),
        });
    };
    view! {
        <li class="facet-value" class:excluded=excluded data-testid="facet-value" data-value=value
            data-mention-group=mention_group data-mention-value=mention_value>
            <label>
                <input type="checkbox" prop:checked=included on:change=move |_| toggle(false) />
                <span class="facet-name">{value}</span>
                <span class="facet-count" data-testid="facet-count">{count}</span>
            </label>
            <button class="exclude" aria-pressed=move || excluded().to_string()
                aria-label=move || format!("{} {}", if excluded() { "Stop excluding" } else { "Exclude" }, value())
                title=move || if excluded() { "Stop excluding" } else { "Exclude" }
                on:click=move |_| toggle(true)>
                "−"
            </button>
        </li>
    }
}
