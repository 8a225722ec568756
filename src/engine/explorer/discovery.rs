//! What the explorer holds of discovery (issue 17): the paper vectors and
//! the corpus map a pack ships, whole or as shards fetched when asked, and
//! the last trained classifier (a "recommended for" order is asked again
//! at every keystroke; training is the costly part).

use std::sync::{Arc, Mutex, PoisonError};

use crate::engine::discover::{Classifier, Model, Shipped, Vectors};
use crate::engine::map::Layout;
use crate::engine::pack::shards::{Reads, Shard, ShardEntry, ShardId, ShardKind};
use crate::engine::pack::PackError;

/// The vectors and the map of a corpus, when its pack has them.
#[derive(Default)]
pub(super) struct Discovered {
    vectors: Option<Vectors>,
    map: Option<Layout>,
    sharded: Option<Shards>,
    /// The classifier last trained: its liked and disliked papers and its
    /// probabilities for every paper.
    model: Mutex<Option<Trained>>,
}

pub(super) struct Trained {
    pub like: Vec<u32>,
    pub unlike: Vec<u32>,
    pub model: Arc<Model>,
    pub probabilities: Arc<Vec<f32>>,
}

/// A sharded pack's vector and map shards.
struct Shards {
    papers: usize,
    /// Papers per vector shard (the last holds the rest).
    per_shard: usize,
    vectors: Vec<ShardEntry>,
    parts: Vec<Option<Vectors>>,
    map: Vec<ShardEntry>,
    reads: Arc<Reads>,
}

impl Discovered {
    /// A whole corpus's: `shipped` when it is of its `papers` papers
    /// (anything else is left out: the corpus has no discovery).
    pub fn whole(shipped: Option<Shipped>, papers: usize) -> Discovered {
        let Some(Shipped { vectors, map }) = shipped else { return Discovered::default() };
        let vectors = (vectors.len() == papers && vectors.first() == 0).then_some(vectors);
        let map = (map.len() == papers).then_some(map);
        Discovered { vectors, map, ..Default::default() }
    }

    /// A whole pack's, from its bytes (empty: none); refused when they do
    /// not read or are not of `papers` papers.
    pub fn from_bytes(vectors: &[u8], map: &[u8], papers: usize) -> Result<Discovered, PackError> {
        let malformed = |what: &str| PackError::Malformed(format!("{what} do not match its {papers} papers"));
        let vectors = match vectors.is_empty() {
            true => None,
            false => Some(Vectors::from_bytes(vectors).map_err(|e| PackError::Malformed(e.to_string()))?),
        };
        if vectors.as_ref().is_some_and(|v| v.len() != papers || v.first() != 0) {
            return Err(malformed("the paper vectors"));
        }
        let map = match map.is_empty() {
            true => None,
            false => Some(Layout::from_bytes(map).map_err(|e| PackError::Malformed(e.to_string()))?),
        };
        if map.as_ref().is_some_and(|m| m.len() != papers) {
            return Err(malformed("the corpus map's points"));
        }
        Ok(Discovered { vectors, map, ..Default::default() })
    }

    /// A sharded pack's, from its head's tables: `per_shard` papers a
    /// vector shard; refused when the tables disagree with `papers`.
    pub fn sharded(
        papers: usize,
        per_shard: usize,
        vectors: Vec<ShardEntry>,
        map: Vec<ShardEntry>,
        reads: Arc<Reads>,
    ) -> Result<Discovered, PackError> {
        let expected = if vectors.is_empty() || papers == 0 { 0 } else { papers.div_ceil(per_shard.max(1)) };
        let keyed = |table: &[ShardEntry]| table.iter().zip(0u32..).all(|(e, k)| e.first == k);
        if vectors.len() != expected || !keyed(&vectors) || map.len() > 1 || !keyed(&map) {
            return Err(PackError::Malformed(format!(
                "the vectors' or the map's shard table does not match its {papers} papers"
            )));
        }
        let parts = vec![None; vectors.len()];
        let shards = Shards { papers, per_shard: per_shard.max(1), vectors, parts, map, reads };
        Ok(Discovered { sharded: Some(shards), ..Default::default() })
    }

    /// The vectors and the map, to write a pack (none for a sharded
    /// pack's explorer).
    pub fn shipped(&self) -> (Option<&Vectors>, Option<&Layout>) {
        (self.vectors.as_ref(), self.map.as_ref())
    }

    /// Whether the corpus has paper vectors (held or in shards).
    pub fn has_vectors(&self) -> bool {
        self.vectors.is_some() || self.sharded.as_ref().is_some_and(|s| !s.vectors.is_empty())
    }

    /// Whether the corpus has a map (held or in a shard).
    pub fn has_map(&self) -> bool {
        self.map.is_some() || self.sharded.as_ref().is_some_and(|s| !s.map.is_empty())
    }

    /// The vectors, or `None` (each missing shard noted as a missing read)
    /// while a vector shard is not held, or when there are none.
    pub fn vectors(&self) -> Option<&Vectors> {
        if self.vectors.is_none() {
            for id in self.missing_vectors() {
                self.sharded.as_ref()?.reads.missed(id);
            }
        }
        self.vectors.as_ref()
    }

