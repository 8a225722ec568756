//! Every input format with small fixtures, including broken records: what is
//! read, how it is cleaned, the stable ids, duplicates, and the exact
//! diagnostics.

use folio::engine::bundle::{Bundle, Paper};
use folio::engine::compile::{compile, CompileOptions, Compiled, Input};
use folio::engine::formats::Format;

fn fixture(name: &str) -> (String, Vec<u8>) {
    let path = format!("{}/tests/fixtures/formats/{name}", env!("CARGO_MANIFEST_DIR"));
    (name.to_owned(), std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

fn compile_files(names: &[&str], options: &CompileOptions) -> Compiled {
    let files: Vec<(String, Vec<u8>)> = names.iter().map(|n| fixture(n)).collect();
    let inputs: Vec<Input<'_>> = files.iter().map(|(name, bytes)| Input { name, bytes }).collect();
    compile(&inputs, options)
}

fn messages(compiled: &Compiled) -> Vec<String> {
    compiled.diagnostics.iter().map(ToString::to_string).collect()
}

/// Compiles records without the broken ones: the readers' output, via the
/// records that survive (errors stop the bundle, so read them directly).
fn records(name: &str, options: &CompileOptions) -> Vec<folio::engine::formats::Record> {
    let (file, bytes) = fixture(name);
    let text = String::from_utf8(bytes).unwrap();
    let format = options.format.unwrap_or_else(|| Format::detect(&file, &text));
    folio::engine::formats::read(format, &file, &text, &options.field_map).0
}

#[track_caller]
fn check_diagnostics(name: &str, expected: &[&str]) {
    let compiled = compile_files(&[name], &CompileOptions::default());
    assert_eq!(messages(&compiled), expected);
    assert!(compiled.bundle.is_none(), "an unusable record means no bundle");
}

#[test]
fn json_lines_read_arxiv_and_hugging_face_fields() {
    let records = records("arxiv.jsonl", &CompileOptions::default());
    assert_eq!(records.len(), 3);
    let mistral = &records[0];
    assert_eq!(mistral.title, "Mistral 7B");
    assert_eq!(mistral.authors, ["Albert Q. Jiang", "Alexandre Sablayrolles"]);
    assert_eq!((mistral.year, mistral.arxiv.as_deref()), (Some(2023), Some("2310.06825")));
    assert_eq!(mistral.categories, ["cs.CL", "cs.AI"]);
    let mixtral = &records[1];
    assert_eq!(mixtral.abstract_text, "We introduce Mixtral 8x7B, a Sparse Mixture of Experts (SMoE) language model.");
    assert_eq!((mixtral.arxiv.as_deref(), mixtral.year), (Some("2401.04088"), Some(2024)));
    assert_eq!(mixtral.code_url.as_deref(), Some("https://github.com/mistralai/mistral-src"));
    assert_eq!(mixtral.keywords, ["Sparse Mixture of Experts", "routing"]);
    let attention = &records[2];
    assert_eq!(attention.title, "An O(n log n) Attention");
    assert_eq!(attention.doi.as_deref(), Some("10.5555/abc.123"));
}

#[test]
fn json_lines_report_every_bad_line() {
    check_diagnostics(
        "arxiv.jsonl",
        &[
            "arxiv.jsonl:3: error: record has no abstract: a paper needs a title and an abstract",
            "arxiv.jsonl:4:2: error: not valid JSON: expected ident",
            "arxiv.jsonl:5: error: expected a JSON object (one paper per line)",
        ],
    );
}

#[test]
fn json_arrays_point_at_the_element_line() {
    check_diagnostics("papers.json", &["papers.json:13: error: element 3 is not a paper object"]);
}

#[test]
fn duplicates_across_files_merge_with_a_warning_naming_both() {
    let (mut jsonl, _) = (records("arxiv.jsonl", &CompileOptions::default()), ());
    jsonl.truncate(2);
    // Only the good lines of the JSON Lines file, then the JSON array.
    let good: Vec<String> = std::fs::read_to_string(format!("{}/tests/fixtures/formats/arxiv.jsonl", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .lines()
        .take(2)
        .map(str::to_owned)
        .collect();
    let good = good.join("\n");
    let array = r#"[{"id": "2401.04088", "title": "Mixtral of Experts", "abstract": "x", "venue": "arXiv", "year": 2024}]"#;
    let compiled = compile(
        &[Input { name: "a.jsonl", bytes: good.as_bytes() }, Input { name: "b.json", bytes: array.as_bytes() }],
        &CompileOptions::default(),
    );
    assert_eq!(messages(&compiled), ["b.json:1: warning: duplicate of the paper at a.jsonl:2 (same id): merged into it"]);
    let bundle = compiled.bundle.expect("warnings still give a bundle");
    let mixtral = bundle.papers.iter().find(|p| p.id == "arxiv:2401.04088").unwrap();
    assert_eq!(mixtral.venue.as_deref(), Some("arXiv"), "missing fields are filled from the duplicate");
    assert_eq!(bundle.papers.len(), 2);
}

#[test]
fn bibtex_decodes_braces_accents_and_string_macros() {
    let records = records("refs.bib", &CompileOptions::default());
    assert_eq!(records.len(), 2);
    let attention = &records[0];
    assert_eq!(attention.title, "Attention Is All You Need");
    assert_eq!(attention.authors, ["Ashish Vaswani", "Noam Shazeer"]);
    assert_eq!(attention.venue.as_deref(), Some("Proceedings of ACL"));
    assert_eq!((attention.year, attention.arxiv.as_deref()), (Some(2017), Some("1706.03762")));
    assert_eq!(attention.keywords, ["transformers", "attention"]);
    let goedel = &records[1];
    assert_eq!(goedel.title, "Über formal unentscheidbare Sätze");
    assert_eq!(goedel.authors, ["Kurt Gödel"]);
    check_diagnostics("refs.bib", &["refs.bib:22: error: record has no abstract: a paper needs a title and an abstract"]);
}

#[test]
fn csv_columns_map_by_name_or_by_option() {
    let unmapped = compile_files(&["odd-headers.csv"], &CompileOptions::default());
    assert_eq!(
        messages(&unmapped),
        ["odd-headers.csv:1: error: no title column among [Headline, Summary, Authors, Year, Code]: name it, or map it with --map title=\"Column Name\""]
    );
    let options = CompileOptions { field_map: vec![("title".into(), "Headline".into())], ..Default::default() };
    let records = records("odd-headers.csv", &options);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].title, "Tree-based decoding, revisited");
    assert_eq!(records[0].abstract_text, "An abstract, with a comma and \"quotes\".");
    assert_eq!(records[0].authors, ["Ada Lovelace", "Alan Turing"]);
    assert_eq!(records[0].code_url.as_deref(), Some("https://github.com/x/y"));
    let compiled = compile_files(&["odd-headers.csv"], &options);
    assert_eq!(messages(&compiled), ["odd-headers.csv:3: error: record has no abstract: a paper needs a title and an abstract"]);
}

#[test]
fn tsv_and_a_format_override() {
    let compiled = compile_files(&["simple.tsv"], &CompileOptions::default());
    let bundle = compiled.bundle.expect("compiles");
    assert_eq!((bundle.papers[0].title.as_str(), bundle.papers[0].year), ("TSV paper", Some(2019)));
    assert_eq!(bundle.sources[0].format, "tsv");
    let forced = compile_files(&["simple.tsv"], &CompileOptions { format: Some(Format::Listing), ..Default::default() });
    assert!(forced.bundle.is_none(), "read as a listing, the TSV has no abstracts");
}

#[test]
fn a_broken_csv_row_is_reported_with_its_line() {
    let compiled = compile_files(&["broken.csv"], &CompileOptions::default());
    assert!(compiled.bundle.is_none());
    assert!(messages(&compiled).iter().all(|m| m.starts_with("broken.csv:2")), "{:?}", messages(&compiled));
}

#[test]
fn ids_prefer_arxiv_then_doi_then_the_title() {
    let text = concat!(
        r#"{"title": "A", "abstract": "x", "arxiv": "2401.00001v3", "doi": "10.1/a"}"#, "\n",
        r#"{"title": "B", "abstract": "x", "doi": "10.1/B"}"#, "\n",
        r#"{"title": "C", "abstract": "x"}"#, "\n",
    );
    let bundle = compile(&[Input { name: "ids.jsonl", bytes: text.as_bytes() }], &CompileOptions::default()).bundle.unwrap();
    let ids: Vec<&str> = bundle.papers.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids[..2], ["arxiv:2401.00001", "doi:10.1/b"]);
    assert!(ids[2].starts_with("t-") && ids[2].len() == 14);
}

#[test]
fn optional_fields_stay_optional_in_the_bundle() {
    let bundle: Bundle = compile_files(&["simple.tsv"], &CompileOptions::default()).bundle.unwrap();
    let json = bundle.to_json();
    assert!(!json.contains("\"authors\"") && !json.contains("\"doi\""));
    let back = Bundle::from_json(&json).unwrap();
    assert_eq!(back, bundle);
    let _: &Paper = &back.papers[0];
}
