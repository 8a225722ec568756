//! Exports of real papers read back: BibTeX through the compiler's own
//! BibTeX reader, CSV through an RFC 4180 reader, RIS and CSL-JSON by shape.

use folio::engine::bundle::{Bundle, Paper};
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::export::{export, ExportFormat};
use folio::engine::tags::{TagStore, UserData};
use proptest::prelude::*;

const T: u64 = 1_700_000_000_000;

fn compiled(name: &str, text: &str) -> Bundle {
    let out = compile(&[Input { name, bytes: text.as_bytes() }], &CompileOptions::default());
    assert_eq!(out.errors(), 0, "{:#?}", out.diagnostics);
    out.bundle.expect("no errors, so a bundle")
}

fn seed() -> Bundle {
    compiled("corpus/000_aec88eee982df8fa.txt", include_str!("../corpus/000_aec88eee982df8fa.txt"))
}

/// The seed with every third paper tagged, a few starred and noted.
fn tagged(bundle: &Bundle) -> UserData {
    let mut store = TagStore::default();
    for (i, paper) in bundle.papers.iter().enumerate() {
        let id = paper.id.as_str();
        if i % 3 == 0 {
            store.add_tag(&[id], "reading/now", T).unwrap();
        }
        if i % 4 == 0 {
            store.add_tag(&[id], "C# & {braces}", T).unwrap();
            store.set_starred(&[id], true, T);
            store.set_note(id, "50% sure; check {table} 2", T).unwrap();
        }
    }
    store.data().clone()
}

fn exported(bundle: &Bundle, user: &UserData, format: ExportFormat) -> String {
    let refs: Vec<&Paper> = bundle.papers.iter().collect();
    export(&refs, user, format)
}

#[test]
fn seed_bibtex_reads_back_with_the_compilers_reader() {
    let bundle = seed();
    let user = tagged(&bundle);
    let back = compiled("export.bib", &exported(&bundle, &user, ExportFormat::BibTex));
    assert_eq!(back.papers.len(), bundle.papers.len());
    for (original, read) in bundle.papers.iter().zip(&back.papers) {
        assert_eq!(read.title, original.title);
        assert_eq!(read.abstract_text, original.abstract_text, "{}", original.id);
        assert_eq!(read.id, original.id, "the id is derived from the title again");
        let mut keywords: Vec<String> =
            user.papers.get(&original.id).map(|p| p.tags.iter().cloned().collect()).unwrap_or_default();
        if user.papers.get(&original.id).is_some_and(|p| p.starred) {
            keywords.push("starred".into());
        }
        assert_eq!(read.metadata.keywords, keywords);
    }
}

#[test]
fn metadata_reads_back_with_the_compilers_reader() {
    let bib = concat!(
        "@article{k, title = {Sparse {MoE} Models}, author = {Jörg Müller and {Johnson and Johnson} and Ludwig van Beethoven},\n",
        " year = {2023}, journal = {Proc. of R&D}, doi = {10.1000/x_y}, eprint = {2401.04088}, archiveprefix = {arXiv},\n",
        " url = {https://example.org/a_b?x=1%202}, abstract = {Costs \\$5 \\& 50\\%, a\\_b, \\{x\\}.}}\n",
    );
    let original = compiled("in.bib", bib);
    let back = compiled("export.bib", &exported(&original, &UserData::default(), ExportFormat::BibTex));
    let (a, b) = (&original.papers[0], &back.papers[0]);
    assert_eq!(b.metadata.authors, ["Jörg Müller", "Johnson and Johnson", "Ludwig van Beethoven"]);
    assert_eq!(
        (
            &b.title,
            &b.abstract_text,
            &b.metadata.year,
            &b.metadata.venue,
            &b.metadata.doi,
            &b.metadata.arxiv,
            &b.metadata.url,
            &b.id
        ),
        (
            &a.title,
            &a.abstract_text,
            &a.metadata.year,
            &a.metadata.venue,
            &a.metadata.doi,
            &a.metadata.arxiv,
            &a.metadata.url,
            &a.id
        )
    );
}

#[test]
fn seed_csv_reads_back_field_for_field() {
    let bundle = seed();
    let user = tagged(&bundle);
    let text = exported(&bundle, &user, ExportFormat::Csv);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), bundle.papers.len());
    for (paper, row) in bundle.papers.iter().zip(&rows) {
        assert_eq!(
            (&row[0], &row[1], &row[8]),
            (paper.id.as_str(), paper.title.as_str(), paper.abstract_text.as_str())
        );
        let data = user.papers.get(&paper.id).cloned().unwrap_or_default();
        assert_eq!(&row[9], data.tags.iter().cloned().collect::<Vec<_>>().join("; "));
        assert_eq!(&row[12], data.note);
    }
}

#[test]
fn seed_ris_and_csl_json_have_one_record_per_paper() {
    let bundle = seed();
    let user = tagged(&bundle);
    let ris = exported(&bundle, &user, ExportFormat::Ris);
    assert_eq!(ris.matches("\r\nER  - \r\n").count(), bundle.papers.len());
    assert_eq!(ris.matches("KW  - reading/now\r\n").count(), bundle.papers.len().div_ceil(3));
    assert!(
        ris.lines().all(|line| line.is_empty() || line.get(2..6) == Some("  - ")),
        "every line is `XY  - value`"
    );
    let csl: Vec<serde_json::Value> =
        serde_json::from_str(&exported(&bundle, &user, ExportFormat::CslJson)).unwrap();
    let ids: Vec<&str> = csl.iter().map(|item| item["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = bundle.papers.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, expected);
}

fn one_paper(abstract_text: &str, tag: &str) -> (Paper, UserData) {
    let paper: Paper = serde_json::from_value(serde_json::json!({
        "id": "t-1", "title": "Sparse Experts", "abstract": abstract_text, "source": {"file": "x", "line": 1},
    }))
    .unwrap();
    let mut store = TagStore::default();
    store.add_tag(&["t-1"], tag, T).unwrap();
    (paper, store.data().clone())
}

proptest! {
    #[test]
    fn any_abstract_and_tag_survive_bibtex(
        text in "[a-zA-Z0-9 ]{0,3}[a-zA-Z0-9 {}\\\\%&$#_~^@\"'`,.()-]{1,40}",
        tag in "[a-zA-Z][a-zA-Z0-9 {}\\\\%&$#_~^@\"./()-]{0,20}",
    ) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let tag = tag.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assume!(!text.is_empty() && !tag.contains('/'));
        let (paper, user) = one_paper(&text, &tag);
        let back = compiled("export.bib", &export(&[&paper], &user, ExportFormat::BibTex));
        prop_assert_eq!(&back.papers[0].abstract_text, &text);
        prop_assert_eq!(&back.papers[0].metadata.keywords, &vec![tag]);
    }
}
