//! Native search benchmark: index build time, index size and peak memory,
//! and per-query latency (p50/p95 per query class) on the seed, a 10k real
//! corpus and the 152k real corpus (paperlists-87k + acl-anthology-64k).
//!
//!     CARGO_TARGET_DIR=/work/target-search cargo bench --bench search
//!
//! Corpora are read from `FOLIO_CORPUS_DIR` (default `../shared/corpus`);
//! without them only the seed is measured, and the bench says so. The query
//! set is documented in docs/search.md. A keystroke is timed as the explorer
//! searches (`run_ranked`: a one-word query's best rows scored by blocks,
//! after the common terms' summaries are made, as the app makes them when
//! idle); `FOLIO_BENCH_FULL=1` times the search that scores every match
//! (`run`) instead, for comparison.

use std::time::Instant;

use folio::engine::bundle::Paper;
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::enrich::Dictionaries;
use folio::engine::index::SearchIndex;
use folio::engine::search::{prepare, run, run_ranked, CatalogResolver, Hit, SearchOptions, SearchResults};

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/queries.rs"]
mod queries;
use corpus::{corpus_dir, read_jsonl_gz};
pub use queries::QUERIES;

fn status_mib(key: &str) -> f64 {
    let kib = std::fs::read_to_string("/proc/self/status").ok().and_then(|s| {
        s.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
    });
    kib.unwrap_or(0.0) / 1024.0
}

