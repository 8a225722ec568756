//! Compiler at scale: `folio compile --pack` stage by stage, on 100,000 real
//! papers (all of paperlists-87k, then the first papers of
//! acl-anthology-64k), on JSON Lines files, or on N synthetic papers; prints
//! per stage the wall and CPU time, the bytes the engine holds at its end and
//! at most within it (a counting allocator: what the browser's compile
//! worker, which runs the same code, would hold), the process's peak memory,
//! and the bundle's size raw and gzipped.
//!
//!     cargo bench --bench compile_scale                   # 100k real papers
//!     cargo bench --bench compile_scale -- FILE.jsonl...  # files, as `folio compile` reads them
//!     cargo bench --bench compile_scale -- --synthetic N  # N generated papers (benches/common/synthetic.rs)
//!     cargo bench --bench compile_scale -- --worker ...   # any of these through the compile worker's `engine::open`
//!     cargo bench --bench compile_scale -- --write-synthetic N FILE   # writes them as JSON Lines, and exits
//!
//! `FOLIO_CORPUS_DIR` points at the corpora (default `../shared/corpus`);
//! `FOLIO_BENCH_PAPERS` changes the paper count (at most the 152,079 of
//! both). Skips with a message when the corpora are absent (and no file is
//! given). Figures: docs/benchmarks-compile.md.

#[path = "common/process.rs"]
mod process;
#[path = "common/synthetic.rs"]
mod synthetic;

use std::alloc::{GlobalAlloc, Layout};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use folio::engine::compile::{compile_owned, CompileOptions, OwnedInput};
use folio::engine::discover;
use folio::engine::explorer::Explorer;
use folio::engine::open::{open, OpenFile};
use folio::engine::pack::{ShardSizes, SHARD_THRESHOLD};
use folio::engine::progress::Stage;
use process::{cpu_seconds, load_average, peak_mib};

/// Counts the bytes allocated and not yet freed, and their most since the
/// last [`Counting::reset_peak`]; allocates as the `folio` CLI does (mimalloc).
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

impl Counting {
    fn grow(size: usize) {
        let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
        PEAK.fetch_max(live, Ordering::Relaxed);
    }

