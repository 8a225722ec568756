//! The corpus map at 100k papers on the real corpora: prints what the
//! layout costs (time and memory of the neighbour graph, the t-SNE and the
//! clusters), whether it is the same twice, how well it keeps each paper's
//! nearest papers (the share of its 10 nearest by vector cosine that are
//! among its 10 nearest on the map), how pure its clusters are (the share
//! of a cluster's papers in its most common venue, or with its most common
//! keyword), all beside the placeholder layout (the vectors' two leading
//! latent axes), and the labels of the clusters.
//!
//!     cargo bench --bench map
//!
//! Reads the first 100,000 papers of acl-anthology-64k then paperlists-87k
//! (`FOLIO_BENCH_PAPERS` for another number, `FOLIO_CORPUS_DIR` for
//! another folder; skips with a message without them);
//! `FOLIO_MAP_NEIGHBOURS` and `FOLIO_MAP_EPOCHS` set the t-SNE's options,
//! `FOLIO_MAP_TWICE=0` skips the second build. Figures and what they
//! mean: docs/map.md.

#[path = "common/corpus.rs"]
#[allow(dead_code)]
mod corpus;
#[path = "common/counting.rs"]
mod counting;
#[path = "common/process.rs"]
#[allow(dead_code)]
mod process;

use std::collections::HashMap;
use std::time::Instant;

use counting::Counting;
use folio::engine::bundle::Paper;
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::discover::{Discovery, Options as VectorOptions, Vectors};
use folio::engine::map::{neighbours, Layout, Method, Options};
use process::load_average;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Papers whose neighbourhoods are judged (evenly spread over the corpus).
const JUDGED: usize = 1000;
/// Nearest papers compared.
const K: usize = 10;

fn main() {
    let wanted = env_or("FOLIO_BENCH_PAPERS", 100_000);
    let defaults = Options::default();
    let options = Options {
        neighbours: env_or("FOLIO_MAP_NEIGHBOURS", defaults.neighbours),
        epochs: env_or("FOLIO_MAP_EPOCHS", defaults.epochs),
        ..defaults
    };
    let Some(files) = corpus::first_jsonl(wanted) else {
        println!("map skipped: the real corpora are not in {}", corpus::corpus_dir().display());
        return;
    };
    println!(
        "## map at {wanted} papers, {} neighbours, {} epochs, {}",
        options.neighbours,
        options.epochs,
        load_average()
    );
    let t = Instant::now();
    let inputs: Vec<Input<'_>> = files.iter().map(|(name, bytes)| Input { name, bytes }).collect();
    let bundle = compile(&inputs, &CompileOptions::default()).bundle.expect("the corpora compile");
    drop(files);
    let papers = bundle.papers;
    println!("compiled {} papers in {:.1} s", papers.len(), t.elapsed().as_secs_f64());
    let t = Instant::now();
    let vectors = Discovery::build(&papers, &VectorOptions::default()).vectors;
    println!("vectors in {:.1} s", t.elapsed().as_secs_f64());

    // The neighbour graph alone: its time and how much of the exact one it finds.
    let data: Vec<f32> = (0..vectors.len()).flat_map(|i| vectors.get(i).unwrap_or_default()).collect();
    let (t, base) = stage_start();
    let graph = neighbours::graph(&data, vectors.dims(), options.neighbours, options.seed);
    println!(
        "neighbour graph ({} a paper, {}): {:.1} s, peak +{:.0} MiB",
        graph.k,
        if vectors.len() <= neighbours::EXACT_UP_TO { "exact" } else { "NN-descent" },
        t.elapsed().as_secs_f64(),
        stage_peak(base)
    );
    drop(data);
    let judged: Vec<usize> = (0..papers.len()).step_by((papers.len() / JUDGED).max(1)).take(JUDGED).collect();
    let exact: Vec<Vec<usize>> =
        judged.iter().map(|&p| vectors.nearest(p, K).iter().map(|n| n.paper).collect()).collect();
    let found: usize = judged
        .iter()
        .zip(&exact)
        .map(|(&p, truth)| {
            let row = &graph.row(p).0[..K.min(graph.k)];
            truth.iter().filter(|&&t| row.contains(&(t as u32))).count()
        })
        .sum();
    let slots: usize = exact.iter().map(Vec::len).sum();
    println!("graph recall@{K} against an exact scan: {:.1}%", 100.0 * found as f64 / slots.max(1) as f64);
    drop(graph);

    let (t, base) = stage_start();
    let layout = Layout::build_with(&vectors, &papers, &options);
    let seconds = t.elapsed().as_secs_f64();
    println!(
        "layout (graph + t-SNE + clusters + labels): {seconds:.1} s, peak +{:.0} MiB; {:.1} MB as bytes",
        stage_peak(base),
        layout.to_bytes().len() as f64 / 1e6
    );
    if env_or("FOLIO_MAP_TWICE", 1) != 0 {
        let t = Instant::now();
        let again = Layout::build_with(&vectors, &papers, &options);
        println!(
            "built again in {:.1} s: {}",
            t.elapsed().as_secs_f64(),
            if again.to_bytes() == layout.to_bytes() { "the same bytes" } else { "DIFFERENT bytes" }
        );
    }
    let t = Instant::now();
    let placeholder =
        Layout::build_with(&vectors, &papers, &Options { method: Method::LeadingAxes, ..options });
    println!("placeholder (leading axes + clusters + labels): {:.1} s", t.elapsed().as_secs_f64());

    println!("\n## quality: {} papers judged", judged.len());
    println!(
        "| layout | {K} nearest kept | venue purity | keyword purity* | clusters | papers in the largest |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, map) in [("t-SNE", &layout), ("leading axes (placeholder)", &placeholder)] {
        let kept = kept_neighbours(map, &judged, &exact);
        let venue = purity(map, &papers, |p| p.metadata.venue.iter().cloned().collect());
        let keyword = purity(map, &papers, keywords);
        let largest = map.clusters().iter().map(|c| c.papers).max().unwrap_or(0);
        println!(
            "| {name} | {:.1}% | {:.1}% | {:.1}% | {} | {largest} |",
            100.0 * kept,
            100.0 * venue,
            100.0 * keyword,
            map.clusters().len()
        );
    }
    println!("(* of the papers that have keywords: a cluster's share with its most common one)");
    let random = random_purity(&layout, &papers, &vectors);
    println!("clusters of the same sizes drawn at random: venue purity {:.1}%", 100.0 * random);

    println!("\n## the {} clusters of the map, largest first", layout.clusters().len());
    let mut order: Vec<usize> = (0..layout.clusters().len()).collect();
    order.sort_by(|&a, &b| layout.clusters()[b].papers.cmp(&layout.clusters()[a].papers).then(a.cmp(&b)));
    for c in order {
        let cluster = &layout.clusters()[c];
        println!(
            "{:>6}  ({:>5}, {:>5})  {}",
            cluster.papers, cluster.center[0], cluster.center[1], cluster.label
        );
    }
}

