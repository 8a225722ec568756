//! Paper vectors quantized to 8 bits: one signed byte per dimension and one
//! scale per paper, a nearest-neighbour scan, and compact bytes cut by paper
//! range (what a pack's shards will hold).
//!
//! # Bytes
//!
//! `FVEC`, version (1 byte), dims (u16 LE), first paper (u32 LE), papers
//! (u32 LE), then each paper's scale (f32 LE), then each paper's `dims`
//! codes (i8). A paper's vector is its codes times its scale, which makes
//! it unit-length (zero codes: a zero vector). 132 bytes a paper at 128
//! dimensions.

use std::ops::Range;

use thiserror::Error;

use super::{keep_best, Neighbour};

const MAGIC: &[u8; 4] = b"FVEC";
const VERSION: u8 = 1;
const HEADER: usize = 4 + 1 + 2 + 4 + 4;

/// Why bytes are not vectors.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VectorsError {
    #[error("not paper vectors (no FVEC header)")]
    NotVectors,
    #[error("paper vectors of version {0}, this build reads version {VERSION}")]
    Version(u8),
    #[error("paper vectors cut short or too long: {0} bytes for their header's {1}")]
    Length(usize, usize),
    #[error("paper vectors of {0} dimensions joined to vectors of {1}")]
    Dims(usize, usize),
    #[error("paper vectors of papers {0}.. joined after papers ..{1}")]
    Gap(usize, usize),
}

/// Quantized unit vectors of papers `first..first + len()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Vectors {
    dims: usize,
    first: usize,
    scales: Vec<f32>,
    codes: Vec<i8>,
}

impl Vectors {
    /// Quantizes `floats` (`dims` per paper): each paper's largest
    /// component becomes ±127 and its scale makes the codes unit-length.
    pub fn quantize(dims: usize, floats: &[f32]) -> Vectors {
        let dims = dims.max(1);
        let papers = floats.len() / dims;
        let mut vectors = Vectors { dims, first: 0, scales: Vec::with_capacity(papers), codes: Vec::new() };
        vectors.codes.reserve(papers * dims);
        for row in floats.chunks_exact(dims) {
            let largest = row.iter().fold(0f32, |m, x| m.max(x.abs()));
            let start = vectors.codes.len();
            if largest > 0.0 && largest.is_finite() {
                vectors.codes.extend(row.iter().map(|x| (x / largest * 127.0).round() as i8));
            } else {
                vectors.codes.extend(std::iter::repeat_n(0, dims));
            }
            let norm = vectors.codes[start..].iter().map(|&c| (c as f32) * (c as f32)).sum::<f32>().sqrt();
            vectors.scales.push(if norm > 0.0 { 1.0 / norm } else { 0.0 });
        }
        vectors
    }

    /// Papers held.
    pub fn len(&self) -> usize {
        self.scales.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scales.is_empty()
    }

    /// Dimensions of a vector.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// The corpus index of the first paper held.
    pub fn first(&self) -> usize {
        self.first
    }

    /// Paper `i`'s vector (by corpus index) as floats, unit-length or zero;
    /// `None` outside the papers held.
    pub fn get(&self, i: usize) -> Option<Vec<f32>> {
        let (scale, codes) = self.codes_of(i)?;
        Some(codes.iter().map(|&c| c as f32 * scale).collect())
    }

    fn codes_of(&self, i: usize) -> Option<(f32, &[i8])> {
        let local = i.checked_sub(self.first)?;
        let scale = *self.scales.get(local)?;
        Some((scale, &self.codes[local * self.dims..(local + 1) * self.dims]))
    }

    /// The cosine of papers `a` and `b` (0 if either is not held).
    pub fn cosine(&self, a: usize, b: usize) -> f32 {
        match (self.codes_of(a), self.codes_of(b)) {
            (Some((sa, ca)), Some((sb, cb))) => dot(ca, cb) as f32 * sa * sb,
            _ => 0.0,
        }
    }

    /// `w · v` of every paper's vector `v`, in order (a linear model's
    /// scores): the codes are scaled once per paper, not per dimension.
    pub fn scores(&self, w: &[f32]) -> Vec<f32> {
        self.scales
            .iter()
            .zip(self.codes.chunks_exact(self.dims))
            .map(|(&scale, codes)| codes.iter().zip(w).map(|(&c, &x)| c as f32 * x).sum::<f32>() * scale)
            .collect()
    }

