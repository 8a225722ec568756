//! The explorer on the seed: one call per interaction gives the ordered
//! papers and honest facet counts, with the user's tags and reading state as
//! facets and as `tag:` queries; exports read back through the compiler.

use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::explorer::{Explorer, WarmUp};
use folio::engine::export::{export, ExportFormat};
use folio::engine::formats::{read, Format};
use folio::engine::tags::TagStore;
use folio::engine::view_state::{Sort, ViewState};

const SEED: &[u8] = include_bytes!("../corpus/000_aec88eee982df8fa.txt");

fn explorer() -> Explorer {
    Explorer::new(
        compile(&[Input { name: "seed.txt", bytes: SEED }], &CompileOptions::default()).bundle.unwrap(),
    )
}

fn view(query: &str) -> ViewState {
    ViewState { query: query.to_owned(), ..Default::default() }
}

#[test]
fn starred_read_and_notes_are_searchable_with_tag() {
    let explorer = explorer();
    let ids: Vec<String> =
        (0..explorer.len() as u32).map(|d| explorer.try_id(d).unwrap().to_owned()).collect();
    let mut store = TagStore::default();
    store.set_starred(&[&ids[3]], true, 1);
    store.set_read(&[&ids[5], &ids[6]], true, 1);
    store.set_note(&ids[7], "check", 1).unwrap();
    store.add_tag(&[&ids[8]], "reading/now", 1).unwrap();
    let user = store.data();
    let facets = explorer.user_facets(user);
    let docs = |q: &str| explorer.explore(&view(q), user, &facets).docs().to_vec();
    assert_eq!(docs("tag:starred"), [3]);
    assert_eq!(docs("tag:read"), [5, 6]);
    assert_eq!(docs("tag:note"), [7]);
    assert_eq!(docs("tag:reading"), [8], "a parent tag finds papers tagged below it");
    assert_eq!(docs("tag:unread").len(), 22);
    let unread_mixtral = docs("-tag:read mixtral");
    assert!(
        !unread_mixtral.is_empty()
            && unread_mixtral.iter().all(|d| ![5, 6].contains(d) && docs("mixtral").contains(d))
    );
    let state = ViewState { sort: Sort::Corpus, ..view("") };
    let mut excluded = state.clone();
    excluded.selection.exclude("state", "read");
    assert_eq!(explorer.explore(&excluded, user, &facets).len(), 22);
}

/// `tag:` finds the reading states by each of their names, in any case.
#[test]
fn every_name_of_a_reading_state_finds_it() {
    let explorer = explorer();
    let ids: Vec<String> =
        (0..explorer.len() as u32).map(|d| explorer.try_id(d).unwrap().to_owned()).collect();
    let mut store = TagStore::default();
    store.set_starred(&[&ids[3]], true, 1);
    store.set_read(&[&ids[5]], true, 1);
    store.set_note(&ids[7], "check", 1).unwrap();
    store.add_tag(&[&ids[9]], "star", 1).unwrap();
    store.add_tag(&[&ids[5], &ids[10]], "unread", 1).unwrap();
    let user = store.data();
    let facets = explorer.user_facets(user);
    let unread: Vec<u32> = (0..explorer.len() as u32).collect();
    for (query, expected) in [
        ("tag:starred", vec![3]),
        ("tag:STARRED", vec![3]),
        ("tag:star", vec![3, 9]),
        ("tag:read", vec![5]),
        ("tag:Read", vec![5]),
        ("tag:unread", unread),
        ("tag:note", vec![7]),
        ("tag:notes", vec![7]),
        ("tag:NOTES", vec![7]),
    ] {
        let mut docs = explorer.explore(&view(query), user, &facets).docs().to_vec();
        docs.sort_unstable();
        assert_eq!(docs, expected, "{query}");
    }
}

/// One facet value per tag, whatever case each paper spells it in (data
/// from an import or another tab is not respelled).
#[test]
fn the_tag_facet_counts_a_tag_spelled_two_ways_as_one() {
    use folio::engine::tags::{PaperData, UserData};
    let explorer = explorer();
    let tagged = |tag: &str| PaperData { tags: [tag.to_owned()].into(), ..Default::default() };
    let user = UserData {
        papers: [
            (explorer.try_id(0).unwrap().to_owned(), tagged("Reading/x")),
            (explorer.try_id(1).unwrap().to_owned(), tagged("reading/y")),
            ("not-in-corpus".to_owned(), tagged("READING/z")),
        ]
        .into(),
        ..Default::default()
    };
    let facets = explorer.user_facets(&user);
    let results = explorer.explore(&view(""), &user, &facets);
    let tags = results.facets.iter().find(|g| g.key == "tag").unwrap();
    let counts: Vec<(String, usize)> = tags.top(10).into_iter().map(|v| (v.value, v.count)).collect();
    assert_eq!(counts, [("Reading".to_owned(), 2), ("Reading/x".to_owned(), 1), ("Reading/y".to_owned(), 1)]);
    let mut selected = view("");
    selected.selection.include("tag", "Reading");
    assert_eq!(explorer.explore(&selected, &user, &facets).docs(), [0, 1]);
}

