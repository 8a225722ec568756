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
    // Tagged exports: EndNote, Web of Science, MEDLINE.
    check_fixture("refs.enw", plain, &["refs.enw:29: warning: record has no title: a paper needs one (record skipped)"]);
    check_fixture("savedrecs.txt", plain, &[
        "savedrecs.txt:21: warning: Web of Science record has no ER line: read up to the next PT",
        "savedrecs.txt:27: warning: record has no title: a paper needs one (record skipped)",
    ]);
    check_fixture("pubmed.nbib", plain, &[
        "pubmed.nbib:21: warning: record has no title: a paper needs one (record skipped)",
        "pubmed.nbib:25: warning: 1 line(s) outside any MEDLINE record ignored (the first is here)",
    ]);
    check("untitled.enw", "%0 Generic\n%A Nobody, A.\n", plain, &[
        "untitled.enw:1: warning: record has no title: a paper needs one (record skipped)",
        "untitled.enw: error: no paper could be read from this file as endnote (1 record(s) skipped)",
    ]);
    check_fixture("endnote.xml", plain, &["endnote.xml:31: warning: record has no title: a paper needs one (record skipped)"]);
    check("cut.xml", "<xml><records>\n<record><titles><title>Kept</title></titles></record>\n<record><titles><title>Cut</title></titles", plain, &[
        "cut.xml:3: warning: EndNote XML: a tag is never closed (a `<` without its `>`): the rest of the file is left out",
        "cut.xml:3: warning: EndNote XML record has no </record>: read up to the end of the file",
    ]);
    // Old Scopus RIS starts records at TI, without TY: each reads up to its ER.
    check("scopus.ris", "TI  - A\nAU  - Cleeman J.I.\nER  - \n\nN1  - Export Date: 3 January 2016\nER  - \n\nTI  - B\nER  - \n", plain, &[
        "scopus.ris:5: warning: record has no title: a paper needs one (record skipped)",
    ]);
    check("open.ciw", "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI A title\n", plain, &[
        "open.ciw:3: warning: Web of Science record has no ER line: read up to the end of the file",
    ]);
    check("stray.ciw", "FN Thomson Reuters Web of Science\nVR 1.0\nTI Outside\nPT J\nTI Inside\nER\nEF\n", plain, &[
        "stray.ciw:3: warning: 1 line(s) outside any Web of Science record ignored (the first is here)",
    ]);
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
    assert_eq!(messages(&compiled), NONE, "the untitled proceedings is a parent, not a paper to skip");
    let records = read(Format::BibTex, "x.bib", text, &[]).0;
    assert_eq!(records.len(), 1, "the proceedings is p1's parent, not a paper");
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

#[test]
fn endnote_reads_wrapped_fields_keyword_lines_and_refer_records() {
    let records = records("refs.enw", &CompileOptions::default());
    let titles: Vec<(usize, &str)> = records.iter().map(|r| (r.line, r.title.as_str())).collect();
    assert_eq!(
        titles,
        [
            (1, "Attention Is All You Need"),
            (17, "CODI: Compressing Chain-of-Thought into Continuous Space via Self-Distillation"),
            (33, "Some Applications of Inverted Indexes on the UNIX System"),
        ]
    );
    let attention = &records[0];
    assert_eq!(attention.metadata.authors, ["Ashish Vaswani", "Noam Shazeer"]);
    assert_eq!(
        attention.abstract_text,
        "The dominant sequence transduction models are based on complex recurrent networks. \
         We propose a new simple network architecture, the Transformer.",
        "a paragraph after a blank line is still the abstract"
    );
    assert_eq!(attention.metadata.keywords, ["transformers", "attention"], "one a line, once each");
    assert_eq!((attention.metadata.year, attention.metadata.arxiv.as_deref()), (Some(2017), Some("1706.03762")));
    assert_eq!(attention.metadata.venue.as_deref(), Some("Advances in Neural Information Processing Systems"));
    let acl = &records[1];
    assert_eq!(
        acl.metadata.venue.as_deref(),
        Some("Proceedings of the 2025 Conference on Empirical Methods in Natural Language Processing"),
        "%S when there is no %J or %B"
    );
    assert_eq!(acl.metadata.authors, ["Zhenyi Shen"], "%Y editors are not authors");
    assert_eq!(acl.metadata.date.as_deref(), Some("November 2025"));
    assert_eq!(acl.metadata.doi.as_deref(), Some("10.18653/v1/2025.emnlp-main.36"));
    assert_eq!(acl.metadata.url.as_deref(), Some("https://aclanthology.org/2025.emnlp-main.36/"));
    assert_eq!(acl.metadata.keywords, ["黄芪", "药理作用"], "CNKI cuts keywords by ;");
    let refer = &records[2];
    assert_eq!(refer.metadata.authors, ["M. E. Lesk"]);
    assert_eq!((refer.metadata.venue.as_deref(), refer.metadata.year), (Some("Computing Science Technical Report"), Some(1978)));
}

