//! Native benchmark of one interaction's engine work, as the app does it:
//! `Explorer::explore` (search, facet filtering and counts, order), then
//! what the first screen needs (the top values of every facet group, and
//! title highlights and snippets of the first rows). The in-browser
//! benchmark (`scripts/bench-browser.mjs`) measures the same in wasm with
//! the rendering; this one says where the time goes.
//!
//!     cargo bench --bench explore [-- PACK] [--queries] [--per-query]
//!
//! PACK is an app pack (`folio compile CORPUS --pack FILE`); the browser
//! bench leaves its 100k one at /tmp/folio-bench/dist-100000/bundle.pack.
//! Without it the seed is compiled and measured. A sharded pack's head
//! (scripts/bench-shards.mjs leaves one at
//! /tmp/folio-bench/sharded-100000/bundle.pack) is measured warm, as the
//! app answers (`try_explore`): before the timed runs, every interaction
//! is given the shards it asks for (read from the `shards/` folder beside
//! the head as it asks, with no budget, so none is dropped), those its
//! facet counts wait for and its first rows' records. `--queries` also
//! times the documented query set (benches/common/queries.rs, what
//! `pack_bytes` times warm); `--per-query` prints each interaction's
//! fastest run and its number of matches, and each step of the warm-up
//! (the longest step, the longest task the warm-up adds to the page, is
//! printed always).

#[path = "common/queries.rs"]
mod queries;

use std::path::{Path, PathBuf};
use std::time::Instant;

use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::explorer::{Exploration, Explorer, WarmUp};
use folio::engine::facets::FacetIndex;
use folio::engine::tags::UserData;
use folio::engine::view_state::ViewState;

/// The typing sequences of the browser bench (every prefix is a keystroke).
const TYPING: [&str; 3] = ["machine translation", "speculative decoding", "graph neural"];
/// Rows a screen shows at first (PAGE in src/components/result_list.rs).
const ROWS: usize = 12;
/// Values a collapsed facet group shows.
const COLLAPSED: usize = 8;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Times (ms) of the exploration and of the first screen's engine work.
/// A sharded explorer answers as the app's does (`try_explore`), from
/// the shards [`fetch`] gave it.
fn interaction(explorer: &mut Explorer, state: &ViewState, facets: &FacetIndex) -> (f64, f64, Exploration) {
    let user = UserData::default();
    let t = Instant::now();
    let exploration = match explorer.is_sharded() {
        true => explorer
            .try_explore(state, &user, facets)
            .unwrap_or_else(|needed| panic!("{state:?}: warm, yet {} shards are missing", needed.len())),
        false => explorer.explore(state, &user, facets),
    };
    let explore = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    for group in &exploration.facets {
        std::hint::black_box(group.top(COLLAPSED));
    }
    for &doc in exploration.first(ROWS) {
        std::hint::black_box(explorer.highlights(&exploration, doc));
        std::hint::black_box(explorer.snippet(&exploration, doc));
    }
    (explore, t.elapsed().as_secs_f64() * 1e3, exploration)
}

fn report(name: &str, explore: &mut [f64], screen: &mut [f64]) {
    explore.sort_by(f64::total_cmp);
    screen.sort_by(f64::total_cmp);
    let total: Vec<f64> = {
        let mut t: Vec<f64> = explore.iter().zip(screen.iter()).map(|(a, b)| a + b).collect();
        t.sort_by(f64::total_cmp);
        t
    };
    println!(
        "{name:<12} n={:<3} explore p50 {:>7.2} p95 {:>7.2} | first screen p50 {:>6.2} p95 {:>6.2} | sum p95 {:>7.2} ms",
        explore.len(),
        percentile(explore, 0.5),
        percentile(explore, 0.95),
        percentile(screen, 0.5),
        percentile(screen, 0.95),
        percentile(&total, 0.95),
    );
}

/// The explorer of a sharded pack's head, with no shard budget (the
/// shards [`fetch`] gives it stay).
fn sharded_head(path: &str, head: &[u8]) -> Explorer {
    let mut explorer = Explorer::from_head(head).unwrap_or_else(|e| panic!("{path}: {e}"));
    explorer.set_shard_budget(usize::MAX);
    explorer
}

