//! Shards of a sharded pack (docs/pack-format.md): the parts of a corpus a
//! query fetches on demand, each a plain file named by its content hash,
//! and the sets of them an explorer holds, which record what a call read.
//!
//! A shard holds consecutive items of one kind (a term's postings, a
//! term's positions, a paper's record, an entity's papers), keyed by term
//! id, paper number or entity rank:
//! `first`, then the end of each item's bytes, then the bytes. The head
//! lists every shard (its first key, length and hash); a shard whose bytes
//! do not hash to what the head says is refused whole.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use super::PackError;

/// The first bytes of every shard file.
pub const SHARD_MAGIC: &[u8; 8] = b"FOLIOSHD";

/// What a shard holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ShardKind {
    /// Terms' postings (paper, field, term frequency), by term id.
    Postings,
    /// Terms' word positions (phrases only), by term id.
    Positions,
    /// Papers' JSON records, by paper number.
    Records,
    /// The entity table: each (kind, folded name) with its papers, by the
    /// key's rank in sorted order.
    Entities,
    /// The paper lists of the facet groups too large for the head (the
    /// authors'), value after value, group after group.
    Facets,
    /// The title order (one item, bit packed): only the title sort reads it.
    Order,
    /// Paper ids by id range (sorted, front coded, each with its paper),
    /// one block per shard: what a tag or a link naming a paper reads.
    Ids,
    /// Paper vectors ([`Vectors::to_bytes`](crate::engine::discover::Vectors::to_bytes))
    /// by paper range, one range per shard, keyed by the shard's number:
    /// what recommendations and the "recommended for" order read (all of
    /// them: a classifier scores every paper).
    Vectors,
    /// The corpus map ([`Layout::to_bytes`](crate::engine::map::Layout::to_bytes)),
    /// one item: read when the map opens or a map region filters.
    Map,
}

impl ShardKind {
    pub const ALL: [ShardKind; 9] = [
        ShardKind::Postings,
        ShardKind::Positions,
        ShardKind::Records,
        ShardKind::Entities,
        ShardKind::Facets,
        ShardKind::Order,
        ShardKind::Ids,
        ShardKind::Vectors,
        ShardKind::Map,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ShardKind::Postings => "postings",
            ShardKind::Positions => "positions",
            ShardKind::Records => "records",
            ShardKind::Entities => "entities",
            ShardKind::Facets => "facets",
            ShardKind::Order => "order",
            ShardKind::Ids => "ids",
            ShardKind::Vectors => "vectors",
            ShardKind::Map => "map",
        }
    }
}

/// One shard of a loaded head: its kind and its number among that kind's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShardId {
    pub kind: ShardKind,
    pub number: u32,
}

/// A shard as the head lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardEntry {
    /// The key of its first item (term id or paper number).
    pub first: u32,
    /// Its length in bytes.
    pub bytes: u32,
    /// XXH3-64 of its bytes, which is also its file name (hex); stored as
    /// 8 bytes (a varint of a hash would take 10; the records' table at 1M
    /// papers is mostly hashes). 64 bits name a million shards with a
    /// chance below 1 in 30 million that two share a name.
    #[serde(with = "hash_bytes")]
    pub hash: u64,
}

/// A shard table as a head stores it: each entry's first key as the gap
/// from the one before (a byte or two instead of three; modulo 2^32, so
/// that any table reads back as written and a disordered one is refused
/// by the head's checks with its reason), its length and its hash.
pub(crate) mod table {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::ShardEntry;

