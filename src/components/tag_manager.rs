//! The Tags dialog: rename, merge, recolor and delete tags, undo and redo,
//! export (all user data as JSON; the current results in reference-manager
//! formats, written by the compile worker) and import with a preview.

use leptos::prelude::*;

use crate::browser::compile_worker::{self, ConvertError, Task};
use crate::browser::download::{download, download_bytes};
use crate::browser::shards::expect_fetcher;
use crate::browser::user_store;
use crate::components::dialog::Dialog;
use crate::engine::export::ExportFormat;
use crate::engine::tags::{decode, encode, preview_import, ImportPreview, TagNode, UserData};
use crate::state::{expect_corpus, expect_explorer, expect_results, expect_user, expect_view};

#[component]
pub fn TagManager(
    /// Called when the dialog is dismissed.
    on_close: Callback<()>,
) -> impl IntoView {
    let user = expect_user();
    let explorer = expect_explorer();
    let results = expect_results();
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(None::<(UserData, ImportPreview)>);
    let fetcher = expect_fetcher();
    // Counts papers of the corpus: a sharded pack's head knows them by id
    // once their id shards are in (asked for here, and by the results).
    Effect::new(move |_| {
        fetcher.index.track();
        fetcher.prefetch(user.store.with(|s| explorer.with(|e| e.missing_user_ids(s.data()))));
    });
    let tree = move || {
        fetcher.index.track();
        explorer.with(|e| user.store.with(|s| flatten(&s.tree(|id| e.may_have(id)), 0)))
    };

    let export_all = move |_| {
        let text = user.store.with_untracked(|s| encode(s.data(), &user_store::key(), user_store::now()));
        let _ = download("folio-user-data.json", "application/json", &text);
    };
    let corpus = expect_corpus();
    // The worker writes the file from the corpus's bytes: the page carries
    // no writer (engine::export stays out of its wasm). A sharded corpus is
    // not in one file: the results' records, fetched, make a bundle of them.
    let export_results = move |format: ExportFormat| {
        let docs = results.with_untracked(|r| r.docs().to_vec());
        let sharded = explorer.with(|e| e.is_sharded());
        // Every result's id: at once, or (sharded) from id shards fetched below.
        let known = match sharded {
            true => None,
            false => explorer.with(|e| docs.iter().map(|&d| e.try_id(d).map(str::to_owned)).collect()),
        };
        let data = user.store.with_untracked(|s| encode(s.data(), "", 0));
        leptos::task::spawn_local(async move {
            let bytes = match sharded {
                false => corpus.bytes().await,
                true => match fetcher.records_of(&docs).await {
                    Ok(()) => explorer
                        .with(|e| e.bundle_of(&docs))
                        .map(|json| js_sys::Uint8Array::from(json.as_slice()))
                        .ok_or_else(|| "the papers' records could not be read".to_owned()),
                    Err(problem) => Err(problem.message().to_owned()),
                },
            };
            let ids = match known {
                Some(ids) => Some(ids),
                None if bytes.is_ok() => fetcher.ids_of(&docs).await.ok(),
                None => None,
            };
            let bytes = bytes.and_then(|b| Ok((b, ids.ok_or("the papers' ids could not be read")?)));
            let exported = match bytes {
                Ok((bytes, ids)) => compile_worker::run(Task::Export {
                    corpus: bytes,
                    ids,
                    user: data,
                    format: format.extension(),
                })
                .await
                .map_err(ConvertError::reason),
                Err(reason) => Err(reason),
            };
            let name = format!("folio-papers.{}", format.extension());
            match exported.and_then(|bytes| download_bytes(&name, format.mime(), &bytes)) {
                Ok(()) => error.set(None),
                Err(reason) => error.set(Some(format!("Nothing was exported: {reason}."))),
            }
        });
    };
    let import = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        let file = gloo_file::File::from(file);
        leptos::task::spawn_local(async move {
            match gloo_file::futures::read_as_text(&file).await {
                Err(err) => error.set(Some(format!("Cannot read the file: {err}"))),
                Ok(text) => match decode(&text) {
                    Err(err) => {
                        pending.set(None);
                        error.set(Some(format!("Nothing was imported: {err}.")));
                    }
                    Ok(decoded) => {
                        error.set(None);
                        let preview = user.store.with_untracked(|s| preview_import(s.data(), &decoded.data));
                        pending.set(Some((decoded.data, preview)));
                    }
                },
            }
        });
    };
    let apply_import = move |_| {
        if let Some((incoming, _)) = pending.get_untracked() {
            user.change(|s, _| s.apply_import(&incoming));
            pending.set(None);
        }
    };

    view! {
        <Dialog title="Tags" testid="tag-manager" class="tag-manager" on_close>
            <div class="dialog-actions">
                <button class="button" data-testid="undo" disabled=move || !user.store.with(|s| s.can_undo()) || user.read_only.get()
                    on:click=move |_| { user.store.update(|s| { s.undo(); }); }>"Undo"</button>
                <button class="button" data-testid="redo" disabled=move || !user.store.with(|s| s.can_redo()) || user.read_only.get()
                    on:click=move |_| { user.store.update(|s| { s.redo(); }); }>"Redo"</button>
            </div>
            <ul class="tag-list">
                {move || tree().into_iter().map(|(depth, node)| view! { <TagRow depth node error on_close /> }).collect_view()}
            </ul>
            <Show when=move || tree().is_empty()>
                <p class="muted">"No tags yet: add some from a paper, or tag all results at once."</p>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert" data-testid="tags-error">{move || error.get()}</p>
            </Show>
            <h3>"Export"</h3>
            <div class="dialog-actions">
                <button class="button" data-testid="export-json" on:click=export_all>"All your data (JSON)"</button>
                {ExportFormat::ALL.into_iter().map(|format| {
                    view! { <button class="button" on:click=move |_| export_results(format)>{format!("Results as {}", format.label())}</button> }
                }).collect_view()}
            </div>
            <h3>"Import"</h3>
            <label class="button file-button">"Choose a Folio JSON file…"
                <input type="file" accept="application/json,.json" class="visually-hidden" data-testid="import-file"
                    disabled=move || user.read_only.get() on:change=import />
            </label>
            {move || pending.get().map(|(_, preview)| view! {
                <div class="import-preview" data-testid="import-preview">
                    <p>{describe(&preview)}</p>
                    <div class="dialog-actions">
                        <button class="button" on:click=move |_| pending.set(None)>"Cancel"</button>
                        <button class="button button-primary" data-testid="import-apply" on:click=apply_import>"Import"</button>
                    </div>
                </div>
            })}
            <div class="dialog-actions">
                <button class="button" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
        </Dialog>
    }
}