/// The number in environment variable `name`, or `default`.
fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn stage_start() -> (Instant, usize) {
    (Instant::now(), Counting::reset_peak())
}

fn stage_peak(base: usize) -> f64 {
    (Counting::peak() - base) as f64 / (1024.0 * 1024.0)
}

/// Folded keywords of a paper.
fn keywords(paper: &Paper) -> Vec<String> {
    paper.metadata.keywords.iter().map(|k| k.trim().to_lowercase()).filter(|k| !k.is_empty()).collect()
}

/// The share of the judged papers' `K` nearest by vector that are among
/// their `K` nearest on the map (ties on the map broken by index).
fn kept_neighbours(layout: &Layout, judged: &[usize], exact: &[Vec<usize>]) -> f64 {
    let points = layout.points();
    let mut kept = 0;
    let mut total = 0;
    for (&p, truth) in judged.iter().zip(exact) {
        let [x, y] = points[p];
        let mut distances: Vec<(u64, usize)> = points
            .iter()
            .enumerate()
            .filter(|&(q, _)| q != p)
            .map(|(q, &[qx, qy])| {
                let dx = i64::from(qx) - i64::from(x);
                let dy = i64::from(qy) - i64::from(y);
                ((dx * dx + dy * dy) as u64, q)
            })
            .collect();
        let k = K.min(distances.len());
        if k == 0 {
            continue;
        }
        distances.select_nth_unstable(k - 1);
        let near: Vec<usize> = distances[..k].iter().map(|&(_, q)| q).collect();
        kept += truth.iter().filter(|t| near.contains(t)).count();
        total += truth.len();
    }
    kept as f64 / total.max(1) as f64
}

/// The share of clustered papers that have a value (`values`) in their
/// cluster's most common value, over the papers that have any.
fn purity(layout: &Layout, papers: &[Paper], values: impl Fn(&Paper) -> Vec<String>) -> f64 {
    let mut counts: Vec<HashMap<String, usize>> = vec![HashMap::new(); layout.clusters().len()];
    let mut having = vec![0usize; layout.clusters().len()];
    for (i, paper) in papers.iter().enumerate() {
        let Some(c) = layout.cluster_of(i) else { continue };
        let values = values(paper);
        if values.is_empty() {
            continue;
        }
        having[c] += 1;
        for v in values {
            *counts[c].entry(v).or_default() += 1;
        }
    }
    let top: usize = counts.iter().map(|m| m.values().copied().max().unwrap_or(0)).sum();
    top as f64 / having.iter().sum::<usize>().max(1) as f64
}

/// Venue purity of clusters of the map's sizes whose papers are drawn at
/// random (seeded): what purity is owed to cluster sizes alone.
fn random_purity(layout: &Layout, papers: &[Paper], vectors: &Vectors) -> f64 {
    let mut clustered: Vec<usize> = (0..vectors.len()).filter(|&i| layout.cluster_of(i).is_some()).collect();
    fastrand::Rng::with_seed(17).shuffle(&mut clustered);
    let mut counts: Vec<HashMap<&str, usize>> = Vec::new();
    let mut having = 0;
    let mut at = 0;
    for cluster in layout.clusters() {
        let mut venues: HashMap<&str, usize> = HashMap::new();
        for &i in &clustered[at..at + cluster.papers as usize] {
            if let Some(v) = &papers[i].metadata.venue {
                *venues.entry(v.as_str()).or_default() += 1;
                having += 1;
            }
        }
        at += cluster.papers as usize;
        counts.push(venues);
    }
    let top: usize = counts.iter().map(|m| m.values().copied().max().unwrap_or(0)).sum();
    top as f64 / f64::from(having.max(1))
}
