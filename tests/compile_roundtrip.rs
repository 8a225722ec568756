//! Folio's own exports compiled back: every title, author, year, link and
//! tag that went out in RIS (and the other formats) comes back in.

use folio::engine::bundle::{Bundle, Paper};
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::export::{export, ExportFormat};
use folio::engine::tags::{TagStore, UserData};

const T: u64 = 1_700_000_000_000;

fn compiled(name: &str, text: &str) -> Bundle {
    let out = compile(&[Input { name, bytes: text.as_bytes() }], &CompileOptions::default());
    assert_eq!(out.errors(), 0, "{:#?}", out.diagnostics);
    out.bundle.expect("no errors, so a bundle")
}

/// The seed, and papers with every metadata field, tagged.
fn library() -> (Bundle, UserData) {
    let seed = include_str!("../corpus/000_aec88eee982df8fa.txt");
    let mut bundle = compiled("corpus/000_aec88eee982df8fa.txt", seed);
    let bib = concat!(
        "@article{k, title = {Sparse {MoE} Models}, author = {Jörg Müller and {Johnson and Johnson} and Ludwig van Beethoven},\n",
        " year = {2023}, journal = {Proc. of R&D}, doi = {10.1000/x_y}, eprint = {2401.04088}, archiveprefix = {arXiv},\n",
        " url = {https://example.org/a_b?x=1%202}, abstract = {Costs \\$5 \\& 50\\%, a\\_b, \\{x\\}.}}\n",
        "@inproceedings{m, title = {Only a Title}, author = {Ada Lovelace}, year = {1843}, booktitle = {Notes}, abstract = {Notes on the engine.}}\n",
    );
    bundle.papers.extend(compiled("metadata.bib", bib).papers);
    let mut store = TagStore::default();
    for (i, paper) in bundle.papers.iter().enumerate() {
        if i % 3 == 0 {
            store.add_tag(&[paper.id.as_str()], "reading/now", T).unwrap();
        }
        if i % 4 == 0 {
            store.add_tag(&[paper.id.as_str()], "to cite", T).unwrap();
        }
    }
    (bundle, store.data().clone())
}

#[track_caller]
fn check_round_trip(format: ExportFormat, file: &str) {
    let (bundle, user) = library();
    let papers: Vec<&Paper> = bundle.papers.iter().collect();
    let back = compiled(file, &export(&papers, &user, format));
    assert_eq!(back.papers.len(), bundle.papers.len(), "{format:?}");
    for (original, read) in bundle.papers.iter().zip(&back.papers) {
        let what = format!("{format:?} {}", original.id);
        assert_eq!(read.title, original.title, "{what}");
        assert_eq!(read.abstract_text, original.abstract_text, "{what}");
        assert_eq!(read.metadata.authors, original.metadata.authors, "{what}");
        assert_eq!(read.metadata.year, original.metadata.year, "{what}");
        assert_eq!(
            (&read.metadata.doi, &read.metadata.url, &read.metadata.arxiv),
            (&original.metadata.doi, &original.metadata.url, &original.metadata.arxiv),
            "{what}"
        );
        let tags: Vec<String> =
            user.papers.get(&original.id).map(|p| p.tags.iter().cloned().collect()).unwrap_or_default();
        for tag in &tags {
            assert!(read.metadata.keywords.contains(tag), "{what}: tag {tag:?} not in {:?}", read.metadata.keywords);
        }
    }
}

#[test]
fn ris_export_compiles_back_whole() {
    check_round_trip(ExportFormat::Ris, "export.ris");
}

#[test]
fn csl_json_export_compiles_back_whole() {
    check_round_trip(ExportFormat::CslJson, "export.json");
}

#[test]
fn csv_export_compiles_back_whole() {
    check_round_trip(ExportFormat::Csv, "export.csv");
}

#[test]
fn bibtex_export_compiles_back_whole() {
    check_round_trip(ExportFormat::BibTex, "export.bib");
}
