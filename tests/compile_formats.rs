//! Every input format with small fixtures, including broken records: what is
//! read, how it is cleaned, the stable ids, duplicates, and the exact
//! diagnostics (`file:line[:col]: severity: message`).

use folio::engine::bundle::Bundle;
use folio::engine::compile::{compile, CompileOptions, Compiled, Input};
use folio::engine::formats::{read, Format, Record};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/formats/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn compile_texts(inputs: &[(&str, &[u8])], options: &CompileOptions) -> Compiled {
    let inputs: Vec<Input<'_>> = inputs.iter().map(|&(name, bytes)| Input { name, bytes }).collect();
    compile(&inputs, options)
}

fn messages(compiled: &Compiled) -> Vec<String> {
    compiled.diagnostics.iter().map(ToString::to_string).collect()
}

/// The records a fixture's reader returns (broken records left out), read
/// as its extension says.
fn records(name: &str, options: &CompileOptions) -> Vec<Record> {
    let text = String::from_utf8(fixture(name)).expect("fixtures are UTF-8");
    let format = options.format.unwrap_or_else(|| Format::detect(name, &text));
    read(format, name, &text, &options.field_map).0
}

fn mapped(field: &str, name: &str) -> CompileOptions {
    CompileOptions { field_map: vec![(field.to_owned(), name.to_owned())], ..Default::default() }
}

/// Compiles `text` as the file `name` and checks every diagnostic, in order;
/// any error means no bundle.
#[track_caller]
fn check(name: &str, text: &str, options: &CompileOptions, expected: &[&str]) {
    let compiled = compile_texts(&[(name, text.as_bytes())], options);
    assert_eq!(messages(&compiled), expected, "diagnostics of {name}");
    let has_error = expected.iter().any(|m| m.contains(": error: "));
    assert_eq!(compiled.bundle.is_none(), has_error, "a bundle exactly when nothing is unusable");
}

#[track_caller]
fn check_fixture(name: &str, options: &CompileOptions, expected: &[&str]) {
    check(name, &String::from_utf8(fixture(name)).unwrap(), options, expected);
}

const NONE: &[&str] = &[];

