//! The user's data on one paper: star, read mark, "not interested", tags
//! (with autocomplete) and a note.

use leptos::prelude::*;

use crate::state::expect_user;

/// The tag input's DOM id, focused by the `t` shortcut.
pub const TAG_INPUT_ID: &str = "tag-input";

#[component]
pub fn TagEditor(
    /// The paper's stable id.
    id: String,
) -> impl IntoView {
    let user = expect_user();
    let id = StoredValue::new(id);
    let paper = move || user.store.with(|s| id.with_value(|id| s.paper(id).cloned()).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let draft = RwSignal::new(String::new());
    let disabled = move || user.read_only.get();

    let add = move || {
        let name = draft.get_untracked();
        if name.trim().is_empty() {
            return;
        }
        match user.change(|s, now| id.with_value(|id| s.add_tag(&[id.as_str()], &name, now))) {
            Ok(_) => {
                draft.set(String::new());
                error.set(None);
            }
            Err(err) => error.set(Some(err.to_string())),
        }
    };
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if user.focus_tag_input.get() {
            if let Some(input) = input.get() {
                let _ = input.focus();
                user.focus_tag_input.set(false);
            }
        }
    });

    view! {
        <section class="tag-editor" aria-label="Your tags and notes" data-testid="tag-editor">
            <div class="toggles">
                <button class="button" data-testid="star" aria-pressed=move || paper().starred.to_string() disabled=disabled
                    on:click=move |_| { let on = !paper().starred; user.change(|s, now| id.with_value(|id| s.set_starred(&[id.as_str()], on, now))); }>
                    {move || if paper().starred { "★ Starred" } else { "☆ Star" }}
                </button>
                <button class="button" data-testid="read" aria-pressed=move || paper().read.to_string() disabled=disabled
                    on:click=move |_| { let on = !paper().read; user.change(|s, now| id.with_value(|id| s.set_read(&[id.as_str()], on, now))); }>
                    {move || if paper().read { "✓ Read" } else { "Mark read" }}
                </button>
                // Kept out of every "recommended for" list (and learnt from).
                <button class="button" data-testid="paper-not-interested" aria-pressed=move || paper().not_interested.to_string() disabled=disabled
                    on:click=move |_| { let on = !paper().not_interested; user.change(|s, now| id.with_value(|id| s.set_not_interested(&[id.as_str()], on, now))); }>
                    {move || if paper().not_interested { "Not interested ✕" } else { "Not interested" }}
                </button>
            </div>
            <ul class="tag-chips" aria-label="Tags">
                {move || paper().tags.into_iter().map(|tag| {
                    let remove = tag.clone();
                    view! {
                        <li>
                            <span class="tag-chip" data-testid="tag">{tag.clone()}
                                <button class="tag-remove" aria-label=format!("Remove tag {tag}") disabled=disabled
                                    on:click=move |_| { user.change(|s, now| id.with_value(|id| s.remove_tag(&[id.as_str()], &remove, now))); }>"×"</button>
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="tag-add" on:submit=move |ev| { ev.prevent_default(); add(); }>
                <label class="visually-hidden" for=TAG_INPUT_ID>"Add a tag"</label>
                <input id=TAG_INPUT_ID node_ref=input type="text" list="tag-suggestions" placeholder="Add a tag (e.g. reading/now)"
                    data-testid="tag-input" disabled=disabled prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev)) />
                <datalist id="tag-suggestions">
                    {move || user.store.with(|s| s.complete(&draft.get())).into_iter().map(|t| view! { <option value=t /> }).collect_view()}
                </datalist>
                <button class="button" type="submit" disabled=disabled>"Add"</button>
            </form>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
            <label class="note">
                "Note"
                <textarea data-testid="note" rows="3" disabled=disabled prop:value=move || paper().note
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        if let Err(err) = user.change(|s, now| id.with_value(|id| s.set_note(id, &text, now))) {
                            error.set(Some(err.to_string()));
                        }
                    }></textarea>
            </label>
        </section>
    }
}