#[test]
fn web_of_science_reads_full_names_wrapped_lines_and_both_keyword_fields() {
    let records = records("savedrecs.txt", &CompileOptions::default());
    assert_eq!(records.len(), 2);
    let circular = &records[0];
    assert_eq!((circular.line, circular.title.as_str()), (3, "Circular economy metrics for batteries: Enhancing sustainability in energy storage systems"));
    assert_eq!(circular.metadata.authors, ["Xin Bin", "Jagruti Thakur"], "AF's full names, one a line");
    assert_eq!(circular.metadata.venue.as_deref(), Some("SUSTAINABLE PRODUCTION AND CONSUMPTION"), "as written");
    assert_eq!(
        circular.metadata.keywords,
        ["Circularity Indicators", "Circular Economy", "Matrice d'Impacts Croises Multiplication", "End-of-life", "TECHNOLOGIES", "INDICATORS"],
        "a keyword wrapped onto the next line stays one keyword"
    );
    assert_eq!((circular.metadata.year, circular.metadata.date.as_deref()), (Some(2025), Some("JAN 2025")));
    assert_eq!(circular.metadata.doi.as_deref(), Some("10.1016/j.spc.2024.11.001"));
    assert_eq!(circular.abstract_text, "The transition to a circular economy (CE) is critical.");
    let optical = &records[1];
    assert_eq!(optical.metadata.authors, ["RV Gamernyk"], "AU when there is no AF");
    assert_eq!(optical.title, "Optical and photoelectric spectroscopy of photorefractive Sn2P2S6 crystals");
}

#[test]
fn medline_reads_full_names_the_doi_and_mesh_headings() {
    let records = records("pubmed.nbib", &CompileOptions::default());
    assert_eq!(records.len(), 2);
    let gwas = &records[0];
    assert_eq!(
        gwas.title,
        "Genome-wide association studies identify susceptibility loci for epithelial ovarian cancer in east Asian women."
    );
    assert!(gwas.abstract_text.ends_with("(EOC) have focused largely on populations of European ancestry."));
    assert_eq!(gwas.metadata.authors, ["Kate Lawrenson", "Selvamani"]);
    assert_eq!(gwas.metadata.doi.as_deref(), Some("10.1016/j.ygyno.2019.02.023"), "the LID marked [doi], not [pii]");
    assert_eq!((gwas.metadata.year, gwas.metadata.date.as_deref()), (Some(2019), Some("2019 May")));
    assert_eq!(gwas.metadata.venue.as_deref(), Some("Gynecologic oncology"), "JT before TA");
    assert_eq!(gwas.metadata.url.as_deref(), Some("https://pubmed.ncbi.nlm.nih.gov/30898391/"));
    assert_eq!(gwas.metadata.keywords, ["Asian women", "GWAS", "Aged, 80 and over", "Ovarian Neoplasms"]);
    let chapter = &records[1];
    assert_eq!((chapter.line, chapter.title.as_str()), (27, "Bookshelf Chapter Title"));
    assert_eq!(chapter.metadata.doi.as_deref(), Some("10.1000/book.1"));
}

