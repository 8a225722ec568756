//! Ranked search over a [`SearchIndex`]: a query's clauses matched and
//! scored, papers ranked, and what the UI shows per query (matched words for
//! highlighting, the entities named, "did you mean", explanations).
//!
//! A query is clauses of alternatives ([`Query`]); every positive clause
//! must match and no negated one may. The parts:
//!
//! - `expand`: the indexed words a query word matches (exact, stem, prefix
//!   completion, typo), the banded edit distance, [`suggest`];
//! - `score`: BM25F over title, abstract, authors and entities
//!   ([`RankingWeights`]), ranking ([`rank`], [`top`]), and the explanation
//!   the scorer records as it scores ([`explain`]);
//! - `phrase`: consecutive words in the title or the abstract;
//! - `entities`: any spelling of an entity ([`EntityResolver`],
//!   [`CatalogResolver`]) and the boost of papers naming it.
//!
//! The UI calls [`run`] once per keystroke: it returns every matching paper
//! with its score (in paper order, for facet filtering), [`SearchResults::top`]
//! for the best N, and per displayed paper its highlights and snippet
//! ([`crate::engine::highlight`]).

mod entities;
mod every;
mod expand;
mod most;
mod phrase;
mod score;
mod topk;

use std::collections::HashSet;

pub use entities::{CatalogResolver, EntityResolver, NoEntities};
pub use every::EveryWord;
pub use expand::{suggest, MatchKind};
pub use most::MostWords;
use most::Papers;
pub use score::{best_first, best_of, rank, top, Contribution, Hit, RankingWeights};
pub use topk::{prepare, prepare_from, Ranker, WordRanker, SUMMARIZED};

use super::bundle::Paper;
use super::facet_kind::FacetKind;
use super::facets::{papers_in, DocSet};
use super::highlight::{self, Highlights, Segment};
use super::index::SearchIndex;
use super::query::{parse, Atom, Clause, Field, Query};
use entities::{add_entities, named_entities, score_qualifier};
use expand::{Expansion, Expansions};
use phrase::score_phrase;
use score::{score_term, Bm25, Scores, Trace};

/// What a search needs besides the index and the query.
pub struct SearchOptions<'a> {
    pub weights: RankingWeights,
    pub entities: &'a dyn EntityResolver,
    /// Papers carrying a user tag (or a tag below it).
    pub tagged: &'a dyn Fn(&str) -> Vec<u32>,
}

impl Default for SearchOptions<'_> {
    fn default() -> Self {
        Self { weights: RankingWeights::default(), entities: &NoEntities, tagged: &|_| Vec::new() }
    }
}

/// Searches for `query_text`: the one call per keystroke. Bad syntax is
/// never an error (see [`parse`]); an empty query matches nothing. When no
/// paper has every word of a query of several, the hits are the papers with
/// most of them ([`SearchResults::fewer_words`]).
pub fn run(index: &SearchIndex, query_text: &str, options: &SearchOptions<'_>) -> SearchResults {
    run_with(index, parse(query_text), query_text, options, Expansions::default())
}

/// [`run`] of `query` (parsed from `query_text`) with the word expansions
/// made so far.
fn run_with(
    index: &SearchIndex,
    query: Query,
    query_text: &str,
    options: &SearchOptions<'_>,
    mut expansions: Expansions,
) -> SearchResults {
    let (hits, fewer_words) = hits_of(index, &query, options, &mut expansions);
    let empty = hits.is_empty();
    results_with(index, query, query_text, options, &mut expansions, hits, (empty, fewer_words))
}

/// What the UI shows for `query` (parsed from `query_text`) whose matches
/// are `hits` (empty when a ranker has them): the words to highlight, the
/// entities named, and "did you mean" when `(nothing matches, not every
/// word does)` says one of them.
fn results_with(
    index: &SearchIndex,
    query: Query,
    query_text: &str,
    options: &SearchOptions<'_>,
    expansions: &mut Expansions,
    hits: Vec<Hit>,
    (nothing, fewer_words): (bool, bool),
) -> SearchResults {
    let suggestion =
        if (nothing || fewer_words) && !query.is_empty() { suggest(index, query_text) } else { None };
    SearchResults {
        words: matched_words_with(index, &query, expansions),
        entities: named_entities(&query, options),
        hits,
        fewer_words,
        suggestion,
        query,
    }
}

