//! Several clauses on the seed corpus: a paper matches when it matches every
//! positive clause and no negated one, and scores the sum of its clause
//! scores, however the engine narrows the work for later clauses; `run`
//! returns what `matches` and `matched_words` return on their own.

use std::collections::BTreeMap;

use folio::engine::bundle::Bundle;
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::index::SearchIndex;
use folio::engine::query::{parse, Query};
use folio::engine::search::{matched_words, matches, run, SearchOptions};

fn seed() -> (Bundle, SearchIndex) {
    let seed = include_bytes!("../corpus/000_aec88eee982df8fa.txt");
    let bundle = compile(&[Input { name: "seed.txt", bytes: seed }], &CompileOptions::default())
        .bundle
        .expect("the seed compiles");
    let index = SearchIndex::build(&bundle.papers, |_| Vec::new());
    (bundle, index)
}

fn scores(index: &SearchIndex, query: &Query) -> BTreeMap<u32, f32> {
    matches(index, query, &SearchOptions::default()).iter().map(|h| (h.doc, h.score)).collect()
}

/// `query` (words only, no entity names) against its clauses one by one.
#[track_caller]
fn check(index: &SearchIndex, text: &str) {
    let query = parse(text);
    let mut expected: Option<BTreeMap<u32, f32>> = None;
    for clause in &query.clauses {
        // A negated clause alone matches every paper it does not exclude.
        let alone = scores(index, &Query { clauses: vec![clause.clone()] });
        expected = Some(match (expected, clause.negated) {
            (None, _) => alone,
            (Some(sum), false) => {
                sum.into_iter().filter_map(|(d, s)| alone.get(&d).map(|a| (d, s + a))).collect()
            }
            (Some(sum), true) => sum.into_iter().filter(|(d, _)| alone.contains_key(d)).collect(),
        });
    }
    let got = scores(index, &query);
    assert_eq!(got, expected.unwrap_or_default(), "hits and scores of {text:?}");
}

#[test]
fn later_clauses_score_exactly_as_alone_on_the_papers_still_matching() {
    let (_, index) = seed();
    for text in [
        "language models ",
        "language mod",
        "model t",
        "speculative deco",
        "\"language models\" reasoning ",
        "reasoning \"language models\" ",
        "languge modls ",
        "model -reasoning ",
        "model -\"language models\" ",
        "large OR small model ",
        "title:language models ",
        "a",
        "the of and ",
    ] {
        check(&index, text);
    }
}

#[test]
fn run_returns_what_matches_and_matched_words_return_alone() {
    let (_, index) = seed();
    for text in ["transl", "languge modles ", "model t", "\"language models\" reas", "gpt-3", "m"] {
        let results = run(&index, text, &SearchOptions::default());
        let query = parse(text);
        assert_eq!(results.hits, matches(&index, &query, &SearchOptions::default()), "{text:?}");
        assert_eq!(results.words, matched_words(&index, &query), "{text:?}");
    }
}

#[test]
fn the_best_rows_are_the_first_of_the_full_ranking() {
    let (_, index) = seed();
    for text in ["model ", "m", "language models ", "the ", "a"] {
        let results = run(&index, text, &SearchOptions::default());
        let ranked = folio::engine::search::rank(results.hits.clone());
        for n in [0, 1, 3, 10, 20, ranked.len(), ranked.len() + 5] {
            let expected = &ranked[..n.min(ranked.len())];
            assert_eq!(results.top(n), expected, "top {n} of {text:?}");
            assert_eq!(folio::engine::search::top(results.hits.clone(), n), expected, "top {n} of {text:?}");
        }
    }
}
