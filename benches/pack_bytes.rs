//! What an app pack is made of, and (sharded) what a query makes the
//! browser download: prints the bytes of every part of the whole pack (index
//! section and records, per JSON key), then the sharded layout's head,
//! shards, per query of the benchmark set the shards it needs from an
//! empty cache, and the engine's time per query with its shards held
//! (and, for comparison, on the whole pack).
//!
//!     cargo bench --bench pack_bytes [-- PACK]
//!     cargo bench --bench pack_bytes -- --synthetic 1000000
//!     cargo bench --bench pack_bytes -- --site DIR [--head-only]
//!     cargo bench --bench pack_bytes -- --write-synthetic 1000000 FILE
//!
//! Without PACK it compiles 100,000 real papers (acl-anthology-64k, then
//! paperlists-87k, as JSON Lines with all their metadata; `FOLIO_CORPUS_DIR`
//! and `FOLIO_BENCH_PAPERS` as for `compile_scale`) and skips with a
//! message when the corpora are absent. With `--synthetic N` it generates
//! N papers from the real ones (benches/common/synthetic.rs), compiles,
//! indexes and cuts them as `folio compile --pack-layout sharded` does,
//! printing each stage's time and peak memory, then the sharded figures
//! (no whole pack is made). With `--site DIR` it prints the sharded
//! figures of a site `folio compile` built (`DIR/bundle.pack` and
//! `DIR/shards/`, gzipped as written), e.g. the 1M site of
//! `scripts/bench-shards.mjs`, without compiling again (`--head-only`: its
//! head part by part, without reading the shards);
//! `--write-synthetic N FILE` only writes the synthetic corpus as JSON
//! Lines (what bench-shards.mjs compiles past the real papers). Figures:
//! docs/benchmarks.md.

#[path = "common/counting.rs"]
mod counting;
#[path = "common/process.rs"]
mod process;
#[path = "common/queries.rs"]
mod queries;
#[path = "common/synthetic.rs"]
mod synthetic;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use counting::Counting;
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::explorer::{Exploration, Explorer};
use folio::engine::facets::FacetIndex;
use folio::engine::pack::shards::{ShardId, ShardKind};
use folio::engine::pack::{breakdown, head_breakdown, ShardSizes, ShardedPack};
use folio::engine::tags::UserData;
use folio::engine::view_state::ViewState;
use process::{cpu_seconds, load_average, peak_mib};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Rows of a first screen (PAGE in src/components/result_list.rs).
const ROWS: usize = 12;

const CORPORA: [&str; 2] = ["acl-anthology-64k.jsonl.gz", "paperlists-87k.jsonl.gz"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let after = |flag: &str, k: usize| Some(args.get(args.iter().position(|a| a == flag)? + k)?.as_str());
    if let (Some(n), Some(path)) = (after("--write-synthetic", 1), after("--write-synthetic", 2)) {
        write_synthetic(n.parse().expect("a number of papers"), Path::new(path));
        return;
    }
    if let Some(dir) = after("--site", 1) {
        match args.iter().any(|a| a == "--head-only") {
            true => print_head(&site_head(Path::new(dir))),
            false => print_sharded(site_files(Path::new(dir))),
        }
        return;
    }
    let synthetic = after("--synthetic", 1).and_then(|n| n.parse().ok());
    if let Some(n) = synthetic {
        if let Some(sharded) = synthetic_sharded(n) {
            print_sharded(sharded);
        }
        return;
    }
    let pack_path = args.iter().find(|a| !a.starts_with("--"));
    let pack = match pack_path {
        Some(path) => std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}")),
        None => match compiled_pack() {
            Some(pack) => pack,
            None => return,
        },
    };
    print_breakdown(&pack);
    let mut whole = Explorer::from_pack(pack).expect("a readable pack");
    let facets = whole.user_facets(&UserData::default());
    let texts = queries::QUERIES.iter().flat_map(|(_, qs)| qs.iter().copied());
    print!("\nwhole pack, for comparison: ");
    print_warm(&mut whole, &HashMap::new(), &facets, texts);
    let t = Instant::now();
    let sharded = whole.into_sharded(ShardSizes::default()).expect("a pack of a whole corpus");
    println!(
        "\n## sharded (default sizes {:?}), cut in {:.1} s",
        ShardSizes::default(),
        t.elapsed().as_secs_f64()
    );
    print_sharded(sharded);
}

