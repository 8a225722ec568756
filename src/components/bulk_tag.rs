//! Tag or untag every current result at once, after a confirmation that
//! names the count.

use leptos::prelude::*;

use crate::browser::shards::expect_fetcher;
use crate::components::dialog::Dialog;

use crate::state::{expect_results, expect_user};

#[component]
pub fn BulkTag() -> impl IntoView {
    let user = expect_user();
    let results = expect_results();
    let open = RwSignal::new(false);
    let tag = RwSignal::new(String::new());
    let remove = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let fetcher = expect_fetcher();
    // While a sharded pack's ids of the results come in.
    let busy = RwSignal::new(false);
    let count = move || results.with(|r| r.len());
    let apply = move |_| {
        let docs = results.with_untracked(|r| r.docs().to_vec());
        // What was confirmed, not what the dialog says once the ids are in.
        let (name, remove) = (tag.get_untracked(), remove.get_untracked());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let ids = fetcher.ids_of(&docs).await;
            busy.try_set(false);
            let ids = match ids {
                Ok(ids) => ids,
                Err(problem) => {
                    message.try_set(Some(problem.message().to_owned()));
                    return;
                }
            };
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let outcome = user.change(|s, now| {
                if remove {
                    Ok(s.remove_tag(&ids, &name, now))
                } else {
                    s.add_tag(&ids, &name, now)
                }
            });
            match outcome {
                Ok(changed) => {
                    message.try_set(Some(format!("{changed} papers changed. Undo is in Tags.")));
                    open.try_set(false);
                }
                Err(err) => {
                    message.try_set(Some(err.to_string()));
                }
            }
        });
    };
    view! {
        <button class="link-button" data-testid="bulk-tag" disabled=move || user.read_only.get() || count() == 0
            on:click=move |_| { message.set(None); open.set(true); }>
            "Tag results…"
        </button>
        <Show when=move || message.get().is_some() && !open.get()>
            <span class="bulk-message" role="status">{move || message.get()}</span>
        </Show>
        <Show when=move || open.get()>
            <Dialog title="Tag all results" testid="bulk-dialog" on_close=Callback::new(move |_| open.set(false))>
                <form on:submit=move |ev| ev.prevent_default()>
                    <label>"Tag " <input type="text" data-testid="bulk-tag-input" list="tag-suggestions-bulk" autofocus=true
                        prop:value=move || tag.get() on:input=move |ev| tag.set(event_target_value(&ev)) /></label>
                    <datalist id="tag-suggestions-bulk">
                        {move || user.store.with(|s| s.all_tags()).into_iter().map(|t| view! { <option value=t /> }).collect_view()}
                    </datalist>
                    <fieldset class="bulk-mode">
                        <legend class="visually-hidden">"Add or remove"</legend>
                        <label><input type="radio" name="bulk-mode" prop:checked=move || !remove.get() on:change=move |_| remove.set(false) />" add"</label>
                        <label><input type="radio" name="bulk-mode" prop:checked=move || remove.get() on:change=move |_| remove.set(true) />" remove"</label>
                    </fieldset>
                    <Show when=move || message.get().is_some()>
                        <p class="field-error" role="alert">{move || message.get()}</p>
                    </Show>
                    <div class="dialog-actions">
                        <button class="button" type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                        <button class="button button-primary" type="submit" data-testid="bulk-confirm"
                            disabled=move || busy.get() || tag.with(|t| t.trim().is_empty()) on:click=apply>
                            {move || format!("{} {} {} {} “{}”", if remove.get() { "Untag" } else { "Tag" }, count(),
                                if count() == 1 { "paper" } else { "papers" }, if remove.get() { "from" } else { "with" }, tag.get().trim())}
                        </button>
                    </div>
                </form>
            </Dialog>
        </Show>
    }
}