#[test]
fn every_problem_is_reported_with_its_line() {
    let plain = &CompileOptions::default();
    // JSON Lines: each bad line, not just the first.
    check_fixture(
        "arxiv.jsonl",
        plain,
        &[
            "arxiv.jsonl:4:2: warning: not valid JSON: expected ident (record skipped)",
            "arxiv.jsonl:5: warning: expected a JSON object (one paper per line) (record skipped)",
        ],
    );
    check(
        "cut.jsonl",
        "{\"title\": \"A\", \"abstract\": \"B\"}\n{\"title\": \"C\", \"abs",
        plain,
        &["cut.jsonl:2:19: warning: not valid JSON: EOF while parsing a string (record skipped)"],
    );
    check(
        "empty.jsonl",
        "\n\n",
        plain,
        &["empty.jsonl:1: error: no papers found: expected one JSON object per line"],
    );
    check(
        "nul.jsonl",
        "{\"title\": \"A\"}\n\0\0",
        plain,
        &["nul.jsonl:2: error: binary data (NUL byte): not a text corpus"],
    );
    // JSON arrays: the line of the element, or of the syntax error.
    check_fixture("papers.json", plain, &["papers.json:13: warning: element 3 is not a paper object (record skipped)"]);
    check(
        "syntax.json",
        "[\n  {\"title\": \"A\",\n   \"abstract\": }\n]",
        plain,
        &["syntax.json:3:16: error: not valid JSON: expected value"],
    );
    // A paper needs a title, nothing else; a record without one is skipped.
    check("wrapped.json", "{\"meta\": {\"sizes\": [1,\n 2]},\n \"papers\": [\n  {\"title\": \"A\", \"abstract\": \"B\"},\n  {\"title\": \"C\"},\n  {\"abstract\": \"D\"}\n]}", plain, &[
        "wrapped.json:6: warning: record has no title: a paper needs one (record skipped)",
    ]);
    check("repr.jsonl", "{'title': 'A', 'abstract': 'B'}\n{'title': 'C'}\n", plain, &[
        "repr.jsonl:1:2: warning: not valid JSON: key must be a string (record skipped)",
        "repr.jsonl:2:2: warning: not valid JSON: key must be a string (record skipped)",
        "repr.jsonl: error: no paper could be read from this file as jsonl (2 record(s) skipped)",
    ]);
    check("scalar.json", "42", plain, &["scalar.json:1: error: expected a JSON array of papers"]);
    check(
        "object.json",
        "{\"count\": 1}",
        plain,
        &["object.json:1: error: expected a JSON array of papers (or an object with a \"papers\" array)"],
    );
    // BibTeX: every broken entry, a reused key is only a warning.
    check_fixture("refs.bib", plain, NONE);
    check_fixture(
        "broken.bib",
        plain,
        &[
            "broken.bib:13:3: warning: BibTeX syntax error: expected comma (record skipped)",
            "broken.bib:17: warning: citation key \"good1\" is also used at line 4",
            "broken.bib:20: warning: @string macro \"undefinedmacro\" has no definition here: kept as its name (define it with @string{undefinedmacro = \"...\"}, or compile the file that does with this one)",
        ],
    );
    check("cycle.bib", "@string{a = b # \"x\"}\n@string{b = a}\n@misc{k, title = a, abstract = {y}}\n@misc{m, title = {M}, abstract = {z}}\n", plain, &[
        "cycle.bib:1:9: warning: BibTeX @string left out: @string macro \"a\" is defined through itself (or nests over 32 levels)",
        "cycle.bib:2:9: warning: BibTeX @string left out: @string macro \"b\" is defined through itself (or nests over 32 levels)",
        "cycle.bib:3: warning: @string macro \"a\" has no definition here: kept as its name (define it with @string{a = \"...\"}, or compile the file that does with this one)",
    ]);
    check(
        "deep.bib",
        &format!("@misc{{k, title = {}x{}, abstract = {{y}}}}\n", "{".repeat(40), "}".repeat(40)),
        plain,
        &[
            "deep.bib:1:49: warning: BibTeX syntax error: braces nested over 32 levels deep (record skipped)",
            "deep.bib: error: no paper could be read from this file as bibtex (1 record(s) skipped)",
        ],
    );
    check("empty.bib", "% nothing here\n", plain, &["empty.bib:1: error: no BibTeX entries found"]);
    check(
        "dup.bib",
        "@misc{k, title={A}, abstract={x}}\n@misc{k, title={B}, abstract={y}}\n",
        plain,
        &["dup.bib:2: warning: citation key \"k\" is also used at line 1"],
    );
    // CSV and TSV: columns by name or by --map; rows by line.
    check_fixture("odd-headers.csv", plain, &[
        "odd-headers.csv:1: error: no title column among [Headline, Summary, Authors, Year, Code]: name it, or map it with --map title=\"Column Name\"",
    ]);
    check_fixture("odd-headers.csv", &mapped("title", "Headline"), NONE);
    check_fixture("odd-headers.csv", &mapped("title", "Paper Title"), &[
        "odd-headers.csv:1: error: --map title=\"Paper Title\": no such column among [Headline, Summary, Authors, Year, Code]",
    ]);
    check_fixture("broken.csv", plain, NONE);
    check(
        "header.csv",
        "title,abstract\n",
        plain,
        &["header.csv:2: error: no papers found: the file has a header row but no data rows"],
    );
    check(
        "ragged.tsv",
        "title\tabstract\nA\tB\nC\nD\tE\textra\n",
        plain,
        NONE,
    );
    check("latin1.csv", "title,abstract\ncaf\u{e9},x\n", plain, NONE);
    check_fixture("simple.tsv", plain, NONE);
}

#[test]
fn invalid_utf8_is_reported_at_its_line_and_column() {
    let compiled =
        compile_texts(&[("latin1.csv", b"title,abstract\ncaf\xe9,x\n")], &CompileOptions::default());
    assert_eq!(messages(&compiled), ["latin1.csv:2:4: error: invalid UTF-8: save the file as UTF-8 text"]);
}

