//! Opening corpus files where there is no file system: what the browser's
//! compile worker runs. Files (name and bytes, `.gz` or not) in; the app
//! pack of the new corpus, every diagnostic and the files refused out.
//!
//! The same compiler as `folio compile`, with one difference for a person
//! dropping several files at once: a file from which nothing can be read is
//! refused (it says why, and nothing of it comes in) and the others are
//! still opened, where the CLI would write nothing at all. Papers added to a
//! corpus already open merge with its papers as duplicates between inputs
//! do ([`compile::compile_onto`]), and are enriched with that corpus's own
//! dictionaries (its catalog and taxonomy, `--entities` files included).

use std::io::Read;

use serde::{Deserialize, Serialize};

use super::bundle::{Bundle, Paper, SourceFile};
use super::compile::{self, CompileOptions, Compiled, Input};
use super::diagnostic::Diagnostic;
use super::discover::{self, Shipped};
use super::enrich::Dictionaries;
use super::explorer::Explorer;
use super::export::{export, ExportFormat};
use super::pack::{bundle_of_pack, whole_of_sharded, ShardSizes, ShardedPack, MAGIC, SHARD_THRESHOLD};
use super::progress::{Stage, Step};
use super::tags;

/// One file to open: its name (shown in diagnostics, and how its format
/// is detected) and its bytes as read from disk.
pub struct OpenFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The name of the first stage, before the compiler's own
/// ([`super::progress::Stage`]): the browser reading the files from disk.
pub const LOADING: &str = "loading the files";

/// The name of the stage after the compiler's own where the paper vectors,
/// the blended similar papers and the corpus map are computed (up to
/// [`VECTORS_IN_WORKER`] papers).
pub const DISCOVERING: &str = "computing paper vectors and the map";

/// The name of the last stage.
pub const INDEXING: &str = "building the search index";

/// Up to this many papers an open computes the paper vectors, the blended
/// similar papers and the corpus map in the worker ([`super::discover::ship`]);
/// past it the pack has none (recommendations, "recommended for" and the
/// map need a pack compiled by `folio compile --pack`). The cost grows
/// faster than the papers (the SVD's sparse products, then the neighbours'
/// search): docs/discovery.md has the figures this limit is set from.
pub const VECTORS_IN_WORKER: usize = 20_000;

/// Where an open is, for a progress bar: the stage's name, `done` of
/// `total` units (bytes while reading, papers after), papers read so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub stage: String,
    pub done: u64,
    pub total: u64,
    pub papers: usize,
}

impl Progress {
    /// Loading the files: `done` of `total` bytes.
    pub fn reading_files(done: u64, total: u64) -> Self {
        Progress { stage: LOADING.to_owned(), done, total, papers: 0 }
    }

    /// Whether `done` and `total` count bytes (else papers).
    pub fn in_bytes(&self) -> bool {
        self.stage == LOADING || self.stage == Stage::Read.name()
    }

    /// `done` of `total` for people: "1.2 MB of 3.4 MB", "1,024 of 24,000 papers".
    pub fn amount(&self) -> String {
        if self.in_bytes() {
            format!("{} of {}", byte_size(self.done), byte_size(self.total))
        } else {
            format!("{} of {} papers", self.done, self.total)
        }
    }
}

/// `bytes` for people: in megabytes with one decimal ("34.0 MB"), or
/// under a megabyte in kilobytes ("54 kB"), in integers (float formatting
/// would cost the app's wasm a few kilobytes).
pub fn byte_size(bytes: u64) -> String {
    if bytes < 999_500 {
        return format!("{} kB", (bytes + 500) / 1000);
    }
    let tenths = (bytes + 50_000) / 100_000;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

impl From<Step> for Progress {
    fn from(step: Step) -> Self {
        Progress {
            stage: step.stage.name().to_owned(),
            done: step.done,
            total: step.total,
            papers: step.papers,
        }
    }
}

/// A file that was refused as a whole, and why (its diagnostics say where).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub file: String,
    pub reason: String,
}

/// What an open did, in words and counts for the person who asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// Papers in the new corpus (0 when nothing was opened).
    pub papers: usize,
    /// Papers of the corpus added to, before (0 when opened as new).
    pub before: usize,
    /// Every warning and error, refused files' first.
    pub diagnostics: Vec<Diagnostic>,
    pub refused: Vec<Refusal>,
    /// Why nothing was opened, when nothing was (every file refused, or the
    /// corpus to add to unreadable).
    pub failure: Option<String>,
}

