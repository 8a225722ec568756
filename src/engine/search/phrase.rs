//! Phrases: papers where a phrase's words occur consecutively in the title
//! or the abstract, scored as the sum of the words' BM25F.

use super::expand::{top_completions, MatchKind};
use super::score::{idf, saturate, weighted_tf, Bm25, Scores};
use crate::engine::facets::DocSet;
use crate::engine::index::{Positions, Posting, SearchIndex};
use crate::engine::query::Field;

/// A posting of one of a phrase word's terms: paper, the term's rank among
/// the word's terms, the posting and its positions (if in a phrase field).
type Gathered<'a> = (u32, usize, Posting, Positions<'a>);

/// Papers where `terms` occur as consecutive words of the title or abstract
/// (the last term may be a prefix), scored as the sum of the words' BM25F.
///
/// The papers having every word in the title or abstract come first, by
/// walking the words' postings from the rarest word on and keeping only the
/// postings of papers still in the running; positions are then read for
/// those papers only, and only the papers holding the phrase are scored.
pub(super) fn score_phrase(
    index: &SearchIndex,
    terms: &[String],
    field: Option<Field>,
    prefix: bool,
    bm: &Bm25,
    candidates: Option<&DocSet>,
    into: &mut Scores,
) {
    // Candidate term ids for each word of the phrase.
    let alternatives: Vec<Vec<u32>> = terms
        .iter()
        .enumerate()
        .map(|(i, term)| {
            let mut ids: Vec<u32> = index.find(term).into_iter().collect();
            if prefix && i + 1 == terms.len() {
                ids.extend(top_completions(index, term));
                ids.sort_unstable();
                ids.dedup();
            }
            ids
        })
        .collect();
    if alternatives.iter().any(Vec::is_empty) {
        return;
    }
    // A sharded index's postings shards of every word are asked for at
    // once (so one round fetches them, and the next every word's
    // positions): the walk below stops at the first word with none held.
    if index.is_sharded() {
        let held = |id: u32| index.doc_frequency(id) == 0 || index.postings(id).next().is_some();
        if !alternatives.iter().flatten().fold(true, |all, &id| held(id) && all) {
            return;
        }
    }
    let in_field = |p: &Posting| field.is_none_or(|f| f == p.field);
    let positional = |p: &Posting| matches!(p.field, Field::Title | Field::Abstract) && in_field(p);
    let words = alternatives.len();
    let mut order: Vec<usize> = (0..words).collect();
    order.sort_by_key(|&k| alternatives[k].iter().map(|&id| index.doc_frequency(id)).sum::<usize>());
    // Per word, its postings (every field) in the papers in the running, in
    // paper order; `docs`: the papers in the running, ascending.
    let mut gathered: Vec<Vec<Gathered<'_>>> = vec![Vec::new(); words];
    let mut docs: Vec<u32> = Vec::new();
    let mut found: Vec<bool> = Vec::new();
    for (rank, &k) in order.iter().enumerate() {
        let list = &mut gathered[k];
        if rank == 0 {
            for (a, &id) in alternatives[k].iter().enumerate() {
                let mut postings = index.postings(id);
                while let Some(p) = postings.next() {
                    if candidates.is_none_or(|c| c.contains(p.doc as usize)) {
                        let at = if positional(&p) { postings.positions() } else { Positions::default() };
                        list.push((p.doc, a, p, at));
                    }
                }
            }
            docs.extend(list.iter().filter(|g| positional(&g.2)).map(|g| g.0));
            if alternatives[k].len() > 1 {
                docs.sort_unstable();
            }
            docs.dedup();
        } else {
            found.clear();
            found.resize(docs.len(), false);
            for (a, &id) in alternatives[k].iter().enumerate() {
                let (mut i, mut postings) = (0, index.postings(id));
                while let Some(p) = postings.next() {
                    while i < docs.len() && docs[i] < p.doc {
                        i += 1;
                    }
                    if i == docs.len() {
                        break;
                    }
                    if docs[i] == p.doc {
                        let at = if positional(&p) { postings.positions() } else { Positions::default() };
                        found[i] |= positional(&p);
                        list.push((p.doc, a, p, at));
                    }
                }
            }
            let mut i = 0;
            docs.retain(|_| {
                i += 1;
                found[i - 1]
            });
        }
        // Stable: each term's postings of a paper stay in field order.
        if alternatives[k].len() > 1 {
            list.sort_by_key(|g| g.0);
        }
        if docs.is_empty() {
            return;
        }
    }
    let idfs: Vec<Vec<f32>> = alternatives
        .iter()
        .map(|ids| ids.iter().map(|&id| idf(index.doc_count(), index.doc_frequency(id))).collect())
        .collect();
    let mut next = vec![0usize; words];
    let mut ranges = vec![0..0; words];
    let mut positions: Vec<Vec<u32>> = vec![Vec::new(); words];
    let mut word_scores = vec![0.0f32; words];
    let mut best_term = vec![0usize; words];
    for &doc in &docs {
        for k in 0..words {
            let list = &gathered[k];
            let mut at = next[k];
            while list[at].0 < doc {
                at += 1;
            }
            let start = at;
            while at < list.len() && list[at].0 == doc {
                at += 1;
            }
            ranges[k] = start..at;
            next[k] = at;
        }
        // The phrase occurs where word k is at the first word's position + k,
        // in one field.
        let whole =
            [Field::Title, Field::Abstract].into_iter().filter(|&f| field.is_none_or(|g| g == f)).any(|f| {
                for k in 0..words {
                    positions[k].clear();
                    for g in &gathered[k][ranges[k].clone()] {
                        if g.2.field == f {
                            positions[k].extend(g.3);
                        }
                    }
                    if positions[k].is_empty() {
                        return false;
                    }
                    if alternatives[k].len() > 1 {
                        positions[k].sort_unstable();
                    }
                }
                positions[0]
                    .iter()
                    .any(|&at| (1..words).all(|k| positions[k].binary_search(&(at + k as u32)).is_ok()))
            });
        if !whole {
            continue;
        }
        // Each word's BM25F in the paper (its best term), as `score_term`.
        let mut present = true;
        for k in 0..words {
            let (mut best, mut any) = (0.0f32, false);
            for (a, &idf) in idfs[k].iter().enumerate() {
                let tfw = word_tfw(index, bm, &gathered[k][ranges[k].clone()], a, field, |_, _| {});
                if tfw > 0.0 {
                    any = true;
                    let score = saturate(1.0, idf, tfw, &bm.w);
                    if score > best {
                        (best, best_term[k]) = (score, a);
                    }
                }
            }
            present &= any;
            word_scores[k] = best;
        }
        if present {
            if into.tracing() {
                for k in 0..words {
                    let a = best_term[k];
                    into.trace_term(index.term(alternatives[k][a]), MatchKind::Phrase);
                    let postings = &gathered[k][ranges[k].clone()];
                    word_tfw(index, bm, postings, a, field, |p, weighted| into.trace_posting(p, weighted));
                    into.trace_scored(doc, word_scores[k]);
                }
            }
            into.offer(doc, word_scores.iter().sum());
        }
    }
}

/// A phrase word's weighted tf in one paper: the sum of [`weighted_tf`] over
/// the postings of its `a`-th term in `postings` (the word's postings in the
/// paper) within `field`, each also given to `visit`.
#[inline(always)]
fn word_tfw(
    index: &SearchIndex,
    bm: &Bm25,
    postings: &[Gathered<'_>],
    a: usize,
    field: Option<Field>,
    mut visit: impl FnMut(&Posting, f32),
) -> f32 {
    let mut tfw = 0.0f32;
    for g in postings {
        if g.1 == a && field.is_none_or(|f| f == g.2.field) {
            let weighted = weighted_tf(index, bm, &g.2);
            tfw += weighted;
            visit(&g.2, weighted);
        }
    }
    tfw
}
