//! Opening a person's own files: the "Open papers…" button, a drop zone
//! over the whole page, `?open=URL`, the choice between adding to the
//! corpus in view and opening a new one, the compile worker's progress
//! (with Cancel), and what it found (diagnostics that can be copied;
//! refused files say why). An opened corpus is kept in the browser.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, HtmlInputElement};

use crate::browser::bench_hook::{measure, now};
use crate::browser::compile_worker::{self, Done, Event, Job, Keep, Made, Step, Task};
use crate::browser::corpus_store::{self, explorer_in_steps, files_buffer, next_task, StoredCorpus};
use crate::browser::shards::{self, Source};
use crate::components::dialog::Dialog;
use crate::state::{expect_corpus, CorpusContext, CorpusOrigin, CorpusState};

/// The id of the one file input every "Open papers…" button clicks.
pub const INPUT_ID: &str = "open-papers-input";

/// What the file picker offers (any file can still be dropped: one that
/// cannot be read is refused and says why).
pub const ACCEPT: &str = ".bib,.ris,.enw,.ciw,.isi,.nbib,.xml,.jsonl,.ndjson,.json,.csv,.tsv,.txt,.gz";

/// The query parameter naming a corpus to open: `?open=papers/refs.bib`.
pub const OPEN_PARAM: &str = "open";

/// How many diagnostics are listed (all of them are copied).
const LISTED: usize = 500;

/// The button that opens the file picker.
#[component]
pub fn OpenButton() -> impl IntoView {
    let click = |_| {
        let input = gloo::utils::document().get_element_by_id(INPUT_ID);
        if let Some(input) = input.and_then(|i| i.dyn_into::<HtmlInputElement>().ok()) {
            input.click();
        }
    };
    view! {
        <button class="icon-button" data-testid="open-papers" title="Open BibTeX, RIS, CSV, JSON or listing files"
            on:click=click>"Open papers…"</button>
    }
}

/// What a finished open reports.
#[derive(Clone)]
struct Report {
    done: Done,
    /// The files were added to the corpus in view (else opened as new).
    added: bool,
    /// Whether the new corpus was kept in this browser, once known.
    kept: RwSignal<Option<Result<(), String>>>,
}

impl Report {
    /// An open that changed nothing, and why.
    fn failed(failure: String, added: bool) -> Self {
        Report { done: Done { failure: Some(failure), ..Done::default() }, added, kept: RwSignal::new(None) }
    }
}

