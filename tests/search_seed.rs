//! Search on the seed corpus and on a small fixture: ranking, prefixes,
//! typos, stems, phrases, negation, OR, qualifiers, entity aliases (with a
//! stand-in resolver), highlights, snippets, suggestions and explanations.

#[path = "fixtures/search/fake_resolver.rs"]
mod fake_resolver;
use fake_resolver::FakeResolver;
use std::collections::HashSet;

use folio::engine::bundle::{Bundle, Paper};
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::highlight::{highlight, snippet};
use folio::engine::index::{Extra, SearchIndex};
use folio::engine::query::parse;
use folio::engine::search::{explain, matched_words, search, suggest, MatchKind, SearchOptions};

const SEED: &[u8] = include_bytes!("../corpus/000_aec88eee982df8fa.txt");

fn seed() -> Bundle {
    let compiled = compile(&[Input { name: "seed.txt", bytes: SEED }], &CompileOptions::default());
    compiled.bundle.expect("the seed compiles")
}

/// The seed's titles, straight from the file (odd lines after the two header lines).
fn seed_titles() -> Vec<String> {
    let text = std::str::from_utf8(SEED).unwrap();
    text.lines().skip(2).step_by(2).map(|l| l.trim_start_matches("Subscribe").to_owned()).collect()
}

struct Fixture {
    bundle: Bundle,
    index: SearchIndex,
}

impl Fixture {
    fn seed() -> Self {
        let bundle = seed();
        let index = SearchIndex::build(&bundle.papers, |_| Vec::new());
        Self { bundle, index }
    }

    /// Titles of the hits for `query`, best first.
    fn titles(&self, query: &str) -> Vec<String> {
        self.titles_with(query, &SearchOptions::default())
    }

    fn titles_with(&self, query: &str, options: &SearchOptions<'_>) -> Vec<String> {
        search(&self.index, &parse(query), options)
            .iter()
            .map(|h| self.bundle.papers[h.doc as usize].title.clone())
            .collect()
    }
}

fn title_containing(needle: &str) -> String {
    seed_titles()
        .into_iter()
        .find(|t| t.contains(needle))
        .unwrap_or_else(|| panic!("no seed title has {needle:?}"))
}

#[track_caller]
fn check_top(query: &str, expected_first: &str) {
    let titles = Fixture::seed().titles(query);
    assert_eq!(
        titles.first().map(String::as_str),
        Some(title_containing(expected_first).as_str()),
        "top hit of {query:?}: {titles:#?}"
    );
}

#[track_caller]
fn check_all(query: &str, expected: &[&str]) {
    let mut titles = Fixture::seed().titles(query);
    titles.sort();
    let mut want: Vec<String> = expected.iter().map(|e| title_containing(e)).collect();
    want.sort();
    assert_eq!(titles, want, "hits of {query:?}");
}

#[test]
fn title_matches_rank_first() {
    check_top("mixtral", "Mixtral of Experts");
    check_top("orca", "Orca-Math");
    check_top("zephyr", "Zephyr");
    // Both titles say "Speculative Decoding"; the shorter title ranks first.
    let titles = Fixture::seed().titles("speculative decoding ");
    assert_eq!(titles[..2], [title_containing("SpecMemo"), title_containing("SpecDec++")]);
}

#[test]
fn the_last_word_is_a_prefix_while_typing() {
    check_top("jailbr", "Jailbreaking");
    check_top("speculative deco", "SpecMemo");
    assert!(Fixture::seed().titles("jailbr ").is_empty(), "a finished word is not a prefix");
}

#[test]
fn typos_find_the_intended_word() {
    check_top("jailbrek ", "Jailbreaking");
    check_top("mixtrl ", "Mixtral of Experts");
    assert!(Fixture::seed().titles("mxtrl ").is_empty(), "two edits on a 5-letter word are too many");
}

#[test]
fn stems_match_other_inflections() {
    // "jailbreaks" appears nowhere, but shares a stem with "jailbreak".
    check_top("jailbreaks ", "Jailbreaking");
}

#[test]
fn phrases_require_adjacent_words() {
    check_all("\"mixture of experts\"", &["Mixtral of Experts"]);
    check_all("\"grade school math\"", &["Orca-Math"]);
    check_all("\"school grade math\"", &[]);
}

#[test]
fn identifiers_are_searchable_whole_and_by_parts() {
    // The abstract of BiTA says "LLaMA-2-70B-Chat" and "MT-Bench".
    let fixture = Fixture::seed();
    assert!(fixture.titles("LLaMA-2-70B-Chat ").contains(&title_containing("BiTA")));
    assert!(fixture.titles("MT-Bench ").contains(&title_containing("BiTA")));
    assert!(fixture.titles("8x7B ").contains(&title_containing("Mixtral of Experts")));
    assert!(fixture.titles("SpecDec++").contains(&title_containing("SpecDec++")));
}

