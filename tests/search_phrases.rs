//! Phrase matching: the words adjacent and in order within one field (title
//! or abstract), on a small fixture written for it (repeated words, the
//! title/abstract boundary, authors, a prefix last word, field qualifiers,
//! exclusion) and on the seed corpus against a plain scan of its text.

use std::collections::BTreeSet;

use folio::engine::analyze::for_each_part;
use folio::engine::bundle::Paper;
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::index::SearchIndex;
use folio::engine::query::parse;
use folio::engine::search::{matches, run, search, SearchOptions};

/// (title, abstract, authors); doc numbers are positions here.
const PAPERS: &[(&str, &str, &[&str])] = &[
    // 0: the whole phrase in the title; "the the" in the abstract.
    ("Large Language Models", "We find the the doubled article in transcripts.", &["Ada Lovelace"]),
    // 1: "large language" in the abstract only; "models ... language" in the title, not in order.
    ("Models of Language", "Large language corpora are collected.", &["Alan Turing"]),
    // 2: "large" ends the title and "language models" starts the abstract: no "large language".
    ("Learning to Rank at Large", "Language models rank documents.", &["Grace Hopper"]),
    // 3: the phrase only as author names.
    ("Compilers", "Parsing and code generation.", &["Large Language", "Models Team"]),
    // 4: a phrase with a stop word, and its words apart in the title.
    ("Experts in a Sparse Mixture", "A mixture of experts routes tokens.", &["Noam Shazeer"]),
    // 5: "the" repeated across a hyphen ("the the-best"), not three times.
    ("The Model", "On the model, the the-best baseline.", &["Ada Lovelace"]),
    // 6, 7: identifiers whose last part a query completes ("GPT-3" + "3.5", "30").
    ("GPT-3.5 Evaluated", "We evaluate GPT-3.5 on tasks.", &["Sam Altman"]),
    ("Scaling GPT-30", "A bigger GPT-30 model.", &["Sam Altman"]),
    // 8: the phrase twice, words repeated around it.
    ("Language Language Models Models", "Language models of language models.", &["Ada Lovelace"]),
];

fn papers() -> Vec<Paper> {
    PAPERS
        .iter()
        .enumerate()
        .map(|(i, (title, abstract_text, authors))| {
            serde_json::from_value(serde_json::json!({
                "id": format!("p{i}"), "title": title, "abstract": abstract_text, "authors": authors,
                "source": {"file": "phrases", "line": i + 1},
            }))
            .expect("a fixture paper")
        })
        .collect()
}

fn hits(index: &SearchIndex, query: &str) -> BTreeSet<u32> {
    matches(index, &parse(query), &SearchOptions::default()).iter().map(|h| h.doc).collect()
}

/// The papers matching `query` in the fixture must be exactly `expected`.
#[track_caller]
fn check(query: &str, expected: &[u32]) {
    let index = SearchIndex::build(&papers(), |_| Vec::new());
    assert_eq!(hits(&index, query), expected.iter().copied().collect(), "hits of {query:?}");
}

#[test]
fn phrases_match_adjacent_words_in_order_within_one_field() {
    check("\"large language models\"", &[0]);
    check("\"large language\"", &[0, 1]);
    check("\"language models\"", &[0, 2, 8]);
    check("\"models language\"", &[]);
    check("\"mixture of experts\"", &[4]);
    check("\"experts mixture\"", &[]);
    check("\"language models of language models\"", &[8]);
    check("\"open phrase", &[]);
}

#[test]
fn a_phrase_never_spans_the_title_abstract_boundary_or_matches_authors() {
    // 2: "...at Large" + "Language models...".
    check("\"at large language\"", &[]);
    check("\"large language\"", &[0, 1]);
    // 3: only its authors say "Large Language", so no paper has both.
    let index = SearchIndex::build(&papers(), |_| Vec::new());
    assert!(run(&index, "\"large language\" compilers ", &SearchOptions::default()).fewer_words);
}

