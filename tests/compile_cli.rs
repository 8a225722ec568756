//! `folio compile` and `folio stats` as a user runs them: several inputs
//! and formats, `.gz`, `--format`, `--map`, `--entities`, `--strict`; exit
//! codes, stderr messages, and no output file on error.

mod common;
use common::temp_dir;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use folio::engine::bundle::Bundle;

fn formats_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats").join(name)
}

fn folio(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio")).args(args).output().expect("folio runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `folio compile ARGS --out DIR/bundle.json` and checks the exit code,
/// the exact stderr lines, and that a bundle exists exactly on success.
#[track_caller]
fn check(dir: &Path, args: &[&Path], code: i32, expected_stderr: &[&str]) -> Option<Bundle> {
    let out = dir.join("bundle.json");
    let _ = std::fs::remove_file(&out);
    let mut all: Vec<&Path> = vec![Path::new("compile")];
    all.extend_from_slice(args);
    all.extend([Path::new("--out"), &out]);
    let output = folio(&all);
    let text = stderr(&output);
    assert_eq!(text.lines().collect::<Vec<_>>(), expected_stderr, "stderr of folio {args:?}");
    assert_eq!(output.status.code(), Some(code), "exit code of folio {args:?}");
    assert_eq!(out.exists(), code == 0, "a bundle exactly on success");
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
    (code == 0).then(|| Bundle::from_json(&std::fs::read_to_string(&out).unwrap()).unwrap())
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn several_formats_compile_into_one_bundle() {
    let dir = temp_dir("compile-cli-several");
    let jsonl =
        write(&dir, "corpus.jsonl.gz", &gzip(&std::fs::read(formats_fixture("folio-corpus.jsonl")).unwrap()));
    let tsv = formats_fixture("simple.tsv");
    let hf = formats_fixture("hugging-face.json");
    let summary = format!(
        "folio: compiled 6 papers from 3 file(s) into {} (0 warning(s))",
        dir.join("bundle.json").display()
    );
    let bundle = check(&dir, &[&jsonl, &tsv, &hf], 0, &[&summary]).unwrap();
    let formats: Vec<(&str, usize)> = bundle.sources.iter().map(|s| (s.format.as_str(), s.papers)).collect();
    assert_eq!(formats, [("jsonl", 3), ("tsv", 1), ("json", 2)]);
    assert_eq!(bundle.papers[0].title, "Scaling $\\mathcal{O}(n)$ Attention", "JSON text as written");
}

#[test]
fn every_problem_of_every_input_is_reported_and_an_unreadable_input_writes_nothing() {
    let dir = temp_dir("compile-cli-errors");
    let listing = write(&dir, "seed.txt", b"Only A Title\n");
    let jsonl = formats_fixture("arxiv.jsonl");
    let bib = formats_fixture("refs.bib");
    let skipped_json = [
        format!("{}:4:2: warning: not valid JSON: expected ident (record skipped)", jsonl.display()),
        format!(
            "{}:5: warning: expected a JSON object (one paper per line) (record skipped)",
            jsonl.display()
        ),
    ];
    check(
        &dir,
        &[&listing, &jsonl, &bib],
        1,
        &[
            &format!("{}:1: warning: title \"Only A Title\" has no abstract: the file ends here (truncated last record?) (record skipped)", listing.display()),
            &format!("{}: error: no paper could be read from this file as listing (1 record(s) skipped)", listing.display()),
            &skipped_json[0],
            &skipped_json[1],
            "folio: 1 error(s), 3 warning(s); no bundle written",
        ],
    );
    // Without the unreadable listing, the rest comes in; the summary says
    // what was skipped and how many papers have no abstract.
    let summary = format!(
        "folio: compiled 7 papers (2 without an abstract) from 2 file(s) into {} (2 warning(s), 2 record(s) skipped)",
        dir.join("bundle.json").display()
    );
    let bundle = check(&dir, &[&jsonl, &bib], 0, &[&skipped_json[0], &skipped_json[1], &summary]).unwrap();
    assert!(bundle
        .papers
        .iter()
        .any(|p| p.title == "A Title Without Abstract" && p.abstract_text.is_empty()));
}

#[test]
fn format_and_map_options_apply_to_every_input() {
    let dir = temp_dir("compile-cli-options");
    let csv_as_txt = write(&dir, "papers.txt", b"Headline,Summary\nA Title,An abstract.\n");
    let summary = format!(
        "folio: compiled 1 papers from 1 file(s) into {} (0 warning(s))",
        dir.join("bundle.json").display()
    );
    let bundle = check(
        &dir,
        &[
            &csv_as_txt,
            Path::new("--format"),
            Path::new("csv"),
            Path::new("--map"),
            Path::new("title=Headline"),
        ],
        0,
        &[&summary],
    );
    assert_eq!(bundle.unwrap().papers[0].abstract_text, "An abstract.");
    check(&dir, &[&csv_as_txt, Path::new("--format"), Path::new("yaml")], 2, &[
        "error: invalid value 'yaml' for '--format <FORMAT>': unknown format \"yaml\": use one of listing, jsonl, json, bibtex, ris, endnote, endnote-xml, wos, medline, csv, tsv",
        "",
        "For more information, try '--help'.",
    ]);
    check(&dir, &[&csv_as_txt, Path::new("--map"), Path::new("heading=Headline")], 2, &[
        "error: invalid value 'heading=Headline' for '--map <FIELD=NAME>': unknown field \"heading\": use one of title, abstract, authors, year, date, venue, url, code, doi, arxiv, categories, keywords",
        "",
        "For more information, try '--help'.",
    ]);
}

#[test]
fn strict_turns_warnings_into_failure() {
    let dir = temp_dir("compile-cli-strict");
    let a = write(&dir, "a.jsonl", br#"{"title": "Same Paper", "abstract": "One."}"#);
    let b = write(&dir, "b.jsonl", br#"{"title": "same paper!", "abstract": "Two."}"#);
    let warning = format!(
        "{}:1: warning: duplicate of the paper at {}:1 (same title): merged into it",
        b.display(),
        a.display()
    );
    let summary = format!(
        "folio: compiled 1 papers from 2 file(s) into {} (1 warning(s))",
        dir.join("bundle.json").display()
    );
    check(&dir, &[&a, &b], 0, &[&warning, &summary]);
    check(
        &dir,
        &[&a, &b, Path::new("--strict")],
        1,
        &[&warning, "folio: 0 error(s), 1 warning(s) (--strict); no bundle written"],
    );
}

#[test]
fn entities_files_extend_the_dictionaries_or_fail_with_their_line() {
    let dir = temp_dir("compile-cli-entities");
    let papers =
        write(&dir, "p.jsonl", br#"{"title": "FooBench for all", "abstract": "We evaluate on FooBench."}"#);
    let good = write(&dir, "mine.json", br#"{"benchmarks": [{"name": "FooBench"}]}"#);
    let summary = format!(
        "folio: compiled 1 papers from 1 file(s) into {} (0 warning(s))",
        dir.join("bundle.json").display()
    );
    let bundle = check(&dir, &[&papers, Path::new("--entities"), &good], 0, &[&summary]).unwrap();
    assert!(bundle.papers[0].enrichment.entities.iter().any(|e| e.name == "FooBench"));
    let broken = write(&dir, "broken.json", b"{\"benchmarks\": [\n  {\"name\": }\n]}");
    let output = folio(&[
        Path::new("compile"),
        &papers,
        Path::new("--entities"),
        &broken,
        Path::new("--out"),
        &dir.join("bundle.json"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with(&format!("{}:2:", broken.display())), "{}", stderr(&output));
}

#[test]
fn unreadable_inputs_exit_2() {
    let dir = temp_dir("compile-cli-unreadable");
    let missing = dir.join("missing.txt");
    check(
        &dir,
        &[&missing],
        2,
        &[&format!(
            "folio: error: {}: cannot read: No such file or directory (os error 2)",
            missing.display()
        )],
    );
    let fake_gz = write(&dir, "fake.jsonl.gz", b"not gzip");
    check(
        &dir,
        &[&fake_gz],
        2,
        &[&format!("folio: error: {}: not a valid gzip file: unexpected end of file", fake_gz.display())],
    );
}

#[test]
fn stats_counts_fields_and_facets() {
    let dir = temp_dir("compile-cli-stats");
    let jsonl = formats_fixture("folio-corpus.jsonl");
    let hf = formats_fixture("hugging-face.json");
    check(
        &dir,
        &[&jsonl, &hf],
        0,
        &[&format!(
            "folio: compiled 5 papers from 2 file(s) into {} (0 warning(s))",
            dir.join("bundle.json").display()
        )],
    );
    let output = folio(&[Path::new("stats"), &dir.join("bundle.json")]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in [
        "  title              5",
        "  authors            4",
        "  year               5",
        "  venue              3",
        "  code_url           2",
        "  doi                1",
        "  arxiv              2",
        "facet venue: 3 values",
        "facet year: 3 values",
    ] {
        assert!(stdout.lines().any(|l| l == line), "stats lacks {line:?}:\n{stdout}");
    }
    let not_a_bundle = write(&dir, "x.json", b"[1]");
    let output = folio(&[Path::new("stats"), &not_a_bundle]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("not a Folio bundle"), "{}", stderr(&output));
}

#[test]
fn shard_size_scales_every_kind_of_shard_and_auto_keeps_a_small_pack_whole() {
    use folio::engine::explorer::Explorer;
    use folio::engine::pack::shards::ShardKind;
    use folio::engine::pack::ShardSizes;
    let dir = temp_dir("compile-cli-shard-size");
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/000_aec88eee982df8fa.txt");
    let (json, pack) = (dir.join("bundle.json"), dir.join("bundle.pack"));
    let compile = |extra: &[&str]| {
        let mut args: Vec<&Path> =
            vec![Path::new("compile"), &seed, Path::new("--out"), &json, Path::new("--pack"), &pack];
        args.extend(extra.iter().map(Path::new));
        let output = folio(&args);
        assert!(output.status.success(), "{}", stderr(&output));
    };
    compile(&[]);
    assert!(
        Explorer::from_pack(std::fs::read(&pack).unwrap()).is_ok(),
        "the seed is under the threshold: one file"
    );
    assert!(!dir.join("shards").exists());

    // Without the vectors: what a pack ships of discovery is tested in
    // tests/discover_cli.rs.
    compile(&["--pack-layout", "sharded", "--shard-size", "3000", "--vectors", "off"]);
    let bundle = Bundle::from_json(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let sizes = ShardSizes {
        postings: 12_000,
        positions: 24_000,
        records: 3000,
        entities: 6000,
        facets: 24_000,
        facet_lists_in_head: 24_000,
        ids: 1500,
        vectors: 48_000,
    };
    let expected = Explorer::new(bundle).into_served_shards(sizes, &mut common::gzip).unwrap();
    let head = folio::engine::open::gunzip("bundle.pack", std::fs::read(&pack).unwrap()).unwrap();
    assert!(head == expected.head, "the head of the bundle cut at 3,000-byte record shards");
    let explorer = Explorer::from_head(&head).unwrap();
    assert!(explorer.shard_ids(ShardKind::Records).count() > 4, "small shards: several record shards");
    assert_eq!(std::fs::read_dir(dir.join("shards")).unwrap().count(), expected.shards.len());
    // The head says how many bytes each kind's files take as written (the
    // page's "Offline" dialog shows them), gzipped: far from their plain
    // bytes; each shard's share of its kind's adds up to it.
    for kind in ShardKind::ALL {
        let ids: Vec<_> = explorer.shard_ids(kind).collect();
        let on_disk: u64 = ids
            .iter()
            .map(|&id| std::fs::metadata(dir.join(explorer.shard_entry(id).unwrap().path())).unwrap().len())
            .sum();
        let plain: u64 = ids.iter().map(|&id| u64::from(explorer.shard_entry(id).unwrap().bytes)).sum();
        assert_eq!(explorer.served_total(kind), on_disk, "{kind:?}");
        let shares: u64 = ids.iter().map(|&id| explorer.served_bytes(id).unwrap()).sum();
        assert!(on_disk - shares <= ids.len() as u64, "{kind:?}: {shares} of {on_disk}");
        if kind == ShardKind::Records {
            assert!(on_disk * 2 < plain, "records gzipped: {on_disk} of {plain} bytes");
        }
    }

    let output = folio(&[
        Path::new("compile"),
        &seed,
        Path::new("--out"),
        &json,
        Path::new("--shard-size"),
        Path::new("12"),
    ]);
    assert_eq!(output.status.code(), Some(2), "a shard size below 256 bytes is refused");
    let _ = std::fs::remove_dir_all(&dir);
}