#[test]
fn negation_or_and_qualifiers() {
    let fixture = Fixture::seed();
    let speculative = fixture.titles("speculative ");
    let without = fixture.titles("speculative -specdec ");
    assert!(speculative.contains(&title_containing("SpecDec++")));
    assert!(!without.contains(&title_containing("SpecDec++")));
    assert_eq!(without.len() + 1, speculative.len());
    check_all("title:mixtral OR title:zephyr ", &["Mixtral of Experts", "Zephyr"]);
    check_all("title:experts ", &["Mixtral of Experts"]);
}

#[test]
fn years_and_tags_filter() {
    let mut bundle = seed();
    bundle.papers[0].metadata.year = Some(2023);
    bundle.papers[1].metadata.year = Some(2024);
    let index = SearchIndex::build(&bundle.papers, |_| Vec::new());
    let hits = |q: &str, options: &SearchOptions<'_>| {
        search(&index, &parse(q), options).iter().map(|h| h.doc).collect::<Vec<_>>()
    };
    assert_eq!(hits("year:2023..2024", &SearchOptions::default()), [0, 1]);
    assert_eq!(hits("year:2024", &SearchOptions::default()), [1]);
    let tagged = |tag: &str| if tag == "cite" { vec![3, 5] } else { Vec::new() };
    let options = SearchOptions { tagged: &tagged, ..Default::default() };
    assert_eq!(hits("tag:cite", &options), [3, 5]);
    assert_eq!(hits("tag:other", &options), Vec::<u32>::new());
}

#[test]
fn a_model_in_any_spelling_finds_papers_naming_it_in_any_spelling() {
    let bundle = seed();
    // Papers 0 and 6 are given the entity, as the compiler would extract it.
    let index = SearchIndex::build(&bundle.papers, |doc| {
        if doc == 0 || doc == 6 {
            vec![Extra { kind: "model".into(), value: "Llama-2-70B-Chat".into() }]
        } else {
            Vec::new()
        }
    });
    let options = SearchOptions { entities: &FakeResolver, ..Default::default() };
    for query in ["llama2-chat-70b ", "model:llama2chat70b", "Llama-2-70B-Chat "] {
        let docs: HashSet<u32> = search(&index, &parse(query), &options).iter().map(|h| h.doc).collect();
        assert!(docs.contains(&0) && docs.contains(&6), "{query:?} found {docs:?}");
    }
}

#[test]
fn highlights_mark_the_matched_words_and_snippets_center_on_them() {
    let fixture = Fixture::seed();
    let query = parse("speculative decoding ");
    let words = matched_words(&fixture.index, &query);
    let paper: &Paper = fixture.bundle.papers.iter().find(|p| p.title.starts_with("SpecDec++")).unwrap();
    let h = highlight(&paper.title, &paper.abstract_text, &words);
    let marked: Vec<&str> = h.title.iter().map(|s| &paper.title[s.start..s.end]).collect();
    assert_eq!(marked, ["Speculative", "Decoding"], "{:?}", h.title);
    let snip = snippet(&paper.abstract_text, &h.abstract_spans, 30);
    assert!(snip.iter().any(|s| s.highlighted && s.text.eq_ignore_ascii_case("speculative")), "{snip:?}");
    let text: String = snip.iter().map(|s| s.text.as_str()).collect();
    assert!(text.split_whitespace().count() <= 40);
}

#[test]
fn identifier_parts_are_marked_as_one() {
    let fixture = Fixture::seed();
    let words = matched_words(&fixture.index, &parse("\"MT-Bench\""));
    let paper = &fixture.bundle.papers[0];
    let h = highlight(&paper.title, &paper.abstract_text, &words);
    let marked: Vec<&str> = h.abstract_spans.iter().map(|s| &paper.abstract_text[s.start..s.end]).collect();
    assert_eq!(marked, ["MT-Bench"]);
}

#[test]
fn zero_results_suggest_a_correction_from_the_vocabulary() {
    let fixture = Fixture::seed();
    // Typos in the first letter are not matched (see search.rs), but suggested.
    assert!(fixture.titles("xjailbreaking galignment ").is_empty());
    assert_eq!(
        suggest(&fixture.index, "xjailbreaking galignment"),
        Some("jailbreaking alignment".to_owned())
    );
    assert_eq!(suggest(&fixture.index, "mixtral"), None);
}

