//! "Recommended for <tag>": the banner over the results while they are
//! ordered by a tag's classifier (`ViewState::recommend_for`), each row's
//! reasons (the words and entities that tie it to the tag, the tagged
//! papers it is closest to) and its "Not interested" button, and the undo
//! of the last paper set aside.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::browser::shards::expect_fetcher;
use crate::components::result_list::marked;
use crate::engine::explorer::Recommended;
use crate::state::{expect_explorer, expect_user, expect_view};

/// The reasons of the recommended rows shown, and the paper last marked
/// "not interested" (id, title) for its undo.
#[derive(Clone, Copy)]
pub struct ReasonsContext {
    reasons: Memo<Arc<HashMap<u32, Recommended>>>,
    dismissed: RwSignal<Option<(String, String)>>,
}

/// Provides the reasons of the recommended papers `shown` (the rows on
/// screen, whatever the query and filters left, while the view is
/// "recommended for" a tag), asking for the shards they need.
pub fn provide_reasons(shown: Signal<Vec<u32>>) {
    let explorer = expect_explorer();
    let view = expect_view();
    let user = expect_user();
    let fetcher = expect_fetcher();
    let reasons = Memo::new(move |_| {
        fetcher.index.track();
        fetcher.records.track();
        let Some(tag) = view.with(|v| v.recommend_for.clone()) else { return Arc::new(HashMap::new()) };
        let docs = shown.get();
        let answer = user.store.with(|s| explorer.try_with_mut(|e| e.recommend_among(s.data(), &tag, &docs)));
        match answer {
            Some(Ok(list)) => Arc::new(list.into_iter().map(|r| (r.doc, r)).collect()),
            Some(Err(missing)) => {
                fetcher.prefetch(missing);
                Arc::new(HashMap::new())
            }
            None => Arc::new(HashMap::new()),
        }
    });
    provide_context(ReasonsContext { reasons, dismissed: RwSignal::new(None) });
}

/// What the view is while it is "recommended for" a tag: which tag, how
/// the order is made, why it cannot be, the undo of the last "not
/// interested", and the way back to the usual order.
#[component]
pub fn RecommendBanner() -> impl IntoView {
    let view = expect_view();
    let explorer = expect_explorer();
    let user = expect_user();
    let context = expect_context::<ReasonsContext>();
    let fetcher = expect_fetcher();
    move || {
        let tag = view.with(|v| v.recommend_for.clone())?;
        fetcher.index.track();
        let tagged = user
            .store
            .with(|s| explorer.with(|e| s.papers_with(&tag).into_iter().filter(|id| e.may_have(id)).count()));
        let has_vectors = explorer.with(|e| e.has_vectors());
        let status = match (has_vectors, tagged) {
            (false, _) => "This corpus has no paper vectors (its pack was made without them), so \
                           nothing can be recommended: the results keep their usual order."
                .to_owned(),
            (true, 0) => format!(
                "No paper of this corpus is tagged “{tag}” yet: tag a few papers on one subject, \
                 and the papers most like them come first here."
            ),
            (true, n) => format!(
                "Ordered by how much each paper resembles the {n} {} tagged “{tag}” (a classifier \
                 trained on them in this browser), without those and the papers you marked \
                 “not interested”, which it learns from too.",
                if n == 1 { "paper" } else { "papers" }
            ),
        };
        let undo = move || {
            context.dismissed.get().map(|(id, title)| {
                let restore = move |_| {
                    user.change(|s, now| s.set_not_interested(&[id.as_str()], false, now));
                    context.dismissed.set(None);
                };
                view! {
                    <p class="recommend-undo" role="status" data-testid="not-interested-status">
                        "“"{marked(&title, &[])}"” is set aside. "
                        <button class="link-button" data-testid="not-interested-undo" on:click=restore>"Undo"</button>
                    </p>
                }
            })
        };
        Some(view! {
            <section class="recommend-banner" data-testid="recommend-banner" aria-labelledby="recommend-title">
                <h2 id="recommend-title">"Recommended for “"{tag.clone()}"”"</h2>
                <p class="muted" data-testid="recommend-status">{status}</p>
                {undo}
                <button class="button" data-testid="recommend-close"
                    on:click=move |_| view.update(|v| v.recommend_for = None)>"Back to the usual order"</button>
            </section>
        })
    }
}

/// A recommended row's reasons and its "Not interested" button (nothing
/// outside a "recommended for" view).
#[component]
pub fn RowReasons(
    /// The paper.
    doc: u32,
    /// Its id (what the mark is stored under).
    id: String,
    /// Its title (for the undo's message).
    title: String,
) -> impl IntoView {
    let view = expect_view();
    let explorer = expect_explorer();
    let user = expect_user();
    let fetcher = expect_fetcher();
    let context = use_context::<ReasonsContext>();
    let id = StoredValue::new(id);
    let title = StoredValue::new(title);
    move || {
        let context = context?;
        view.with(|v| v.recommend_for.is_some()).then_some(())?;
        let why = context.reasons.with(|r| r.get(&doc).cloned());
        let terms = why.as_ref().map(|r| r.reasons.join(" · ")).filter(|t| !t.is_empty());
        let closest = why.map(|r| r.closest).unwrap_or_default();
        let closest = (!closest.is_empty()).then(|| {
            fetcher.records.track();
            let papers = closest
                .into_iter()
                .map(|near| {
                    let title = explorer.with(|e| e.try_paper(near).map(|p| p.title.clone()));
                    let open = move |_| {
                        if let Some(id) = explorer.with(|e| e.try_id(near).map(str::to_owned)) {
                            view.update(|v| v.paper = Some(id));
                        }
                    };
                    view! {
                        <li><button class="link-button" data-testid="reason-paper" on:click=open>
                            {marked(&title.unwrap_or_else(|| "…".to_owned()), &[])}
                        </button></li>
                    }
                })
                .collect_view();
            view! { <span class="reason-label">" Closest to: "</span><ul class="reason-papers">{papers}</ul> }
        });
        let dismiss = move |_| {
            let (id, title) = (id.get_value(), title.get_value());
            user.change(|s, now| s.set_not_interested(&[id.as_str()], true, now));
            context.dismissed.set(Some((id, title)));
        };
        Some(view! {
            <div class="reasons" data-testid="reasons">
                {terms.map(|terms| view! {
                    <span class="reason-label">"Why: "</span>
                    <span class="reason-terms" data-testid="reason-terms">{terms}</span>
                })}
                {closest}
                <button class="button reason-dismiss" data-testid="not-interested"
                    disabled=move || user.read_only.get() on:click=dismiss>"Not interested"</button>
            </div>
        })
    }
}