/// What the compile worker posts to the app, as JSON, in the words the
/// app shows: the app reads it with the browser's `JSON.parse`, so its
/// wasm carries no decoder for it. The pack's (or an export's) bytes travel
/// beside a message, not inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    /// The worker is ready for its one job.
    Ready,
    /// Where the job is: the stage, papers read, and `done` of `total`
    /// also said in words (`amount`).
    Progress { stage: String, papers: usize, done: u64, total: u64, amount: String },
    /// The job's end: papers in the new corpus and before it, why nothing
    /// was opened (if nothing was), each refused file as `file: reason`,
    /// and every diagnostic as `file:line: severity: message`.
    Done {
        papers: usize,
        before: usize,
        failure: Option<String>,
        refused: Vec<String>,
        diagnostics: Vec<String>,
    },
    /// A corpus converted (to `bundle.json` for export, to an app pack
    /// for a site without a usable one, or some of its papers to a
    /// reference manager's format; its bytes beside), or why not.
    Converted { failure: Option<String> },
}

impl Message {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(json: &str) -> Option<Message> {
        serde_json::from_str(json).ok()
    }
}

impl From<&Progress> for Message {
    fn from(p: &Progress) -> Self {
        Message::Progress {
            stage: p.stage.clone(),
            papers: p.papers,
            done: p.done,
            total: p.total,
            amount: p.amount(),
        }
    }
}

impl From<&Outcome> for Message {
    fn from(o: &Outcome) -> Self {
        Message::Done {
            papers: o.papers,
            before: o.before,
            failure: o.failure.clone(),
            refused: o.refused.iter().map(|r| format!("{}: {}", r.file, r.reason)).collect(),
            diagnostics: o.diagnostics.iter().map(ToString::to_string).collect(),
        }
    }
}

/// A kept corpus (an app pack or a bundle) as `bundle.json`, for export.
pub fn export_bundle(bytes: &[u8]) -> Result<String, String> {
    bundle_of(bytes).map(|bundle| bundle.to_json())
}

/// A corpus (a `bundle.json` or an app pack) as an app pack: what the page
/// opens when its site has no usable pack (the page itself never indexes).
pub fn pack_bundle(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if bytes.starts_with(MAGIC) && Explorer::from_pack(bytes.to_vec()).is_ok() {
        // A pack already (its records' similar papers may be blended ones,
        // which another blend would count twice).
        return Ok(bytes.to_vec());
    }
    if bytes.starts_with(FILES_MAGIC) {
        // A kept sharded corpus: its records' similar papers are blended
        // already, and its vectors and map come with it.
        let (bundle, shipped) = whole_of_files(bytes)?;
        let explorer = Explorer::new(bundle);
        let explorer = match shipped {
            Some(shipped) => explorer.with_discovery(shipped),
            None => explorer,
        };
        return explorer.into_pack().map_err(|err| err.to_string());
    }
    let mut bundle = bundle_of(bytes)?;
    let shipped = ship_in_worker(&mut bundle, &mut |_| {});
    let mut explorer = Explorer::new(bundle);
    if let Some(shipped) = shipped {
        explorer = explorer.with_discovery(shipped);
    }
    explorer.into_pack().map_err(|err| err.to_string())
}

/// What the worker's pack of `bundle` ships of discovery, up to
/// [`VECTORS_IN_WORKER`] papers.
fn ship_in_worker(bundle: &mut Bundle, report: &mut dyn FnMut(Progress)) -> Option<Shipped> {
    let papers = bundle.papers.len();
    if papers > VECTORS_IN_WORKER {
        return None;
    }
    report(Progress { stage: DISCOVERING.to_owned(), done: 0, total: papers as u64, papers });
    Some(discover::ship_bundle(bundle, &discover::Options::default(), |_| {}))
}

