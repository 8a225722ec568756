//! The exact best k of a one-word (or two-word) query without scoring
//! every match (block-max early termination, as Lucene's and tantivy's
//! block-max WAND do for a disjunction, MaxScore for a conjunction).
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
//! ([`Ranker::all`]).
//!
//! Two words ("machine t": two clauses of such words, not naming an
//! entity together) match the papers having both, scored as the sum of
//! the two words' scores. The word in fewer papers is scored whole (what
//! `search::run` does for a first clause); the other, common one is
//! ranked by blocks as above, each block's bound raised by the largest
//! score the first word gives a paper in the block's range of papers
//! (per 64 papers), so a paper of the best k still has its block scored
//! before the scoring stops, and gets its exact sum.
//!
//! A sharded index ranks alike: a term's summary is made from its
//! postings shard the first time a query ranks it and forgotten when the
//! shard is dropped, and the exploration that scores its rest later keeps
//! the index it searched, with the shards it read (`explorer::Rest`).

use std::sync::Arc;

use super::expand::Expansion;
use super::score::{best_first, idf, saturate, score_term, weighted_tf, Bm25, Hit, RankingWeights, Scores};
use crate::engine::facets::DocSet;
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

/// The match set of a one-word (or two-word) query and what ranks it:
/// the best k ([`Ranker::best`]) or every match ([`Ranker::all`]).
#[derive(Debug, Clone)]
pub struct Ranker {
    /// The word ranked by blocks.
    expansions: Vec<Expansion>,
    weights: RankingWeights,
    /// Every matching paper.
    docs: DocSet,
    /// The papers matching that word as typed ([`Hit::typed`]).
    typed: DocSet,
    /// Of a two-word query, the other word (the one in fewer papers),
    /// scored whole.
    other: Option<Scored>,
}

/// A query word scored whole: its score per paper and the papers it
/// matches as typed.
#[derive(Debug, Clone)]
struct Scored {
    score: Vec<f32>,
    typed: DocSet,
}

