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
