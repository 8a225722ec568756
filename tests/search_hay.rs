//! Search behaviour on the hand-written SHELF corpus (tests/fixtures/search/shelf.rs):
//! one table-shaped case per line, each checked against what the papers say.
//! Doc numbers are positions in SHELF; read the fixture's comments alongside.

#[path = "fixtures/search/shelf.rs"]
mod hay;

#[path = "fixtures/search/fake_resolver.rs"]
mod fake_resolver;
use fake_resolver::FakeResolver;
use std::collections::BTreeSet;

use expect_test::{expect, Expect};
use folio::engine::bundle::Paper;
use folio::engine::highlight::{highlight, snippet};
use folio::engine::index::{Extra, SearchIndex};
use folio::engine::query::parse;
use folio::engine::search::{explain, matched_words, search, suggest, SearchOptions};

fn index(papers: &[Paper]) -> SearchIndex {
    SearchIndex::build(papers, |_| Vec::new())
}

fn docs(query: &str, options: &SearchOptions<'_>) -> Vec<u32> {
    let papers = hay::papers();
    search(&index(&papers), &parse(query), options).iter().map(|h| h.doc).collect()
}

/// The hits of `query`, best first, must be exactly `expected`.
#[track_caller]
fn check(query: &str, expected: &[u32]) {
    assert_eq!(docs(query, &SearchOptions::default()), expected, "ranked hits of {query:?}");
}

/// The hits of `query`, in any order, must be exactly `expected`.
#[track_caller]
fn check_set(query: &str, expected: &[u32]) {
    let got: BTreeSet<u32> = docs(query, &SearchOptions::default()).into_iter().collect();
    assert_eq!(got, expected.iter().copied().collect(), "hits of {query:?}");
}

#[test]
fn title_matches_rank_above_abstract_matches() {
    check("translation ", &[10, 11]);
    check("experts ", &[3]);
}

#[test]
fn every_word_is_required() {
    check_set("language model ", &[3, 4, 6, 7, 8]);
}

#[test]
fn the_last_word_is_a_prefix_only_while_typing() {
    check("jailbr", &[0]);
    check("jailbr ", &[]);
    check("speculative deco", &[1, 2]);
    check("mixt", &[3]);
}

#[test]
fn typos_find_the_intended_word_and_rank_below_exact_matches() {
    check("jailbrek ", &[0]);
    check("mixtrl ", &[3]);
    check("speculatve ", &[1, 2]);
    // "mixtral" is exact in 3 and one edit from "Mistral" in 4.
    check("mixtral ", &[3, 4]);
    // Two edits on a five-letter word, one on a three-letter word: too many.
    check("mxtrl ", &[]);
    check("dpp ", &[]);
}

#[test]
fn stems_match_inflections_and_the_exact_form_ranks_first() {
    // 6 says "Tuning", 7 says "Tuned".
    check("tuning ", &[6, 7]);
    check("tuned ", &[7, 6]);
}

#[test]
fn phrases_require_adjacent_words_in_order() {
    check("\"speculative decoding\"", &[1]);
    check("\"decoding speculative\"", &[]);
    check("\"mixture of experts\"", &[3]);
    check("\"low-rank adaptation\"", &[8]);
}

#[test]
fn excluded_words_remove_papers() {
    // 10 says "decoder" (same stem as "decoding") and nothing speculative.
    check("decoding -speculative ", &[10]);
    check_set("language -mixtral ", &[4, 6, 7, 8]);
    // 3 and 4 say "language model" (singular): the phrase is exact.
    check_set("models -\"language models\" ", &[1, 3, 4]);
    // Only exclusions: every other paper.
    check_set("-mixtral ", &[0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11]);
}

#[test]
fn or_makes_either_side_enough() {
    check_set("lora OR dpo ", &[6, 8]);
    check_set("lora OR dpo OR 8x7b ", &[3, 6, 8]);
}

#[test]
fn field_qualifiers_restrict_where_a_word_matches() {
    check("title:experts ", &[3]);
    check("title:translation ", &[10]);
    check_set("abstract:translation ", &[10, 11]);
    check("author:hopper ", &[2]);
    check_set("author:jiang ", &[3, 4]);
    check_set("title:\"language models\" ", &[6, 7, 8]);
}

#[test]
fn years_filter_by_a_single_year_or_a_range() {
    check_set("year:2023", &[4, 5, 6, 7]);
    check_set("year:2020..2021", &[8, 9]);
    check_set("year:..2016", &[10]);
    check_set("year:2024.. mixtral ", &[3]);
}

#[test]
fn identifiers_are_searchable_whole_and_by_parts() {
    check("8x7B ", &[3]);
    check("SpecDec++ ", &[1]);
    check("specdec ", &[1]);
    check("GPT-3.5 ", &[0]);
    check("3.5 ", &[0]);
    check("MT-Bench ", &[5]);
    check("bench ", &[5]);
    // 5 spells it "LLaMA 2 70B chat": the same words in the same order.
    check_set("Llama-2-70B-Chat ", &[0, 5]);
}

#[test]
fn case_and_diacritics_are_folded() {
    check("cafe naive ", &[9]);
    check("CAFÉ ", &[9]);
    check("author:angstrom ", &[9]);
}

#[test]
fn bad_syntax_degrades_to_plain_words() {
    check("\"speculative decoding", &[1]);
    check(") ( : - ", &[]);
    check("year:soon ", &[]);
}