/// [`run`] for a view that shows the best few matches and counts them all
/// (the explorer): for a one-word query (a word, a prefix, a typo, or
/// words joined by `OR`, none naming an entity, in no field; its terms in
/// `RANKED` (8,192) papers or more in all), the matches are found
/// without being scored and a [`Ranker`] finds the best k exactly
/// ([`Ranker::best`]) and every match's score when asked
/// ([`Ranker::all`]); so for a query of several plain words that no paper
/// has all of (a question): the papers with most of them, of which only
/// those of the most words are scored ([`MostWords`]); and for plain words
/// that papers have all of, those papers, of which only the ones that may
/// be among the best k get every term scored ([`EveryWord`]). The results'
/// `hits` are then empty (the ranker has the matches). Any other query is
/// [`run`]'s.
pub fn run_ranked(
    index: &SearchIndex,
    query_text: &str,
    options: &SearchOptions<'_>,
) -> (SearchResults, Option<Ranker>) {
    let query = parse(query_text);
    let mut expansions = Expansions::default();
    // One clause of words (`lora OR adapter`: a paper scores its best
    // term of any of them), in any field, none naming an entity.
    let words = |clause: &Clause| -> Option<Vec<(String, bool)>> {
        clause
            .alternatives
            .iter()
            .map(|atom| match atom {
                Atom::Terms { terms, field: None, prefix, phrase: false }
                    if terms.len() == 1 && options.entities.resolve(None, &terms[0]).is_empty() =>
                {
                    Some((terms[0].clone(), *prefix))
                }
                _ => None,
            })
            .collect()
    };
    let ranker = match query.clauses.as_slice() {
        [clause] if !clause.negated => words(clause).and_then(|words| {
            let mut terms = Vec::new();
            for (word, prefix) in &words {
                terms.extend_from_slice(expansions.of(index, word, *prefix));
            }
            WordRanker::new(index, &terms, options.weights).map(Ranker::Word)
        }),
        // Several words: the papers with them all, as `run` finds them;
        // when there are none, those with most of them, ranked. Two
        // words: most often some paper has both, which their papers,
        // unscored, tell ([`EveryWord`]: their best k without reading
        // every posting of their common terms). More (a question): most
        // often none has them all, which the words' papers, unscored,
        // tell at once ([`MostWords::new`]); then only the papers with
        // every word are ranked ([`EveryWord`] again for plain words).
        _ if MostWords::applies(&query, options) => {
            let mut ranker = None;
            let mut hits = Vec::new();
            if query.clauses.len() == 2 {
                match EveryWord::new(index, &query, options, &mut expansions, None) {
                    Some(every) if !every.docs().is_clear() => ranker = Some(Ranker::EveryWord(every)),
                    Some(_) => {}
                    None => hits = all_words(index, &query, options, &mut expansions, None, None),
                }
            }
            if hits.is_empty() && ranker.is_none() {
                match MostWords::new(index, &query, options, &mut expansions) {
                    Papers::Most(most) => ranker = Some(Ranker::MostWords(most)),
                    Papers::All(every) => {
                        match EveryWord::new(index, &query, options, &mut expansions, Some(every.clone())) {
                            Some(words) => ranker = Some(Ranker::EveryWord(words)),
                            None => {
                                hits = all_words(index, &query, options, &mut expansions, None, Some(&every))
                            }
                        }
                    }
                    Papers::Nothing => {}
                }
            }
            if ranker.is_none() {
                // The papers with every word, or nothing (`run`'s answer).
                let state = (hits.is_empty(), false);
                let results = results_with(index, query, query_text, options, &mut expansions, hits, state);
                return (results, None);
            }
            ranker
        }
        _ => None,
    };
    let Some(ranker) = ranker else { return (run_with(index, query, query_text, options, expansions), None) };
    let state = (ranker.count() == 0, matches!(ranker, Ranker::MostWords(_)));
    (results_with(index, query, query_text, options, &mut expansions, Vec::new(), state), Some(ranker))
}

/// Every paper matching `query`, best first (ties in corpus order). An empty
/// query matches nothing: the caller shows the whole corpus instead.
pub fn search(index: &SearchIndex, query: &Query, options: &SearchOptions<'_>) -> Vec<Hit> {
    rank(matches(index, query, options))
}

