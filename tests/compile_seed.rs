//! The seed corpus through the listing reader and the CLI: 24 papers with
//! their exact titles and abstracts (checked against the file's lines),
//! stable ids, and the documented errors for malformed listings.

mod common;
use common::temp_dir;

use std::process::Command;

use folio::engine::bundle::Bundle;
use folio::engine::compile::{compile, CompileOptions, Input};

const SEED: &str = include_str!("../corpus/000_aec88eee982df8fa.txt");

fn compile_text(name: &str, text: &[u8]) -> (Option<Bundle>, Vec<String>) {
    let compiled = compile(&[Input { name, bytes: text }], &CompileOptions::default());
    (compiled.bundle, compiled.diagnostics.iter().map(ToString::to_string).collect())
}

#[test]
fn the_seed_has_24_papers_with_the_exact_text_of_the_file() {
    let (bundle, diagnostics) = compile_text("seed.txt", SEED.as_bytes());
    assert_eq!(diagnostics, Vec::<String>::new());
    let bundle = bundle.expect("the seed compiles");
    let lines: Vec<&str> = SEED.lines().collect();
    assert_eq!(bundle.papers.len(), 24);
    for (i, paper) in bundle.papers.iter().enumerate() {
        let (title_line, abstract_line) = (lines[2 + 2 * i], lines[3 + 2 * i]);
        let expected_title = if i == 0 { title_line.strip_prefix("Subscribe").unwrap() } else { title_line };
        assert_eq!(paper.title, expected_title.trim());
        assert_eq!(paper.abstract_text, abstract_line.trim());
        assert_eq!(paper.source.line, 3 + 2 * i);
    }
    assert_eq!(
        bundle.papers[0].title,
        "BiTA: Bi-Directional Tuning for Lossless Acceleration in Large Language Models"
    );
    assert!(bundle.papers.iter().all(|p| !p.title.contains("Subscribe")));
}

#[test]
fn ids_are_stable_across_builds_and_whitespace_and_case_changes() {
    let (first, _) = compile_text("seed.txt", SEED.as_bytes());
    let reformatted = SEED.replace(": ", ":  ").replace('\n', "\r\n");
    let (second, _) = compile_text("copy.txt", reformatted.as_bytes());
    let ids = |b: Option<Bundle>| b.unwrap().papers.into_iter().map(|p| p.id).collect::<Vec<_>>();
    let (a, b) = (ids(first), ids(second));
    assert_eq!(a, b);
    let unique: std::collections::HashSet<&String> = a.iter().collect();
    assert_eq!(unique.len(), 24);
    // Titles in upper case (the glued "Subscribe" label kept as scraped).
    let shouted: String = SEED
        .lines()
        .enumerate()
        .map(|(i, line)| match line.strip_prefix("Subscribe") {
            Some(rest) if i == 2 => format!("Subscribe{}\n", rest.to_uppercase()),
            _ if i >= 2 && i % 2 == 0 => format!("{}\n", line.to_uppercase()),
            _ => format!("{line}\n"),
        })
        .collect();
    let (third, diagnostics) = compile_text("shouted.txt", shouted.as_bytes());
    assert_eq!(diagnostics, Vec::<String>::new());
    let third = third.unwrap();
    assert_eq!(
        third.papers[0].title,
        "BITA: BI-DIRECTIONAL TUNING FOR LOSSLESS ACCELERATION IN LARGE LANGUAGE MODELS"
    );
    assert_eq!(third.papers.into_iter().map(|p| p.id).collect::<Vec<_>>(), a);
}

#[track_caller]
fn check_error(text: &[u8], expected: &[&str]) {
    let (bundle, diagnostics) = compile_text("bad.txt", text);
    assert!(bundle.is_none(), "no bundle on error");
    assert_eq!(diagnostics, expected);
}

/// A listing whose broken records are skipped: the bundle has the titles
/// of the rest, and the diagnostics say what was left out.
#[track_caller]
fn check_skipped(text: &[u8], titles: &[&str], expected: &[&str]) {
    let (bundle, diagnostics) = compile_text("bad.txt", text);
    let bundle = bundle.expect("the readable records come in");
    assert_eq!(bundle.papers.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(), titles);
    assert_eq!(diagnostics, expected);
}

