//! The open paper: full abstract with matches highlighted, metadata, the
//! user's tags and notes, and "why this result".

use leptos::prelude::*;

use crate::components::result_list::marked;
use crate::components::tag_editor::TagEditor;
use crate::state::{expect_explorer, expect_results, expect_user, expect_view};

#[component]
pub fn PaperView() -> impl IntoView {
    let explorer = StoredValue::new(expect_explorer());
    let view = expect_view();
    let results = expect_results();
    let user = expect_user();
    let close = move |_| view.update(|s| s.paper = None);
    let doc = move || view.with(|s| s.paper.clone()).and_then(|id| explorer.with_value(|e| e.doc(&id)));
    view! {
        {move || doc().map(|doc| explorer.with_value(|e| {
            let paper = e.bundle().papers[doc as usize].clone();
            let (title, abstract_text, why) = results.with(|r| {
                let h = e.highlights(r, doc);
                let why = if r.query.is_empty() { Vec::new() } else { user.store.with(|s| e.explain(r, s.data(), doc)) };
                (marked(&paper.title, &h.title).into_any(), marked(&paper.abstract_text, &h.abstract_spans).into_any(), why)
            });
            view! {
                <article class="paper-view" data-testid="paper-view" aria-labelledby="paper-title">
                    <button class="icon-button paper-close" aria-label="Close paper (Esc)" on:click=close>"×"</button>
                    <h2 id="paper-title" class="paper-view-title">{title}</h2>
                    <Show when={ let has = !paper.authors.is_empty(); move || has }>
                        <p class="paper-authors">{paper.authors.join(", ")}</p>
                    </Show>
                    <p class="paper-meta">
                        {paper.year.map(|y| format!("{y} · "))}
                        <span class="paper-id">{paper.id.clone()}</span>
                    </p>
                    <TagEditor id=paper.id.clone() />
                    <h3>"Abstract"</h3>
                    <p class="paper-abstract" data-testid="paper-abstract">{abstract_text}</p>
                    <Show when={ let has = !why.is_empty(); move || has }>
                        <details class="why" data-testid="why">
                            <summary>"Why this result"</summary>
                            <table>
                                <thead><tr><th scope="col">"Query"</th><th scope="col">"Matched"</th><th scope="col">"How"</th><th scope="col">"Field"</th><th scope="col">"Count"</th><th scope="col">"Score"</th></tr></thead>
                                <tbody>
                                    {why.iter().map(|c| view! {
                                        <tr><td>{c.query.clone()}</td><td>{c.term.clone()}</td><td>{format!("{:?}", c.kind).to_lowercase()}</td>
                                            <td>{c.field}</td><td>{c.tf}</td><td>{format!("{:.2}", c.score)}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </details>
                    </Show>
                </article>
            }
        }))}
    }
}