#[test]
fn endnote_xml_reads_styled_text_entities_and_paths() {
    let records = records("endnote.xml", &CompileOptions::default());
    assert_eq!(records.len(), 2);
    let trends = &records[0];
    assert_eq!(
        (trends.line, trends.title.as_str()),
        (4, "Trends in the lifetime risk of developing cancer in Great Britain: comparison of risk for those born from 1930 to 1960"),
        "style runs joined, wrapped lines cleaned"
    );
    assert_eq!(trends.metadata.authors, ["AS Ahmad", "N Ormiston-Smith"]);
    assert_eq!(trends.metadata.venue.as_deref(), Some("Br J Cancer"), "the secondary title first");
    assert_eq!((trends.metadata.year, trends.metadata.date.as_deref()), (Some(2015), Some("Mar 3 2015")));
    assert_eq!(trends.metadata.keywords, ["Aged, 80 and over", "Female", "Humans"]);
    assert_eq!(trends.abstract_text, "BACKGROUND: Lifetime risk <10% & rising.");
    assert_eq!(trends.metadata.doi.as_deref(), Some("10.1038/bjc.2014.606"));
    assert_eq!(trends.metadata.url.as_deref(), Some("https://www.ncbi.nlm.nih.gov/pubmed/25647015"));
    let one_line = &records[1];
    assert_eq!(
        (one_line.line, one_line.metadata.venue.as_deref()),
        (32, Some("Abaqus Analysis User's Guide 6.13"))
    );
}

#[test]
fn tagged_exports_are_detected_by_extension_and_content() {
    let detected = |name: &str, text: &str| Format::detect(name, text);
    assert_eq!(detected("refs.enw", ""), Format::EndNote);
    assert_eq!(detected("My EndNote Library.txt", "%0 Journal Article\n%T x\n"), Format::EndNote);
    assert_eq!(detected("savedrecs.txt", "\u{feff}FN Clarivate Analytics Web of Science\nVR 1.0\n"), Format::WebOfScience);
    assert_eq!(detected("export.ciw", ""), Format::WebOfScience);
    assert_eq!(detected("pubmed-set.txt", "PMID- 30898391\nOWN - NLM\n"), Format::Medline);
    assert_eq!(detected("citations.nbib", ""), Format::Medline);
    assert_eq!(detected("export", "PMID- 1\nTI  - x\n"), Format::Medline);
    assert_eq!(detected("export", "%0 Book\n%T x\n"), Format::EndNote);
    assert_eq!(detected("library.txt", "% JabRef comment\n@article{a, title={x}}\n"), Format::BibTex);
    assert_eq!(detected("My EndNote Library.xml", ""), Format::EndNoteXml);
    assert_eq!(detected("export", "<?xml version=\"1.0\"?>\n<xml><records><record>"), Format::EndNoteXml);
    assert_eq!(detected("seed.txt", "PT Barnum's Circus\nIts abstract\n"), Format::Listing);
    assert_eq!(detected("seed.txt", "Über formal unentscheidbare Sätze\nIts abstract\n"), Format::Listing);
    for format in [Format::EndNote, Format::EndNoteXml, Format::WebOfScience, Format::Medline] {
        assert_eq!(Format::parse(format.name()), Some(format), "--format {}", format.name());
    }
}

/// Compiles BibTeX `files` together and checks each paper's title, venue
/// and year, in order, and every diagnostic.
#[track_caller]
fn check_crossref(files: &[(&str, &str)], papers: &[(&str, Option<&str>, Option<i32>)], expected: &[&str]) {
    let inputs: Vec<(&str, &[u8])> = files.iter().map(|&(name, text)| (name, text.as_bytes())).collect();
    let compiled = compile_texts(&inputs, &CompileOptions::default());
    assert_eq!(messages(&compiled), expected);
    let bundle = compiled.bundle.expect("a bundle");
    let found: Vec<(&str, Option<&str>, Option<i32>)> =
        bundle.papers.iter().map(|p| (p.title.as_str(), p.metadata.venue.as_deref(), p.metadata.year)).collect();
    assert_eq!(found, papers);
}

