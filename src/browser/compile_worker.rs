//! The app's side of the compile worker (`src/bin/folio-worker.rs`): starts
//! it when a person opens files, hands it the files (and the corpus to add
//! them to), relays its progress, and takes back the new corpus's app pack
//! (a large one's head alone: the worker keeps its shards in IndexedDB
//! itself, [`Keep`]);
//! it also converts a corpus ([`convert`]): a pack into `bundle.json` for
//! export, a site's `bundle.json` into the pack the page opens (the page
//! never indexes), and exports results in a reference manager's format
//! (the page carries no writer; [`run`]). Cancelling terminates the
//! worker: nothing it did reaches the page.
//!
//! The worker's messages (`engine::open::Message`, JSON) are read with the
//! browser's `JSON.parse`: the app's wasm carries no decoder for them.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, MessageEvent, Worker};

/// The worker's binary: Trunk writes its script beside the app as
/// `folio-worker_loader.js` (see [`new_worker`]).
pub const WORKER: &str = "folio-worker";

/// What to ask of the worker.
pub enum Task {
    /// Compile `files`, onto `base` (the corpus in view, a pack, a bundle
    /// or a kept sharded corpus's files) if given; the pack is sharded when
    /// its records pass `shard_above` bytes (`None`: the engine's threshold).
    /// A sharded pack's shards are written by the worker into the corpora
    /// database `keep` names, under its corpus id (the page receives the
    /// head alone, [`Made::stored`]), when given.
    Open { files: Vec<File>, base: Option<Uint8Array>, shard_above: Option<f64>, keep: Option<Keep> },
    /// A corpus (an app pack or a `bundle.json`) in the other form.
    Convert { corpus: Uint8Array, into: Form },
    /// The papers `ids` of a corpus with the user's data (`user`, as
    /// `engine::tags::encode` writes it), exported in the format whose
    /// file extension is `format` (`engine::export`, run in the worker).
    Export { corpus: Uint8Array, ids: Vec<String>, user: String, format: &'static str },
}

/// Where the worker keeps the shards of the pack it makes
/// (`browser::corpus_store::write_shards`).
pub struct Keep {
    /// The corpora database's name (`browser::corpus_store::name`).
    pub database: String,
    /// The new corpus's id, which its shards are kept under.
    pub id: String,
}

/// Shards the worker kept (`browser::corpus_store::write_shards`): half a
/// corpus until the page commits it, or deletes them.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub id: String,
    pub shards: f64,
    pub bytes: f64,
}

/// The two forms of a corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `bundle.json`, the interchange format.
    Bundle,
    /// The app pack, what the page opens.
    Pack,
}

impl Form {
    /// The form `bytes` are in, when they look like one: a pack starts
    /// with its magic, a `bundle.json` with `{` (anything else, a sharded
    /// pack's head say, is for the worker to read or refuse).
    pub fn of(bytes: &Uint8Array) -> Option<Form> {
        let magic = crate::engine::pack::MAGIC;
        let head = bytes.subarray(0, magic.len() as u32).to_vec();
        if head == magic {
            Some(Form::Pack)
        } else if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
            Some(Form::Bundle)
        } else {
            None
        }
    }
}

/// Where a job is, in the worker's words.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub stage: String,
    pub papers: f64,
    pub done: f64,
    pub total: f64,
    /// `done` of `total`, in words ("1.2 MB of 3.4 MB").
    pub amount: String,
}

/// What an open did (`engine::open::Message::Done`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Done {
    pub papers: f64,
    pub before: f64,
    pub failure: Option<String>,
    /// `file: reason`, one per refused file.
    pub refused: Vec<String>,
    /// `file:line: severity: message`.
    pub diagnostics: Vec<String>,
}

/// The app pack an open made, as the worker handed it over: one file, or
/// a sharded pack's head and its shards (path as the head names it,
/// bytes), or its head alone when the worker kept the shards (`stored`).
pub struct Made {
    pub pack: Uint8Array,
    pub shards: Vec<(String, Uint8Array)>,
    pub stored: Option<Stored>,
}

impl Made {
    /// Whether `pack` is a sharded pack's head.
    pub fn is_sharded(&self) -> bool {
        !self.shards.is_empty() || self.stored.is_some()
    }

    /// How many shard files it has.
    pub fn shard_count(&self) -> f64 {
        self.stored.as_ref().map_or(self.shards.len() as f64, |stored| stored.shards)
    }

    /// Bytes of all its files.
    pub fn len(&self) -> f64 {
        let shards: f64 = match &self.stored {
            Some(stored) => stored.bytes,
            None => self.shards.iter().map(|(_, bytes)| f64::from(bytes.length())).sum(),
        };
        f64::from(self.pack.length()) + shards
    }
}

