//! Enrichment: entities, topics, links, key figures and similar papers
//! extracted from titles and abstracts at compile time.

use serde::{Deserialize, Serialize};

use super::bundle::Paper;
use super::diagnostic::Diagnostic;

/// What the compiler extracted from one paper (flattened into `Paper`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Enrichment {}

/// Corpus-level enrichment data (flattened into `Bundle`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CorpusEnrichment {}

/// Entity aliases and the topic taxonomy used for extraction.
#[derive(Debug, Clone, Default)]
pub struct Dictionaries {}

/// Fills in `paper.enrichment` for every paper; returns the bundle-level data.
pub fn enrich(_papers: &mut [Paper], _dictionaries: &Dictionaries) -> (CorpusEnrichment, Vec<Diagnostic>) {
    (CorpusEnrichment::default(), Vec::new())
}
