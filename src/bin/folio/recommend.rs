//! `folio recommend BUNDLE --like FILE [--unlike FILE]`: the papers to read
//! next for the ones listed (a tag's papers, one id a line), ranked by the
//! same explorer call as the app's, each with its reasons; from a bundle
//! (vectors computed on each run) or from a pack that ships them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use folio::engine::discover::Shipped;
use folio::engine::explorer::Explorer;
use folio::engine::map::Layout;

use crate::similar::{load, print, Loaded, PaperRef, Reasons, Row, VectorArgs};

#[derive(Args)]
#[command(
    after_help = "Exit status: 0 when papers were recommended, 1 when none of the liked ids is in the bundle \
or nothing is left to recommend, 2 on errors.\nAn id not in the bundle is a warning (FILE:LINE) and is left out."
)]
pub struct RecommendArgs {
    /// A bundle written by `folio compile`, or an app pack with paper
    /// vectors (`folio compile --pack`; a sharded pack's head with its
    /// `shards/` beside it).
    bundle: PathBuf,
    /// The papers liked (a tag's): a file of paper ids, one a line.
    #[arg(long)]
    like: PathBuf,
    /// Papers marked "not interested": a file of paper ids, one a line.
    #[arg(long)]
    unlike: Option<PathBuf>,
    /// Show at most this many papers.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print one JSON object per paper, one per line.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    vectors: VectorArgs,
}

pub fn run(args: RecommendArgs) -> Result<ExitCode> {
    let like_text = read(&args.like)?;
    let unlike_text = args.unlike.as_deref().map(read).transpose()?;
    let (packed, what) = match crate::packed::open(&args.bundle)? {
        Some(packed) => (packed, "pack"),
        None => {
            // A bundle: its vectors computed now, then the same explorer
            // call as a pack's (and the app's), reasons included.
            let Loaded { bundle, discovery } = load(&args.bundle, &args.vectors)?;
            let shipped = Shipped { vectors: discovery.vectors, map: Layout::default() };
            (crate::packed::Packed::whole(Explorer::new(bundle).with_discovery(shipped)), "bundle")
        }
    };
    recommend(&args, packed, what, &like_text, unlike_text.as_deref())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))
}

/// The explorer's recommendations (the classifier on the vectors, the
/// reasons from the records) for the ids listed; `what` names the input
/// ("bundle" or "pack") in messages.
fn recommend(
    args: &RecommendArgs,
    mut packed: crate::packed::Packed,
    what: &str,
    like_text: &str,
    unlike_text: Option<&str>,
) -> Result<ExitCode> {
    let mut docs_of = |path: &Path, text: &str| -> Result<Vec<u32>> {
        let mut docs = Vec::new();
        for (n, id) in ids_of(text) {
            match packed.doc(id)? {
                Some(doc) => docs.push(doc),
                None => eprintln!(
                    "{}:{}: warning: no paper with id {id:?} in the {what} (left out)",
                    path.display(),
                    n + 1
                ),
            }
        }
        Ok(docs)
    };
    let like = docs_of(&args.like, like_text)?;
    let unlike = match (&args.unlike, unlike_text) {
        (Some(path), Some(text)) => docs_of(path, text)?,
        _ => Vec::new(),
    };
    if like.is_empty() {
        eprintln!("folio: {}: none of its ids is a paper of the {what}", args.like.display());
        return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
    }
    let started = Instant::now();
    let found = packed.until_answered(|e| e.recommend(&like, &unlike, args.limit))?;
    eprintln!(
        "folio: {} papers ranked for {} liked and {} not in {:.1} ms (shards read included)",
        packed.explorer.len(),
        like.len(),
        unlike.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    if found.is_empty() {
        eprintln!("folio: no paper is left to recommend");
        return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
    }
    let closest: Vec<u32> = found.iter().flat_map(|r| r.closest.iter().copied()).collect();
    let missing = packed.explorer.missing_records(&closest);
    packed.load(&missing)?;
    let explorer = &packed.explorer;
    let papers: Vec<_> = found.iter().map(|r| explorer.paper(r.doc)).collect();
    let liked: std::collections::HashMap<u32, _> = closest.iter().map(|&d| (d, explorer.paper(d))).collect();
    let rows: Vec<Row<'_>> = found
        .iter()
        .zip(&papers)
        .enumerate()
        .map(|(rank, (r, paper))| {
            let reasons = Reasons {
                terms: r.reasons.iter().map(String::as_str).collect(),
                closest: r
                    .closest
                    .iter()
                    .map(|d| PaperRef { id: &liked[d].id, title: &liked[d].title })
                    .collect(),
            };
            Row::new(rank + 1, paper, r.score, reasons)
        })
        .collect();
    print(&rows, args.json)?;
    Ok(ExitCode::SUCCESS)
}

/// The ids listed in `text` (one a line; blank lines and `#` comments
/// skipped), with their line's index.
fn ids_of(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().map(str::trim).enumerate().filter(|(_, id)| !id.is_empty() && !id.starts_with('#'))
}
