//! Recommendations for a set of papers (a tag's): a logistic regression
//! over the paper vectors, trained on the liked papers against the
//! disliked ones ("not interested") and a seeded sample of the rest, ranks
//! every other paper. Why a paper is recommended (the words and the liked
//! papers that tie it to them) is the explorer's to say, from the records
//! (`Explorer::recommend`, [`super::reasons`]): the app and the CLI give
//! the same reasons whether they read a bundle or a pack.

use std::collections::HashSet;

use nalgebra::{DMatrix, DVector};

use super::{keep_best, Discovery, Vectors};

/// Most papers sampled from the rest as negatives.
pub const NEGATIVES: usize = 2000;
/// Sampled negatives per liked paper (at least [`MIN_NEGATIVES`]).
const NEGATIVES_PER_LIKED: usize = 50;
const MIN_NEGATIVES: usize = 500;
/// Newton steps (iteratively reweighted least squares); the loss is convex
/// and a dozen steps settle it.
const NEWTON_STEPS: usize = 12;
/// Features named per recommendation.
pub const REASON_TERMS: usize = 4;
/// Liked papers named per recommendation.
pub const REASON_PAPERS: usize = 2;

/// A recommended paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    /// The paper's index in the corpus.
    pub paper: usize,
    /// The classifier's probability that the paper belongs with the liked
    /// ones (0..1), plus [`Classifier::terms`] times its words' cosine
    /// with the liked papers'.
    pub score: f32,
}

/// The classifier's knobs. Out-of-range values are clamped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Classifier {
    /// The ridge penalty on the weights (each class's weights sum to 1),
    /// 1e-4..=10: larger keeps the model nearer the liked papers' centroid
    /// (a small one overfits a few liked papers against a sample that
    /// holds some of their kind).
    pub ridge: f64,
    /// How much more a "not interested" paper weighs than a sampled one,
    /// 1..=100: the person said so, the sample only guesses.
    pub unlike_weight: f64,
    /// Weight of the words, 0..=2: a paper's score is the classifier's
    /// probability plus this times the cosine of its TF-IDF row with the
    /// liked papers' mean row less the disliked ones' (what the vectors
    /// blur: exact words, entities, keyphrases). 0 ranks by the vectors
    /// alone.
    pub terms: f32,
}

impl Default for Classifier {
    fn default() -> Self {
        Classifier { ridge: 0.1, unlike_weight: 8.0, terms: 0.0 }
    }
}

/// The `limit` papers most like `like` and least like `unlike` (corpus
/// indexes; out of range ones are ignored), best first, neither list's
/// papers among them, by the default [`Classifier`]. Nothing liked gives
/// nothing.
pub fn recommend(
    discovery: &Discovery,
    like: &[usize],
    unlike: &[usize],
    limit: usize,
) -> Vec<Recommendation> {
    Classifier::default().recommend(discovery, like, unlike, limit)
}

impl Classifier {
    /// [`recommend`] with these knobs.
    pub fn recommend(
        &self,
        discovery: &Discovery,
        like: &[usize],
        unlike: &[usize],
        limit: usize,
    ) -> Vec<Recommendation> {
        let vectors = &discovery.vectors;
        let Some(model) = self.train(vectors, like, unlike) else { return Vec::new() };
        if limit == 0 {
            return Vec::new();
        }
        let Model { like, unlike, excluded, .. } = &model;

        // What the liked papers are made of, less what the disliked ones are.
        let mut profile = vec![0f32; discovery.features.len()];
        for (list, sign) in [(like, 1.0), (unlike, -1.0)] {
            for &paper in list.iter() {
                let (terms, weights) = discovery.features.row(paper);
                for (&t, &w) in terms.iter().zip(weights) {
                    profile[t as usize] += sign * w / list.len() as f32;
                }
            }
        }
        let norm = profile.iter().map(|w| w * w).sum::<f32>().sqrt();
        let terms_weight = if norm > 0.0 { self.terms.clamp(0.0, 2.0) / norm } else { 0.0 };

        let mut scored: Vec<(usize, f32)> = model
            .probabilities(vectors)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !excluded.contains(i))
            .map(|(i, probability)| {
                if terms_weight == 0.0 {
                    return (i, probability);
                }
                let (terms, weights) = discovery.features.row(i);
                let words: f32 = terms.iter().zip(weights).map(|(&t, &w)| w * profile[t as usize]).sum();
                (i, probability + terms_weight * words)
            })
            .collect();
        let order = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        keep_best(&mut scored, limit, order);
        scored.into_iter().map(|(paper, score)| Recommendation { paper, score }).collect()
    }
}

/// A trained classifier: the liked and disliked papers it was trained on
/// (in range, sorted, each once; a liked paper is never disliked) and its
/// weights over the vectors' dimensions and bias.
#[derive(Debug, Clone)]
pub struct Model {
    pub like: Vec<usize>,
    pub unlike: Vec<usize>,
    /// The liked and disliked papers: what a ranking leaves out.
    pub excluded: HashSet<usize>,
    weights: Vec<f32>,
    bias: f32,
}