fn corpus_paths() -> Option<Vec<PathBuf>> {
    let dir = std::env::var_os("FOLIO_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let paths: Vec<PathBuf> = CORPORA.iter().map(|name| dir.join(name)).collect();
    if let Some(missing) = paths.iter().find(|p| !p.is_file()) {
        println!("pack_bytes skipped: {} not found (set FOLIO_CORPUS_DIR)", missing.display());
        return None;
    }
    Some(paths)
}

fn gunzip(path: &Path) -> String {
    let mut text = String::new();
    let file = std::fs::File::open(path).expect("readable corpus");
    flate2::read::GzDecoder::new(file).read_to_string(&mut text).expect("gzip JSON Lines");
    text
}

/// The whole pack of the corpora's first papers, or `None` (said) without them.
fn compiled_pack() -> Option<Vec<u8>> {
    let paths = corpus_paths()?;
    let wanted: usize =
        std::env::var("FOLIO_BENCH_PAPERS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let t = Instant::now();
    let mut files = Vec::new();
    let mut remaining = wanted;
    for path in &paths {
        let text = gunzip(path);
        let kept: String = text.lines().take(remaining).flat_map(|l| [l, "\n"]).collect();
        remaining -= kept.lines().count();
        files.push((path.display().to_string(), kept.into_bytes()));
    }
    let inputs: Vec<Input<'_>> = files.iter().map(|(name, bytes)| Input { name, bytes }).collect();
    let mut bundle = compile(&inputs, &CompileOptions::default()).bundle.expect("the corpora compile");
    println!("## {} papers compiled in {:.1} s", bundle.papers.len(), t.elapsed().as_secs_f64());
    // With what `folio compile --pack` ships of discovery (docs/discovery.md).
    let t = Instant::now();
    let shipped = folio::engine::discover::ship_bundle(&mut bundle, &Default::default(), |_| {});
    println!("paper vectors, blended similar papers and map in {:.1} s", t.elapsed().as_secs_f64());
    Some(Explorer::new(bundle).with_discovery(shipped).into_pack().expect("a pack"))
}

/// `n` synthetic papers (benches/common/synthetic.rs) compiled, indexed and
/// cut into shards as `folio compile --pack-layout sharded` does, with the
/// time and peak memory of each stage.
fn synthetic_sharded(n: usize) -> Option<ShardedPack> {
    let paths = corpus_paths()?;
    let (started, cpu_start) = (Instant::now(), cpu_seconds());
    let stage = |name: &str, t: Instant, cpu: f64| {
        println!(
            "  {name:<28} {:>7.1} s, {:>7.1} s CPU, peak {:>6.0} MiB so far",
            t.elapsed().as_secs_f64(),
            cpu_seconds() - cpu,
            peak_mib()
        );
    };
    println!("## {n} synthetic papers (benches/common/synthetic.rs), {}", load_average());
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let mut sources = Vec::new();
    for path in &paths {
        sources.extend(synthetic::sources(&gunzip(path)));
    }
    let text = synthetic::corpus(&sources, n);
    drop(sources);
    stage(&format!("generate ({:.0} MB JSONL)", mb(text.len())), t, cpu);
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let input = Input { name: "synthetic.jsonl", bytes: text.as_bytes() };
    let compiled = compile(&[input], &CompileOptions::default());
    drop(text);
    let bundle = compiled.bundle.expect("the synthetic corpus compiles");
    stage(&format!("compile ({} papers)", bundle.papers.len()), t, cpu);
    // Paper vectors and map at 1M: `--vectors auto` leaves them out (past
    // 300,000 papers); their bytes are (dims + 4) and 6 a paper.
    let papers = bundle.papers.len();
    let dims = folio::engine::discover::Options::default().dims;
    println!(
        "  (not computed: paper vectors {:.1} MB, map {:.1} MB plus its clusters, at {dims} dimensions)",
        mb(papers * (dims + 4)),
        mb(papers * 6)
    );
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let explorer = Explorer::new(bundle);
    stage("index (Explorer::new)", t, cpu);
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let sharded = explorer.into_sharded(ShardSizes::default()).expect("a whole corpus");
    stage("cut into head and shards", t, cpu);
    println!(
        "  total (without generating)   {:>7.1} s, {:.1} s CPU; peak {:.0} MiB",
        started.elapsed().as_secs_f64(),
        cpu_seconds() - cpu_start,
        peak_mib()
    );
    Some(sharded)
}

/// Writes `n` synthetic papers as JSON Lines to `path` (through a
/// temporary file, so that a reader never sees half of it).
fn write_synthetic(n: usize, path: &Path) {
    let Some(paths) = corpus_paths() else { return };
    let t = Instant::now();
    let mut sources = Vec::new();
    for path in &paths {
        sources.extend(synthetic::sources(&gunzip(path)));
    }
    let text = synthetic::corpus(&sources, n);
    let partial = path.with_extension("partial");
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("a writable folder");
    }
    std::fs::write(&partial, &text).expect("a writable file");
    std::fs::rename(&partial, path).expect("a writable folder");
    println!(
        "{}: {n} synthetic papers, {:.0} MB, in {:.1} s",
        path.display(),
        mb(text.len()),
        t.elapsed().as_secs_f64()
    );
}

/// A file of a sharded site as `folio compile` wrote it (gzipped), inflated.
fn read_gzipped(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.display().to_string();
    folio::engine::open::gunzip(&name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The head of a sharded site, inflated.
fn site_head(dir: &Path) -> Vec<u8> {
    read_gzipped(&dir.join("bundle.pack"))
}

/// The head and shards of a sharded site, inflated.
fn site_files(dir: &Path) -> ShardedPack {
    let read = read_gzipped;
    let head = site_head(dir);
    let mut shards = Vec::new();
    for entry in std::fs::read_dir(dir.join("shards")).expect("a sharded site's shards/").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        shards.push((format!("shards/{name}"), read(&entry.path())));
    }
    println!("## the site in {} ({} shards)", dir.display(), shards.len());
    ShardedPack { head, shards }
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn print_breakdown(pack: &[u8]) {
    let parts = breakdown(pack).expect("a readable pack");
    println!("\n## whole pack: {:.1} MB", mb(pack.len()));
    println!("| section | part | MB | share | items |");
    println!("|---|---|---|---|---|");
    for part in &parts {
        println!(
            "| {} | {} | {:.2} | {:.1}% | {} |",
            part.section,
            part.name,
            mb(part.bytes),
            part.bytes as f64 * 100.0 / pack.len() as f64,
            part.items.map_or(String::new(), |n| n.to_string())
        );
    }
    let mut sections: Vec<(&str, usize)> = Vec::new();
    for part in &parts {
        match sections.iter_mut().find(|(s, _)| *s == part.section) {
            Some((_, bytes)) => *bytes += part.bytes,
            None => sections.push((part.section, part.bytes)),
        }
    }
    for (section, bytes) in sections {
        println!("{section}: {:.1} MB", mb(bytes));
    }
}

fn kb(bytes: usize) -> f64 {
    bytes as f64 / 1e3
}

fn gzipped(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory").len()
}

/// Gives `explorer` what `state` needs until it answers; returns the
/// answer, the rounds of fetching and the shards fetched.
fn fetch_and_explore(
    explorer: &mut Explorer,
    files: &HashMap<String, Vec<u8>>,
    state: &ViewState,
    facets: &FacetIndex,
) -> (Exploration, usize, Vec<ShardId>) {
    let user = UserData::default();
    let (mut rounds, mut fetched) = (0, Vec::new());
    loop {
        match explorer.try_explore(state, &user, facets) {
            Ok(exploration) => return (exploration, rounds, fetched),
            Err(needed) => {
                rounds += 1;
                for id in needed {
                    let entry = explorer.shard_entry(id).expect("a shard of the head").clone();
                    explorer.add_shard(id, &files[&entry.path()]).expect("its own shard");
                    fetched.push(id);
                }
            }
        }
    }
}

/// The head's size, plain and gzipped, and its parts.
fn print_head(head: &[u8]) {
    println!("head: {:.2} MB ({:.2} MB gzipped)", mb(head.len()), mb(gzipped(head)));
    println!("| head part | MB | items |");
    println!("|---|---|---|");
    for part in head_breakdown(head).expect("its own head") {
        let items = part.items.map_or(String::new(), |n| n.to_string());
        println!("| {} | {:.3} | {items} |", part.name, mb(part.bytes));
    }
}

fn print_sharded(sharded: ShardedPack) {
    let ShardedPack { head, shards } = sharded;
    print_head(&head);
    let files: HashMap<String, Vec<u8>> = shards.into_iter().collect();
    let before = Counting::live();
    let t = Instant::now();
    let mut explorer = Explorer::from_head(&head).expect("its own head");
    let decode = t.elapsed().as_secs_f64() * 1e3;
    // Again, for the spread (the first read also faults the allocator's pages in).
    let reads: Vec<f64> = (0..3)
        .map(|_| {
            let t = Instant::now();
            drop(std::hint::black_box(Explorer::from_head(&head).expect("its own head")));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    println!(
        "head read again: {}",
        reads.iter().map(|ms| format!("{ms:.0} ms")).collect::<Vec<_>>().join(", ")
    );
    let resident = Counting::live().saturating_sub(before);
    println!(
        "head read in {decode:.0} ms; resident {:.1} MB (allocated and kept by the explorer)",
        mb(resident)
    );
    let user = UserData::default();
    let facets = explorer.user_facets(&user);
    let before_query = Counting::live();
    let language = ViewState { query: "language".to_owned(), ..Default::default() };
    fetch_and_explore(&mut explorer, &files, &language, &facets);
    println!(
        "after a first query (`language`): {:.1} MB more allocated, {:.1} MB of it the shards held",
        mb(Counting::live().saturating_sub(before_query)),
        mb(explorer.shard_bytes().0)
    );
    explorer.clear_shards();
    println!("| kind | shards | MB | median kB | largest kB |");
    println!("|---|---|---|---|---|");
    for kind in ShardKind::ALL {
        let mut sizes: Vec<usize> = explorer
            .shard_ids(kind)
            .filter_map(|id| explorer.shard_entry(id))
            .map(|e| e.bytes as usize)
            .collect();
        sizes.sort_unstable();
        let total: usize = sizes.iter().sum();
        let median = sizes.get(sizes.len() / 2).copied().unwrap_or(0);
        let largest = sizes.last().copied().unwrap_or(0);
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.1} |",
            kind.name(),
            sizes.len(),
            mb(total),
            kb(median),
            kb(largest)
        );
    }
    println!("\nPer query, from an empty cache: rounds of fetching before it answers, then kB of the shards it needs");
    println!(
        "| query | rounds | postings kB | positions kB | entities kB | facets kB | first screen's records kB | total kB | results |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let (mut totals, mut without_facets) = (Vec::new(), Vec::new());
    let texts = queries::QUERIES.iter().flat_map(|(_, qs)| qs.iter().copied());
    for text in std::iter::once("").chain(texts.clone()) {
        explorer.clear_shards();
        let state = ViewState { query: text.to_owned(), ..Default::default() };
        let (exploration, rounds, mut fetched) = fetch_and_explore(&mut explorer, &files, &state, &facets);
        let rows = explorer.missing_records(exploration.first(ROWS));
        fetched.extend(rows);
        let bytes_of = |kind: ShardKind| -> usize {
            fetched
                .iter()
                .filter(|id| id.kind == kind)
                .filter_map(|&id| explorer.shard_entry(id))
                .map(|e| e.bytes as usize)
                .sum()
        };
        // Queries read no vector or map shard (tests/discover_pack.rs).
        let [postings, positions, records, entities, facets, order, ids, vectors, map] =
            ShardKind::ALL.map(bytes_of);
        let total = postings + positions + records + entities + facets + order + ids + vectors + map;
        totals.push(total);
        without_facets.push(total - facets);
        println!(
            "| `{}` | {rounds} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {} |",
            if text.is_empty() { "(none: first paint)" } else { text },
            kb(postings),
            kb(positions),
            kb(entities),
            kb(facets),
            kb(records),
            kb(total),
            exploration.len()
        );
    }
    for (name, mut totals) in [
        ("per query total", totals),
        ("the same with the facet shards held (fetched after the first paint)", without_facets),
    ] {
        totals.sort_unstable();
        let p = |q: f64| totals[((totals.len() - 1) as f64 * q).round() as usize];
        println!("{name}: median {:.0} kB, p95 {:.0} kB, max {:.0} kB", kb(p(0.5)), kb(p(0.95)), kb(p(1.0)));
    }
    explorer.clear_shards();
    let by_title = ViewState { sort: folio::engine::view_state::Sort::Title, ..Default::default() };
    let (_, rounds, fetched) = fetch_and_explore(&mut explorer, &files, &by_title, &facets);
    let bytes: usize =
        fetched.iter().filter_map(|&id| explorer.shard_entry(id)).map(|e| e.bytes as usize).sum();
    println!("first paint sorted by title: {rounds} round, {:.0} kB of shards before its rows", kb(bytes));
    print!("sharded, its shards held: ");
    print_warm(&mut explorer, &files, &facets, texts);
}

/// Per query with its shards held: `try_explore` and the first screen's
/// engine work (highlights and snippets of the first rows), 5 runs each
/// after one untimed run. On a whole pack, the same work (nothing to fetch).
fn print_warm<'a>(
    explorer: &mut Explorer,
    files: &HashMap<String, Vec<u8>>,
    facets: &FacetIndex,
    texts: impl Iterator<Item = &'a str>,
) {
    let user = UserData::default();
    let mut times = Vec::new();
    let mut slowest = (0.0, "");
    for text in texts {
        let state = ViewState { query: text.to_owned(), ..Default::default() };
        let (exploration, _, _) = fetch_and_explore(explorer, files, &state, facets);
        let rows = exploration.first(ROWS).to_vec();
        for id in explorer.missing_records(&rows) {
            let entry = explorer.shard_entry(id).expect("a shard of the head").clone();
            explorer.add_shard(id, &files[&entry.path()]).expect("its own shard");
        }
        // One untimed run first: records decode and facet tables derive on first use.
        for run in 0..6 {
            let t = Instant::now();
            let exploration = explorer.try_explore(&state, &user, facets).expect("its shards are held");
            for &doc in exploration.first(ROWS) {
                std::hint::black_box(explorer.snippet(&exploration, doc));
            }
            let ms = t.elapsed().as_secs_f64() * 1e3;
            if run == 0 {
                continue;
            }
            times.push(ms);
            if ms > slowest.0 {
                slowest = (ms, text);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let p = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "warm, explore + first screen: p50 {:.2} ms, p95 {:.2} ms, slowest {:.2} ms (`{}`); {:.1} MB of shards held",
        p(0.5),
        p(0.95),
        slowest.0,
        slowest.1,
        mb(explorer.shard_bytes().0)
    );
}
