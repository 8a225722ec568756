//! `folio search BUNDLE "QUERY"`: ranked results from the command line, with
//! the same engine, query language and entity resolver as the browser app.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use folio::engine::bundle::Bundle;
use folio::engine::catalog::Catalog;
use folio::engine::highlight::{segments, snippet, Segment, Span};
use folio::engine::index::SearchIndex;
use folio::engine::search::{
    run as run_search, CatalogResolver, Contribution, EntityResolver, NoEntities, SearchOptions,
};
use serde::Serialize;

/// Words of the abstract snippet shown per result.
const SNIPPET_WORDS: usize = 30;

#[derive(Args)]
#[command(after_help = "Exit status: 0 when something matched, 1 when nothing did, 2 on errors.\n\
Query language: words are all required; OR; \"exact phrase\"; -excluded; \
title: abstract: author: model: benchmark: method: topic: year:2023..2024")]
pub struct SearchArgs {
    /// A bundle written by `folio compile`.
    bundle: PathBuf,
    /// The query. A last word without a trailing space matches as a prefix.
    query: String,
    /// Show at most this many results.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print one JSON object per result, one per line.
    #[arg(long)]
    json: bool,
    /// Add the per-field, per-term score breakdown of each result.
    #[arg(long)]
    explain: bool,
}

/// One result as printed by `--json`.
#[derive(Serialize)]
struct JsonHit<'a> {
    rank: usize,
    id: &'a str,
    title: &'a str,
    year: Option<i32>,
    score: f32,
    title_spans: &'a [Span],
    abstract_spans: &'a [Span],
    snippet: &'a [Segment],
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<Vec<Contribution>>,
}

pub fn run(args: SearchArgs) -> Result<ExitCode> {
    let path = &args.bundle;
    let json = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let bundle =
        Bundle::from_json(&json).with_context(|| format!("{}: not a readable bundle", path.display()))?;
    let index = SearchIndex::from_papers(&bundle.papers);
    let catalog = CatalogResolver(&bundle.corpus.catalog);
    let entities: &dyn EntityResolver =
        if bundle.corpus.catalog == Catalog::default() { &NoEntities } else { &catalog };
    let options = SearchOptions { entities, ..Default::default() };

    // The same call the app makes per keystroke.
    let results = run_search(&index, &args.query, &options);
    if results.hits.is_empty() {
        match &results.suggestion {
            Some(better) => eprintln!("no results; did you mean: {better}"),
            None => eprintln!("no results"),
        }
        return Ok(ExitCode::from(1));
    }
    let mut out = std::io::stdout().lock();
    for (rank, hit) in results.top(args.limit).into_iter().enumerate() {
        let paper = &bundle.papers[hit.doc as usize];
        let spans = results.highlights(paper);
        let snip = snippet(&paper.abstract_text, &spans.abstract_spans, SNIPPET_WORDS);
        let breakdown = args.explain.then(|| results.explain(&index, hit.doc, &options));
        if args.json {
            let line = JsonHit {
                rank: rank + 1,
                id: &paper.id,
                title: &paper.title,
                year: paper.metadata.year,
                score: hit.score,
                title_spans: &spans.title,
                abstract_spans: &spans.abstract_spans,
                snippet: &snip,
                explain: breakdown,
            };
            writeln!(out, "{}", serde_json::to_string(&line)?)?;
            continue;
        }
        let title = segments(&paper.title, &spans.title);
        writeln!(out, "{:>3}. {:>7.3}  {}  {}", rank + 1, hit.score, paper.id, marked(&title))?;
        writeln!(out, "             {}", marked(&snip))?;
        for c in breakdown.unwrap_or_default() {
            writeln!(
                out,
                "             {:>7.3}  {:<9} {:<8} {} -> {} (tf {})",
                c.score,
                c.field,
                format!("{:?}", c.kind).to_lowercase(),
                c.query,
                c.term,
                c.tf
            )?;
        }
    }
    if !args.json && results.hits.len() > args.limit {
        writeln!(out, "({} results, {} shown; --limit N for more)", results.hits.len(), args.limit)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Plain-text rendering of highlighted segments: `[match]`.
fn marked(segments: &[Segment]) -> String {
    segments.iter().map(|s| if s.highlighted { format!("[{}]", s.text) } else { s.text.clone() }).collect()
}
