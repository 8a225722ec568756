//! Discovery: paper vectors made from the corpus itself, similar papers by
//! their cosine, and recommendations for a set of papers (a tag), each
//! with its reasons.
//!
//! A paper's vector is its TF-IDF row (stemmed words of the shared
//! analyzer, the entities and keyphrases the enrichment found) reduced by a
//! truncated SVD (latent semantic analysis, [`svd`]) to [`Options::dims`]
//! dimensions, L2-normalised and quantized to 8 bits ([`Vectors`]). Nothing
//! is downloaded and nothing is learnt from outside the corpus; the same
//! corpus and options give the same bytes.
//!
//! Similar papers are an exact scan of every vector (tens of milliseconds
//! at 100k papers natively), optionally blended with the enrichment's TF-IDF
//! neighbours. Recommendations train a logistic regression on the liked
//! papers against the disliked ones and a seeded sample of the rest
//! ([`recommend`]). Figures and what they mean: `docs/discovery.md`.

mod features;
pub mod reasons;
mod recommend;
mod svd;
mod vectors;

use std::collections::HashMap;

pub use features::{FeatureKind, Features};
pub use recommend::{recommend, Classifier, Model, Recommendation, NEGATIVES, REASON_PAPERS, REASON_TERMS};
pub use vectors::{Vectors, VectorsError, EXACT_SCAN};

use super::bundle::enrichment::Similar;
use super::bundle::{Bundle, Paper};
use super::map::Layout;

/// How paper vectors are made. Out-of-range values are clamped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Dimensions of a vector, 8..=256 (64-256 is the useful range: fewer
    /// merge subjects, more cost bytes and time; tests use fewer).
    pub dims: usize,
    /// Power iterations of the randomized SVD, 0..=6: each sharpens the
    /// leading dimensions at the cost of two more sparse products and an
    /// orthonormalisation (at 96k papers a second one cost 35% more time
    /// and measured no better: docs/discovery.md).
    pub power_iterations: usize,
    /// Seed of the random projection: the same seed gives the same vectors.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options { dims: 128, power_iterations: 1, seed: 0x5eed_f011_0017 }
    }
}

impl Options {
    fn clamped(self) -> Options {
        Options { dims: self.dims.clamp(8, 256), power_iterations: self.power_iterations.min(6), ..self }
    }
}

/// Weight of the enrichment's TF-IDF cosine in a blended similarity
/// ([`Discovery::similar_blended`]), 0..=1: the vectors' cosine plus this
/// times the old score, for the papers the enrichment listed.
pub const BLEND: f32 = 0.5;

/// A paper's neighbour: its index in the corpus and the similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    pub paper: usize,
    pub score: f32,
}

/// What discovery computes of a corpus: the sparse TF-IDF rows (kept for
/// reasons) and the paper vectors of the whole corpus, in its paper order
/// (similar papers and recommendations index both by paper).
#[derive(Debug, Clone)]
pub struct Discovery {
    pub features: Features,
    pub vectors: Vectors,
    /// The enrichment's similar papers of each paper, as indexes.
    today: Vec<Vec<(u32, f32)>>,
}

impl Discovery {
    /// Features and vectors of `papers` (empty and one-paper corpora give
    /// zero vectors, which are similar to nothing).
    pub fn build(papers: &[Paper], options: &Options) -> Discovery {
        let options = options.clamped();
        let features = Features::of(papers);
        let floats = svd::lsa(&features, options.dims, options.power_iterations, options.seed);
        let vectors = Vectors::quantize(options.dims, &floats);
        let index: HashMap<&str, usize> =
            papers.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
        let today = papers
            .iter()
            .map(|p| {
                p.enrichment
                    .similar
                    .iter()
                    .filter_map(|s| Some((*index.get(s.id.as_str())? as u32, s.score)))
                    .collect()
            })
            .collect();
        Discovery { features, vectors, today }
    }

    /// The `limit` papers nearest to `paper` by the vectors' cosine, best
    /// first (ties by index), without the paper itself and papers with no
    /// likeness (cosine 0 or below).
    pub fn similar(&self, paper: usize, limit: usize) -> Vec<Neighbour> {
        self.vectors.nearest(paper, limit)
    }

    /// The enrichment's similar papers of `paper` (today's TF-IDF cosine,
    /// computed at compile time), as indexes.
    pub fn similar_today(&self, paper: usize, limit: usize) -> Vec<Neighbour> {
        let list = self.today.get(paper).map_or(&[][..], Vec::as_slice);
        list.iter().take(limit).map(|&(p, score)| Neighbour { paper: p as usize, score }).collect()
    }

    /// The vectors' cosine plus [`BLEND`] times today's score: the
    /// candidates are both lists' (the vectors' best `4 * limit`).
    pub fn similar_blended(&self, paper: usize, limit: usize) -> Vec<Neighbour> {
        let candidates = self.vectors.nearest(paper, limit.saturating_mul(4));
        blend(&self.vectors, &self.today, paper, candidates, limit)
    }

    /// Every paper's blended list as [`ship`] stores it (past
    /// [`EXACT_SCAN`] papers, its vectors' candidates from the clusters
    /// of [`Vectors::all_nearest`] rather than a scan).
    pub fn similar_all_blended(&self, limit: usize) -> Vec<Vec<Neighbour>> {
        blend_all(&self.vectors, &self.today, limit)
    }