    /// The `limit` papers held nearest to paper `paper` (cosine above 0),
    /// best first, ties by index; not the paper itself.
    pub fn nearest(&self, paper: usize, limit: usize) -> Vec<Neighbour> {
        let Some((scale, query)) = self.codes_of(paper) else { return Vec::new() };
        if scale == 0.0 || limit == 0 {
            return Vec::new();
        }
        let mut scored: Vec<(i32, u32)> = self
            .codes
            .chunks_exact(self.dims)
            .enumerate()
            .map(|(local, codes)| (dot(query, codes), local as u32))
            .filter(|&(d, local)| d > 0 && local as usize + self.first != paper)
            .collect();
        let score = |&(d, local): &(i32, u32)| d as f32 * self.scales[local as usize];
        let order = |a: &(i32, u32), b: &(i32, u32)| score(b).total_cmp(&score(a)).then(a.1.cmp(&b.1));
        keep_best(&mut scored, limit, order);
        scored
            .iter()
            .map(|s| Neighbour { paper: s.1 as usize + self.first, score: score(s) * scale })
            .collect()
    }

    /// The `limit` papers of `among` nearest to paper `paper` (cosine above
    /// 0), best first, ties by index: the liked papers a recommendation is
    /// closest to.
    pub fn closest(&self, paper: usize, among: impl IntoIterator<Item = usize>, limit: usize) -> Vec<usize> {
        let mut scored: Vec<(usize, f32)> = among
            .into_iter()
            .map(|other| (other, self.cosine(paper, other)))
            .filter(|&(_, c)| c > 0.0)
            .collect();
        keep_best(&mut scored, limit, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.into_iter().map(|(other, _)| other).collect()
    }

    /// The vectors of the papers of `range` (corpus indexes, clipped to the
    /// papers held).
    pub fn range(&self, range: Range<usize>) -> Vectors {
        let start = range.start.clamp(self.first, self.first + self.len()) - self.first;
        let end = range.end.clamp(self.first + start, self.first + self.len()) - self.first;
        Vectors {
            dims: self.dims,
            first: self.first + start,
            scales: self.scales[start..end].to_vec(),
            codes: self.codes[start * self.dims..end * self.dims].to_vec(),
        }
    }

    /// The vectors cut into runs of `papers` papers (the last shorter), in
    /// order: one per shard.
    pub fn split(&self, papers: usize) -> Vec<Vectors> {
        let step = papers.max(1);
        (0..self.len()).step_by(step).map(|s| self.range(self.first + s..self.first + s + step)).collect()
    }

    /// Runs of vectors joined back, each starting where the one before ends.
    pub fn join(parts: &[Vectors]) -> Result<Vectors, VectorsError> {
        let Some(head) = parts.first() else { return Ok(Vectors::quantize(1, &[])) };
        let mut joined = Vectors { scales: Vec::new(), codes: Vec::new(), ..*head };
        for part in parts {
            if part.dims != joined.dims {
                return Err(VectorsError::Dims(part.dims, joined.dims));
            }
            let end = joined.first + joined.len();
            if part.first != end {
                return Err(VectorsError::Gap(part.first, end));
            }
            joined.scales.extend_from_slice(&part.scales);
            joined.codes.extend_from_slice(&part.codes);
        }
        Ok(joined)
    }

    /// The bytes (format in the module doc).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + self.len() * (4 + self.dims));
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&(self.dims as u16).to_le_bytes());
        out.extend_from_slice(&(self.first as u32).to_le_bytes());
        out.extend_from_slice(&(self.len() as u32).to_le_bytes());
        for scale in &self.scales {
            out.extend_from_slice(&scale.to_le_bytes());
        }
        out.extend(self.codes.iter().map(|&c| c as u8));
        out
    }

    /// Vectors read back from [`Vectors::to_bytes`]; bytes of another
    /// version, cut short or too long are an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Vectors, VectorsError> {
        if bytes.len() < HEADER || &bytes[..4] != MAGIC {
            return Err(VectorsError::NotVectors);
        }
        if bytes[4] != VERSION {
            return Err(VectorsError::Version(bytes[4]));
        }
        let u32_at =
            |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
        let dims = u16::from_le_bytes([bytes[5], bytes[6]]) as usize;
        let (first, papers) = (u32_at(7), u32_at(11));
        let expected = papers.checked_mul(4 + dims).and_then(|b| b.checked_add(HEADER)).unwrap_or(usize::MAX);
        if dims == 0 || bytes.len() != expected {
            return Err(VectorsError::Length(bytes.len(), expected));
        }
        let scales = bytes[HEADER..HEADER + 4 * papers]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let codes = bytes[HEADER + 4 * papers..].iter().map(|&b| b as i8).collect();
        Ok(Vectors { dims, first, scales, codes })
    }
}

