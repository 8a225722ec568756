//! Enrichment: entities, topics, keyphrases, links, key figures and similar
//! papers extracted from titles and abstracts at compile time.
//!
//! All matching goes through the shared analyzer ([`crate::engine::analyze`]);
//! the entity [`Catalog`] is the one normalizer for documents and queries and
//! ships in the bundle, user extensions included.
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
//! papers by TF-IDF cosine (0..1), best first.
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
//! `catalog` is the entity dictionary in the format below, user extensions
//! included; deserialized it is a [`Catalog`], the one entity normalizer for
//! documents and queries:
//!
//! - [`Catalog::find`]`(text) -> Vec<EntityMatch>`: every mention (kind,
//!   canonical name, family, byte span), as the compiler extracts them;
//! - [`Catalog::canonical`]`(kind, value) -> Option<EntityMatch>`: the one
//!   entity a qualifier value names (`model:llama2-chat-70b`), any case,
//!   run together or as an id;
//! - [`Catalog::resolve`]`(text) -> Vec<String>`: every canonical name a
//!   term names, case-sensitive spellings in any case;
//! - [`entity_id`]`(name)`: a URL-safe id (`llama-2-70b-chat`) that
//!   `canonical` reads back.
//!
//! # Cost at scale
//!
//! Measured by `cargo bench --bench enrich` on 87,690 real papers: about 10 s
//! on a loaded 2-core machine, linear in the corpus except similar papers,
//! which are kept near-linear by pruning (see the `similar` knobs:
//! `max_df`, `TERMS_PER_PAPER`, `QUERY_TERMS`, `MAX_POSTINGS`).
//!
//! # Dictionary files
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

mod catalog;
mod dictionary;
mod figures;
mod links;
mod similar;
mod terms;
mod topics;

use serde::{Deserialize, Serialize};

pub use catalog::{entity_id, Catalog, CatalogData, EntityKind, EntityMatch, UnknownKind};
pub use dictionary::{DictionaryFile, EntityEntry, SeriesEntry, TopicEntry, VariantEntry};
pub use links::{classify, find_links, FoundLink, LinkKind};

use super::bundle::Paper;
use super::diagnostic::Diagnostic;
use super::highlight::Highlights;

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

    /// Where the paper names facet value `value` of group `group` (a
    /// group derived from the text: `model`, `benchmark`, `method`,
    /// `family` (its models' mentions), `topic`, `keyphrase`), as merged
    /// title and abstract spans (a topic's terms "reasoning" and "logical
    /// reasoning" become one); empty for other groups and values the paper
    /// lacks.
    pub fn mentions(&self, group: &str, value: &str) -> Highlights {
        let spans: Vec<Span> = match group {
            "topic" => {
                self.topics.iter().filter(|t| t.name == value).flat_map(|t| t.spans.iter().copied()).collect()
            }
            "keyphrase" => self
                .keyphrases
                .iter()
                .filter(|k| k.phrase == value)
                .flat_map(|k| k.spans.iter().copied())
                .collect(),
            "family" => self
                .entities
                .iter()
                .filter(|e| {
                    e.family.as_deref() == Some(value) || (e.kind == EntityKind::Family && e.name == value)
                })
                .flat_map(|e| e.spans.iter().copied())
                .collect(),
            kind => self
                .entities
                .iter()
                .filter(|e| e.kind.as_str() == kind && e.name == value)
                .flat_map(|e| e.spans.iter().copied())
                .collect(),
        };
        Highlights::from_mentions(spans)
    }

    /// The entities of one kind.
    pub fn entities_of(&self, kind: EntityKind) -> impl Iterator<Item = &Entity> {
        self.entities.iter().filter(move |e| e.kind == kind)
    }

    /// Facet values of this paper as (group key, value): `model`, `family`
    /// (of named models too), `benchmark`, `method`, `topic`, `keyphrase`
    /// and `code` ("has code" / "no code").
    pub fn facet_values(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        for entity in &self.entities {
            out.push((entity.kind.as_str(), entity.name.clone()));
            if let Some(family) = &entity.family {
                out.push((EntityKind::Family.as_str(), family.clone()));
            }
        }
        out.extend(self.topics.iter().map(|t| ("topic", t.name.clone())));
        out.extend(self.keyphrases.iter().map(|k| ("keyphrase", k.phrase.clone())));
        out.push(("code", if self.has_code() { "has code" } else { "no code" }.to_owned()));
        out.sort();
        out.dedup();
        out
    }
}