impl Model {
    /// The probability of each paper of `vectors` (those trained on
    /// included) that it belongs with the liked ones, in paper order.
    pub fn probabilities(&self, vectors: &Vectors) -> Vec<f32> {
        let bias = self.bias;
        vectors.scores(&self.weights).into_iter().map(|s| 1.0 / (1.0 + (-(s + bias)).exp())).collect()
    }
}

impl Classifier {
    /// The logistic regression of `like` against `unlike` and a seeded
    /// sample of the rest (corpus indexes; out of range ones ignored):
    /// `None` when nothing liked is in range. Needs only the vectors (the
    /// explorer trains it from a pack's vector shards).
    pub fn train(&self, vectors: &Vectors, like: &[usize], unlike: &[usize]) -> Option<Model> {
        let ridge = self.ridge.clamp(1e-4, 10.0);
        let unlike_weight = self.unlike_weight.clamp(1.0, 100.0);
        let n = vectors.len();
        let mut like: Vec<usize> = like.iter().copied().filter(|&i| i < n).collect();
        like.sort_unstable();
        like.dedup();
        let liked: HashSet<usize> = like.iter().copied().collect();
        let mut unlike: Vec<usize> =
            unlike.iter().copied().filter(|&i| i < n && !liked.contains(&i)).collect();
        unlike.sort_unstable();
        unlike.dedup();
        if like.is_empty() {
            return None;
        }
        let excluded: HashSet<usize> = liked.iter().chain(&unlike).copied().collect();
        let sample = negatives(n, &like, &excluded);

        // Rows: the liked papers (label 1), then the disliked and sampled ones
        // (label 0), each class's weights summing to 1.
        let dims = vectors.dims();
        let rows: Vec<usize> = like.iter().chain(&unlike).chain(&sample).copied().collect();
        let mut x = DMatrix::<f64>::zeros(rows.len(), dims + 1);
        for (r, &paper) in rows.iter().enumerate() {
            for (j, v) in vectors.get(paper).unwrap_or_default().into_iter().enumerate() {
                x[(r, j)] = v as f64;
            }
            x[(r, dims)] = 1.0;
        }
        let negative_mass = unlike.len() as f64 * unlike_weight + sample.len() as f64;
        let weights: Vec<f64> = (0..rows.len())
            .map(|r| {
                if r < like.len() {
                    1.0 / like.len() as f64
                } else if r < like.len() + unlike.len() {
                    unlike_weight / negative_mass
                } else {
                    1.0 / negative_mass
                }
            })
            .collect();
        let labels: Vec<f64> = (0..rows.len()).map(|r| if r < like.len() { 1.0 } else { 0.0 }).collect();
        let theta = logistic(&x, &labels, &weights, ridge);
        let w: Vec<f32> = theta.iter().take(dims).map(|&t| t as f32).collect();
        Some(Model { like, unlike, excluded, weights: w, bias: theta[dims] as f32 })
    }
}

/// A seeded sample of the papers not in `excluded` (the seed is made of
/// `like`, so the same tag gets the same sample).
fn negatives(n: usize, like: &[usize], excluded: &HashSet<usize>) -> Vec<usize> {
    let available = n - excluded.len();
    let wanted = (like.len() * NEGATIVES_PER_LIKED).clamp(MIN_NEGATIVES, NEGATIVES).min(available);
    if wanted == available {
        return (0..n).filter(|i| !excluded.contains(i)).collect();
    }
    let seed = like.iter().fold(0x0f01_10ec_u64, |s, &i| (s ^ i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut chosen: HashSet<usize> = HashSet::with_capacity(wanted);
    let mut sample = Vec::with_capacity(wanted);
    // Fewer papers are wanted than are available: the draws end.
    while sample.len() < wanted {
        let i = rng.usize(0..n);
        if !excluded.contains(&i) && chosen.insert(i) {
            sample.push(i);
        }
    }
    sample
}

/// The weights of a ridge-penalised logistic regression (the last column
/// of `x` is the bias, which is not penalised), by Newton's method.
fn logistic(x: &DMatrix<f64>, labels: &[f64], weights: &[f64], ridge: f64) -> DVector<f64> {
    let d = x.ncols();
    let mut theta = DVector::<f64>::zeros(d);
    let mut ridge = DMatrix::<f64>::identity(d, d) * ridge;
    ridge[(d - 1, d - 1)] = 0.0;
    for _ in 0..NEWTON_STEPS {
        let margins = x * &theta;
        let p: Vec<f64> = margins.iter().map(|&m| 1.0 / (1.0 + (-m).exp())).collect();
        let residual =
            DVector::<f64>::from_iterator(p.len(), (0..p.len()).map(|i| weights[i] * (p[i] - labels[i])));
        let gradient = x.tr_mul(&residual) + &ridge * &theta;
        let mut scaled = x.clone();
        for (i, mut row) in scaled.row_iter_mut().enumerate() {
            row *= (weights[i] * p[i] * (1.0 - p[i])).sqrt();
        }
        // A small floor keeps the bias's diagonal positive when every
        // prediction is certain.
        let hessian = scaled.tr_mul(&scaled) + &ridge + DMatrix::<f64>::identity(d, d) * 1e-9;
        let Some(step) = hessian.cholesky().map(|c| c.solve(&gradient)) else { break };
        let settled = step.norm() < 1e-8;
        theta -= step;
        if settled {
            break;
        }
    }
    theta
}
