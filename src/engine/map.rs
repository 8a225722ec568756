//! The corpus map: every paper as a point of a 2D layout made from its
//! vector ([`discover::Vectors`](super::discover::Vectors)) at compile
//! time, clusters of nearby papers named by their keyphrases, and the
//! compact bytes a pack stores (issue 17).
//!
//! A point is two `u16` coordinates over the map's unit square (0 is the
//! left or top edge, 65535 the right or bottom one): 4 bytes a paper. The
//! layout ([`Method::Tsne`], the default) is a t-SNE of the papers'
//! nearest-neighbour graph by cosine ([`neighbours`]: exact for small
//! corpora, NN-descent above), through the bhtsne crate ([`embed`]),
//! started from the vectors' two leading latent axes, scaled to the square
//! with both axes alike (distances mean the same across and down). Papers
//! with a zero vector (nothing in common with the corpus) sit together at
//! the top left corner, in no cluster. Clusters are k-means regions of the
//! layout ([`clusters`]), each labeled by its most distinctive keyphrases
//! and entities, its label drawn at its most central paper. The same
//! vectors, papers and options give the same bytes. Figures: `docs/map.md`.
//!
//! # Bytes
//!
//! `FMAP`, version (1 byte), papers (u32 LE), clusters (u32 LE); each
//! paper's point (2 x u16 LE); each paper's cluster (u16 LE, `u16::MAX`
//! for none); each cluster: its centre (2 x u16 LE), its papers (u32 LE)
//! and its label (u16 LE length, UTF-8).

mod clusters;
mod embed;
pub mod neighbours;

use thiserror::Error;

use super::bundle::Paper;
use super::discover::Vectors;

/// Between the terms of a cluster's label.
pub const LABEL_SEPARATOR: &str = " · ";

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

/// How the layout is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// t-SNE of the nearest-neighbour graph (the map).
    Tsne,
    /// The vectors' two leading latent axes (the first step's placeholder,
    /// kept to measure the t-SNE against).
    LeadingAxes,
}

/// How a map is made. Out-of-range values are clamped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub method: Method,
    /// Neighbours of each paper the t-SNE keeps close, 5..=90; the
    /// perplexity is a third of it. More keep more of each subject
    /// together and cost time (NN-descent grows with its square).
    pub neighbours: usize,
    /// t-SNE steps, 100..=3000 (the first quarter, at most 250, with early
    /// exaggeration); its time is linear in them.
    pub epochs: usize,
    /// Clusters at most, 1..=1000 (fewer for small corpora: [`cluster_count`]).
    pub clusters: usize,
    /// Terms in a cluster's label, 1..=5.
    pub label_terms: usize,
    /// Seed of NN-descent's start and of k-means++.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            method: Method::Tsne,
            neighbours: 30,
            epochs: 750,
            clusters: 60,
            label_terms: 3,
            seed: 0x5eed_0017_3a90,
        }
    }
}

impl Options {
    fn clamped(self) -> Options {
        Options {
            neighbours: self.neighbours.clamp(5, 90),
            epochs: self.epochs.clamp(100, 3000),
            clusters: self.clusters.clamp(1, 1000),
            label_terms: self.label_terms.clamp(1, 5),
            ..self
        }
    }
}

/// How many clusters a map of `papers` placed papers has, with `most` at
/// most: about the square root of half of them (3 for 24 papers, 22 for
/// 1,000, 60 from 7,200 up by default).
pub fn cluster_count(papers: usize, most: usize) -> usize {
    clusters::count(papers, most)
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

/// Most vertices a lasso keeps ([`Polygon::simplified`]): enough to follow
/// a hand-drawn outline, few enough for a link (4 bytes each in the URL).
pub const LASSO_VERTICES: usize = 48;

/// A closed outline of the map in map units (a lasso): 3 to
/// [`LASSO_VERTICES`] vertices in order, the last joined to the first,
/// enclosing some area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Polygon {
    vertices: Vec<[u16; 2]>,
}