/// Entity aliases and the topic taxonomy used for extraction.
#[derive(Debug, Clone)]
pub struct Dictionaries {
    file: DictionaryFile,
}

impl Default for Dictionaries {
    fn default() -> Self {
        Self::builtin()
    }
}

const BUILTIN_ENTITIES: &str = include_str!("../../data/entities.json");
const BUILTIN_TAXONOMY: &str = include_str!("../../data/taxonomy.json");

impl Dictionaries {
    /// The dictionaries shipped in `data/`.
    pub fn builtin() -> Self {
        let mut file = DictionaryFile::parse("data/entities.json", BUILTIN_ENTITIES)
            .expect("data/entities.json is valid (tested)");
        file.merge(
            DictionaryFile::parse("data/taxonomy.json", BUILTIN_TAXONOMY)
                .expect("data/taxonomy.json is valid (tested)"),
        );
        Dictionaries { file }
    }

    /// No entities and no topics (keyphrases, links, figures and similar
    /// papers still work).
    pub fn empty() -> Self {
        Dictionaries { file: DictionaryFile::default() }
    }

    /// Adds a user dictionary file (format in the module doc). On error the
    /// dictionaries are unchanged and the diagnostic names `file` and line.
    pub fn extend_from_json(&mut self, file: &str, text: &str) -> Result<(), Diagnostic> {
        let parsed = DictionaryFile::parse(file, text)?;
        self.file.merge(parsed);
        Ok(())
    }

    /// All dictionary data, built in and added.
    pub fn data(&self) -> &DictionaryFile {
        &self.file
    }

    /// The entity catalog of these dictionaries.
    pub fn catalog(&self) -> Catalog {
        Catalog::from_dictionary(&self.file)
    }
}

/// Fills in `paper.enrichment` for every paper; returns the bundle-level data.
pub fn enrich(papers: &mut [Paper], dictionaries: &Dictionaries) -> (CorpusEnrichment, Vec<Diagnostic>) {
    let catalog = dictionaries.catalog();
    let mut vocabulary = terms::Vocabulary::default();
    let mut arena = String::new();
    let docs: Vec<Vec<terms::Tok>> = papers
        .iter_mut()
        .map(|paper| {
            let mut toks = Vec::new();
            paper.enrichment =
                extract(&catalog, &paper.title, &paper.abstract_text, &mut vocabulary, &mut toks, &mut arena);
            toks
        })
        .collect();
    let span = |(field, start, end): (u8, u32, u32)| Span {
        field: if field == terms::TITLE { Field::Title } else { Field::Abstract },
        start: start as usize,
        end: end as usize,
    };

    let taxonomy = dictionaries.file.topics.clone();
    let triggers = topics::Triggers::new(&taxonomy, &vocabulary);
    for (paper, toks) in papers.iter_mut().zip(&docs) {
        paper.enrichment.topics = triggers
            .topics_of(toks)
            .into_iter()
            .map(|(t, score, spans)| Topic {
                name: taxonomy[t].name.clone(),
                score,
                spans: spans.into_iter().map(span).collect(),
            })
            .collect();
    }

    let texts: Vec<(&str, &str)> =
        papers.iter().map(|p| (p.title.as_str(), p.abstract_text.as_str())).collect();
    let term_df = terms::document_frequencies(&docs, vocabulary.len());
    let phrases = topics::keyphrases(&docs, &texts, &vocabulary, &term_df);
    let neighbours = similar::neighbours(&docs, &vocabulary, &term_df);
    drop(texts);
    let ids: Vec<String> = papers.iter().map(|p| p.id.clone()).collect();
    for ((paper, phrases), neighbours) in papers.iter_mut().zip(phrases).zip(neighbours) {
        paper.enrichment.keyphrases = phrases
            .into_iter()
            .map(|(phrase, score, spans)| Keyphrase {
                phrase,
                score,
                spans: spans.into_iter().map(span).collect(),
            })
            .collect();
        paper.enrichment.similar = neighbours
            .into_iter()
            .map(|(d, score)| Similar { id: ids[d].clone(), score: (score * 1000.0).round() / 1000.0 })
            .collect();
    }
    (CorpusEnrichment { catalog, taxonomy }, Vec::new())
}

