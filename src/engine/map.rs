//! The corpus map: every paper as a point of a 2D layout made from its
//! vector ([`discover::Vectors`](super::discover::Vectors)) at compile
//! time, clusters of nearby papers named by their keyphrases, and the
//! compact bytes a pack stores (issue 17).
//!
//! A point is two `u16` coordinates over the map's unit square (0 is the
//! left or top edge, 65535 the right or bottom one): 4 bytes a paper. The
//! layout here is the first step's: the papers' two leading latent
//! dimensions (the truncated SVD's first two axes, which order the vectors'
//! components), spread over the square. Papers with a zero vector (nothing
//! in common with the corpus) sit at the centre.
//!
//! # Bytes
//!
//! `FMAP`, version (1 byte), papers (u32 LE), clusters (u32 LE); each
//! paper's point (2 x u16 LE); each paper's cluster (u16 LE, `u16::MAX`
//! for none); each cluster: its centre (2 x u16 LE), its papers (u32 LE)
//! and its label (u16 LE length, UTF-8).

use thiserror::Error;

use super::bundle::Paper;
use super::discover::Vectors;

const MAGIC: &[u8; 4] = b"FMAP";
const VERSION: u8 = 1;
const NO_CLUSTER: u16 = u16::MAX;

/// Why bytes are not a map.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MapError {
    #[error("not a corpus map (no FMAP header)")]
    NotMap,
    #[error("a corpus map of version {0}, this build reads version {VERSION}")]
    Version(u8),
    #[error("a corpus map cut short or malformed at byte {0}")]
    Malformed(usize),
}

/// A named group of nearby papers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Its top keyphrases, e.g. `speculative decoding · draft models`.
    pub label: String,
    /// Where its label is drawn, in map units.
    pub center: [u16; 2],
    /// How many papers it holds.
    pub papers: u32,
}

/// A rectangle of the map, in map units, edges included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub min: [u16; 2],
    pub max: [u16; 2],
}

impl Rect {
    pub fn contains(&self, point: [u16; 2]) -> bool {
        (0..2).all(|axis| self.min[axis] <= point[axis] && point[axis] <= self.max[axis])
    }
}

/// The map of a corpus: a point and a cluster for each paper, in paper
/// order, and the clusters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    points: Vec<[u16; 2]>,
    cluster_of: Vec<u16>,
    clusters: Vec<Cluster>,
}

impl Layout {
    /// The map of the papers whose vectors are `vectors` (`papers` gives
    /// the keyphrases clusters are named by; its order is the vectors').
    pub fn build(vectors: &Vectors, papers: &[Paper]) -> Layout {
        let _ = papers;
        let raw: Vec<Option<[f32; 2]>> = (0..vectors.len())
            .map(|i| {
                let v = vectors.get(vectors.first() + i)?;
                (v.len() >= 2 && v.iter().any(|&x| x != 0.0)).then(|| [v[0], v[1]])
            })
            .collect();
        let mut low = [f32::INFINITY; 2];
        let mut high = [f32::NEG_INFINITY; 2];
        for point in raw.iter().flatten() {
            for axis in 0..2 {
                low[axis] = low[axis].min(point[axis]);
                high[axis] = high[axis].max(point[axis]);
            }
        }
        let scale = |x: f32, axis: usize| -> u16 {
            let span = high[axis] - low[axis];
            if !(span > 0.0) {
                return u16::MAX / 2;
            }
            ((x - low[axis]) / span * f32::from(u16::MAX)).round().clamp(0.0, f32::from(u16::MAX)) as u16
        };
        let points = raw
            .iter()
            .map(|p| p.map_or([u16::MAX / 2; 2], |[x, y]| [scale(x, 0), scale(y, 1)]))
            .collect::<Vec<_>>();
        let cluster_of = vec![NO_CLUSTER; points.len()];
        Layout { points, cluster_of, clusters: Vec::new() }
    }

    /// Papers on the map.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Every paper's point, in paper order.
    pub fn points(&self) -> &[[u16; 2]] {
        &self.points
    }

    /// The cluster of paper `paper`, as an index into [`Layout::clusters`].
    pub fn cluster_of(&self, paper: usize) -> Option<usize> {
        self.cluster_of.get(paper).filter(|&&c| c != NO_CLUSTER).map(|&c| usize::from(c))
    }

    pub fn clusters(&self) -> &[Cluster] {
        &self.clusters
    }

    /// The papers whose points are inside `rect`, in paper order.
    pub fn inside(&self, rect: Rect) -> Vec<u32> {
        (0..self.points.len() as u32).filter(|&i| rect.contains(self.points[i as usize])).collect()
    }

