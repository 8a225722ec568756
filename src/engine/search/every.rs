//! The best k of a query of plain words that papers have all of
//! ("machine t", "graph neural") without reading every posting of its
//! most common terms (MaxScore, as Lucene's and tantivy's top-k
//! conjunctions skip what cannot enter the best k).
//!
//! A paper matches when it has every word; a word's score in a paper is
//! its best term's (the word, its other forms, its completions while
//! typing), and the paper's is the sum over the words, as full scoring
//! sums them (`search::all_words`). The matches, their count and facet
//! counts need no score: they are the intersection of the words' papers,
//! unscored (a common term's papers are its summary's bitset). For the
//! best k, each word's rarer terms are scored in the papers that match
//! (cheap), and its terms in one paper of [`DENSE`] or more are only
//! bounded at first: the most any of them gives a paper (from the largest
//! weighted term frequency of its blocks). Each match then has a lower
//! bound of its score (what is scored so far) and an upper one (each
//! word at least its bounded terms' bound where it has one of them). The
//! k-th best lower bound is below the k-th best score: a paper whose upper
//! bound ranks under it cannot be among the best k (its tier, how many
//! words it has as typed, is known from the words' papers as typed). So
//! the bounded terms are scored, highest bound first, in the papers still
//! in the running, until those are few enough to read only the blocks of
//! postings that hold them: a completion such as "the" or "to" (in nearly
//! every paper, bound a few hundredths) is then read in a few hundred
//! blocks, not a million papers. The papers left are scored exactly as
//! full scoring scores them (the same maxima, summed in the same order),
//! so the best k are the same hits with the same scores; every match is
//! scored when asked for ([`EveryWord::all`]: full scoring itself).

use std::sync::Arc;

use super::expand::{Expansion, Expansions};
use super::score::{
    idf, per_paper, saturate, score_term, top, upper_bound, Bm25, Hit, RankingWeights, Scores,
};
use super::topk::{papers_of, summary_of, RANKED};
use super::{all_words, SearchOptions};
use crate::engine::facets::{contains, insert, papers_in, DocSet};
use crate::engine::index::{SearchIndex, TermSummary, BLOCK, DENSE};
use crate::engine::query::{Atom, Query};

/// The matches of a query of plain words that papers have all of, and
/// what ranks them ([`EveryWord::best`], [`EveryWord::all`]).
#[derive(Debug, Clone)]
pub struct EveryWord {
    query: Query,
    weights: RankingWeights,
    /// Each word's terms (words joined by `OR`: all of theirs).
    words: Vec<Vec<Expansion>>,
    /// Each word's papers as typed ([`super::Hit::typed`]).
    typed: Vec<DocSet>,
    /// The papers with every word.
    docs: DocSet,
}

/// A common term not scored yet: the most it gives a paper.
struct Bounded {
    word: usize,
    term: Expansion,
    bound: f32,
    summary: Arc<TermSummary>,
}

impl EveryWord {
    /// The ranker of `query`, two words or more, each a plain word (or
    /// words joined by `OR`) in any field, which [`super::MostWords::applies`]
    /// to (the caller asks: no entity named), scored with the default
    /// weights (the summaries'); `None` for any other, or when its terms
    /// are in fewer than [`RANKED`] papers in all (scored whole, cheaply).
    /// `every`: the papers with every word, when the caller has them.
    /// In a sharded index the terms' postings shards are read (noted
    /// missing while not held, as [`super::WordRanker::new`] does).
    pub(super) fn new(
        index: &SearchIndex,
        query: &Query,
        options: &SearchOptions<'_>,
        expansions: &mut Expansions,
        every: Option<DocSet>,
    ) -> Option<EveryWord> {
        if options.weights.clamped() != RankingWeights::default().clamped() || query.clauses.len() < 2 {
            return None;
        }
        let mut words = Vec::with_capacity(query.clauses.len());
        for clause in &query.clauses {
            let mut terms = Vec::new();
            for atom in &clause.alternatives {
                match atom {
                    Atom::Terms { terms: word, field: None, prefix, phrase: false }
                        if word.len() == 1 && !clause.negated =>
                    {
                        terms.extend_from_slice(expansions.of(index, &word[0], *prefix));
                    }
                    _ => return None,
                }
            }
            words.push(terms);
        }
        if words.iter().flatten().map(|e| index.doc_frequency(e.term)).sum::<usize>() < RANKED {
            return None;
        }
        let n = index.doc_count();
        let mut docs = every.unwrap_or_else(|| {
            let mut all = DocSet::with_capacity(n);
            all.insert_range(..);
            all
        });
        let mut typed = Vec::with_capacity(words.len());
        for terms in &words {
            let (papers, as_typed) = papers_of(index, terms);
            docs.intersect_with(&papers);
            typed.push(as_typed);
        }
        Some(EveryWord { query: query.clone(), weights: options.weights.clamped(), words, typed, docs })
    }

