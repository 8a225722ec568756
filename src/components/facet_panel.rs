//! The facet panel: one group per facet the corpus has, each value with its
//! count for the current results; include (OR within a group) or exclude.

use leptos::prelude::*;

use crate::engine::explorer::is_text_group;
use crate::engine::facets::GroupCounts;
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
    let view = expect_view();
    let cursor = expect_cursor();
    // Values shown beyond the collapsed few ("show more" adds a page).
    let limit = RwSignal::new(COLLAPSED);
    let filter = RwSignal::new(String::new());
    let group_key = StoredValue::new(key.clone());
    let with_counts = move |f: &dyn Fn(&GroupCounts) -> usize| -> usize {
        group_key.with_value(|k| results.with(|r| r.facets.iter().find(|g| g.key == *k).map_or(0, f)))
    };
    let heading_id = format!("facet-{key}");
    let labelledby = heading_id.clone();
    let testid = format!("facet-{key}");
    let total_values = move || with_counts(&|g| g.len());
    let shown = {
        let group_key = key.clone();
        move || {
            let limit = limit.get();
            filter.with(|needle| {
                results.with(|r| {
                    r.facets.iter().find(|g| g.key == group_key).map_or_else(Vec::new, |g| {
                        if needle.trim().is_empty() {
                            g.top(limit)
                        } else {
                            g.matching(needle, limit.max(MORE))
                        }
                    })
                })
            })
        }
    };
    let key_for_rows = key.clone();
    let text_group = is_text_group(&key);
    view! {
        <section class="facet-group" aria-labelledby=labelledby data-testid=testid>
            <h2 class="facet-heading" id=heading_id>{label.clone()}</h2>
            <Show when=move || { total_values() > COLLAPSED }>
                <input class="facet-filter" type="search" placeholder=format!("Filter {}", label.to_lowercase())
                    aria-label=format!("Filter {}", label.to_lowercase())
                    prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev)) />
            </Show>
            <ul class="facet-values">
                {move || {
                    let key = key_for_rows.clone();
                    shown().into_iter().map(|value| {
                        let (k1, v1) = (key.clone(), value.value.clone());
                        let (k2, v2) = (key.clone(), value.value.clone());
                        let included = value.included;
                        let excluded = value.excluded;
                        // Pointing at a value named in the text highlights where
                        // (see entity_chip::track_mentions).
                        let (mention_group, mention_value) =
                            if text_group { (Some(key.clone()), Some(value.value.clone())) } else { (None, None) };
                        view! {
                            <li class="facet-value" class:excluded=excluded data-testid="facet-value" data-value=value.value.clone()
                                data-mention-group=mention_group data-mention-value=mention_value>
                                <label>
                                    <input type="checkbox" prop:checked=included on:change=move |_| {
                                        cursor.set(0);
                                        view.update(|s| if included { s.selection.clear_value(&k1, &v1) } else { s.selection.include(&k1, &v1) });
                                    } />
                                    <span class="facet-name">{value.value.clone()}</span>
                                    <span class="facet-count" data-testid="facet-count">{value.count}</span>
                                </label>
                                <button class="exclude" aria-pressed=excluded.to_string()
                                    aria-label=format!("{} {}", if excluded { "Stop excluding" } else { "Exclude" }, value.value)
                                    title=if excluded { "Stop excluding" } else { "Exclude" }
                                    on:click=move |_| {
                                        cursor.set(0);
                                        view.update(|s| if excluded { s.selection.clear_value(&k2, &v2) } else { s.selection.exclude(&k2, &v2) });
                                    }>
                                    "−"
                                </button>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
            <Show when=move || { total_values() > COLLAPSED && filter.with(String::is_empty) }>
                <div class="facet-more">
                    <Show when=move || { limit.get() < total_values() }>
                        <button class="link-button" data-testid="facet-show-more"
                            on:click=move |_| limit.update(|n| *n = if *n == COLLAPSED { MORE } else { *n + MORE })>
                            {move || {
                                let rest = total_values().saturating_sub(limit.get());
                                format!("Show {} more", rest.min(if limit.get() == COLLAPSED { MORE } else { MORE }))
                            }}
                        </button>
                    </Show>
                    <Show when=move || { limit.get() > COLLAPSED }>
                        <button class="link-button" on:click=move |_| limit.set(COLLAPSED)>"Show fewer"</button>
                    </Show>
                </div>
            </Show>
        </section>
    }
}