#[test]
fn repeated_words_need_as_many_adjacent_occurrences() {
    check("\"the the\"", &[0, 5]);
    check("\"the the the\"", &[]);
    check("\"language language models models\"", &[8]);
    check("\"models models\"", &[8]);
    check("\"language language language\"", &[]);
}

#[test]
fn field_qualifiers_restrict_a_phrase_to_the_title_or_the_abstract() {
    check("title:\"large language\"", &[0]);
    check("abstract:\"large language\"", &[1]);
    check("abstract:\"language models\"", &[2, 8]);
    check("title:\"language models\"", &[0, 8]);
}

#[test]
fn an_identifier_typed_so_far_completes_its_last_part() {
    check("gpt-3.5 ", &[6]);
    check("gpt-3", &[6, 7]);
    check("gpt-3 ", &[]);
    check("\"gpt 30\"", &[7]);
}

#[test]
fn excluded_phrases_remove_only_papers_holding_the_phrase() {
    // "language" is also an author name in 3.
    check("-\"large language\" language ", &[2, 3, 8]);
    check("-\"language models\" language ", &[1, 3]);
}

#[test]
fn a_phrase_in_the_title_ranks_above_one_in_the_abstract() {
    let index = SearchIndex::build(&papers(), |_| Vec::new());
    let ranked: Vec<u32> = search(&index, &parse("\"large language\""), &SearchOptions::default())
        .iter()
        .map(|h| h.doc)
        .collect();
    assert_eq!(ranked, [0, 1]);
}

#[test]
fn phrase_words_are_highlighted_wherever_they_occur() {
    let papers = papers();
    let index = SearchIndex::build(&papers, |_| Vec::new());
    let results = run(&index, "\"large language\"", &SearchOptions::default());
    let highlights = results.highlights(&papers[1]);
    let marked: Vec<&str> =
        highlights.abstract_spans.iter().map(|s| &papers[1].abstract_text[s.start..s.end]).collect();
    assert_eq!(marked, ["Large", "language"]);
}

/// Words of a field as the index sees them.
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_part(text, |term, _, _| words.push(term.to_owned()));
    words
}

/// Papers whose title or abstract holds `phrase`, by scanning their words.
fn scanned(papers: &[Paper], phrase: &[String]) -> BTreeSet<u32> {
    let holds = |text: &str| words(text).windows(phrase.len()).any(|w| w == phrase);
    (0..papers.len() as u32)
        .filter(|&d| holds(&papers[d as usize].title) || holds(&papers[d as usize].abstract_text))
        .collect()
}

#[test]
fn seed_phrase_hits_are_the_papers_whose_text_holds_the_phrase() {
    let seed = include_bytes!("../corpus/000_aec88eee982df8fa.txt");
    let bundle = compile(&[Input { name: "seed.txt", bytes: seed }], &CompileOptions::default())
        .bundle
        .expect("the seed compiles");
    let papers = &bundle.papers;
    let index = SearchIndex::build(papers, |_| Vec::new());
    // Every 2- and 3-word window starting at each seed title's first, third
    // and fifth word and at the abstracts' second word, plus phrases that are not there.
    let mut phrases: Vec<Vec<String>> = Vec::new();
    for paper in papers {
        for (text, starts) in [(&paper.title, &[0, 2, 4][..]), (&paper.abstract_text, &[1][..])] {
            let w = words(text);
            for &start in starts {
                for length in [2, 3] {
                    if start + length <= w.len() {
                        phrases.push(w[start..start + length].to_vec());
                    }
                }
            }
        }
    }
    phrases.push(vec!["the".into(), "the".into()]);
    phrases.push(vec!["of".into(), "the".into()]);
    phrases.push(vec!["models".into(), "language".into(), "large".into()]);
    assert!(phrases.len() > 50, "{} phrases", phrases.len());
    let mut found = 0;
    for phrase in &phrases {
        let expected = scanned(papers, phrase);
        found += usize::from(!expected.is_empty());
        let query = format!("\"{}\"", phrase.join(" "));
        assert_eq!(hits(&index, &query), expected, "hits of {query}");
    }
    assert!(found > 50, "most phrases come from the text: {found}");
}
