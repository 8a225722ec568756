//! Result count, active filters as removable chips, "clear all", and sort.

use leptos::prelude::*;

use crate::components::bulk_tag::BulkTag;
use crate::engine::view_state::Sort;
use crate::state::{expect_explorer, expect_pane, expect_results, expect_user, expect_view};

#[component]
pub fn FilterBar() -> impl IntoView {
    let view = expect_view();
    let results = expect_results();
    let pane = expect_pane();
    let explorer = expect_explorer();
    let total = explorer.with(|e| e.len());
    // Memos: a keystroke changes the view's query, not its filters or the
    // sort, and must not make the chips or the sort's options again.
    let chips = Memo::new(move |_| {
        view.with(|v| {
            let include = v
                .selection
                .include
                .iter()
                .flat_map(|(g, vals)| vals.iter().map(move |val| (g.clone(), val.clone(), false)));
            let exclude = v
                .selection
                .exclude
                .iter()
                .flat_map(|(g, vals)| vals.iter().map(move |val| (g.clone(), val.clone(), true)));
            include.chain(exclude).collect::<Vec<_>>()
        })
    });
    // A "recommended for" order per tag (and the one in view, tagged or not).
    let user = expect_user();
    let tags = Memo::new(move |_| {
        let mut tags = user.store.with(|s| s.all_tags());
        if let Some(tag) = view.with(|v| v.recommend_for.clone()).filter(|t| !tags.contains(t)) {
            tags.push(tag);
        }
        tags
    });
    let region = Memo::new(move |_| view.with(|v| v.region.is_some()));
    let lasso = Memo::new(move |_| view.with(|v| v.lasso.is_some()));
    let cluster = Memo::new(move |_| view.with(|v| v.cluster));
    let sorted_by = Memo::new(move |_| view.with(|v| (v.sort, v.recommend_for.clone())));
    let has_filters = move || view.with(|v| !v.selection.is_empty() || !v.query.is_empty() || v.on_map());
    view! {
        <div class="filter-bar">
            <p class="result-count" data-testid="result-count" role="status" aria-live="polite">
                {move || {
                    let shown = results.with(|r| r.len());
                    if shown == total {
                        format!("{total} {}", if total == 1 { "paper" } else { "papers" })
                    } else {
                        format!("{shown} of {total} papers")
                    }
                }}
            </p>
            <ul class="chips" aria-label="Active filters">
                {move || chips.get().into_iter().map(|(group, value, excluded)| {
                    let label = format!("{}{group}: {value}", if excluded { "not " } else { "" });
                    let remove = move || view.update(|s| s.selection.clear_value(&group, &value));
                    view! { <FilterChip label excluded remove /> }
                }).collect_view()}
                {move || region.get().then(|| {
                    let remove = move || view.update(|s| s.region = None);
                    view! { <FilterChip label="map region".to_owned() remove /> }
                })}
                {move || lasso.get().then(|| {
                    let remove = move || view.update(|s| s.lasso = None);
                    view! { <FilterChip label="map lasso".to_owned() remove /> }
                })}
                {move || cluster.get().map(|cluster| {
                    let name = explorer.with(|e| {
                        e.map().ok().and_then(|m| m.clusters().get(usize::from(cluster)).map(|c| c.label.clone()))
                    });
                    let label = format!("map cluster: {}", name.unwrap_or_else(|| (cluster + 1).to_string()));
                    let remove = move || view.update(|s| s.cluster = None);
                    view! { <FilterChip label remove /> }
                })}
            </ul>
            <Show when=has_filters>
                <button class="link-button" data-testid="clear-all"
                    on:click=move |_| view.update(|s| { s.clear_filters(); s.query.clear(); })>
                    "Clear all"
                </button>
            </Show>
            <BulkTag />
            <button class="button map-toggle" data-testid="map-toggle" aria-pressed=move || pane.with(|p| p.map).to_string()
                on:click=move |_| pane.update(|p| p.map = !p.map)>
                "Map"
            </button>
            <label class="sort">
                "Sort "
                <select data-testid="sort" on:change=move |ev| {
                    let value = event_target_value(&ev);
                    view.update(|s| match value.strip_prefix(FOR_TAG) {
                        Some(tag) => s.recommend_for = Some(tag.to_owned()),
                        None => {
                            s.sort = Sort::parse(&value).unwrap_or_default();
                            s.recommend_for = None;
                        }
                    });
                }>
                    {Sort::ALL.into_iter().map(|sort| view! {
                        <option value=sort.as_str() selected=move || sorted_by.with(|(s, r)| *s == sort && r.is_none())>{sort_label(sort)}</option>
                    }).collect_view()}
                    {move || tags.get().into_iter().map(|tag| {
                        let selected = { let tag = tag.clone(); move || sorted_by.with(|(_, r)| r.as_ref() == Some(&tag)) };
                        view! { <option value=format!("{FOR_TAG}{tag}") selected=selected>{format!("Recommended for {tag}")}</option> }
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}

/// The sort select's value for "recommended for" a tag: this, then the tag.
const FOR_TAG: &str = "for:";

fn sort_label(sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => "Relevance",
        Sort::Title => "Title",
        Sort::Year => "Year",
        Sort::Corpus => "Corpus order",
    }
}

/// One active filter as a chip: its label, and a click removes it.
#[component]
fn FilterChip(
    label: String,
    /// An excluded facet value ("not ...").
    #[prop(optional)]
    excluded: bool,
    remove: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <li>
            <button class="chip" class:chip-excluded=excluded data-testid="filter-chip"
                aria-label=format!("Remove filter {label}") on:click=move |_| remove()>
                {label.clone()} <span aria-hidden="true">" ×"</span>
            </button>
        </li>
    }
}
