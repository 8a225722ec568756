//! Native search benchmark: index build time, memory, and per-query latency
//! (p50/p95 per query class) on the seed, a 10k real corpus and the 152k
//! real corpus (paperlists-87k + acl-anthology-64k).
//!
//!     cargo bench --bench search
//!
//! Corpora are read from `FOLIO_CORPUS_DIR` (default `../shared/corpus`);
//! without them only the seed is measured, and the bench says so.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

use folio::engine::bundle::Paper;
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::index::SearchIndex;
use folio::engine::query::parse;
use folio::engine::search::{search, SearchOptions};

/// The documented query set (docs/search.md), by class.
pub const QUERIES: &[(&str, &[&str])] = &[
    ("single word", &["language ", "robot ", "translation ", "graph ", "diffusion "]),
    ("prefix mid-typing", &["transl", "reinfor", "segmenta", "lang", "neur"]),
    ("typo", &["trnaslation ", "reinforcment ", "segmentaton ", "difusion ", "attenton "]),
    ("phrase", &["\"machine translation\"", "\"large language models\"", "\"reinforcement learning\"", "\"graph neural network\"", "\"named entity recognition\""]),
    ("identifier", &["GPT-4 ", "BERT ", "Llama-2-70B-Chat ", "MT-Bench ", "ResNet-50 "]),
    ("qualifier/operator", &["title:translation ", "author:smith ", "year:2020..2022 neural ", "-neural translation ", "lora OR adapter "]),
    ("keystrokes", &["m", "ma", "mac", "mach", "machi", "machin", "machine", "machine ", "machine t", "machine tr", "machine tra", "machine tran", "machine trans"]),
];

fn corpus_dir() -> PathBuf {
    std::env::var_os("FOLIO_CORPUS_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("../shared/corpus"))
}

fn read_jsonl_gz(path: &Path, limit: usize) -> Vec<Paper> {
    let file = std::fs::File::open(path).expect("readable corpus");
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    reader
        .lines()
        .take(limit)
        .filter_map(|line| {
            let v: serde_json::Value = serde_json::from_str(&line.ok()?).ok()?;
            let paper = serde_json::json!({
                "id": v["id"], "title": v["title"], "abstract": v["abstract"],
                "authors": v.get("authors").cloned().unwrap_or_default(),
                "year": v.get("year").cloned(),
                "source": {"file": path.display().to_string(), "line": 0},
            });
            serde_json::from_value(paper).ok()
        })
        .collect()
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<f64>().unwrap_or(0.0)))
        .unwrap_or(0.0)
        / 1024.0
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn measure(name: &str, papers: &[Paper]) {
    let start = Instant::now();
    let index = SearchIndex::build(papers, |_| Vec::new());
    let build = start.elapsed().as_secs_f64() * 1000.0;
    println!("\n## {name}: {} papers, {} terms", papers.len(), index.term_count());
    println!("index build: {build:.0} ms, peak RSS so far: {:.0} MiB", peak_rss_mib());
    println!("{:<20} {:>9} {:>9} {:>9}", "class", "p50 ms", "p95 ms", "hits(1st)");
    let options = SearchOptions::default();
    for (class, queries) in QUERIES {
        let mut times = Vec::new();
        let mut first_hits = 0;
        for (i, q) in queries.iter().enumerate() {
            for _ in 0..5 {
                let t = Instant::now();
                let hits = search(&index, &parse(q), &options);
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                if i == 0 {
                    first_hits = hits.len();
                }
            }
        }
        times.sort_by(f64::total_cmp);
        println!("{class:<20} {:>9.2} {:>9.2} {first_hits:>9}", percentile(&times, 0.5), percentile(&times, 0.95));
    }
}

fn main() {
    let seed = std::fs::read("corpus/000_aec88eee982df8fa.txt").expect("the seed corpus");
    let bundle = compile(&[Input { name: "seed", bytes: &seed }], &CompileOptions::default()).bundle.expect("seed compiles");
    measure("seed", &bundle.papers);

    let dir = corpus_dir();
    let (paperlists, acl) = (dir.join("paperlists-87k.jsonl.gz"), dir.join("acl-anthology-64k.jsonl.gz"));
    if !paperlists.exists() || !acl.exists() {
        println!("\nlarge corpora not found in {} (set FOLIO_CORPUS_DIR): measured the seed only", dir.display());
        return;
    }
    let acl_papers = read_jsonl_gz(&acl, usize::MAX);
    measure("acl-anthology, first 10k", &acl_papers[..10_000.min(acl_papers.len())]);
    let mut all = read_jsonl_gz(&paperlists, usize::MAX);
    all.extend(acl_papers);
    measure("paperlists-87k + acl-anthology-64k", &all);
}
