//! Entity resolution: what a user typed mapped to canonical entity names
//! (the compiler's entity normalizer, [`CatalogResolver`]), the boost a
//! paper naming such an entity gets, and the entities a query names (whose
//! mentions are highlighted).

use super::score::{entity_score, Scores};
use super::SearchOptions;
use crate::engine::analyze::spaced_runs;
use crate::engine::catalog::Catalog;
use crate::engine::index::SearchIndex;
use crate::engine::query::{Atom, Query};

/// Maps what a user typed to canonical entity names: the shared entity
/// normalizer of the compiler, used here so that any spelling finds a model.
pub trait EntityResolver {
    /// `(kind, canonical name)` pairs that `text` names; `kind` restricts
    /// the answer when given (`model`, `benchmark`, ...).
    fn resolve(&self, kind: Option<&str>, text: &str) -> Vec<(String, String)>;
}

/// A resolver that knows no entities.
pub struct NoEntities;

impl EntityResolver for NoEntities {
    fn resolve(&self, _: Option<&str>, _: &str) -> Vec<(String, String)> {
        Vec::new()
    }
}

/// The compiler's entity catalog (the shared entity normalizer) as a
/// resolver: any spelling of a model, family, benchmark or method resolves
/// to its canonical name. A specific model does not bring its family ("llama2
/// chat 70b" should not find every Llama 2 paper); text naming the family
/// ("Llama 2") resolves to the family itself, which `model:` accepts.
pub struct CatalogResolver<'a>(pub &'a Catalog);

impl EntityResolver for CatalogResolver<'_> {
    fn resolve(&self, kind: Option<&str>, text: &str) -> Vec<(String, String)> {
        let found = self
            .0
            .find(text)
            .into_iter()
            // Only when the text is (nearly) all entity: "llama2 chat 70b", not
            // "results of llama2 chat 70b on math".
            .filter(|m| m.end - m.start + 4 >= text.trim().len())
            .map(|m| (m.kind.as_str().to_owned(), m.name))
            .filter(|(k, _)| kind.is_none_or(|want| want == k || (want == "model" && k == "family")))
            .collect::<Vec<_>>();
        if !found.is_empty() {
            return found;
        }
        let word = text.trim();
        // One run-together word ("llama2chat70b") read as its runs.
        let spaced = spaced_runs(word);
        if spaced != word && word.chars().all(char::is_alphanumeric) {
            return self.resolve(kind, &spaced);
        }
        // A qualifier value may name a case-sensitive entity typed casually
        // ("benchmark:math" for MATH); free text may not ("math" is a word).
        match kind {
            Some(kind) if !word.contains(char::is_whitespace) => {
                self.0.resolve(word).into_iter().map(|name| (kind.to_owned(), name)).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Boosts the papers of the entities `text` resolves to; false if none resolved.
pub(super) fn add_entities(
    index: &SearchIndex,
    kind: Option<&str>,
    text: &str,
    options: &SearchOptions<'_>,
    into: &mut Scores,
) -> bool {
    let resolved = options.entities.resolve(kind, text);
    let w = options.weights.clamped();
    for (kind, name) in &resolved {
        let docs = index.entity_docs(kind, name);
        let score = entity_score(index, docs.len(), &w);
        for &doc in docs {
            into.boost(doc, score, name);
        }
    }
    !resolved.is_empty()
}

/// Scores an entity qualifier (`model:llama2chat70b`): the papers of the
/// entities the value resolves to, else of the indexed names it matches.
pub(super) fn score_qualifier(
    index: &SearchIndex,
    kind: &str,
    value: &str,
    options: &SearchOptions<'_>,
    into: &mut Scores,
) {
    if !add_entities(index, Some(kind), value, options, into) {
        let w = options.weights.clamped();
        for name in index.entity_names_matching(kind, value) {
            let docs = index.entity_docs(kind, &name);
            let score = entity_score(index, docs.len(), &w);
            for &doc in docs {
                into.boost(doc, score, &name);
            }
        }
    }
}

/// The entities a query names: its entity qualifiers, its words and
/// identifiers, and its plain words taken together.
pub(super) fn named_entities(query: &Query, options: &SearchOptions<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for clause in query.clauses.iter().filter(|c| !c.negated) {
        for atom in &clause.alternatives {
            match atom {
                Atom::Entity { kind, value } => out.extend(options.entities.resolve(Some(kind), value)),
                Atom::Terms { terms, field: None, .. } => {
                    out.extend(options.entities.resolve(None, &terms.join("-")))
                }
                // A word restricted to a field names no entity; tags and
                // years are not entities.
                Atom::Terms { field: Some(_), .. } | Atom::Tag(_) | Atom::Year { .. } => {}
            }
        }
    }
    if let Some(words) = super::plain_words(query) {
        out.extend(options.entities.resolve(None, &words));
    }
    out.sort();
    out.dedup();
    out
}