/// What the worker tells the app.
pub enum Event {
    Progress(Step),
    /// An open's end and, when something was opened, its app pack.
    Done(Done, Option<Made>),
    /// A conversion's bytes, or why there are none.
    Converted(Result<Uint8Array, String>),
    /// The worker could not start or stopped (its script missing, a crash).
    Failed(String),
}

/// How long a worker that sent its result outlives its job: ending a
/// worker is the browser freeing its memory (800 MB after 100k papers),
/// which on a machine of two cores stalled the page's tasks meanwhile
/// (steps of 5 ms took up to 60, issue 15): not while the page shows what
/// the worker made (the new corpus's first view, its warm-up, keeping it).
const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

/// A running job; dropping it terminates the worker: at once before its
/// end (a cancel), else [`SETTLE`] later, once the page is idle. Either way
/// the page hears nothing more from it: a message the worker sent as it
/// was ended may still arrive (seen in CI), and its callback goes with the
/// job. Not to be dropped from inside its own `on_event` (the callback runs
/// in the job).
pub struct Job {
    worker: Worker,
    /// The worker sent its result.
    ended: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Job {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        match self.ended.get() {
            true => {
                let worker = self.worker.clone();
                let end = move || crate::browser::when_idle(move || worker.terminate());
                leptos::prelude::set_timeout(end, SETTLE);
            }
            false => self.worker.terminate(),
        }
    }
}

fn text(object: &JsValue, key: &str) -> Option<String> {
    Reflect::get(object, &key.into()).ok()?.as_string()
}

fn number(object: &JsValue, key: &str) -> f64 {
    Reflect::get(object, &key.into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0)
}

fn texts(object: &JsValue, key: &str) -> Vec<String> {
    let list: Array =
        Reflect::get(object, &key.into()).ok().and_then(|v| v.dyn_into().ok()).unwrap_or_default();
    list.iter().filter_map(|v| v.as_string()).collect()
}

