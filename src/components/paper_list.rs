//! The list of papers in corpus order, shown a page at a time.

use std::sync::Arc;

use leptos::prelude::*;

use crate::engine::bundle::Bundle;

/// How many more papers each "Show more" reveals.
const PAGE: usize = 50;

#[component]
pub fn PaperList(
    /// The loaded corpus.
    bundle: Arc<Bundle>,
) -> impl IntoView {
    let total = bundle.papers.len();
    let shown = RwSignal::new(PAGE.min(total));
    let papers = {
        let bundle = Arc::clone(&bundle);
        move || {
            bundle.papers[..shown.get()]
                .iter()
                .map(|paper| {
                    view! {
                        <li class="paper" data-testid="paper" data-paper-id=paper.id.clone()>
                            <h2 class="paper-title">{paper.title.clone()}</h2>
                            <p class="paper-abstract">{paper.abstract_text.clone()}</p>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <p class="paper-count" data-testid="paper-count">
            {format!("{total} {}", if total == 1 { "paper" } else { "papers" })}
        </p>
        <ol class="paper-list">{papers}</ol>
        <Show when=move || { shown.get() < total }>
            <button class="show-more" on:click=move |_| shown.update(|n| *n = (*n + PAGE).min(total))>
                {move || format!("Show more ({} of {total} shown)", shown.get())}
            </button>
        </Show>
    }
}
