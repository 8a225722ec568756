//! The open paper: full abstract with matches highlighted, metadata, the
//! user's tags and notes, and "why this result".

use leptos::prelude::*;

use crate::browser::shards::expect_fetcher;
use crate::components::entity_chip::EntityChip;
use crate::components::result_list::marked;
use crate::components::tag_editor::TagEditor;
use crate::engine::bundle::enrichment::LinkKind;
use crate::engine::facet_kind::FacetKind;
use crate::engine::safe_url::safe_href;
use crate::state::{expect_explorer, expect_hover, expect_results, expect_user, expect_view};

#[component]
pub fn PaperView() -> impl IntoView {
    let explorer = expect_explorer();
    let view = expect_view();
    let results = expect_results();
    let user = expect_user();
    let close = move |_| view.update(|s| s.paper = None);
    // The facet value whose mentions are highlighted (its chip or facet
    // value is hovered or focused).
    let hover = expect_hover();
    let fetcher = expect_fetcher();
    // The paper the URL names: a sharded pack's head knows it by id once
    // its id shard is in (fetched meanwhile). A memo: typing in the search
    // box changes the view but not the paper.
    let lookup = Memo::new(move |_| {
        fetcher.index.track();
        view.with(|s| s.paper.clone()).map(|id| explorer.with(|e| e.try_doc(&id)))
    });
    let doc = Memo::new(move |_| lookup.get().and_then(|found| found.ok().flatten()));
    // Then it waits for its record shard, and asks for its similar papers'
    // (their titles are listed; they are named by id).
    Effect::new(move |_| {
        // A similar paper's id shard arriving names its record shard.
        fetcher.index.track();
        fetcher.records.track();
        let id_shard = match lookup.get() {
            Some(Err(shard)) => vec![shard],
            _ => Vec::new(),
        };
        fetcher.prefetch(id_shard);
        let Some(doc) = doc.get() else { return };
        let (docs, id_shards) = explorer.with(|e| {
            let (mut docs, mut id_shards) = (vec![doc], Vec::new());
            for similar in e.try_paper(doc).map(|p| p.enrichment.similar.clone()).unwrap_or_default() {
                match e.try_doc(&similar.id) {
                    Ok(found) => docs.extend(found),
                    Err(shard) => id_shards.push(shard),
                }
            }
            (docs, id_shards)
        });
        fetcher.fetch_records(&docs);
        fetcher.prefetch(id_shards);
    });
    let loaded = Memo::new(move |_| {
        fetcher.records.track();
        doc.get().filter(|&doc| explorer.with(|e| e.try_paper(doc).is_some()))
    });
    view! {
        {move || (matches!(lookup.get(), Some(Err(_))) || (doc.get().is_some() && loaded.get().is_none())).then(|| view! {
            <article class="paper-view" data-testid="paper-loading" aria-busy="true">
                <button class="icon-button paper-close" aria-label="Close paper (Esc)" on:click=close>"×"</button>
                <p>"Loading…"</p>
            </article>
        })}
        {move || loaded.get().map(|doc| explorer.with(|e| {
            let paper = (*e.paper(doc)).clone();
            // Where the hovered value is named, else the query's matches.
            let shown = move || {
                hover.with(|h| {
                    let hover = h.as_ref().map(|(g, v)| (g.as_str(), v.as_str()));
                    results.with(|r| explorer.with(|e| e.shown_highlights(r, doc, hover).0))
                })
            };
            let shown = Memo::new(move |_| shown());
            let title = {
                let text = paper.title.clone();
                move || marked(&text, &shown.with(|h| h.title.clone()))
            };
            let enrichment = paper.enrichment.clone();
            // Most entries of a reference manager's export have no abstract:
            // no heading over nothing then.
            let has_abstract = !paper.abstract_text.is_empty();
            let abstract_text = {
                let text = paper.abstract_text.clone();
                move || marked(&text, &shown.with(|h| h.abstract_spans.clone()))
            };
            let chips = enrichment
                .entities
                .iter()
                .map(|entity| view! { <li><EntityChip kind=FacetKind::of_entity(entity.kind) name=entity.name.clone() /></li> })
                .collect_view();
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
            let similar_ids: Vec<String> = enrichment.similar.iter().map(|sim| sim.id.clone()).collect();
            // Titles as their ids' and records' shards come in (a sharded
            // pack's); a paper of another corpus is left out.
            let similar = move || {
                fetcher.records.track();
                fetcher.index.track();
                explorer.with(|e| similar_ids.iter().filter_map(|id| {
                    let title = match e.try_doc(id) {
                        Ok(similar_doc) => e.try_paper(similar_doc?).map_or_else(|| "…".to_owned(), |p| p.title.clone()),
                        Err(_) => "…".to_owned(),
                    };
                    let id = id.clone();
                    Some(view! {
                        <li data-testid="similar-paper">
                            <button class="link-button" on:click=move |_| { let id = id.clone(); view.update(|s| s.paper = Some(id)); }>{marked(&title, &[])}</button>
                        </li>
                    })
                }).collect_view())
            };
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
                    {(!paper.metadata.authors.is_empty()).then(|| view! {
                        <p class="paper-authors">{paper.metadata.authors.join(", ")}</p>
                    })}
                    <p class="paper-meta">
                        {paper.metadata.year.map(|y| format!("{y} · "))}
                        <span class="paper-id">{paper.id.clone()}</span>
                    </p>
                    <TagEditor id=paper.id.clone() />
                    {has_abstract.then(move || view! {
                        <h3>"Abstract"</h3>
                        <p class="paper-abstract" data-testid="paper-abstract">{abstract_text}</p>
                    })}
                    {has_entities.then(|| view! { <h3>"Named in this paper"</h3> })}
                    <ul class="entity-chips">{chips}</ul>
                    {has_links.then(|| view! { <h3>"Links"</h3> })}
                    <ul class="paper-links">{links}</ul>
                    {has_figures.then(|| view! { <h3>"Key figures"</h3> })}
                    <ul class="key-figures">{figures}</ul>
                    {has_similar.then(|| view! { <h3>"Similar papers"</h3> })}
                    <ul class="similar-papers">{similar}</ul>
                    {move || {
                        let why = results.with(|r| {
                            if !r.has_query() { return Vec::new() }
                            user.store.with(|s| explorer.with(|e| e.explain(r, s.data(), doc)))
                        });
                        (!why.is_empty()).then(|| view! {
                            <details class="why" data-testid="why">
                                <summary>"Why this result"</summary>
                                <table>
                                    <thead><tr><th scope="col">"Query"</th><th scope="col">"Matched"</th><th scope="col">"How"</th><th scope="col">"Field"</th><th scope="col">"Count"</th><th scope="col">"Score"</th></tr></thead>
                                    <tbody>
                                        {why.into_iter().map(|c| { let score = c.score_text(); view! {
                                            <tr><td>{c.query}</td><td>{c.term}</td><td>{format!("{:?}", c.kind).to_lowercase()}</td>
                                                <td>{c.field}</td><td>{c.tf}</td><td>{score}</td></tr>
                                        }}).collect_view()}
                                    </tbody>
                                </table>
                            </details>
                        })
                    }}
                </article>
            }
        }))}
    }
}