/// Gives a sharded `explorer` what `state` reads, from the `shards/`
/// folder in `dir`: the shards it asks for until it answers, those its
/// facet counts wait for, and its first rows' records. Returns how many
/// shards it read.
fn fetch(explorer: &mut Explorer, dir: &Path, state: &ViewState, facets: &FacetIndex) -> usize {
    let user = UserData::default();
    let mut read = 0;
    for _ in 0..10 {
        let needed = match explorer.try_explore(state, &user, facets) {
            Ok(exploration) => {
                let mut needed = exploration.counts_wait_for().to_vec();
                needed.extend(explorer.missing_records(exploration.first(ROWS)));
                if needed.is_empty() {
                    return read;
                }
                needed
            }
            Err(needed) => needed,
        };
        for id in needed {
            let file = dir.join(explorer.shard_entry(id).expect("listed").path());
            let name = file.display().to_string();
            let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{name}: {e}"));
            let bytes = folio::engine::open::gunzip(&name, bytes).unwrap_or_else(|e| panic!("{e}"));
            explorer.add_shard(id, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            read += 1;
        }
    }
    panic!("{state:?}: no answer after 10 rounds of fetching");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pack_path = args.iter().find(|a| !a.starts_with("--")).cloned();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let t = Instant::now();
    let mut shard_dir: Option<PathBuf> = None;
    let mut explorer = match &pack_path {
        Some(path) => {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let bytes = folio::engine::open::gunzip(path, bytes).unwrap_or_else(|e| panic!("{e}"));
            if bytes.starts_with(folio::engine::pack::HEAD_MAGIC) {
                shard_dir = Some(Path::new(path).parent().unwrap_or(Path::new(".")).to_owned());
                sharded_head(path, &bytes)
            } else {
                Explorer::from_pack(bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
            }
        }
        None => {
            let seed = std::fs::read("corpus/000_aec88eee982df8fa.txt").expect("the seed corpus");
            let bundle = compile(&[Input { name: "seed", bytes: &seed }], &CompileOptions::default())
                .bundle
                .expect("seed compiles");
            Explorer::new(bundle)
        }
    };
    let facets = explorer.user_facets(&UserData::default());
    println!(
        "## {} papers ({}), loaded in {:.0} ms",
        explorer.len(),
        pack_path.as_deref().unwrap_or("the seed, compiled"),
        t.elapsed().as_secs_f64() * 1e3
    );
    // What the app runs when idle after loading (the common terms'
    // summaries that one-word queries read, code paths warmed).
    let t = Instant::now();
    // Step by step, as the app runs it (one task each): the longest step
    // is the longest task the warm-up adds to the page.
    let (mut at, mut steps) = (WarmUp::default(), Vec::new());
    while at != WarmUp::Done {
        let step = Instant::now();
        let next = explorer.warm_up_step(at).0;
        steps.push((at, step.elapsed().as_secs_f64() * 1e3));
        at = next;
    }
    let longest = steps.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap_or((WarmUp::Done, 0.0));
    println!(
        "warm-up (the app's idle work after loading): {:.0} ms in {} steps, the longest {:.1} ms ({:?})",
        t.elapsed().as_secs_f64() * 1e3,
        steps.len(),
        longest.1,
        longest.0
    );
    if std::env::args().any(|a| a == "--per-query") {
        for (at, ms) in &steps {
            println!("      {ms:6.2} ms  warm-up step {at:?}");
        }
    }
    let prefetch = |explorer: &mut Explorer, states: &[ViewState]| {
        let Some(dir) = &shard_dir else { return };
        let t = Instant::now();
        let read: usize = states.iter().map(|state| fetch(explorer, dir, state, &facets)).sum();
        println!(
            "  (sharded: {read} shards read for {} interactions in {:.1} s; {:.1} MB held)",
            states.len(),
            t.elapsed().as_secs_f64(),
            explorer.shard_bytes().0 as f64 / 1e6
        );
    };
    // The first interaction after the warm-up (which derived the facet
    // side tables).
    prefetch(&mut explorer, &[ViewState::default()]);
    let t = Instant::now();
    let first = interaction(&mut explorer, &ViewState::default(), &facets);
    println!("first view (no query): {:.1} ms", t.elapsed().as_secs_f64() * 1e3);

    let typing = keystrokes(TYPING.iter().copied());
    prefetch(&mut explorer, &typing);
    let (mut explore, mut screen) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        for state in &typing {
            let (e, s, _) = interaction(&mut explorer, state, &facets);
            explore.push(e);
            screen.push(s);
        }
    }
    report("keystroke", &mut explore, &mut screen);
    let runs = explore_runs(&mut explorer, &typing, &facets);
    best_of_runs("keystroke", &explore_sums(&runs));
    if flag("--per-query") {
        per_query(&mut explorer, &typing, &runs, &facets);
    }

    if flag("--queries") {
        let set: Vec<ViewState> = queries::QUERIES
            .iter()
            .flat_map(|(_, qs)| qs.iter().map(|q| ViewState { query: (*q).to_owned(), ..Default::default() }))
            .collect();
        prefetch(&mut explorer, &set);
        let runs = explore_runs(&mut explorer, &set, &facets);
        let all: Vec<f64> = runs.iter().flatten().copied().collect();
        spread("query set", "every run", &all);
        best_of_runs("query set", &explore_sums(&runs));
        if flag("--per-query") {
            per_query(&mut explorer, &set, &runs, &facets);
        }
    }

    // The same typing with a filter on (the most common year, or the
    // first group's top value), the query cleared between words as the
    // browser bench does: each word's first keystroke comes after the
    // filters' own view.
    let filter = first
        .2
        .facets
        .iter()
        .find(|g| g.key == "year")
        .or(first.2.facets.first())
        .and_then(|g| g.top(1).into_iter().next().map(|v| (g.key.clone(), v.value)));
    if let Some((key, value)) = filter {
        let mut states = Vec::new();
        for text in TYPING {
            let mut state = ViewState::default();
            state.selection.include(&key, &value);
            states.push(state.clone());
            for end in text.char_indices().map(|(i, c)| i + c.len_utf8()) {
                state.query = text[..end].to_owned();
                states.push(state.clone());
            }
        }
        prefetch(&mut explorer, &states);
        let (mut explore, mut screen, mut firsts) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..3 {
            for state in &states {
                let (e, s, _) = interaction(&mut explorer, state, &facets);
                if state.query.is_empty() {
                    continue;
                }
                explore.push(e);
                screen.push(s);
                if state.query.chars().count() == 1 {
                    firsts.push(e + s);
                }
            }
        }
        report("filtered", &mut explore, &mut screen);
        firsts.sort_by(f64::total_cmp);
        println!(
            "filtered     {key}={value}: a word's first keystroke, explore + first screen p50 {:>7.2} max {:>7.2} ms",
            percentile(&firsts, 0.5),
            firsts.last().copied().unwrap_or(0.0)
        );
    }

    // Toggling the top value of each group on, then off, with no query.
    let tops: Vec<(String, String)> = first
        .2
        .facets
        .iter()
        .filter_map(|g| g.top(1).into_iter().next().map(|v| (g.key.clone(), v.value)))
        .collect();
    let mut states = Vec::new();
    for (key, value) in &tops {
        let mut state = ViewState::default();
        state.selection.include(key, value);
        states.extend([state, ViewState::default()]);
    }
    prefetch(&mut explorer, &states);
    let (mut explore, mut screen) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        for state in &states {
            let (e, s, _) = interaction(&mut explorer, state, &facets);
            explore.push(e);
            screen.push(s);
        }
    }
    report("facet toggle", &mut explore, &mut screen);
}

