//! Paper vectors, similar papers and recommendations on the real corpora,
//! measured with no labels of our own: prints what vectors cost to make
//! (time, memory), how often a paper's neighbours share its venue, an
//! author or a keyword (the compiler's TF-IDF neighbours, the vectors, a
//! blend), recall@20 of held-out papers of a keyword or a venue when the
//! rest are liked (today's neighbours, the liked papers' centroid, the
//! classifier at three ridge penalties and with the words' cosine added,
//! the classifier told "not interested" of its first wrong picks), and
//! per-query times.
//!
//!     cargo bench --bench discovery
//!
//! Reads the first 100,000 papers of acl-anthology-64k then paperlists-87k
//! (`FOLIO_BENCH_PAPERS` for another number, `FOLIO_CORPUS_DIR` for
//! another folder; skips with a message without them);
//! `FOLIO_DISCOVERY_DIMS` sets the dimensions (default 128),
//! `FOLIO_DISCOVERY_POWER` the SVD's power iterations (default 1). Figures
//! and what they mean: docs/discovery.md.

#[path = "common/corpus.rs"]
#[allow(dead_code)]
mod corpus;
#[path = "common/counting.rs"]
mod counting;
#[path = "common/process.rs"]
#[allow(dead_code)]
mod process;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use counting::Counting;
use folio::engine::bundle::Paper;
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::discover::{Classifier, Discovery, Features, Neighbour, Options};
use process::load_average;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Papers whose neighbours are judged (evenly spread over the corpus).
const JUDGED: usize = 1000;
/// Neighbours judged per paper: today's lists hold at most 5.
const K: usize = 5;
/// Liked papers per recommendation task (a tag of ten papers).
const LIKED: usize = 10;
/// Recommendations judged.
const TOP: usize = 20;
/// The classifier's ridge penalties compared.
const RIDGES: [f64; 3] = [0.01, 0.1, 1.0];
/// The weights of the words' cosine compared (`Classifier::terms`).
const TERMS: [f32; 2] = [0.5, 1.0];
/// Tasks of each kind (keywords, venues), the largest within the bounds.
const TASKS: usize = 12;