#[test]
fn explain_breaks_the_score_down_by_field_and_term() {
    let fixture = Fixture::seed();
    let query = parse("mixtral ");
    let hits = search(&fixture.index, &query, &SearchOptions::default());
    let lines = explain(&fixture.index, &query, hits[0].doc, &SearchOptions::default());
    assert_eq!(
        (lines[0].term.as_str(), lines[0].field, lines[0].kind),
        ("mixtral", "title", MatchKind::Exact)
    );
    let total: f32 = lines.iter().map(|l| l.score).sum();
    assert!(total > 0.0);
    assert!(lines.iter().any(|l| l.field == "abstract"));
}

#[test]
fn bad_syntax_degrades_to_plain_words() {
    let fixture = Fixture::seed();
    assert_eq!(fixture.titles("\"mixtral"), fixture.titles("\"mixtral\""));
    assert!(fixture.titles("- -- :").is_empty());
    assert_eq!(fixture.titles("title: mixtral "), fixture.titles("title mixtral "));
}

/// Seed papers whose raw text names Llama 2 Chat 70B, found by squashing
/// the text (letters and digits only, lower case) and looking for the
/// spellings a reader sees in the file: "LLaMA-2-70B-Chat", "Llama 2-Chat
/// 70B", "Llama2-Chat-70B", "LLaMA-2-Chat-70b", "Llama-2-Chat-7B/13B/70B",
/// "llama-2-chat 7B & 70B" and "13B and 70B Llama2-Chat".
fn seed_titles_naming_llama2_chat_70b() -> Vec<String> {
    let text = std::str::from_utf8(SEED).unwrap();
    let lines: Vec<&str> = text.lines().skip(2).collect();
    let mut titles: Vec<String> = lines
        .chunks(2)
        .filter(|pair| {
            let squashed: String =
                pair.join(" ").chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
            ["llama270bchat", "llama2chat70b", "llama2chat7b13b70b", "llama2chat7b70b", "70bllama2chat"]
                .iter()
                .any(|s| squashed.contains(s))
        })
        .map(|pair| pair[0].trim_start_matches("Subscribe").to_owned())
        .collect();
    titles.sort();
    titles
}

#[test]
fn the_bundle_catalog_finds_a_model_named_in_any_spelling() {
    let bundle = seed();
    let index = SearchIndex::from_papers(&bundle.papers);
    let resolver = folio::engine::search::CatalogResolver(&bundle.corpus.catalog);
    let options = SearchOptions { entities: &resolver, ..Default::default() };
    let expected = seed_titles_naming_llama2_chat_70b();
    assert!(expected.len() >= 5, "{expected:#?}");
    for query in ["llama2-chat-70b ", "Llama 2-Chat 70B ", "model:LLaMA-2-70B-Chat", "llama2chat70b "] {
        let results = folio::engine::search::run(&index, query, &options);
        let mut titles: Vec<String> =
            results.hits.iter().map(|h| bundle.papers[h.doc as usize].title.clone()).collect();
        titles.sort();
        assert_eq!(titles, expected, "hits of {query:?}");
    }
}

/// Queries over the seed of every kind the language has: words, prefixes
/// (one letter too), typos, stems, phrases (one word, an identifier with a
/// prefix last part, in a field), OR, exclusions, qualifiers and entities in several
/// spellings (one of them only as the query's words taken together).
const SEED_QUERIES: &[&str] = &[
    "language ",
    "speculative decoding ",
    "jailbr",
    "speculative deco",
    "l",
    "jailbrek ",
    "mixtrl ",
    "jailbreaks ",
    "\"mixture of experts\"",
    "Llama-2-Ch",
    "\"mixtral\"",
    "abstract:\"language models\" ",
    "title:experts ",
    "mixtral OR zephyr ",
    "title:mixtral OR title:zephyr ",
    "speculative -specdec ",
    "-\"language models\" alignment ",
    "-mixtral",
    "model:gpt-4 ",
    "model:llama2chat70b",
    "benchmark:mt-bench ",
    "benchmark:math",
    "method:dpo ",
    "year:2022",
    "year:2021..2023 language ",
    "year:..2021 OR tag:cite ",
    "tag:cite",
    "tag:cite decoding ",
    "llama2 chat 70b ",
    "Llama 2-Chat 70B ",
    "llama2chat70b ",
    "LLaMA-2-70B-Chat ",
    "GPT-4 ",
    "MT-Bench ",
    "8x7B ",
    "SpecDec++",
];