#[test]
fn json_lines_read_arxiv_and_hugging_face_fields() {
    let records = records("arxiv.jsonl", &CompileOptions::default());
    assert_eq!(records.len(), 4);
    let mistral = &records[0];
    assert_eq!(mistral.title, "Mistral 7B");
    assert_eq!(mistral.metadata.authors, ["Albert Q. Jiang", "Alexandre Sablayrolles"]);
    assert_eq!((mistral.metadata.year, mistral.metadata.arxiv.as_deref()), (Some(2023), Some("2310.06825")));
    assert_eq!(
        mistral.metadata.date.as_deref(),
        Some("Tue, 10 Oct 2023 17:54:58 GMT"),
        "the first version, not the last update"
    );
    assert_eq!(mistral.metadata.categories, ["cs.CL", "cs.AI"]);
    let mixtral = &records[1];
    assert_eq!(
        mixtral.abstract_text,
        "We introduce Mixtral 8x7B, a Sparse Mixture of Experts (SMoE) language model."
    );
    assert_eq!((mixtral.metadata.arxiv.as_deref(), mixtral.metadata.year), (Some("2401.04088"), Some(2024)));
    assert_eq!(mixtral.metadata.code_url.as_deref(), Some("https://github.com/mistralai/mistral-src"));
    assert_eq!(mixtral.metadata.keywords, ["Sparse Mixture of Experts", "routing"]);
    let untold = &records[2];
    assert_eq!((untold.title.as_str(), untold.abstract_text.as_str()), ("No abstract here", ""));
    assert_eq!(untold.metadata.authors, ["A. Person"], "a paper without an abstract keeps its other fields");
    let attention = &records[3];
    assert_eq!(attention.title, "An $O(n \\log n)$ Attention", "JSON text as written: math is the app's to render");
    assert_eq!(attention.metadata.doi.as_deref(), Some("10.5555/abc.123"));
}

#[test]
fn json_arrays_read_hugging_face_papers_nested_or_flat() {
    let records = records("hugging-face.json", &CompileOptions::default());
    let daily = &records[0];
    assert_eq!((daily.line, daily.title.as_str()), (2, "A Daily Paper"));
    assert_eq!(daily.abstract_text, "Nested in a paper object, as the daily papers API returns it.");
    assert_eq!(daily.metadata.authors, ["Ada Lovelace", "Alan Turing"]);
    assert_eq!((daily.metadata.arxiv.as_deref(), daily.metadata.year), (Some("2401.12345"), Some(2024)));
    assert_eq!(daily.metadata.date.as_deref(), Some("2024-01-22T10:00:00.000Z"));
    assert_eq!(daily.metadata.keywords, ["daily", "papers"]);
    let flat = &records[1];
    assert_eq!((flat.line, flat.metadata.arxiv.as_deref()), (14, Some("2402.00002")));
    assert_eq!(flat.metadata.code_url.as_deref(), Some("https://github.com/example/flat"));
    assert_eq!(flat.metadata.url.as_deref(), Some("https://example.org/flat"));
}

#[test]
fn json_lines_read_the_fields_of_the_real_corpora() {
    let records = records("folio-corpus.jsonl", &CompileOptions::default());
    let neurips = &records[0];
    assert_eq!(neurips.title, "Scaling $\\mathcal{O}(n)$ Attention", "JSON text kept as written");
    assert_eq!(
        neurips.abstract_text, "We scale attention \u{201c}linearly\u{201d}.",
        "Windows-1252 quotes repaired"
    );
    assert_eq!((neurips.metadata.year, neurips.metadata.venue.as_deref()), (Some(2023), Some("NeurIPS")));
    assert_eq!(neurips.metadata.arxiv, None, "a venue id is not an arXiv id");
    assert_eq!(neurips.metadata.keywords, ["attention", "scaling"]);
    assert_eq!(neurips.metadata.code_url.as_deref(), Some("https://github.com/example/abc"));
    let acl = &records[1];
    assert_eq!(acl.metadata.doi.as_deref(), Some("10.18653/v1/2024.acl-long.1"));
    assert_eq!(
        (acl.metadata.authors.len(), acl.metadata.url.as_deref()),
        (0, Some("https://aclanthology.org/2024.acl-long.1/"))
    );
    let snapshot = &records[2];
    assert_eq!(snapshot.metadata.authors, ["A. Einstein", "B. Podolsky", "N. Rosen"]);
    assert_eq!(snapshot.metadata.categories, ["quant-ph", "physics.hist-ph"]);
    assert_eq!((snapshot.metadata.year, snapshot.metadata.venue.as_deref()), (Some(2008), Some("Phys. Rev. 47, 777 (1935)")));
}