/// The per-paper extraction that needs no corpus statistics: entities,
/// links and key figures.
fn extract(
    catalog: &Catalog,
    title: &str,
    abstract_text: &str,
    vocabulary: &mut terms::Vocabulary,
    toks: &mut Vec<terms::Tok>,
    arena: &mut String,
) -> Enrichment {
    let mut enrichment = Enrichment::default();
    let mut entities: Vec<Entity> = Vec::new();
    for (field, text) in [(Field::Title, title), (Field::Abstract, abstract_text)] {
        let all_parts = catalog::parts_of(text, arena, &[]);
        let first_tok = toks.len();
        terms::words(
            vocabulary,
            text,
            &all_parts,
            if field == Field::Title { terms::TITLE } else { terms::ABSTRACT },
            toks,
        );
        let found = find_links(text);
        let skip: Vec<(usize, usize)> = found.iter().map(|l| (l.start, l.end)).collect();
        enrichment.links.extend(found.into_iter().map(|l| Link {
            url: l.url,
            kind: l.kind,
            span: Span { field, start: l.start, end: l.end },
        }));
        let outside: Vec<catalog::Part<'_>>;
        let parts = if skip.is_empty() {
            &all_parts
        } else {
            outside = all_parts
                .iter()
                .filter(|p| !skip.iter().any(|&(s, e)| p.start < e && p.end > s))
                .cloned()
                .collect();
            &outside
        };
        let matches = catalog.find_in_parts(text, parts);
        let benchmarks: Vec<(usize, usize, String)> = matches
            .iter()
            .filter(|m| m.kind == EntityKind::Benchmark)
            .map(|m| (m.start, m.end, m.name.clone()))
            .collect();
        let names: Vec<(usize, usize)> = matches
            .iter()
            .filter(|m| matches!(m.kind, EntityKind::Model | EntityKind::Family))
            .map(|m| (m.start, m.end))
            .collect();
        for tok in &mut toks[first_tok..] {
            tok.named = names.iter().any(|&(s, e)| s <= tok.start as usize && tok.end as usize <= e);
        }
        for m in matches {
            let span = Span { field, start: m.start, end: m.end };
            match entities.iter_mut().find(|e| e.kind == m.kind && e.name == m.name) {
                Some(entity) => {
                    if !entity.spans.contains(&span) {
                        entity.spans.push(span);
                    }
                }
                None => {
                    entities.push(Entity { kind: m.kind, name: m.name, family: m.family, spans: vec![span] })
                }
            }
        }
        if field == Field::Abstract {
            enrichment.figures = figures::find_figures(text, parts, &benchmarks)
                .into_iter()
                .map(|f| Figure {
                    value: f.value,
                    unit: f.unit.to_owned(),
                    text: f.text,
                    benchmark: f.benchmark,
                    span: Span { field, start: f.start, end: f.end },
                })
                .collect();
        }
    }
    enrichment.entities = entities;
    enrichment
}
