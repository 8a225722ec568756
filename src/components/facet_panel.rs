//! The facet panel: one group per facet the corpus has, each value with its
//! count for the current results; include (OR within a group) or exclude.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::engine::facet_kind::FacetKind;
use crate::state::{expect_cursor, expect_results, expect_view};

/// Values shown per group before "show more".
const COLLAPSED: usize = 8;
/// Values "show more" (and a filter) adds at a time: a group can have
/// hundreds of thousands of values (authors), never all rendered at once.
const MORE: usize = 50;

#[component]
pub fn FacetPanel() -> impl IntoView {
    let results = expect_results();
    view! {
        <aside id="facet-panel" class="facet-panel" aria-label="Filters" data-testid="facet-panel">
            <For
                each=move || results.with(|r| r.facets.iter().map(|g| (g.key.clone(), g.label.clone())).collect::<Vec<_>>())
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
    // many match), as a memo: rows are keyed by value and update their
    // count and state in place (a keystroke changes counts, rarely the rows).
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
    let available = move || shown.with(|(_, n)| *n);
    let states: Memo<HashMap<String, (usize, bool, bool)>> = Memo::new(move |_| {
        shown.with(|(values, _)| {
            values.iter().map(|v| (v.value.clone(), (v.count, v.included, v.excluded))).collect()
        })
    });
    let text_group = FacetKind::from_key(&key).is_some_and(FacetKind::is_named_in_text);
    view! {
        <section class="facet-group" aria-labelledby=labelledby data-testid=testid>
            <h2 class="facet-heading" id=heading_id>{label.clone()}</h2>
            <Show when=move || { filtering() || available() > COLLAPSED }>
                <input class="facet-filter" type="search" placeholder=format!("Filter {}", label.to_lowercase())
                    aria-label=format!("Filter {}", label.to_lowercase())
                    prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev)) />
            </Show>
            <ul class="facet-values">
                <For
                    each=move || shown.with(|(values, _)| values.iter().map(|v| v.value.clone()).collect::<Vec<_>>())
                    key=|value| value.clone()
                    children=move |value| view! { <FacetValue group value states text_group /> }
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

/// One value of a group: include it (checkbox) or exclude it (`−`), with its
/// count for the current results.
#[component]
fn FacetValue(
    /// The group's key.
    group: StoredValue<String>,
    /// The value.
    value: String,
    /// Count, included and excluded of the values shown (this one's are read from it).
    states: Memo<HashMap<String, (usize, bool, bool)>>,
    /// Whether the value is named in the text (pointing at it highlights where).
    text_group: bool,
) -> impl IntoView {
    let view = expect_view();
    let cursor = expect_cursor();
    let name = StoredValue::new(value.clone());
    let state = Memo::new(move |_| name.with_value(|name| states.with(|s| s.get(name).copied())));
    let count = move || state.get().map_or(0, |(count, _, _)| count);
    let included = move || state.get().is_some_and(|(_, included, _)| included);
    let excluded = move || state.get().is_some_and(|(_, _, excluded)| excluded);
    // Pointing at a value named in the text highlights where (see
    // entity_chip::track_mentions).
    let (mention_group, mention_value) =
        if text_group { (Some(group.get_value()), Some(value.clone())) } else { (None, None) };
    let toggle = move |exclude: bool| {
        cursor.set(0);
        let (on, g, v) = (if exclude { excluded() } else { included() }, group.get_value(), name.get_value());
        view.update(|s| match (on, exclude) {
            (true, _) => s.selection.clear_value(&g, &v),
            (false, false) => s.selection.include(&g, &v),
            (false, true) => s.selection.exclude(&g, &v),
        });
    };
    let (label, data_value) = (value.clone(), value.clone());
    view! {
        <li class="facet-value" class:excluded=excluded data-testid="facet-value" data-value=data_value
            data-mention-group=mention_group data-mention-value=mention_value>
            <label>
                <input type="checkbox" prop:checked=included on:change=move |_| toggle(false) />
                <span class="facet-name">{value}</span>
                <span class="facet-count" data-testid="facet-count">{count}</span>
            </label>
            <button class="exclude" aria-pressed=move || excluded().to_string()
                aria-label=move || format!("{} {label}", if excluded() { "Stop excluding" } else { "Exclude" })
                title=move || if excluded() { "Stop excluding" } else { "Exclude" }
                on:click=move |_| toggle(true)>
                "−"
            </button>
        </li>
    }
}
