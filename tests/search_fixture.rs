//! Search on the hand-written fixture corpus (tests/fixtures/search/hay.rs),
//! enriched with the built-in entity dictionaries as the compiler does:
//! ranking, prefixes, typos, stems, phrases, negation, OR, qualifiers,
//! identifiers, entity aliases, folding, highlights, snippets, suggestions
//! and explanations. Expected answers are read off the fixture texts.

#[path = "fixtures/search/hay.rs"]
mod hay;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use folio::engine::bundle::Paper;
use folio::engine::catalog::Catalog;
use folio::engine::enrich::{enrich, Dictionaries};
use folio::engine::index::SearchIndex;
use folio::engine::search::{best_first, run, CatalogResolver, MatchKind, SearchOptions, SearchResults};
use hay::doc;

struct Fixture {
    papers: Vec<Paper>,
    catalog: Catalog,
    index: SearchIndex,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut papers = hay::papers();
        let corpus = enrich(&mut papers, &Dictionaries::builtin());
        let index = SearchIndex::from_papers(&papers);
        Fixture { papers, catalog: corpus.catalog, index }
    })
}

fn results(query: &str) -> SearchResults {
    let f = fixture();
    let resolver = CatalogResolver(&f.catalog);
    run(&f.index, query, &SearchOptions { entities: &resolver, ..Default::default() })
}

/// Fixture ids of the hits, best first.
fn ranked(query: &str) -> Vec<&'static str> {
    let results = results(query);
    results.top(usize::MAX).iter().map(|h| hay::HAY[h.doc as usize].0).collect()
}

#[track_caller]
fn check(query: &str, expected: &[&str]) {
    let got: BTreeSet<&str> = ranked(query).into_iter().collect();
    let want: BTreeSet<&str> = expected.iter().copied().collect();
    assert_eq!(got, want, "hits of {query:?}");
}

#[track_caller]
fn check_first(query: &str, expected: &str) {
    let got = ranked(query);
    assert_eq!(got.first().copied(), Some(expected), "top hit of {query:?}: {got:?}");
}

#[track_caller]
fn check_above(query: &str, better: &str, worse: &str) {
    let got = ranked(query);
    let at = |id: &str| got.iter().position(|g| *g == id).unwrap_or_else(|| panic!("{query:?} misses {id}: {got:?}"));
    assert!(at(better) < at(worse), "{query:?}: {better} should rank above {worse}: {got:?}");
}

#[test]
fn title_matches_rank_above_abstract_matches() {
    check("chat ", &["jailbreak", "mtbench", "lora"]);
    check_above("chat ", "mtbench", "lora");
    check_above("chat ", "jailbreak", "lora");
    check_first("speculative ", "specdec");
    check_first("retrieval ", "rag");
    check_first("experts ", "mixtral");
}

#[test]
fn all_words_are_required() {
    check("chat tree ", &["jailbreak"]);
    check("chat benchmark ", &["mtbench"]);
}

#[test]
fn the_last_word_matches_as_a_prefix_while_typing() {
    check("specul", &["specdec"]);
    check("jailbr", &["jailbreak"]);
    check("speculative deco", &["specdec"]);
    check("jailbr ", &[]);
    check("retriev", &["rag"]);
}

#[test]
fn typos_within_the_allowed_distance_are_forgiven() {
    check("jailbrek ", &["jailbreak"]);
    check("speculatve ", &["specdec"]);
    check("mxtral ", &["mixtral"]);
    check("retreival ", &["rag"]);
    // Two edits on a 5-letter word, and any edit on a 3-letter word, are too many.
    check("mxtrl ", &[]);
    check("rga ", &[]);
}

#[test]
fn inflections_match_through_the_stem() {
    check("jailbreaks ", &["jailbreak"]);
    // "adapts", "adapt" and "adaptation" share the stem "adapt".
    check("adapts ", &["specdec", "lora"]);
    check("survey ", &["rag"]);
    check("surveys ", &["rag"]);
}

