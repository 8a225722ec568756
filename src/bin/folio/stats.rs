//! `folio stats`: counts per field and facet of a bundle.
//!
//! The bundle is walked as plain JSON rather than through the typed
//! [`folio::engine::bundle::Bundle`], so every field and every enrichment key
//! is counted whatever its exact shape: a new enrichment field shows up here
//! without a change to this file.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use folio::engine::bundle::enrichment::LinkKind;
use folio::engine::bundle::metadata::MetadataField;
use folio::engine::bundle::{BundleError, SCHEMA_VERSION};
use folio::engine::catalog::EntityKind;
use folio::engine::facet_kind::{FacetKind, Source, HAS_CODE, NO_CODE};
use serde_json::{Map, Value};

/// `folio stats BUNDLE`
#[derive(Args)]
pub struct StatsArgs {
    /// A bundle written by `folio compile`.
    bundle: PathBuf,
    /// Values listed per facet.
    #[arg(long, default_value_t = 10)]
    top: usize,
}

/// Paper fields in the order the bundle format lists them: title, abstract
/// and the metadata fields; other keys (enrichment, fields added later)
/// follow in alphabetical order.
fn known_fields() -> Vec<&'static str> {
    ["title", "abstract"].into_iter().chain(MetadataField::ALL.iter().map(|f| f.key())).collect()
}

/// Paper keys that are not content: not counted as fields.
const NOT_FIELDS: [&str; 2] = ["id", "source"];

/// Metadata fields that are facets, as the app shows them: (paper key,
/// facet key).
fn metadata_facets() -> Vec<(&'static str, &'static str)> {
    FacetKind::ALL
        .into_iter()
        .filter_map(|kind| match kind.source() {
            Source::Metadata(field) => Some((field.key(), kind.key())),
            _ => None,
        })
        .collect()
}

/// Enrichment keys that are measurements or neighbours, not facets.
const NOT_FACETS: [&str; 2] = ["figures", "similar"];

