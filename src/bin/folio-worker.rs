//! The compile worker: a Web Worker (built for wasm32 by Trunk, loaded by
//! the app only when a person opens files) that runs `engine::open`, the
//! compiler `folio compile` runs, off the page's thread.
//!
//! Protocol (see `src/browser/compile_worker.rs` for the app's side): the
//! worker posts `[json, null, memory]` with `{"kind":"ready"}`; the app posts one
//! job, `{files: File[], base: Uint8Array | null}` (or `{convert: bytes,
//! into: "json" | "pack"}`, answered by `Converted` with the corpus's
//! `bundle.json` or app pack; or `{export: bytes, ids: string[], user:
//! string, format: "bib" | "ris" | "json" | "csv"}`, answered by
//! `Converted` with those papers exported); the worker posts
//! `[json, null, memory]` progress messages, then `[json, pack, memory]` with the
//! `Done` outcome and the new corpus's app pack (a transferred
//! `Uint8Array`, or null when nothing was opened) or, when its records
//! pass the threshold (`shardAbove` in the job, bytes; else
//! `engine::pack::SHARD_THRESHOLD`), its head there and its shards fourth
//! (`[[path, Uint8Array], ...]`, transferred) — or, when the job names
//! a corpora database and a corpus id (`keepIn`, `keepAs`), the shards
//! written there by the worker (`browser::corpus_store::write_shards`, one
//! transaction: all or none) and `{id, shards, bytes}` fifth instead, so
//! that the page receives the head alone (if they cannot be written, they
//! are posted as without a database); every message carries
//! the worker's wasm memory size in bytes third (its peak so far, read by
//! `scripts/bench-open.mjs`). One job per worker: the
//! app terminates it after `Done`, or to cancel.

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "folio-worker is the browser app's compile worker: build it with `trunk build` (see README.md)."
    );
    std::process::exit(2);
}

