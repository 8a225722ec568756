//! Tells the user when their data is at risk (cannot be saved, was set
//! aside, is read-only) or kept for papers outside this corpus, and offers
//! an export.

use leptos::prelude::*;

use crate::browser::shards::expect_fetcher;
use crate::browser::{download::download, user_store};
use crate::engine::tags::encode;
use crate::state::{expect_explorer, expect_user};

#[component]
pub fn UserDataBanner() -> impl IntoView {
    let user = expect_user();
    let explorer = expect_explorer();
    let fetcher = expect_fetcher();
    // A paper whose id shard is not in yet (a sharded pack's; the results
    // ask for the user's) counts as in the corpus until it is.
    let orphans = move || {
        fetcher.index.track();
        explorer.with(|e| user.store.with(|s| s.orphans(|id| e.may_have(id))))
    };
    let export = move |_| {
        let text = user.store.with_untracked(|s| encode(s.data(), &user_store::key(), user_store::now()));
        let _ = download("folio-user-data.json", "application/json", &text);
    };
    view! {
        <Show when=move || user.save_error.get().is_some()>
            <div class="banner banner-danger" role="alert" data-testid="save-error">
                <p>
                    <strong>"Your changes are not saved: "</strong>
                    {move || user.save_error.get()}
                    ". They stay in this tab; export them to keep a copy."
                </p>
                <button class="button" on:click=export>"Export your data"</button>
            </div>
        </Show>
        <Show when=move || user.load_problem.get().is_some()>
            <div class="banner" role="alert" data-testid="load-problem">
                <p>{move || user.load_problem.get()}</p>
                <button class="link-button" on:click=move |_| user.load_problem.set(None)>"Dismiss"</button>
            </div>
        </Show>
        <Show when=move || { orphans().papers != 0 }>
            <p class="banner banner-quiet" data-testid="orphans">
                {move || {
                    let o = orphans();
                    format!("{} {} on {} {} not in this corpus are kept.", o.tags, if o.tags == 1 { "tag" } else { "tags" }, o.papers, if o.papers == 1 { "paper" } else { "papers" })
                }}
            </p>
        </Show>
    }
}