/// Every paper matching `query` (or, when none has all its words, those
/// with most of them), in paper order.
pub fn matches(index: &SearchIndex, query: &Query, options: &SearchOptions<'_>) -> Vec<Hit> {
    hits_of(index, query, options, &mut Expansions::default()).0
}

/// Why `doc` matched `query`: what its score is the sum of, largest first
/// (empty if it does not match). The search runs again for `doc` alone and
/// the scorer records each contribution as it makes it.
pub fn explain(
    index: &SearchIndex,
    query: &Query,
    doc: u32,
    options: &SearchOptions<'_>,
) -> Vec<Contribution> {
    let fewer_words = hits_of(index, query, options, &mut Expansions::default()).1;
    explain_as(index, query, doc, options, fewer_words)
}

/// [`explain`] knowing whether the query fell back to most of its words.
fn explain_as(
    index: &SearchIndex,
    query: &Query,
    doc: u32,
    options: &SearchOptions<'_>,
    fewer_words: bool,
) -> Vec<Contribution> {
    if doc as usize >= index.doc_count() || query.is_empty() {
        return Vec::new();
    }
    let mut trace = Trace::new(doc);
    let expansions = &mut Expansions::default();
    let hits = if fewer_words {
        most_words(index, query, options, expansions, Some(&mut trace), None)
    } else {
        all_words(index, query, options, expansions, Some(&mut trace), None)
    };
    if hits.is_empty() {
        return Vec::new();
    }
    trace.contributions()
}

/// The papers with every word of `query`, in paper order; when there are
/// none and the query has several clauses, the papers with any of them
/// (and `true`).
fn hits_of(
    index: &SearchIndex,
    query: &Query,
    options: &SearchOptions<'_>,
    expansions: &mut Expansions,
) -> (Vec<Hit>, bool) {
    let hits = all_words(index, query, options, expansions, None, None);
    if !hits.is_empty() || query.clauses.iter().filter(|c| !c.negated && is_words(c)).count() < 2 {
        return (hits, false);
    }
    let most = most_words(index, query, options, expansions, None, None);
    let fewer_words = !most.is_empty();
    (most, fewer_words)
}

/// The papers matching every clause of `query` with their scores, in paper
/// order; with a `trace`, only its paper is scored, and recorded; with
/// `within`, only its papers (the caller knows that no other has every
/// clause).
fn all_words(
    index: &SearchIndex,
    query: &Query,
    options: &SearchOptions<'_>,
    expansions: &mut Expansions,
    mut trace: Option<&mut Trace>,
    within: Option<&DocSet>,
) -> Vec<Hit> {
    if query.is_empty() {
        return Vec::new();
    }

    let n = index.doc_count();
    if let ([clause], None, None) = (query.clauses.as_slice(), &trace, within) {
        if !clause.negated {
            // One clause (most keystrokes): its scores are the hits' (a
            // query of one word names no entity by its words together).
            let scores = evaluate_clause(index, &clause.alternatives, options, None, expansions, None);
            let hit = |d: usize| Hit {
                doc: d as u32,
                score: scores.score[d],
                words: 1,
                typed: u16::from(scores.typed.contains(d)),
            };
            // Sized once (growing it by doubling copied every hit again)
            // and filled in place (`push` is a call at `opt-level = "z"`).
            let empty = Hit { doc: 0, score: 0.0, words: 1, typed: 0 };
            let mut hits = vec![empty; papers_in(&scores.docs)];
            for (slot, d) in hits.iter_mut().zip(scores.docs.ones()) {
                *slot = hit(d);
            }
            return hits;
        }
    }
    let mut matching = DocSet::with_capacity(n);
    match (&trace, within) {
        (Some(trace), _) => matching.insert(trace.doc() as usize),
        (None, Some(within)) => matching.union_with(within),
        (None, None) => matching.insert_range(..),
    }
    let mut total = vec![0.0f32; n];
    let mut typed = vec![0u16; n];
    let mut clauses = 0u16;
    for (i, clause) in query.clauses.iter().enumerate() {
        // After the first clause only the papers still matching need scores
        // ("machine t" scores "the" in the papers with "machine" only).
        let candidates = (i > 0 || trace.is_some() || within.is_some()).then_some(&matching);
        if clause.negated {
            // An exclusion removes papers and adds nothing to a score.
            let scores = evaluate_clause(
                index,
                &excluded_forms(&clause.alternatives),
                options,
                candidates,
                expansions,
                None,
            );
            matching.difference_with(&scores.docs);
        } else {
            let scores = evaluate_clause(
                index,
                &clause.alternatives,
                options,
                candidates,
                expansions,
                trace.as_deref_mut(),
            );
            matching.intersect_with(&scores.docs);
            for d in matching.ones() {
                total[d] += scores.score[d];
                typed[d] += u16::from(scores.typed.contains(d));
            }
            clauses += 1;
            if let Some(trace) = trace.as_deref_mut() {
                trace.end_clause();
            }
        }
    }
    // Words that together name an entity also find the papers naming it in
    // another spelling ("llama2 chat 70b" finds "LLaMA-2-70B-Chat").
    if let Some(words) = plain_words(query) {
        let scope = trace.as_deref().map(Trace::doc);
        let mut named = Scores::new(n, trace.as_deref_mut());
        named.trace_query(|| words.clone());
        add_entities(index, None, &words, options, &mut named);
        let mut added = false;
        for d in named.docs.ones() {
            if !matching.contains(d) && scope.is_none_or(|doc| doc as usize == d) {
                matching.insert(d);
                total[d] = named.score[d] * query.clauses.len() as f32;
                typed[d] = clauses;
                added = true;
            }
        }
        if let Some(trace) = trace {
            if added {
                trace.only_named(query.clauses.len());
            } else {
                trace.drop_clause();
            }
        }
    }
    matching.ones().map(|d| Hit { doc: d as u32, score: total[d], words: clauses, typed: typed[d] }).collect()
}

