//! `folio similar BUNDLE ID`: the papers most like one paper, by the paper
//! vectors (computed from a bundle on each run, or read from a pack that
//! ships them: `docs/discovery.md`), each with the words and entities the
//! two share. Also what `folio recommend` shares with it: reading a bundle
//! into its discovery, and printing rows.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use folio::engine::bundle::{Bundle, Paper};
use folio::engine::discover::{Discovery, Options};
use serde::Serialize;

/// Features named per similar paper.
const SHARED_TERMS: usize = 4;

#[derive(Args)]
#[command(
    after_help = "Exit status: 0 when similar papers were found, 1 when none or no such id, 2 on errors."
)]
pub struct SimilarArgs {
    /// A bundle written by `folio compile`, or an app pack with paper
    /// vectors (`folio compile --pack`; a sharded pack's head with its
    /// `shards/` beside it).
    bundle: PathBuf,
    /// The paper's id (as `folio search --json` prints it).
    id: String,
    /// Show at most this many papers.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print one JSON object per paper, one per line.
    #[arg(long)]
    json: bool,
    /// What likeness is measured by: the paper vectors, the compiler's
    /// TF-IDF neighbours (at most 5, stored in the bundle), or both.
    #[arg(long, value_enum, default_value_t = By::Blend)]
    by: By,
    #[command(flatten)]
    vectors: VectorArgs,
}

/// How paper vectors are made (`docs/discovery.md`).
#[derive(Args)]
pub struct VectorArgs {
    /// Dimensions of a paper vector (8..=256).
    #[arg(long, default_value_t = Options::default().dims)]
    dims: usize,
}

#[derive(Clone, Copy, ValueEnum)]
enum By {
    Vectors,
    Today,
    Blend,
}

/// A bundle and its discovery.
pub struct Loaded {
    pub bundle: Bundle,
    pub discovery: Discovery,
}

/// Reads `path` and computes its paper vectors, saying how long that took.
pub fn load(path: &Path, vectors: &VectorArgs) -> Result<Loaded> {
    let json = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let bundle =
        Bundle::from_json(&json).with_context(|| format!("{}: not a readable bundle", path.display()))?;
    let started = Instant::now();
    let options = Options { dims: vectors.dims, ..Options::default() };
    let discovery = Discovery::build(&bundle.papers, &options);
    eprintln!(
        "folio: vectors of {} papers ({} dimensions) computed in {:.2} s",
        bundle.papers.len(),
        discovery.vectors.dims(),
        started.elapsed().as_secs_f64()
    );
    Ok(Loaded { bundle, discovery })
}

/// One printed paper: `--json` writes it as one line.
#[derive(Serialize)]
pub struct Row<'a> {
    pub rank: usize,
    pub id: &'a str,
    pub title: &'a str,
    pub score: f32,
    pub reasons: Reasons<'a>,
}

impl<'a> Row<'a> {
    /// The row of `paper` at `rank` (1 first), its score to three decimals.
    pub fn new(rank: usize, paper: &'a Paper, score: f32, reasons: Reasons<'a>) -> Self {
        Row { rank, id: &paper.id, title: &paper.title, score: (score * 1000.0).round() / 1000.0, reasons }
    }
}

/// Why a paper is listed.
#[derive(Serialize)]
pub struct Reasons<'a> {
    /// Words, entities and keyphrases, weightiest first.
    pub terms: Vec<&'a str>,
    /// The liked papers nearest to it (recommendations only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub closest: Vec<PaperRef<'a>>,
}

/// A paper named in a row's reasons.
#[derive(Serialize)]
pub struct PaperRef<'a> {
    pub id: &'a str,
    pub title: &'a str,
}

/// Prints `rows` as JSON lines or as text.
pub fn print(rows: &[Row<'_>], json: bool) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for row in rows {
        if json {
            writeln!(out, "{}", serde_json::to_string(row)?)?;
            continue;
        }
        writeln!(out, "{:>3}. {:>6.3}  {}  {}", row.rank, row.score, row.id, row.title)?;
        if !row.reasons.terms.is_empty() {
            writeln!(out, "              because: {}", row.reasons.terms.join(", "))?;
        }
        for paper in &row.reasons.closest {
            writeln!(out, "              like: {}  {}", paper.id, paper.title)?;
        }
    }
    Ok(())
}