    /// Every matching paper.
    pub fn docs(&self) -> &DocSet {
        &self.docs
    }

    /// Every match with its score, in paper order: full scoring's.
    pub fn all(&self, index: &SearchIndex) -> Vec<Hit> {
        let options = SearchOptions { weights: self.weights, ..SearchOptions::default() };
        all_words(index, &self.query, &options, &mut Expansions::default(), None, None)
    }

    /// How many words `doc` has as typed.
    fn tier(&self, doc: usize) -> u16 {
        self.typed.iter().map(|typed| u16::from(contains(typed, doc))).sum()
    }

    /// Leaves out of `running` the papers that cannot be among the best
    /// `k`: their score's upper bound (each word's best term so far in
    /// `scores`, or the bound of its `bounded` terms where the paper has
    /// one) ranks under the k-th best lower bound (`threshold`, raised
    /// here when the papers' scores so far give a higher one).
    fn prune(
        &self,
        scores: &[Scores],
        bounded: &[Bounded],
        k: usize,
        threshold: &mut Option<u64>,
        running: &mut Vec<u32>,
    ) {
        let n = scores.first().map_or(0, |s| s.score.len());
        // Each word's bound where a paper has one of its bounded terms.
        let mut bound = vec![0.0f32; self.words.len()];
        let mut has: Vec<Option<DocSet>> = vec![None; self.words.len()];
        for b in bounded {
            bound[b.word] = bound[b.word].max(b.bound);
            if let Some(docs) = &b.summary.docs {
                has[b.word].get_or_insert_with(|| DocSet::with_capacity(n)).union_with(docs);
            }
        }
        // (tier, score) as one number: scores are not negative, so their
        // bits order as they do.
        let key = |tier: u16, score: f32| (u64::from(tier) << 32) | u64::from(score.to_bits());
        let (mut lower, mut upper) = (Vec::with_capacity(running.len()), Vec::with_capacity(running.len()));
        for &doc in running.iter() {
            let d = doc as usize;
            let (mut low, mut high) = (0.0f32, 0.0f32);
            for ((scores, has), &bound) in scores.iter().zip(&has).zip(&bound) {
                let s = scores.score.get(d).copied().unwrap_or(0.0);
                low += s;
                high += match has {
                    Some(has) if contains(has, d) => s.max(bound),
                    _ => s,
                };
            }
            let tier = self.tier(d);
            lower.push(key(tier, low));
            upper.push(key(tier, high));
        }
        if lower.len() >= k {
            let kth = *lower.select_nth_unstable_by(k - 1, |a, b| b.cmp(a)).1;
            if threshold.is_none_or(|t| kth > t) {
                *threshold = Some(kth);
            }
        }
        if let Some(t) = *threshold {
            let mut keep = upper.iter().map(|&key| key >= t);
            running.retain(|_| keep.next().unwrap_or(true));
        }
    }