#[test]
fn exact_forms_rank_above_stems_above_typos() {
    let papers: Vec<Paper> = ["fast decoding", "fast decoded", "fast decodng"]
        .iter()
        .map(|t| {
            serde_json::from_value(serde_json::json!({
                "id": t, "title": t, "abstract": "", "source": {"file": "t", "line": 1}
            }))
            .unwrap()
        })
        .collect();
    let index = SearchIndex::from_papers(&papers);
    let results = run(&index, "decoding ", &SearchOptions::default());
    let order: Vec<u32> = results.top(3).iter().map(|h| h.doc).collect();
    assert_eq!(order, [0, 1, 2]);
}

#[test]
fn phrases_require_adjacent_words_in_order() {
    check("\"mixture of experts\"", &["mixtral"]);
    check("\"experts of mixture\"", &[]);
    check("\"grade school math\"", &["gsm"]);
    check("\"tree search\"", &["jailbreak"]);
    check("\"search tree\"", &[]);
    // An unclosed quote is a phrase to the end of the query.
    check("\"speculative decoding", &["specdec"]);
}

#[test]
fn negation_excludes_words_and_phrases() {
    check("chat -lora ", &["jailbreak", "mtbench"]);
    check("chat -\"tree search\" ", &["mtbench", "lora"]);
    check("-chat safety ", &[]);
    check("safety -jailbreak ", &["lora"]);
}

#[test]
fn or_makes_either_side_enough() {
    check("mixtral OR rag ", &["mixtral", "rag"]);
    check("lora OR dpo ", &["lora"]);
    check("chat lora OR tree ", &["jailbreak", "lora"]);
    // A stray OR is a word.
    check("OR ", &[]);
}

#[test]
fn field_qualifiers_restrict_the_match() {
    check("title:chat ", &["jailbreak", "mtbench"]);
    check("abstract:jailbreak ", &["jailbreak"]);
    check("author:smith ", &["translation"]);
    check("author:smith", &["translation", "tuning"]);
    check("author:nunez ", &["cafe"]);
    check("year:2024 ", &["specdec", "mixtral", "gsm", "rag"]);
    check("year:2020..2021 ", &["translation", "cafe"]);
    check("year:..2020 ", &["translation"]);
    check("year:2023 chat ", &["jailbreak", "mtbench", "lora"]);
    // An unknown qualifier stays searchable text; a bad year is a word.
    check("year:soon ", &[]);
}

#[test]
fn identifiers_are_found_whole_and_by_parts_in_any_joiner_spelling() {
    check("GPT-3.5 ", &["mixtral"]);
    check("gpt3.5 ", &["mixtral"]);
    check("8x7B ", &["mixtral"]);
    check("SpecDec++ ", &["specdec"]);
    check("MT-Bench ", &["mtbench"]);
    check("gpt-4 ", &["jailbreak"]);
    check("70B ", &["jailbreak", "mixtral", "mtbench"]);
    // "Llama2", "Llama 2", "Llama 2-Chat" and "LLaMA-2-70B-Chat" all name Llama 2.
    check("llama2 ", &["tuning", "mixtral", "mtbench", "jailbreak"]);
    check("Llama-2 ", &["tuning", "mixtral", "mtbench", "jailbreak"]);
}

#[test]
fn a_model_in_any_spelling_finds_every_spelling() {
    // LLaMA-2-70B-Chat (jailbreak) and Llama 2-Chat 70B (mtbench) are the
    // chat model; "Llama 2 70B" (mixtral) is the base model.
    for query in ["llama2-chat-70b ", "Llama-2-70B-Chat ", "model:llama-2-chat-70b ", "llama2 chat 70b "] {
        check(query, &["jailbreak", "mtbench"]);
    }
    check("mtbench ", &["mtbench"]);
    check("benchmark:gsm8k ", &["gsm"]);
    check("model:gpt-4 ", &["jailbreak"]);
    check("benchmark:mt-bench ", &["mtbench"]);
}

#[test]
fn case_and_diacritics_are_folded() {
    check("cafe naive ", &["cafe"]);
    check("CAFÉ ", &["cafe"]);
    check("naïve ", &["cafe"]);
}