    pub fn serialize<S: Serializer>(entries: &[ShardEntry], serializer: S) -> Result<S::Ok, S::Error> {
        let mut previous = 0u32;
        let rows: Vec<(u32, u32, [u8; 8])> = entries
            .iter()
            .map(|e| {
                let gap = e.first.wrapping_sub(previous);
                previous = e.first;
                (gap, e.bytes, e.hash.to_le_bytes())
            })
            .collect();
        rows.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<ShardEntry>, D::Error> {
        let rows = Vec::<(u32, u32, [u8; 8])>::deserialize(deserializer)?;
        let mut previous = 0u32;
        let entries = rows.into_iter().map(|(gap, bytes, hash)| {
            previous = previous.wrapping_add(gap);
            ShardEntry { first: previous, bytes, hash: u64::from_le_bytes(hash) }
        });
        Ok(entries.collect())
    }
}

/// The bytes of `entries` stored as [`table`] (for the breakdown).
pub(crate) fn table_len(entries: &[ShardEntry]) -> usize {
    #[derive(Serialize)]
    struct Table<'a>(#[serde(with = "table")] &'a [ShardEntry]);
    super::encoded_len(&Table(entries))
}

mod hash_bytes {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(hash: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        hash.to_le_bytes().serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        <[u8; 8]>::deserialize(deserializer).map(u64::from_le_bytes)
    }
}

impl ShardEntry {
    /// Where the shard lives relative to the head: `shards/<hash>.bin`.
    pub fn path(&self) -> String {
        format!("shards/{:016x}.bin", self.hash)
    }
}

/// The items of one shard, checked.
#[derive(Debug, Serialize, Deserialize)]
pub struct Shard {
    first: u32,
    /// End of each item in `bytes`, ascending.
    ends: Vec<u32>,
    #[serde(with = "serde_bytes")]
    bytes: Vec<u8>,
}

impl Shard {
    pub(crate) fn new(first: u32, items: &[&[u8]]) -> Self {
        let mut bytes = Vec::with_capacity(items.iter().map(|i| i.len()).sum());
        let mut ends = Vec::with_capacity(items.len());
        for item in items {
            bytes.extend_from_slice(item);
            ends.push(bytes.len() as u32);
        }
        Shard { first, ends, bytes }
    }

    /// The shard file's bytes: magic, pack version, then the encoded shard.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = SHARD_MAGIC.to_vec();
        out.extend_from_slice(&super::PACK_VERSION.to_le_bytes());
        // Vectors and integers always serialize.
        out.extend(postcard::to_allocvec(self).unwrap_or_default());
        out
    }

    /// Reads a shard file the head lists as `entry`, holding `count` items:
    /// refused whole if its hash, header, encoding or table disagrees.
    pub(crate) fn decode(bytes: &[u8], entry: &ShardEntry, count: usize) -> Result<Self, PackError> {
        if bytes.len() != entry.bytes as usize || xxhash_rust::xxh3::xxh3_64(bytes) != entry.hash {
            return Err(PackError::Checksum);
        }
        let header = SHARD_MAGIC.len() + 4;
        if bytes.len() < header || &bytes[..SHARD_MAGIC.len()] != SHARD_MAGIC {
            return Err(PackError::NotAPack);
        }
        let mut version = [0; 4];
        version.copy_from_slice(&bytes[SHARD_MAGIC.len()..header]);
        let version = u32::from_le_bytes(version);
        if version != super::PACK_VERSION {
            return Err(PackError::Version { found: version });
        }
        let shard: Shard =
            postcard::from_bytes(&bytes[header..]).map_err(|e| PackError::Malformed(e.to_string()))?;
        let ascending = shard.ends.windows(2).all(|w| w[0] <= w[1]);
        if shard.first != entry.first
            || shard.ends.len() != count
            || !ascending
            || shard.ends.last().is_some_and(|&end| end as usize > shard.bytes.len())
        {
            return Err(PackError::Malformed("a shard does not match the head's table".to_owned()));
        }
        Ok(shard)
    }

    /// The bytes of item `key` (empty when out of range).
    pub fn item(&self, key: u32) -> &[u8] {
        let Some(i) = key.checked_sub(self.first).map(|i| i as usize).filter(|&i| i < self.ends.len()) else {
            return &[];
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    /// Every item's bytes, in key order.
    pub fn items(&self) -> impl Iterator<Item = &[u8]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(start, &end)| &self.bytes[start as usize..end as usize])
    }

    /// Bytes held (for the cache's budget).
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * 4
    }
}

