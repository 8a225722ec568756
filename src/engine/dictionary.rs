//! Dictionary files: entity aliases and the topic taxonomy as JSON data that
//! ships with Folio (`data/*.json`) and that users extend with `--entities`.
//!
//! `data/entities.json` and `data/taxonomy.json` are built in; `folio compile
//! --entities FILE` adds files of the same format (every key optional; an
//! entry whose name exists already gains the new aliases):
//!
//! ```json
//! {
//!   "series": [{"name": "Llama 2", "family": "Llama 2", "aliases": ["Llama2"],
//!               "exact": [], "sized": "Llama-2-{size}", "bare": true,
//!               "variants": [{"suffix": "Chat", "sized": "Llama-2-{size}-Chat",
//!                             "name": "Llama-2-Chat", "family": null}]}],
//!   "models": [{"name": "GPT-4", "family": "GPT", "aliases": ["GPT4"], "exact": []}],
//!   "benchmarks": [{"name": "MATH", "exact": ["MATH"]}],
//!   "methods": [{"name": "DPO", "aliases": ["direct preference optimization"]}],
//!   "topics": [{"name": "Reasoning", "terms": ["reasoning", "chain-of-thought"]}]
//! }
//! ```
//!
//! Names and aliases match whatever their case, spacing and joiners
//! ("LLaMA-2" = "Llama 2" = "llama2"); `exact` spellings match only as
//! written (for names that are also words: "MATH", "RAG"). A series is a
//! name that sizes ("70B", "8x7B", ranges like "7B/13B/70B") and variant
//! suffixes attach to; `sized` templates put the size at `{size}`. Topic
//! terms match stemmed words ("jailbreaking" = "jailbreak").

use serde::{Deserialize, Serialize};

use crate::engine::diagnostic::Diagnostic;

/// One dictionary file. Every key is optional, so a user file may add just a
/// few benchmarks or one topic. The format is in the module doc.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DictionaryFile {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<SeriesEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<EntityEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benchmarks: Vec<EntityEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<EntityEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<TopicEntry>,
}

/// A model series: a name that sizes and variant suffixes attach to
/// ("Llama 2" + "70B" + "Chat" = `Llama-2-70B-Chat`). Mentioned alone it
/// names its family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesEntry {
    pub name: String,
    /// The family (second facet level); the series name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Other spellings (case, spaces and joiners never matter).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Spellings matched with their exact case (for names that are also words).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exact: Vec<String>,
    /// Canonical name of a sized base model, `{size}` standing for "70B".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sized: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<VariantEntry>,
    /// Whether the series name alone counts as a family mention (false for
    /// names that are common words, such as "Falcon" or "Phi").
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub bare: bool,
}

/// A variant suffix of a series ("Chat", "Instruct", "base").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantEntry {
    pub suffix: String,
    /// Canonical name with a size, `{size}` standing for "70B".
    pub sized: String,
    /// Canonical name when no size is given ("Llama-2-Chat"); without it an
    /// unsized mention names only the family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Overrides the series family (a fine-tune sold under its own name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
}

/// A model, benchmark or method known by a fixed name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityEntry {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exact: Vec<String>,
}

/// A topic of the taxonomy and the terms or phrases that signal it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicEntry {
    pub name: String,
    pub terms: Vec<String>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl DictionaryFile {
    /// Parses one file; syntax errors and bad entries point at their line.
    pub fn parse(file: &str, text: &str) -> Result<DictionaryFile, Diagnostic> {
        let parsed: DictionaryFile = serde_json::from_str(text).map_err(|e| {
            let diagnostic = Diagnostic::error(
                file,
                e.line(),
                format!("not a valid entity dictionary: {e}; see data/README.md for the format"),
            );
            if e.column() > 0 {
                diagnostic.at_col(e.column())
            } else {
                diagnostic
            }
        })?;
        parsed.validate(file, text)?;
        Ok(parsed)
    }

    fn validate(&self, file: &str, text: &str) -> Result<(), Diagnostic> {
        let names = self
            .series
            .iter()
            .map(|s| &s.name)
            .chain(self.models.iter().chain(&self.benchmarks).chain(&self.methods).map(|e| &e.name))
            .chain(self.topics.iter().map(|t| &t.name));
        if names.into_iter().any(|n| n.trim().is_empty()) {
            return Err(Diagnostic::error(
                file,
                line_of(text, "\"\""),
                "an entry has an empty name; give it one",
            ));
        }
        for series in &self.series {
            let templates = series.sized.iter().chain(series.variants.iter().map(|v| &v.sized));
            if let Some(bad) = templates.into_iter().find(|t| !t.contains("{size}")) {
                return Err(Diagnostic::error(
                    file,
                    line_of(text, bad),
                    format!(
                        "series {:?}: the template {bad:?} has no {{size}}; write e.g. \"Name-{{size}}\"",
                        series.name
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Adds `other`'s entries: an entry with a name already present (any
    /// case) gains the new aliases and settings, a new name is appended.
    pub fn merge(&mut self, other: DictionaryFile) {
        for series in other.series {
            match self.series.iter_mut().find(|s| same(&s.name, &series.name)) {
                Some(old) => {
                    old.aliases.extend(series.aliases);
                    old.exact.extend(series.exact);
                    old.family = series.family.or(old.family.take());
                    old.sized = series.sized.or(old.sized.take());
                    old.bare = series.bare;
                    for variant in series.variants {
                        old.variants.retain(|v| !same(&v.suffix, &variant.suffix));
                        old.variants.push(variant);
                    }
                }
                None => self.series.push(series),
            }
        }
        merge_entries(&mut self.models, other.models);
        merge_entries(&mut self.benchmarks, other.benchmarks);
        merge_entries(&mut self.methods, other.methods);
        for topic in other.topics {
            match self.topics.iter_mut().find(|t| same(&t.name, &topic.name)) {
                Some(old) => old.terms.extend(topic.terms),
                None => self.topics.push(topic),
            }
        }
    }
}

fn merge_entries(list: &mut Vec<EntityEntry>, new: Vec<EntityEntry>) {
    for entry in new {
        match list.iter_mut().find(|e| same(&e.name, &entry.name)) {
            Some(old) => {
                old.aliases.extend(entry.aliases);
                old.exact.extend(entry.exact);
                old.family = entry.family.or(old.family.take());
            }
            None => list.push(entry),
        }
    }
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// The 1-based line of the first occurrence of `needle` (0 when absent).
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle).map_or(0, |at| text[..at].matches('\n').count() + 1)
}
