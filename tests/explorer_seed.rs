//! The explorer on the seed: one call per interaction gives the ordered
//! papers and honest facet counts, with the user's tags and reading state as
//! facets and as `tag:` queries; exports read back through the compiler.

use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::explorer::Explorer;
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
    let ids: Vec<String> = (0..explorer.len() as u32).map(|d| explorer.id(d).to_owned()).collect();
    let mut store = TagStore::default();
    store.set_starred(&[&ids[3]], true, 1);
    store.set_read(&[&ids[5], &ids[6]], true, 1);
    store.set_note(&ids[7], "check", 1).unwrap();
    store.add_tag(&[&ids[8]], "reading/now", 1).unwrap();
    let user = store.data();
    let facets = explorer.user_facets(user);
    let docs = |q: &str| explorer.explore(&view(q), user, &facets).docs;
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
    assert_eq!(explorer.explore(&excluded, user, &facets).docs.len(), 22);
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
    assert!(records[0].keywords.contains(&"cite".to_owned()));
}

/// Pointing at a facet value named in the text (a facet chip or value)
/// highlights where each paper names it.
#[test]
fn mentions_point_at_where_a_paper_names_a_facet_value() {
    use folio::engine::explorer::is_text_group;
    let explorer = explorer();
    let doc =
        (0..explorer.len() as u32).find(|&d| explorer.paper(d).abstract_text.contains("BiasMedQA")).unwrap();
    let paper = explorer.paper(doc);
    let gpt4 = explorer.mentions(doc, "model", "GPT-4");
    let named: Vec<&str> = gpt4.abstract_spans.iter().map(|s| &paper.abstract_text[s.start..s.end]).collect();
    assert_eq!(named, ["GPT-4", "GPT-4"]);
    assert!(gpt4.title.is_empty());
    assert!(explorer.mentions(doc, "model", "Claude").abstract_spans.is_empty(), "a model the paper lacks");
    assert!(!is_text_group("code") && !is_text_group("author") && is_text_group("family"));
    let mut families = 0;
    for d in 0..explorer.len() as u32 {
        let paper = explorer.paper(d);
        for (group, value) in paper.enrichment.facet_values() {
            let mentions = explorer.mentions(d, group, &value);
            let spans: Vec<_> = mentions
                .title
                .iter()
                .map(|s| (&paper.title, s))
                .chain(mentions.abstract_spans.iter().map(|s| (&paper.abstract_text, s)))
                .collect();
            if !is_text_group(group) {
                assert!(spans.is_empty(), "{group}={value}");
                continue;
            }
            if ["model", "benchmark", "method", "family"].contains(&group) {
                assert!(!spans.is_empty(), "{}: {group}={value} is named somewhere", paper.id);
            }
            for (text, span) in spans {
                assert!(
                    text.get(span.start..span.end).is_some_and(|t| !t.trim().is_empty()),
                    "{group}={value}"
                );
            }
        }
        // A family is named wherever one of its models is.
        for entity in &paper.enrichment.entities {
            let Some(family) = &entity.family else { continue };
            let of_family = explorer.mentions(d, "family", family);
            for span in entity.spans.iter().filter(|s| s.field == folio::engine::enrich::Field::Abstract) {
                assert!(of_family.abstract_spans.iter().any(|s| s.start == span.start && s.end == span.end));
                families += 1;
            }
        }
    }
    assert!(families > 0);
}