#[track_caller]
fn check_entities(query: &str, expected: &[u32]) {
    let papers = hay::papers();
    // The compiler would extract the model from 0 and 5.
    let index = SearchIndex::build(&papers, |doc| {
        if doc == 0 || doc == 5 {
            vec![Extra { kind: "model".into(), value: "Llama-2-70B-Chat".into() }]
        } else {
            Vec::new()
        }
    });
    let options = SearchOptions { entities: &FakeResolver, ..Default::default() };
    let got: BTreeSet<u32> = search(&index, &parse(query), &options).iter().map(|h| h.doc).collect();
    assert_eq!(got, expected.iter().copied().collect(), "hits of {query:?}");
}

#[test]
fn a_model_in_any_spelling_finds_every_paper_naming_it() {
    check_entities("llama2-chat-70b ", &[0, 5]);
    check_entities("model:llama2-chat-70b", &[0, 5]);
    check_entities("model:\"LLaMA 2 70B chat\"", &[0, 5]);
    check_entities("model:gpt-9", &[]);
    // Without the resolver no paper says "llama2".
    check("llama2-chat-70b ", &[]);
}

#[test]
fn tags_match_the_papers_the_caller_says_carry_them() {
    let tagged = |tag: &str| if tag == "later" { vec![2, 9] } else { Vec::new() };
    let options = SearchOptions { tagged: &tagged, ..Default::default() };
    assert_eq!(docs("tag:later", &options), [2, 9]);
    assert_eq!(docs("tag:later decoding ", &options), [2]);
    assert_eq!(docs("tag:never", &options), Vec::<u32>::new());
}

/// The highlighted title and abstract words of `doc` for `query`.
#[track_caller]
fn check_marks(query: &str, doc: usize, title: &[&str], abstract_text: &[&str]) {
    let papers = hay::papers();
    let words = matched_words(&index(&papers), &parse(query));
    let paper = &papers[doc];
    let h = highlight(&paper.title, &paper.abstract_text, &words);
    let marked = |text: &str, spans: &[folio::engine::highlight::Span]| -> Vec<String> {
        spans.iter().map(|s| text[s.start..s.end].to_owned()).collect()
    };
    assert_eq!(marked(&paper.title, &h.title), title, "title marks of {query:?}");
    assert_eq!(marked(&paper.abstract_text, &h.abstract_spans), abstract_text, "abstract marks of {query:?}");
}

#[test]
fn highlights_mark_the_matched_words_by_byte_range() {
    check_marks("speculative deco", 1, &["Speculative", "Decoding"], &["speculative", "decoding"]);
    check_marks("jailbr", 0, &["Jailbreaking"], &["jailbroken", "jailbreak"]);
    check_marks("GPT-3.5 ", 0, &[], &["GPT-3.5"]);
    check_marks("cafe naive ", 9, &["Café", "Naïve"], &["naïve", "café", "cafe", "naive"]);
    check_marks("-mixtral experts ", 3, &["Experts"], &["experts", "experts"]);
}

#[track_caller]
fn check_snippet(query: &str, doc: usize, words: usize, expected: Expect) {
    let papers = hay::papers();
    let marks = matched_words(&index(&papers), &parse(query));
    let paper = &papers[doc];
    let h = highlight(&paper.title, &paper.abstract_text, &marks);
    let rendered: String = snippet(&paper.abstract_text, &h.abstract_spans, words)
        .iter()
        .map(|s| if s.highlighted { format!("[{}]", s.text) } else { s.text.clone() })
        .collect();
    expected.assert_eq(&rendered);
}

#[test]
fn snippets_are_the_best_window_around_the_matches() {
    check_snippet("translation ", 11, 8, expect!["…new state of the art in machine [translation]."]);
    check_snippet("experts ", 3, 6, expect!["…is a sparse mixture of [experts]…"]);
    check_snippet("mixtral ", 3, 40, expect!["[Mixtral] 8x7B is a sparse mixture of experts language model that routes each token to two experts."]);
}

#[test]
fn zero_results_suggest_words_from_the_vocabulary() {
    let papers = hay::papers();
    let index = index(&papers);
    check("xpeculative qmixtral ", &[]);
    assert_eq!(suggest(&index, "xpeculative qmixtral"), Some("speculative mixtral".to_owned()));
    assert_eq!(suggest(&index, "mixtral"), None);
    assert_eq!(suggest(&index, "zzzzzzzz"), None);
}

#[test]
fn explain_breaks_the_score_down_by_field_and_term() {
    let papers = hay::papers();
    let index = index(&papers);
    let query = parse("mixtral experts ");
    let options = SearchOptions::default();
    let hits = search(&index, &query, &options);
    assert_eq!(hits[0].doc, 3);
    let lines = explain(&index, &query, 3, &options);
    let rendered: Vec<String> =
        lines.iter().map(|c| format!("{} {} {:?} {} tf={}", c.query, c.term, c.kind, c.field, c.tf)).collect();
    expect![[r#"
        [
            "mixtral mixtral Exact title tf=1",
            "experts experts Exact title tf=1",
            "experts experts Exact abstract tf=2",
            "mixtral mixtral Exact abstract tf=1",
        ]
    "#]]
    .assert_debug_eq(&rendered);
    assert!(lines.iter().all(|c| c.score > 0.0));
}