/// Starts a worker on `task`; `on_event` hears its progress and its end.
pub fn start(task: Task, on_event: Box<dyn Fn(Event)>) -> Result<Job, String> {
    let worker = new_worker(WORKER).map_err(|err| format!("the compile worker could not start ({err:?})"))?;
    let on_event: std::rc::Rc<dyn Fn(Event)> = on_event.into();
    let task = std::cell::RefCell::new(Some(task));
    let ended = Rc::new(Cell::new(false));
    let on_message = {
        let (worker, on_event, ended) = (worker.clone(), on_event.clone(), ended.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data: Array = event.data().unchecked_into();
            let message =
                data.get(0).as_string().and_then(|json| js_sys::JSON::parse(&json).ok()).unwrap_or_default();
            let bytes = data.get(1).dyn_into::<Uint8Array>().ok();
            let shards: Vec<(String, Uint8Array)> = data
                .get(3)
                .dyn_into::<Array>()
                .map(|list| {
                    list.iter()
                        .filter_map(|pair| {
                            let pair: Array = pair.dyn_into().ok()?;
                            Some((pair.get(0).as_string()?, pair.get(1).dyn_into().ok()?))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let kept = data.get(4);
            let stored = text(&kept, "id").map(|id| Stored {
                id,
                shards: number(&kept, "shards"),
                bytes: number(&kept, "bytes"),
            });
            match text(&message, "kind").as_deref() {
                Some("ready") => {
                    if let Some(task) = task.borrow_mut().take() {
                        post(&worker, task);
                    }
                }
                Some("progress") => on_event(Event::Progress(Step {
                    stage: text(&message, "stage").unwrap_or_default(),
                    papers: number(&message, "papers"),
                    done: number(&message, "done"),
                    total: number(&message, "total"),
                    amount: text(&message, "amount").unwrap_or_default(),
                })),
                Some("done") => {
                    ended.set(true);
                    let done = Done {
                        papers: number(&message, "papers"),
                        before: number(&message, "before"),
                        failure: text(&message, "failure"),
                        refused: texts(&message, "refused"),
                        diagnostics: texts(&message, "diagnostics"),
                    };
                    on_event(Event::Done(done, bytes.map(|pack| Made { pack, shards, stored })));
                }
                Some("converted") => {
                    ended.set(true);
                    on_event(Event::Converted(
                        bytes.ok_or_else(|| text(&message, "failure").unwrap_or_default()),
                    ));
                }
                _ => on_event(Event::Failed(
                    "the compile worker sent a message this page does not read".into(),
                )),
            }
        })
    };
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        event.prevent_default();
        on_event(Event::Failed(format!("the compile worker stopped ({})", stop_reason(&event))));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Job { worker, ended, _on_message: on_message, _on_error: on_error })
}

/// Why a worker stopped, from its `error` event: an exception in the worker
/// is an `ErrorEvent` with a message; a script that cannot be fetched fires
/// a plain `Event`, which has none.
pub fn stop_reason(event: &web_sys::Event) -> String {
    js_sys::Reflect::get(event, &"message".into())
        .ok()
        .and_then(|message| message.as_string())
        .filter(|message| !message.is_empty())
        .unwrap_or_else(|| "its script could not be loaded".to_owned())
}

/// Starts the worker binary `name` (a `data-type="worker"` link of
/// index.html): its script `{name}_loader.js`, written by Trunk beside the
/// app (relative, so the site works under any sub-path), or in the
/// single-file build the whole script inlined in the element `id={name}`
/// (written by `scripts/single-file.mjs`) from a `blob:` URL (a page on
/// `file://` cannot start a worker from a file; kept for the page's life).
pub fn new_worker(name: &str) -> Result<Worker, JsValue> {
    let url = inline_worker_url(name).unwrap_or_else(|| format!("{name}_loader.js"));
    Worker::new(&url)
}

fn inline_worker_url(name: &str) -> Option<String> {
    let source = gloo::utils::document().get_element_by_id(name)?.text_content()?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&Array::of1(&source.into()), &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// Posts the one task: files as they are (the worker reads them, off this
/// thread), bytes transferred (not copied).
fn post(worker: &Worker, task: Task) {
    let job = Object::new();
    let transfer = Array::new();
    let set = |key: &str, value: &JsValue| {
        let _ = Reflect::set(&job, &key.into(), value);
    };
    match task {
        Task::Open { files, base, shard_above, keep } => {
            set("files", &files.into_iter().collect::<Array>());
            if let Some(Keep { database, id }) = keep {
                set("keepIn", &JsValue::from_str(&database));
                set("keepAs", &JsValue::from_str(&id));
            }
            if let Some(bytes) = shard_above {
                set("shardAbove", &JsValue::from_f64(bytes));
            }
            if let Some(base) = base {
                transfer.push(&base.buffer());
                set("base", &base);
            }
        }
        Task::Convert { corpus, into } => {
            transfer.push(&corpus.buffer());
            set("convert", &corpus);
            set("into", &JsValue::from_str(if into == Form::Pack { "pack" } else { "json" }));
        }
        Task::Export { corpus, ids, user, format } => {
            transfer.push(&corpus.buffer());
            set("export", &corpus);
            set("ids", &ids.into_iter().map(JsValue::from).collect::<Array>());
            set("user", &JsValue::from(user));
            set("format", &JsValue::from_str(format));
        }
    }
    let _ = worker.post_message_with_transfer(&job, &transfer);
}

/// Why a conversion gave no bytes.
#[derive(Debug)]
pub enum ConvertError {
    /// The worker read the corpus and could not convert it: why.
    Corpus(String),
    /// The worker could not start, or stopped.
    Worker(String),
}

impl ConvertError {
    /// Why, in words, whichever side failed.
    pub fn reason(self) -> String {
        match self {
            ConvertError::Corpus(reason) | ConvertError::Worker(reason) => reason,
        }
    }
}

/// `corpus` (its buffer is transferred: give a copy to keep it) in the
/// form `into`, made by a compile worker started for it. The corpus is
/// returned as it is when it is in that form already.
pub async fn convert(corpus: Uint8Array, into: Form) -> Result<Uint8Array, ConvertError> {
    if Form::of(&corpus) == Some(into) {
        return Ok(corpus);
    }
    run(Task::Convert { corpus, into }).await
}

/// The bytes a compile worker started for `task` (a conversion or an
/// export) answers with.
pub async fn run(task: Task) -> Result<Uint8Array, ConvertError> {
    let outcome: Rc<RefCell<Option<Result<Uint8Array, ConvertError>>>> = Rc::default();
    let mut resolve = None;
    // The executor runs at once, inside `Promise::new`.
    let promise = js_sys::Promise::new(&mut |done, _| resolve = Some(done));
    let resolve = resolve.ok_or_else(|| ConvertError::Worker("no promise".to_owned()))?;
    let on_event = {
        let outcome = outcome.clone();
        move |event| {
            let result = match event {
                Event::Converted(result) => result.map_err(ConvertError::Corpus),
                Event::Failed(reason) => Err(ConvertError::Worker(reason)),
                Event::Progress(_) | Event::Done(..) => return,
            };
            *outcome.borrow_mut() = Some(result);
            let _ = resolve.call0(&JsValue::NULL);
        }
    };
    // Dropped once the promise settles, outside the worker's callbacks.
    let _job = start(task, Box::new(on_event)).map_err(ConvertError::Worker)?;
    let _ = JsFuture::from(promise).await;
    let result = outcome.borrow_mut().take();
    result.unwrap_or_else(|| Err(ConvertError::Worker("the compile worker did not answer".to_owned())))
}
