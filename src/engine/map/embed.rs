//! The map's 2D layout: t-SNE (the bhtsne crate) of the papers' neighbour
//! graph, started from the vectors' two leading latent axes so that the
//! same corpus gives the same map and far subjects start far apart. Its
//! repulsion is Barnes-Hut's tree up to [`BARNES_HUT_UP_TO`] points and
//! the FFT-accelerated interpolation (FIt-SNE, linear in the points, but a
//! fixed grid's cost per step that small maps need not pay) above.

use bhtsne::{tSNE, Neighbor};

use super::neighbours::Graph;

/// Maps of up to this many points use Barnes-Hut's repulsion.
pub const BARNES_HUT_UP_TO: usize = 5000;
/// Barnes-Hut's accuracy: a cell this small beside its distance is one body.
const THETA: f32 = 0.5;

/// t-SNE of `graph`: `epochs` steps (the first quarter exaggerated, up to
/// 250) from `start` (two floats a point, any scale); two floats a point.
/// The neighbour count sets the perplexity (a third of it, at least 2).
pub fn tsne(graph: &Graph, start: &[[f32; 2]], epochs: usize) -> Vec<[f32; 2]> {
    let n = graph.len();
    if n < 4 || graph.k < 3 || start.len() != n {
        return start.to_vec();
    }
    let neighbours: Vec<Vec<Neighbor<f32>>> = (0..n)
        .map(|i| {
            let (ids, distances) = graph.row(i);
            // Euclidean distance of unit vectors from their cosine distance.
            ids.iter()
                .zip(distances)
                .map(|(&id, &d)| Neighbor { index: id as usize, distance: (2.0 * d.max(0.0)).sqrt() })
                .collect()
        })
        .collect();
    // openTSNE's start: the leading axes scaled to a standard deviation of
    // 1e-4 (the first axis), so that early exaggeration can move them.
    let spread = (start.iter().map(|p| p[0] * p[0] + p[1] * p[1]).sum::<f32>() / (2 * n) as f32).sqrt();
    let scale = if spread > 0.0 && spread.is_finite() { 1e-4 / spread } else { 0.0 };
    let init: Vec<f32> = start.iter().flat_map(|p| [p[0] * scale, p[1] * scale]).collect();
    // The crate wants three other points per whole unit of perplexity:
    // small maps get less.
    let most = ((n - 1) / 3 + 1) as f32 - 0.01;
    let perplexity = (graph.k as f32 / 3.0).max(2.0).min(most);
    let exaggerated = (epochs / 4).min(250);
    let points: Vec<u32> = (0..n as u32).collect();
    // The crate's default rate (scikit-learn's n / 48) is for a gradient
    // with a factor 4 that the crate's (van der Maaten's) has not: openTSNE's
    // n / 12 (Belkina et al. 2019) is the same step for this gradient.
    let learning_rate = (n as f32 / 12.0).max(200.0);
    let run = || {
        let mut tsne: tSNE<f32, u32, 2> = tSNE::new(&points);
        tsne.perplexity(perplexity)
            .learning_rate(learning_rate)
            .epochs(epochs.max(exaggerated + 1))
            .stop_lying_epoch(exaggerated)
            .momentum_switch_epoch(exaggerated)
            .initial_embedding(init.clone());
        if n <= BARNES_HUT_UP_TO {
            tsne.barnes_hut_with_neighbors(THETA, &neighbours).embedding()
        } else {
            tsne.fit_sne_with_neighbors(&neighbours).embedding()
        }
    };
    let flat = one_thread(run);
    flat.chunks_exact(2)
        .map(|p| if p[0].is_finite() && p[1].is_finite() { [p[0], p[1]] } else { [0.0, 0.0] })
        .collect()
}

/// Runs `f` on one thread, so that the crate's parallel sums add up in one
/// order (the same input, the same bits). In wasm there is one thread.
#[cfg(not(target_arch = "wasm32"))]
fn one_thread<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}

#[cfg(target_arch = "wasm32")]
fn one_thread<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    f()
}