#[test]
fn every_explanation_adds_up_to_the_score_it_explains() {
    let mut bundle = seed();
    for (doc, paper) in bundle.papers.iter_mut().enumerate() {
        paper.metadata.year = Some(2019 + (doc % 6) as i32);
    }
    let index = SearchIndex::from_papers(&bundle.papers);
    let resolver = folio::engine::search::CatalogResolver(&bundle.corpus.catalog);
    let tagged = |tag: &str| if tag == "cite" { vec![0, 4, 6, 11] } else { Vec::new() };
    let options = SearchOptions { entities: &resolver, tagged: &tagged, ..Default::default() };
    let mut kinds = HashSet::new();
    for query in SEED_QUERIES {
        let results = folio::engine::search::run(&index, query, &options);
        assert!(!results.hits.is_empty(), "{query:?} matches nothing: a query the test cannot check");
        for hit in &results.hits {
            let lines = explain(&index, &results.query, hit.doc, &options);
            let total: f64 = lines.iter().map(|l| f64::from(l.score)).sum();
            let score = f64::from(hit.score);
            assert!(
                (total - score).abs() <= 1e-4 * score.abs().max(1e-6),
                "{query:?}, paper {}: explained {total}, scored {score}: {lines:#?}",
                hit.doc
            );
            kinds.extend(lines.iter().map(|l| format!("{:?}", l.kind)));
        }
    }
    let mut kinds: Vec<String> = kinds.into_iter().collect();
    kinds.sort();
    assert_eq!(kinds, ["Entity", "Exact", "Fuzzy", "Phrase", "Prefix", "Stem", "Tag", "Year"]);
}

#[test]
fn an_explanation_names_boosts_tags_years_and_entities_named_by_several_words() {
    let mut bundle = seed();
    bundle.papers[4].metadata.year = Some(2023);
    let index = SearchIndex::from_papers(&bundle.papers);
    let resolver = folio::engine::search::CatalogResolver(&bundle.corpus.catalog);
    let tagged = |tag: &str| if tag == "cite" { vec![4] } else { Vec::new() };
    let options = SearchOptions { entities: &resolver, tagged: &tagged, ..Default::default() };
    let mixtral = 4;
    assert_eq!(bundle.papers[mixtral as usize].title, "Mixtral of Experts");
    #[track_caller]
    fn check(lines: Vec<folio::engine::search::Contribution>, expected: &[&str]) {
        let rendered: Vec<String> = lines
            .iter()
            .map(|c| format!("{} -> {} ({:?} {} {})", c.query, c.term, c.kind, c.field, c.score_text()))
            .collect();
        assert_eq!(rendered, expected);
    }
    let explain = |query: &str, doc: u32| explain(&index, &parse(query), doc, &options);
    check(
        explain("tag:cite year:2023 ", mixtral),
        &["tag:cite -> cite (Tag tag 1.00)", "year:2023 -> 2023 (Year year 0.00)"],
    );
    assert!(explain("tag:cite year:2022 ", mixtral).is_empty(), "a paper the query does not match");
    let boosted = explain("mixtral ", mixtral);
    assert!(boosted.iter().any(|c| c.kind == MatchKind::Entity && c.term == "Mixtral"), "{boosted:#?}");
    // Only the words together name the model: the boost counts once per clause.
    let bita = bundle.papers.iter().position(|p| p.title == title_containing("BiTA")).unwrap() as u32;
    let results = folio::engine::search::run(&index, "Llama 2-Chat 70B ", &options);
    let hit = results.hits.iter().find(|h| h.doc == bita).expect("BiTA names LLaMA-2-70B-Chat");
    check(
        explain("Llama 2-Chat 70B ", bita),
        &[&format!("llama 2-chat 70b -> Llama-2-70B-Chat (Entity entity {:.2})", hit.score)],
    );
}

#[test]
fn a_words_inflections_are_every_word_of_the_dictionary_with_its_stem() {
    use folio::engine::analyze::stem;
    let fixture = Fixture::seed();
    let index = &fixture.index;
    let words: Vec<&str> = index.words().map(|(_, w)| w).collect();
    // Inflections share the stem's beginning but its last letter (the
    // stemmer may end a stem in an e or i the word does not have there):
    // the scan `same_stem` narrows is every word of that beginning.
    let scan = |term: &str| -> Vec<&str> {
        let target = stem(term);
        if target.chars().count() < 3 || target.chars().any(|c| !c.is_alphabetic()) {
            return words.iter().copied().filter(|&w| w == term).collect();
        }
        let start = &target[..target.char_indices().last().map_or(0, |(at, _)| at)];
        let words = words.iter().copied();
        words.filter(|w| w.starts_with(start) && w.len() <= term.len() + 5 && stem(w) == target).collect()
    };
    let extra = ["hoping", "studies", "study", "relational", "organization", "skies", "controlling"];
    for term in words.iter().copied().chain(extra) {
        let found: Vec<&str> = index.same_stem(term).into_iter().map(|id| index.term(id)).collect();
        assert_eq!(found, scan(term), "{term}");
    }
}
