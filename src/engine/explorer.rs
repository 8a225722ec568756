//! The explorer: one call per interaction. Given the view state (query,
//! facet selection, sort), returns the ordered matching papers and the facet
//! counts for them. The UI renders what this returns and nothing else.

use std::collections::{HashMap, HashSet};

use super::bundle::Bundle;
use super::enrich::Catalog;
use super::facets::{counts_all, filter_all, DocSet, FacetIndex, GroupCounts};
use super::index::{Extra, SearchIndex};
use super::query::{parse, Query};
use super::search::{self, Contribution, EntityResolver, Highlights, NoEntities, SearchOptions, Segment};
use super::tags::{TagStore, UserData};
use super::view_state::{Sort, ViewState};

/// A loaded corpus, indexed for exploring.
pub struct Explorer {
    bundle: Bundle,
    facets: FacetIndex,
    /// Papers by title (folded), for the title sort.
    by_title: Vec<u32>,
    /// Paper id -> index.
    doc_of: HashMap<String, u32>,
    search_index: SearchIndex,
    entities: Box<dyn EntityResolver + Send + Sync>,
}

/// The answer to one interaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Exploration {
    /// Matching papers (indices into `bundle.papers`), in display order.
    pub docs: Vec<u32>,
    /// Facet counts for the papers matching the query, per group.
    pub facets: Vec<GroupCounts>,
    /// The parsed query (empty when there is none).
    pub query: Query,
    /// The indexed words the query matches, for highlighting.
    pub words: HashSet<String>,
    /// "Did you mean" when nothing matches the query.
    pub suggestion: Option<String>,
    /// Papers matching the query alone (before filters).
    pub query_matches: usize,
}

/// Snippet length in words.
pub const SNIPPET_WORDS: usize = 40;

/// Facet group keys.
pub mod group {
    pub const MODEL: &str = "model";
    pub const FAMILY: &str = "family";
    pub const BENCHMARK: &str = "benchmark";
    pub const METHOD: &str = "method";
    pub const TOPIC: &str = "topic";
    pub const CODE: &str = "code";
    pub const KEYPHRASE: &str = "keyphrase";
    pub const YEAR: &str = "year";
    pub const VENUE: &str = "venue";
    pub const CATEGORY: &str = "category";
    pub const AUTHOR: &str = "author";
    pub const TAG: &str = "tag";
    pub const STATE: &str = "state";
}

/// The groups extracted from the text, in panel order, with their labels.
const TEXT_GROUPS: [(&str, &str); 7] = [
    (group::MODEL, "Models"),
    (group::FAMILY, "Model families"),
    (group::BENCHMARK, "Benchmarks"),
    (group::METHOD, "Methods"),
    (group::TOPIC, "Topics"),
    (group::CODE, "Code"),
    (group::KEYPHRASE, "Keyphrases"),
];

/// Keyphrases shown as facet values: the most frequent ones that more than
/// one paper shares (a keyphrase of one paper filters nothing useful, and a
/// 100k corpus has hundreds of thousands of them).
const MAX_KEYPHRASE_VALUES: usize = 300;

/// The pairs of the `limit` values that most papers share (at least two).
fn shared_values(pairs: Vec<(usize, &str)>, limit: usize) -> Vec<(usize, &str)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (_, value) in &pairs {
        *counts.entry(value).or_default() += 1;
    }
    let mut frequent: Vec<(&str, usize)> = counts.into_iter().filter(|(_, n)| *n >= 2).collect();
    frequent.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let keep: HashSet<&str> = frequent.into_iter().take(limit).map(|(v, _)| v).collect();
    pairs.into_iter().filter(|(_, v)| keep.contains(v)).collect()
}

/// The compiler's entity catalog as the search engine's resolver: any
/// spelling of a model, benchmark or method resolves to its canonical name.
struct CatalogResolver(Catalog);

impl EntityResolver for CatalogResolver {
    fn resolve(&self, kind: Option<&str>, text: &str) -> Vec<(String, String)> {
        self.0
            .find(text)
            .into_iter()
            // Only when the text is (nearly) all entity: "llama2 chat 70b", not
            // "results of llama2 chat 70b on math".
            .filter(|m| m.end - m.start + 4 >= text.trim().len())
            .flat_map(|m| {
                let mut out = vec![(m.kind.as_str().to_owned(), m.name.clone())];
                if let Some(family) = m.family {
                    out.push((group::FAMILY.to_owned(), family));
                }
                out
            })
            .filter(|(k, _)| kind.is_none_or(|want| want == k || (want == group::MODEL && k == group::FAMILY)))
            .collect()
    }
}