#[test]
fn bad_syntax_degrades_to_plain_words() {
    assert_eq!(ranked("title: chat "), ranked("title chat "));
    check("- -- : \"", &[]);
    check("((mixtral ", &["mixtral"]);
    check("re:think ", &[]);
}

/// The texts of `spans` in `text`.
fn marked<'t>(text: &'t str, spans: &[folio::engine::highlight::Span]) -> Vec<&'t str> {
    spans.iter().map(|s| &text[s.start..s.end]).collect()
}

#[test]
fn highlights_mark_matched_words_and_identifiers_as_one() {
    let f = fixture();
    let specdec = &f.papers[doc("specdec") as usize];
    let h = results("speculative deco").highlights(specdec);
    assert_eq!(marked(&specdec.title, &h.title), ["Speculative", "Decoding"]);
    assert_eq!(marked(&specdec.abstract_text, &h.abstract_spans), ["Speculative", "decoding"]);
    let mixtral = &f.papers[doc("mixtral") as usize];
    let h = results("GPT-3.5 ").highlights(mixtral);
    assert_eq!(marked(&mixtral.abstract_text, &h.abstract_spans), ["GPT-3.5"]);
}

#[test]
fn highlights_mark_an_entity_in_the_spelling_of_the_paper() {
    let f = fixture();
    let mtbench = &f.papers[doc("mtbench") as usize];
    let h = results("llama2-chat-70b ").highlights(mtbench);
    assert!(
        marked(&mtbench.abstract_text, &h.abstract_spans).contains(&"Llama 2-Chat 70B"),
        "{:?}",
        marked(&mtbench.abstract_text, &h.abstract_spans)
    );
}

#[test]
fn snippets_center_on_the_matches_as_text_segments() {
    let f = fixture();
    let rag = &f.papers[doc("rag") as usize];
    let snippet = results("cheaper ").snippet(rag, 12);
    assert_eq!(snippet.first().map(|s| s.text.as_str()), Some("…"));
    assert!(snippet.iter().any(|s| s.highlighted && s.text == "cheaper"), "{snippet:?}");
    let text: String = snippet.iter().map(|s| s.text.as_str()).collect();
    assert!(rag.abstract_text.contains(text.trim_matches('…')), "{text:?}");
}

#[test]
fn zero_results_suggest_words_from_the_vocabulary() {
    assert_eq!(results("xmixtral ").suggestion.as_deref(), Some("mixtral"));
    assert_eq!(results("speculative xdecoding").suggestion.as_deref(), Some("speculative decoding"));
    assert_eq!(results("mixtral ").suggestion, None);
    assert_eq!(results("qqqqqqq ").suggestion, None);
}

#[test]
fn explain_splits_the_score_by_field_and_term() {
    let f = fixture();
    let results = results("mixtral ");
    let top = results.top(1)[0];
    assert_eq!(top.doc, doc("mixtral"));
    let resolver = CatalogResolver(&f.catalog);
    let lines = results.explain(&f.index, top.doc, &SearchOptions { entities: &resolver, ..Default::default() });
    assert_eq!((lines[0].term.as_str(), lines[0].field, lines[0].kind), ("mixtral", "title", MatchKind::Exact));
    assert!(lines.iter().any(|l| l.field == "abstract" && l.term == "mixtral"));
    let total: f32 = lines.iter().filter(|l| l.field != "entity").map(|l| l.score).sum();
    assert!(total > 0.0 && total <= top.score + 1e-4, "{total} vs {}", top.score);
}

#[test]
fn every_match_is_returned_in_paper_order_and_top_ranks_them() {
    let results = results("model ");
    let docs: Vec<u32> = results.hits.iter().map(|h| h.doc).collect();
    assert!(docs.windows(2).all(|w| w[0] < w[1]), "{docs:?}");
    let top = results.top(3);
    assert_eq!(top.len(), 3);
    assert!(top.windows(2).all(|w| best_first(&w[0], &w[1]).is_lt()));
    let best = results.hits.iter().min_by(|a, b| best_first(a, b));
    assert_eq!(top.first(), best);
    assert_eq!(results.doc_set(hay::HAY.len()).count_ones(..), results.hits.len());
}