#[test]
fn malformed_listings_give_file_line_diagnostics() {
    check_error(b"", &["bad.txt:1: error: no papers found: a listing has a title line followed by an abstract line for each paper"]);
    let abstract_text = "a".repeat(250);
    check_skipped(
        format!("First Title\nSecond Title\n{abstract_text}\n").as_bytes(),
        &["Second Title"],
        &["bad.txt:1: warning: title \"First Title\" has no abstract: line 2 looks like another title (abstracts are one line of at least 200 characters) (record skipped)"],
    );
    check_skipped(
        format!("A Title\n{abstract_text}\nTruncated Last Title\n").as_bytes(),
        &["A Title"],
        &["bad.txt:3: warning: title \"Truncated Last Title\" has no abstract: the file ends here (truncated last record?) (record skipped)"],
    );
    check_error(
        b"Only A Title\n",
        &[
            "bad.txt:1: warning: title \"Only A Title\" has no abstract: the file ends here (truncated last record?) (record skipped)",
            "bad.txt: error: no paper could be read from this file as listing (1 record(s) skipped)",
        ],
    );
    check_error(
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        &["bad.txt:3: error: binary data (NUL byte): not a text corpus"],
    );
    check_error(b"caf\xe9 latin-1\n", &["bad.txt:1:4: error: invalid UTF-8: save the file as UTF-8 text"]);
    check_error(b"text\nwith a \0 byte", &["bad.txt:2: error: binary data (NUL byte): not a text corpus"]);
}

#[test]
fn a_last_abstract_cut_mid_sentence_is_warned_about() {
    let text = format!("A Title\n{} and then", "word ".repeat(60));
    let (bundle, diagnostics) = compile_text("cut.txt", text.as_bytes());
    assert!(bundle.is_some());
    assert_eq!(diagnostics, ["cut.txt:2: warning: the last abstract stops mid-sentence and the file has no final newline: was it truncated?"]);
}

fn folio() -> Command {
    Command::new(env!("CARGO_BIN_EXE_folio"))
}

#[test]
fn the_cli_writes_a_readable_bundle_and_says_so() {
    let dir = temp_dir("cli-ok");
    let out = dir.join("bundle.json");
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/000_aec88eee982df8fa.txt");
    let output = folio().args(["compile", seed, "--out"]).arg(&out).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("compiled 24 papers from 1 file(s)"));
    let bundle = Bundle::from_json(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(bundle.papers.len(), 24);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o644);
    }
    let stats = folio().arg("stats").arg(&out).output().unwrap();
    let stats = String::from_utf8_lossy(&stats.stdout);
    for facet in [
        "facet model:",
        "facet benchmark:",
        "facet topic:",
        "facet code:",
        "facet link:",
        "  entities          24",
        "Llama-2-70B-Chat",
    ] {
        assert!(stats.contains(facet), "stats lacks {facet:?}:\n{stats}");
    }
}

#[test]
fn the_cli_writes_nothing_on_bad_input_and_exits_1() {
    let dir = temp_dir("cli-bad");
    let input = dir.join("broken.txt");
    std::fs::write(&input, "Only A Title\n").unwrap();
    let out = dir.join("bundle.json");
    let output = folio().arg("compile").arg(&input).arg("--out").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("broken.txt: error: no paper could be read from this file as listing"),
        "{stderr}"
    );
    assert!(stderr.contains("1 error(s), 1 warning(s); no bundle written"), "{stderr}");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left behind");
}

#[test]
fn the_cli_exits_2_on_a_missing_file_and_1_with_strict_warnings() {
    let dir = temp_dir("cli-missing");
    let output = folio()
        .args(["compile", "/nonexistent/corpus.txt", "--out"])
        .arg(dir.join("b.json"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/corpus.txt: cannot read"));
    let input = dir.join("cut.txt");
    std::fs::write(&input, format!("A Title\n{} and then", "word ".repeat(60))).unwrap();
    let strict = folio()
        .arg("compile")
        .arg(&input)
        .arg("--strict")
        .arg("--out")
        .arg(dir.join("b.json"))
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
    assert!(!dir.join("b.json").exists());
}