/// Whether a clause is words (or phrases), which the fallback to most of
/// the words may leave out; `tag:`, `year:` and entity qualifiers are
/// filters, always required.
fn is_words(clause: &Clause) -> bool {
    clause.alternatives.iter().all(|atom| matches!(atom, Atom::Terms { .. }))
}

/// The papers matching every filter clause of `query` ([`is_words`]), at
/// least one of its word clauses and no exclusion, each with the number of
/// clauses it matches and the sum of their scores, in paper order; with a
/// `trace`, only its paper is scored, and recorded; with `within`, only
/// its papers are (the best rows of [`MostWords`]).
fn most_words(
    index: &SearchIndex,
    query: &Query,
    options: &SearchOptions<'_>,
    expansions: &mut Expansions,
    mut trace: Option<&mut Trace>,
    within: Option<&DocSet>,
) -> Vec<Hit> {
    let n = index.doc_count();
    let scope = match trace.as_deref() {
        Some(trace) => {
            let mut scope = DocSet::with_capacity(n);
            scope.insert(trace.doc() as usize);
            Some(scope)
        }
        None => within.cloned(),
    };
    let (mut total, mut words, mut typed) = (vec![0.0f32; n], vec![0u16; n], vec![0u16; n]);
    let mut excluded = DocSet::with_capacity(n);
    let (mut filtered, mut filters) = (DocSet::with_capacity(n), 0);
    filtered.insert_range(..);
    for clause in &query.clauses {
        if clause.negated {
            let forms = excluded_forms(&clause.alternatives);
            let scores = evaluate_clause(index, &forms, options, scope.as_ref(), expansions, None);
            excluded.union_with(&scores.docs);
        } else {
            let scores = evaluate_clause(
                index,
                &clause.alternatives,
                options,
                scope.as_ref(),
                expansions,
                trace.as_deref_mut(),
            );
            let is_words = is_words(clause);
            for d in scores.docs.ones() {
                total[d] += scores.score[d];
                words[d] += u16::from(is_words);
                typed[d] += u16::from(scores.typed.contains(d));
            }
            if !is_words {
                filtered.intersect_with(&scores.docs);
                filters += 1;
            }
            if let Some(trace) = trace.as_deref_mut() {
                trace.end_clause();
            }
        }
    }
    // Only the papers in scope can have a word.
    let papers: Box<dyn Iterator<Item = usize>> = match &scope {
        Some(scope) => Box::new(scope.ones()),
        None => Box::new(0..n),
    };
    papers
        .filter(|&d| words[d] > 0 && filtered.contains(d) && !excluded.contains(d))
        .map(|d| Hit { doc: d as u32, score: total[d], words: words[d] + filters, typed: typed[d] })
        .collect()
}

