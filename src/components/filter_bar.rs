//! Result count, active filters as removable chips, "clear all", and sort.

use leptos::prelude::*;

use crate::components::bulk_tag::BulkTag;
use crate::engine::view_state::Sort;
use crate::state::{expect_explorer, expect_results, expect_view};

#[component]
pub fn FilterBar() -> impl IntoView {
    let view = expect_view();
    let results = expect_results();
    let total = expect_explorer().with(|e| e.len());
    let chips = move || {
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
    };
    let has_filters = move || view.with(|v| !v.selection.is_empty() || !v.query.is_empty());
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
                {move || chips().into_iter().map(|(group, value, excluded)| {
                    let label = format!("{}{group}: {value}", if excluded { "not " } else { "" });
                    let (g, v) = (group.clone(), value.clone());
                    view! {
                        <li>
                            <button class="chip" class:chip-excluded=excluded data-testid="filter-chip"
                                aria-label=format!("Remove filter {label}")
                                on:click=move |_| view.update(|s| s.selection.clear_value(&g, &v))>
                                {label.clone()} <span aria-hidden="true">" ×"</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=has_filters>
                <button class="link-button" data-testid="clear-all"
                    on:click=move |_| view.update(|s| { s.selection = Default::default(); s.query.clear(); })>
                    "Clear all"
                </button>
            </Show>
            <BulkTag />
            <label class="sort">
                "Sort "
                <select data-testid="sort" on:change=move |ev| {
                    let sort = Sort::parse(&event_target_value(&ev)).unwrap_or_default();
                    view.update(|s| s.sort = sort);
                }>
                    {Sort::ALL.into_iter().map(|sort| view! {
                        <option value=sort.as_str() selected=move || view.with(|v| v.sort == sort)>{sort_label(sort)}</option>
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}

fn sort_label(sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => "Relevance",
        Sort::Title => "Title",
        Sort::Year => "Year",
        Sort::Corpus => "Corpus order",
    }
}
