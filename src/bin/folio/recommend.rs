//! `folio recommend BUNDLE --like FILE [--unlike FILE]`: the papers to read
//! next for the ones listed (a tag's papers, one id a line), ranked by the
//! same classifier the app will run, each with its reasons.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use folio::engine::discover::recommend as rank;

use crate::similar::{load, print, Loaded, PaperRef, Reasons, Row, VectorArgs};

#[derive(Args)]
#[command(
    after_help = "Exit status: 0 when papers were recommended, 1 when none of the liked ids is in the bundle \
or nothing is left to recommend, 2 on errors.\nAn id not in the bundle is a warning (FILE:LINE) and is left out."
)]
pub struct RecommendArgs {
    /// A bundle written by `folio compile`.
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
    let Loaded { bundle, discovery } = load(&args.bundle, &args.vectors)?;
    let index: HashMap<&str, usize> =
        bundle.papers.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let like = papers_of(&args.like, &like_text, &index);
    let unlike = match (&args.unlike, &unlike_text) {
        (Some(path), Some(text)) => papers_of(path, text, &index),
        _ => Vec::new(),
    };
    if like.is_empty() {
        eprintln!("folio: {}: none of its ids is a paper of the bundle", args.like.display());
        return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
    }
    let started = Instant::now();
    let recommendations = rank(&discovery, &like, &unlike, args.limit);
    eprintln!(
        "folio: {} papers ranked for {} liked and {} not in {:.1} ms",
        bundle.papers.len(),
        like.len(),
        unlike.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    if recommendations.is_empty() {
        eprintln!("folio: no paper is left to recommend");
        return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
    }
    let paper = |i: usize| PaperRef { id: &bundle.papers[i].id, title: &bundle.papers[i].title };
    let rows: Vec<Row<'_>> = recommendations
        .iter()
        .enumerate()
        .map(|(rank, r)| {
            let reasons = Reasons {
                terms: r.terms.iter().map(String::as_str).collect(),
                closest: r.closest.iter().map(|&i| paper(i)).collect(),
            };
            Row::new(rank + 1, &bundle.papers[r.paper], r.score, reasons)
        })
        .collect();
    print(&rows, args.json)?;
    Ok(ExitCode::SUCCESS)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))
}

/// The papers of the ids listed in `text` (one a line; blank lines and
/// `#` comments skipped), warning of each id the bundle lacks.
fn papers_of(path: &Path, text: &str, index: &HashMap<&str, usize>) -> Vec<usize> {
    let mut papers = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let id = line.trim();
        if id.is_empty() || id.starts_with('#') {
            continue;
        }
        match index.get(id) {
            Some(&i) => papers.push(i),
            None => eprintln!(
                "{}:{}: warning: no paper with id {id:?} in the bundle (left out)",
                path.display(),
                n + 1
            ),
        }
    }
    papers
}