#[test]
fn exported_bibtex_reads_back_through_the_compilers_reader() {
    let explorer = explorer();
    let papers: Vec<_> = (0..explorer.len() as u32).map(|d| explorer.paper(d)).collect();
    let papers: Vec<_> = papers.iter().map(|p| &**p).collect();
    let mut store = TagStore::default();
    store.add_tag(&[&papers[0].id, &papers[1].id], "cite", 1).unwrap();
    let bibtex = export(&papers, store.data(), ExportFormat::BibTex);
    let (records, diagnostics) = read(Format::BibTex, "export.bib", &bibtex, &[]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(records.len(), 24);
    for (record, paper) in records.iter().zip(&papers) {
        assert_eq!(record.title, paper.title);
        assert_eq!(record.abstract_text, paper.abstract_text);
    }
    assert!(records[0].metadata.keywords.contains(&"cite".to_owned()));
}

/// Pointing at a facet value named in the text (a facet chip or value)
/// highlights where each paper names it.
#[test]
fn mentions_point_at_where_a_paper_names_a_facet_value() {
    use folio::engine::facet_kind::{values_of, FacetKind, Source};
    let named_in_text = |key: &str| FacetKind::from_key(key).is_some_and(FacetKind::is_named_in_text);
    let explorer = explorer();
    let doc =
        (0..explorer.len() as u32).find(|&d| explorer.paper(d).abstract_text.contains("BiasMedQA")).unwrap();
    let paper = explorer.paper(doc);
    let gpt4 = explorer.mentions(doc, "model", "GPT-4");
    let named: Vec<&str> = gpt4.abstract_spans.iter().map(|s| &paper.abstract_text[s.start..s.end]).collect();
    assert_eq!(named, ["GPT-4", "GPT-4"]);
    assert!(gpt4.title.is_empty());
    assert!(explorer.mentions(doc, "model", "Claude").abstract_spans.is_empty(), "a model the paper lacks");
    assert!(!named_in_text("code") && !named_in_text("author") && named_in_text("family"));
    let mut families = 0;
    for d in 0..explorer.len() as u32 {
        let paper = explorer.paper(d);
        for (kind, value) in values_of(&paper) {
            let group = kind.key();
            let mentions = explorer.mentions(d, group, &value);
            let spans: Vec<_> = mentions
                .title
                .iter()
                .map(|s| (&paper.title, s))
                .chain(mentions.abstract_spans.iter().map(|s| (&paper.abstract_text, s)))
                .collect();
            if !kind.is_named_in_text() {
                assert!(spans.is_empty(), "{group}={value}");
                continue;
            }
            if matches!(kind.source(), Source::Entity(_)) {
                assert!(!spans.is_empty(), "{}: {group}={value} is named somewhere", paper.id);
            }
            for (text, span) in spans {
                assert!(
                    text.get(span.start..span.end).is_some_and(|t| !t.trim().is_empty()),
                    "{group}={value}"
                );
            }
            // In text order and disjoint within a field, as highlighting
            // needs (a topic's overlapping terms are merged).
            for field in [&mentions.title, &mentions.abstract_spans] {
                assert!(
                    field.windows(2).all(|w| w[0].end < w[1].start),
                    "{}: {group}={value}: {field:?}",
                    paper.id
                );
            }
        }
        // A family is named wherever one of its models is (within a merged span).
        for entity in &paper.enrichment.entities {
            let Some(family) = &entity.family else { continue };
            let of_family = explorer.mentions(d, "family", family);
            for span in
                entity.spans.iter().filter(|s| s.field == folio::engine::bundle::enrichment::Field::Abstract)
            {
                assert!(of_family.abstract_spans.iter().any(|s| s.start <= span.start && span.end <= s.end));
                families += 1;
            }
        }
    }
    assert!(families > 0);
}

/// A query matching more papers than are ranked up front: the first ones
/// come ranked at once, the whole order when asked for, and both agree with
/// ranking every hit.
#[test]
fn a_large_result_set_is_ranked_in_full_when_asked() {
    use folio::engine::explorer::ORDERED;
    use folio::engine::search::best_first;
    let mut listing = String::new();
    for i in 0..(2 * ORDERED + 50) {
        listing.push_str(&format!("Study number {i} of graph methods\n"));
        listing.push_str(&format!(
            "{}We look at networks of papers in study number {i}, with enough words in this abstract to read as one: the listing reader takes a line of two hundred characters or more as an abstract, so this one says a little more than it needs to.\n",
            "graph ".repeat(i % 7 + 1)
        ));
    }
    let compiled =
        compile(&[Input { name: "many.txt", bytes: listing.as_bytes() }], &CompileOptions::default());
    let bundle = compiled.bundle.unwrap_or_else(|| panic!("{:?}", compiled.diagnostics.first()));
    let catalog = bundle.corpus.catalog.clone();
    let explorer = Explorer::new(bundle);
    assert_eq!(explorer.len(), 2 * ORDERED + 50);
    let user = Default::default();
    let facets = explorer.user_facets(&user);
    let results = explorer.explore(&view("graph"), &user, &facets);
    // Every hit scored, as the explorer's search does not (it scores the
    // first ones, and the rest when asked for).
    let resolver = folio::engine::search::CatalogResolver(&catalog);
    let options = folio::engine::search::SearchOptions { entities: &resolver, ..Default::default() };
    let mut expected = folio::engine::search::run(explorer.search_index(), "graph", &options).hits;
    expected.sort_by(best_first);
    let expected: Vec<u32> = expected.into_iter().map(|h| h.doc).collect();
    assert_eq!(results.len(), expected.len());
    assert_eq!(results.first(10), &expected[..10]);
    assert_eq!(results.get(ORDERED + 7), Some(expected[ORDERED + 7]));
    assert_eq!(results.docs(), expected.as_slice());
    assert_eq!(results.first(usize::MAX).len(), expected.len());
    assert_eq!(results.get(expected.len()), None);
}

#[test]
fn warming_up_runs_a_keystroke_that_finds_papers() {
    // "learning mod" matches the seed (prefix "mod" of "models"): the warm-up
    // exercised search, counts, highlights and a snippet.
    let explorer = explorer();
    let found = explorer.warm_up();
    assert!(found > 0);
    // Step by step, as the app runs it (a task each): the same work, the
    // terms first, then each facet group, the vocabulary, then each
    // query, then done.
    let (mut at, mut stepped, mut steps) = (WarmUp::default(), 0, Vec::new());
    while at != WarmUp::Done {
        let (next, more) = explorer.warm_up_step(at);
        steps.push(at);
        (at, stepped) = (next, stepped + more);
    }
    assert_eq!(stepped, found);
    assert_eq!(steps.first(), Some(&WarmUp::Terms(0)));
    let groups = explorer.facets().groups().count();
    assert!(groups > 0);
    let facets: Vec<usize> =
        steps.iter().filter_map(|s| if let WarmUp::Facets(i) = s { Some(*i) } else { None }).collect();
    assert_eq!(facets, (0..=groups).collect::<Vec<_>>(), "each group, then the step that finds none left");
    let at = |step: WarmUp| steps.iter().position(|s| *s == step);
    assert_eq!(at(WarmUp::Vocabulary), at(WarmUp::Facets(groups)).map(|i| i + 1), "{steps:?}");
    assert_eq!(at(WarmUp::Query(0)), at(WarmUp::Vocabulary).map(|i| i + 1), "{steps:?}");
    assert!(steps.contains(&WarmUp::Query(3)) && !steps.contains(&WarmUp::Query(4)), "{steps:?}");
    assert_eq!(explorer.warm_up_step(WarmUp::Done), (WarmUp::Done, 0));
}

/// Every facet group comes from the facet kind table, in its order, with
/// its label: the metadata fields that are facets (author keywords
/// included, as `folio stats` counts them), then the user's groups.
#[test]
fn facet_groups_follow_the_facet_kind_table_keywords_included() {
    use folio::engine::facet_kind::FacetKind;
    let jsonl = br#"{"title": "Sparse experts", "abstract": "We route tokens to experts.", "year": 2024, "venue": "ICML", "authors": ["A. Person"], "categories": ["cs.CL"], "keywords": ["routing", "experts"]}
{"title": "Dense models", "abstract": "We do not route tokens.", "year": 2023, "keywords": ["routing"]}
"#;
    let compiled = compile(&[Input { name: "k.jsonl", bytes: jsonl }], &CompileOptions::default());
    let explorer = Explorer::new(compiled.bundle.unwrap());
    let mut store = TagStore::default();
    store.add_tag(&[explorer.try_id(0).unwrap()], "reading", 1).unwrap();
    let user = store.data().clone();
    let results = explorer.explore(&view(""), &user, &explorer.user_facets(&user));
    let kinds: Vec<FacetKind> = results.facets.iter().map(|g| FacetKind::from_key(&g.key).unwrap()).collect();
    assert!(kinds.windows(2).all(|w| w[0] < w[1]), "in table order: {kinds:?}");
    for group in &results.facets {
        assert_eq!(group.label, FacetKind::from_key(&group.key).unwrap().label());
    }
    let metadata =
        [FacetKind::Year, FacetKind::Venue, FacetKind::Category, FacetKind::Keyword, FacetKind::Author];
    assert!(metadata
        .iter()
        .chain(&[FacetKind::Code, FacetKind::Tag, FacetKind::State])
        .all(|k| kinds.contains(k)));
    let keywords = results.facets.iter().find(|g| g.key == FacetKind::Keyword.key()).unwrap();
    let counts: Vec<(String, usize)> = keywords.top(10).into_iter().map(|v| (v.value, v.count)).collect();
    assert_eq!(counts, [("routing".to_owned(), 2), ("experts".to_owned(), 1)]);
}
