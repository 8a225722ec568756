//! The best k of a query whose words no paper has all ("how do robots
//! learn to grasp unknown objects"): the papers with most of them, ranked
//! as full scoring ranks them (more of the words first, then more of them
//! as typed, then the score: [`super::best_first`]) without scoring every
//! paper that has one of them.
//!
//! A question of common words matches most of a corpus through one of
//! them (95k of 100k papers), yet the best rows have six or seven of its
//! eight words, and those are few. The match set is the union of the
//! words' papers, unscored (a common term's papers are its summary's
//! bitset). How many of the words each paper has is counted over those
//! sets as bits (a binary counter per paper, one bitset per bit of the
//! count, added to word-wise), so the papers with the most words are
//! found level by level, from the top, until the levels taken hold k
//! papers; only those are scored, by full scoring's fallback itself
//! (`search::most_words` within them), and any paper left out has fewer
//! words than every paper taken, so it ranks below them all. Every match is scored when asked for ([`MostWords::all`]:
//! full scoring's fallback itself).

use super::expand::Expansions;
use super::score::{top, Hit, RankingWeights};
use super::topk::papers_of;
use super::{evaluate_clause, most_words, plain_words, SearchOptions};
use crate::engine::facets::{papers_in, DocSet};
use crate::engine::index::SearchIndex;
use crate::engine::query::{Atom, Clause, Query};

/// The papers of a query's words ([`MostWords::new`]).
pub(super) enum Papers {
    /// Those with every word (some paper has them all).
    All(DocSet),
    /// No paper has every word; these have one at least.
    Most(MostWords),
    /// No paper has any of the words.
    Nothing,
}

/// The matches of a query of plain words that no paper has all of, and
/// what ranks them ([`MostWords::best`], [`MostWords::all`]).
#[derive(Debug, Clone)]
pub struct MostWords {
    query: Query,
    weights: RankingWeights,
    /// Each clause's papers, unscored.
    clauses: Vec<DocSet>,
    /// The papers with one of the words at least.
    docs: DocSet,
}

impl MostWords {
    /// Whether `query` is two words or more (words joined by `OR` count as
    /// one), each a word, a hyphenated word or a phrase: no field,
    /// qualifier, exclusion or entity name, nor the words together an
    /// entity's name. Only such a query is ranked by [`MostWords`] when no
    /// paper has all its words.
    pub(super) fn applies(query: &Query, options: &SearchOptions<'_>) -> bool {
        let named = |text: &str| !options.entities.resolve(None, text).is_empty();
        // A word, a hyphenated one ("self-driving": its parts in a row)
        // or a phrase, in any field.
        let plain =
            |atom: &Atom| matches!(atom, Atom::Terms { terms, field: None, .. } if !named(&terms.join("-")));
        query.clauses.len() >= 2
            && query.clauses.iter().all(|c| !c.negated && c.alternatives.iter().all(plain))
            && !plain_words(query).is_some_and(|words| named(&words))
    }