/// Every keystroke of typing `texts` (each prefix of each).
fn keystrokes<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<ViewState> {
    texts
        .flat_map(|text| {
            text.char_indices()
                .map(|(i, c)| ViewState { query: text[..i + c.len_utf8()].to_owned(), ..Default::default() })
        })
        .collect()
}

/// Each interaction's fastest run (ms) and its number of matches.
fn per_query(explorer: &mut Explorer, states: &[ViewState], runs: &[Vec<f64>], facets: &FacetIndex) {
    for (state, times) in states.iter().zip(runs) {
        let fastest = times.iter().copied().fold(f64::INFINITY, f64::min);
        let (_, _, exploration) = interaction(explorer, state, facets);
        println!("  {:>8.2} ms  {:>9} matches  {:?}", fastest, exploration.len(), state.query);
    }
}

/// Each of `states` run `RUNS` times: per state, the times (ms) of its
/// runs, explore and first screen summed.
fn explore_runs(explorer: &mut Explorer, states: &[ViewState], facets: &FacetIndex) -> Vec<Vec<f64>> {
    const RUNS: usize = 5;
    let mut runs = vec![Vec::new(); states.len()];
    for _ in 0..RUNS {
        for (state, times) in states.iter().zip(&mut runs) {
            let (e, s, _) = interaction(explorer, state, facets);
            times.push(e + s);
        }
    }
    runs
}

/// The fastest run of each keystroke (ms).
fn explore_sums(runs: &[Vec<f64>]) -> Vec<f64> {
    runs.iter().map(|times| times.iter().copied().fold(f64::INFINITY, f64::min)).collect()
}

/// p50/p95 over the keystrokes of each one's fastest run: on a machine
/// shared with other work a run that lost its core for a few ms is not the
/// engine's time, and the fastest of several runs leaves such runs out.
fn best_of_runs(name: &str, fastest: &[f64]) {
    spread(name, "fastest of 5 runs per interaction", fastest);
}

/// p50/p95/max of `times` (ms, explore + first screen), labelled.
fn spread(name: &str, what: &str, times: &[f64]) {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    println!(
        "{name:<12} n={:<3} {what}, explore + first screen: p50 {:>7.2} p95 {:>7.2} max {:>7.2} ms",
        sorted.len(),
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.95),
        sorted.last().copied().unwrap_or(0.0),
    );
}