impl Polygon {
    /// The polygon through `vertices` (a repeated vertex counts once), if
    /// they are 3 to [`LASSO_VERTICES`] and enclose some area.
    pub fn new(mut vertices: Vec<[u16; 2]>) -> Option<Polygon> {
        vertices.dedup();
        while vertices.len() > 1 && vertices.first() == vertices.last() {
            vertices.pop();
        }
        let n = vertices.len();
        if !(3..=LASSO_VERTICES).contains(&n) {
            return None;
        }
        let twice_area: i64 = (0..n).map(|i| cross([0, 0], vertices[i], vertices[(i + 1) % n])).sum();
        (twice_area != 0).then_some(Polygon { vertices })
    }

    /// The outline of `path` (a lasso as drawn, any number of points)
    /// with at most `most` vertices (3..=[`LASSO_VERTICES`]): the vertex
    /// that adds the least area is dropped until few enough are left
    /// (Visvalingam and Whyatt's simplification), so the corners stay;
    /// a vertex that adds none (on the line between its neighbours) is
    /// always dropped.
    pub fn simplified(path: &[[u16; 2]], most: usize) -> Option<Polygon> {
        let most = most.clamp(3, LASSO_VERTICES);
        // A very long path is thinned first (every k-th point): each drop scans them all.
        let every = path.len().div_ceil(1024).max(1);
        let mut vertices: Vec<[u16; 2]> = path.iter().copied().step_by(every).collect();
        vertices.dedup();
        while vertices.len() > 1 && vertices.first() == vertices.last() {
            vertices.pop();
        }
        while vertices.len() > 3 {
            let n = vertices.len();
            let added = |i: usize| cross(vertices[(i + n - 1) % n], vertices[i], vertices[(i + 1) % n]).abs();
            let (area, least) = (0..n).map(|i| (added(i), i)).min().unwrap_or((0, 0));
            if n <= most && area > 0 {
                break;
            }
            vertices.remove(least);
        }
        Polygon::new(vertices)
    }

    /// Its vertices in order.
    pub fn vertices(&self) -> &[[u16; 2]] {
        &self.vertices
    }

    /// The smallest rectangle around it.
    pub fn bounds(&self) -> Rect {
        let mut rect = Rect { min: self.vertices[0], max: self.vertices[0] };
        for v in &self.vertices {
            for axis in 0..2 {
                rect.min[axis] = rect.min[axis].min(v[axis]);
                rect.max[axis] = rect.max[axis].max(v[axis]);
            }
        }
        rect
    }

    /// Whether `point` is inside (edges included; where the outline
    /// crosses itself, the parts it encloses an odd number of times).
    pub fn contains(&self, point: [u16; 2]) -> bool {
        let n = self.vertices.len();
        let [px, py] = point.map(i64::from);
        let mut inside = false;
        for i in 0..n {
            let (a, b) = (self.vertices[i], self.vertices[(i + 1) % n]);
            let c = cross(a, b, point);
            let [ax, ay] = a.map(i64::from);
            let [bx, by] = b.map(i64::from);
            if c == 0 && ax.min(bx) <= px && px <= ax.max(bx) && ay.min(by) <= py && py <= ay.max(by) {
                return true;
            }
            // The edge crosses the ray from the point to the right.
            if (ay > py) != (by > py) && (by > ay) == (c > 0) {
                inside = !inside;
            }
        }
        inside
    }
}

/// The cross product of `b - a` and `c - a`: positive when `c` is to the
/// left of `a` to `b` (y down: clockwise on screen), zero on its line.
fn cross(a: [u16; 2], b: [u16; 2], c: [u16; 2]) -> i64 {
    let [ax, ay] = a.map(i64::from);
    let [bx, by] = b.map(i64::from);
    let [cx, cy] = c.map(i64::from);
    (bx - ax) * (cy - ay) - (cx - ax) * (by - ay)
}

/// A way to step from a point of the map to the next one (arrow keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Left,
    Right,
    Up,
    Down,
}

impl Direction {
    /// The unit step in map units (y grows downwards).
    fn unit(self) -> [i64; 2] {
        match self {
            Direction::Left => [-1, 0],
            Direction::Right => [1, 0],
            Direction::Up => [0, -1],
            Direction::Down => [0, 1],
        }
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
        Layout::build_with(vectors, papers, &Options::default())
    }

