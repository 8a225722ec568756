//! Math in the real corpora: how many formulas (`$...$` and the like) their
//! titles and abstracts hold, how many of them the app renders as MathML
//! (`engine::math::render`, the crate and the markup reader together), how
//! long that takes, and the most frequent commands of those it cannot.
//!
//! Run: `cargo bench --bench math`. `FOLIO_CORPUS_DIR` points at the corpora
//! (default `../shared/corpus`); skips with a message when they are absent.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

use folio::engine::math::{formulas, render};

const CORPORA: [&str; 2] = ["paperlists-87k.jsonl.gz", "acl-anthology-64k.jsonl.gz"];

fn main() {
    let dir = std::env::var_os("FOLIO_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let paths: Vec<PathBuf> = CORPORA.iter().map(|name| dir.join(name)).collect();
    if let Some(missing) = paths.iter().find(|p| !p.exists()) {
        println!(
            "math bench skipped: {} not found (set FOLIO_CORPUS_DIR to the folder holding {CORPORA:?})",
            missing.display()
        );
        return;
    }
    for path in &paths {
        let (mut papers, mut with_math, mut sources) = (0usize, 0usize, Vec::new());
        let reader =
            BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(path).expect("readable corpus")));
        for line in reader.lines() {
            let Ok(record) = serde_json::from_str::<serde_json::Value>(&line.expect("a line")) else {
                continue;
            };
            papers += 1;
            let before = sources.len();
            for field in ["title", "abstract"] {
                let text = record[field].as_str().unwrap_or("");
                sources.extend(formulas(text).iter().map(|f| text[f.start..f.end].to_owned()));
            }
            with_math += usize::from(sources.len() > before);
        }
        let start = Instant::now();
        let failed: Vec<&String> = sources.iter().filter(|source| render(source).is_none()).collect();
        let elapsed = start.elapsed();
        let rendered = sources.len() - failed.len();
        println!(
            "{}: {papers} papers, {with_math} with math, {} formulas; rendered {rendered} ({:.1}%) in {:.0} ms ({:.1} µs each)",
            path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
            sources.len(),
            100.0 * rendered as f64 / sources.len().max(1) as f64,
            elapsed.as_secs_f64() * 1e3,
            elapsed.as_secs_f64() * 1e6 / sources.len().max(1) as f64,
        );
        let mut commands: HashMap<&str, usize> = HashMap::new();
        for source in &failed {
            for (at, _) in source.match_indices('\\') {
                let name = &source[at + 1..];
                let end = name.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(name.len());
                if end > 0 {
                    *commands.entry(&name[..end]).or_default() += 1;
                }
            }
        }
        let mut commands: Vec<(&str, usize)> = commands.into_iter().collect();
        commands.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let top: Vec<String> = commands.iter().take(12).map(|(c, n)| format!("\\{c} {n}")).collect();
        println!("  commands in the formulas not rendered: {}", top.join(", "));
    }
}
