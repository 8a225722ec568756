//! What an app pack is made of: prints the bytes of every part of the whole
//! pack (index section and records, per JSON key), the figures the sharded
//! layout (docs/pack-format.md) is decided from.
//!
//!     cargo bench --bench pack_bytes [-- PACK]
//!
//! Without PACK it compiles 100,000 real papers (acl-anthology-64k, then
//! paperlists-87k, as JSON Lines with all their metadata; `FOLIO_CORPUS_DIR`
//! and `FOLIO_BENCH_PAPERS` as for `compile_scale`) and skips with a
//! message when the corpora are absent. Figures: docs/benchmarks.md.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::explorer::Explorer;
use folio::engine::pack::breakdown;

const CORPORA: [&str; 2] = ["acl-anthology-64k.jsonl.gz", "paperlists-87k.jsonl.gz"];

fn main() {
    let pack_path = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let pack = match &pack_path {
        Some(path) => std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}")),
        None => match compiled_pack() {
            Some(pack) => pack,
            None => return,
        },
    };
    print_breakdown(&pack);
}

/// The whole pack of the corpora's first papers, or `None` (said) without them.
fn compiled_pack() -> Option<Vec<u8>> {
    let dir = std::env::var_os("FOLIO_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let wanted: usize =
        std::env::var("FOLIO_BENCH_PAPERS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let paths: Vec<PathBuf> = CORPORA.iter().map(|name| dir.join(name)).collect();
    if let Some(missing) = paths.iter().find(|p| !p.is_file()) {
        println!("pack_bytes skipped: {} not found (set FOLIO_CORPUS_DIR)", missing.display());
        return None;
    }
    let t = Instant::now();
    let mut files = Vec::new();
    let mut remaining = wanted;
    for path in &paths {
        let mut text = String::new();
        let file = std::fs::File::open(path).expect("readable corpus");
        flate2::read::GzDecoder::new(file).read_to_string(&mut text).expect("gzip JSON Lines");
        let kept: String = text.lines().take(remaining).flat_map(|l| [l, "\n"]).collect();
        remaining -= kept.lines().count();
        files.push((path.display().to_string(), kept.into_bytes()));
    }
    let inputs: Vec<Input<'_>> = files.iter().map(|(name, bytes)| Input { name, bytes }).collect();
    let bundle = compile(&inputs, &CompileOptions::default()).bundle.expect("the corpora compile");
    println!("## {} papers compiled in {:.1} s", bundle.papers.len(), t.elapsed().as_secs_f64());
    Some(Explorer::new(bundle).into_pack().expect("a pack"))
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn print_breakdown(pack: &[u8]) {
    let parts = breakdown(pack).expect("a readable pack");
    println!("\n## whole pack: {:.1} MB", mb(pack.len()));
    println!("| section | part | MB | share | items |");
    println!("|---|---|---|---|---|");
    for part in &parts {
        println!(
            "| {} | {} | {:.2} | {:.1}% | {} |",
            part.section,
            part.name,
            mb(part.bytes),
            part.bytes as f64 * 100.0 / pack.len() as f64,
            part.items.map_or(String::new(), |n| n.to_string())
        );
    }
    let mut sections: Vec<(&str, usize)> = Vec::new();
    for part in &parts {
        match sections.iter_mut().find(|(s, _)| *s == part.section) {
            Some((_, bytes)) => *bytes += part.bytes,
            None => sections.push((part.section, part.bytes)),
        }
    }
    for (section, bytes) in sections {
        println!("{section}: {:.1} MB", mb(bytes));
    }
}

