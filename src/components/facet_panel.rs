//! The facet panel: one group per facet the corpus has, each value with its
//! count for the current results; include (OR within a group) or exclude.

use leptos::prelude::*;

use crate::engine::facets::GroupCounts;
use crate::state::{expect_cursor, expect_results, expect_view};

/// Values shown per group before "show more".
const COLLAPSED: usize = 8;

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
    let expanded = RwSignal::new(false);
    let filter = RwSignal::new(String::new());
    let group_key = key.clone();
    let counts = move || -> Option<GroupCounts> {
        results.with(|r| r.facets.iter().find(|g| g.key == group_key).cloned())
    };
    let heading_id = format!("facet-{key}");
    let labelledby = heading_id.clone();
    let testid = format!("facet-{key}");
    let total_values = {
        let counts = counts.clone();
        move || counts().map_or(0, |g| g.values.len())
    };
    let shown = {
        let counts = counts.clone();
        move || {
            let needle = filter.with(|f| f.to_lowercase());
            let values = counts().map(|g| g.values).unwrap_or_default();
            let matching: Vec<_> = values
                .into_iter()
                .filter(|v| needle.is_empty() || v.value.to_lowercase().contains(&needle))
                .collect();
            let limit = if expanded.get() || !needle.is_empty() { matching.len() } else { COLLAPSED };
            matching.into_iter().take(limit).collect::<Vec<_>>()
        }
    };
    let key_for_rows = key.clone();
    view! {
        <section class="facet-group" aria-labelledby=labelledby data-testid=testid>
            <h2 class="facet-heading" id=heading_id>{label.clone()}</h2>
            <Show when={ let t = total_values.clone(); move || t() > COLLAPSED }>
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
                        view! {
                            <li class="facet-value" class:excluded=excluded data-testid="facet-value" data-value=value.value.clone()>
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
            <Show when={ let t = total_values.clone(); move || t() > COLLAPSED && filter.with(String::is_empty) }>
                <button class="link-button" aria-expanded=move || expanded.get().to_string()
                    on:click=move |_| expanded.update(|e| *e = !*e)>
                    {let t = total_values.clone(); move || if expanded.get() { "Show fewer".to_owned() } else { format!("Show all {}", t()) }}
                </button>
            </Show>
        </section>
    }
}
