//! The real corpora of the benchmarks: where they are and how their papers
//! are read (title, abstract, authors, year; no enrichment).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use folio::engine::bundle::Paper;

/// `FOLIO_CORPUS_DIR`, default `../shared/corpus`.
pub fn corpus_dir() -> PathBuf {
    std::env::var_os("FOLIO_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/corpus"))
}

/// Papers of a gzipped JSON-lines corpus (fields as in its README).
pub fn read_jsonl_gz(path: &Path) -> Vec<Paper> {
    let file = std::fs::File::open(path).expect("readable corpus");
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    reader
        .lines()
        .filter_map(|line| {
            let v: serde_json::Value = serde_json::from_str(&line.ok()?).ok()?;
            let paper = serde_json::json!({
                "id": v["id"], "title": v["title"], "abstract": v["abstract"],
                "authors": v.get("authors").cloned().unwrap_or_default(),
                "year": v.get("year").cloned(),
                "source": {"file": path.display().to_string(), "line": 0},
            });
            serde_json::from_value(paper).ok()
        })
        .collect()
}

/// The first `wanted` lines of the real corpora (acl-anthology-64k, then
/// paperlists-87k) as JSON Lines inputs for the compiler (name, bytes), all
/// their metadata kept; `None` when a corpus is absent.
#[allow(dead_code)]
pub fn first_jsonl(wanted: usize) -> Option<Vec<(String, Vec<u8>)>> {
    use std::io::Read;
    let mut inputs = Vec::new();
    let mut remaining = wanted;
    for name in ["acl-anthology-64k.jsonl.gz", "paperlists-87k.jsonl.gz"] {
        let path = corpus_dir().join(name);
        let mut text = String::new();
        let file = std::fs::File::open(&path).ok()?;
        flate2::read::GzDecoder::new(file).read_to_string(&mut text).ok()?;
        let kept: String = text.lines().take(remaining).flat_map(|l| [l, "\n"]).collect();
        remaining -= kept.lines().count();
        inputs.push((path.display().to_string(), kept.into_bytes()));
    }
    Some(inputs)
}