#[test]
fn bibtex_decodes_braces_accents_and_string_macros() {
    let records = records("refs.bib", &CompileOptions::default());
    assert_eq!(records.len(), 3);
    let attention = &records[0];
    assert_eq!((attention.line, attention.title.as_str()), (3, "Attention Is All You Need"));
    assert_eq!(attention.metadata.authors, ["Ashish Vaswani", "Noam Shazeer"]);
    assert_eq!(attention.metadata.venue.as_deref(), Some("Proceedings of ACL"), "@string macro expanded");
    assert_eq!((attention.metadata.year, attention.metadata.arxiv.as_deref()), (Some(2017), Some("1706.03762")));
    assert_eq!(attention.metadata.keywords, ["transformers", "attention"]);
    let goedel = &records[1];
    assert_eq!(goedel.title, "Über formal unentscheidbare Sätze");
    assert_eq!((goedel.metadata.authors.as_slice(), goedel.metadata.year), (&["Kurt Gödel".to_owned()][..], Some(1931)));
    let untold = &records[2];
    assert_eq!((untold.title.as_str(), untold.abstract_text.as_str(), untold.metadata.year), ("A Title Without Abstract", "", Some(2020)));
}

#[test]
fn bibtex_reads_the_good_entries_of_a_broken_file() {
    let records = records("broken.bib", &CompileOptions::default());
    let titles: Vec<(usize, &str)> = records.iter().map(|r| (r.line, r.title.as_str())).collect();
    assert_eq!(
        titles,
        [(4, "Sparse Mixture of Experts"), (17, "Same key, other paper"), (23, "The Lévy Flight of Öptimizers")]
    );
    assert_eq!(records[1].metadata.venue.as_deref(), Some("undefinedmacro"), "an undefined macro is kept as its name");
    assert_eq!(records[0].metadata.authors, ["Albert Q. Jiang", "Mistral AI"]);
    assert_eq!(records[0].metadata.venue.as_deref(), Some("Advances in NeurIPS"));
    assert_eq!(records[2].metadata.arxiv.as_deref(), Some("2312.00001"));
}

#[test]
fn bibtex_entries_inherit_from_their_crossref_even_in_a_cycle() {
    let text = "@proceedings{acl24, booktitle = {Proceedings of ACL}, year = 2024, crossref = {p1}}\n\
                @inproceedings{p1, title = {A Paper}, abstract = {x}, crossref = {acl24}}\n";
    let compiled = compile_texts(&[("x.bib", text.as_bytes())], &CompileOptions::default());
    assert_eq!(
        messages(&compiled),
        ["x.bib:1: warning: record has no title: a paper needs one (record skipped)"]
    );
    let records = read(Format::BibTex, "x.bib", text, &[]).0;
    assert_eq!(records.len(), 1);
    assert_eq!((records[0].metadata.venue.as_deref(), records[0].metadata.year), (Some("Proceedings of ACL"), Some(2024)));
}

#[test]
fn csv_columns_map_by_name_or_by_option() {
    let records = records("odd-headers.csv", &mapped("title", "headline"));
    assert_eq!(records.len(), 2);
    assert_eq!((records[1].title.as_str(), records[1].abstract_text.as_str()), ("Only a title", ""));
    assert_eq!(records[0].title, "Tree-based decoding, revisited");
    assert_eq!(records[0].abstract_text, "An abstract, with a comma and \"quotes\".");
    assert_eq!(records[0].metadata.authors, ["Ada Lovelace", "Alan Turing"]);
    assert_eq!(
        (records[0].metadata.year, records[0].metadata.code_url.as_deref()),
        (Some(2022), Some("https://github.com/x/y"))
    );
}

