//! `folio stats`: counts per field and facet of a bundle.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use folio::engine::bundle::{Bundle, Paper};

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
    let has = |test: fn(&Paper) -> bool| papers.iter().filter(|p| test(p)).count();
    let fields: [(&str, usize); 18] = [
        ("title", has(|p| !p.title.is_empty())),
        ("abstract", has(|p| !p.abstract_text.is_empty())),
        ("authors", has(|p| !p.authors.is_empty())),
        ("year", has(|p| p.year.is_some())),
        ("date", has(|p| p.date.is_some())),
        ("venue", has(|p| p.venue.is_some())),
        ("url", has(|p| p.url.is_some())),
        ("code_url", has(|p| p.code_url.is_some())),
        ("doi", has(|p| p.doi.is_some())),
        ("arxiv", has(|p| p.arxiv.is_some())),
        ("categories", has(|p| !p.categories.is_empty())),
        ("keywords", has(|p| !p.keywords.is_empty())),
        // Enrichment (see `folio::engine::enrich`).
        ("entities", has(|p| !p.enrichment.entities.is_empty())),
        ("topics", has(|p| !p.enrichment.topics.is_empty())),
        ("keyphrases", has(|p| !p.enrichment.keyphrases.is_empty())),
        ("links", has(|p| !p.enrichment.links.is_empty())),
        ("key figures", has(|p| !p.enrichment.figures.is_empty())),
        ("similar", has(|p| !p.enrichment.similar.is_empty())),
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
