//! The enrichment as the bundle stores it: what the compiler extracted from
//! each paper's title and abstract (entities, topics, keyphrases, links, key
//! figures, similar papers), and the corpus-level data it used (the entity
//! catalog, the taxonomy). Written by [`crate::engine::enrich`], read by the
//! explorer, the search index and the app.
//!
//! # Bundle JSON
//!
//! Per paper (flattened into the paper object; every key is omitted when
//! empty). A span `[field, start, end]` is a byte range of the paper's title
//! (`"t"`) or abstract (`"a"`).
//!
//! ```json
//! {
//!   "entities": [{"kind": "model", "name": "Llama-2-70B-Chat", "family": "Llama 2",
//!                 "spans": [["a", 801, 817]]},
//!                {"kind": "family", "name": "Llama 2", "spans": [...]},
//!                {"kind": "benchmark", "name": "MT-Bench", "spans": [...]},
//!                {"kind": "method", "name": "DPO", "spans": [...]}],
//!   "topics": [{"name": "Efficient inference", "score": 5, "spans": [...]}],
//!   "keyphrases": [{"phrase": "speculative decoding", "score": 4.1, "spans": [...]}],
//!   "links": [{"url": "https://github.com/o/r", "kind": "code", "span": ["a", 1100, 1138]}],
//!   "figures": [{"value": 2.7, "unit": "x", "text": "2.7times speedup on the MT-Bench",
//!                "benchmark": "MT-Bench", "span": ["a", 1100, 1138]}],
//!   "similar": [{"id": "t-5f0c1e2a9b3d", "score": 0.31}]
//! }
//! ```
//!
//! `kind` of an entity: `model` (canonical name, with `family`), `family`
//! (a series named without size or variant), `benchmark`, `method`. `kind` of
//! a link: `code` (a repository), `page` (project page), `other`. `unit` of
//! a figure: `%`, `x` (a factor) or `points`. `similar` lists up to five
//! papers by TF-IDF cosine (0..1), best first; in a bundle that says
//! `"similar_blended": true` (written with a pack that ships paper
//! vectors), the blended list instead: the vectors' cosine plus 0.5 times
//! the TF-IDF one (0..1.5; `discover::ship_bundle`, docs/discovery.md).
//!
//! Per bundle (flattened into the bundle object):
//!
//! ```json
//! {
//!   "catalog": {"series": [...], "models": [...], "benchmarks": [...], "methods": [...]},
//!   "taxonomy": [{"name": "Reasoning", "terms": ["reasoning", "chain-of-thought"]}]
//! }
//! ```
//!
//! `catalog` is the entity dictionary (format: [`crate::engine::dictionary`]),
//! user extensions included; deserialized it is a [`Catalog`], the one entity
//! normalizer for documents and queries. `taxonomy` is the topic taxonomy.

use serde::{Deserialize, Serialize};

use super::Paper;
use crate::engine::catalog::{Catalog, EntityKind};
use crate::engine::dictionary::TopicEntry;

/// What the compiler extracted from one paper (flattened into `Paper`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Enrichment {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<Entity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<Topic>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keyphrases: Vec<Keyphrase>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<Figure>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub similar: Vec<Similar>,
}

/// Corpus-level enrichment data (flattened into `Bundle`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CorpusEnrichment {
    /// The entity dictionaries used, user extensions included.
    #[serde(default)]
    pub catalog: Catalog,
    /// The topic taxonomy used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taxonomy: Vec<TopicEntry>,
}

/// Which text of a paper a span points into (`"t"` or `"a"` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    #[serde(rename = "t")]
    Title,
    #[serde(rename = "a")]
    Abstract,
}

/// A byte range of a paper's title or abstract; `["a", 801, 817]` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "(Field, usize, usize)", into = "(Field, usize, usize)")]
pub struct Span {
    pub field: Field,
    pub start: usize,
    pub end: usize,
}

impl From<(Field, usize, usize)> for Span {
    fn from((field, start, end): (Field, usize, usize)) -> Self {
        Span { field, start, end }
    }
}

impl From<Span> for (Field, usize, usize) {
    fn from(span: Span) -> Self {
        (span.field, span.start, span.end)
    }
}

impl Span {
    /// The text this span covers in `paper`.
    pub fn slice<'p>(&self, paper: &'p Paper) -> &'p str {
        let text = match self.field {
            Field::Title => &paper.title,
            Field::Abstract => &paper.abstract_text,
        };
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// An entity a paper names, with every place it is named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub kind: EntityKind,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    pub spans: Vec<Span>,
}

/// A taxonomy topic of a paper: its score and the trigger terms found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub name: String,
    pub score: u32,
    pub spans: Vec<Span>,
}

/// A word or two-word phrase distinctive of a paper within the corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keyphrase {
    pub phrase: String,
    pub score: f32,
    pub spans: Vec<Span>,
}

/// A URL in the paper's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub url: String,
    pub kind: LinkKind,
    pub span: Span,
}

/// What a link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// A repository on a code or model host (GitHub, GitLab, Bitbucket,
    /// Codeberg, Hugging Face), e.g. `https://github.com/owner/repo`.
    Code,
    /// A project or demo site (`*.github.io`, a lab's page, a Space).
    Page,
    /// Papers, DOIs, videos, social media, a host's front page.
    Other,
}

/// A numeric claim ("81.6% on GSM8K").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub value: f64,
    pub unit: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benchmark: Option<String>,
    pub span: Span,
}

/// A paper similar to this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Similar {
    pub id: String,
    pub score: f32,
}

impl Enrichment {
    /// Whether the paper links to a code repository.
    pub fn has_code(&self) -> bool {
        self.links.iter().any(|l| l.kind == LinkKind::Code)
    }

    /// The entities of one kind.
    pub fn entities_of(&self, kind: EntityKind) -> impl Iterator<Item = &Entity> {
        self.entities.iter().filter(move |e| e.kind == kind)
    }
}
