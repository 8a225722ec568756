//! `folio stats`: counts per field and facet of a bundle.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use folio::engine::bundle::Bundle;

/// `folio stats BUNDLE`
#[derive(Args)]
pub struct StatsArgs {
    /// A bundle written by `folio compile`.
    bundle: PathBuf,
    /// Values listed per facet.
    #[arg(long, default_value_t = 10)]
    top: usize,
}

pub fn run(args: StatsArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&args.bundle).with_context(|| format!("{}: cannot read", args.bundle.display()))?;
    let bundle = match Bundle::from_json(&text) {
        Ok(bundle) => bundle,
        Err(err) => {
            eprintln!("{}: {err}", args.bundle.display());
            return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
        }
    };
    let papers = &bundle.papers;
    println!("{}: {} papers (schema {}, {})", args.bundle.display(), papers.len(), bundle.schema_version, bundle.generator);
    for source in &bundle.sources {
        println!("  from {} ({}): {} papers", source.file, source.format, source.papers);
    }
    println!("\nfields (papers that have it):");
    let fields: [(&str, usize); 11] = [
        ("authors", papers.iter().filter(|p| !p.authors.is_empty()).count()),
        ("year", papers.iter().filter(|p| p.year.is_some()).count()),
        ("date", papers.iter().filter(|p| p.date.is_some()).count()),
        ("venue", papers.iter().filter(|p| p.venue.is_some()).count()),
        ("url", papers.iter().filter(|p| p.url.is_some()).count()),
        ("doi", papers.iter().filter(|p| p.doi.is_some()).count()),
        ("arxiv", papers.iter().filter(|p| p.arxiv.is_some()).count()),
        ("categories", papers.iter().filter(|p| !p.categories.is_empty()).count()),
        ("keywords", papers.iter().filter(|p| !p.keywords.is_empty()).count()),
        ("similar", papers.iter().filter(|p| !p.enrichment.similar.is_empty()).count()),
        ("key figures", papers.iter().filter(|p| !p.enrichment.figures.is_empty()).count()),
    ];
    for (name, count) in fields {
        println!("  {name:<12} {count:>7}");
    }
    // Facets: values -> papers, as the explorer's facet panel counts them.
    let mut facets: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for paper in papers {
        let mut values = paper.enrichment.facet_values();
        if paper.code_url.is_some() {
            values.retain(|(k, _)| *k != "code");
            values.push(("code", "has code".to_owned()));
        }
        values.extend(paper.year.map(|y| ("year", y.to_string())));
        values.extend(paper.venue.iter().map(|v| ("venue", v.clone())));
        values.extend(paper.categories.iter().map(|c| ("category", c.clone())));
        values.extend(paper.authors.iter().map(|a| ("author", a.clone())));
        values.sort();
        values.dedup();
        for (group, value) in values {
            *facets.entry(group).or_default().entry(value).or_default() += 1;
        }
    }
    for (group, values) in &facets {
        let mut sorted: Vec<(&String, &usize)> = values.iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        println!("\nfacet {group}: {} values", values.len());
        for (value, count) in sorted.into_iter().take(args.top) {
            println!("  {count:>7}  {value}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