/// One tag: rename (merging onto an existing name), color, delete.
#[component]
fn TagRow(
    /// Nesting level in the tree.
    depth: usize,
    /// The tag.
    node: TagNode,
    /// Where to report a refused rename.
    error: RwSignal<Option<String>>,
    /// Closes the dialog (to show the tag's recommendations).
    on_close: Callback<()>,
) -> impl IntoView {
    let user = expect_user();
    let view = expect_view();
    let name = StoredValue::new(node.name.clone());
    let recommend = move |_| {
        let tag = name.get_value();
        view.update(|v| {
            v.recommend_for = Some(tag);
            v.paper = None;
        });
        on_close.run(());
    };
    let draft = RwSignal::new(node.name.clone());
    let rename = move || {
        let to = draft.get_untracked();
        if to == name.get_value() {
            return;
        }
        match user.change(|s, now| s.rename_tag(&name.get_value(), &to, now)) {
            Ok(_) => error.set(None),
            Err(err) => error.set(Some(err.to_string())),
        }
    };
    let recolor = move |ev: leptos::ev::Event| {
        let color = event_target_value(&ev);
        if let Err(err) = user.change(|s, _| s.set_color(&name.get_value(), Some(&color))) {
            error.set(Some(err.to_string()));
        }
    };
    let label = format!("Tag {}", node.name);
    view! {
        <li class="tag-row" style:--depth=depth.to_string() data-testid="tag-row" data-tag=node.name.clone()>
            <input type="color" aria-label=format!("Color of {}", node.name) prop:value=node.color.clone().unwrap_or_else(|| "#5a7fbf".into())
                on:change=recolor disabled=move || user.read_only.get() />
            <input type="text" aria-label=label prop:value=move || draft.get() disabled=move || user.read_only.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
                on:keydown=move |ev| if ev.key() == "Enter" { rename() } />
            <span class="facet-count">{node.count}</span>
            <button class="button" data-testid="tag-recommend" aria-label=format!("Recommended for {}", node.name)
                on:click=recommend>"Recommended"</button>
            <button class="button" on:click=move |_| rename() disabled=move || user.read_only.get()>"Rename"</button>
            <button class="button" aria-label=format!("Delete tag {}", node.name) disabled=move || user.read_only.get()
                on:click=move |_| { user.change(|s, now| s.delete_tag(&name.get_value(), now)); }>"Delete"</button>
        </li>
    }
}

fn flatten(nodes: &[TagNode], depth: usize) -> Vec<(usize, TagNode)> {
    nodes
        .iter()
        .flat_map(|n| std::iter::once((depth, n.clone())).chain(flatten(&n.children, depth + 1)))
        .collect()
}

fn describe(preview: &ImportPreview) -> String {
    if preview.is_empty() {
        return "This file adds nothing new: everything in it is already here.".to_owned();
    }
    let mut parts = vec![format!("{} papers change", preview.papers_changed)];
    if preview.tags_added > 0 {
        parts.push(format!("{} tags added", preview.tags_added));
    }
    if !preview.new_tags.is_empty() {
        parts.push(format!("new tags: {}", preview.new_tags.join(", ")));
    }
    if preview.stars_added > 0 {
        parts.push(format!("{} stars", preview.stars_added));
    }
    if preview.reads_added > 0 {
        parts.push(format!("{} read marks", preview.reads_added));
    }
    if preview.notes_changed > 0 {
        parts.push(format!("{} notes", preview.notes_changed));
    }
    if preview.not_interested_added > 0 {
        parts.push(format!("{} marked not interested", preview.not_interested_added));
    }
    format!("Importing merges without removing anything: {}.", parts.join("; "))
}