/// Term `id`'s summary: made from its postings the first time.
pub(super) fn summary_of(index: &SearchIndex, id: u32) -> Arc<TermSummary> {
    index.summary(id, || summarize(index, id, &Bm25::new(index, RankingWeights::default().clamped())))
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

/// Summarizes up to `limit` common terms of `index` from term `from` on
/// (the app's warm-up does it a few at a time, one task each, so that
/// no task keeps the page from a keystroke for long): how many it made,
/// and the term to go on from (`None` once every one is made). None of
/// a sharded index, whose postings come with queries: a term's summary
/// is made the first time a query ranks it, once per fetch of its shard.
pub fn prepare_from(index: &SearchIndex, from: u32, limit: usize) -> (usize, Option<u32>) {
    if index.is_sharded() {
        return (0, None);
    }
    let bm = Bm25::new(index, RankingWeights::default().clamped());
    let mut made = 0;
    for id in from..index.term_count() as u32 {
        if index.doc_frequency(id) < SUMMARIZED {
            continue;
        }
        if made == limit {
            return (made, Some(id));
        }
        index.summary(id, || summarize(index, id, &bm));
        made += 1;
    }
    (made, None)
}

impl Ranker {
    /// The match set of a one-word query of `expansions` (the word's
    /// terms), scored with `weights` (the default ones: the summaries');
    /// `None` otherwise. In a sharded index the terms' postings shards
    /// are read (noted missing while not held: the match set is then
    /// incomplete, and the explorer asks for them first).
    pub(super) fn new(
        index: &SearchIndex,
        expansions: &[Expansion],
        weights: RankingWeights,
    ) -> Option<Ranker> {
        if weights.clamped() != RankingWeights::default().clamped() {
            return None;
        }
        if expansions.iter().map(|e| index.doc_frequency(e.term)).sum::<usize>() < RANKED {
            return None;
        }
        let (docs, typed) = matches_of(index, expansions);
        Some(Ranker { expansions: expansions.to_vec(), weights: weights.clamped(), docs, typed, other: None })
    }

    /// The match set of a query of two words (`a`'s and `b`'s terms), in
    /// the papers having both: the word in more papers (8,192 or more) is
    /// ranked by blocks, the other scored whole (a paper's score is the
    /// sum of the two, as `search::run` adds its clauses'); `None` when
    /// neither word is that common or no paper has both (`run` then falls
    /// back to the papers with either).
    pub(super) fn pair(
        index: &SearchIndex,
        a: &[Expansion],
        b: &[Expansion],
        weights: RankingWeights,
    ) -> Option<Ranker> {
        let papers = |e: &[Expansion]| e.iter().map(|e| index.doc_frequency(e.term)).sum::<usize>();
        let (whole, blocks) = if papers(a) <= papers(b) { (a, b) } else { (b, a) };
        let mut ranker = Ranker::new(index, blocks, weights)?;
        let bm = Bm25::new(index, ranker.weights);
        let mut scores = Scores::new(index.doc_count(), None);
        for e in whole {
            score_term(index, e, None, &bm, None, &mut scores);
        }
        ranker.docs.intersect_with(&scores.docs);
        if ranker.docs.is_clear() {
            return None;
        }
        ranker.other = Some(Scored { score: scores.score, typed: scores.typed });
        Some(ranker)
    }

    /// Every matching paper.
    pub fn docs(&self) -> &DocSet {
        &self.docs
    }

    /// The number of matching papers.
    pub fn count(&self) -> usize {
        self.docs.count_ones(..)
    }

    /// Every match with its score, in paper order: what a full scoring
    /// gives (`search::matches`).
    pub fn all(&self, index: &SearchIndex) -> Vec<Hit> {
        let bm = Bm25::new(index, self.weights);
        let mut scores = Scores::new(index.doc_count(), None);
        for e in &self.expansions {
            score_term(index, e, None, &bm, None, &mut scores);
        }
        self.docs.ones().map(|d| self.hit(d as u32, scores.score[d], &scores.typed)).collect()
    }

    /// Paper `doc`'s hit, `score` and `typed` its ranked word's: of two
    /// words, with the other's score added (as `search::run` adds its
    /// clauses' in order: `0 + a + b`, and `a + b == b + a`).
    fn hit(&self, doc: u32, score: f32, typed: &DocSet) -> Hit {
        let d = doc as usize;
        let typed = u16::from(typed.contains(d));
        match &self.other {
            None => Hit { doc, score, words: 1, typed },
            Some(other) => Hit {
                doc,
                score: other.score[d] + score,
                words: 2,
                typed: typed + u16::from(other.typed.contains(d)),
            },
        }
    }

    /// The best `k` matches among `within`, best first: the same hits as
    /// the best `k` of [`Ranker::all`] in `within`, scoring blocks of
    /// postings best bound first until no other block can enter.
    pub fn best(&self, index: &SearchIndex, within: &DocSet, k: usize) -> Vec<Hit> {
        if k == 0 {
            return Vec::new();
        }
        let n = index.doc_count();
        let bm = Bm25::new(index, self.weights);
        // Of two words, the other's largest score per 64 papers matching
        // both: what it adds at most to a block of papers (0 for one word).
        let mut other_max = Vec::new();
        if let Some(other) = &self.other {
            other_max = vec![0.0f32; n.div_ceil(64)];
            for d in self.docs.ones().filter(|&d| within.contains(d)) {
                other_max[d / 64] = other_max[d / 64].max(other.score[d]);
            }
        }
        // The most the other word adds to the papers from `lo` to `hi`.
        let added = |lo: u32, hi: u32| -> f32 {
            let chunks = other_max.get(lo as usize / 64..=(hi as usize / 64).min(other_max.len().max(1) - 1));
            chunks.unwrap_or(&[]).iter().copied().fold(0.0, f32::max)
        };
        // (expansion, block or the whole list, bound of the score it gives)
        let mut work: Vec<(usize, Option<Block>, f32)> = Vec::new();
        for (i, e) in self.expansions.iter().enumerate() {
            let idf = idf(n, index.doc_frequency(e.term));
            if index.doc_frequency(e.term) < SUMMARIZED {
                work.push((i, None, f32::INFINITY));
                continue;
            }
            let blocks = &summary_of(index, e.term).blocks;
            for (j, block) in blocks.iter().enumerate() {
                // A hair above the bound: float rounding must not make it
                // lower than a score it bounds. A block's papers are after
                // its `base` and up to the next block's.
                let last = blocks.get(j + 1).map_or(n.saturating_sub(1) as u32, |next| next.base);
                let bound = saturate(e.weight, idf, block.max_tfw, &bm.w) * (1.0 + 1e-5)
                    + 1e-30
                    + added(block.base, last);
                work.push((i, Some(*block), bound));
            }
        }
        let top_tier = 1 + u16::from(self.other.is_some());
        work.sort_by(|a, b| b.2.total_cmp(&a.2));
        let mut score = vec![0.0f32; n];
        let mut seen = DocSet::with_capacity(n);
        let mut scored: Vec<u32> = Vec::new();
        // The k-th best (tier, score) among the papers scored so far: a
        // lower bound of the final k-th best.
        let mut threshold: Option<(u16, f32)> = None;
        let mut at_threshold = 0usize;
        for (i, block, bound) in work {
            if threshold.is_some_and(|(tier, kth)| (top_tier, bound) < (tier, kth)) {
                break;
            }
            let e = &self.expansions[i];
            let idf = idf(n, index.doc_frequency(e.term));
            let postings = match &block {
                Some(block) => index.block_postings(e.term, block),
                None => index.postings(e.term),
            };
            let mut offer = |doc: u32, tfw: f32| {
                let d = doc as usize;
                if tfw > 0.0 && within.contains(d) && self.docs.contains(d) {
                    let s = saturate(e.weight, idf, tfw, &bm.w);
                    if s > score[d] {
                        score[d] = s;
                    }
                    if !seen.contains(d) {
                        seen.insert(d);
                        scored.push(doc);
                    }
                }
            };
            let (mut current, mut tfw) = (u32::MAX, 0.0f32);
            for p in postings {
                if p.doc != current {
                    if current != u32::MAX {
                        offer(current, tfw);
                    }
                    current = p.doc;
                    tfw = 0.0;
                }
                tfw += weighted_tf(index, &bm, &p);
            }
            if current != u32::MAX {
                offer(current, tfw);
            }
            // Recounted when the papers scored grew by a quarter: a stale
            // threshold is lower, which only scores more.
            if scored.len() >= k && scored.len() * 4 >= at_threshold * 5 {
                let mut keys: Vec<(u16, f32)> = scored
                    .iter()
                    .map(|&d| {
                        let hit = self.hit(d, score[d as usize], &self.typed);
                        (hit.typed, hit.score)
                    })
                    .collect();
                let by_key = |a: &(u16, f32), b: &(u16, f32)| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1));
                keys.select_nth_unstable_by(k - 1, by_key);
                threshold = Some(keys[k - 1]);
                at_threshold = scored.len();
            }
        }
        let hits: Vec<Hit> = scored.iter().map(|&d| self.hit(d, score[d as usize], &self.typed)).collect();
        let mut best = super::score::top(hits, k);
        best.sort_unstable_by(best_first);
        best
    }
}

/// The papers of `expansions` (a word's terms), and those matching it as
/// typed.
fn matches_of(index: &SearchIndex, expansions: &[Expansion]) -> (DocSet, DocSet) {
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
                let mut last = u32::MAX;
                for p in index.postings(e.term) {
                    if p.doc != last {
                        last = p.doc;
                        docs.insert(p.doc as usize);
                        if e.typed {
                            typed.insert(p.doc as usize);
                        }
                    }
                }
            }
        }
    }
    (docs, typed)
}
