//! Similar papers: nearest neighbours by TF-IDF cosine over title and
//! abstract, through an inverted index of pruned sparse vectors.
//!
//! Pruning keeps this near-linear at 100k papers: terms in one paper only or
//! in more than [`max_df`] papers are dropped, each paper keeps its
//! [`TERMS_PER_PAPER`] heaviest terms, each posting list keeps its
//! [`MAX_POSTINGS`] heaviest papers, and a paper looks for candidates
//! through its [`QUERY_TERMS`] heaviest terms only. The best
//! [`CANDIDATES`] candidates are then scored by their exact cosine.

use super::terms::{Tok, Vocabulary, TITLE};

/// Neighbours kept per paper.
pub const NEIGHBOURS: usize = 5;
/// Weakest similarity worth showing (cosine, 0..1).
pub const MIN_SCORE: f32 = 0.05;
/// Heaviest terms kept per paper vector.
pub const TERMS_PER_PAPER: usize = 24;
/// Heaviest terms of a paper used to find candidates.
pub const QUERY_TERMS: usize = 12;
/// Papers kept per term (the heaviest).
pub const MAX_POSTINGS: usize = 100;
/// Candidates per paper scored exactly.
pub const CANDIDATES: usize = 4 * NEIGHBOURS;

/// Terms in more papers than this carry little signal: half a small corpus,
/// a twentieth of a large one.
pub fn max_df(papers: usize) -> usize {
    (papers / 20).max((papers / 2).min(50)).max(2)
}

/// A unit-length sparse vector, sorted by term id.
pub type Vector = Vec<(u32, f32)>;

/// The neighbours of every paper: (paper index, cosine), best first, from
/// the papers' [`vectors`] (the words themselves are not needed: a large
/// corpus's words can be dropped first) over `terms` terms.
pub fn neighbours(vectors: &[Vector], terms: usize) -> Vec<Vec<(usize, f32)>> {
    let n = vectors.len();
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); terms];
    for (d, vector) in vectors.iter().enumerate() {
        for &(t, w) in vector {
            postings[t as usize].push((d as u32, w));
        }
    }
    for list in &mut postings {
        if list.len() > MAX_POSTINGS {
            list.select_nth_unstable_by(MAX_POSTINGS - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(MAX_POSTINGS);
        }
    }
    let mut scores = vec![0f32; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut query: Vec<(u32, f32)> = Vec::with_capacity(TERMS_PER_PAPER);
    let mut candidates: Vec<(u32, f32)> = Vec::new();
    vectors
        .iter()
        .enumerate()
        .map(|(d, vector)| {
            query.clear();
            query.extend_from_slice(vector);
            query.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            query.truncate(QUERY_TERMS);
            for &(t, w) in &query {
                for &(other, w2) in &postings[t as usize] {
                    let slot = &mut scores[other as usize];
                    if *slot == 0.0 {
                        touched.push(other);
                    }
                    *slot += w * w2;
                }
            }
            candidates.clear();
            candidates.extend(
                touched
                    .drain(..)
                    .map(|other| (other, std::mem::take(&mut scores[other as usize])))
                    .filter(|&(other, _)| other as usize != d),
            );
            if candidates.len() > CANDIDATES {
                candidates
                    .select_nth_unstable_by(CANDIDATES - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                candidates.truncate(CANDIDATES);
            }
            let mut best: Vec<(usize, f32)> = candidates
                .iter()
                .map(|&(other, _)| (other as usize, dot(vector, &vectors[other as usize])))
                .filter(|&(_, score)| score >= MIN_SCORE)
                .collect();
            best.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            best.truncate(NEIGHBOURS);
            best
        })
        .collect()
}

/// The pruned, normalized TF-IDF vector of every paper (title words count
/// twice).
pub fn vectors(docs: &[Vec<Tok>], vocabulary: &Vocabulary, df: &[u32]) -> Vec<Vector> {
    let n = docs.len();
    let max_df = max_df(n) as u32;
    let mut tf: Vec<(u32, f32)> = Vec::new();
    docs.iter()
        .map(|toks| {
            tf.clear();
            for tok in toks {
                let term = tok.term();
                if vocabulary.weak[term as usize] || df[term as usize] < 2 || df[term as usize] > max_df {
                    continue;
                }
                tf.push((term, if tok.field() == TITLE { 2.0 } else { 1.0 }));
            }
            tf.sort_unstable_by_key(|(t, _)| *t);
            let mut vector: Vector = Vec::new();
            for &(t, w) in &tf {
                match vector.last_mut() {
                    Some((last, sum)) if *last == t => *sum += w,
                    _ => vector.push((t, w)),
                }
            }
            for (t, w) in &mut vector {
                *w = (1.0 + w.ln()) * (n as f32 / df[*t as usize] as f32).ln();
            }
            if vector.len() > TERMS_PER_PAPER {
                vector.select_nth_unstable_by(TERMS_PER_PAPER - 1, |a, b| {
                    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
                });
                vector.truncate(TERMS_PER_PAPER);
                vector.sort_unstable_by_key(|(t, _)| *t);
            }
            let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                vector.iter_mut().for_each(|(_, w)| *w /= norm);
            }
            vector.shrink_to_fit();
            vector
        })
        .collect()
}

/// The dot product of two vectors sorted by term id.
fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}