fn evaluate_clause<'t>(
    index: &SearchIndex,
    alternatives: &[Atom],
    options: &SearchOptions<'_>,
    candidates: Option<&DocSet>,
    expansions: &mut Expansions,
    trace: Option<&'t mut Trace>,
) -> Scores<'t> {
    let mut scores = Scores::new(index.doc_count(), trace);
    for atom in alternatives {
        evaluate_atom(index, atom, options, candidates, expansions, &mut scores);
    }
    scores
}

/// Scores the papers matching `atom` into `into`; only papers in
/// `candidates` (when given) need to be scored.
fn evaluate_atom(
    index: &SearchIndex,
    atom: &Atom,
    options: &SearchOptions<'_>,
    candidates: Option<&DocSet>,
    expansions: &mut Expansions,
    into: &mut Scores,
) {
    let bm25 = || Bm25::new(index, options.weights.clamped());
    into.trace_query(|| label(atom));
    match atom {
        Atom::Terms { terms, field, prefix, phrase } if terms.len() == 1 => {
            if *phrase {
                if let Some(term) = index.find(&terms[0]) {
                    score_term(index, &Expansion::exact(term), *field, &bm25(), candidates, into);
                }
            } else {
                let bm = bm25();
                for e in expansions.of(index, &terms[0], *prefix) {
                    score_term(index, e, *field, &bm, candidates, into);
                }
            }
            if !phrase {
                add_entities(index, None, &terms[0], options, into);
            }
        }
        Atom::Terms { terms, field, prefix, .. } => {
            let field = field.filter(|f| matches!(f, Field::Title | Field::Abstract));
            score_phrase(index, terms, field, *prefix, &bm25(), candidates, into);
            // "llama-2-chat-70b" also finds every spelling of the model.
            add_entities(index, None, &terms.join("-"), options, into);
        }
        Atom::Entity { kind, value } => score_qualifier(index, kind, value, options, into),
        Atom::Tag(tag) => {
            for doc in (options.tagged)(tag) {
                if (doc as usize) < index.doc_count() {
                    into.offer_item(doc, 1.0, || tag.clone(), MatchKind::Tag, FacetKind::Tag.key());
                }
            }
        }
        Atom::Year { from, to } => {
            for doc in 0..index.doc_count() as u32 {
                if let Some(year) = index.year(doc) {
                    if from.is_none_or(|f| year >= f) && to.is_none_or(|t| year <= t) {
                        into.offer_item(
                            doc,
                            0.0,
                            || year.to_string(),
                            MatchKind::Year,
                            FacetKind::Year.key(),
                        );
                    }
                }
            }
        }
    }
}

/// A query item as the explanation names it (about as typed).
fn label(atom: &Atom) -> String {
    match atom {
        Atom::Terms { terms, field, phrase, .. } => {
            let text =
                if *phrase || terms.len() > 1 { format!("\"{}\"", terms.join(" ")) } else { terms.join(" ") };
            match field {
                Some(field) => format!("{}:{text}", field.name()),
                None => text,
            }
        }
        Atom::Entity { kind, value } => format!("{kind}:{value}"),
        Atom::Tag(tag) => format!("tag:{tag}"),
        Atom::Year { from, to } => {
            let end = |year: &Option<i32>| year.map(|y| y.to_string()).unwrap_or_default();
            if from == to {
                format!("year:{}", end(from))
            } else {
                format!("year:{}..{}", end(from), end(to))
            }
        }
    }
}

/// The words of a query of several words and identifiers and nothing else
/// ("llama2 chat 70b", "Llama 2-Chat 70B"), which may together name an entity.
fn plain_words(query: &Query) -> Option<String> {
    let mut words = Vec::new();
    for clause in &query.clauses {
        match clause.alternatives.first() {
            Some(Atom::Terms { terms, field: None, .. }) if !clause.negated => words.push(terms.join("-")),
            Some(Atom::Terms { .. } | Atom::Entity { .. } | Atom::Tag(_) | Atom::Year { .. }) | None => {
                return None
            }
        }
    }
    (words.len() > 1).then(|| words.join(" "))
}

