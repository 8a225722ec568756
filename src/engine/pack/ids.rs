//! Paper ids of a sharded pack, in shards by id range (docs/pack-format.md):
//! the head keeps each id shard's first id, so that a paper named by id
//! (a tag, a link) is found in one shard; a paper's id by number comes
//! from its record, or from the id shards already held.
//!
//! An id shard holds one item: the ids of consecutive ranks (sorted, front
//! coded) with each one's paper (bit packed). Ties keep paper order, as in
//! [`IdTable`]: the last paper with an id is the one a lookup finds.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::compact::{FrontCoded, IdTable, Packed};
use super::shards::{Shard, ShardId, ShardSet};
use super::PackError;

/// One id shard's item.
#[derive(Serialize, Deserialize)]
struct Block {
    ids: FrontCoded,
    docs: Packed,
}

/// Cuts `ids` (every paper's) into blocks of about `target` bytes: the
/// blocks' items and each block's first id.
pub(crate) fn cut(ids: &IdTable, target: usize) -> (FrontCoded, Vec<Vec<u8>>) {
    let target = target.max(1);
    let (mut firsts, mut items) = (Vec::new(), Vec::new());
    let (mut block, mut size, mut previous): (Vec<(&str, u32)>, usize, &str) = (Vec::new(), 0, "");
    let flush = |block: &mut Vec<(&str, u32)>, items: &mut Vec<Vec<u8>>| {
        let coded = FrontCoded::new(block.iter().map(|(id, _)| *id));
        let docs = Packed::new(&block.iter().map(|(_, doc)| *doc).collect::<Vec<_>>());
        // Bytes and integers always serialize.
        items.push(postcard::to_allocvec(&Block { ids: coded, docs }).unwrap_or_default());
        block.clear();
    };
    for (id, doc) in ids.by_rank() {
        // About what the id costs front coded, and its paper.
        let shared = previous.bytes().zip(id.bytes()).take_while(|(a, b)| a == b).count();
        let cost = 4 + id.len() - shared;
        if size > 0 && size + cost > target {
            flush(&mut block, &mut items);
            size = 0;
        }
        if block.is_empty() {
            firsts.push(id);
        }
        block.push((id, doc));
        size += cost;
        previous = id;
    }
    if !block.is_empty() {
        flush(&mut block, &mut items);
    }
    // Firsts ascend (ties only when one id fills a whole block).
    (FrontCoded::new(firsts), items)
}

/// The first of `0..len` for which `before` is false (it holds for a prefix).
fn partition_point(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, len);
    while low < high {
        let middle = low + (high - low) / 2;
        if before(middle) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    low
}

/// A held id shard, decoded.
struct Held {
    text: String,
    /// Where each id starts in `text` (one more: the end).
    starts: Vec<u32>,
    docs: Vec<u32>,
}

