//! The map's clusters: k-means over the laid-out points (regions of the
//! map, as a reader sees them), each named by the keyphrases and entities
//! most distinctive of its papers (in many of them, in few of the rest).

use std::collections::HashMap;

use crate::engine::bundle::Paper;

/// How many clusters for `papers` placed papers: about the square root of
/// half of them, 1 to `most` (3 for the seed's 24 papers, 60 at 7,200
/// papers and above).
pub fn count(papers: usize, most: usize) -> usize {
    (((papers as f64) / 2.0).sqrt().round() as usize).clamp(1, most.max(1)).min(papers)
}

/// Lloyd's k-means of `points` into `k` clusters, started by k-means++
/// (seeded): each point's cluster, and the clusters' means. Empty clusters
/// are dropped (the numbers stay dense).
pub fn kmeans(points: &[[f32; 2]], k: usize, seed: u64) -> (Vec<usize>, Vec<[f32; 2]>) {
    let n = points.len();
    let k = k.min(n);
    if k == 0 {
        return (Vec::new(), Vec::new());
    }
    let d2 = |a: [f32; 2], b: [f32; 2]| (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut centres = vec![points[rng.usize(..n)]];
    let mut nearest: Vec<f32> = points.iter().map(|&p| d2(p, centres[0])).collect();
    while centres.len() < k {
        let total: f64 = nearest.iter().map(|&d| f64::from(d)).sum();
        let next = if total > 0.0 {
            let mut target = rng.f64() * total;
            let mut chosen = n - 1;
            for (i, &d) in nearest.iter().enumerate() {
                target -= f64::from(d);
                if target < 0.0 {
                    chosen = i;
                    break;
                }
            }
            chosen
        } else {
            rng.usize(..n)
        };
        centres.push(points[next]);
        for (best, &p) in nearest.iter_mut().zip(points) {
            *best = best.min(d2(p, points[next]));
        }
    }
    let mut assignment = vec![0usize; n];
    for _ in 0..100 {
        let mut changed = false;
        for (a, &p) in assignment.iter_mut().zip(points) {
            let best = (0..centres.len())
                .min_by(|&x, &y| d2(p, centres[x]).total_cmp(&d2(p, centres[y])).then(x.cmp(&y)))
                .unwrap_or(0);
            changed |= *a != best;
            *a = best;
        }
        let mut sums = vec![[0f64; 3]; centres.len()];
        for (&a, &p) in assignment.iter().zip(points) {
            sums[a][0] += f64::from(p[0]);
            sums[a][1] += f64::from(p[1]);
            sums[a][2] += 1.0;
        }
        for (centre, sum) in centres.iter_mut().zip(&sums) {
            if sum[2] > 0.0 {
                *centre = [(sum[0] / sum[2]) as f32, (sum[1] / sum[2]) as f32];
            }
        }
        if !changed {
            break;
        }
    }
    // Dense numbers, in order of first paper.
    let mut renumber = vec![usize::MAX; centres.len()];
    let mut kept = Vec::new();
    for a in assignment.iter_mut() {
        if renumber[*a] == usize::MAX {
            renumber[*a] = kept.len();
            kept.push(centres[*a]);
        }
        *a = renumber[*a];
    }
    (assignment, kept)
}

/// The terms of a paper a cluster can be named by: its keyphrases and the
/// names of its entities, each once.
fn terms(paper: &Paper) -> Vec<&str> {
    let mut terms: Vec<&str> = paper
        .enrichment
        .keyphrases
        .iter()
        .map(|k| k.phrase.as_str())
        .chain(paper.enrichment.entities.iter().map(|e| e.name.as_str()))
        .filter(|t| !t.trim().is_empty())
        .collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// Lowercased words of a term, to tell terms that repeat each other.
fn words(term: &str) -> Vec<String> {
    term.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Up to `most` terms naming each cluster (`members[c]`: the indexes into
/// `papers` of cluster `c`'s papers), most distinctive first: a term's
/// score is the cluster's papers that have it times the log of how rare it
/// is in the corpus (`ln(papers / papers with it)`), among terms that at
/// least two of the cluster's papers have (one, where no term has two);
/// a term whose words are all in a term already chosen (or the reverse)
/// is skipped.
pub fn labels(papers: &[&Paper], members: &[Vec<usize>], most: usize) -> Vec<Vec<String>> {
    let mut corpus: HashMap<&str, u32> = HashMap::new();
    let paper_terms: Vec<Vec<&str>> = papers.iter().map(|p| terms(p)).collect();
    for list in &paper_terms {
        for &t in list {
            *corpus.entry(t).or_default() += 1;
        }
    }
    let total = papers.len().max(1) as f64;
    members
        .iter()
        .map(|cluster| {
            let mut counts: HashMap<&str, u32> = HashMap::new();
            for &p in cluster {
                for &t in &paper_terms[p] {
                    *counts.entry(t).or_default() += 1;
                }
            }
            let mut scored: Vec<(f64, u32, &str)> = counts
                .into_iter()
                .map(|(t, c)| (f64::from(c) * (total / f64::from(corpus[t])).ln(), c, t))
                .filter(|&(score, _, _)| score > 0.0)
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(b.2)));
            let shared = scored.iter().filter(|s| s.1 >= 2).count();
            let least = if shared >= most.min(2) { 2 } else { 1 };
            let mut chosen: Vec<(&str, Vec<String>)> = Vec::new();
            for &(_, c, t) in &scored {
                if chosen.len() == most {
                    break;
                }
                if c < least {
                    continue;
                }
                let w = words(t);
                let repeats = chosen.iter().any(|(_, other)| {
                    w.iter().all(|x| other.contains(x)) || other.iter().all(|x| w.contains(x))
                });
                if !repeats {
                    chosen.push((t, w));
                }
            }
            chosen.into_iter().map(|(t, _)| t.to_owned()).collect()
        })
        .collect()
}