/// The dictionaries to enrich papers added to `base` with: the ones it was
/// compiled with, which its bundle carries. A bundle that carries none at
/// all was written before bundles shipped them: the built-in ones.
fn dictionaries_of(base: &Bundle) -> Dictionaries {
    let corpus = &base.corpus;
    let data = corpus.catalog.data();
    let none = data.series.is_empty()
        && data.models.is_empty()
        && data.benchmarks.is_empty()
        && data.methods.is_empty()
        && corpus.taxonomy.is_empty();
    if none {
        Dictionaries::builtin()
    } else {
        Dictionaries::of_corpus(corpus)
    }
}

/// The papers `ids` of a corpus (an app pack or a `bundle.json`), in that
/// order, with the user's data (`user`: as [`tags::encode`] writes it),
/// in the format whose file extension is `extension`: the app's "Results
/// as …" export, run in the worker so that the page carries no writer.
/// An id the corpus does not hold is left out.
pub fn export_papers(corpus: &[u8], ids: &[String], user: &str, extension: &str) -> Result<String, String> {
    let format = ExportFormat::ALL
        .into_iter()
        .find(|f| f.extension() == extension)
        .ok_or_else(|| format!("no export format has the extension {extension:?}"))?;
    let user = tags::decode(user).map_err(|err| err.to_string())?.data;
    let papers: Vec<std::sync::Arc<Paper>> = if corpus.starts_with(MAGIC) {
        let explorer = Explorer::from_pack(corpus.to_vec()).map_err(|err| err.to_string())?;
        ids.iter()
            .filter_map(|id| explorer.try_doc(id).ok().flatten())
            .map(|doc| explorer.paper(doc))
            .collect()
    } else {
        let mut bundle = bundle_of(corpus)?;
        let mut by_id: std::collections::HashMap<String, Paper> =
            bundle.papers.drain(..).map(|paper| (paper.id.clone(), paper)).collect();
        ids.iter().filter_map(|id| by_id.remove(id)).map(std::sync::Arc::new).collect()
    };
    let papers: Vec<&Paper> = papers.iter().map(|paper| &**paper).collect();
    Ok(export(&papers, &user, format))
}

/// The app pack of an opened corpus: one file, or (its papers' records
/// past the threshold [`open_with`] is given) a head and shards, the
/// layout of a large site's pack (docs/pack-format.md): the page then
/// decodes only the head, and reads the shards a view needs from where
/// the corpus is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pack {
    Whole(Vec<u8>),
    Sharded(ShardedPack),
}