#[test]
fn a_format_override_beats_detection() {
    let bundle =
        compile_texts(&[("simple.tsv", &fixture("simple.tsv"))], &CompileOptions::default()).bundle.unwrap();
    assert_eq!((bundle.papers[0].title.as_str(), bundle.papers[0].metadata.year), ("TSV paper", Some(2019)));
    assert_eq!(bundle.sources[0].format, "tsv");
    let as_listing = CompileOptions { format: Some(Format::Listing), ..Default::default() };
    check_fixture("simple.tsv", &as_listing, &[
        "simple.tsv:1: warning: title \"title abstract year\" has no abstract: line 2 looks like another title (abstracts are one line of at least 200 characters) (record skipped)",
        "simple.tsv:2: warning: title \"TSV paper Tab separated abstract. 2019\" has no abstract: the file ends here (truncated last record?) (record skipped)",
        "simple.tsv: error: no paper could be read from this file as listing (2 record(s) skipped)",
    ]);
    let csv_named_txt = compile_texts(
        &[("papers.txt", b"title,abstract\nA,B\n")],
        &CompileOptions { format: Some(Format::Csv), ..Default::default() },
    );
    assert_eq!(csv_named_txt.bundle.unwrap().papers[0].abstract_text, "B");
}

#[test]
fn a_json_file_with_one_object_per_line_is_read_as_json_lines() {
    // arXiv's metadata snapshot is JSON Lines named `.json`; its names carry TeX.
    let text = concat!(
        r#"{"id": "0704.0001", "title": "Calculation of prompt diphoton production", "abstract": "  A fully\n differential calculation.\n", "authors": "C. Bal\\'azs, E. L. Berger and P. M. Nadolsky", "update_date": "2008-11-13"}"#,
        "\n",
        r#"{"id": "0704.0002", "title": "Sparsity-certifying Graph Decompositions", "abstract": "We describe a new algorithm.", "authors_parsed": [["Streinu", "Ileana", ""], ["Theran", "Louis", ""]]}"#,
        "\n",
    );
    let compiled =
        compile_texts(&[("arxiv-metadata-oai-snapshot.json", text.as_bytes())], &CompileOptions::default());
    assert_eq!(messages(&compiled), NONE);
    let bundle = compiled.bundle.unwrap();
    assert_eq!(bundle.sources[0].format, "jsonl");
    let ids: Vec<&str> = bundle.papers.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["arxiv:0704.0001", "arxiv:0704.0002"]);
    assert_eq!(bundle.papers[0].metadata.authors, ["C. Balázs", "E. L. Berger", "P. M. Nadolsky"]);
    assert_eq!(
        (bundle.papers[0].abstract_text.as_str(), bundle.papers[0].metadata.year),
        ("A fully differential calculation.", Some(2008))
    );
    assert_eq!(bundle.papers[1].metadata.authors, ["Ileana Streinu", "Louis Theran"]);
}

#[test]
fn duplicates_across_files_merge_with_a_warning_naming_both() {
    let jsonl = br#"{"id": "2401.04088v1", "title": "Mixtral of Experts", "summary": "Short."}"#;
    let array = br#"[{"id": "2401.04088", "title": "Mixtral of Experts", "abstract": "x", "venue": "arXiv", "year": 2024}]"#;
    let bib = b"@misc{m, title = {{Mixtral} of experts!}, abstract = {Another copy.}, doi = {10.1/m}}\n";
    let compiled =
        compile_texts(&[("a.jsonl", jsonl), ("b.json", array), ("c.bib", bib)], &CompileOptions::default());
    assert_eq!(
        messages(&compiled),
        [
            "b.json:1: warning: duplicate of the paper at a.jsonl:1 (same id): merged into it",
            "c.bib:1: warning: duplicate of the paper at a.jsonl:1 (same title): merged into it",
        ]
    );
    let bundle = compiled.bundle.expect("warnings still give a bundle");
    assert_eq!(bundle.papers.len(), 1);
    let mixtral = &bundle.papers[0];
    assert_eq!(
        (mixtral.id.as_str(), mixtral.abstract_text.as_str()),
        ("arxiv:2401.04088", "Short."),
        "the first is kept"
    );
    assert_eq!(
        (mixtral.metadata.venue.as_deref(), mixtral.metadata.year),
        (Some("arXiv"), Some(2024)),
        "filled from the second"
    );
    assert_eq!(mixtral.metadata.doi.as_deref(), Some("10.1/m"), "filled from the third");
    let strict = CompileOptions { strict: true, ..Default::default() };
    assert!(
        compile_texts(&[("a.jsonl", jsonl), ("b.json", array)], &strict).bundle.is_none(),
        "--strict: warnings withhold it"
    );
}