    fn reset_peak() {
        PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Counting::grow(layout.size());
        mimalloc::MiMalloc.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        mimalloc::MiMalloc.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Old and new blocks may both be held while it copies.
        Counting::grow(new_size);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        mimalloc::MiMalloc.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const CORPORA: [&str; 2] = ["paperlists-87k.jsonl.gz", "acl-anthology-64k.jsonl.gz"];
const DEFAULT_PAPERS: usize = 100_000;
/// The targets: issue 3 (100k papers on a 2-core machine), issue 16 (1M
/// papers, `folio compile --pack`).
const TARGET_SECONDS: f64 = 30.0;
const TARGET_PEAK_MIB: f64 = 2048.0;

/// The stages timed, one line each.
struct Stages {
    started: Instant,
    cpu_start: f64,
    at: Instant,
    cpu: f64,
}

impl Stages {
    fn new() -> Self {
        Counting::reset_peak();
        let (at, cpu) = (Instant::now(), cpu_seconds());
        Stages { started: at, cpu_start: cpu, at, cpu }
    }

    /// Ends the stage running (named `name`) and starts the next.
    fn end(&mut self, name: &str) {
        println!(
            "  {name:<40} {:>7.1} s {:>7.1} s CPU   holds {:>6.0} MiB, at most {:>6.0} MiB   peak RSS {:>6.0} MiB",
            self.at.elapsed().as_secs_f64(),
            cpu_seconds() - self.cpu,
            mib(LIVE.load(Ordering::Relaxed)),
            mib(PEAK.load(Ordering::Relaxed)),
            peak_mib()
        );
        Counting::reset_peak();
        (self.at, self.cpu) = (Instant::now(), cpu_seconds());
    }

    fn total(&self) -> (f64, f64) {
        (self.started.elapsed().as_secs_f64(), cpu_seconds() - self.cpu_start)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let number = |flag: &str| {
        let at = args.iter().position(|a| a == flag)?;
        Some((at, args.get(at + 1)?.parse::<usize>().ok()?))
    };
    if let Some((at, n)) = number("--write-synthetic") {
        let path = args.get(at + 2).expect("--write-synthetic N FILE");
        write_synthetic(n, Path::new(path));
        return;
    }
    println!("compile_scale: {}", load_average());
    let mut stages = Stages::new();
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let files = match number("--synthetic") {
        Some((_, n)) => {
            let text = synthetic_text(n);
            vec![(format!("synthetic-{n}.jsonl"), text.into_bytes())]
        }
        None if paths.len() > 0 => {
            paths.iter().map(|path| (path.to_string(), read_file(Path::new(path)))).collect()
        }
        None => match real_corpora() {
            Some(files) => files,
            None => return,
        },
    };
    let input_bytes: usize = files.iter().map(|(_, bytes)| bytes.len()).sum();
    stages.end(&format!("inputs in memory ({:.0} MiB)", mib(input_bytes)));

    if args.iter().any(|a| a == "--worker") {
        return worker(files, stages);
    }
    // As `folio compile --pack` does (src/bin/folio/compile.rs): each input
    // dropped once read, the bundle written as it is made, the pack cut.
    let inputs = files.into_iter().map(|(name, bytes)| OwnedInput { name, bytes }).collect();
    let mut current = None;
    let compiled = compile_owned(inputs, &CompileOptions::default(), &mut |step| {
        if current != Some(step.stage) {
            if let Some(stage) = current {
                stages.end(stage_name(stage));
            }
            current = Some(step.stage);
        }
    });
    if let Some(stage) = current {
        stages.end(stage_name(stage));
    }
    let errors = compiled.errors();
    let (warnings, skipped) = (compiled.warnings(), compiled.skipped());
    let Some(mut bundle) = compiled.bundle else {
        for diagnostic in compiled.diagnostics.iter().filter(|d| d.is_error()).take(10) {
            println!("{diagnostic}");
        }
        println!("compile_scale failed: {errors} error(s), no bundle");
        std::process::exit(1);
    };
    drop(compiled.diagnostics);
    let papers = bundle.papers.len();
    let sources: Vec<String> =
        bundle.sources.iter().map(|s| format!("{}: {} papers", s.file, s.papers)).collect();
    let without_abstract = bundle.papers.iter().filter(|p| p.abstract_text.is_empty()).count();

    let json_path = std::env::temp_dir().join(format!("folio-compile-scale-{}.json", std::process::id()));
    let file = std::fs::File::create(&json_path).expect("a temporary file");
    let records = bundle.write_json(std::io::BufWriter::new(file)).expect("writing the bundle");
    let json_len = std::fs::metadata(&json_path).map_or(0, |m| m.len() as usize);
    stages.end(&format!("bundle written ({:.0} MiB)", mib(json_len)));
    // As `--vectors auto` does (src/bin/folio/pack.rs): the paper vectors,
    // the blended similar papers and the map, stage by stage.
    let shipped = (papers <= VECTORS_AUTO_LIMIT
        && std::env::var("FOLIO_BENCH_VECTORS").as_deref() != Ok("off"))
    .then(|| {
        let mut current: Option<&'static str> = None;
        let shipped = discover::ship_bundle(&mut bundle, &discover::Options::default(), |what| {
            if let Some(stage) = current.replace(discovery_stage(what)) {
                stages.end(stage);
            }
        });
        if let Some(stage) = current {
            stages.end(stage);
        }
        shipped
    });
    let vector_bytes = shipped.as_ref().map_or(0, |s| s.vectors.to_bytes().len());
    let map_bytes = shipped.as_ref().map_or(0, |s| s.map.to_bytes().len());
    let mut explorer = Explorer::new(bundle);
    if let Some(shipped) = shipped {
        explorer = explorer.with_discovery(shipped);
    }
    stages.end("index (Explorer::new)");
    let layout = if records > SHARD_THRESHOLD as u64 { "sharded" } else { "single" };
    let shards = if layout == "sharded" {
        let sharded = explorer.into_sharded(ShardSizes::default()).expect("a whole corpus");
        sharded.shards.iter().map(|(_, bytes)| bytes.len()).collect()
    } else {
        vec![explorer.into_pack().expect("a whole corpus").len()]
    };
    let pack_bytes: usize = shards.iter().sum();
    stages.end(&format!("pack, {layout} ({} files, {:.0} MiB)", shards.len(), mib(pack_bytes)));
    let (wall, cpu) = stages.total();
    // Gzip is timed apart: a static host compresses, the compiler does not.
    let gzipped = gzip_len(&json_path);
    let _ = std::fs::remove_file(&json_path);

    println!("compile_scale: {papers} papers ({without_abstract} without an abstract)");
    for source in sources {
        println!("  {source}");
    }
    println!("  diagnostics: {errors} error(s), {warnings} warning(s), {skipped} record(s) skipped");
    println!("  total       {wall:>8.1} s, {cpu:.1} s CPU ({})", load_average());
    println!("  peak RSS    {:>8.0} MiB VmHWM", peak_mib());
    println!("  bundle      {:>8.1} MiB raw, {:.1} MiB gzipped", mib(json_len), mib(gzipped));
    match vector_bytes {
        0 => println!(
            "  no paper vectors or map (past {VECTORS_AUTO_LIMIT} papers, or FOLIO_BENCH_VECTORS=off)"
        ),
        _ => println!("  in the pack: vectors {:.1} MiB, map {:.1} MiB", mib(vector_bytes), mib(map_bytes)),
    }
    if papers <= 2 * DEFAULT_PAPERS {
        let within = wall < TARGET_SECONDS && peak_mib() < TARGET_PEAK_MIB;
        println!(
            "  {} (issue 3: under {TARGET_SECONDS} s and {TARGET_PEAK_MIB} MiB at 100k)",
            if within { "within target" } else { "OVER TARGET" }
        );
    }
}

/// `folio compile --pack`'s `--vectors auto` limit (src/bin/folio/pack.rs).
const VECTORS_AUTO_LIMIT: usize = 300_000;

/// The name of a step of `discover::ship`.
fn discovery_stage(step: &str) -> &'static str {
    match step {
        "vectors" => "paper vectors (TF-IDF, randomized SVD)",
        "similar papers" => "similar papers (blend, inverted file)",
        _ => "corpus map",
    }
}

fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Read => "read, clean, ids, duplicates",
        Stage::Extract => "entities, links, figures",
        Stage::Corpus => "topics, keyphrases, similar papers",
    }
}