fn main() {
    let wanted = env_or("FOLIO_BENCH_PAPERS", 100_000);
    let dims = env_or("FOLIO_DISCOVERY_DIMS", Options::default().dims);
    let power_iterations = env_or("FOLIO_DISCOVERY_POWER", Options::default().power_iterations);
    let Some(files) = corpus::first_jsonl(wanted) else {
        println!("discovery skipped: the real corpora are not in {}", corpus::corpus_dir().display());
        return;
    };
    println!(
        "## discovery at {wanted} papers, {dims} dimensions, {power_iterations} power iterations, {}",
        load_average()
    );
    let t = Instant::now();
    let inputs: Vec<Input<'_>> = files.iter().map(|(name, bytes)| Input { name, bytes }).collect();
    let bundle = compile(&inputs, &CompileOptions::default()).bundle.expect("the corpora compile");
    drop(files);
    let papers = bundle.papers;
    println!(
        "compiled {} papers in {:.1} s (enrichment's similar papers included)",
        papers.len(),
        t.elapsed().as_secs_f64()
    );

    let (t, base) = stage_start();
    let features = Features::of(&papers);
    println!(
        "TF-IDF rows: {:.1} s, {} features, {} non-zeros, peak +{:.0} MiB",
        t.elapsed().as_secs_f64(),
        features.len(),
        features.nonzeros(),
        stage_peak(base)
    );
    drop(features);
    let (t, base) = stage_start();
    let options = Options { dims, power_iterations, ..Options::default() };
    let discovery = Discovery::build(&papers, &options);
    println!(
        "vectors (TF-IDF + randomized SVD + quantization): {:.1} s, peak +{:.0} MiB; {:.1} MB as bytes",
        t.elapsed().as_secs_f64(),
        stage_peak(base),
        discovery.vectors.to_bytes().len() as f64 / 1e6
    );
    let t = Instant::now();
    let again = Discovery::build(&papers, &options);
    println!(
        "built again in {:.1} s: {}",
        t.elapsed().as_secs_f64(),
        if again.vectors == discovery.vectors { "the same vectors" } else { "DIFFERENT vectors" }
    );
    drop(again);

    neighbours(&papers, &discovery);
    recommendations(&papers, &discovery);
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

/// How often the neighbours of the judged papers share their venue, an
/// author, a keyword, by each method.
fn neighbours(papers: &[Paper], discovery: &Discovery) {
    let step = (papers.len() / JUDGED).max(1);
    let judged: Vec<usize> = (0..papers.len()).step_by(step).take(JUDGED).collect();
    // What a pack ships: every paper's blended list at once, the vectors'
    // candidates from the inverted file past EXACT_SCAN papers.
    let t = Instant::now();
    let shipped = discovery.similar_all_blended(K);
    println!(
        "\nshipped lists (blend, inverted file) of all {} papers: {:.1} s",
        papers.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let nearest = discovery.vectors.all_nearest(K);
    let elapsed = t.elapsed().as_secs_f64();
    let found: usize = judged
        .iter()
        .map(|&p| {
            let exact = discovery.similar(p, K);
            nearest[p].iter().filter(|n| exact.iter().any(|e| e.paper == n.paper)).count()
        })
        .sum();
    let exact_slots: usize = judged.iter().map(|&p| discovery.similar(p, K).len()).sum();
    println!(
        "inverted file: the vectors' {K} nearest of all papers in {elapsed:.1} s; recall of the exact {K} nearest: {:.1}%",
        100.0 * found as f64 / exact_slots.max(1) as f64
    );
    type Method<'a> = (&'a str, Box<dyn Fn(usize) -> Vec<Neighbour> + 'a>);
    let methods: [Method<'_>; 4] = [
        ("today (compiler's TF-IDF)", Box::new(|p| discovery.similar_today(p, K))),
        ("vectors", Box::new(|p| discovery.similar(p, K))),
        ("blend", Box::new(|p| discovery.similar_blended(p, K))),
        ("blend as shipped (inverted file)", Box::new(|p| shipped[p].clone())),
    ];
    println!(
        "\n## neighbours of {} papers: share of the top {K} slots (an empty slot is a miss) that",
        judged.len()
    );
    println!("| method | same venue | shares an author | shares a keyword* | slots filled | ms per paper p50 / p95 |");
    println!("|---|---|---|---|---|---|");
    for (name, method) in &methods {
        let (mut venue, mut author, mut keyword, mut keyword_slots, mut filled) = (0, 0, 0, 0, 0);
        let mut times = Vec::new();
        for &p in &judged {
            let t = Instant::now();
            let found = method(p);
            times.push(t.elapsed());
            filled += found.len();
            let mine = &papers[p];
            let my_keywords = keywords(mine);
            if !my_keywords.is_empty() {
                keyword_slots += K;
            }
            for n in &found {
                let other = &papers[n.paper];
                venue +=
                    usize::from(mine.metadata.venue.is_some() && mine.metadata.venue == other.metadata.venue);
                author +=
                    usize::from(other.metadata.authors.iter().any(|a| mine.metadata.authors.contains(a)));
                keyword += usize::from(keywords(other).iter().any(|k| my_keywords.contains(k)));
            }
        }
        let slots = (judged.len() * K) as f64;
        let (p50, p95) = percentiles(&mut times);
        println!(
            "| {name} | {:.1}% | {:.1}% | {:.1}% | {:.1}% | {p50:.2} / {p95:.2} |",
            100.0 * venue as f64 / slots,
            100.0 * author as f64 / slots,
            100.0 * keyword as f64 / keyword_slots.max(1) as f64,
            100.0 * filled as f64 / slots,
        );
    }
    println!("(* of the judged papers that have keywords)");
}

/// Recall@20 of held-out papers of a keyword's or a venue's, the rest of
/// whose papers (ten) are liked.
fn recommendations(papers: &[Paper], discovery: &Discovery) {
    let mut by_keyword: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut by_venue: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, paper) in papers.iter().enumerate() {
        for k in keywords(paper) {
            by_keyword.entry(k).or_default().push(i);
        }
        if let Some(venue) = &paper.metadata.venue {
            by_venue.entry(venue.clone()).or_default().push(i);
        }
    }
    let largest = |groups: BTreeMap<String, Vec<usize>>, kind: &str, most: usize| {
        let mut groups: Vec<(String, Vec<usize>)> =
            groups.into_iter().filter(|(_, ps)| ps.len() >= 2 * (LIKED + TOP) && ps.len() <= most).collect();
        groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        groups.truncate(TASKS);
        groups.into_iter().map(move |(name, ps)| (format!("{kind} {name}"), ps)).collect::<Vec<_>>()
    };
    // A venue of more than 3% of the corpus is a field, not a subject.
    let mut tasks = largest(by_keyword, "keyword", papers.len() / 33);
    tasks.extend(largest(by_venue, "venue", papers.len() / 33));

    let index_today: Vec<HashMap<usize, f32>> = (0..papers.len())
        .map(|p| discovery.similar_today(p, K).into_iter().map(|n| (n.paper, n.score)).collect())
        .collect();
    println!("\n## recommendations: {LIKED} papers of a keyword or venue liked, recall@{TOP} of the rest");
    let mut ridges: Vec<String> = RIDGES.iter().map(|r| format!("classifier, ridge {r}")).collect();
    ridges.extend(TERMS.iter().map(|t| format!("classifier + words x {t}")));
    println!(
        "| task | papers | today | centroid | {} | classifier (ridge {}) + 5 not interested |",
        ridges.join(" | "),
        Classifier::default().ridge
    );
    println!("|---|---|---|---|{}---|", "---|".repeat(ridges.len()));
    let mut sums: Vec<f64> = Vec::new();
    let mut times = Vec::new();
    for (name, members) in &tasks {
        let mut rng = fastrand::Rng::with_seed(members.len() as u64);
        let mut shuffled = members.clone();
        rng.shuffle(&mut shuffled);
        let like: Vec<usize> = shuffled[..LIKED].to_vec();
        let held: HashSet<usize> = shuffled[LIKED..].iter().copied().collect();
        let recall = |ranked: &[usize]| {
            ranked.iter().take(TOP).filter(|p| held.contains(p)).count() as f64 / TOP.min(held.len()) as f64
        };
        // Today: the liked papers' stored neighbours, scores summed.
        let mut today: HashMap<usize, f32> = HashMap::new();
        for &l in &like {
            for (&p, &s) in &index_today[l] {
                *today.entry(p).or_default() += s;
            }
        }
        let mut today: Vec<(usize, f32)> = today.into_iter().filter(|(p, _)| !like.contains(p)).collect();
        today.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let today: Vec<usize> = today.into_iter().map(|(p, _)| p).collect();
        // Centroid: the mean of the liked vectors.
        let mut mean = vec![0f32; discovery.vectors.dims()];
        for &l in &like {
            for (m, v) in mean.iter_mut().zip(discovery.vectors.get(l).unwrap_or_default()) {
                *m += v;
            }
        }
        let mut centroid: Vec<(usize, f32)> = discovery
            .vectors
            .scores(&mean)
            .into_iter()
            .enumerate()
            .filter(|(p, _)| !like.contains(p))
            .collect();
        centroid.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let centroid: Vec<usize> = centroid.into_iter().take(TOP).map(|(p, _)| p).collect();
        let ranked = |classifier: &Classifier, unlike: &[usize]| -> Vec<usize> {
            classifier.recommend(discovery, &like, unlike, TOP).into_iter().map(|r| r.paper).collect()
        };
        let mut row = vec![recall(&today), recall(&centroid)];
        for ridge in RIDGES {
            row.push(recall(&ranked(&Classifier { ridge, ..Classifier::default() }, &[])));
        }
        for terms in TERMS {
            row.push(recall(&ranked(&Classifier { terms, ..Classifier::default() }, &[])));
        }
        let t = Instant::now();
        let classifier = ranked(&Classifier::default(), &[]);
        times.push(t.elapsed());
        let wrong: Vec<usize> = classifier.iter().copied().filter(|p| !held.contains(p)).take(5).collect();
        let t = Instant::now();
        row.push(recall(&ranked(&Classifier::default(), &wrong)));
        times.push(t.elapsed());
        sums.resize(row.len(), 0.0);
        for (sum, r) in sums.iter_mut().zip(&row) {
            *sum += r;
        }
        let cells: Vec<String> = row.iter().map(|r| format!("{r:.2}")).collect();
        println!("| {name} | {} | {} |", members.len(), cells.join(" | "));
    }
    let n = tasks.len().max(1) as f64;
    let cells: Vec<String> = sums.iter().map(|s| format!("**{:.2}**", s / n)).collect();
    println!("| **mean of {} tasks** | | {} |", tasks.len(), cells.join(" | "));
    let (p50, p95) = percentiles(&mut times);
    println!("classifier: train and rank {} papers, p50 {p50:.1} ms, p95 {p95:.1} ms", papers.len());
}

/// p50 and p95 in milliseconds.
fn percentiles(times: &mut [Duration]) -> (f64, f64) {
    if times.is_empty() {
        return (0.0, 0.0);
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3;
    (at(0.5), at(0.95))
}