#[test]
fn a_paper_known_by_arxiv_id_and_doi_merges_with_a_copy_known_by_the_doi() {
    let jsonl = br#"{"id": "2401.04088", "title": "Mixtral of Experts", "abstract": "x", "doi": "10.1/M"}"#;
    let bib = b"@article{m, title = {Mixtral: Experts, Sparsely Mixed}, abstract = {y}, doi = {10.1/m}, year = 2024}\n";
    let compiled = compile_texts(&[("a.jsonl", jsonl), ("b.bib", bib)], &CompileOptions::default());
    assert_eq!(messages(&compiled), ["b.bib:1: warning: duplicate of the paper at a.jsonl:1 (same id): merged into it"]);
    let bundle = compiled.bundle.unwrap();
    assert_eq!((bundle.papers.len(), bundle.papers[0].id.as_str(), bundle.papers[0].metadata.year), (1, "arxiv:2401.04088", Some(2024)));
}

#[test]
fn ids_prefer_arxiv_then_doi_then_the_title() {
    let text = concat!(
        r#"{"title": "A", "abstract": "x", "arxiv": "2401.00001v3", "doi": "10.1/a"}"#,
        "\n",
        r#"{"title": "B", "abstract": "x", "doi": "https://doi.org/10.1/B"}"#,
        "\n",
        r#"{"title": "The  C paper.", "abstract": "x"}"#,
        "\n",
        r#"{"title": "?!", "abstract": "x"}"#,
        "\n",
        r#"{"title": "...", "abstract": "y"}"#,
        "\n",
    );
    let bundle = compile_texts(&[("ids.jsonl", text.as_bytes())], &CompileOptions::default()).bundle.unwrap();
    let ids: Vec<&str> = bundle.papers.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids[..2], ["arxiv:2401.00001", "doi:10.1/b"]);
    assert_eq!(ids[2], folio::engine::bundle::stable_id("the c paper"));
    assert!(ids[2].starts_with("t-") && ids[2].len() == 14);
    assert_eq!(ids.len(), 5, "titles without letters are not merged on their empty key");
}

#[test]
fn optional_fields_stay_optional_and_the_bundle_round_trips() {
    let bundle: Bundle =
        compile_texts(&[("simple.tsv", &fixture("simple.tsv"))], &CompileOptions::default()).bundle.unwrap();
    let json = bundle.to_json();
    for absent in ["\"authors\"", "\"doi\"", "\"venue\"", "\"keywords\"", "\"date\""] {
        assert!(!json.contains(absent), "{absent} in {json}");
    }
    assert_eq!(Bundle::from_json(&json).unwrap(), bundle);

    let bib = fixture("refs.bib");
    let with_abstracts = &bib[..bib.windows(5).position(|w| w == b"@misc").unwrap()];
    let rich = compile_texts(
        &[
            ("c.jsonl", &fixture("folio-corpus.jsonl")),
            ("h.json", &fixture("hugging-face.json")),
            ("r.bib", with_abstracts),
        ],
        &CompileOptions::default(),
    );
    let rich = rich.bundle.expect("compiles");
    let json = rich.to_json();
    assert!(
        json.contains("\"schema_version\":2")
            && json.contains("\"authors\":[\"Ada Lovelace\",\"Alan Turing\"]")
    );
    assert_eq!(Bundle::from_json(&json).unwrap(), rich);
}
