//! Real exports of reference managers (tests/fixtures/exports/README.md says
//! where each comes from) compile whole: every entry in, readable titles,
//! and what the source had kept.

use folio::engine::bundle::Bundle;
use folio::engine::compile::{compile, CompileOptions, Compiled, Input};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/exports/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn compiled(names: &[&str]) -> Compiled {
    let bytes: Vec<Vec<u8>> = names.iter().map(|name| fixture(name)).collect();
    let inputs: Vec<Input<'_>> = names.iter().zip(&bytes).map(|(name, bytes)| Input { name, bytes }).collect();
    compile(&inputs, &CompileOptions::default())
}

#[track_caller]
fn bundle(names: &[&str]) -> Bundle {
    let compiled = compiled(names);
    let messages: Vec<String> = compiled.diagnostics.iter().map(ToString::to_string).collect();
    compiled.bundle.unwrap_or_else(|| panic!("no bundle: {messages:#?}"))
}

#[test]
fn a_zotero_library_reads_the_same_from_ris_and_from_csv() {
    let (ris, csv) = (bundle(&["zotero-mambo.ris"]), bundle(&["zotero-mambo.csv"]));
    assert_eq!(ris.papers.len(), 5);
    assert_eq!(csv.papers.len(), 5);
    for (a, b) in ris.papers.iter().zip(&csv.papers) {
        assert_eq!(a.title, b.title);
        assert_eq!(a.id, b.id, "{}", a.title);
        assert_eq!(a.metadata.authors, b.metadata.authors, "{}", a.title);
        assert_eq!((a.metadata.year, &a.metadata.doi), (b.metadata.year, &b.metadata.doi), "{}", a.title);
        assert_eq!(a.metadata.venue, b.metadata.venue, "{}", a.title);
        assert!(!a.abstract_text.is_empty() && !b.abstract_text.is_empty(), "{}", a.title);
        let mut tags = (a.metadata.keywords.clone(), b.metadata.keywords.clone());
        tags.0.sort();
        tags.1.sort();
        assert_eq!(tags.0, tags.1, "Zotero tags are keywords either way: {}", a.title);
    }
    assert!(ris.papers.iter().filter(|p| !p.metadata.keywords.is_empty()).count() >= 3);
    let first = &ris.papers[0];
    assert_eq!(first.title, "Waste Not, Want Not: Why Rarefying Microbiome Data Is Inadmissible");
    assert_eq!(first.metadata.authors, ["Paul J. McMurdie", "Susan Holmes"]);
    assert_eq!(first.metadata.venue.as_deref(), Some("PLOS Computational Biology"));
}

#[test]
fn google_scholar_bibtex_without_abstracts_comes_in_whole() {
    let compiled = compiled(&["scholar-srush.bib"]);
    assert_eq!(compiled.diagnostics, []);
    let bundle = compiled.bundle.unwrap();
    assert_eq!(bundle.papers.len(), 47);
    assert!(bundle.papers.iter().all(|p| p.abstract_text.is_empty() && !p.title.is_empty()));
    let with_arxiv = bundle.papers.iter().filter(|p| p.metadata.arxiv.is_some()).count();
    assert_eq!(with_arxiv, 31, "arXiv ids Scholar wrote in the journal field");
    assert_eq!(bundle.papers[0].id, "arxiv:2111.00396");
}

#[test]
fn macros_defined_in_other_files_are_read_from_them() {
    let alone = compiled(&["iridia/articles-first60.bib"]);
    let undefined = alone.diagnostics.iter().filter(|d| d.message.contains("has no definition here")).count();
    assert!(undefined > 50, "each undefined macro warned about once: {undefined}");
    let alone = alone.bundle.expect("undefined macros are warnings");
    assert_eq!(alone.papers.len(), 60);
    assert_eq!(alone.papers[0].metadata.venue.as_deref(), Some("jgcd"), "kept as its name");

    let files = ["iridia/abbrev.bib", "iridia/journals.bib", "iridia/authors.bib", "iridia/articles-first60.bib"];
    let together = compiled(&files);
    assert_eq!(together.diagnostics, []);
    let together = together.bundle.unwrap();
    assert_eq!(together.papers.len(), 60);
    let first = &together.papers[0];
    assert_eq!(first.metadata.venue.as_deref(), Some("Journal of Guidance, Control, and Dynamics"));
    let abramson = together.papers.iter().find(|p| p.title.starts_with("Simulated annealing cooling")).unwrap();
    assert_eq!(abramson.metadata.authors, ["David Abramson", "Mohan Krishna Amoorthy", "Henry Dang"], "#and# joins names");
    let sources: Vec<(&str, usize)> = together.sources.iter().map(|s| (s.file.as_str(), s.papers)).collect();
    assert_eq!(sources[..3], [("iridia/abbrev.bib", 0), ("iridia/journals.bib", 0), ("iridia/authors.bib", 0)]);
}