/// What the calls since the last [`Reads::take`] asked of the shards: the
/// shards they read and those they found missing.
#[derive(Debug, Default)]
pub struct Reads(Mutex<ReadLog>);

#[derive(Debug, Default, Clone)]
pub struct ReadLog {
    pub used: BTreeSet<ShardId>,
    pub missing: BTreeSet<ShardId>,
}

impl Reads {
    fn note(&self, id: ShardId, present: bool) {
        let mut log = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if present {
            log.used.insert(id);
        } else {
            log.missing.insert(id);
        }
    }

    /// Notes that a missing shard was asked for.
    pub fn missed(&self, id: ShardId) {
        self.note(id, false);
    }

    /// What was read since the last call, and starts a new log.
    pub fn take(&self) -> ReadLog {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The shards of one kind: their table, and those loaded.
#[derive(Debug, Clone)]
pub struct ShardSet {
    kind: ShardKind,
    /// Shared by the copies of a sharded index (`SearchIndex`'s `Clone`).
    entries: Arc<[ShardEntry]>,
    /// One past the last key of the last shard.
    end: u32,
    loaded: Vec<Option<Arc<Shard>>>,
    reads: Arc<Reads>,
}

impl ShardSet {
    pub(crate) fn new(kind: ShardKind, entries: Vec<ShardEntry>, end: u32, reads: Arc<Reads>) -> Self {
        let loaded = vec![None; entries.len()];
        Self { kind, entries: entries.into(), end, loaded, reads }
    }

    /// Whether the table covers keys `0..end` in order, from 0.
    pub(crate) fn is_consistent(entries: &[ShardEntry], end: u32) -> bool {
        entries.first().is_none_or(|e| e.first == 0)
            && entries.windows(2).all(|w| w[0].first < w[1].first)
            && entries.last().is_none_or(|e| e.first < end)
    }

    pub fn entries(&self) -> &[ShardEntry] {
        &self.entries
    }

    /// The shard holding `key`.
    pub fn shard_of(&self, key: u32) -> ShardId {
        let number = self.entries.partition_point(|e| e.first <= key).saturating_sub(1);
        ShardId { kind: self.kind, number: number as u32 }
    }

    /// How many items shard `number` holds.
    pub(crate) fn count(&self, number: u32) -> usize {
        self.keys(number).len()
    }

    /// The keys of shard `number`'s items (empty if it is not listed).
    pub(crate) fn keys(&self, number: u32) -> std::ops::Range<u32> {
        let n = number as usize;
        let next = self.entries.get(n + 1).map_or(self.end, |e| e.first);
        self.entries.get(n).map_or(0..0, |e| e.first..next)
    }

    /// The bytes of item `key`, noting the read; `None` (noted as missing)
    /// when its shard is not loaded.
    pub fn get(&self, key: u32) -> Option<&[u8]> {
        let id = self.shard_of(key);
        self.read(id.number).map(|s| s.item(key))
    }

    /// Shard `number`, noting the read; `None` (noted as missing) when it
    /// is not loaded or not listed.
    pub fn read(&self, number: u32) -> Option<&Arc<Shard>> {
        let shard = self.loaded.get(number as usize)?.as_ref();
        self.reads.note(ShardId { kind: self.kind, number }, shard.is_some());
        shard
    }

    /// The loaded shard `number`, without noting a read.
    pub fn loaded(&self, number: u32) -> Option<&Arc<Shard>> {
        self.loaded.get(number as usize)?.as_ref()
    }

    pub(crate) fn insert(&mut self, number: u32, shard: Arc<Shard>) {
        if let Some(slot) = self.loaded.get_mut(number as usize) {
            *slot = Some(shard);
        }
    }

    pub(crate) fn remove(&mut self, number: u32) {
        if let Some(slot) = self.loaded.get_mut(number as usize) {
            *slot = None;
        }
    }

    pub fn reads(&self) -> &Reads {
        &self.reads
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_of(bytes: &[u8], first: u32) -> ShardEntry {
        ShardEntry { first, bytes: bytes.len() as u32, hash: xxhash_rust::xxh3::xxh3_64(bytes) }
    }

    #[track_caller]
    fn check(bytes: &[u8], entry: &ShardEntry, count: usize, expected: Result<Vec<&[u8]>, &str>) {
        let got = Shard::decode(bytes, entry, count).map_err(|e| e.to_string());
        match (got, expected) {
            (Ok(shard), Ok(items)) => {
                assert_eq!(shard.items().collect::<Vec<_>>(), items);
                for (key, item) in (entry.first..).zip(&items) {
                    assert_eq!(shard.item(key), *item);
                }
                assert_eq!(shard.item(entry.first + items.len() as u32), b"", "past its items");
                assert_eq!(shard.item(entry.first.wrapping_sub(1)), b"", "before its items");
            }
            (Err(err), Err(message)) => assert!(err.contains(message), "{err}"),
            (got, expected) => panic!("got {:?}, expected {expected:?}", got.map(|s| s.ends)),
        }
    }

    #[test]
    fn a_shard_reads_only_as_the_head_lists_it() {
        let items: [&[u8]; 3] = [b"alpha", b"", b"gamma"];
        let bytes = Shard::new(5, &items).encode();
        let entry = entry_of(&bytes, 5);
        check(&bytes, &entry, 3, Ok(items.to_vec()));
        check(&bytes, &entry, 4, Err("does not match the head"));
        check(&bytes, &entry_of(&bytes, 6), 3, Err("does not match the head"));
        check(&bytes[..bytes.len() - 1], &entry, 3, Err("checksum mismatch"));
        let mut newer = bytes.clone();
        newer[SHARD_MAGIC.len()] ^= 1;
        check(&newer, &entry_of(&newer, 5), 3, Err("the pack has version"));
        let mut foreign = bytes.clone();
        foreign[0] = b'X';
        check(&foreign, &entry_of(&foreign, 5), 3, Err("not a Folio pack"));
        let junk = [&SHARD_MAGIC[..], &super::super::PACK_VERSION.to_le_bytes(), &[0xff, 0xff]].concat();
        check(&junk, &entry_of(&junk, 5), 3, Err("damaged"));
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Table(#[serde(with = "table")] Vec<ShardEntry>);

    #[test]
    fn a_shard_table_reads_back_as_written_even_out_of_order() {
        let entry = |first, bytes, hash| ShardEntry { first, bytes, hash };
        let tables = [
            vec![],
            vec![entry(0, 16_000, u64::MAX), entry(7, 3, 1), entry(300_000, 0, 0)],
            vec![entry(9, 1, 2), entry(2, 1, 2), entry(u32::MAX, 0, 0), entry(0, 0, 0)],
        ];
        for entries in tables {
            let bytes = postcard::to_allocvec(&Table(entries.clone())).unwrap();
            assert_eq!(bytes.len(), table_len(&entries));
            assert_eq!(postcard::from_bytes::<Table>(&bytes).unwrap(), Table(entries));
        }
    }

    #[test]
    fn a_key_finds_the_last_shard_starting_at_or_before_it() {
        let entry = |first| ShardEntry { first, bytes: 0, hash: 0 };
        let set = ShardSet::new(ShardKind::Postings, vec![entry(0), entry(4), entry(9)], 12, Arc::default());
        let numbers: Vec<u32> = (0..12).map(|key| set.shard_of(key).number).collect();
        assert_eq!(numbers, [0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2]);
        assert_eq!([0, 1, 2].map(|n| set.count(n)), [4, 5, 3]);
        assert!(ShardSet::is_consistent(&[entry(0), entry(4)], 5));
        assert!(!ShardSet::is_consistent(&[entry(1), entry(4)], 5), "not from 0");
        assert!(!ShardSet::is_consistent(&[entry(0), entry(4), entry(4)], 5), "not increasing");
        assert!(!ShardSet::is_consistent(&[entry(0), entry(5)], 5), "past the end");
        assert_eq!(set.get(3), None, "not loaded");
        assert_eq!(set.reads().take().missing.into_iter().collect::<Vec<_>>(), [set.shard_of(3)]);
    }
}
