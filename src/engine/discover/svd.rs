//! Latent semantic analysis: the TF-IDF matrix's leading left singular
//! vectors times their singular values, by a randomized SVD (Halko,
//! Martinsson and Tropp 2011, algorithms 4.4 and 5.1) over the sparse matrix.
//!
//! A random ±1 projection of the feature space catches the range of the
//! matrix `A` (papers x features) in `dims + OVERSAMPLE` columns, power
//! iterations (`A Aᵀ`, re-orthonormalised on the papers' side each time)
//! sharpen it, and the small problem left is one symmetric
//! eigendecomposition. Orthonormal bases come from the eigendecomposition
//! of a small Gram matrix (Cholesky-QR's cousin): tall products go through
//! matrixmultiply, and nothing is factored at the scale of the corpus.
//! Every dense product is on the papers' side (the features outnumber the
//! papers). All in f64 (so that skipping the features' side loses nothing
//! that matters after a few iterations); deterministic for a seed.

use nalgebra::{DMatrix, DVector};
use nalgebra_sparse::CsrMatrix;

use super::features::Features;

/// Extra random columns beyond the dimensions asked for: the range they
/// catch makes the leading dimensions accurate.
const OVERSAMPLE: usize = 16;

/// Eigenvalues below this share of the largest are rank lost (a basis
/// direction with nothing in it).
const RANK_EPSILON: f64 = 1e-10;

/// The LSA vectors of every row of `features`: `papers x dims` floats, row
/// by row, each row unit-length (or zero: a paper with no kept feature, or
/// dimensions the corpus has no rank for).
pub fn lsa(features: &Features, dims: usize, power_iterations: usize, seed: u64) -> Vec<f32> {
    let (n, m) = (features.papers(), features.len());
    let mut out = vec![0f32; n * dims];
    let width = (dims + OVERSAMPLE).min(n).min(m);
    if width == 0 || features.is_empty() {
        return out;
    }
    let (offsets, terms, weights) = features.csr();
    // Rows are sorted and in range (Features::of): an error would be a bug,
    // which leaves the vectors zero rather than panic.
    let Ok(a) = CsrMatrix::try_from_csr_data(
        n,
        m,
        offsets.iter().map(|&o| o as usize).collect(),
        terms.iter().map(|&t| t as usize).collect(),
        weights.iter().map(|&w| w as f64).collect(),
    ) else {
        return out;
    };
    let at = a.transpose();

    let mut rng = fastrand::Rng::with_seed(seed);
    let omega = DMatrix::<f64>::from_fn(m, width, |_, _| if rng.bool() { 1.0 } else { -1.0 });
    let mut q = orthonormal(&a * &omega);
    for _ in 0..power_iterations {
        q = orthonormal(&a * (&at * &q));
    }
    if q.ncols() == 0 {
        return out;
    }
    // B = Qᵀ A; B Bᵀ = Qᵀ A Aᵀ Q = U_b Σ² U_bᵀ; the vectors are Q U_b Σ.
    // (Products on the papers' side: the features outnumber the papers.)
    let gram = q.tr_mul(&(&a * (&at * &q)));
    let (values, vectors) = sorted_eigen((&gram + gram.transpose()) * 0.5);
    let k = dims.min(values.len());
    let mut projection = DMatrix::<f64>::zeros(q.ncols(), k);
    for (j, value) in values.iter().take(k).enumerate() {
        projection.set_column(j, &(vectors.column(j) * value.max(0.0).sqrt()));
    }
    let reduced = &q * &projection;
    for (i, row) in out.chunks_exact_mut(dims).enumerate() {
        let norm = reduced.row(i).norm();
        if norm > 0.0 {
            for j in 0..k {
                row[j] = (reduced[(i, j)] / norm) as f32;
            }
        }
    }
    out
}

/// An orthonormal basis of `y`'s columns: `y W Λ^-1/2` where `Yᵀ Y = W Λ Wᵀ`,
/// directions of no rank left out.
fn orthonormal(y: DMatrix<f64>) -> DMatrix<f64> {
    let (values, vectors) = sorted_eigen(y.tr_mul(&y));
    let largest = values.first().copied().unwrap_or(0.0);
    let kept = values.iter().take_while(|&&v| v > largest * RANK_EPSILON && v > 0.0).count();
    let mut scale = DMatrix::<f64>::zeros(y.ncols(), kept);
    for (j, value) in values.iter().take(kept).enumerate() {
        scale.set_column(j, &(vectors.column(j) / value.sqrt()));
    }
    y * scale
}

/// The eigenvalues of a symmetric matrix, largest first, and their
/// eigenvectors as columns in the same order.
fn sorted_eigen(matrix: DMatrix<f64>) -> (Vec<f64>, DMatrix<f64>) {
    let size = matrix.nrows();
    let eigen = matrix.symmetric_eigen();
    let mut order: Vec<usize> = (0..size).collect();
    order.sort_by(|&a, &b| eigen.eigenvalues[b].total_cmp(&eigen.eigenvalues[a]).then(a.cmp(&b)));
    let values: Vec<f64> = order.iter().map(|&i| eigen.eigenvalues[i]).collect();
    let mut vectors = DMatrix::<f64>::zeros(size, size);
    for (j, &i) in order.iter().enumerate() {
        // A sign of its own (its largest entry positive): the same vectors
        // whatever sign the solver happened to return.
        let column: DVector<f64> = eigen.eigenvectors.column(i).into_owned();
        let pivot =
            column.iter().copied().fold(0.0f64, |best, x| if x.abs() > best.abs() { x } else { best });
        vectors.set_column(j, &if pivot < 0.0 { -column } else { column });
    }
    (values, vectors)
}