/// CPU time of this thread in ms (excludes time spent waiting for a core,
/// which matters on a shared machine).
fn cpu_ms() -> f64 {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    text.split_whitespace().next().and_then(|ns| ns.parse::<f64>().ok()).unwrap_or(0.0) / 1e6
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// One keystroke's search as the explorer runs it: [`run_ranked`], whose
/// one-word queries score only their best rows, and the best `n`; with how
/// many papers match. With `FOLIO_BENCH_FULL` set, as before it: [`run`]
/// (every match scored) and its best `n`.
fn keystroke(
    index: &SearchIndex,
    q: &str,
    options: &SearchOptions<'_>,
    n: usize,
) -> (SearchResults, Vec<Hit>, usize) {
    if std::env::var_os("FOLIO_BENCH_FULL").is_some() {
        let results = run(index, q, options);
        let (top, count) = (results.top(n), results.hits.len());
        return (results, top, count);
    }
    let (results, ranker) = run_ranked(index, q, options);
    match ranker {
        Some(ranker) => {
            let top = ranker.best(index, ranker.docs(), n);
            (results, top, ranker.count())
        }
        None => {
            let (top, count) = (results.top(n), results.hits.len());
            (results, top, count)
        }
    }
}

fn measure(name: &str, papers: &[Paper], options: &SearchOptions<'_>) {
    let rss_before = status_mib("VmRSS:");
    let (start, cpu) = (Instant::now(), cpu_ms());
    let index = SearchIndex::from_papers(papers);
    let build = start.elapsed().as_secs_f64() * 1000.0;
    let build_cpu = cpu_ms() - cpu;
    println!("\n## {name}: {} papers, {} terms", papers.len(), index.term_count());
    // What the app does when idle after loading (`Explorer::warm_up`).
    let (start, cpu) = (Instant::now(), cpu_ms());
    let summarized = prepare(&index);
    println!(
        "summaries of common terms (top-k blocks): {summarized} terms, {:.0} ms ({:.0} ms CPU)",
        start.elapsed().as_secs_f64() * 1000.0,
        cpu_ms() - cpu
    );
    let (start, cpu) = (Instant::now(), cpu_ms());
    let shaped = index.shapes().ids.len();
    println!(
        "the vocabulary by length (typos, \"did you mean\"): {shaped} terms, {:.0} ms ({:.0} ms CPU)",
        start.elapsed().as_secs_f64() * 1000.0,
        cpu_ms() - cpu
    );
    println!(
        "index build: {build:.0} ms ({build_cpu:.0} ms CPU); index heap: {:.1} MiB; RSS growth while building: {:.0} MiB; peak RSS (papers included): {:.0} MiB",
        index.heap_bytes() as f64 / (1024.0 * 1024.0),
        status_mib("VmRSS:") - rss_before,
        status_mib("VmHWM:"),
    );
    println!(
        "{:<20} {:>9} {:>9} {:>9} {:>10} {:>10} {:>16}",
        "class", "p50 ms", "p95 ms", "max ms", "p95 CPU", "hits(1st)", "fastest p50/p95"
    );
    for (class, queries) in QUERIES {
        let (mut times, mut cpu_times) = (Vec::new(), Vec::new());
        // Per query its fastest run: on a machine shared with other work a
        // run that lost its core is not the engine's time.
        let mut fastest = Vec::new();
        let mut first_hits = 0;
        for (i, q) in queries.iter().enumerate() {
            fastest.push(f64::INFINITY);
            for _ in 0..7 {
                // One keystroke as the UI does it: parse, match, rank the top
                // 20 and highlight the 10 shown.
                let (t, cpu) = (Instant::now(), cpu_ms());
                let (results, top, count) = keystroke(&index, q, options, 20);
                for hit in top.iter().take(10) {
                    std::hint::black_box(results.snippet(&papers[hit.doc as usize], 40));
                }
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                if let (Some(best), Some(&time)) = (fastest.last_mut(), times.last()) {
                    *best = f64::min(*best, time);
                }
                cpu_times.push(cpu_ms() - cpu);
                if i == 0 {
                    first_hits = count;
                }
            }
        }
        times.sort_by(f64::total_cmp);
        cpu_times.sort_by(f64::total_cmp);
        fastest.sort_by(f64::total_cmp);
        println!(
            "{class:<20} {:>9.2} {:>9.2} {:>9.2} {:>10.2} {first_hits:>10} {:>7.2} / {:>6.2}",
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            times.last().copied().unwrap_or(0.0),
            percentile(&cpu_times, 0.95),
            percentile(&fastest, 0.5),
            percentile(&fastest, 0.95),
        );
    }
}

fn main() {
    let catalog = Dictionaries::builtin().catalog();
    let resolver = CatalogResolver(&catalog);
    let options = SearchOptions { entities: &resolver, ..Default::default() };
    let seed = std::fs::read("corpus/000_aec88eee982df8fa.txt").expect("the seed corpus");
    let bundle = compile(&[Input { name: "seed", bytes: &seed }], &CompileOptions::default())
        .bundle
        .expect("seed compiles");
    let seed_options =
        SearchOptions { entities: &CatalogResolver(&bundle.corpus.catalog), ..Default::default() };
    measure("seed (compiled, with entities)", &bundle.papers, &seed_options);

    let dir = corpus_dir();
    let (paperlists, acl) = (dir.join("paperlists-87k.jsonl.gz"), dir.join("acl-anthology-64k.jsonl.gz"));
    if !paperlists.exists() || !acl.exists() {
        println!(
            "\nlarge corpora not found in {} (set FOLIO_CORPUS_DIR): measured the seed only",
            dir.display()
        );
        return;
    }
    let acl_papers = read_jsonl_gz(&acl);
    if std::env::var_os("FOLIO_BENCH_PROBE").is_some() {
        probe(&acl_papers[..10_000]);
        let first_10k = acl_papers[..10_000].to_vec();
        let mut all = read_jsonl_gz(&paperlists);
        all.extend(acl_papers);
        // A dump at 100k only, one query at 152k only.
        let sizes: Vec<&[Paper]> = if std::env::var_os("FOLIO_BENCH_DUMP").is_some() {
            vec![&all[..100_000]]
        } else if std::env::var_os("FOLIO_BENCH_QUERY").is_some() {
            vec![&all]
        } else {
            vec![&first_10k, &all[..100_000], &all]
        };
        for papers in sizes {
            probe_queries(papers, &options);
        }
        return;
    }
    measure("acl-anthology, first 10k", &acl_papers[..10_000.min(acl_papers.len())], &options);
    let mut all = read_jsonl_gz(&paperlists);
    all.extend(acl_papers);
    measure("paperlists-87k + acl-anthology-64k, first 100k", &all[..100_000.min(all.len())], &options);
    measure("paperlists-87k + acl-anthology-64k", &all, &options);
}

fn probe(papers: &[Paper]) {
    let (t, c) = (Instant::now(), cpu_ms());
    let mut n = 0usize;
    for p in papers {
        folio::engine::analyze::for_each_part(&p.title, |_, _, _| n += 1);
        folio::engine::analyze::for_each_part(&p.abstract_text, |_, _, _| n += 1);
    }
    println!("tokenize: {n} tokens {:.0} ms ({:.0} CPU)", t.elapsed().as_secs_f64() * 1e3, cpu_ms() - c);
    let (t, c) = (Instant::now(), cpu_ms());
    let mut map: rustc_hash::FxHashMap<String, u32> = Default::default();
    for p in papers {
        for text in [&p.title, &p.abstract_text] {
            folio::engine::analyze::for_each_part(text, |term, _, _| {
                let len = map.len() as u32;
                if !map.contains_key(term) {
                    map.insert(term.to_owned(), len);
                }
            });
        }
    }
    println!(
        "tokenize+hash: {} terms {:.0} ms ({:.0} CPU)",
        map.len(),
        t.elapsed().as_secs_f64() * 1e3,
        cpu_ms() - c
    );
    let (t, c) = (Instant::now(), cpu_ms());
    let index = SearchIndex::build(papers, |_| Vec::new());
    println!("build: {:.0} ms ({:.0} CPU)", t.elapsed().as_secs_f64() * 1e3, cpu_ms() - c);
    std::hint::black_box(index);
}

/// Per query at 100k, the median of 7 runs of each phase of a keystroke (ms):
/// matching with every match scored (`matches`), the words to highlight,
/// the explorer's search (`run_ranked`: a one-word query's matches
/// unscored), its top 20 (a one-word query's scored by blocks) and the
/// snippets of the 10 shown rows.
fn probe_queries(papers: &[Paper], options: &SearchOptions<'_>) {
    use folio::engine::search::{matched_words, matches};
    let index = SearchIndex::from_papers(papers);
    prepare(&index);
    index.shapes();
    // FOLIO_BENCH_DUMP=FILE: write every result of the query set and of
    // some more queries, to compare two versions of the engine (`diff`).
    if let Some(path) = std::env::var_os("FOLIO_BENCH_DUMP") {
        use std::fmt::Write;
        const MORE: &[&str] = &[
            "\"language models",
            "\"large language model",
            "title:\"machine translation\"",
            "abstract:\"neural network\" ",
            "\"the the\"",
            "\"of the\"",
            "\"in the\" robot ",
            "-\"language models\" translation ",
            "\"state of the art\"",
            "\"question answering\" OR summarization ",
            "graph \"neural network\"",
            "machine translation",
            "\"reinforcement learning\" from human feedback ",
            "GPT-3.5",
            "llama-2-7b",
            "\"a\"",
            "speculative decoding ",
            "neural machine trans",
            "the",
        ];
        let mut out = String::new();
        let all = QUERIES.iter().flat_map(|(_, queries)| queries.iter()).chain(MORE.iter());
        for q in all {
            // FOLIO_BENCH_RANKED: the same lines from the explorer's search
            // (`run_ranked`: a one-word query's hits scored when asked for,
            // its top rows by blocks), which should write the same file.
            let (results, ranker) = match std::env::var_os("FOLIO_BENCH_RANKED") {
                Some(_) => run_ranked(&index, q, options),
                None => (run(&index, q, options), None),
            };
            let (hits, top) = match &ranker {
                Some(ranker) => (ranker.all(&index), ranker.best(&index, ranker.docs(), 20)),
                None => (results.hits.clone(), results.top(20)),
            };
            let mut words: Vec<&String> = results.words.iter().collect();
            words.sort();
            let _ = writeln!(
                out,
                "## {q:?}: {} hits, words {words:?}, suggestion {:?}",
                hits.len(),
                results.suggestion
            );
            for hit in &hits {
                let _ = writeln!(out, "{} {:08x}", hit.doc, hit.score.to_bits());
            }
            for hit in top.iter().take(10) {
                let paper = &papers[hit.doc as usize];
                let _ = writeln!(out, "top {} {:?}", hit.doc, results.highlights(paper));
                let _ = writeln!(out, "snippet {:?}", results.snippet(paper, 40));
            }
        }
        std::fs::write(path, out).expect("writable dump");
        return;
    }
    // FOLIO_BENCH_QUERY: repeat one query (for a profiler) instead.
    if let Some(q) = std::env::var_os("FOLIO_BENCH_QUERY") {
        let q = q.to_string_lossy();
        for _ in 0..3000 {
            let (results, top, _) = keystroke(&index, &q, options, 20);
            for hit in top.iter().take(10) {
                std::hint::black_box(results.snippet(&papers[hit.doc as usize], 40));
            }
        }
        return;
    }
    println!(
        "\n{} papers\n{:<28} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        papers.len(),
        "query",
        "matches",
        "words",
        "run",
        "top",
        "snippets",
        "hits"
    );
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    for (_, queries) in QUERIES {
        for q in *queries {
            let mut phases: [Vec<f64>; 5] = Default::default();
            let mut hits = 0;
            for _ in 0..7 {
                let query = folio::engine::query::parse(q);
                let t = Instant::now();
                std::hint::black_box(matches(&index, &query, options));
                phases[0].push(t.elapsed().as_secs_f64() * 1e3);
                let t = Instant::now();
                std::hint::black_box(matched_words(&index, &query));
                phases[1].push(t.elapsed().as_secs_f64() * 1e3);
                let t = Instant::now();
                let (results, ranker) = run_ranked(&index, q, options);
                phases[2].push(t.elapsed().as_secs_f64() * 1e3);
                let t = Instant::now();
                let top = match &ranker {
                    Some(ranker) => ranker.best(&index, ranker.docs(), 20),
                    None => results.top(20),
                };
                phases[3].push(t.elapsed().as_secs_f64() * 1e3);
                let t = Instant::now();
                for hit in top.iter().take(10) {
                    std::hint::black_box(results.snippet(&papers[hit.doc as usize], 40));
                }
                phases[4].push(t.elapsed().as_secs_f64() * 1e3);
                hits = ranker.as_ref().map_or(results.hits.len(), |r| r.count());
            }
            let [a, b, c, d, e] = phases.map(median);
            println!("{:<28} {a:>8.2} {b:>8.2} {c:>8.2} {d:>8.2} {e:>8.2} {hits:>8}", format!("{q:?}"));
        }
    }
}
