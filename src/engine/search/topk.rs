//! The exact best k of a one-word query without scoring every match
//! (block-max early termination, as Lucene's and tantivy's block-max
//! WAND do for a disjunction).
//!
//! A query of one word (a word, a prefix being typed, a typo, or words
//! joined by `OR`; not a phrase, a field, an entity or several clauses)
//! matches the papers of its expansions (`expand`), each paper scored by
//! its best expansion.
//! The count and the facet counts need every match but no score: the
//! matches are the union of the expansions' papers (a common term's
//! papers are a bitset kept in its [`TermSummary`]). Only the best k
//! need a score: each common term's postings are cut into blocks of
//! [`BLOCK`] papers with the largest weighted term frequency of each
//! (computed once from the postings, kept in the index), so each block
//! has an upper bound of the score it can give; blocks are scored best
//! bound first, and scoring stops when the next block's bound is below
//! the k-th best score found (the tier of a paper, [`best_first`]'s
//! "as typed", is known from the match set, and a block is skipped only
//! when even the better tier could not lift it into the best k). The
//! papers scored are scored exactly as [`score_term`] scores them, so
//! the best k are the same hits, with the same scores, as a full
//! scoring's; the others are scored when asked for
//! ([`WordRanker::all`]).
//!
//! A sharded index ranks alike: a term's summary is made from its
//! postings shard the first time a query ranks it and forgotten when the
//! shard is dropped, and the exploration that scores its rest later keeps
//! the index it searched, with the shards it read (`explorer::Rest`).

use std::sync::Arc;

use super::expand::Expansion;
use super::score::{
    best_first, idf, per_paper, saturate, score_term, upper_bound, weighted_tf, Bm25, Hit, RankingWeights,
    Scores,
};
use crate::engine::facets::{insert, papers_in, DocSet};
use crate::engine::index::{Block, SearchIndex, TermSummary, BLOCK, DENSE};

/// Terms in fewer papers are scored whole (cheap); more get a summary.
pub const SUMMARIZED: usize = 1024;

/// A query whose terms are in fewer papers in all (counted once per term)
/// is scored whole, as [`super::run`] does: setting up the blocks (a score
/// array over every paper, the length norms, the blocks in order) costs
/// about what scoring that many papers does, and BM25's saturation makes
/// the blocks of a word of a few thousand papers bound alike, so few are
/// skipped (measured at 100k and 152k papers: `robot`, 26k papers, gains
/// 8x; `translation`, 5k, loses a little).
pub const RANKED: usize = 8192;

/// What ranks the matches of a query the explorer shows the best few of
/// without scoring every match: the best k ([`Ranker::best`], the same
/// hits as full scoring's best k) or every match ([`Ranker::all`]).
#[derive(Debug, Clone)]
pub enum Ranker {
    /// A one-word query, by blocks of postings ([`WordRanker`]).
    Word(WordRanker),
    /// Words no paper has all of: the papers with most of them
    /// ([`super::most::MostWords`]).
    MostWords(super::most::MostWords),
    /// Plain words that papers have all of
    /// ([`super::every::EveryWord`]).
    EveryWord(super::every::EveryWord),
}

impl Ranker {
    /// Every matching paper.
    pub fn docs(&self) -> &DocSet {
        match self {
            Ranker::Word(ranker) => ranker.docs(),
            Ranker::MostWords(ranker) => ranker.docs(),
            Ranker::EveryWord(ranker) => ranker.docs(),
        }
    }

    /// The number of matching papers.
    pub fn count(&self) -> usize {
        papers_in(self.docs())
    }

    /// Every match with its score, in paper order: what a full scoring
    /// gives (`search::matches`).
    pub fn all(&self, index: &SearchIndex) -> Vec<Hit> {
        match self {
            Ranker::Word(ranker) => ranker.all(index),
            Ranker::MostWords(ranker) => ranker.all(index),
            Ranker::EveryWord(ranker) => ranker.all(index),
        }
    }

    /// The best `k` matches among `within`, best first: the same hits as
    /// the best `k` of [`Ranker::all`] in `within`.
    pub fn best(&self, index: &SearchIndex, within: &DocSet, k: usize) -> Vec<Hit> {
        match self {
            Ranker::Word(ranker) => ranker.best(index, within, k),
            Ranker::MostWords(ranker) => ranker.best(index, within, k),
            Ranker::EveryWord(ranker) => ranker.best(index, within, k),
        }
    }
}

