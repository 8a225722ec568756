//! Similar papers: nearest neighbours by TF-IDF cosine over title and
//! abstract, through an inverted index of pruned sparse vectors.
//!
//! Pruning keeps this near-linear at 100k papers: terms in one paper only or
//! in more than [`max_df`] papers are dropped, each paper keeps its
//! [`TERMS_PER_PAPER`] heaviest terms, and each posting list keeps its
//! [`MAX_POSTINGS`] heaviest papers.

use super::terms::{Tok, Vocabulary, TITLE};

/// Neighbours kept per paper.
pub const NEIGHBOURS: usize = 5;
/// Weakest similarity worth showing (cosine, 0..1).
pub const MIN_SCORE: f32 = 0.05;
/// Heaviest terms kept per paper vector.
pub const TERMS_PER_PAPER: usize = 24;
/// Papers kept per term (the heaviest).
pub const MAX_POSTINGS: usize = 400;

/// Terms in more papers than this carry little signal: half a small corpus,
/// a tenth of a large one.
pub fn max_df(papers: usize) -> usize {
    (papers / 10).max((papers / 2).min(50)).max(2)
}

/// The neighbours of every paper: (paper index, cosine), best first.
pub fn neighbours(docs: &[Vec<Tok>], vocabulary: &Vocabulary) -> Vec<Vec<(usize, f32)>> {
    let n = docs.len();
    let mut df = vec![0u32; vocabulary.len()];
    let mut seen: Vec<u32> = Vec::new();
    for toks in docs {
        seen.clear();
        seen.extend(toks.iter().map(|t| t.term));
        seen.sort_unstable();
        seen.dedup();
        for &t in &seen {
            df[t as usize] += 1;
        }
    }
    let max_df = max_df(n) as u32;
    let vectors: Vec<Vec<(u32, f32)>> = docs
        .iter()
        .map(|toks| {
            let mut tf: Vec<(u32, f32)> = Vec::new();
            for tok in toks {
                let term = tok.term;
                if vocabulary.weak[term as usize] || df[term as usize] < 2 || df[term as usize] > max_df {
                    continue;
                }
                tf.push((term, if tok.field == TITLE { 2.0 } else { 1.0 }));
            }
            tf.sort_unstable_by_key(|(t, _)| *t);
            let mut vector: Vec<(u32, f32)> = Vec::new();
            for (t, w) in tf {
                match vector.last_mut() {
                    Some((last, sum)) if *last == t => *sum += w,
                    _ => vector.push((t, w)),
                }
            }
            for (t, w) in &mut vector {
                *w = (1.0 + w.ln()) * (n as f32 / df[*t as usize] as f32).ln();
            }
            vector.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
            vector.truncate(TERMS_PER_PAPER);
            let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                vector.iter_mut().for_each(|(_, w)| *w /= norm);
            }
            vector
        })
        .collect();
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); vocabulary.len()];
    for (d, vector) in vectors.iter().enumerate() {
        for &(t, w) in vector {
            postings[t as usize].push((d as u32, w));
        }
    }
    for list in &mut postings {
        if list.len() > MAX_POSTINGS {
            list.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
            list.truncate(MAX_POSTINGS);
        }
    }
    let mut scores = vec![0f32; n];
    let mut touched: Vec<u32> = Vec::new();
    vectors
        .iter()
        .enumerate()
        .map(|(d, vector)| {
            for &(t, w) in vector {
                for &(other, w2) in &postings[t as usize] {
                    let slot = &mut scores[other as usize];
                    if *slot == 0.0 {
                        touched.push(other);
                    }
                    *slot += w * w2;
                }
            }
            let mut best: Vec<(usize, f32)> = Vec::with_capacity(NEIGHBOURS + 1);
            for &other in &touched {
                let score = std::mem::take(&mut scores[other as usize]);
                if other as usize == d || score < MIN_SCORE {
                    continue;
                }
                let at = best.partition_point(|&(o, s)| s > score || (s == score && o < other as usize));
                if at < NEIGHBOURS {
                    best.insert(at, (other as usize, score));
                    best.truncate(NEIGHBOURS);
                }
            }
            touched.clear();
            best
        })
        .collect()
}
