//! `folio similar` and `folio recommend` as a user runs them: on the seed
//! and on the three-subject fixture; JSON rows, reasons, id files with
//! unknown ids, exit codes.

mod common;
use common::temp_dir;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn folio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio")).args(args).output().expect("folio runs")
}

/// The bundle of `input` compiled into `dir`.
fn compiled(dir: &Path, input: &str) -> String {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join(input);
    let out = dir.join("bundle.json");
    let output = folio(&["compile", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
    assert!(output.status.success(), "compile: {}", String::from_utf8_lossy(&output.stderr));
    out.to_str().unwrap().to_owned()
}

/// The id of the paper whose title starts with `title_start`.
fn id_of(bundle: &str, title_start: &str) -> String {
    let json: Value = serde_json::from_str(&std::fs::read_to_string(bundle).unwrap()).unwrap();
    let papers = json["papers"].as_array().unwrap();
    let paper = papers.iter().find(|p| p["title"].as_str().unwrap().starts_with(title_start));
    paper.unwrap_or_else(|| panic!("no paper {title_start:?}"))["id"].as_str().unwrap().to_owned()
}

/// Runs folio with `args`, checks the exit code and that stderr holds
/// every one of `stderr` (besides the timing lines), and returns the JSON
/// rows printed.
#[track_caller]
fn check(args: &[&str], code: i32, stderr: &[&str]) -> Vec<Value> {
    let output = folio(args);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "folio {args:?}: {err}");
    for line in stderr {
        assert!(err.lines().any(|l| l == *line), "folio {args:?}: stderr lacks {line:?}:\n{err}");
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON row"))
        .collect()
}

fn titles(rows: &[Value]) -> Vec<&str> {
    rows.iter().map(|r| r["title"].as_str().unwrap()).collect()
}

#[test]
fn similar_lists_the_seeds_speculative_decoding_paper_first_with_shared_words() {
    let dir = temp_dir("discover-cli-similar-seed");
    let bundle = compiled(&dir, "corpus/000_aec88eee982df8fa.txt");
    let id = id_of(&bundle, "SpecMemo");
    for by in ["vectors", "blend", "today"] {
        let rows = check(&["similar", &bundle, &id, "--json", "--limit", "3", "--by", by], 0, &[]);
        assert!(!rows.is_empty() && rows.len() <= 3, "--by {by}: {rows:?}");
        assert!(titles(&rows)[0].starts_with("SpecDec++"), "--by {by}: {:?}", titles(&rows));
        assert_eq!(rows[0]["rank"], 1);
        assert!(rows.iter().all(|r| r["id"] != id.as_str() && r["score"].as_f64().unwrap() > 0.0));
        assert_eq!(rows[0]["reasons"]["terms"][0], "speculative");
    }
}

#[test]
fn similar_refuses_an_unknown_id() {
    let dir = temp_dir("discover-cli-similar-unknown");
    let bundle = compiled(&dir, "corpus/000_aec88eee982df8fa.txt");
    let message = format!("folio: {bundle}: no paper with id \"t-nope\"");
    assert_eq!(check(&["similar", &bundle, "t-nope", "--json"], 1, &[&message]), Vec::<Value>::new());
}

#[test]
fn recommend_ranks_a_subjects_papers_first_for_its_liked_ones() {
    let dir = temp_dir("discover-cli-recommend");
    let bundle = compiled(&dir, "tests/fixtures/discover/papers.jsonl");
    let liked = ["Predicting Protein Structure", "Protein Language Models", "Designing Protein Binders"];
    let ids: Vec<String> = liked.iter().map(|t| id_of(&bundle, t)).collect();
    let like = dir.join("like.txt");
    std::fs::write(&like, format!("# my protein tag\n{}\n\nt-not-here\n", ids.join("\n"))).unwrap();
    let like = like.to_str().unwrap();
    let warning = format!("{like}:6: warning: no paper with id \"t-not-here\" in the bundle (left out)");
    let rows = check(
        &["recommend", &bundle, "--like", like, "--json", "--limit", "3", "--dims", "16"],
        0,
        &[&warning],
    );
    assert_eq!(rows.len(), 3);
    for row in &rows {
        let title = row["title"].as_str().unwrap();
        assert!(title.contains("Protein") || title.contains("Proteins"), "recommended {title:?}");
        let terms = row["reasons"]["terms"].as_array().unwrap();
        // The paper's own spelling of the word: "protein" or "proteins".
        let protein = |t: &Value| t.as_str().is_some_and(|t| t.to_lowercase().starts_with("protein"));
        assert!(terms.iter().any(protein), "{title}: {terms:?}");
        let closest = row["reasons"]["closest"][0]["id"].as_str().unwrap();
        assert!(ids.iter().any(|id| id == closest), "{title}: closest {closest}");
    }

    // "Not interested" in the first one: it is gone.
    let unlike = dir.join("unlike.txt");
    std::fs::write(&unlike, format!("{}\n", rows[0]["id"].as_str().unwrap())).unwrap();
    let args = [
        "recommend",
        &bundle,
        "--like",
        like,
        "--unlike",
        unlike.to_str().unwrap(),
        "--json",
        "--dims",
        "16",
    ];
    let taught = check(&args, 0, &[]);
    assert!(!taught.is_empty());
    assert!(taught.iter().all(|r| r["id"] != rows[0]["id"]), "an unliked paper is recommended");
}

#[test]
fn recommend_refuses_a_list_with_no_paper_of_the_bundle() {
    let dir = temp_dir("discover-cli-recommend-none");
    let bundle = compiled(&dir, "tests/fixtures/discover/papers.jsonl");
    let like = dir.join("like.txt");
    std::fs::write(&like, "t-nope\n").unwrap();
    let like = like.to_str().unwrap();
    let none = format!("folio: {like}: none of its ids is a paper of the bundle");
    assert_eq!(check(&["recommend", &bundle, "--like", like], 1, &[&none]), Vec::<Value>::new());
}

/// `folio compile --pack` with `extra` arguments on the fixture: the
/// bundle's JSON, and the pack's explorer (head only when sharded).
fn compiled_pack(name: &str, extra: &[&str]) -> (Value, folio::engine::explorer::Explorer) {
    let dir = temp_dir(&format!("discover-cli-{name}"));
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/discover/papers.jsonl");
    let (out, pack) = (dir.join("bundle.json"), dir.join("bundle.pack"));
    let mut args = vec!["compile", input.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend(["--pack", pack.to_str().unwrap(), "--quiet", "--dims", "16"]);
    args.extend(extra);
    let output = folio(&args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "compile: {stderr}");
    let bytes = folio::engine::open::gunzip("bundle.pack", std::fs::read(&pack).unwrap()).unwrap();
    let explorer = match bytes.starts_with(folio::engine::pack::HEAD_MAGIC) {
        true => folio::engine::explorer::Explorer::from_head(&bytes).unwrap(),
        false => folio::engine::explorer::Explorer::from_pack(bytes).unwrap(),
    };
    (serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap(), explorer)
}

#[test]
fn compiling_a_pack_ships_vectors_a_map_and_blended_similar_papers() {
    use folio::engine::pack::shards::ShardKind;
    let (bundle, whole) = compiled_pack("pack-whole", &[]);
    assert!(whole.has_vectors() && whole.has_map() && !whole.is_sharded());
    assert_eq!(whole.map().unwrap().len(), 18);
    let (_, sharded) = compiled_pack("pack-sharded", &["--pack-layout", "sharded", "--shard-size", "300"]);
    assert!(!sharded.missing_vectors().is_empty(), "vector shards");
    assert_eq!(sharded.shard_ids(ShardKind::Map).count(), 1);
    let (plain, none) = compiled_pack("pack-off", &["--vectors", "off"]);
    assert!(!none.has_vectors() && !none.has_map());
    // The bundle lists the blended similar papers the pack ships, and says so.
    let scores = |bundle: &Value| -> Vec<f64> {
        let papers = bundle["papers"].as_array().unwrap();
        papers
            .iter()
            .flat_map(|p| p["similar"].as_array().cloned().unwrap_or_default())
            .map(|s| s["score"].as_f64().unwrap())
            .collect()
    };
    assert_eq!(bundle["similar_blended"], true);
    assert!(plain.get("similar_blended").is_none());
    assert_ne!(scores(&bundle), scores(&plain));
    assert!(scores(&bundle).iter().all(|&s| s > 0.0 && s <= 1.5));
    let ids = |value: &Value| -> Vec<String> {
        value.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect()
    };
    let blended: Vec<String> = whole.paper(0).enrichment.similar.iter().map(|s| s.id.clone()).collect();
    assert_eq!(blended, ids(&bundle["papers"][0]["similar"]), "the pack's records are the bundle's");
    let unblended: Vec<String> = none.paper(0).enrichment.similar.iter().map(|s| s.id.clone()).collect();
    assert_eq!(unblended, ids(&plain["papers"][0]["similar"]), "without vectors, the compiler's list");
}

#[test]
fn similar_and_recommend_read_a_packs_vectors_whole_or_sharded() {
    let dir = temp_dir("discover-cli-from-pack");
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/discover/papers.jsonl");
    let out = dir.join("bundle.json");
    let (whole, sharded) = (dir.join("whole/bundle.pack"), dir.join("sharded/bundle.pack"));
    for (pack, layout) in [(&whole, "single"), (&sharded, "sharded")] {
        std::fs::create_dir_all(pack.parent().unwrap()).unwrap();
        let (input, out, pack) = (input.to_str().unwrap(), out.to_str().unwrap(), pack.to_str().unwrap());
        let args =
            ["compile", input, "--out", out, "--pack", pack, "--pack-layout", layout, "--dims", "16", "-q"];
        assert!(folio(&args).status.success());
    }
    let bundle = out.to_str().unwrap();
    let (whole, sharded) = (whole.to_str().unwrap(), sharded.to_str().unwrap());
    let like = dir.join("like.txt");
    let liked = ["Protein Language Models", "Designing Protein Binders"].map(|t| id_of(bundle, t));
    std::fs::write(&like, format!("{}\n# a comment\n{}\nnot-a-paper\n", liked[0], liked[1])).unwrap();
    let like = like.to_str().unwrap();
    let warning = format!("{like}:4: warning: no paper with id \"not-a-paper\" in the pack (left out)");
    let from_whole = check(&["recommend", whole, "--like", like, "--json", "--limit", "4"], 0, &[&warning]);
    let from_shards =
        check(&["recommend", sharded, "--like", like, "--json", "--limit", "4"], 0, &[&warning]);
    assert_eq!(from_whole, from_shards);
    assert_eq!(from_whole.len(), 4);
    // The fixture's protein papers are its lines 7 to 12.
    let json: Value = serde_json::from_str(&std::fs::read_to_string(bundle).unwrap()).unwrap();
    let proteins: Vec<&str> = json["papers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| (7..=12).contains(&p["source"]["line"].as_u64().unwrap()))
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    let of_proteins = |rows: &[Value]| rows.iter().all(|r| proteins.contains(&r["id"].as_str().unwrap()));
    assert!(of_proteins(&from_whole[..3]), "{from_whole:?}");
    assert!(from_whole.iter().all(|r| !r["reasons"]["terms"].as_array().unwrap().is_empty()));
    assert!(from_whole.iter().all(|r| !r["reasons"]["closest"].as_array().unwrap().is_empty()));

    let id = &liked[0];
    let blended = check(&["similar", whole, id, "--json", "--limit", "3"], 0, &[]);
    assert_eq!(blended, check(&["similar", sharded, id, "--json", "--limit", "3"], 0, &[]));
    assert_eq!(blended.len(), 3);
    assert!(of_proteins(&blended), "{blended:?}");
    let by_vectors = check(&["similar", sharded, id, "--json", "--limit", "3", "--by", "vectors"], 0, &[]);
    assert_eq!(by_vectors.len(), 3);
    let refusal = "folio: a pack's records hold the blended similar papers: --by today reads a bundle";
    check(&["similar", whole, id, "--by", "today"], 1, &[refusal]);
    check(&["similar", whole, "nope"], 1, &[]);
}