/// The integer dot product of two code rows (at most 256 x 127² fits i32).
fn dot(a: &[i8], b: &[i8]) -> i32 {
    a.iter().zip(b).map(|(&x, &y)| x as i32 * y as i32).sum()
}

/// Up to this many papers, [`Vectors::all_nearest`] scans every pair.
pub const EXACT_SCAN: usize = 5_000;
/// Clusters each paper is looked for in, by [`Vectors::all_nearest`] past
/// [`EXACT_SCAN`] papers.
const PROBES: usize = 4;

impl Vectors {
    /// Every paper's `limit` nearest papers (cosine above 0, best first,
    /// not itself), as [`Vectors::nearest`] gives them one by one: exactly
    /// up to [`EXACT_SCAN`] papers; past it, among the papers of the
    /// [`PROBES`] clusters nearest to it (an inverted-file search: `2√n`
    /// seeded papers are the clusters' centres, each paper joins its
    /// nearest centre's cluster), which costs about `n·(2√n + PROBES·√n/2)`
    /// dot products instead of `n²` (docs/discovery.md measures what it
    /// misses). The same vectors give the same lists.
    pub fn all_nearest(&self, limit: usize) -> Vec<Vec<Neighbour>> {
        let n = self.len();
        if n <= EXACT_SCAN {
            return (0..n).map(|i| self.nearest(self.first + i, limit)).collect();
        }
        let live: Vec<u32> = (0..n as u32).filter(|&i| self.scales[i as usize] > 0.0).collect();
        let centres = (2.0 * (n as f64).sqrt()) as usize;
        let mut rng = fastrand::Rng::with_seed(0xc105_7e25_u64 ^ n as u64);
        let mut chosen: Vec<u32> = Vec::with_capacity(centres);
        if !live.is_empty() {
            let mut picked = std::collections::HashSet::new();
            while chosen.len() < centres.min(live.len()) {
                let i = live[rng.usize(0..live.len())];
                if picked.insert(i) {
                    chosen.push(i);
                }
            }
        }
        let row = |i: u32| &self.codes[i as usize * self.dims..(i as usize + 1) * self.dims];
        // Each live paper's nearest centres, nearest first.
        let mut probes: Vec<[u32; PROBES]> = vec![[u32::MAX; PROBES]; n];
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); chosen.len()];
        for &i in &live {
            let mut best: [(i32, u32); PROBES] = [(i32::MIN, u32::MAX); PROBES];
            for (c, &centre) in chosen.iter().enumerate() {
                let d = dot(row(i), row(centre));
                if d > best[PROBES - 1].0 {
                    best[PROBES - 1] = (d, c as u32);
                    best.sort_unstable_by(|a, b| b.0.cmp(&a.0));
                }
            }
            probes[i as usize] = best.map(|(_, c)| c);
            if let Some(&(_, c)) = best.first().filter(|b| b.1 != u32::MAX) {
                members[c as usize].push(i);
            }
        }
        let mut out = Vec::with_capacity(n);
        let mut candidates: Vec<(i32, u32)> = Vec::new();
        for i in 0..n as u32 {
            let scale = self.scales[i as usize];
            candidates.clear();
            if scale > 0.0 && limit > 0 {
                for &c in probes[i as usize].iter().filter(|&&c| c != u32::MAX) {
                    for &j in &members[c as usize] {
                        let d = dot(row(i), row(j));
                        if d > 0 && j != i {
                            candidates.push((d, j));
                        }
                    }
                }
            }
            let score = |&(d, j): &(i32, u32)| d as f32 * self.scales[j as usize];
            let order = |a: &(i32, u32), b: &(i32, u32)| score(b).total_cmp(&score(a)).then(a.1.cmp(&b.1));
            keep_best(&mut candidates, limit, order);
            out.push(
                candidates
                    .iter()
                    .map(|s| Neighbour { paper: s.1 as usize + self.first, score: score(s) * scale })
                    .collect(),
            );
        }
        out
    }
}