    /// The features that two papers share, weightiest first (the product
    /// of their TF-IDF weights): why they are alike, in words.
    pub fn shared_terms(&self, a: usize, b: usize, limit: usize) -> Vec<&str> {
        self.features.shared(a, b, limit)
    }
}

/// Similar papers the compiler keeps per paper (as the enrichment's).
pub const SIMILAR_KEPT: usize = 5;

/// What the compiler ships of discovery in a pack: the paper vectors and
/// the corpus map, in paper order.
#[derive(Debug, Clone, PartialEq)]
pub struct Shipped {
    pub vectors: Vectors,
    pub map: Layout,
}

/// Computes what a pack ships of discovery for `papers`, and replaces each
/// paper's `enrichment.similar` with its blended list
/// ([`Discovery::similar_blended`]: the vectors' cosine plus [`BLEND`]
/// times the enrichment's own score, [`SIMILAR_KEPT`] papers, scores
/// rounded to 3 decimals as the enrichment's are), so that similar papers
/// are the better ones everywhere the records are read, with no scan in
/// the browser. Past [`EXACT_SCAN`] papers the vectors' candidates come
/// from [`Vectors::all_nearest`]'s clusters. `progress` is told each step
/// (`"vectors"`, `"similar papers"`, `"map"`).
pub fn ship(papers: &mut [Paper], options: &Options, progress: impl FnMut(&str)) -> Shipped {
    ship_papers(papers, true, options, progress)
}

/// [`ship`] of a bundle, which then says its similar papers are blended
/// ([`Bundle::similar_blended`]); a bundle whose lists are blended already
/// keeps them (blending them again would count the TF-IDF score twice),
/// so that shipping a bundle written with a pack makes that same pack.
pub fn ship_bundle(bundle: &mut Bundle, options: &Options, progress: impl FnMut(&str)) -> Shipped {
    let shipped = ship_papers(&mut bundle.papers, !bundle.similar_blended, options, progress);
    bundle.similar_blended = true;
    shipped
}

fn ship_papers(
    papers: &mut [Paper],
    blend: bool,
    options: &Options,
    mut progress: impl FnMut(&str),
) -> Shipped {
    progress("vectors");
    let discovery = Discovery::build(papers, options);
    let Discovery { vectors, today, features } = discovery;
    drop(features);
    if !blend {
        progress("map");
        let map = Layout::build(&vectors, papers);
        return Shipped { vectors, map };
    }
    progress("similar papers");
    let lists = blend_all(&vectors, &today, SIMILAR_KEPT);
    for (paper, list) in papers.iter_mut().zip(&lists) {
        paper.enrichment.similar = list
            .iter()
            .filter(|n| n.score >= 0.0005)
            .map(|n| Similar { id: String::new(), score: (n.score * 1000.0).round() / 1000.0 })
            .collect();
    }
    let ids: Vec<String> = papers.iter().map(|p| p.id.clone()).collect();
    for (paper, list) in papers.iter_mut().zip(&lists) {
        for (similar, n) in paper.enrichment.similar.iter_mut().zip(list) {
            similar.id.clone_from(&ids[n.paper]);
        }
    }
    progress("map");
    let map = Layout::build(&vectors, papers);
    Shipped { vectors, map }
}

/// Every paper's blended list of `limit`, its vectors' candidates from
/// [`Vectors::all_nearest`].
fn blend_all(vectors: &Vectors, today: &[Vec<(u32, f32)>], limit: usize) -> Vec<Vec<Neighbour>> {
    let nearest = vectors.all_nearest(limit.saturating_mul(4));
    nearest
        .into_iter()
        .enumerate()
        .map(|(paper, candidates)| blend(vectors, today, paper, candidates, limit))
        .collect()
}

/// The blended list of `paper` from the vectors' `candidates` and today's.
fn blend(
    vectors: &Vectors,
    today: &[Vec<(u32, f32)>],
    paper: usize,
    candidates: Vec<Neighbour>,
    limit: usize,
) -> Vec<Neighbour> {
    let today = today.get(paper).map_or(&[][..], Vec::as_slice);
    let mut candidates: Vec<usize> = candidates.iter().map(|n| n.paper).collect();
    candidates.extend(today.iter().map(|&(p, _)| p as usize));
    candidates.sort_unstable();
    candidates.dedup();
    let mut scored: Vec<Neighbour> = candidates
        .into_iter()
        .filter(|&other| other != paper)
        .map(|other| {
            let old = today.iter().find(|&&(p, _)| p as usize == other).map_or(0.0, |&(_, s)| s);
            Neighbour { paper: other, score: vectors.cosine(paper, other) + BLEND * old }
        })
        .filter(|n| n.score > 0.0)
        .collect();
    keep_best(&mut scored, limit, |a, b| b.score.total_cmp(&a.score).then(a.paper.cmp(&b.paper)));
    scored
}

/// Keeps the `limit` first of `items` by `order`, sorted by it (a
/// selection first: `limit` is small beside a corpus).
pub(crate) fn keep_best<T>(
    items: &mut Vec<T>,
    limit: usize,
    order: impl Fn(&T, &T) -> std::cmp::Ordering + Copy,
) {
    if items.len() > limit {
        if limit == 0 {
            items.clear();
            return;
        }
        items.select_nth_unstable_by(limit - 1, order);
        items.truncate(limit);
    }
    items.sort_unstable_by(order);
}