    /// The best `k` matches among `within`, best first: the same hits as
    /// the best `k` of [`EveryWord::all`] in `within`.
    pub fn best(&self, index: &SearchIndex, within: &DocSet, k: usize) -> Vec<Hit> {
        if k == 0 {
            return Vec::new();
        }
        let n = index.doc_count();
        let bm = Bm25::new(index, self.weights);
        let mut scope = self.docs.clone();
        scope.intersect_with(within);
        // Each word's best term so far, per paper.
        let mut scores: Vec<Scores> = self.words.iter().map(|_| Scores::new(n, None)).collect();
        let mut bounded: Vec<Bounded> = Vec::new();
        // When most papers are in scope, a term is read without a test per
        // posting (papers out of scope are scored too, and never read).
        let scope_len = papers_in(&scope);
        for (word, terms) in self.words.iter().enumerate() {
            for e in terms {
                let df = index.doc_frequency(e.term);
                if df.saturating_mul(DENSE) >= n {
                    let summary = summary_of(index, e.term);
                    if summary.docs.is_some() && !summary.blocks.is_empty() {
                        let most = summary.blocks.iter().map(|b| b.max_tfw).fold(0.0f32, f32::max);
                        let bound = upper_bound(e.weight, idf(n, df), most, &bm.w);
                        bounded.push(Bounded { word, term: e.clone(), bound, summary });
                        continue;
                    }
                }
                let within = (scope_len * 2 < n).then_some(&scope);
                score_term(index, e, None, &bm, within, &mut scores[word]);
            }
        }
        // Scored first: the highest bound.
        bounded.sort_by(|a, b| b.bound.total_cmp(&a.bound));
        let mut running: Vec<u32> = scope.ones().map(|d| d as u32).collect();
        let mut threshold: Option<u64> = None;
        // A pass over every match costs about what scoring a common term
        // does: the first term is scored before any.
        let mut pass = false;
        while !bounded.is_empty() {
            if pass {
                self.prune(&scores, &bounded, k, &mut threshold, &mut running);
            }
            // A term whose blocks holding the papers left are most of its
            // postings is read whole, the highest bound first (the papers
            // left can then only be fewer); the others by blocks, below.
            let Some(at) =
                bounded.iter().position(|b| running.len() * BLOCK >= index.doc_frequency(b.term.term))
            else {
                break;
            };
            let next = bounded.remove(at);
            // Most of its papers still running (as "machine"'s are in
            // "machine t"): every posting is read without a test.
            let candidates = set_of(n, &running);
            let out =
                next.summary.docs.as_ref().map_or(usize::MAX, |docs| docs.difference_count(&candidates));
            let candidates =
                (out.saturating_mul(4) >= index.doc_frequency(next.term.term)).then_some(candidates);
            score_term(index, &next.term, None, &bm, candidates.as_ref(), &mut scores[next.word]);
            pass = true;
        }
        // The bounded terms left, in the papers left, by blocks.
        let candidates = set_of(n, &running);
        for b in &bounded {
            score_blocks(index, &b.term, &b.summary, &bm, &running, &candidates, &mut scores[b.word]);
        }
        let hits = running
            .iter()
            .map(|&doc| {
                let d = doc as usize;
                let mut score = 0.0f32;
                for scores in &scores {
                    score += scores.score[d];
                }
                Hit { doc, score, words: self.words.len() as u16, typed: self.tier(d) }
            })
            .collect();
        top(hits, k)
    }
}

/// The set of `docs` among `n` papers.
fn set_of(n: usize, docs: &[u32]) -> DocSet {
    let mut set = DocSet::with_capacity(n);
    docs.iter().for_each(|&d| insert(&mut set, d as usize));
    set
}

/// Scores term `e` in the papers of `running` (sorted; `candidates` the
/// same as a set) from only the blocks of its postings that hold one of
/// them, as [`score_term`] scores them (the same sums in the same order).
fn score_blocks(
    index: &SearchIndex,
    e: &Expansion,
    summary: &TermSummary,
    bm: &Bm25,
    running: &[u32],
    candidates: &DocSet,
    into: &mut Scores,
) {
    let idf = idf(index.doc_count(), index.doc_frequency(e.term));
    let mut offer = |doc: u32, tfw: f32| {
        let d = doc as usize;
        if tfw > 0.0 && candidates.contains(d) {
            into.offer(doc, saturate(e.weight, idf, tfw, &bm.w));
        }
    };
    let mut next = running.iter().peekable();
    for (i, block) in summary.blocks.iter().enumerate() {
        // The block's papers: after the paper before it, up to the next
        // block's paper before.
        let last = summary.blocks.get(i + 1).map_or(u32::MAX, |b| b.base);
        while next.next_if(|&&d| i > 0 && d <= block.base).is_some() {}
        if next.peek().is_none_or(|&&d| d > last) {
            continue;
        }
        per_paper(index, bm, index.block_postings(e.term, block), &mut offer);
    }
}
