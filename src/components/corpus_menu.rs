//! The corpus menu: the corpora kept in this browser (name, papers, date)
//! and the site's own; switch between them, rename, export one (the
//! site's too) as `bundle.json` or as its app pack (the form it is not in
//! made by the compile worker), delete one; the storage the site uses.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser::bundle_fetch;
use crate::browser::compile_worker::{self, ConvertError, Form};
use crate::browser::corpus_store::{self, StoredCorpus};
use crate::browser::download::download_bytes;
use crate::components::dialog::Dialog;
use crate::engine::open::byte_size;
use crate::state::{expect_corpus, CorpusContext, SITE_CORPUS};

/// The header's button naming the corpus in view; it opens the menu.
#[component]
pub fn CorpusMenu() -> impl IntoView {
    let corpus = expect_corpus();
    let open = RwSignal::new(false);
    view! {
        <button class="icon-button corpus-button" data-testid="corpus-menu" title="Your corpora"
            on:click=move |_| open.set(true)>
            {move || corpus.name.get()}
        </button>
        <Show when=move || open.get()>
            <CorpusDialog on_close=Callback::new(move |_| open.set(false)) />
        </Show>
    }
}

/// Offers a corpus (`bytes`: an app pack or a `bundle.json`) for download
/// as `{stem}.pack` or `{stem}.json`, in the form `form`.
async fn export(bytes: js_sys::Uint8Array, form: Form, stem: &str) -> Result<bool, String> {
    let bytes = compile_worker::convert(bytes, form).await.map_err(ConvertError::reason)?;
    let (extension, mime) = match form {
        Form::Pack => ("pack", "application/octet-stream"),
        Form::Bundle => ("json", "application/json"),
    };
    download_bytes(&format!("{stem}.{extension}"), mime, &bytes).map(|()| false)
}

/// The form an export button (`data-action` "json" or "pack") asks for.
fn form_of(action: &str) -> Form {
    if action == "pack" {
        Form::Pack
    } else {
        Form::Bundle
    }
}

/// One action of the menu on a kept corpus, named by its button's `data-action`.
async fn act(corpus: CorpusContext, action: &str, kept: StoredCorpus) -> Result<bool, String> {
    let store_error = |err: wasm_bindgen::JsValue| corpus_store::describe(&err);
    let in_view = corpus.kept_id().as_deref() == Some(kept.id.as_str());
    match action {
        "open" => corpus.open_kept(&kept.id, kept.name, true).await.map(|()| true),
        "rename" => {
            let asked =
                gloo::utils::window().prompt_with_message_and_default("New name", &kept.name).ok().flatten();
            let Some(name) = asked.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()) else {
                return Ok(false);
            };
            corpus_store::rename(&kept.id, &name).await.map_err(store_error)?;
            if in_view {
                corpus.name.set(name);
            }
            Ok(false)
        }
        "delete" => {
            corpus_store::delete(&kept.id).await.map_err(store_error)?;
            // The corpus in view is gone from the store: show the site's.
            if in_view {
                corpus.open_site().await?;
            }
            Ok(false)
        }
        "pack" | "json" => {
            let pack =
                corpus_store::whole(&kept.id).await.map_err(store_error)?.ok_or("it is no longer kept")?;
            let stem: String =
                kept.name.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' }).collect();
            let form = form_of(action);
            export(pack, form, &if form == Form::Pack { stem } else { format!("{stem}.bundle") }).await
        }
        _ => Ok(false),
    }
}

#[component]
fn CorpusDialog(
    /// Closes the menu.
    on_close: Callback<()>,
) -> impl IntoView {
    let corpus = expect_corpus();
    let message = RwSignal::new(None::<String>);
    let kept = RwSignal::new(None::<Vec<StoredCorpus>>);
    let usage = RwSignal::new(String::new());
    Effect::new(move |_| {
        corpus.kept_changed.track();
        leptos::task::spawn_local(async move {
            match corpus_store::list().await {
                Ok(list) => kept.set(Some(list)),
                Err(err) => message
                    .set(Some(format!("The kept corpora cannot be read: {}.", corpus_store::describe(&err)))),
            }
            if let Some(text) = corpus_store::usage().await {
                usage.set(text);
            }
        });
    });
    // One handler for every row's buttons (`data-action`, `data-id`).
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let Some(button) = target.and_then(|t| t.closest("button[data-action]").ok().flatten()) else {
            return;
        };
        let action = button.get_attribute("data-action").unwrap_or_default();
        let id = button.get_attribute("data-id").unwrap_or_default();
        leptos::task::spawn_local(async move {
            let result = match action.as_str() {
                "site" => corpus.open_site().await.map(|()| true),
                // The site's corpus as it would be deployed: `bundle.json`, `bundle.pack`.
                "site-json" | "site-pack" => match bundle_fetch::site_corpus_bytes().await {
                    Ok(bytes) => export(bytes, form_of(&action.replace("site-", "")), "bundle").await,
                    Err(err) => Err(err.to_string()),
                },
                _ => {
                    let Some(k) = kept.with_untracked(|l| l.iter().flatten().find(|k| k.id == id).cloned())
                    else {
                        return;
                    };
                    act(corpus, &action, k).await
                }
            };
            match result {
                Ok(true) => on_close.run(()),
                Ok(false) => corpus.kept_changed.update(|n| *n += 1),
                Err(reason) => message.set(Some(format!("That did not work: {reason}."))),
            }
        });
    };
    let row = move |k: StoredCorpus| {
        let in_view = corpus.kept_id().as_deref() == Some(k.id.as_str());
        let date = js_sys::Date::new(&k.date.into())
            .to_locale_date_string("default", &wasm_bindgen::JsValue::UNDEFINED);
        let details =
            format!("{} papers · {} · {}", k.papers as u64, String::from(date), byte_size(k.bytes as u64));
        let id = k.id;
        let button = move |action: &'static str, label: &'static str| {
            let disabled = action == "open" && in_view;
            view! { <button class="button" data-action=action data-id=id.clone() disabled=disabled>{label}</button> }
        };
        view! {
            <li class="corpus-entry" data-testid="kept-corpus">
                <span class="corpus-name" data-testid="kept-name">{k.name}</span>
                <span class="corpus-details muted">{details}</span>
                <span class="corpus-actions">
                    {button("open", "Open")}{button("rename", "Rename…")}{button("json", "bundle.json")}
                    {button("pack", "App pack")}{button("delete", "Delete")}
                </span>
            </li>
        }
    };
    view! {
        <Dialog title="Your corpora" testid="corpus-dialog" class="corpus-dialog" on_close>
            <p class="muted">"Kept in this browser only: nothing is uploaded. Tags, notes and reading state follow each paper into every corpus that holds it."</p>
            <p class="error" role="alert" data-testid="corpus-error">{move || message.get()}</p>
            <ul class="corpus-list" data-testid="corpus-list" on:click=on_click>
                <li class="corpus-entry" data-testid="site-corpus">
                    <span class="corpus-name">{SITE_CORPUS}</span>
                    <span class="corpus-actions">
                        <button class="button" data-action="site">"Open"</button>
                        {bundle_fetch::site_has_corpus().then(|| view! {
                            <button class="button" data-action="site-json">"bundle.json"</button>
                            <button class="button" data-action="site-pack">"App pack"</button>
                        })}
                    </span>
                </li>
                {move || kept.get().unwrap_or_default().into_iter().map(row).collect_view()}
            </ul>
            <p class="muted" data-testid="storage-estimate">{move || usage.get()}</p>
            <div class="dialog-actions">
                <button class="button button-primary" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
        </Dialog>
    }
}
