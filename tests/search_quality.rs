//! What real queries need (docs/search-quality.md), on a fixture written for
//! it: the word as typed ranks above its other forms, a typo ranks the
//! papers of the word meant, a query whose words no paper has all of shows
//! the papers with most of them (and says so), and phrases stay literal.

use folio::engine::bundle::Paper;
use folio::engine::index::SearchIndex;
use folio::engine::query::parse;
use folio::engine::search::{explain, run, SearchOptions, SearchResults};

/// (title, abstract, year)
const PAPERS: &[(&str, &str, i32)] = &[
    /* 0 */ ("Transformations of graphs", "We transform graphs by transformations.", 2020),
    /* 1 */ ("A graph transformer", "A transformer for molecules.", 2021),
    /* 2 */ ("Transformations, transformations", "Transforming transformations transformed.", 2022),
    /* 3 */ ("Speech with a transformer", "Speech recognition.", 2023),
    /* 4 */ ("Jailbreak attacks on chat models", "A jailbreak makes chat models unsafe.", 2023),
    /* 5 */ ("Safety tuning of open models", "Tuning open models for safety.", 2024),
    /* 6 */ ("Chat models and safety", "Open chat models refuse less.", 2024),
    /* 7 */ ("A sparse mixture of experts", "Experts routed by a mixture.", 2023),
    /* 8 */ ("Experts mixture of", "Of experts, a mixture.", 2022),
    /* 9 */ ("Jailbreaking detectors", "Detecting jailbreaks and jailbreak prompts.", 2024),
];

fn index() -> SearchIndex {
    let papers: Vec<Paper> = PAPERS
        .iter()
        .enumerate()
        .map(|(i, (title, abstract_text, year))| {
            serde_json::from_value(serde_json::json!({
                "id": format!("q{i}"), "title": title, "abstract": abstract_text, "year": year,
                "source": {"file": "quality", "line": i + 1},
            }))
            .expect("a fixture paper")
        })
        .collect();
    SearchIndex::from_papers(&papers)
}

fn results(index: &SearchIndex, query: &str) -> SearchResults {
    run(index, query, &SearchOptions::default())
}

/// The hits of `query`, best first.
fn ranked(index: &SearchIndex, query: &str) -> Vec<u32> {
    results(index, query).top(usize::MAX).iter().map(|h| h.doc).collect()
}

/// The first `first.len()` hits of `query` are `first` (in any order), and
/// `fewer_words` says whether no paper had all the words.
#[track_caller]
fn check(query: &str, first: &[u32], fewer_words: bool) {
    let index = index();
    let got = ranked(&index, query);
    let mut head: Vec<u32> = got.iter().copied().take(first.len()).collect();
    head.sort_unstable();
    assert_eq!(head, first, "best hits of {query:?}: {got:?}");
    assert_eq!(results(&index, query).fewer_words, fewer_words, "fewer words for {query:?}");
}

/// `typo` ranks the same papers first as `meant`, and finds as many.
#[track_caller]
fn check_typo(typo: &str, meant: &str) {
    let index = index();
    let (got, want) = (ranked(&index, typo), ranked(&index, meant));
    assert!(!want.is_empty(), "{meant:?} finds something");
    assert_eq!(got[..want.len().min(got.len())], want[..], "{typo:?} against {meant:?}");
}

#[test]
fn the_word_as_typed_ranks_above_papers_with_only_other_forms_of_it() {
    // 0 and 2 say "transformations" (more often, in the title): still after.
    check("transformer ", &[1, 3], false);
    check("graph transformer ", &[1], false);
    check("transformations ", &[0, 2], false);
    check("jailbreak ", &[4, 9], false);
    // While typing, a completion is the word as typed.
    check("transfor", &[0, 1, 2, 3], false);
}

#[test]
fn a_typo_ranks_the_papers_of_the_word_meant() {
    check_typo("transfromer ", "transformer ");
    check_typo("transformr ", "transformer ");
    check_typo("jailbrek ", "jailbreak ");
    // Two edits on a word of 7 letters that no paper uses.
    check_typo("jalbrek ", "jailbreak ");
    check_typo("transfomrer ", "transformer ");
}

#[test]
fn when_no_paper_has_every_word_the_papers_with_most_of_them_come_first_and_are_flagged() {
    // 5 has safety, tuning, of, open and models; 6 safety, open, chat, models.
    check("safety fine-tuning of open chat models ", &[5, 6], true);
    check("open chat models safety ", &[6], false);
    check("speech jailbreak ", &[3, 4, 9], true);
    // Exclusions and filters stay: year:2023 keeps 3 and 4, -speech drops 3.
    check("year:2023 speech jailbreak -attacks ", &[3], true);
    check("year:2020 speech jailbreak ", &[], false);
    // One word is all there is to find: nothing.
    check("zebra ", &[], false);
}

#[test]
fn phrases_stay_literal_when_other_words_are_dropped() {
    check("\"mixture of experts\" ", &[7], false);
    check("\"mixture of experts\" zebra ", &[7], true);
    let index = index();
    let hits = ranked(&index, "\"mixture of experts\" zebra ");
    assert_eq!(hits, [7], "8 has the words, not the phrase");
}

#[test]
fn an_explanation_of_a_paper_with_most_words_adds_up_to_its_score() {
    let index = index();
    let options = SearchOptions::default();
    for query in ["safety fine-tuning of open chat models ", "speech jailbreak ", "transformer ", "jalbrek "]
    {
        let results = results(&index, query);
        for hit in &results.hits {
            let lines = results.explain(&index, hit.doc, &options);
            let total: f32 = lines.iter().map(|l| l.score).sum();
            assert!((total - hit.score).abs() < 1e-4, "{query:?} doc {}: {total} vs {}", hit.doc, hit.score);
            let alone = explain(&index, &parse(query), hit.doc, &options);
            assert_eq!(lines, alone, "{query:?} doc {}", hit.doc);
        }
    }
}