pub fn run(args: SimilarArgs) -> Result<ExitCode> {
    if let Some(packed) = crate::packed::open(&args.bundle)? {
        return run_packed(&args, packed);
    }
    let Loaded { bundle, discovery } = load(&args.bundle, &args.vectors)?;
    let Some(paper) = bundle.papers.iter().position(|p| p.id == args.id) else {
        eprintln!("folio: {}: no paper with id {:?}", args.bundle.display(), args.id);
        return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
    };
    let started = Instant::now();
    // A bundle written with a pack lists the blended papers already.
    let neighbours = match (args.by, bundle.similar_blended) {
        (By::Vectors, _) => discovery.similar(paper, args.limit),
        (By::Today, false) => discovery.similar_today(paper, args.limit),
        (By::Today, true) => {
            eprintln!("folio: this bundle lists the blended similar papers (written with a pack): --by today needs one written without");
            return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
        }
        (By::Blend, false) => discovery.similar_blended(paper, args.limit),
        (By::Blend, true) => discovery.similar_today(paper, args.limit),
    };
    eprintln!("folio: similar papers found in {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
    if neighbours.is_empty() {
        eprintln!("folio: no paper is like {}", args.id);
        return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
    }
    let rows: Vec<Row<'_>> = neighbours
        .iter()
        .enumerate()
        .map(|(rank, n)| {
            let terms = discovery.shared_terms(paper, n.paper, SHARED_TERMS);
            Row::new(rank + 1, &bundle.papers[n.paper], n.score, Reasons { terms, closest: Vec::new() })
        })
        .collect();
    print(&rows, args.json)?;
    Ok(ExitCode::SUCCESS)
}

/// `folio similar` on a pack: the blended list its records hold (`--by
/// blend`, at most 5), or the vectors' nearest (`--by vectors`).
fn run_packed(args: &SimilarArgs, mut packed: crate::packed::Packed) -> Result<ExitCode> {
    let Some(doc) = packed.doc(&args.id)? else {
        eprintln!("folio: {}: no paper with id {:?}", args.bundle.display(), args.id);
        return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
    };
    let started = Instant::now();
    let neighbours: Vec<(u32, f32)> = match args.by {
        By::Today => {
            eprintln!("folio: a pack's records hold the blended similar papers: --by today reads a bundle");
            return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
        }
        By::Vectors => packed.until_answered(|e| e.similar(doc, args.limit))?,
        By::Blend => {
            let paper = packed.until_answered(|e| {
                let missing = e.missing_records(&[doc]);
                if missing.is_empty() {
                    Ok(e.paper(doc))
                } else {
                    Err(missing)
                }
            })?;
            let mut found = Vec::new();
            for similar in paper.enrichment.similar.iter().take(args.limit) {
                if let Some(other) = packed.doc(&similar.id)? {
                    found.push((other, similar.score));
                }
            }
            found
        }
    };
    eprintln!(
        "folio: similar papers found in {:.1} ms (from the pack)",
        started.elapsed().as_secs_f64() * 1e3
    );
    if neighbours.is_empty() {
        eprintln!("folio: no paper is like {}", args.id);
        return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
    }
    let mut papers = Vec::new();
    for &(other, score) in &neighbours {
        let terms = packed.until_answered(|e| e.alike(doc, other, SHARED_TERMS))?;
        papers.push((packed.explorer.paper(other), score, terms));
    }
    let rows: Vec<Row<'_>> = papers
        .iter()
        .enumerate()
        .map(|(rank, (paper, score, terms))| {
            let terms = terms.iter().map(String::as_str).collect();
            Row::new(rank + 1, paper, *score, Reasons { terms, closest: Vec::new() })
        })
        .collect();
    print(&rows, args.json)?;
    Ok(ExitCode::SUCCESS)
}
