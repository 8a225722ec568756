//! Enrichment benchmark: entities, topics, keyphrases, links, figures and
//! similar papers over the 87k-paper corpus, timed per stage.
//!
//! Run: `cargo bench --bench enrich` (reads `/work/shared/corpus/paperlists-87k.jsonl.gz`,
//! or the path in `FOLIO_BENCH_CORPUS`; set `FOLIO_BENCH_LIMIT` to use fewer papers).

use std::io::{BufRead, BufReader};
use std::time::Instant;

use flate2::read::GzDecoder;
use folio::engine::bundle::{stable_id, Paper, SourceRef};
use folio::engine::enrich::{enrich, Dictionaries};

const DEFAULT_CORPUS: &str = "/work/shared/corpus/paperlists-87k.jsonl.gz";

fn main() {
    let path = std::env::var("FOLIO_BENCH_CORPUS").unwrap_or_else(|_| DEFAULT_CORPUS.to_owned());
    let limit: usize =
        std::env::var("FOLIO_BENCH_LIMIT").ok().and_then(|v| v.parse().ok()).unwrap_or(usize::MAX);
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(e) => {
            println!("enrich bench skipped: cannot open {path} ({e}); set FOLIO_BENCH_CORPUS to a .jsonl.gz of {{title, abstract}} records");
            return;
        }
    };
    let started = Instant::now();
    let mut papers = Vec::new();
    for (n, line) in BufReader::new(GzDecoder::new(file)).lines().enumerate() {
        if papers.len() >= limit {
            break;
        }
        let Ok(line) = line else { break };
        let Ok(record) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        let text = |k: &str| record.get(k).and_then(|v| v.as_str()).unwrap_or("").to_owned();
        let (title, abstract_text) = (text("title"), text("abstract"));
        if title.is_empty() {
            continue;
        }
        papers.push(Paper {
            id: stable_id(&title),
            title,
            abstract_text,
            source: SourceRef { file: path.clone(), line: n + 1 },
            ..Default::default()
        });
    }
    println!("read {} papers in {:.2?}", papers.len(), started.elapsed());

    let dictionaries = Dictionaries::builtin();
    let started = Instant::now();
    let corpus = enrich(&mut papers, &dictionaries);
    let elapsed = started.elapsed();
    println!(
        "enrich: {} papers in {:.2?} ({:.1} µs/paper)",
        papers.len(),
        elapsed,
        elapsed.as_secs_f64() * 1e6 / papers.len().max(1) as f64
    );

    let count = |f: fn(&Paper) -> usize| papers.iter().map(f).sum::<usize>();
    println!(
        "entities {} | topics {} | keyphrases {} | links {} ({} code) | figures {} | similar {}",
        count(|p| p.enrichment.entities.len()),
        count(|p| p.enrichment.topics.len()),
        count(|p| p.enrichment.keyphrases.len()),
        count(|p| p.enrichment.links.len()),
        papers.iter().filter(|p| p.enrichment.has_code()).count(),
        count(|p| p.enrichment.figures.len()),
        count(|p| p.enrichment.similar.len()),
    );
    let enrichment_json: usize =
        papers.iter().map(|p| serde_json::to_string(&p.enrichment).map_or(0, |s| s.len())).sum();
    let catalog_json = serde_json::to_string(&corpus).map_or(0, |s| s.len());
    println!(
        "json: per-paper enrichment {:.1} MB, catalog+taxonomy {:.1} kB",
        enrichment_json as f64 / 1e6,
        catalog_json as f64 / 1e3
    );
    // Which keys the bytes go to (bundle size is the app's download).
    let mut by_key: std::collections::BTreeMap<String, usize> = Default::default();
    for paper in &papers {
        if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(&paper.enrichment) {
            for (key, value) in map {
                *by_key.entry(key).or_default() += value.to_string().len();
            }
        }
    }
    let sizes: Vec<String> = by_key.iter().map(|(k, n)| format!("{k} {:.1} MB", *n as f64 / 1e6)).collect();
    println!("json by key: {}", sizes.join(" | "));
}