#[test]
fn crossref_parents_give_their_venue_and_year_from_any_input_and_are_not_papers() {
    let child = "@inproceedings{a, title = {A Paper}, crossref = {conf24}}\n";
    let volume = "@proceedings{conf24, title = {Proceedings of Conf}, booktitle = {Conf 2024}, year = 2024}\n";
    let in_conf = ("A Paper", Some("Conf 2024"), Some(2024));
    // The parent in another input, before or after the child's.
    check_crossref(&[("biblio.bib", child), ("crossref.bib", volume)], &[in_conf], NONE);
    check_crossref(&[("crossref.bib", volume), ("biblio.bib", child)], &[in_conf], NONE);
    // In the same file, as before.
    check_crossref(&[("one.bib", &format!("{child}{volume}"))], &[in_conf], NONE);
    // A volume without a booktitle names its papers' venue by its title.
    let titled = "@proceedings{conf24, title = {Proceedings of Conf}, year = 2024}\n";
    check_crossref(&[("b.bib", child), ("c.bib", titled)], &[("A Paper", Some("Proceedings of Conf"), Some(2024))], NONE);
    // The volume's macros from a third file.
    let macros = "@string{conf = {Conf 2024}}\n";
    let by_macro = "@proceedings{conf24, booktitle = conf, year = 2024}\n";
    check_crossref(&[("abbrev.bib", macros), ("b.bib", child), ("c.bib", by_macro)], &[in_conf], NONE);
    // A broken file (read entry by entry) inherits too.
    let broken = format!("{child}@misc{{nocomma title = {{x}}}}\n");
    check_crossref(&[("b.bib", &broken), ("c.bib", volume)], &[in_conf], &[
        "b.bib:2:15: warning: BibTeX syntax error: expected comma (record skipped)",
    ]);
    // A chapter's book is its venue, not a paper; a book no entry names is one.
    let books = "@inbook{ch, title = {A Chapter}, crossref = {bk}}\n@book{bk, title = {The Book}, year = 1999}\n\
                 @book{alone, title = {A Book of Its Own}, year = 2001}\n@proceedings{lone, title = {Lone Proceedings}, year = 2002}\n";
    check_crossref(
        &[("books.bib", books)],
        &[("A Chapter", Some("The Book"), Some(1999)), ("A Book of Its Own", None, Some(2001)), ("Lone Proceedings", None, Some(2002))],
        NONE,
    );
    // A parent no input holds: one warning per key, the entries still come in.
    let orphans = "@inproceedings{a, title = {A}, crossref = {nowhere}}\n@inproceedings{b, title = {B}, crossref = {nowhere}}\n\
                   @inproceedings{c, title = {C}, crossref = {elsewhere}, year = 2020}\n";
    check_crossref(&[("orphans.bib", orphans)], &[("A", None, None), ("B", None, None), ("C", None, Some(2020))], &[
        "orphans.bib:1: warning: crossref \"nowhere\" names no entry in any input (2 entries): read without its venue and year (compile the file that defines it with this one)",
        "orphans.bib:3: warning: crossref \"elsewhere\" names no entry in any input: read without its venue and year (compile the file that defines it with this one)",
    ]);
}