pub fn run(args: StatsArgs) -> Result<ExitCode> {
    let path = args.bundle.display().to_string();
    let text = std::fs::read_to_string(&args.bundle).with_context(|| format!("{path}: cannot read"))?;
    let bundle = match parse(&text) {
        Ok(bundle) => bundle,
        Err(err) => {
            eprintln!("{path}: {err}");
            return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
        }
    };
    let papers: Vec<&Map<String, Value>> = bundle
        .get("papers")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(Value::as_object)
        .collect();
    let generator = bundle.get("generator").and_then(Value::as_str).unwrap_or("unknown generator");
    println!("{path}: {} papers (schema {SCHEMA_VERSION}, {generator})", papers.len());
    for source in bundle.get("sources").and_then(Value::as_array).into_iter().flatten() {
        let text = |key: &str| source.get(key).map(label).unwrap_or_default();
        println!("  from {} ({}): {} papers", text("file"), text("format"), text("papers"));
    }
    let without_abstract = papers.iter().filter(|p| !p.get("abstract").is_some_and(present)).count();
    println!("  without an abstract: {without_abstract} papers");

    println!("\nfields (papers that have it):");
    for (name, count) in field_counts(&papers) {
        println!("  {name:<12} {count:>7}");
    }

    let facets = facet_counts(&papers);
    for (group, values) in &facets {
        let mut sorted: Vec<(&String, &usize)> = values.iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        println!("\nfacet {group}: {} values", values.len());
        for (value, count) in sorted.into_iter().take(args.top) {
            println!("  {count:>7}  {value}");
        }
    }

    // Corpus-level data (entity catalog, taxonomy, ...): entries per key.
    let corpus: Vec<(String, usize)> = bundle
        .iter()
        .filter(|(key, _)| !["schema_version", "generator", "sources", "papers"].contains(&key.as_str()))
        .flat_map(|(key, value)| match value {
            Value::Array(items) => vec![(key.clone(), items.len())],
            Value::Object(object) => object
                .iter()
                .filter_map(|(sub, v)| v.as_array().map(|items| (format!("{key}.{sub}"), items.len())))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    if !corpus.is_empty() {
        println!("\ncorpus data (entries):");
        for (name, count) in corpus {
            println!("  {name:<20} {count:>7}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Parses a bundle as JSON, with the typed reader's checks and messages: an
/// object with the `schema_version` this build reads.
fn parse(text: &str) -> Result<Map<String, Value>, BundleError> {
    let value: Value = serde_json::from_str(text)?;
    let Value::Object(bundle) = value else { return Err(BundleError::NotAnObject) };
    match bundle.get("schema_version").and_then(Value::as_u64) {
        None => Err(BundleError::MissingVersion),
        Some(found) if found != u64::from(SCHEMA_VERSION) => Err(BundleError::UnsupportedVersion { found }),
        Some(_) => Ok(bundle),
    }
}

/// Whether a value says something: not null, not an empty string, list or object.
fn present(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(object) => !object.is_empty(),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

/// Papers that have each field: the known fields first (even at 0), then
/// every other key found, alphabetically.
fn field_counts(papers: &[&Map<String, Value>]) -> Vec<(String, usize)> {
    let known_fields = known_fields();
    let mut others: BTreeMap<&str, usize> = BTreeMap::new();
    let mut known = vec![0usize; known_fields.len()];
    for paper in papers {
        for key in paper.iter().filter(|(_, v)| present(v)).map(|(k, _)| k) {
            match known_fields.iter().position(|k| k == key) {
                Some(i) => known[i] += 1,
                None if NOT_FIELDS.contains(&key.as_str()) => {}
                None => *others.entry(key).or_default() += 1,
            }
        }
    }
    known_fields
        .into_iter()
        .zip(known)
        .map(|(name, count)| (name.to_owned(), count))
        .chain(others.into_iter().map(|(name, count)| (name.to_owned(), count)))
        .collect()
}

/// A value as facet text: a string as is, anything else as JSON.
fn label(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The display name of a list element: a string, or the first of the usual
/// name keys of an object.
fn name_of(element: &Value) -> Option<String> {
    match element {
        Value::Object(object) => ["name", "phrase", "label", "text", "value", "id", "url"]
            .iter()
            .find_map(|key| object.get(*key).filter(|v| present(v)))
            .map(label),
        Value::Null => None,
        other => Some(label(other)),
    }
}

/// Facet group -> value -> papers with it. Entities are grouped by their
/// `kind` (and a model's `family` counts in the `family` facet), links by
/// `kind`; any other list of the paper is a facet named after its key.
fn facet_counts(papers: &[&Map<String, Value>]) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut facets: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let (known_fields, metadata_facets) = (known_fields(), metadata_facets());
    let (family, code) = (FacetKind::Family.key(), FacetKind::Code.key());
    let code_link = serde_json::json!(LinkKind::Code);
    for paper in papers {
        let mut values: Vec<(String, String)> = Vec::new();
        let mut has_code = paper.get("code_url").is_some_and(present);
        for (key, value) in paper.iter() {
            if let Some(&(_, facet)) = metadata_facets.iter().find(|(k, _)| k == key) {
                match value {
                    Value::Array(items) => {
                        values.extend(items.iter().filter_map(name_of).map(|v| (facet.to_owned(), v)))
                    }
                    other if present(other) => values.push((facet.to_owned(), label(other))),
                    _ => {}
                }
                continue;
            }
            let Some(items) = value.as_array() else { continue };
            if known_fields.contains(&key.as_str()) || NOT_FACETS.contains(&key.as_str()) {
                continue;
            }
            for item in items {
                let kind = item.get("kind").filter(|v| present(v)).map(label);
                match key.as_str() {
                    "entities" => {
                        let kind = kind.unwrap_or_else(|| "entity".to_owned());
                        values.extend(name_of(item).map(|name| (kind.clone(), name)));
                        if let Some(name) =
                            item.get("family").filter(|v| present(v) && kind != EntityKind::Family.as_str())
                        {
                            values.push((family.to_owned(), label(name)));
                        }
                    }
                    "links" => {
                        has_code |= item.get("kind") == Some(&code_link);
                        let kind = kind.unwrap_or_else(|| "other".to_owned());
                        values.push(("link".to_owned(), kind));
                    }
                    _ => values.extend(name_of(item).map(|name| (singular(key), name))),
                }
            }
        }
        values.push((code.to_owned(), if has_code { HAS_CODE } else { NO_CODE }.to_owned()));
        values.sort();
        values.dedup();
        for (group, value) in values {
            *facets.entry(group).or_default().entry(value).or_default() += 1;
        }
    }
    facets
}

/// `topics` -> `topic`: facets are named for one value.
fn singular(key: &str) -> String {
    key.strip_suffix('s').filter(|k| !k.is_empty()).unwrap_or(key).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facets_of(json: &str) -> BTreeMap<String, BTreeMap<String, usize>> {
        let papers: Vec<Map<String, Value>> = serde_json::from_str(json).unwrap();
        facet_counts(&papers.iter().collect::<Vec<_>>())
    }

    #[test]
    fn facets_come_from_any_shape_of_enrichment() {
        let facets = facets_of(
            r#"[{"title": "A", "year": 2024, "authors": ["X", "Y"],
                 "entities": [{"kind": "model", "name": "M-7B", "family": "M"}, {"kind": "benchmark", "name": "B"}],
                 "topics": [{"name": "T"}, "U"], "links": [{"kind": "code", "url": "u"}],
                 "similar": [{"id": "x"}], "novel": [{"label": "N"}]},
                {"title": "B", "links": [{"kind": "page"}]}]"#,
        );
        let show: Vec<String> =
            facets.iter().flat_map(|(g, vs)| vs.iter().map(move |(v, n)| format!("{g}={v}:{n}"))).collect();
        assert_eq!(
            show,
            [
                "author=X:1",
                "author=Y:1",
                "benchmark=B:1",
                "code=has code:1",
                "code=no code:1",
                "family=M:1",
                "link=code:1",
                "link=page:1",
                "model=M-7B:1",
                "novel=N:1",
                "topic=T:1",
                "topic=U:1",
                "year=2024:1",
            ]
        );
    }

    #[test]
    fn bundles_of_another_version_or_shape_are_refused() {
        let message = |text: &str| parse(text).unwrap_err().to_string();
        assert_eq!(message("[1]"), "the bundle is not a JSON object: not a Folio bundle");
        assert_eq!(message("{}"), "the bundle has no schema_version field: not a Folio bundle");
        assert_eq!(
            message(r#"{"schema_version": 1}"#),
            "the bundle has schema version 1, this build of Folio reads version 2"
        );
        assert!(parse(r#"{"schema_version": 2, "papers": []}"#).is_ok());
    }
}