    /// The map, or `None` (its shard noted as a missing read) while its
    /// shard is not held, or when there is none.
    pub fn map(&self) -> Option<&Layout> {
        if self.map.is_none() {
            for id in self.missing_map() {
                self.sharded.as_ref()?.reads.missed(id);
            }
        }
        self.map.as_ref()
    }

    /// The vector shards not held.
    pub fn missing_vectors(&self) -> Vec<ShardId> {
        let Some(shards) = self.sharded.as_ref().filter(|_| self.vectors.is_none()) else {
            return Vec::new();
        };
        let missing = shards.parts.iter().zip(0u32..).filter(|(part, _)| part.is_none());
        missing.map(|(_, number)| ShardId { kind: ShardKind::Vectors, number }).collect()
    }

    /// The map's shard, when not held.
    pub fn missing_map(&self) -> Vec<ShardId> {
        let Some(shards) = self.sharded.as_ref().filter(|_| self.map.is_none()) else { return Vec::new() };
        (0..shards.map.len() as u32).map(|number| ShardId { kind: ShardKind::Map, number }).collect()
    }

    /// Whether shard `id` (a vector or map shard) is held.
    pub fn has(&self, id: ShardId) -> bool {
        match id.kind {
            ShardKind::Vectors => {
                self.vectors.is_some()
                    || self
                        .sharded
                        .as_ref()
                        .is_some_and(|s| s.parts.get(id.number as usize).is_some_and(Option::is_some))
            }
            ShardKind::Map => self.map.is_some(),
            _ => false,
        }
    }

    /// Takes a vector or map shard (checked against the head's table by
    /// the caller): refused unless it holds what the head says (its paper
    /// range, the same dimensions as the others, a point per paper). Once
    /// every vector shard is in they are joined and kept (until
    /// [`Discovered::clear`]): not in the shard cache, as every paper's
    /// vector is read by each recommendation.
    pub fn add(&mut self, id: ShardId, shard: &Shard) -> Result<(), PackError> {
        let shards = self.sharded.as_mut().ok_or(PackError::UnknownShard(id))?;
        let malformed = |what: &str| PackError::Malformed(format!("{what} does not match the head's table"));
        match id.kind {
            ShardKind::Vectors => {
                let number = id.number as usize;
                if number >= shards.parts.len() {
                    return Err(PackError::UnknownShard(id));
                }
                let part = Vectors::from_bytes(shard.item(id.number))
                    .map_err(|e| PackError::Malformed(e.to_string()))?;
                let first = number * shards.per_shard;
                let len = shards.per_shard.min(shards.papers - first);
                let dims = shards.parts.iter().flatten().next().map(Vectors::dims);
                if part.first() != first || part.len() != len || dims.is_some_and(|d| d != part.dims()) {
                    return Err(malformed("a vector shard"));
                }
                shards.parts[number] = Some(part);
                if self.vectors.is_none() && shards.parts.iter().all(Option::is_some) {
                    let parts: Vec<Vectors> = shards.parts.iter_mut().filter_map(Option::take).collect();
                    match Vectors::join(&parts) {
                        Ok(joined) => self.vectors = Some(joined),
                        Err(err) => return Err(PackError::Malformed(err.to_string())),
                    }
                }
            }
            ShardKind::Map => {
                let map = Layout::from_bytes(shard.item(id.number))
                    .map_err(|e| PackError::Malformed(e.to_string()))?;
                if map.len() != shards.papers {
                    return Err(malformed("the map's shard"));
                }
                self.map = Some(map);
            }
            _ => return Err(PackError::UnknownShard(id)),
        }
        Ok(())
    }

    /// Drops what shards gave (a whole pack's stays).
    pub fn clear(&mut self) {
        if let Some(shards) = &mut self.sharded {
            shards.parts.iter_mut().for_each(|p| *p = None);
            self.vectors = None;
            self.map = None;
            *self.model.get_mut().unwrap_or_else(PoisonError::into_inner) = None;
        }
    }

    /// The classifier of `like` against `unlike` (sorted paper numbers)
    /// and its probability for every paper: the last one trained when the
    /// papers are the same, else trained now. `None` without vectors (the
    /// missing shards noted) or with nothing liked.
    pub fn trained(&self, like: &[u32], unlike: &[u32]) -> Option<(Arc<Model>, Arc<Vec<f32>>)> {
        let vectors = self.vectors()?;
        let mut last = self.model.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(t) = last.as_ref().filter(|t| t.like == like && t.unlike == unlike) {
            return Some((Arc::clone(&t.model), Arc::clone(&t.probabilities)));
        }
        let widen = |docs: &[u32]| docs.iter().map(|&d| d as usize).collect::<Vec<_>>();
        let model = Arc::new(Classifier::default().train(vectors, &widen(like), &widen(unlike))?);
        let probabilities = Arc::new(model.probabilities(vectors));
        *last = Some(Trained {
            like: like.to_vec(),
            unlike: unlike.to_vec(),
            model: Arc::clone(&model),
            probabilities: Arc::clone(&probabilities),
        });
        Some((model, probabilities))
    }
}