/// A new kept corpus's id.
fn new_id() -> String {
    format!("c{}-{}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e9) as u64)
}

/// Shows the pack just made (or fetched) and keeps it in the browser,
/// whole or not at all: when it cannot be kept, it stays open in this page
/// only and `kept` says why. A sharded pack (a large corpus) shows from
/// its head: its shards were kept by the worker ([`Made::stored`]; the
/// head and the description, written here, commit the corpus), or else
/// are read from the page's memory until they are kept, then from the
/// store. Decoding the pack and showing it are tasks of their own (each of
/// them takes tens of milliseconds at 100k papers). `claim` is called just
/// before the corpus is shown: from then on the worker's shards are this
/// corpus's (Cancel no longer deletes them). Returns the papers shown, or
/// why none; `None` when `wanted` said no meanwhile (the open was
/// cancelled: nothing changed).
async fn show_and_keep(
    corpus: CorpusContext,
    name: String,
    made: Made,
    added: bool,
    kept: RwSignal<Option<Result<(), String>>>,
    wanted: impl Fn() -> bool,
    claim: impl FnOnce(),
) -> Option<Result<usize, String>> {
    next_task().await;
    if !wanted() {
        return None;
    }
    let explorer = match explorer_in_steps(made.pack.to_vec()).await {
        Ok(explorer) => explorer,
        Err(err) => {
            if let Some(stored) = &made.stored {
                let _ = corpus_store::delete_shards(&stored.id).await;
            }
            return Some(Err(format!("the new corpus could not be opened: {err}")));
        }
    };
    next_task().await;
    if !wanted() {
        return None;
    }
    claim();
    let replaced = corpus.kept_id().filter(|_| added);
    // Added to a kept corpus: it is replaced; else a new one is kept.
    let id = match &made.stored {
        Some(stored) => stored.id.clone(),
        None => replaced.clone().unwrap_or_else(new_id),
    };
    let papers = explorer.len();
    let stored = StoredCorpus {
        id: id.clone(),
        name: name.clone(),
        papers: papers as f64,
        date: js_sys::Date::now(),
        bytes: made.len(),
        shards: made.shard_count(),
    };
    let start = now();
    if made.stored.is_some() {
        shards::read_from(Source::Kept(id.clone()));
        corpus.show(explorer, name, CorpusOrigin::Kept(id.clone()));
        measure("show", start);
        leptos::task::spawn_local(async move {
            // Not in the task that shows it: storing a large pack is
            // milliseconds of structured clone (issue 15).
            next_task().await;
            corpus_store::request_persistence();
            let result = corpus_store::commit(&stored, &made.pack, replaced.as_deref()).await;
            if result.is_err() {
                unkept(corpus, &id, made.pack).await;
            }
            kept.set(Some(result.map_err(|err| corpus_store::describe(&err))));
        });
        return Some(Ok(papers));
    }
    let in_memory =
        std::rc::Rc::new(made.shards.iter().cloned().collect::<std::collections::HashMap<_, _>>());
    shards::read_from(Source::Opened(in_memory.clone()));
    corpus.show(explorer, name, CorpusOrigin::Kept(id.clone()));
    measure("show", start);
    leptos::task::spawn_local(async move {
        next_task().await;
        corpus_store::request_persistence();
        let result = corpus_store::save(&stored, &made.pack, &made.shards).await;
        let origin = match &result {
            Ok(()) => {
                // Unless another corpus was put in view meanwhile.
                if shards::reads_from(&in_memory) {
                    shards::read_from(Source::Kept(id.clone()));
                }
                CorpusOrigin::Kept(id)
            }
            Err(_) if made.is_sharded() => CorpusOrigin::Unsaved(files_buffer(&made.pack, &made.shards)),
            Err(_) => CorpusOrigin::Unsaved(made.pack),
        };
        corpus.set_origin(origin);
        kept.set(Some(result.map_err(|err| corpus_store::describe(&err))));
    });
    Some(Ok(papers))
}

/// The corpus `id` whose shards the worker kept could not be committed:
/// its shards are read back into the page (while it is in view, it reads
/// them from there and stays open, unsaved) and deleted from the store, so
/// that nothing is half-saved.
async fn unkept(corpus: CorpusContext, id: &str, head: js_sys::Uint8Array) {
    let in_view = corpus.kept_id().as_deref() == Some(id);
    let read = match in_view {
        true => corpus_store::shards_of(id).await.ok(),
        false => None,
    };
    let _ = corpus_store::delete_shards(id).await;
    if let Some(files) = read.filter(|_| corpus.kept_id().as_deref() == Some(id)) {
        let buffer = files_buffer(&head, &files);
        shards::read_from(Source::Opened(std::rc::Rc::new(files.into_iter().collect())));
        corpus.set_origin(CorpusOrigin::Unsaved(buffer));
    }
}

/// The file input, the drop zone and the opener's dialogs (mounted once, at the root).
#[component]
pub fn OpenPapers() -> impl IntoView {
    let corpus = expect_corpus();
    // Files waiting for "add or new", and the running job: browser objects, kept locally.
    let pending = StoredValue::new_local(Vec::<File>::new());
    let job = StoredValue::new_local(None::<Job>);
    // The id the running job's worker keeps its shards under, until the
    // corpus is shown: a job that ends otherwise deletes them.
    let keeping = StoredValue::new_local(None::<String>);
    let drop_kept = move || {
        if let Some(id) = keeping.try_update_value(Option::take).flatten() {
            leptos::task::spawn_local(async move {
                let _ = corpus_store::delete_shards(&id).await;
            });
        }
    };
    let choosing = RwSignal::new(None::<Vec<String>>);
    let progress = RwSignal::new(None::<Step>);
    let report = RwSignal::new(None::<Report>);
    let dragging = RwSignal::new(false);
    corpus_store::delete_orphan_shards_when_idle();

    let fail = move |failure: String, added: bool| {
        progress.set(None);
        report.set(Some(Report::failed(failure, added)));
    };
    let run = move |add: bool| {
        choosing.set(None);
        let files = pending.try_update_value(std::mem::take).unwrap_or_default();
        let name = match files.as_slice() {
            [] => return,
            [one] => one.name(),
            [first, rest @ ..] => format!("{} and {} more", first.name(), rest.len()),
        };
        let name = if add { corpus.name.get_untracked() } else { name };
        progress.set(Some(Step {
            stage: "starting".into(),
            papers: 0.0,
            done: 0.0,
            total: 0.0,
            amount: String::new(),
        }));
        leptos::task::spawn_local(async move {
            let base = match add {
                true => match corpus.bytes().await {
                    Ok(bytes) => Some(bytes),
                    Err(reason) => {
                        return fail(
                            format!("the corpus in view could not be read ({reason}): nothing was added"),
                            add,
                        )
                    }
                },
                false => None,
            };
            // Cancelled while the corpus in view was being read.
            if progress.with_untracked(Option::is_none) {
                return;
            }
            // The worker keeps a large corpus's shards under this id; this
            // page holds it as being written until it is kept or deleted.
            let id = new_id();
            keeping.set_value(Some(id.clone()));
            corpus_store::hold(&id);
            let worker_id = id.clone();
            let on_event = move |event| {
                // The callback runs inside the job: drop it once that returns.
                let finish = || set_timeout(move || job.set_value(None), std::time::Duration::ZERO);
                match event {
                    Event::Progress(step) => progress.set(Some(step)),
                    Event::Done(mut done, pack) => {
                        // Kept until the new corpus is shown (or not): its
                        // worker is ended after that, once the page is
                        // idle (`compile_worker::Job`).
                        let ended = job.try_update_value(Option::take).flatten();
                        let kept = RwSignal::new(None);
                        let name = name.clone();
                        if pack.is_none() {
                            keeping.set_value(None);
                        }
                        if !pack.as_ref().is_some_and(|made| made.stored.is_some()) {
                            corpus_store::release(&worker_id);
                        }
                        leptos::task::spawn_local(async move {
                            let _ended = ended;
                            if let Some(made) = pack {
                                progress.update(|step| {
                                    if let Some(step) = step {
                                        step.stage = "opening the new corpus".into();
                                    }
                                });
                                // Cancel, until the corpus is shown, still changes nothing.
                                let wanted = move || progress.with_untracked(Option::is_some);
                                let claim = move || keeping.set_value(None);
                                match show_and_keep(corpus, name, made, add, kept, wanted, claim).await {
                                    None => return,
                                    Some(Err(failure)) => done.failure = Some(failure),
                                    Some(Ok(_)) => {}
                                }
                            }
                            progress.set(None);
                            report.set(Some(Report { done, added: add, kept }));
                        });
                    }
                    Event::Converted(_) => finish(),
                    Event::Failed(reason) => {
                        finish();
                        drop_kept();
                        fail(format!("{reason}: nothing was opened"), add);
                    }
                }
            };
            let keep = Some(Keep { database: corpus_store::name(), id: id.clone() });
            let task = Task::Open { files, base, shard_above: shard_threshold(), keep };
            match compile_worker::start(task, Box::new(on_event)) {
                Ok(started) => job.set_value(Some(started)),
                Err(reason) => {
                    corpus_store::release(&id);
                    fail(reason, add)
                }
            }
        });
    };
    // Files chosen or dropped: add or new is asked when a corpus is in view.
    let receive = move |files: Vec<File>| {
        if files.is_empty() || progress.with_untracked(Option::is_some) {
            return;
        }
        let names = files.iter().map(File::name).collect();
        pending.set_value(files);
        report.set(None);
        if corpus.papers() == 0 {
            run(false);
        } else {
            choosing.set(Some(names));
        }
    };
    // `?open=URL`, once the page's own corpus has settled.
    if let Some(url) = url_param() {
        Effect::new(move |started: Option<bool>| {
            if started == Some(true) || corpus.state.with(|s| matches!(s, CorpusState::Loading)) {
                return started.unwrap_or(false);
            }
            let url = url.clone();
            leptos::task::spawn_local(async move {
                match fetch_corpus(&url).await {
                    Ok(Fetched::Pack(name, pack)) => {
                        let kept = RwSignal::new(None);
                        let made = Made { pack, shards: Vec::new(), stored: None };
                        match show_and_keep(corpus, name, made, false, kept, || true, || ()).await {
                            Some(Ok(papers)) => {
                                let done = Done { papers: papers as f64, ..Done::default() };
                                report.set(Some(Report { done, added: false, kept }));
                            }
                            Some(Err(failure)) => fail(failure, false),
                            None => {}
                        }
                    }
                    Ok(Fetched::File(file)) => {
                        pending.set_value(vec![file]);
                        run(false);
                    }
                    Err(reason) => fail(reason, false),
                }
            });
            true
        });
    }

    let on_change = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let files = input.files().map(|list| file_list(&list)).unwrap_or_default();
        // The same file can be chosen again.
        input.set_value("");
        receive(files);
    };
    let carries_files = |ev: &DragEvent| {
        ev.data_transfer()
            .is_some_and(|dt| dt.types().iter().any(|t| t.as_string().as_deref() == Some("Files")))
    };
    // The root lives as long as the page: these listeners too.
    let _ = window_event_listener(leptos::ev::dragover, move |ev: DragEvent| {
        if carries_files(&ev) {
            ev.prevent_default();
            dragging.set(true);
        }
    });
    let _ = window_event_listener(leptos::ev::dragleave, move |ev: DragEvent| {
        // Leaving the window, not moving between elements.
        if ev.related_target().is_none() {
            dragging.set(false);
        }
    });
    let _ = window_event_listener(leptos::ev::drop, move |ev: DragEvent| {
        dragging.set(false);
        if let Some(list) = ev.data_transfer().and_then(|dt| dt.files()) {
            ev.prevent_default();
            receive(file_list(&list));
        }
    });

    view! {
        <input id=INPUT_ID class="visually-hidden" type="file" multiple accept=ACCEPT tabindex="-1"
            aria-hidden="true" on:change=on_change />
        <Show when=move || dragging.get()>
            <div class="drop-zone" data-testid="drop-zone" aria-hidden="true">
                <p>"Drop your papers to open them"</p>
            </div>
        </Show>
        {move || choosing.get().map(|names| {
            let close = Callback::new(move |_| choosing.set(None));
            view! {
                <Dialog title="Open papers" testid="open-choice" on_close=close>
                    <ul class="open-files">{names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                    <div class="dialog-actions">
                        <button class="button button-primary" data-testid="open-add" on:click=move |_| run(true)>
                            {format!("Add to these {} papers", corpus.papers())}
                        </button>
                        <button class="button" data-testid="open-new" on:click=move |_| run(false)>"Open as a new corpus"</button>
                        <button class="button" on:click=move |_| close.run(())>"Cancel"</button>
                    </div>
                </Dialog>
            }
        })}
        {move || progress.get().map(|step| view! {
            <Dialog title="Opening papers" testid="open-progress" on_close=Callback::new(|_| ())>
                <p data-testid="open-stage">{step.stage}</p>
                // Whole numbers as text: a float attribute would bring float formatting into the wasm.
                <progress max=(step.total.max(1.0) as u64).to_string() value=(step.done as u64).to_string()></progress>
                <p class="open-counts" data-testid="open-counts">{format!("{} papers read · {}", step.papers as u64, step.amount)}</p>
                <p class="muted">"Your files stay on this computer: nothing is uploaded."</p>
                <div class="dialog-actions">
                    <button class="button" data-testid="open-cancel" on:click=move |_| {
                        job.set_value(None);
                        progress.set(None);
                        drop_kept();
                    }>"Cancel"</button>
                </div>
            </Dialog>
        })}
        {move || report.get().map(|r| view! { <OpenReport report=r on_close=Callback::new(move |_| report.set(None)) /> })}
    }
}

/// The `localStorage` key of the records' size (bytes) past which an
/// opened corpus is kept sharded, instead of `engine::pack::SHARD_THRESHOLD`
/// (the browser tests set a small one, to shard the 24-paper seed).
pub const SHARD_THRESHOLD_KEY: &str = "folio:kept-shard-threshold";

fn shard_threshold() -> Option<f64> {
    let storage = gloo::utils::window().local_storage().ok().flatten()?;
    storage.get_item(SHARD_THRESHOLD_KEY).ok().flatten()?.trim().parse().ok()
}

fn file_list(list: &web_sys::FileList) -> Vec<File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The page's `?open=` parameter.
fn url_param() -> Option<String> {
    let search = gloo::utils::window().location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(OPEN_PARAM).filter(|url| !url.is_empty())
}

/// What `?open=` fetched: an app pack (opened as it is) or a file to compile.
enum Fetched {
    Pack(String, js_sys::Uint8Array),
    File(File),
}

/// Fetches `url` (relative to the page) if it is on this site, or on an
/// origin the build allows (`FOLIO_OPEN_ORIGINS`, written into the page and
/// its Content-Security-Policy by `scripts/post-build.mjs`).
async fn fetch_corpus(url: &str) -> Result<Fetched, String> {
    let document = gloo::utils::document();
    let location = gloo::utils::window().location();
    let parsed = web_sys::Url::new_with_base(url, &location.href().unwrap_or_default())
        .map_err(|_| format!("{url} is not a URL: nothing was opened"))?;
    let origin = parsed.origin();
    let allowed = document.query_selector("meta[name=\"folio-open-origins\"]").ok().flatten();
    let allowed = allowed.and_then(|m| m.get_attribute("content")).unwrap_or_default();
    if origin != location.origin().unwrap_or_default() && !allowed.split_whitespace().any(|o| o == origin) {
        return Err(format!(
            "{url} is on another site ({origin}); this site opens only its own files (see README.md, \"From a URL\"): nothing was opened"
        ));
    }
    let name = parsed.pathname().rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("corpus").to_owned();
    let bytes = crate::browser::bundle_fetch::fetch_js_bytes(&parsed.href())
        .await
        .map_err(|err| format!("{err}: nothing was opened"))?;
    if bytes.length() >= 8 && bytes.subarray(0, 8).to_vec() == crate::engine::pack::MAGIC {
        return Ok(Fetched::Pack(name, bytes));
    }
    File::new_with_u8_array_sequence(&js_sys::Array::of1(&bytes), &name)
        .map(Fetched::File)
        .map_err(|err| format!("{err:?}"))
}

/// What an open did: papers opened or added, whether they were kept,
/// refused files and why, and every warning as `file:line: message`, which
/// can be copied.
#[component]
fn OpenReport(
    /// The finished open.
    report: Report,
    /// Closes the report.
    on_close: Callback<()>,
) -> impl IntoView {
    let Report { done, added, kept } = report;
    let summary = match (&done.failure, added) {
        (Some(failure), _) => format!("Nothing changed: {failure}."),
        (None, true) => {
            format!("Added {} papers: {} in all.", (done.papers - done.before) as u64, done.papers as u64)
        }
        (None, false) => format!("Opened {} papers.", done.papers as u64),
    };
    let lines = done.diagnostics;
    let all = lines.join("\n");
    let copied = RwSignal::new(false);
    let more = lines.len().saturating_sub(LISTED);
    let heading = (!lines.is_empty()).then(|| format!("{} warning(s) and error(s)", lines.len()));
    view! {
        <Dialog title="Opened files" testid="open-report" class="open-report" on_close>
            <p role="status" data-testid="open-summary">{summary}</p>
            {move || kept.get().map(|result| view! {
                <p data-testid="open-kept">{match result {
                    Ok(()) => "Kept in this browser: it opens again offline, from the corpus menu.".to_owned(),
                    Err(reason) => format!("Not kept: {reason}. The papers stay open until you leave the page; nothing was half-saved. To keep them, free space (delete a kept corpus from the corpus menu) and open the files again."),
                }}</p>
            })}
            {(!done.refused.is_empty()).then(|| view! {
                <h3>"Refused"</h3>
                <ul data-testid="open-refused">
                    {done.refused.into_iter().map(|r| view! { <li>{r}" (nothing of it was added)"</li> }).collect_view()}
                </ul>
            })}
            {heading.map(|heading| view! {
                <h3>{heading}</h3>
                <ol class="diagnostics" data-testid="diagnostics">
                    {lines.into_iter().take(LISTED).map(|line| view! { <li>{line}</li> }).collect_view()}
                </ol>
                {(more > 0).then(|| view! { <p class="muted">{format!("and {more} more: copy them all.")}</p> })}
                <button class="button" data-testid="copy-diagnostics" on:click=move |_| {
                    let _ = gloo::utils::window().navigator().clipboard().write_text(&all);
                    copied.set(true);
                }>{move || if copied.get() { "Copied" } else { "Copy the list" }}</button>
            })}
            <div class="dialog-actions">
                <button class="button button-primary" data-testid="open-report-close" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
        </Dialog>
    }
}