/// The match set of a one-word query and what ranks it: the best k
/// ([`WordRanker::best`]) or every match ([`WordRanker::all`]).
#[derive(Debug, Clone)]
pub struct WordRanker {
    expansions: Vec<Expansion>,
    weights: RankingWeights,
    /// Every matching paper.
    docs: DocSet,
    /// The papers matching as typed ([`Hit::typed`]).
    typed: DocSet,
}

/// Term `id`'s summary: made from its postings the first time.
pub(super) fn summary_of(index: &SearchIndex, id: u32) -> Arc<TermSummary> {
    index.summary(id, || summarize(index, id, &Bm25::new(index, RankingWeights::default().clamped())))
}

/// The papers of `expansions` (a word's terms), and those of its terms
/// as typed, unscored: a common term's from its summary's bitset, any
/// other's from its postings.
pub(super) fn papers_of(index: &SearchIndex, expansions: &[Expansion]) -> (DocSet, DocSet) {
    let n = index.doc_count();
    let (mut docs, mut typed) = (DocSet::with_capacity(n), DocSet::with_capacity(n));
    for e in expansions {
        let dense = if index.doc_frequency(e.term) >= SUMMARIZED {
            summary_of(index, e.term)
        } else {
            Arc::default()
        };
        match &dense.docs {
            Some(set) => {
                docs.union_with(set);
                if e.typed {
                    typed.union_with(set);
                }
            }
            None => {
                for p in index.postings(e.term) {
                    insert(&mut docs, p.doc as usize);
                    if e.typed {
                        insert(&mut typed, p.doc as usize);
                    }
                }
            }
        }
    }
    (docs, typed)
}

/// Reads term `id`'s postings once: its papers, its blocks and their
/// largest weighted term frequencies (summed as [`score_term`] sums them).
fn summarize(index: &SearchIndex, id: u32, bm: &Bm25) -> TermSummary {
    let n = index.doc_count();
    let dense = index.doc_frequency(id).saturating_mul(DENSE) >= n;
    let mut docs = dense.then(|| DocSet::with_capacity(n));
    let mut blocks: Vec<Block> = Vec::new();
    let mut postings = index.postings(id);
    let total = postings.remaining();
    let (mut before, mut current, mut in_block, mut tfw) = (total, u32::MAX, 0usize, 0.0f32);
    while let Some(p) = postings.next() {
        if p.doc != current {
            if let Some(block) = blocks.last_mut() {
                block.max_tfw = block.max_tfw.max(tfw);
            }
            if blocks.is_empty() || in_block == BLOCK {
                let at = (total - before) as u32;
                if let Some(block) = blocks.last_mut() {
                    block.end = at;
                }
                let base = if current == u32::MAX { 0 } else { current };
                blocks.push(Block { start: at, end: total as u32, base, max_tfw: 0.0 });
                in_block = 0;
            }
            in_block += 1;
            current = p.doc;
            tfw = 0.0;
            if let Some(docs) = &mut docs {
                docs.insert(p.doc as usize);
            }
        }
        tfw += weighted_tf(index, bm, &p);
        before = postings.remaining();
    }
    if let Some(block) = blocks.last_mut() {
        block.max_tfw = block.max_tfw.max(tfw);
    }
    TermSummary { docs, blocks }
}

/// Summarizes every common term of `index` (the app does it when idle
/// after loading, so that the first keystrokes find them made). Returns
/// how many terms have a summary.
pub fn prepare(index: &SearchIndex) -> usize {
    prepare_from(index, 0, usize::MAX).0
}

/// Summarizes common terms of `index` from term `from` on, until their
/// papers add up to `budget` (one term at least: a step's time goes with
/// the postings it reads, so the app's warm-up bounds each of its tasks
/// by papers, not by terms, and no task keeps the page from a keystroke
/// for long): how many it made, and the term to go on from (`None` once
/// every one is made). None of a sharded index, whose postings come with
/// queries: a term's summary is made the first time a query ranks it,
/// once per fetch of its shard.
pub fn prepare_from(index: &SearchIndex, from: u32, budget: usize) -> (usize, Option<u32>) {
    if index.is_sharded() {
        return (0, None);
    }
    let bm = Bm25::new(index, RankingWeights::default().clamped());
    let (mut made, mut papers) = (0, 0usize);
    for id in from..index.term_count() as u32 {
        let df = index.doc_frequency(id);
        if df < SUMMARIZED {
            continue;
        }
        if made > 0 && papers.saturating_add(df) > budget {
            return (made, Some(id));
        }
        index.summary(id, || summarize(index, id, &bm));
        (made, papers) = (made + 1, papers + df);
    }
    (made, None)
}

