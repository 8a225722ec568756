//! Enrichment: entities, topics, keyphrases, links, key figures and similar
//! papers extracted from titles and abstracts at compile time.
//!
//! The stage that computes what [`crate::engine::bundle::enrichment`]
//! stores. All matching goes through the shared analyzer
//! ([`crate::engine::analyze`]); entities are found by the entity [`Catalog`],
//! the one normalizer for documents and queries, made of the
//! [`Dictionaries`] (format: [`crate::engine::dictionary`]).
//!
//! # Cost at scale
//!
//! Measured by `cargo bench --bench enrich` on 87,690 real papers: about 10 s
//! on a loaded 2-core machine, linear in the corpus except similar papers,
//! which are kept near-linear by pruning (see the `similar` knobs:
//! `max_df`, `TERMS_PER_PAPER`, `QUERY_TERMS`, `MAX_POSTINGS`).

mod figures;
mod links;
mod similar;
mod terms;

pub(crate) use terms::STOPWORDS;
mod topics;

use super::progress::{Stage, Step, EVERY};
use links::find_links;

use super::bundle::enrichment::{
    CorpusEnrichment, Enrichment, Entity, Field, Figure, Keyphrase, Link, Similar, Span, Topic,
};
use super::bundle::Paper;
use super::catalog::{self, Catalog, EntityKind};
use super::diagnostic::Diagnostic;
use super::dictionary::DictionaryFile;
use super::math;

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

    /// The dictionaries a compiled corpus was enriched with (its bundle's
    /// catalog and taxonomy, user extensions included): papers added to it
    /// are enriched alike.
    pub fn of_corpus(corpus: &CorpusEnrichment) -> Self {
        let data = corpus.catalog.data();
        let file = DictionaryFile {
            series: data.series.clone(),
            models: data.models.clone(),
            benchmarks: data.benchmarks.clone(),
            methods: data.methods.clone(),
            topics: corpus.taxonomy.clone(),
        };
        Dictionaries { file }
    }

    /// The entity catalog of these dictionaries.
    pub fn catalog(&self) -> Catalog {
        Catalog::from_dictionary(&self.file)
    }
}

/// Fills in `paper.enrichment` for every paper; returns the bundle-level data.
/// Enrichment cannot fail: text it does not understand yields nothing.
pub fn enrich(papers: &mut [Paper], dictionaries: &Dictionaries) -> CorpusEnrichment {
    enrich_reporting(papers, dictionaries, &mut |_| {})
}

/// [`enrich`], reporting its progress to `report`.
pub fn enrich_reporting(
    papers: &mut [Paper],
    dictionaries: &Dictionaries,
    report: &mut dyn FnMut(Step),
) -> CorpusEnrichment {
    let catalog = dictionaries.catalog();
    let mut vocabulary = terms::Vocabulary::default();
    let mut arena = String::new();
    let total = papers.len();
    let step = |stage, done: usize| Step { stage, done: done as u64, total: total as u64, papers: total };
    let docs: Vec<Vec<terms::Tok>> = papers
        .iter_mut()
        .enumerate()
        .map(|(i, paper)| {
            if i % EVERY == 0 {
                report(step(Stage::Extract, i));
            }
            let mut toks = Vec::new();
            paper.enrichment =
                extract(&catalog, &paper.title, &paper.abstract_text, &mut vocabulary, &mut toks, &mut arena);
            // Held for the whole corpus: without the room left by growing.
            toks.shrink_to_fit();
            toks
        })
        .collect();
    let span = |(field, start, end): (u8, u32, u32)| Span {
        field: if field == terms::TITLE { Field::Title } else { Field::Abstract },
        start: start as usize,
        end: end as usize,
    };

    report(step(Stage::Corpus, 0));
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
    drop(texts);
    let vectors = similar::vectors(&docs, &vocabulary, &term_df);
    // The words are the largest thing enrichment holds (12 bytes each, 200
    // million at a million papers): gone before the neighbours' tables.
    drop(docs);
    let neighbours = similar::neighbours(&vectors, vocabulary.len());
    drop(vectors);
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
    CorpusEnrichment { catalog, taxonomy }
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
        // A formula's words are notation (`$\alpha \log n$`), not what the
        // paper is about: keyphrases are made of the prose only.
        let formulas = math::formulas(text);
        let prose: Vec<catalog::Part<'_>> = all_parts
            .iter()
            .filter(|p| !formulas.iter().any(|f| p.start < f.end && p.end > f.start))
            .copied()
            .collect();
        terms::words(
            vocabulary,
            text,
            &prose,
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
            tok.set_named(names.iter().any(|&(s, e)| s <= tok.start as usize && tok.end as usize <= e));
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