#[test]
fn tex_in_bibtex_names_venues_and_links_becomes_readable() {
    // As NASA ADS exports: AAS journal macros, `~` between initials.
    let ads = r#"@ARTICLE{2019MNRAS.490.5300D,
       author = {{D'Ammando}, F. and {Raiteri}, C.~M. and {Ben{\'\i}tez}, E.},
        title = "{The most powerful flaring activity from the NLSy1 PMN J0948+0022}",
      journal = {\mnras},
         year = 2019,
}
@INPROCEEDINGS{knuth,
       author = {D.~E. Knuth and others},
        title = {Literate Programming~Revisited},
    booktitle = {Journ{\'e}es {ACM}},
         year = 1984,
}
@ARTICLE{other,
        title = {A title},
      journal = {\unknownjournal},
}
@inproceedings{DBLP:conf/fossacs/Clouston18,
  title     = {Fitch-Style Modal Lambda Calculi},
  doi       = {10.1007/978-3-319-89366-2\_14},
  url       = {https://doi.org/10.1007/978-3-319-89366-2\_14},
}
"#;
    let records = read(Format::BibTex, "ads.bib", ads, &[]).0;
    let found: Vec<(&str, &[String], Option<&str>)> =
        records.iter().map(|r| (r.title.as_str(), r.metadata.authors.as_slice(), r.metadata.venue.as_deref())).collect();
    let names = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(found[0], ("The most powerful flaring activity from the NLSy1 PMN J0948+0022", &names(&["F. D'Ammando", "C. M. Raiteri", "E. Benítez"])[..], Some("Monthly Notices of the Royal Astronomical Society")));
    assert_eq!(found[1], ("Literate Programming Revisited", &names(&["D. E. Knuth"])[..], Some("Journées ACM")));
    assert_eq!(found[2].2, Some("unknownjournal"), "a macro no table knows loses only its backslash");
    let dblp = &records[3].metadata;
    assert_eq!(dblp.doi.as_deref(), Some("10.1007/978-3-319-89366-2_14"), "DBLP's escaped _ in a DOI");
    assert_eq!(dblp.url.as_deref(), Some("https://doi.org/10.1007/978-3-319-89366-2_14"));
}

#[track_caller]
fn check_keywords(field: &str, expected: &[&str]) {
    let text = format!("@article{{RN1,\n   title = {{A title}},\n   keywords = {field},\n   year = {{2020}}\n}}\n");
    let records = read(Format::BibTex, "k.bib", &text, &[]).0;
    assert_eq!(records[0].metadata.keywords, expected, "keywords = {field}");
    let broken = format!("{text}@misc{{nocomma title = {{x}}}}\n");
    assert_eq!(read(Format::BibTex, "k.bib", &broken, &[]).0[0].metadata.keywords, expected, "entry by entry");
}

#[test]
fn bibtex_keywords_split_as_their_exporter_wrote_them() {
    // EndNote: one a line at the margin, commas inside, `*` for a major topic.
    check_keywords("{Seasons\n*Body Fluids\nDatabases, Protein}", &["Seasons", "Body Fluids", "Databases, Protein"]);
    // An editor's wrapping is indented: the list is cut by its separators.
    check_keywords(
        "{Multi-objective optimization, Smart mobility, Traffic lights\n                  planning}",
        &["Multi-objective optimization", "Smart mobility", "Traffic lights planning"],
    );
    check_keywords("{a; b,c}", &["a", "b,c"]);
    check_keywords("{transformers, attention}", &["transformers", "attention"]);
    check_keywords("\"one\ntwo\"", &["one", "two"]);
}

/// Compiles `text` as `name` and checks each paper's (id, first author)
/// and every diagnostic.
#[track_caller]
fn check_papers(name: &str, text: &str, papers: &[(&str, &str)], expected: &[&str]) {
    let compiled = compile_texts(&[(name, text.as_bytes())], &CompileOptions::default());
    assert_eq!(messages(&compiled), expected);
    let bundle = compiled.bundle.expect("a bundle");
    let found: Vec<(&str, &str)> = bundle
        .papers
        .iter()
        .map(|p| (p.id.as_str(), p.metadata.authors.first().map_or("", String::as_str)))
        .collect();
    assert_eq!(found, papers);
}

#[test]
fn a_shared_title_merges_only_papers_by_the_same_people() {
    use folio::engine::bundle::stable_id;
    let title_id = stable_id("Online reference");
    let by = |author: &str| stable_id(&format!("Online reference {author}"));
    // Mendeley's "Online reference" entries: one title, many sources.
    let online = "@misc{g, title = {{Online reference}}, author = {Greenplum}, year = 2010}\n\
                  @misc{o, title = {{Online reference}}, author = {Oracle}, year = 2012}\n\
                  @misc{g2, title = {{Online reference}}, author = {Greenplum}, year = 2010}\n";
    check_papers(
        "online.bib",
        online,
        &[(&title_id, "Greenplum"), (&by("Oracle"), "Oracle")],
        &["online.bib:3: warning: duplicate of the paper at online.bib:1 (same title): merged into it"],
    );
    // The same people written differently, or no authors on one side: one paper.
    let written = "@article{a, title = {Moral Machines}, author = {Laskaris, Ricardo}}\n\
                   @article{b, title = {Moral machines!}, author = {R. Lask{\\'a}ris}}\n\
                   @article{c, title = {Moral Machines}}\n\
                   @article{d, title = {Moral Machines}, author = {Zhang Wei}}\n\
                   @article{e, title = {Moral Machines}, author = {Wei Zhang}}\n";
    let moral = stable_id("Moral Machines");
    let zhang = stable_id("Moral Machines Zhang Wei");
    check_papers("reviews.bib", written, &[(&moral, "Ricardo Laskaris"), (&zhang, "Zhang Wei")], &[
        "reviews.bib:2: warning: duplicate of the paper at reviews.bib:1 (same title): merged into it",
        "reviews.bib:3: warning: duplicate of the paper at reviews.bib:1 (same title): merged into it",
        "reviews.bib:5: warning: duplicate of the paper at reviews.bib:4 (same title): merged into it",
    ]);
    // A shared DOI is the same paper whoever the authors are said to be.
    let doi = "@article{a, title = {X}, author = {Ann Lee}, doi = {10.1/x}}\n@article{b, title = {Y}, author = {Bo Li}, doi = {10.1/X}}\n";
    check_papers("doi.bib", doi, &[("doi:10.1/x", "Ann Lee")], &[
        "doi.bib:2: warning: duplicate of the paper at doi.bib:1 (same id): merged into it",
    ]);
}