    /// [`Layout::build`] with other options.
    pub fn build_with(vectors: &Vectors, papers: &[Paper], options: &Options) -> Layout {
        let options = options.clamped();
        let dims = vectors.dims();
        // The papers with a vector, and their vectors in one block.
        let mut placed: Vec<usize> = Vec::new();
        let mut data: Vec<f32> = Vec::new();
        for i in 0..vectors.len() {
            if let Some(v) = vectors.get(vectors.first() + i) {
                if v.len() == dims && v.iter().any(|&x| x != 0.0) && v.iter().all(|x| x.is_finite()) {
                    placed.push(i);
                    data.extend_from_slice(&v);
                }
            }
        }
        let leading: Vec<[f32; 2]> =
            data.chunks_exact(dims.max(1)).map(|v| [v[0], v.get(1).copied().unwrap_or(0.0)]).collect();
        let floats = match options.method {
            Method::LeadingAxes => leading,
            Method::Tsne => {
                let graph = neighbours::graph(&data, dims, options.neighbours, options.seed);
                drop(data);
                embed::tsne(&graph, &leading, options.epochs)
            }
        };
        let placed_points = to_square(&floats);
        let mut points = vec![[0u16; 2]; vectors.len()];
        for (&i, &p) in placed.iter().zip(&placed_points) {
            points[i] = p;
        }

        // Clusters: k-means of the placed papers' points, in map units.
        let units: Vec<[f32; 2]> = placed_points.iter().map(|p| [f32::from(p[0]), f32::from(p[1])]).collect();
        let k = clusters::count(placed.len(), options.clusters);
        let (assignment, means) = clusters::kmeans(&units, k, options.seed);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); means.len()];
        for (local, &c) in assignment.iter().enumerate() {
            members[c].push(local);
        }
        let no_paper = Paper::default();
        let placed_papers: Vec<&Paper> = placed.iter().map(|&i| papers.get(i).unwrap_or(&no_paper)).collect();
        let terms = clusters::labels(&placed_papers, &members, options.label_terms);
        let mut cluster_of = vec![NO_CLUSTER; vectors.len()];
        for (&i, &c) in placed.iter().zip(&assignment) {
            cluster_of[i] = c as u16;
        }
        let clusters = members
            .iter()
            .zip(&means)
            .zip(terms)
            .map(|((inside, mean), terms)| {
                // The label goes on the paper nearest the mean: a mean can
                // fall between the arms of a curved cluster.
                let central = inside
                    .iter()
                    .copied()
                    .min_by(|&a, &b| {
                        distance2(units[a], *mean).total_cmp(&distance2(units[b], *mean)).then(a.cmp(&b))
                    })
                    .unwrap_or(0);
                let label = if terms.is_empty() {
                    // No keyphrase nor entity in the cluster: its central paper's title.
                    placed_papers.get(central).map_or(String::new(), |p| shorten(&p.title, 48))
                } else {
                    terms.join(LABEL_SEPARATOR)
                };
                Cluster {
                    label,
                    center: placed_points.get(central).copied().unwrap_or([u16::MAX / 2; 2]),
                    papers: inside.len() as u32,
                }
            })
            .collect();
        Layout { points, cluster_of, clusters }
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

    /// Whether paper `paper` has a place on the map: a paper with nothing
    /// in common with the corpus (a zero vector) sits in the corner in no
    /// cluster, and is no part of any region.
    pub fn is_placed(&self, paper: usize) -> bool {
        paper < self.points.len() && (self.clusters.is_empty() || self.cluster_of(paper).is_some())
    }

    /// The placed papers whose points are inside `rect`, in paper order.
    pub fn inside(&self, rect: Rect) -> Vec<u32> {
        (0..self.points.len() as u32)
            .filter(|&i| rect.contains(self.points[i as usize]) && self.is_placed(i as usize))
            .collect()
    }

    /// The placed papers whose points are inside `polygon` (a lasso), in
    /// paper order.
    pub fn inside_polygon(&self, polygon: &Polygon) -> Vec<u32> {
        let bounds = polygon.bounds();
        (0..self.points.len() as u32)
            .filter(|&i| {
                let point = self.points[i as usize];
                bounds.contains(point) && polygon.contains(point) && self.is_placed(i as usize)
            })
            .collect()
    }

    /// How many papers have no place on the map (see [`Layout::is_placed`]).
    pub fn unplaced(&self) -> usize {
        (0..self.points.len()).filter(|&i| !self.is_placed(i)).count()
    }

    /// The placed paper nearest to `at` (map units) among those `among`
    /// keeps; ties go to the first.
    pub fn closest(&self, at: [u16; 2], among: impl Fn(usize) -> bool) -> Option<u32> {
        let [x, y] = at.map(i64::from);
        (0..self.points.len())
            .filter(|&i| self.is_placed(i) && among(i))
            .min_by_key(|&i| {
                let [px, py] = self.points[i].map(i64::from);
                ((px - x).pow(2) + (py - y).pow(2), i)
            })
            .map(|i| i as u32)
    }

    /// The paper an arrow key goes to from paper `from`: the nearest placed
    /// paper `among` keeps in `direction`, within 63° of it on either side
    /// (at most twice as far across as along), the distance across counted
    /// twice (so the point straight ahead wins over one as near aside);
    /// none when there is none that way. Ties go to the first.
    pub fn step(&self, from: usize, direction: Direction, among: impl Fn(usize) -> bool) -> Option<u32> {
        let origin = self.points.get(from)?.map(i64::from);
        let [ux, uy] = direction.unit();
        (0..self.points.len())
            .filter(|&i| i != from && self.is_placed(i) && among(i))
            .filter_map(|i| {
                let [px, py] = self.points[i].map(i64::from);
                let (dx, dy) = (px - origin[0], py - origin[1]);
                let along = dx * ux + dy * uy;
                let across = (dx * uy - dy * ux).abs();
                (along > 0 && across <= 2 * along).then_some((along * along + 4 * across * across, i))
            })
            .min()
            .map(|(_, i)| i as u32)
    }

    /// The smallest rectangle holding every paper of cluster `cluster`
    /// (none for a cluster the map does not have): what the map shows when
    /// the cluster is chosen.
    pub fn bounds(&self, cluster: usize) -> Option<Rect> {
        let mut rect: Option<Rect> = None;
        for &paper in &self.members(cluster) {
            let point = self.points[paper as usize];
            let r = rect.get_or_insert(Rect { min: point, max: point });
            for axis in 0..2 {
                r.min[axis] = r.min[axis].min(point[axis]);
                r.max[axis] = r.max[axis].max(point[axis]);
            }
        }
        rect
    }

    /// The papers of cluster `cluster`, in paper order (none for a
    /// cluster the map does not have).
    pub fn members(&self, cluster: usize) -> Vec<u32> {
        (0..self.points.len() as u32).filter(|&i| self.cluster_of(i as usize) == Some(cluster)).collect()
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

/// Points spread over the map's square, both axes by one scale (the wider
/// axis spans it; the other is centred); all at the centre when they do
/// not spread.
fn to_square(points: &[[f32; 2]]) -> Vec<[u16; 2]> {
    let mut low = [f32::INFINITY; 2];
    let mut high = [f32::NEG_INFINITY; 2];
    for p in points {
        for axis in 0..2 {
            low[axis] = low[axis].min(p[axis]);
            high[axis] = high[axis].max(p[axis]);
        }
    }
    let span = (high[0] - low[0]).max(high[1] - low[1]);
    let full = f32::from(u16::MAX);
    if !(span > 0.0) || !span.is_finite() {
        return vec![[u16::MAX / 2; 2]; points.len()];
    }
    let offset = [(span - (high[0] - low[0])) / 2.0, (span - (high[1] - low[1])) / 2.0];
    points
        .iter()
        .map(|p| {
            let unit = |axis: usize| {
                ((p[axis] - low[axis] + offset[axis]) / span * full).round().clamp(0.0, full) as u16
            };
            [unit(0), unit(1)]
        })
        .collect()
}

fn distance2(a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

/// `text` cut to about `chars` characters at a word, with an ellipsis.
fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(chars).collect();
    let at_word = cut.rfind(' ').filter(|&i| i > chars / 2).map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end())
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

    fn layout() -> Layout {
        Layout {
            points: vec![[0, 0], [10, 20], [u16::MAX, 7]],
            cluster_of: vec![0, NO_CLUSTER, 1],
            clusters: vec![
                Cluster { label: "decoding · drafts".into(), center: [10, 20], papers: 1 },
                Cluster { label: "ß · 語".into(), center: [u16::MAX, 0], papers: 1 },
            ],
        }
    }

    #[test]
    fn bytes_round_trip_and_damage_is_refused() {
        let layout = layout();
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
        let mut version = bytes.clone();
        version[4] = 9;
        assert_eq!(Layout::from_bytes(&version), Err(MapError::Version(9)));
        let mut magic = bytes.clone();
        magic[0] = b'X';
        assert_eq!(Layout::from_bytes(&magic), Err(MapError::NotMap));
        // A paper's cluster past the clusters there are.
        let mut cluster = bytes;
        let at = 13 + 3 * 4;
        cluster[at..at + 2].copy_from_slice(&2u16.to_le_bytes());
        assert!(matches!(Layout::from_bytes(&cluster), Err(MapError::Malformed(_))));
    }

    #[test]
    fn points_keep_their_proportions_on_the_square() {
        let square = to_square(&[[0.0, 0.0], [2.0, 1.0], [1.0, 0.5]]);
        assert_eq!(square, vec![[0, 16384], [u16::MAX, 49151], [32768, 32768]]);
        assert_eq!(to_square(&[[1.0, 1.0], [1.0, 1.0]]), vec![[u16::MAX / 2; 2]; 2]);
        assert_eq!(to_square(&[]), Vec::<[u16; 2]>::new());
    }

    /// A map of `points`, every one placed (no clusters).
    fn of(points: &[[u16; 2]]) -> Layout {
        Layout { points: points.to_vec(), cluster_of: vec![NO_CLUSTER; points.len()], clusters: Vec::new() }
    }

    fn polygon(vertices: &[[u16; 2]]) -> Polygon {
        Polygon::new(vertices.to_vec()).expect("a polygon")
    }

    #[test]
    fn a_lasso_holds_exactly_the_papers_inside_its_outline() {
        // An L: the square 0..100 without its top right quarter.
        let l = polygon(&[[0, 0], [50, 0], [50, 50], [100, 50], [100, 100], [0, 100]]);
        let layout = of(&[[10, 10], [75, 25], [75, 75], [25, 75], [50, 25], [100, 100], [101, 50], [60, 49]]);
        // Inside, in the missing quarter, inside, inside, on an edge, a
        // corner, just outside, just outside the inner corner.
        assert_eq!(layout.inside_polygon(&l), vec![0, 2, 3, 4, 5]);
        // The box around it would take the missing quarter's too.
        assert_eq!(layout.inside(l.bounds()), vec![0, 1, 2, 3, 4, 5, 7]);
        // Drawn the other way round, the same papers.
        let reversed: Vec<[u16; 2]> = l.vertices().iter().rev().copied().collect();
        assert_eq!(layout.inside_polygon(&polygon(&reversed)), vec![0, 2, 3, 4, 5]);
    }

    #[test]
    fn a_lasso_leaves_out_papers_with_no_place() {
        let layout = layout();
        let all = polygon(&[[0, 0], [u16::MAX, 0], [u16::MAX, u16::MAX], [0, u16::MAX]]);
        assert_eq!(layout.inside_polygon(&all), vec![0, 2]);
        assert_eq!(layout.unplaced(), 1);
        assert_eq!(of(&[[1, 1]]).unplaced(), 0);
        assert_eq!(Layout::default().inside_polygon(&all), Vec::<u32>::new());
    }

    #[test]
    fn a_polygon_needs_three_corners_and_some_area() {
        assert_eq!(Polygon::new(vec![[0, 0], [10, 0]]), None);
        assert_eq!(Polygon::new(vec![[0, 0], [10, 10], [20, 20]]), None, "on one line");
        assert_eq!(Polygon::new(vec![[0, 0], [0, 0], [10, 0], [10, 0], [0, 0]]), None, "repeats count once");
        assert_eq!(Polygon::new(vec![[5, 5]; 4]), None);
        assert_eq!(Polygon::new(Vec::new()), None);
        let square = Polygon::new(vec![[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]).expect("a square");
        assert_eq!(square.vertices().len(), 4, "closing vertex dropped");
        assert_eq!(Polygon::new(vec![[0, 0]; LASSO_VERTICES + 1]), None);
        let many: Vec<[u16; 2]> = (0..=LASSO_VERTICES as u16).map(|i| [i, i * i]).collect();
        assert_eq!(Polygon::new(many), None, "too many vertices");
    }

    #[test]
    fn a_drawn_lasso_is_simplified_keeping_its_corners() {
        // A square drawn with a point every unit of each side: 400 points.
        let mut path = Vec::new();
        for i in 0..100u16 {
            path.push([100 + i, 100]);
        }
        for i in 0..100u16 {
            path.push([200, 100 + i]);
        }
        for i in 0..100u16 {
            path.push([200 - i, 200]);
        }
        for i in 0..100u16 {
            path.push([100, 200 - i]);
        }
        let square = Polygon::simplified(&path, 8).expect("a square");
        assert_eq!(square.vertices().len(), 4, "the points along the sides add nothing");
        for corner in [[100, 100], [200, 100], [200, 200], [100, 200]] {
            assert!(square.vertices().contains(&corner), "{corner:?} kept");
        }
        assert_eq!(of(&[[150, 150], [99, 150], [201, 201]]).inside_polygon(&square), vec![0]);
        // Asked for fewer than 3, or more than the most, is clamped.
        assert_eq!(Polygon::simplified(&path, 0).map(|p| p.vertices().len()), Some(3));
        assert!(Polygon::simplified(&path, 10_000).expect("a square").vertices().len() <= LASSO_VERTICES);
        // A click, a line: no lasso.
        assert_eq!(Polygon::simplified(&[[5, 5]; 30], 8), None);
        assert_eq!(Polygon::simplified(&[[0, 0], [10, 10], [20, 20]], 8), None);
        assert_eq!(Polygon::simplified(&[], 8), None);
        // A long scribble stays bounded.
        let scribble: Vec<[u16; 2]> =
            (0..50_000u64).map(|i| [(i * 7919 % 65_536) as u16, (i * 104_729 % 65_536) as u16]).collect();
        assert!(
            Polygon::simplified(&scribble, LASSO_VERTICES).expect("a lasso").vertices().len()
                <= LASSO_VERTICES
        );
    }

    #[test]
    fn arrow_keys_step_to_the_nearest_paper_that_way() {
        //   0 . 1
        //   . 2 . 3
        //   4
        let map = of(&[[0, 0], [20, 0], [10, 10], [30, 10], [0, 20]]);
        let all = |_: usize| true;
        assert_eq!(map.step(0, Direction::Right, all), Some(1));
        assert_eq!(map.step(0, Direction::Down, all), Some(4), "straight down beats the diagonal");
        assert_eq!(map.step(2, Direction::Right, all), Some(3));
        assert_eq!(map.step(2, Direction::Up, all), Some(0), "ties go to the first");
        assert_eq!(map.step(0, Direction::Left, all), None, "nothing that way");
        assert_eq!(map.step(0, Direction::Up, all), None);
        assert_eq!(map.step(3, Direction::Down, all), None, "too far aside");
        assert_eq!(map.step(0, Direction::Right, |i| i != 1), Some(2), "only the papers kept");
        assert_eq!(map.step(99, Direction::Right, all), None);
        assert_eq!(map.closest([28, 12], all), Some(3));
        assert_eq!(map.closest([28, 12], |i| i < 3), Some(1));
        assert_eq!(map.closest([28, 12], |_| false), None);
        // Papers with no place are never stepped to.
        let unplaced = layout();
        assert_eq!(unplaced.step(0, Direction::Right, all), Some(2));
        assert_eq!(unplaced.closest([10, 20], all), Some(0));
    }

    #[test]
    fn titles_shorten_at_a_word() {
        assert_eq!(shorten("Short title", 48), "Short title");
        assert_eq!(shorten("Attention is all you need in every single place", 20), "Attention is all…");
    }
}