    /// The map as bytes (see the module's docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(13 + self.points.len() * 6);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&(self.points.len() as u32).to_le_bytes());
        out.extend_from_slice(&(self.clusters.len() as u32).to_le_bytes());
        for [x, y] in &self.points {
            out.extend_from_slice(&x.to_le_bytes());
            out.extend_from_slice(&y.to_le_bytes());
        }
        for cluster in &self.cluster_of {
            out.extend_from_slice(&cluster.to_le_bytes());
        }
        for cluster in &self.clusters {
            out.extend_from_slice(&cluster.center[0].to_le_bytes());
            out.extend_from_slice(&cluster.center[1].to_le_bytes());
            out.extend_from_slice(&cluster.papers.to_le_bytes());
            let label = truncate(&cluster.label, usize::from(u16::MAX));
            out.extend_from_slice(&(label.len() as u16).to_le_bytes());
            out.extend_from_slice(label.as_bytes());
        }
        out
    }

    /// A map read back from [`Layout::to_bytes`]; anything else is an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Layout, MapError> {
        if bytes.get(..4) != Some(&MAGIC[..]) {
            return Err(MapError::NotMap);
        }
        let mut reader = Reader { bytes, at: 4 };
        let version = reader.take(1)?[0];
        if version != VERSION {
            return Err(MapError::Version(version));
        }
        let papers = reader.u32()? as usize;
        let clusters = reader.u32()? as usize;
        // Lengths are checked against what is left before anything is reserved.
        if papers.saturating_mul(6) > bytes.len() || clusters.saturating_mul(10) > bytes.len() {
            return Err(MapError::Malformed(reader.at));
        }
        let points =
            (0..papers).map(|_| Ok([reader.u16()?, reader.u16()?])).collect::<Result<Vec<_>, _>>()?;
        let cluster_of = (0..papers).map(|_| reader.u16()).collect::<Result<Vec<_>, _>>()?;
        let clusters = (0..clusters)
            .map(|_| {
                let center = [reader.u16()?, reader.u16()?];
                let papers = reader.u32()?;
                let length = usize::from(reader.u16()?);
                let at = reader.at;
                let label = std::str::from_utf8(reader.take(length)?).map_err(|_| MapError::Malformed(at))?;
                Ok(Cluster { label: label.to_owned(), center, papers })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if reader.at != bytes.len()
            || cluster_of.iter().any(|&c| c != NO_CLUSTER && usize::from(c) >= clusters.len())
        {
            return Err(MapError::Malformed(reader.at));
        }
        Ok(Layout { points, cluster_of, clusters })
    }
}

/// `text` cut to at most `bytes` bytes at a character boundary.
fn truncate(text: &str, bytes: usize) -> &str {
    let mut end = text.len().min(bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], MapError> {
        let slice = self.bytes.get(self.at..self.at + n).ok_or(MapError::Malformed(self.at))?;
        self.at += n;
        Ok(slice)
    }

    fn u16(&mut self) -> Result<u16, MapError> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().expect("two bytes")))
    }

    fn u32(&mut self) -> Result<u32, MapError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("four bytes")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::discover::{Discovery, Options};

    fn seed_layout() -> (Layout, usize) {
        use crate::engine::compile::{compile, CompileOptions, Input};
        let bytes = include_bytes!("../../corpus/000_aec88eee982df8fa.txt");
        let input = Input { name: "seed.txt", bytes };
        let bundle = compile(&[input], &CompileOptions::default()).bundle.expect("the seed compiles");
        let discovery = Discovery::build(&bundle.papers, &Options { dims: 16, ..Options::default() });
        (Layout::build(&discovery.vectors, &bundle.papers), bundle.papers.len())
    }

    #[test]
    fn every_paper_gets_a_point_and_the_points_span_the_square() {
        let (layout, papers) = seed_layout();
        assert_eq!(layout.len(), papers);
        let xs: Vec<u16> = layout.points().iter().map(|p| p[0]).collect();
        assert_eq!(xs.iter().min(), Some(&0));
        assert_eq!(xs.iter().max(), Some(&u16::MAX));
        let everything = Rect { min: [0, 0], max: [u16::MAX, u16::MAX] };
        assert_eq!(layout.inside(everything).len(), papers);
        let left = Rect { min: [0, 0], max: [u16::MAX / 2, u16::MAX] };
        let some = layout.inside(left).len();
        assert!(some > 0 && some < papers, "{some} of {papers} papers on the left half");
    }

    #[test]
    fn bytes_round_trip_and_damage_is_refused() {
        let (mut layout, _) = seed_layout();
        layout.clusters.push(Cluster { label: "decoding · drafts".into(), center: [10, 20], papers: 1 });
        layout.cluster_of[0] = 0;
        let bytes = layout.to_bytes();
        assert_eq!(Layout::from_bytes(&bytes), Ok(layout.clone()));
        assert_eq!(layout.cluster_of(0), Some(0));
        assert_eq!(layout.cluster_of(1), None);
        for cut in [0, 3, 5, 12, bytes.len() - 1] {
            assert!(Layout::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Layout::from_bytes(&longer).is_err());
        let mut version = bytes;
        version[4] = 9;
        assert_eq!(Layout::from_bytes(&version), Err(MapError::Version(9)));
    }
}