/// Values of the reading-state group.
pub mod state {
    pub const STARRED: &str = "starred";
    pub const READ: &str = "read";
    pub const UNREAD: &str = "unread";
    pub const NOTE: &str = "has note";
}

impl Explorer {
    pub fn new(bundle: Bundle) -> Self {
        let facets = facet_index(&bundle);
        let mut by_title: Vec<u32> = (0..bundle.papers.len() as u32).collect();
        let keys: Vec<String> = bundle.papers.iter().map(|p| super::analyze::fold(&p.title)).collect();
        by_title.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        let doc_of = bundle.papers.iter().enumerate().map(|(i, p)| (p.id.clone(), i as u32)).collect();
        let search_index = SearchIndex::build(&bundle.papers, |doc| {
            let enrichment = &bundle.papers[doc].enrichment;
            enrichment
                .facet_values()
                .into_iter()
                .filter(|(kind, _)| *kind != group::CODE)
                .map(|(kind, value)| Extra { kind: kind.to_owned(), value })
                .collect()
        });
        let entities: Box<dyn EntityResolver + Send + Sync> = if bundle.corpus.catalog == Catalog::default() {
            Box::new(NoEntities)
        } else {
            Box::new(CatalogResolver(bundle.corpus.catalog.clone()))
        };
        Self { bundle, facets, by_title, doc_of, search_index, entities }
    }

    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    pub fn facets(&self) -> &FacetIndex {
        &self.facets
    }

    /// The index of the paper with this id.
    pub fn doc(&self, id: &str) -> Option<u32> {
        self.doc_of.get(id).copied()
    }

    /// Facet groups of the user's data: tags (a paper tagged `reading/now`
    /// also counts under `reading`) and reading state.
    pub fn user_facets(&self, user: &UserData) -> FacetIndex {
        let mut index = FacetIndex::new(self.bundle.papers.len());
        let tagged = user.papers.iter().filter_map(|(id, data)| Some((self.doc(id)? as usize, data)));
        let mut tag_pairs = Vec::new();
        let mut state_pairs = Vec::new();
        for (doc, data) in tagged {
            for tag in &data.tags {
                let mut levels = tag.match_indices('/').map(|(i, _)| &tag[..i]).collect::<Vec<_>>();
                levels.push(tag);
                tag_pairs.extend(levels.into_iter().map(|t| (doc, t.to_owned())));
            }
            if data.starred {
                state_pairs.push((doc, state::STARRED));
            }
            if data.read {
                state_pairs.push((doc, state::READ));
            }
            if !data.note.is_empty() {
                state_pairs.push((doc, state::NOTE));
            }
        }
        tag_pairs.sort();
        tag_pairs.dedup();
        let read: DocSet = state_pairs.iter().filter(|(_, s)| *s == state::READ).map(|(d, _)| *d).collect();
        state_pairs
            .extend((0..self.bundle.papers.len()).filter(|d| !read.contains(*d)).map(|d| (d, state::UNREAD)));
        index.set_group(group::TAG, "Tags", tag_pairs);
        index.set_group(group::STATE, "Reading state", state_pairs);
        index
    }

    pub fn search_index(&self) -> &SearchIndex {
        &self.search_index
    }

    fn options<'a>(&'a self, tagged: &'a dyn Fn(&str) -> Vec<u32>) -> SearchOptions<'a> {
        SearchOptions { entities: self.entities.as_ref(), tagged, ..Default::default() }
    }