impl Held {
    fn at(&self, i: usize) -> &str {
        &self.text[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

/// The ids of a sharded pack: each id shard's first id, and the shards
/// held.
#[derive(Default)]
pub(crate) struct IdShards {
    /// The first ids, concatenated, and where each starts (one more: the end).
    firsts: String,
    starts: Vec<u32>,
    set: Option<ShardSet>,
    held: Vec<Option<Held>>,
    /// Paper -> (id shard, index in it), for the held shards.
    by_doc: HashMap<u32, (u32, u32)>,
    papers: u32,
}

impl IdShards {
    /// The ids of `papers` papers whose id shards are `set`, the first of
    /// each being `firsts`: `None` unless they agree.
    pub fn new(firsts: &FrontCoded, set: ShardSet, papers: u32) -> Option<Self> {
        let (text, starts) = firsts.decode_ordered(false)?;
        let count = set.entries().len();
        let keyed = set.entries().iter().enumerate().all(|(i, e)| e.first as usize == i);
        if starts.len() != count + 1 || !keyed || (papers > 0) != (count > 0) {
            return None;
        }
        let held = (0..count).map(|_| None).collect();
        Some(IdShards { firsts: text, starts, set: Some(set), held, by_doc: HashMap::new(), papers })
    }

    fn first(&self, number: usize) -> &str {
        &self.firsts[self.starts[number] as usize..self.starts[number + 1] as usize]
    }

    pub fn set(&self) -> Option<&ShardSet> {
        self.set.as_ref()
    }

    /// The id shard that would hold `id` (`None`: before every paper's id).
    pub fn shard_of(&self, id: &str) -> Option<ShardId> {
        let set = self.set.as_ref()?;
        let after = partition_point(self.held.len(), |n| self.first(n) <= id);
        Some(set.shard_of(after.checked_sub(1)? as u32))
    }

    /// The paper with this id (the last one if several have it), or the id
    /// shard to fetch first (noted as a missing read).
    pub fn doc(&self, id: &str) -> Result<Option<u32>, ShardId> {
        let (Some(set), Some(shard)) = (self.set.as_ref(), self.shard_of(id)) else { return Ok(None) };
        if set.read(shard.number).is_none() {
            return Err(shard);
        }
        let Some(held) = self.held.get(shard.number as usize).and_then(Option::as_ref) else {
            return Err(shard);
        };
        let last = partition_point(held.docs.len(), |i| held.at(i) <= id).checked_sub(1);
        Ok(last.filter(|&i| held.at(i) == id).map(|i| held.docs[i]))
    }

    /// The id of paper `doc`, when its id shard is held.
    pub fn id(&self, doc: u32) -> Option<&str> {
        let &(number, i) = self.by_doc.get(&doc)?;
        Some(self.held.get(number as usize)?.as_ref()?.at(i as usize))
    }

    /// Takes id shard `number`: refused unless its block decodes, starts
    /// at the head's first id, stays below the next one and names papers
    /// of the corpus.
    pub fn insert(&mut self, number: u32, shard: Arc<Shard>) -> Result<(), PackError> {
        let n = number as usize;
        let refused = || PackError::Malformed("an id shard does not match the head's table".to_owned());
        let block: Block = postcard::from_bytes(shard.item(number)).map_err(|_| refused())?;
        let (text, starts) = block.ids.decode_ordered(false).ok_or_else(refused)?;
        let docs = block.docs.decode().ok_or_else(refused)?;
        let held = Held { text, starts, docs };
        let count = held.docs.len();
        let fits = count > 0
            && held.starts.len() == count + 1
            && held.at(0) == self.first(n)
            && (n + 1 >= self.held.len() || held.at(count - 1) <= self.first(n + 1))
            && held.docs.iter().all(|&doc| doc < self.papers);
        if !fits || n >= self.held.len() {
            return Err(refused());
        }
        self.remove(number);
        for (i, &doc) in held.docs.iter().enumerate() {
            self.by_doc.insert(doc, (number, i as u32));
        }
        self.held[n] = Some(held);
        if let Some(set) = &mut self.set {
            set.insert(number, shard);
        }
        Ok(())
    }

    pub fn remove(&mut self, number: u32) {
        if let Some(held) = self.held.get_mut(number as usize).and_then(Option::take) {
            for doc in held.docs {
                if self.by_doc.get(&doc).is_some_and(|&(n, _)| n == number) {
                    self.by_doc.remove(&doc);
                }
            }
        }
        if let Some(set) = &mut self.set {
            set.remove(number);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::pack::shards::{ShardEntry, ShardKind};

    /// The id shards of `table` cut at `target` bytes, and their shards.
    fn cut_shards(table: &IdTable, target: usize) -> (IdShards, Vec<Shard>) {
        let (firsts, items) = cut(table, target);
        let shards: Vec<Shard> =
            (0u32..).zip(&items).map(|(k, item)| Shard::new(k, &[item.as_slice()])).collect();
        let entries = (0u32..)
            .zip(&shards)
            .map(|(first, shard)| {
                let bytes = shard.encode();
                ShardEntry { first, bytes: bytes.len() as u32, hash: xxhash_rust::xxh3::xxh3_64(&bytes) }
            })
            .collect();
        let set = ShardSet::new(ShardKind::Ids, entries, items.len() as u32, Arc::default());
        (IdShards::new(&firsts, set, table.len() as u32).expect("its own table"), shards)
    }

    /// The id shards of `table` cut at `target` bytes, all held.
    pub fn held_shards(table: &IdTable, target: usize) -> IdShards {
        let (mut ids, shards) = cut_shards(table, target);
        for (k, shard) in (0u32..).zip(shards) {
            ids.insert(k, Arc::new(shard)).expect("its own shard");
        }
        ids
    }

    #[test]
    fn an_id_is_asked_of_its_own_shard_and_a_misplaced_shard_is_refused() {
        let names: Vec<String> = (0..40).map(|i| format!("t-{:04x}", i * 97)).collect();
        let table = IdTable::new(&names).expect("small");
        let (mut ids, shards) = cut_shards(&table, 30);
        assert!(shards.len() > 3, "cut into several shards");
        let wanted = ids.shard_of(&names[39]).expect("an id of the corpus");
        assert_eq!(ids.doc(&names[39]), Err(wanted), "its shard is asked for");
        assert_eq!(ids.id(39), None, "not held");
        let other = (wanted.number + 1) % shards.len() as u32;
        let misplaced = Shard::new(wanted.number, &[shards[other as usize].item(other)]);
        assert!(ids.insert(wanted.number, Arc::new(misplaced)).is_err(), "another range's ids");
        let own = shards.into_iter().nth(wanted.number as usize).expect("listed");
        ids.insert(wanted.number, Arc::new(own)).expect("its own shard");
        assert_eq!((ids.doc(&names[39]), ids.id(39)), (Ok(Some(39)), Some(names[39].as_str())));
        ids.remove(wanted.number);
        assert_eq!((ids.doc(&names[39]), ids.id(39)), (Err(wanted), None), "dropped");
    }
}
