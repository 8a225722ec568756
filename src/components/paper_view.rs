//! The open paper: full abstract with matches highlighted, metadata, the
//! user's tags and notes, and "why this result".

use leptos::prelude::*;

use crate::components::result_list::marked;
use crate::components::tag_editor::TagEditor;
use crate::engine::enrich::{Field as SpanField, LinkKind};
use crate::engine::safe_url::safe_href;
use crate::engine::search::Span;
use crate::state::{expect_explorer, expect_results, expect_user, expect_view};

#[component]
pub fn PaperView() -> impl IntoView {
    let explorer = StoredValue::new(expect_explorer());
    let view = expect_view();
    let results = expect_results();
    let user = expect_user();
    let close = move |_| view.update(|s| s.paper = None);
    // The entity whose mentions are highlighted (hover or focus on its chip).
    let hovered = RwSignal::new(None::<String>);
    let doc = move || view.with(|s| s.paper.clone()).and_then(|id| explorer.with_value(|e| e.doc(&id)));
    view! {
        {move || doc().map(|doc| explorer.with_value(|e| {
            let paper = (*e.paper(doc)).clone();
            let (title, query_spans, why) = results.with(|r| {
                let h = e.highlights(r, doc);
                let why = if !r.has_query() { Vec::new() } else { user.store.with(|s| e.explain(r, s.data(), doc)) };
                (marked(&paper.title, &h.title).into_any(), h.abstract_spans, why)
            });
            let enrichment = paper.enrichment.clone();
            let abstract_source = paper.abstract_text.clone();
            let entity_spans = enrichment.entities.iter().map(|en| (en.name.clone(), en.spans.clone())).collect::<Vec<_>>();
            let abstract_text = move || {
                let spans: Vec<Span> = match hovered.get() {
                    Some(name) => entity_spans
                        .iter()
                        .filter(|(n, _)| *n == name)
                        .flat_map(|(_, spans)| spans.iter().filter(|s| s.field == SpanField::Abstract).map(|s| Span { start: s.start, end: s.end }))
                        .collect(),
                    None => query_spans.clone(),
                };
                let mut spans = spans;
                spans.sort_by_key(|s| s.start);
                marked(&abstract_source, &spans)
            };
            let chips = enrichment.entities.iter().map(|entity| {
                let name = entity.name.clone();
                let (enter, focus) = (name.clone(), name.clone());
                let kind = entity.kind.as_str();
                let group = kind.to_owned();
                let value = name.clone();
                view! {
                    <li>
                        <button class=format!("entity-chip entity-{kind}") data-testid="entity-chip"
                            title=format!("{kind}: show where it is named; click to filter")
                            on:mouseenter=move |_| hovered.set(Some(enter.clone()))
                            on:focus=move |_| hovered.set(Some(focus.clone()))
                            on:mouseleave=move |_| hovered.set(None)
                            on:blur=move |_| hovered.set(None)
                            on:click=move |_| view.update(|s| s.selection.include(&group, &value))>
                            {name}
                        </button>
                    </li>
                }
            }).collect_view();
            let links = enrichment.links.iter().map(|link| {
                let label = match link.kind { LinkKind::Code => "Code", LinkKind::Page => "Project page", LinkKind::Other => "Link" };
                let url = link.url.clone();
                view! {
                    <li data-testid="paper-link">
                        {label}": "
                        {match safe_href(&url).map(str::to_owned) {
                            Some(href) => view! { <a href=href rel="noopener noreferrer" target="_blank">{url.clone()}</a> }.into_any(),
                            None => url.clone().into_any(),
                        }}
                    </li>
                }
            }).collect_view();
            let figures = enrichment.figures.iter().map(|f| view! { <li data-testid="key-figure">{f.text.clone()}</li> }).collect_view();
            let similar = enrichment.similar.iter().filter_map(|sim| {
                let similar_doc = e.doc(&sim.id)?;
                let title = e.paper(similar_doc).title.clone();
                let id = sim.id.clone();
                Some(view! {
                    <li data-testid="similar-paper">
                        <button class="link-button" on:click=move |_| { let id = id.clone(); view.update(|s| s.paper = Some(id)); }>{title}</button>
                    </li>
                })
            }).collect_view();
            let (has_entities, has_links, has_figures, has_similar) = (
                !enrichment.entities.is_empty(),
                !enrichment.links.is_empty(),
                !enrichment.figures.is_empty(),
                !enrichment.similar.is_empty(),
            );
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
                    <Show when=move || has_entities>
                        <h3>"Named in this paper"</h3>
                    </Show>
                    <ul class="entity-chips">{chips}</ul>
                    <Show when=move || has_links>
                        <h3>"Links"</h3>
                    </Show>
                    <ul class="paper-links">{links}</ul>
                    <Show when=move || has_figures>
                        <h3>"Key figures"</h3>
                    </Show>
                    <ul class="key-figures">{figures}</ul>
                    <Show when=move || has_similar>
                        <h3>"Similar papers"</h3>
                    </Show>
                    <ul class="similar-papers">{similar}</ul>
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