#[cfg(target_arch = "wasm32")]
mod worker {
    use folio::engine::open::{
        export_bundle, export_papers, open_with, pack_bundle, Message, OpenFile, Outcome, Pack, Progress,
    };
    use folio::engine::pack::{ShardedPack, SHARD_THRESHOLD};
    use js_sys::{Array, Reflect, Uint8Array};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, File, FileReaderSync, MessageEvent};

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// Posts `message`, with `pack`'s buffer transferred (not copied).
    fn post(message: &Message, pack: Option<Uint8Array>) {
        post_with(message, pack, Array::new(), Array::new());
    }

    /// Posts `message` and `pack` with `shards` (`[path, bytes]` pairs)
    /// fourth, their buffers in `transfer`.
    fn post_with(message: &Message, pack: Option<Uint8Array>, shards: Array, transfer: Array) {
        post_kept(message, pack, shards, transfer, JsValue::NULL);
    }

    /// [`post_with`] with `kept` fifth (the shards kept in the database).
    fn post_kept(message: &Message, pack: Option<Uint8Array>, shards: Array, transfer: Array, kept: JsValue) {
        let bytes = match pack {
            Some(pack) => {
                transfer.push(&pack.buffer());
                JsValue::from(pack)
            }
            None => JsValue::NULL,
        };
        // The worker's wasm memory, which only grows: its peak (for the benchmark).
        let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
        let peak = JsValue::from(js_sys::ArrayBuffer::from(memory.buffer()).byte_length());
        let data = Array::of5(&JsValue::from_str(&message.to_json()), &bytes, &peak, &shards, &kept);
        let _ = scope().post_message_with_transfer(&data, &transfer);
    }

    pub fn start() {
        // A panic names itself in the console (else only "unreachable").
        console_error_panic_hook::set_once();
        folio::browser::unicode::install();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| run(&event.data()));
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The worker lives for one job.
        on_message.forget();
        post(&Message::Ready, None);
    }

    fn text(job: &JsValue, key: &str) -> String {
        Reflect::get(job, &key.into()).ok().and_then(|v| v.as_string()).unwrap_or_default()
    }

    fn run(job: &JsValue) {
        if let Some(corpus) =
            Reflect::get(job, &"export".into()).ok().and_then(|b| b.dyn_into::<Uint8Array>().ok())
        {
            let ids: Array = Reflect::get(job, &"ids".into()).map(JsCast::unchecked_into).unwrap_or_default();
            let ids: Vec<String> = ids.iter().filter_map(|id| id.as_string()).collect();
            let exported = export_papers(&corpus.to_vec(), &ids, &text(job, "user"), &text(job, "format"));
            return match exported {
                Ok(text) => {
                    post(&Message::Converted { failure: None }, Some(Uint8Array::from(text.as_bytes())))
                }
                Err(reason) => post(&Message::Converted { failure: Some(reason) }, None),
            };
        }
        if let Some(corpus) =
            Reflect::get(job, &"convert".into()).ok().and_then(|b| b.dyn_into::<Uint8Array>().ok())
        {
            let corpus = corpus.to_vec();
            let converted = match text(job, "into").as_str() {
                "pack" => pack_bundle(&corpus),
                _ => export_bundle(&corpus).map(String::into_bytes),
            };
            drop(corpus);
            return match converted {
                Ok(bytes) => {
                    post(&Message::Converted { failure: None }, Some(Uint8Array::from(bytes.as_slice())))
                }
                Err(reason) => post(&Message::Converted { failure: Some(reason) }, None),
            };
        }
        let files: Array = Reflect::get(job, &"files".into()).map(JsCast::unchecked_into).unwrap_or_default();
        let base = Reflect::get(job, &"base".into()).ok().and_then(|b| b.dyn_into::<Uint8Array>().ok());
        let total: f64 = files.iter().map(|f| f.unchecked_into::<File>().size()).sum();
        let mut read = Vec::new();
        let mut done = 0.0;
        for file in files.iter() {
            let file: File = file.unchecked_into();
            post(&Message::from(&Progress::reading_files(done as u64, total as u64)), None);
            match read_file(&file) {
                Ok(bytes) => read.push(OpenFile { name: file.name(), bytes }),
                Err(reason) => {
                    let failure = format!("{} could not be read ({reason}): nothing was opened", file.name());
                    post(&Message::from(&Outcome { failure: Some(failure), ..Outcome::default() }), None);
                    return;
                }
            }
            done += file.size();
        }
        let base = base.map(|b| b.to_vec());
        let shard_above = Reflect::get(job, &"shardAbove".into())
            .ok()
            .and_then(|v| v.as_f64())
            .map_or(SHARD_THRESHOLD, |bytes| bytes as usize);
        let opened = open_with(read, base.as_deref(), shard_above, &mut |progress| {
            post(&Message::from(&progress), None)
        });
        drop(base);
        let message = Message::from(&opened.outcome);
        match opened.pack {
            None => post(&message, None),
            Some(Pack::Whole(pack)) => post(&message, Some(Uint8Array::from(pack.as_slice()))),
            Some(Pack::Sharded(pack)) if !text(job, "keepAs").is_empty() => {
                let (database, id) = (text(job, "keepIn"), text(job, "keepAs"));
                wasm_bindgen_futures::spawn_local(keep_and_post(message, pack, database, id));
            }
            Some(Pack::Sharded(pack)) => post_sharded(&message, pack),
        }
    }

    /// Writes `pack`'s shards into the corpora database under `id`, then
    /// posts the head alone; if they cannot be written (nothing was: one
    /// transaction), posts them all as [`post_sharded`] does.
    async fn keep_and_post(message: Message, pack: ShardedPack, database: String, id: String) {
        // Copied out a batch at a time as they are written; kept here
        // until the write commits, to be posted if it fails.
        let shards =
            pack.shards.iter().map(|(path, bytes)| (path.clone(), Uint8Array::from(bytes.as_slice())));
        match folio::browser::corpus_store::write_shards(&database, &id, shards).await {
            Ok((count, bytes)) => {
                let kept = js_sys::Object::new();
                for (key, value) in [
                    ("id", JsValue::from_str(&id)),
                    ("shards", JsValue::from_f64(count as f64)),
                    ("bytes", JsValue::from_f64(bytes)),
                ] {
                    let _ = Reflect::set(&kept, &key.into(), &value);
                }
                let head = Some(Uint8Array::from(pack.head.as_slice()));
                post_kept(&message, head, Array::new(), Array::new(), kept.into());
            }
            Err(_) => post_sharded(&message, pack),
        }
    }

    /// Posts the head of `pack` and its shards, transferred.
    fn post_sharded(message: &Message, pack: ShardedPack) {
        let (shards, transfer) = (Array::new(), Array::new());
        // Each shard leaves the worker's memory once copied out.
        for (path, bytes) in pack.shards {
            let bytes = Uint8Array::from(bytes.as_slice());
            transfer.push(&bytes.buffer());
            shards.push(&Array::of2(&JsValue::from_str(&path), &bytes));
        }
        post_with(message, Some(Uint8Array::from(pack.head.as_slice())), shards, transfer);
    }

    fn read_file(file: &File) -> Result<Vec<u8>, String> {
        let reason = |err: JsValue| match err.dyn_into::<js_sys::Error>() {
            Ok(err) => String::from(err.message()),
            Err(err) => format!("{err:?}"),
        };
        let reader = FileReaderSync::new().map_err(reason)?;
        let buffer = reader.read_as_array_buffer(file).map_err(reason)?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }
}
