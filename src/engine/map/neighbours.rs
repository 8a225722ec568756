//! Each paper's nearest papers by the cosine of their vectors: the graph
//! the map's t-SNE keeps close. Exact (every pair) for small corpora;
//! above [`EXACT_UP_TO`] papers, approximate by NN-descent (Dong, Moses
//! and Li 2011: a neighbour of a neighbour is likely a neighbour), seeded
//! and sequential, so the same vectors give the same graph.

/// Corpora up to this many papers get exact neighbours (at most about
/// 4.5 million cosines).
pub const EXACT_UP_TO: usize = 3000;
/// NN-descent stops when an iteration improves fewer than this share of
/// the graph's slots.
const CONVERGED: f64 = 0.002;
/// NN-descent iterations at most.
const ITERATIONS: usize = 12;
/// New and old candidates a paper joins per iteration, at most (sampled).
const CANDIDATES: usize = 16;

/// `k` neighbours of each of `n` points, nearest first: `ids[i * k..][..k]`
/// and their cosine distances (1 - cosine) in `distances`.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    pub k: usize,
    pub ids: Vec<u32>,
    pub distances: Vec<f32>,
}

impl Graph {
    /// Point `i`'s neighbours and their distances, nearest first.
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        (&self.ids[i * self.k..(i + 1) * self.k], &self.distances[i * self.k..(i + 1) * self.k])
    }

    /// Points in the graph.
    pub fn len(&self) -> usize {
        self.ids.len() / self.k.max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// The `k` nearest of each of the unit vectors `data` (`dims` floats
/// each): `k` is cut to the points there are less one.
pub fn graph(data: &[f32], dims: usize, k: usize, seed: u64) -> Graph {
    let n = data.len() / dims.max(1);
    let k = k.min(n.saturating_sub(1));
    if k == 0 {
        return Graph { k: 0, ids: Vec::new(), distances: Vec::new() };
    }
    if n <= EXACT_UP_TO {
        exact(data, dims, k)
    } else {
        descent(data, dims, k, seed)
    }
}

/// The cosine distance of two unit vectors: four running sums, so that the
/// loop pipelines even where the compiler does not vectorize it.
fn distance(a: &[f32], b: &[f32]) -> f32 {
    let mut sums = [0f32; 4];
    let (a4, a_rest) = a.split_at(a.len() / 4 * 4);
    let (b4, b_rest) = b.split_at(a4.len());
    for (x, y) in a4.chunks_exact(4).zip(b4.chunks_exact(4)) {
        sums[0] += x[0] * y[0];
        sums[1] += x[1] * y[1];
        sums[2] += x[2] * y[2];
        sums[3] += x[3] * y[3];
    }
    let rest: f32 = a_rest.iter().zip(b_rest).map(|(x, y)| x * y).sum();
    1.0 - (sums[0] + sums[1] + sums[2] + sums[3] + rest)
}

/// Every pair: exact, for small corpora.
pub fn exact(data: &[f32], dims: usize, k: usize) -> Graph {
    let n = data.len() / dims;
    let k = k.min(n.saturating_sub(1));
    let mut ids = Vec::with_capacity(n * k);
    let mut distances = Vec::with_capacity(n * k);
    let mut row: Vec<(f32, u32)> = Vec::with_capacity(n);
    for i in 0..n {
        row.clear();
        let a = &data[i * dims..(i + 1) * dims];
        row.extend(
            (0..n).filter(|&j| j != i).map(|j| (distance(a, &data[j * dims..(j + 1) * dims]), j as u32)),
        );
        row.sort_unstable_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        for &(d, j) in &row[..k] {
            ids.push(j);
            distances.push(d);
        }
    }
    Graph { k, ids, distances }
}

/// NN-descent from random neighbours: each iteration, every point's
/// sampled new and old neighbours (both directions) are compared pairwise
/// and each pair offered to both; it stops when few slots improve.
pub fn descent(data: &[f32], dims: usize, k: usize, seed: u64) -> Graph {
    let n = data.len() / dims;
    let k = k.min(n.saturating_sub(1));
    let point = |i: usize| &data[i * dims..(i + 1) * dims];
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut ids = vec![0u32; n * k];
    let mut distances = vec![f32::INFINITY; n * k];
    let mut new = vec![true; n * k];
    for i in 0..n {
        let mut row: Vec<(f32, u32)> = Vec::with_capacity(k);
        while row.len() < k {
            let mut j = rng.usize(..n - 1);
            if j >= i {
                j += 1;
            }
            if row.iter().all(|&(_, id)| id as usize != j) {
                row.push((distance(point(i), point(j)), j as u32));
            }
        }
        row.sort_unstable_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        for (slot, (d, j)) in row.into_iter().enumerate() {
            ids[i * k + slot] = j;
            distances[i * k + slot] = d;
        }
    }
    let cap = CANDIDATES.min(k);
    let mut new_candidates: Vec<Vec<u32>> = vec![Vec::with_capacity(cap); n];
    let mut old_candidates: Vec<Vec<u32>> = vec![Vec::with_capacity(cap); n];
    let mut seen_new = vec![0u32; n];
    let mut seen_old = vec![0u32; n];
    for _ in 0..ITERATIONS {
        for lists in [&mut new_candidates, &mut old_candidates] {
            lists.iter_mut().for_each(Vec::clear);
        }
        seen_new.iter_mut().for_each(|s| *s = 0);
        seen_old.iter_mut().for_each(|s| *s = 0);
        for i in 0..n {
            for slot in 0..k {
                let j = ids[i * k + slot] as usize;
                let (lists, seen) = if new[i * k + slot] {
                    (&mut new_candidates, &mut seen_new)
                } else {
                    (&mut old_candidates, &mut seen_old)
                };
                offer(&mut lists[i], &mut seen[i], j as u32, cap, &mut rng);
                offer(&mut lists[j], &mut seen[j], i as u32, cap, &mut rng);
            }
        }
        // The new neighbours sampled are joined now: next time they are old.
        for i in 0..n {
            for slot in 0..k {
                if new[i * k + slot] && new_candidates[i].contains(&ids[i * k + slot]) {
                    new[i * k + slot] = false;
                }
            }
        }
        let mut updates = 0usize;
        let mut improve = |a: usize, b: usize, d: f32, ids: &mut [u32], distances: &mut [f32]| {
            let range = a * k..(a + 1) * k;
            updates += usize::from(insert(
                &mut ids[range.clone()],
                &mut distances[range.clone()],
                &mut new[range],
                b as u32,
                d,
            ));
        };
        for i in 0..n {
            let fresh = &new_candidates[i];
            for (x, &u) in fresh.iter().enumerate() {
                let u = u as usize;
                for &v in fresh[x + 1..].iter().chain(&old_candidates[i]) {
                    let v = v as usize;
                    if u == v {
                        continue;
                    }
                    let d = distance(point(u), point(v));
                    improve(u, v, d, &mut ids, &mut distances);
                    improve(v, u, d, &mut ids, &mut distances);
                }
            }
        }
        if (updates as f64) < CONVERGED * (n * k) as f64 {
            break;
        }
    }
    Graph { k, ids, distances }
}

/// Adds `id` to a candidate list holding at most `cap`, as a reservoir
/// sample of the `seen` offered (a repeat is not offered twice).
fn offer(list: &mut Vec<u32>, seen: &mut u32, id: u32, cap: usize, rng: &mut fastrand::Rng) {
    if list.contains(&id) {
        return;
    }
    *seen += 1;
    if list.len() < cap {
        list.push(id);
    } else {
        let r = rng.u32(..*seen) as usize;
        if r < cap {
            list[r] = id;
        }
    }
}

/// Puts `id` at distance `d` into a row sorted nearest first if it is
/// nearer than the row's last and not there yet; whether it went in.
fn insert(ids: &mut [u32], distances: &mut [f32], new: &mut [bool], id: u32, d: f32) -> bool {
    let last = ids.len() - 1;
    if !(d < distances[last]) || ids.contains(&id) {
        return false;
    }
    let mut at = last;
    while at > 0 && distances[at - 1] > d {
        ids[at] = ids[at - 1];
        distances[at] = distances[at - 1];
        new[at] = new[at - 1];
        at -= 1;
    }
    ids[at] = id;
    distances[at] = d;
    new[at] = true;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` unit vectors around `groups` random centres (seeded).
    fn blobs(n: usize, dims: usize, groups: usize, seed: u64) -> Vec<f32> {
        let mut rng = fastrand::Rng::with_seed(seed);
        let centres: Vec<Vec<f32>> =
            (0..groups).map(|_| (0..dims).map(|_| rng.f32() * 2.0 - 1.0).collect()).collect();
        let mut data = Vec::with_capacity(n * dims);
        for i in 0..n {
            let row: Vec<f32> = centres[i % groups].iter().map(|c| c + 0.6 * (rng.f32() - 0.5)).collect();
            let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
            data.extend(row.iter().map(|x| x / norm));
        }
        data
    }

    #[test]
    fn descent_finds_most_of_the_exact_neighbours_and_is_deterministic() {
        let data = blobs(1500, 16, 12, 7);
        let exact = exact(&data, 16, 10);
        let approximate = descent(&data, 16, 10, 1);
        assert_eq!(approximate, descent(&data, 16, 10, 1));
        let found: usize = (0..exact.len())
            .map(|i| exact.row(i).0.iter().filter(|id| approximate.row(i).0.contains(id)).count())
            .sum();
        let recall = found as f64 / (exact.len() * 10) as f64;
        assert!(recall > 0.9, "recall {recall}");
        for i in 0..approximate.len() {
            let (ids, distances) = approximate.row(i);
            assert!(!ids.contains(&(i as u32)));
            assert!(distances.windows(2).all(|w| w[0] <= w[1]));
        }
    }

    #[test]
    fn small_inputs_give_what_there_is() {
        assert!(graph(&[], 4, 10, 0).is_empty());
        assert!(graph(&[1.0, 0.0], 2, 10, 0).is_empty());
        let two = graph(&[1.0, 0.0, 0.0, 1.0], 2, 10, 0);
        assert_eq!((two.k, two.ids.clone()), (1, vec![1, 0]));
    }
}