    /// The papers of the words of `query`, which [`MostWords::applies`]
    /// to (the caller asks): those with every word, or, when no paper has
    /// them all, the matches of the papers with most of them.
    pub(super) fn new(
        index: &SearchIndex,
        query: &Query,
        options: &SearchOptions<'_>,
        expansions: &mut Expansions,
    ) -> Papers {
        // A clause's papers: its words' unscored; a hyphenated word's or a
        // phrase's are those with its words in a row (positions are read),
        // so only among `within` when given.
        let mut papers_of_clause = |clause: &Clause, within: Option<&DocSet>| {
            let mut papers = DocSet::with_capacity(index.doc_count());
            for atom in &clause.alternatives {
                match atom {
                    Atom::Terms { terms, prefix, phrase: false, .. } if terms.len() == 1 => {
                        papers.union_with(&papers_of(index, expansions.of(index, &terms[0], *prefix)).0);
                    }
                    _ => {
                        let atom = std::slice::from_ref(atom);
                        papers.union_with(
                            &evaluate_clause(index, atom, options, within, expansions, None).docs,
                        );
                    }
                }
            }
            if let Some(within) = within {
                papers.intersect_with(within);
            }
            papers
        };
        let positional = |clause: &Clause| {
            clause
                .alternatives
                .iter()
                .any(|atom| !matches!(atom, Atom::Terms { terms, phrase: false, .. } if terms.len() == 1))
        };
        // The words' papers first; a clause that reads positions only
        // among the papers with every word so far, while some have: a
        // question with a hyphenated word that some paper answers fully
        // reads the positions of those papers only.
        let mut clauses: Vec<Option<DocSet>> =
            query.clauses.iter().map(|c| (!positional(c)).then(|| papers_of_clause(c, None))).collect();
        let mut every = DocSet::with_capacity(index.doc_count());
        every.insert_range(..);
        clauses.iter().flatten().for_each(|papers| every.intersect_with(papers));
        for (clause, papers) in query.clauses.iter().zip(&clauses) {
            if papers.is_none() && !every.is_clear() {
                let within = papers_of_clause(clause, Some(&every));
                every.intersect_with(&within);
            }
        }
        if !every.is_clear() {
            return Papers::All(every);
        }
        // No paper has every word: each positional clause's papers, all.
        for (clause, papers) in query.clauses.iter().zip(&mut clauses) {
            if papers.is_none() {
                *papers = Some(papers_of_clause(clause, None));
            }
        }
        let clauses: Vec<DocSet> = clauses.into_iter().flatten().collect();
        let mut docs = DocSet::with_capacity(index.doc_count());
        clauses.iter().for_each(|papers| docs.union_with(papers));
        if docs.is_clear() {
            return Papers::Nothing;
        }
        Papers::Most(MostWords { query: query.clone(), weights: options.weights, clauses, docs })
    }

    /// Every matching paper.
    pub fn docs(&self) -> &DocSet {
        &self.docs
    }

    /// Every match with its score, in paper order: full scoring's.
    pub fn all(&self, index: &SearchIndex) -> Vec<Hit> {
        let options = SearchOptions { weights: self.weights, ..SearchOptions::default() };
        most_words(index, &self.query, &options, &mut Expansions::default(), None, None)
    }

    /// The best `k` matches among `within`, best first: the same hits as
    /// the best `k` of [`MostWords::all`] in `within`.
    pub fn best(&self, index: &SearchIndex, within: &DocSet, k: usize) -> Vec<Hit> {
        if k == 0 {
            return Vec::new();
        }
        // How many of the words each paper in `within` has, as a binary
        // counter: bit b of a paper's count is its bit in `bits[b]`.
        let mut bits: Vec<DocSet> = Vec::new();
        for papers in &self.clauses {
            let mut carry = papers.clone();
            carry.intersect_with(within);
            for bit in &mut bits {
                if carry.is_clear() {
                    break;
                }
                let next = &*bit & &carry;
                bit.symmetric_difference_with(&carry);
                carry = next;
            }
            if !carry.is_clear() {
                bits.push(carry);
            }
        }
        // The papers of the most words, level by level, until k are taken.
        let mut taken = DocSet::with_capacity(index.doc_count());
        let mut count = 0;
        for level in (1..1usize << bits.len()).rev() {
            let mut at = within.clone();
            at.intersect_with(&self.docs);
            for (b, bit) in bits.iter().enumerate() {
                match level >> b & 1 {
                    1 => at.intersect_with(bit),
                    _ => at.difference_with(bit),
                }
            }
            count += papers_in(&at);
            taken.union_with(&at);
            if count >= k {
                break;
            }
        }
        // Those scored by full scoring's fallback itself.
        let options = SearchOptions { weights: self.weights, ..SearchOptions::default() };
        let hits = most_words(index, &self.query, &options, &mut Expansions::default(), None, Some(&taken));
        top(hits, k)
    }
}
