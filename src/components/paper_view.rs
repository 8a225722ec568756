//! The open paper: full abstract and metadata, beside the results.

use leptos::prelude::*;

use crate::components::tag_editor::TagEditor;
use crate::state::{expect_explorer, expect_view};

#[component]
pub fn PaperView() -> impl IntoView {
    let explorer = expect_explorer();
    let view = expect_view();
    let close = move |_| view.update(|s| s.paper = None);
    let paper = move || {
        let id = view.with(|s| s.paper.clone())?;
        explorer.bundle().papers.iter().find(|p| p.id == id).cloned()
    };
    view! {
        {move || paper().map(|paper| view! {
            <article class="paper-view" data-testid="paper-view" aria-labelledby="paper-title">
                <button class="icon-button paper-close" aria-label="Close paper (Esc)" on:click=close>"×"</button>
                <h2 id="paper-title" class="paper-view-title">{paper.title.clone()}</h2>
                <Show when={ let has = !paper.authors.is_empty(); move || has }>
                    <p class="paper-authors">{paper.authors.join(", ")}</p>
                </Show>
                <p class="paper-meta">
                    {paper.year.map(|y| format!("{y} · "))}
                    <span class="paper-id">{paper.id.clone()}</span>
                </p>
                <TagEditor id=paper.id.clone() />
                <h3>"Abstract"</h3>
                <p class="paper-abstract">{paper.abstract_text.clone()}</p>
            </article>
        })}
    }
}