impl WordRanker {
    /// The match set of a one-word query of `expansions` (the word's
    /// terms), scored with `weights` (the default ones: the summaries');
    /// `None` otherwise. In a sharded index the terms' postings shards
    /// are read (noted missing while not held: the match set is then
    /// incomplete, and the explorer asks for them first).
    pub(super) fn new(
        index: &SearchIndex,
        expansions: &[Expansion],
        weights: RankingWeights,
    ) -> Option<WordRanker> {
        if weights.clamped() != RankingWeights::default().clamped() {
            return None;
        }
        if expansions.iter().map(|e| index.doc_frequency(e.term)).sum::<usize>() < RANKED {
            return None;
        }
        let (docs, typed) = papers_of(index, expansions);
        Some(WordRanker { expansions: expansions.to_vec(), weights: weights.clamped(), docs, typed })
    }

    /// Every matching paper.
    pub fn docs(&self) -> &DocSet {
        &self.docs
    }

    /// Every match with its score, in paper order: what a full scoring
    /// gives (`search::matches`).
    pub fn all(&self, index: &SearchIndex) -> Vec<Hit> {
        let bm = Bm25::new(index, self.weights);
        let mut scores = Scores::new(index.doc_count(), None);
        for e in &self.expansions {
            score_term(index, e, None, &bm, None, &mut scores);
        }
        let typed = &scores.typed;
        scores
            .docs
            .ones()
            .map(|d| Hit {
                doc: d as u32,
                score: scores.score[d],
                words: 1,
                typed: u16::from(typed.contains(d)),
            })
            .collect()
    }

    /// The best `k` matches among `within`, best first: the same hits as
    /// the best `k` of [`WordRanker::all`] in `within`, scoring blocks of
    /// postings best bound first until no other block can enter.
    pub fn best(&self, index: &SearchIndex, within: &DocSet, k: usize) -> Vec<Hit> {
        if k == 0 {
            return Vec::new();
        }
        let n = index.doc_count();
        let bm = Bm25::new(index, self.weights);
        // (expansion, block or the whole list, bound of the score it gives)
        let mut work: Vec<(usize, Option<Block>, f32)> = Vec::new();
        for (i, e) in self.expansions.iter().enumerate() {
            let idf = idf(n, index.doc_frequency(e.term));
            if index.doc_frequency(e.term) < SUMMARIZED {
                work.push((i, None, f32::INFINITY));
                continue;
            }
            for block in &summary_of(index, e.term).blocks {
                work.push((i, Some(*block), upper_bound(e.weight, idf, block.max_tfw, &bm.w)));
            }
        }
        work.sort_by(|a, b| b.2.total_cmp(&a.2));
        let mut score = vec![0.0f32; n];
        let mut seen = DocSet::with_capacity(n);
        let mut scored: Vec<u32> = Vec::new();
        // The k-th best (tier, score) among the papers scored so far: a
        // lower bound of the final k-th best.
        let mut threshold: Option<(u16, f32)> = None;
        let mut at_threshold = 0usize;
        for (i, block, bound) in work {
            if threshold.is_some_and(|(tier, kth)| (1, bound) < (tier, kth)) {
                break;
            }
            let e = &self.expansions[i];
            let idf = idf(n, index.doc_frequency(e.term));
            let postings = match &block {
                Some(block) => index.block_postings(e.term, block),
                None => index.postings(e.term),
            };
            per_paper(index, &bm, postings, |doc: u32, tfw: f32| {
                let d = doc as usize;
                if tfw > 0.0 && within.contains(d) {
                    let s = saturate(e.weight, idf, tfw, &bm.w);
                    if s > score[d] {
                        score[d] = s;
                    }
                    if !seen.contains(d) {
                        seen.insert(d);
                        scored.push(doc);
                    }
                }
            });
            // Recounted when the papers scored grew by a quarter: a stale
            // threshold is lower, which only scores more.
            if scored.len() >= k && scored.len() * 4 >= at_threshold * 5 {
                let mut keys: Vec<(u16, f32)> = scored
                    .iter()
                    .map(|&d| (u16::from(self.typed.contains(d as usize)), score[d as usize]))
                    .collect();
                let by_key = |a: &(u16, f32), b: &(u16, f32)| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1));
                keys.select_nth_unstable_by(k - 1, by_key);
                threshold = Some(keys[k - 1]);
                at_threshold = scored.len();
            }
        }
        let hits: Vec<Hit> = scored
            .iter()
            .map(|&d| Hit {
                doc: d,
                score: score[d as usize],
                words: 1,
                typed: u16::from(self.typed.contains(d as usize)),
            })
            .collect();
        let mut best = super::score::top(hits, k);
        best.sort_unstable_by(best_first);
        best
    }
}