    /// The papers carrying `tag` (or a tag below it) in `user`.
    fn tagged(&self, user: &UserData) -> impl Fn(&str) -> Vec<u32> + '_ {
        let store = TagStore::new(user.clone());
        move |tag: &str| store.papers_with(tag).into_iter().filter_map(|id| self.doc(id)).collect()
    }

    pub fn explore(&self, state: &ViewState, user: &UserData, user_facets: &FacetIndex) -> Exploration {
        let indexes = [&self.facets, user_facets];
        let query = parse(&state.query);
        let tagged = self.tagged(user);
        let (candidates, ranked) = if query.is_empty() {
            (self.facets.all(), None)
        } else {
            let hits = search::search(&self.search_index, &query, &self.options(&tagged));
            let set: DocSet = hits.iter().map(|h| h.doc as usize).collect();
            let mut candidates = DocSet::with_capacity(self.bundle.papers.len());
            candidates.union_with(&set);
            (candidates, Some(hits))
        };
        let matching = filter_all(&indexes, &candidates, &state.selection);
        let facets = counts_all(&indexes, &candidates, &state.selection);
        let docs = match (&ranked, state.sort) {
            (Some(hits), Sort::Relevance) => {
                hits.iter().map(|h| h.doc).filter(|&d| matching.contains(d as usize)).collect()
            }
            _ => self.order(&matching, state.sort),
        };
        let query_matches = ranked.as_ref().map_or(self.bundle.papers.len(), Vec::len);
        let suggestion = (query_matches == 0 && !query.is_empty())
            .then(|| search::suggest(&self.search_index, &state.query))
            .flatten();
        let words = search::matched_words(&self.search_index, &query);
        Exploration { docs, facets, query, words, suggestion, query_matches }
    }

    /// Title and abstract match spans of `doc` for the query of `exploration`.
    pub fn highlights(&self, exploration: &Exploration, doc: u32) -> Highlights {
        let paper = &self.bundle.papers[doc as usize];
        search::highlight(&paper.title, &paper.abstract_text, &exploration.words)
    }

    /// The abstract's best window around the matches (its start without a query).
    pub fn snippet(&self, exploration: &Exploration, doc: u32) -> Vec<Segment> {
        let paper = &self.bundle.papers[doc as usize];
        let spans = search::spans(&paper.abstract_text, &exploration.words);
        search::snippet(&paper.abstract_text, &spans, SNIPPET_WORDS)
    }

    /// Why `doc` matches the query: the score breakdown.
    pub fn explain(&self, exploration: &Exploration, user: &UserData, doc: u32) -> Vec<Contribution> {
        let tagged = self.tagged(user);
        search::explain(&self.search_index, &exploration.query, doc, &self.options(&tagged))
    }

    fn order(&self, matching: &DocSet, sort: Sort) -> Vec<u32> {
        match sort {
            Sort::Relevance | Sort::Corpus => matching.ones().map(|d| d as u32).collect(),
            Sort::Title => self.by_title.iter().copied().filter(|&d| matching.contains(d as usize)).collect(),
            Sort::Year => {
                let mut docs: Vec<u32> = matching.ones().map(|d| d as u32).collect();
                // Stable: papers of the same year keep corpus order; no year goes last.
                docs.sort_by_key(|&d| {
                    std::cmp::Reverse(self.bundle.papers[d as usize].year.unwrap_or(i32::MIN))
                });
                docs
            }
        }
    }
}

/// The facet groups a bundle supports: only those with values appear.
fn facet_index(bundle: &Bundle) -> FacetIndex {
    let papers = &bundle.papers;
    let mut index = FacetIndex::new(papers.len());
    let values: Vec<Vec<(&'static str, String)>> = papers
        .iter()
        .map(|p| {
            let mut values = p.enrichment.facet_values();
            // A repository named by the source counts as code too.
            if p.code_url.is_some() {
                values.retain(|(k, _)| *k != group::CODE);
                values.push((group::CODE, "has code".to_owned()));
            }
            values
        })
        .collect();
    for (key, label) in TEXT_GROUPS {
        let mut pairs: Vec<(usize, &str)> = values
            .iter()
            .enumerate()
            .flat_map(|(doc, v)| v.iter().filter(move |(k, _)| *k == key).map(move |(_, value)| (doc, value.as_str())))
            .collect();
        if key == group::KEYPHRASE {
            pairs = shared_values(pairs, MAX_KEYPHRASE_VALUES);
        }
        index.set_group(key, label, pairs);
    }
    index.set_group(
        group::YEAR,
        "Year",
        papers.iter().enumerate().filter_map(|(doc, p)| p.year.map(|y| (doc, y.to_string()))),
    );
    index.set_group(
        group::VENUE,
        "Venues",
        papers.iter().enumerate().filter_map(|(doc, p)| p.venue.as_deref().map(|v| (doc, v))),
    );
    index.set_group(
        group::CATEGORY,
        "Categories",
        papers.iter().enumerate().flat_map(|(doc, p)| p.categories.iter().map(move |c| (doc, c.as_str()))),
    );
    index.set_group(
        group::AUTHOR,
        "Authors",
        papers.iter().enumerate().flat_map(|(doc, p)| p.authors.iter().map(move |a| (doc, a.as_str()))),
    );
    index
}