impl Pack {
    /// The pack's bytes, all files together.
    pub fn len(&self) -> usize {
        match self {
            Pack::Whole(bytes) => bytes.len(),
            Pack::Sharded(pack) => pack.head.len() + pack.shards.iter().map(|(_, b)| b.len()).sum::<usize>(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The one-file pack, if the pack is one file.
    pub fn whole(&self) -> Option<&[u8]> {
        match self {
            Pack::Whole(bytes) => Some(bytes),
            Pack::Sharded(_) => None,
        }
    }

    /// The head and shards, if the pack is sharded.
    pub fn sharded(&self) -> Option<&ShardedPack> {
        match self {
            Pack::Whole(_) => None,
            Pack::Sharded(pack) => Some(pack),
        }
    }
}

/// The new corpus as an app pack (`None` when nothing was opened), and what happened.
pub struct Opened {
    pub pack: Option<Pack>,
    pub outcome: Outcome,
}

/// Compiles `files` into a new corpus, or onto `base` (the corpus in view,
/// as an app pack, a `bundle.json` or a kept sharded corpus's
/// [`files`](FILES_MAGIC)), and packs it: one file, or sharded when its
/// papers' records pass [`SHARD_THRESHOLD`] bytes (as `folio compile
/// --pack` does).
pub fn open(files: Vec<OpenFile>, base: Option<&[u8]>, report: &mut dyn FnMut(Progress)) -> Opened {
    open_with(files, base, SHARD_THRESHOLD, report)
}

/// [`open`], sharding the pack when the papers' records pass
/// `shard_above` bytes (0: always; `usize::MAX`: never).
pub fn open_with(
    files: Vec<OpenFile>,
    base: Option<&[u8]>,
    shard_above: usize,
    report: &mut dyn FnMut(Progress),
) -> Opened {
    let mut outcome = Outcome::default();
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::with_capacity(files.len());
    for file in files {
        match gunzip(&file.name, file.bytes) {
            Ok(bytes) => inputs.push((file.name, bytes)),
            Err(diagnostic) => refuse(&mut outcome, diagnostic),
        }
    }
    let base_bundle = match base.map(bundle_of).transpose() {
        Ok(bundle) => bundle,
        Err(reason) => {
            outcome.failure =
                Some(format!("the corpus in view could not be read ({reason}): nothing was added"));
            return Opened { pack: None, outcome };
        }
    };
    outcome.before = base_bundle.as_ref().map_or(0, |b| b.papers.len());
    let dictionaries = base_bundle.as_ref().map_or_else(Dictionaries::builtin, dictionaries_of);
    let options = CompileOptions { dictionaries, ..CompileOptions::default() };
    let compile = |inputs: &[(String, Vec<u8>)], base: Option<Bundle>, report: &mut dyn FnMut(Progress)| {
        let inputs: Vec<Input<'_>> = inputs.iter().map(|(name, bytes)| Input { name, bytes }).collect();
        let (papers, sources): (Vec<Paper>, Vec<SourceFile>) =
            base.map(|b| (b.papers, b.sources)).unwrap_or_default();
        compile::compile_onto(papers, sources, &inputs, &options, &mut |step| report(step.into()))
    };
    // Errors are found while reading, before the costly enrichment: a
    // second pass without the refused files costs one more read (and
    // decoding the base again, rather than holding it twice).
    let mut compiled = compile(&inputs, base_bundle, report);
    if compiled.bundle.is_none() {
        let refused: Vec<String> =
            compiled.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.file.clone()).collect();
        for diagnostic in std::mem::take(&mut compiled.diagnostics) {
            if refused.contains(&diagnostic.file) {
                refuse(&mut outcome, diagnostic);
            }
        }
        inputs.retain(|(name, _)| !refused.contains(name));
        compiled = match inputs.is_empty() {
            true => Compiled { bundle: None, diagnostics: Vec::new() },
            // It decoded a moment ago.
            false => compile(&inputs, base.and_then(|bytes| bundle_of(bytes).ok()), report),
        };
    }
    outcome.diagnostics.extend(compiled.diagnostics);
    let Some(mut bundle) = compiled.bundle else {
        let what = if outcome.refused.len() == 1 { "the file was refused" } else { "every file was refused" };
        outcome.failure = Some(format!("nothing was opened: {what}"));
        return Opened { pack: None, outcome };
    };
    // Read: the files' bytes are not needed by the index and the pack.
    drop(inputs);
    outcome.papers = bundle.papers.len();
    let shipped = ship_in_worker(&mut bundle, report);
    report(Progress {
        stage: INDEXING.to_owned(),
        done: 0,
        total: outcome.papers as u64,
        papers: outcome.papers,
    });
    let sharded = records_len(&bundle.papers) > shard_above;
    let mut explorer = Explorer::new(bundle);
    if let Some(shipped) = shipped {
        explorer = explorer.with_discovery(shipped);
    }
    let pack = match sharded {
        true => explorer.into_sharded(ShardSizes::default()).map(Pack::Sharded),
        false => explorer.into_pack().map(Pack::Whole),
    };
    match pack {
        Ok(pack) => Opened { pack: Some(pack), outcome },
        Err(err) => {
            outcome.failure = Some(format!("nothing was opened: {err}"));
            outcome.papers = 0;
            Opened { pack: None, outcome }
        }
    }
}

/// Records a refused file (once, with its first error as the reason) and its diagnostic.
fn refuse(outcome: &mut Outcome, diagnostic: Diagnostic) {
    if diagnostic.is_error() && !outcome.refused.iter().any(|r| r.file == diagnostic.file) {
        outcome.refused.push(Refusal { file: diagnostic.file.clone(), reason: diagnostic.message.clone() });
    }
    outcome.diagnostics.push(diagnostic);
}

/// The bytes of the papers' records as a pack holds them (their JSON),
/// counted without being kept: what decides the pack's layout.
fn records_len(papers: &[Paper]) -> usize {
    let mut count = super::pack::Count(0);
    for paper in papers {
        // A Paper always serializes.
        let _ = serde_json::to_writer(&mut count, paper);
    }
    count.0
}

/// The first bytes of a sharded pack's files in one buffer: how the page
/// hands a kept sharded corpus to the compile worker (to add files to it,
/// or export it). Then the number of files (u32), and per file its name's
/// length (u32), its name (UTF-8), its length (u32) and its bytes
/// (integers little-endian); the first file is the head, the others the
/// shards by the paths the head names.
pub const FILES_MAGIC: &[u8; 8] = b"FOLIOFLS";

/// A sharded pack's head and shards in one buffer ([`FILES_MAGIC`]).
pub fn files_of(pack: &ShardedPack) -> Vec<u8> {
    let mut out = FILES_MAGIC.to_vec();
    out.extend_from_slice(&(1 + pack.shards.len() as u32).to_le_bytes());
    let files = std::iter::once(("head", pack.head.as_slice()))
        .chain(pack.shards.iter().map(|(path, bytes)| (path.as_str(), bytes.as_slice())));
    for (name, bytes) in files {
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    out
}

/// The files of a [`FILES_MAGIC`] buffer of `len` bytes, as (name, start,
/// length), read through `read(start, length)` (the worker reads the
/// buffer where the page put it, a little at a time); refused whole when
/// a length runs past the end.
pub fn walk_files(
    len: usize,
    read: &mut dyn FnMut(usize, usize) -> Vec<u8>,
) -> Result<Vec<(String, usize, usize)>, String> {
    let short = || "the kept corpus's files are cut short".to_owned();
    let word = |read: &mut dyn FnMut(usize, usize) -> Vec<u8>, at: &mut usize| -> Result<usize, String> {
        if *at + 4 > len {
            return Err(short());
        }
        let bytes: [u8; 4] = read(*at, 4).try_into().map_err(|_| short())?;
        *at += 4;
        Ok(u32::from_le_bytes(bytes) as usize)
    };
    let mut at = FILES_MAGIC.len();
    if len < at + 4 || read(0, FILES_MAGIC.len()) != FILES_MAGIC {
        return Err("not a kept corpus's files".to_owned());
    }
    let count = word(read, &mut at)?;
    let mut files = Vec::with_capacity(count.min(len / 8));
    for _ in 0..count {
        let name_len = word(read, &mut at)?;
        if at + name_len > len {
            return Err(short());
        }
        let name = String::from_utf8(read(at, name_len)).map_err(|_| short())?;
        at += name_len;
        let bytes = word(read, &mut at)?;
        if at + bytes > len {
            return Err(short());
        }
        files.push((name, at, bytes));
        at += bytes;
    }
    Ok(files)
}

/// The bundle and discovery of a kept sharded corpus's files ([`FILES_MAGIC`]).
fn whole_of_files(bytes: &[u8]) -> Result<(Bundle, Option<Shipped>), String> {
    let files = walk_files(bytes.len(), &mut |at, len| bytes[at..at + len].to_vec())?;
    let (_, start, len) = files.first().ok_or("a kept corpus's files without a head")?;
    let head = &bytes[*start..*start + *len];
    let by_path: std::collections::HashMap<&str, (usize, usize)> =
        files.iter().skip(1).map(|(name, start, len)| (name.as_str(), (*start, *len))).collect();
    whole_of_sharded(head, &mut |path| by_path.get(path).map(|&(at, len)| bytes[at..at + len].to_vec()))
        .map_err(|e| e.to_string())
}

/// The bundle of a corpus given as an app pack, as `bundle.json`, or as a
/// kept sharded corpus's [`files`](FILES_MAGIC).
pub fn bundle_of(bytes: &[u8]) -> Result<Bundle, String> {
    if bytes.starts_with(MAGIC) {
        return bundle_of_pack(bytes).map_err(|e| e.to_string());
    }
    if bytes.starts_with(FILES_MAGIC) {
        return whole_of_files(bytes).map(|(bundle, _)| bundle);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())?;
    Bundle::from_json(text).map_err(|e| e.to_string())
}

/// The bytes of `name`, decompressed when they are gzip (by their first
/// bytes: a download named `.gz` may have been decompressed already; a
/// sharded pack's files are gzip too).
pub fn gunzip(name: &str, bytes: Vec<u8>) -> Result<Vec<u8>, Diagnostic> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4));
    flate2::read::MultiGzDecoder::new(bytes.as_slice())
        .read_to_end(&mut out)
        .map_err(|err| Diagnostic::error(name, 0, format!("not a valid gzip file: {err}")))?;
    Ok(out)
}