/// What an excluded word removes: its exact form, as if quoted; never
/// inflections, completions or words a typo away ("-mixtral" keeps
/// "Mistral"), which would remove papers the user did not name.
fn excluded_forms(alternatives: &[Atom]) -> Vec<Atom> {
    alternatives
        .iter()
        .map(|atom| match atom {
            Atom::Terms { terms, field, phrase: false, .. } if terms.len() == 1 => {
                Atom::Terms { terms: terms.clone(), field: *field, prefix: false, phrase: true }
            }
            Atom::Terms { .. } | Atom::Entity { .. } | Atom::Tag(_) | Atom::Year { .. } => atom.clone(),
        })
        .collect()
}

/// The words (folded) a query matches in `index`, for highlighting.
pub fn matched_words(index: &SearchIndex, query: &Query) -> HashSet<String> {
    matched_words_with(index, query, &mut Expansions::default())
}

fn matched_words_with(index: &SearchIndex, query: &Query, expansions: &mut Expansions) -> HashSet<String> {
    let mut words = HashSet::new();
    for clause in query.clauses.iter().filter(|c| !c.negated) {
        for atom in &clause.alternatives {
            match atom {
                Atom::Terms { terms, prefix, phrase, .. } => {
                    for (i, term) in terms.iter().enumerate() {
                        let last = i + 1 == terms.len();
                        if *phrase && terms.len() > 1 && !(last && *prefix) {
                            words.insert(term.clone());
                        } else {
                            for e in expansions.of(index, term, *prefix && last) {
                                words.insert(index.term(e.term).to_owned());
                            }
                        }
                    }
                }
                // Entities are highlighted where the paper names them
                // (`SearchResults::highlights`); tags and years name no word.
                Atom::Entity { .. } | Atom::Tag(_) | Atom::Year { .. } => {}
            }
        }
    }
    words
}

/// Everything the UI shows for one query text.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// The parsed query.
    pub query: Query,
    /// Every matching paper with its score, in paper order: filter these by
    /// facets, then rank them with [`top`] or [`rank`].
    pub hits: Vec<Hit>,
    /// The indexed words the query matches, for highlighting.
    pub words: HashSet<String>,
    /// `(kind, canonical name)` of the entities the query names, whose
    /// mentions are highlighted in every spelling.
    pub entities: Vec<(String, String)>,
    /// No paper has every word of the query: the hits are the papers with
    /// most of them, ranked by how many they have, then by score (the page
    /// says "No paper has all the words; showing those with most of them").
    pub fewer_words: bool,
    /// "Did you mean" when nothing, or not every word, matches.
    pub suggestion: Option<String>,
}

impl SearchResults {
    /// The best `n` hits, best first (ties in paper order), without sorting
    /// every match.
    pub fn top(&self, n: usize) -> Vec<Hit> {
        if self.hits.len() <= n {
            return top(self.hits.clone(), n);
        }
        best_of(&self.hits, n)
    }

    /// The matching papers as a set (for facet counting).
    pub fn doc_set(&self, doc_count: usize) -> DocSet {
        let mut set = DocSet::with_capacity(doc_count);
        set.extend(self.hits.iter().map(|h| h.doc as usize));
        set
    }

    /// Match spans in `paper`'s title and abstract: the matched words, and
    /// every mention of an entity the query names, in whatever spelling.
    pub fn highlights(&self, paper: &Paper) -> Highlights {
        let mut highlights = highlight::highlight(&paper.title, &paper.abstract_text, &self.words);
        let named = paper.enrichment.entities.iter().filter(|entity| {
            self.entities.iter().any(|(k, name)| k == entity.kind.as_str() && *name == entity.name)
        });
        highlights.add_mentions(named.flat_map(|entity| entity.spans.iter().copied()));
        highlights
    }

    /// The best window of about `words` words of `paper`'s abstract.
    pub fn snippet(&self, paper: &Paper, words: usize) -> Vec<Segment> {
        highlight::snippet(&paper.abstract_text, &self.highlights(paper).abstract_spans, words)
    }

    /// Why `doc` matched: what its score is the sum of ([`explain`]).
    pub fn explain(&self, index: &SearchIndex, doc: u32, options: &SearchOptions<'_>) -> Vec<Contribution> {
        explain_as(index, &self.query, doc, options, self.fewer_words)
    }
}