fn corpus_dir() -> PathBuf {
    std::env::var_os("FOLIO_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

/// The real corpora's first papers as JSON Lines inputs, or `None` (said)
/// without them.
fn real_corpora() -> Option<Vec<(String, Vec<u8>)>> {
    let wanted: usize =
        std::env::var("FOLIO_BENCH_PAPERS").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_PAPERS);
    let dir = corpus_dir();
    let paths: Vec<PathBuf> = CORPORA.iter().map(|name| dir.join(name)).collect();
    if let Some(missing) = paths.iter().find(|p| !p.is_file()) {
        println!(
            "compile_scale skipped: {} not found (set FOLIO_CORPUS_DIR to the folder holding {})",
            missing.display(),
            CORPORA.join(" and ")
        );
        return None;
    }
    let mut files = Vec::new();
    let mut remaining = wanted;
    for path in &paths {
        if remaining == 0 {
            break;
        }
        let mut text = read_file(path);
        let (cut, lines) = first_lines(&text, remaining);
        text.truncate(cut);
        remaining -= lines;
        let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        files.push((format!("{name} (first {lines} lines)"), text));
    }
    Some(files)
}

/// `n` synthetic papers as JSON Lines, made of the real corpora's pieces.
fn synthetic_text(n: usize) -> String {
    let dir = corpus_dir();
    let mut sources = Vec::new();
    for name in CORPORA {
        let bytes = read_file(&dir.join(name));
        sources.extend(synthetic::sources(std::str::from_utf8(&bytes).expect("UTF-8 corpora")));
    }
    if sources.is_empty() {
        println!("compile_scale failed: no papers in {} to make synthetic ones of", dir.display());
        std::process::exit(1);
    }
    synthetic::corpus(&sources, n)
}

/// Writes `n` synthetic papers to `path` (through a temporary file: a
/// reader never sees half of it).
fn write_synthetic(n: usize, path: &Path) {
    let text = synthetic_text(n);
    let partial = path.with_extension("partial");
    let written = std::fs::write(&partial, &text).and_then(|()| std::fs::rename(&partial, path));
    match written {
        Ok(()) => {
            println!("wrote {n} synthetic papers ({:.0} MB) to {}", text.len() as f64 / 1e6, path.display())
        }
        Err(err) => {
            println!("compile_scale failed: {}: {err}", path.display());
            std::process::exit(1);
        }
    }
}

/// A file's bytes, gunzipped when it is `.gz`; exits with a message if unreadable.
fn read_file(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    let result = std::fs::File::open(path).and_then(|mut file| {
        if path.extension().is_some_and(|e| e == "gz") {
            GzDecoder::new(file).read_to_end(&mut out)
        } else {
            file.read_to_end(&mut out)
        }
    });
    if let Err(err) = result {
        println!("compile_scale failed: {}: {err}", path.display());
        std::process::exit(1);
    }
    out
}

/// The byte length of the first `n` lines of `text` and how many lines that is.
fn first_lines(text: &[u8], n: usize) -> (usize, usize) {
    let mut lines = 0;
    for (i, _) in text.iter().enumerate().filter(|(_, &b)| b == b'\n') {
        lines += 1;
        if lines == n {
            return (i + 1, lines);
        }
    }
    let trailing = usize::from(!text.is_empty() && !text.ends_with(b"\n"));
    (text.len(), lines + trailing)
}

/// The length of a file gzipped (read and compressed as it goes).
fn gzip_len(path: &Path) -> usize {
    let mut file = std::fs::File::open(path).expect("the file just written");
    let mut encoder = GzEncoder::new(Counter(0), Compression::default());
    std::io::copy(&mut file, &mut encoder).expect("reading the file just written");
    encoder.finish().expect("writing to memory").0
}

/// A writer that only counts.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What the browser's compile worker does with the files (`engine::open`:
/// compile, index, the whole pack in memory), with the same figures.
fn worker(files: Vec<(String, Vec<u8>)>, mut stages: Stages) {
    let files = files.into_iter().map(|(name, bytes)| OpenFile { name, bytes }).collect();
    let mut current = String::new();
    let opened = open(files, None, &mut |progress| {
        if progress.stage != current {
            if !current.is_empty() {
                stages.end(&current);
            }
            current = progress.stage;
        }
    });
    let pack = opened.pack.map_or(0, |pack| pack.len());
    stages.end(&format!("{current} and packing ({:.0} MiB)", mib(pack)));
    let (wall, cpu) = stages.total();
    println!(
        "compile_scale --worker: {} papers, {} diagnostics",
        opened.outcome.papers,
        opened.outcome.diagnostics.len()
    );
    println!("  total       {wall:>8.1} s, {cpu:.1} s CPU ({})", load_average());
    println!("  peak RSS    {:>8.0} MiB VmHWM", peak_mib());
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
