//! The app pack: a compiled corpus in the form the explorer runs on, so that
//! opening a 100k-paper corpus costs copies, not a rebuild.
//!
//! `bundle.json` stays the versioned interchange format (docs/bundle-format.md)
//! and what `folio search` reads. The pack is derived from it by the compiler
//! (`folio compile --pack`, or `folio pack`) and holds what
//! [`Explorer::new`](super::explorer::Explorer::new) would otherwise compute
//! at load time: the search index, the facet index and the title order, plus
//! each paper's record as JSON, decoded only when the paper is shown.
//!
//! Layout (integers little-endian): [`MAGIC`]; the pack version (u32); the
//! XXH3-64 checksum of the index section (u64); the index section's length
//! (u64); the index section, a postcard-encoded [`Contents`]; then the
//! records section, every paper's JSON record, concatenated. A pack is
//! refused as a whole (never half used) when the magic, the version, the
//! checksum, the encoding or any length disagrees. Records are not
//! checksummed (hashing 200 MB would cost more than the rest of the load):
//! each is checked by its JSON decoding when it is first shown.
//!
//! A large corpus can instead be cut into a head and content-hashed shards
//! fetched by query (`head`, `shards`, `cache`; docs/pack-format.md): the
//! explorer reads the head ([`Explorer::from_head`]) and says which shards
//! a call needs. Both layouts carry [`PACK_VERSION`].
//!
//! [`Explorer::from_head`]: super::explorer::Explorer::from_head

mod breakdown;
pub mod cache;
pub(crate) mod compact;
mod head;
mod ids;
pub mod shards;

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::bundle::{Bundle, Paper};
use super::facets::FacetIndex;
use super::index::SearchIndex;
use compact::IdTable;
pub(crate) use ids::IdShards;
use shards::{Shard, ShardId, ShardSet};

/// The first bytes of every pack.
pub const MAGIC: &[u8; 8] = b"FOLIOPAK";

/// The version of the pack layout and of everything in it (index encoding,
/// tokenizer): a pack of another version is refused and the app falls back
/// to `bundle.json`. Bump it with any change to the index or the analyzer.
pub const PACK_VERSION: u32 = 6;

const HEADER: usize = MAGIC.len() + 4 + 8 + 8;

pub use breakdown::{breakdown, Part};
pub use head::{
    head_breakdown, HeadDecoder, ShardSizes, ShardedPack, HEAD_MAGIC, HEAD_PARTS, SHARD_THRESHOLD,
};
pub(super) use head::{title_order, Head};

/// The length of `value` encoded as in a pack (0 if it cannot be encoded,
/// which no pack part can fail to be).
pub(super) fn encoded_len<T: Serialize + ?Sized>(value: &T) -> usize {
    postcard::experimental::serialized_size(value).unwrap_or(0)
}

/// Why a pack could not be used.
#[derive(Debug, Error)]
pub enum PackError {
    #[error("not a Folio pack")]
    NotAPack,
    #[error("the pack has version {found}, this build of Folio reads version {PACK_VERSION}")]
    Version { found: u32 },
    #[error("the pack is damaged (checksum mismatch)")]
    Checksum,
    #[error("the pack is damaged: {0}")]
    Malformed(String),
    #[error("the papers' records take more than 4 GiB: too large for a pack")]
    TooLarge,
    #[error("a sharded pack's explorer holds only the records it loaded: write packs from a bundle")]
    Partial,
    #[error("no shard {0:?} in this pack's head")]
    UnknownShard(ShardId),
}

/// The index section of a pack. Papers are numbered as in the bundle.
#[derive(Serialize, Deserialize)]
pub(super) struct Contents {
    /// The bundle without its papers, as JSON (its corpus-level parts use
    /// serde features that only self-describing formats support).
    pub meta_json: String,
    pub ids: Vec<String>,
    /// Where each paper's record ends in the records section.
    pub paper_ends: Vec<u32>,
    pub by_title: Vec<u32>,
    pub facets: FacetIndex,
    pub index: SearchIndex,
    /// The paper vectors ([`Vectors::to_bytes`](super::discover::Vectors::to_bytes)),
    /// empty when the compiler made none (pack version 6).
    #[serde(with = "serde_bytes")]
    pub vectors: Vec<u8>,
    /// The corpus map ([`Layout::to_bytes`](super::map::Layout::to_bytes)),
    /// empty when the compiler made none (pack version 6).
    #[serde(with = "serde_bytes")]
    pub map: Vec<u8>,
}

impl Contents {
    /// The pack's bytes: this index section followed by `records`.
    pub fn encode(&self, records: &[u8]) -> Vec<u8> {
        // Serializing vectors, strings and maps cannot fail.
        let index = postcard::to_allocvec(self).unwrap_or_default();
        let mut out = frame(MAGIC, &index, records.len());
        out.extend_from_slice(records);
        out
    }

    /// Reads a pack's index section, checking everything that could make
    /// later reads go wrong: header, checksum, encoding, and that every
    /// length and paper number agrees with the paper count. Returns it with
    /// where the records section starts.
    pub fn decode(bytes: &[u8]) -> Result<(Self, usize), PackError> {
        let (index, records_start) = unframe(MAGIC, bytes)?;
        let contents: Contents =
            postcard::from_bytes(index).map_err(|e| PackError::Malformed(e.to_string()))?;
        contents.check(bytes.len() - records_start)?;
        Ok((contents, records_start))
    }

    fn check(&self, records_len: usize) -> Result<(), PackError> {
        let n = self.ids.len();
        if self.paper_ends.len() != n {
            return Err(mismatch("the paper table", n));
        }
        let mut previous = 0;
        for &end in &self.paper_ends {
            if end < previous || end as usize > records_len {
                return Err(mismatch("the paper table (the file may be cut short)", n));
            }
            previous = end;
        }
        check_order(n, &self.by_title)?;
        check_tables(n, &self.facets, &self.index)
    }
}

/// `magic`, the pack version, the checksum and length of `body`, then
/// `body` (room is reserved for `more` bytes after it).
fn frame(magic: &[u8; 8], body: &[u8], more: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + body.len() + more);
    out.extend_from_slice(magic);
    out.extend_from_slice(&PACK_VERSION.to_le_bytes());
    out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(body).to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// The body of a [`frame`] with `magic` at the start of `bytes`, checked,
/// and where it ends.
fn unframe<'a>(magic: &[u8; 8], bytes: &'a [u8]) -> Result<(&'a [u8], usize), PackError> {
    let field = |at: usize| -> [u8; 8] {
        let mut word = [0; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        word
    };
    if bytes.len() < HEADER || field(0) != *magic {
        return Err(PackError::NotAPack);
    }
    let [v0, v1, v2, v3, ..] = field(MAGIC.len());
    let version = u32::from_le_bytes([v0, v1, v2, v3]);
    if version != PACK_VERSION {
        return Err(PackError::Version { found: version });
    }
    let sum = u64::from_le_bytes(field(MAGIC.len() + 4));
    let body_len = u64::from_le_bytes(field(MAGIC.len() + 12));
    let end = usize::try_from(body_len)
        .ok()
        .and_then(|len| HEADER.checked_add(len))
        .filter(|&end| end <= bytes.len())
        .ok_or_else(|| PackError::Malformed("the file is shorter than its index".to_owned()))?;
    let body = &bytes[HEADER..end];
    if xxhash_rust::xxh3::xxh3_64(body) != sum {
        return Err(PackError::Checksum);
    }
    Ok((body, end))
}

/// The postcard value at the front of `bytes`, leaving `bytes` after it
/// (a postcard struct is its fields one after the other, so a stored form
/// can be read a field at a time).
pub(crate) fn take_front<T: serde::de::DeserializeOwned>(bytes: &mut &[u8]) -> Result<T, PackError> {
    let (value, rest) = postcard::take_from_bytes(bytes).map_err(|e| PackError::Malformed(e.to_string()))?;
    *bytes = rest;
    Ok(value)
}

fn mismatch(what: &str, n: usize) -> PackError {
    PackError::Malformed(format!("{what} does not match its {n} papers"))
}

/// Checks what a pack and a head share against their paper count `n`.
fn check_tables(n: usize, facets: &FacetIndex, index: &SearchIndex) -> Result<(), PackError> {
    if !facets.is_consistent(n) {
        return Err(mismatch("the facet index", n));
    }
    if index.doc_count() != n {
        return Err(mismatch("the search index", n));
    }
    Ok(())
}

/// Checks that `by_title` orders the `n` papers (each once).
fn check_order(n: usize, by_title: &[u32]) -> Result<(), PackError> {
    let mut seen = vec![false; n];
    for &doc in by_title {
        match seen.get_mut(doc as usize) {
            Some(s) if !*s => *s = true,
            _ => return Err(mismatch("the title order", n)),
        }
    }
    if by_title.len() != n {
        return Err(mismatch("the title order", n));
    }
    Ok(())
}

/// The bundle a pack was made from: its corpus-level parts and every
/// paper, decoded (a record that does not decode reads as in
/// [`Papers::get`]). A pack that does not decode is refused whole.
pub fn bundle_of_pack(pack: &[u8]) -> Result<Bundle, PackError> {
    let (contents, records_start) = Contents::decode(pack)?;
    let mut bundle =
        Bundle::from_json(&contents.meta_json).map_err(|e| PackError::Malformed(e.to_string()))?;
    // `decode` checked that the ends rise and stay inside the pack.
    let mut begin = records_start;
    bundle.papers = contents
        .ids
        .into_iter()
        .zip(contents.paper_ends)
        .map(|(id, end)| {
            let end = records_start + end as usize;
            let paper = decode_record(&pack[begin..end]).unwrap_or_else(|| damaged(id));
            begin = end;
            paper
        })
        .collect();
    Ok(bundle)
}

/// A sharded pack read back whole: its bundle (the corpus-level parts and
/// every paper, from the record shards) and what it ships of discovery
/// (the paper vectors and the map; `None` when it has neither). `shard`
/// gives a shard file's plain bytes by the path the head names. A shard
/// missing, or not the one the head names, refuses the whole: a kept
/// corpus is read back all or nothing (to add files to it, or export it).
pub fn whole_of_sharded(
    head: &[u8],
    shard: &mut dyn FnMut(&str) -> Option<Vec<u8>>,
) -> Result<(Bundle, Option<super::discover::Shipped>), PackError> {
    let head = Head::decode(head)?;
    let mut bundle = Bundle::from_json(&head.meta_json).map_err(|e| PackError::Malformed(e.to_string()))?;
    let n = head.index.doc_count() as u32;
    let mut read = |entry: &shards::ShardEntry, count: u32| -> Result<Shard, PackError> {
        let path = entry.path();
        let bytes =
            shard(&path).ok_or_else(|| PackError::Malformed(format!("the shard {path} is missing")))?;
        Shard::decode(&bytes, entry, count as usize)
    };
    let ends = head.records.iter().skip(1).map(|e| e.first).chain(std::iter::once(n));
    let mut papers = Vec::with_capacity(n as usize);
    for (entry, end) in head.records.iter().zip(ends) {
        // `Head::decode` checked that the table rises and covers the papers.
        let shard = read(entry, end - entry.first)?;
        papers.extend(
            shard.items().map(|record| decode_record(record).unwrap_or_else(|| damaged(String::new()))),
        );
    }
    bundle.papers = papers;
    let vectors = head
        .vectors
        .iter()
        .map(|entry| {
            let shard = read(entry, 1)?;
            super::discover::Vectors::from_bytes(shard.item(entry.first))
                .map_err(|e| PackError::Malformed(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let map = match head.map.first() {
        Some(entry) => {
            let shard = read(entry, 1)?;
            Some(
                super::map::Layout::from_bytes(shard.item(entry.first))
                    .map_err(|e| PackError::Malformed(e.to_string()))?,
            )
        }
        None => None,
    };
    let shipped = match (vectors.is_empty(), map) {
        (false, Some(map)) => {
            let vectors =
                super::discover::Vectors::join(&vectors).map_err(|e| PackError::Malformed(e.to_string()))?;
            Some(super::discover::Shipped { vectors, map })
        }
        _ => None,
    };
    Ok((bundle, shipped))
}

/// A paper's JSON record, through `&str`: the reader the bundle's decoding
/// uses (one copy of the Paper decoder in the wasm instead of two).
fn decode_record(record: &[u8]) -> Option<Paper> {
    serde_json::from_str::<Paper>(std::str::from_utf8(record).ok()?).ok()
}

/// What a record that does not decode reads as (impossible for a pack that
/// passed its checksum, short of a compiler bug).
fn damaged(id: String) -> Paper {
    Paper { id, title: "(this paper's record is damaged in the pack)".to_owned(), ..Paper::default() }
}

/// Serializes a hash map in key order, so that the same index always
/// encodes to the same bytes (packs are reproducible; the service worker's
/// cache version is a hash of the files).
pub(super) fn sorted<S, K, V, H>(
    map: &std::collections::HashMap<K, V, H>,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    K: Ord + Serialize,
    V: Serialize,
{
    serializer.collect_map(map.iter().collect::<std::collections::BTreeMap<_, _>>())
}

/// The id table of `ids`: ids take less than 4 GiB (a corpus held in
/// memory, or in wasm's 4 GiB, cannot have more), else none are known.
fn id_table<S: AsRef<str>>(ids: &[S]) -> IdTable {
    IdTable::new(ids).unwrap_or_default()
}

/// A writer that counts the bytes written to it and keeps none.
pub(crate) struct Count(pub usize);

impl std::io::Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The papers of a loaded corpus: decoded up front (read from a bundle),
/// kept as JSON and decoded on first use (read from a pack), or read from
/// the record shards loaded so far (a sharded pack's head).
pub struct Papers {
    ids: PaperIds,
    len: usize,
    /// One per paper, except when sharded (then per loaded shard).
    decoded: Vec<OnceLock<Arc<Paper>>>,
    packed: Option<Records>,
    sharded: Option<RecordShards>,
}

/// Every paper's id (a bundle, a whole pack), or a sharded pack's id shards.
enum PaperIds {
    Whole(IdTable),
    Sharded(IdShards),
}

/// The records section of a pack, kept in the pack's own buffer.
struct Records {
    pack: Vec<u8>,
    start: usize,
    ends: Vec<u32>,
}

impl Records {
    fn get(&self, doc: usize) -> &[u8] {
        let start = if doc == 0 { 0 } else { self.ends[doc - 1] as usize };
        &self.pack[self.start + start..self.start + self.ends[doc] as usize]
    }
}

/// The record shards of a sharded pack and the papers decoded from the
/// loaded ones (dropped with their shard).
struct RecordShards {
    set: ShardSet,
    decoded: Vec<Option<Vec<OnceLock<Arc<Paper>>>>>,
}

impl Papers {
    pub fn from_vec(papers: Vec<Paper>) -> Self {
        let ids = id_table(&papers.iter().map(|p| p.id.as_str()).collect::<Vec<_>>());
        let decoded = papers.into_iter().map(|p| OnceLock::from(Arc::new(p))).collect();
        Self { len: ids.len(), ids: PaperIds::Whole(ids), decoded, packed: None, sharded: None }
    }

    /// The papers of a pack whose records section starts at `start`
    /// (checked by [`Contents::decode`]).
    pub(super) fn packed(ids: Vec<String>, pack: Vec<u8>, start: usize, ends: Vec<u32>) -> Self {
        let ids = id_table(&ids);
        let decoded = (0..ids.len()).map(|_| OnceLock::new()).collect();
        let packed = Some(Records { pack, start, ends });
        Self { len: ids.len(), ids: PaperIds::Whole(ids), decoded, packed, sharded: None }
    }

    /// The `len` papers of a sharded pack, read from the record shards of
    /// `set` as they are loaded ([`Papers::insert_shard`]), their ids from
    /// the id shards of `ids`.
    pub(super) fn sharded(ids: IdShards, len: usize, set: ShardSet) -> Self {
        let decoded = (0..set.entries().len()).map(|_| None).collect();
        let sharded = Some(RecordShards { set, decoded });
        Self { ids: PaperIds::Sharded(ids), len, decoded: Vec::new(), packed: None, sharded }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The id of paper `doc`: from the id table, else (sharded) from the
    /// id shards held, else from its record when its shard is held; `None`
    /// until one of them is.
    pub fn try_id(&self, doc: u32) -> Option<&str> {
        match &self.ids {
            PaperIds::Whole(ids) => Some(ids.id(doc)),
            PaperIds::Sharded(ids) => {
                // A damaged record's placeholder has no id of its own.
                ids.id(doc).or_else(|| Some(self.held_paper(doc)?.id.as_str()).filter(|id| !id.is_empty()))
            }
        }
    }

    /// The paper with this id (the last one if several have it), or
    /// (sharded) the id shard that says, when it is not held (noted as a
    /// missing read).
    pub fn try_doc(&self, id: &str) -> Result<Option<u32>, ShardId> {
        match &self.ids {
            PaperIds::Whole(ids) => Ok(ids.doc(id)),
            PaperIds::Sharded(ids) => ids.doc(id),
        }
    }

    /// The id shards, when sharded.
    pub(super) fn id_shards(&self) -> Option<&IdShards> {
        match &self.ids {
            PaperIds::Whole(_) => None,
            PaperIds::Sharded(ids) => Some(ids),
        }
    }

    pub(super) fn insert_id_shard(&mut self, number: u32, shard: Arc<Shard>) -> Result<(), PackError> {
        match &mut self.ids {
            PaperIds::Whole(_) => {
                Err(PackError::UnknownShard(ShardId { kind: shards::ShardKind::Ids, number }))
            }
            PaperIds::Sharded(ids) => ids.insert(number, shard),
        }
    }

    pub(super) fn remove_id_shard(&mut self, number: u32) {
        if let PaperIds::Sharded(ids) = &mut self.ids {
            ids.remove(number);
        }
    }

    /// The papers in memory, in paper order, decoded, without noting any
    /// read: every paper of a whole pack; those of the record shards a
    /// sharded pack holds (the rest is not walked).
    pub fn held(&self) -> Box<dyn Iterator<Item = Arc<Paper>> + '_> {
        let Some(sharded) = &self.sharded else {
            return Box::new((0..self.len() as u32).filter_map(|doc| self.try_get(doc)));
        };
        let set = &sharded.set;
        let held = (0..set.entries().len() as u32).filter(|&number| set.loaded(number).is_some());
        Box::new(held.flat_map(move |number| {
            let first = set.entries()[number as usize].first;
            (first..first + set.count(number) as u32).filter_map(|doc| self.held_paper(doc).cloned())
        }))
    }

    /// Paper `doc` of a sharded pack, decoded, when its record shard is
    /// held (not noted as a read).
    fn held_paper(&self, doc: u32) -> Option<&Arc<Paper>> {
        let sharded = self.sharded.as_ref()?;
        let id = sharded.set.shard_of(doc);
        let bytes = sharded.set.loaded(id.number)?.item(doc);
        let first = sharded.set.entries()[id.number as usize].first;
        let cell = sharded.decoded.get(id.number as usize)?.as_ref()?.get((doc - first) as usize)?;
        Some(cell.get_or_init(|| self.decode(doc, Some(bytes))))
    }

    /// Paper `doc`, decoded on first use. A record that does not decode
    /// (impossible for a pack that passed its checksum, short of a compiler
    /// bug) reads as a paper with its id and a title that says so; so does
    /// a record whose shard is not loaded (see [`Papers::try_get`]).
    pub fn get(&self, doc: u32) -> Arc<Paper> {
        self.try_get(doc).unwrap_or_else(|| {
            Arc::new(Paper {
                id: self.known_id(doc).to_owned(),
                title: "(this paper's record is not loaded yet)".to_owned(),
                ..Paper::default()
            })
        })
    }

    /// Paper `doc`, or `None` when its record shard is not loaded (noted as
    /// a missing read).
    pub fn try_get(&self, doc: u32) -> Option<Arc<Paper>> {
        let Some(sharded) = &self.sharded else {
            let cell = &self.decoded[doc as usize];
            let record = || self.packed.as_ref().map(|r| r.get(doc as usize));
            return Some(Arc::clone(cell.get_or_init(|| self.decode(doc, record()))));
        };
        // Noted as a read, present or missing.
        sharded.set.get(doc)?;
        self.held_paper(doc).map(Arc::clone)
    }

    fn decode(&self, doc: u32, record: Option<&[u8]>) -> Arc<Paper> {
        let decoded = record.and_then(decode_record);
        Arc::new(decoded.unwrap_or_else(|| damaged(self.known_id(doc).to_owned())))
    }

    /// The id of `doc` from the id table or the id shards held (empty if
    /// neither has it: for a paper shown as not loaded or damaged).
    fn known_id(&self, doc: u32) -> &str {
        match &self.ids {
            PaperIds::Whole(ids) => ids.id(doc),
            PaperIds::Sharded(ids) => ids.id(doc).unwrap_or_default(),
        }
    }

    /// Paper `doc`'s JSON record as the pack holds it (`None` for papers
    /// read from a bundle, or while its record shard is not held).
    pub fn record(&self, doc: u32) -> Option<&[u8]> {
        match (&self.sharded, &self.packed) {
            (Some(sharded), _) => sharded.set.get(doc),
            (None, Some(records)) => Some(records.get(doc as usize)),
            (None, None) => None,
        }
    }

    /// [`Papers::records`] and the ids of papers not needed after: each
    /// paper is dropped once written (papers and their records are about as
    /// large, 2 GB each at a million papers: not both at once).
    pub(super) fn into_records(self) -> Result<(Vec<u8>, Vec<u32>, IdTable), PackError> {
        if self.sharded.is_some() || self.packed.is_some() {
            let (records, ends) = self.records()?;
            let PaperIds::Whole(ids) = self.ids else { return Err(PackError::Partial) };
            return Ok((records, ends, ids));
        }
        let Papers { ids, decoded, .. } = self;
        let PaperIds::Whole(ids) = ids else { return Err(PackError::Partial) };
        // Sized first (a second serialization, about a second at 100k
        // papers): grown by doubling, the records would at their last
        // growth hold 1.5 times their size twice over, and a wasm memory
        // (the compile worker's) keeps its peak.
        let mut count = Count(0);
        for cell in &decoded {
            if let Some(paper) = cell.get() {
                let _ = serde_json::to_writer(&mut count, &**paper);
            }
        }
        let mut records = Vec::with_capacity(count.0);
        let mut ends = Vec::with_capacity(decoded.len());
        for (doc, cell) in (0u32..).zip(decoded) {
            let paper = cell.into_inner().unwrap_or_else(|| Arc::new(damaged(ids.id(doc).to_owned())));
            // A Paper (strings, numbers, vectors) always serializes.
            let _ = serde_json::to_writer(&mut records, &*paper);
            ends.push(u32::try_from(records.len()).map_err(|_| PackError::TooLarge)?);
        }
        records.shrink_to_fit();
        Ok((records, ends, ids))
    }

    /// The record shards, when sharded.
    pub(super) fn shards(&self) -> Option<&ShardSet> {
        self.sharded.as_ref().map(|s| &s.set)
    }

    pub(super) fn insert_shard(&mut self, number: u32, shard: Arc<Shard>) {
        if let Some(sharded) = &mut self.sharded {
            let count = sharded.set.count(number);
            sharded.set.insert(number, shard);
            if let Some(slot) = sharded.decoded.get_mut(number as usize) {
                *slot = Some((0..count).map(|_| OnceLock::new()).collect());
            }
        }
    }

    pub(super) fn remove_shard(&mut self, number: u32) {
        if let Some(sharded) = &mut self.sharded {
            sharded.set.remove(number);
            if let Some(slot) = sharded.decoded.get_mut(number as usize) {
                *slot = None;
            }
        }
    }

    /// Every paper's record as JSON, concatenated, and where each ends
    /// (not for a sharded pack's papers: it holds only some).
    pub(super) fn records(&self) -> Result<(Vec<u8>, Vec<u32>), PackError> {
        if self.sharded.is_some() {
            return Err(PackError::Partial);
        }
        if let Some(r) = &self.packed {
            let end = r.ends.last().map_or(0, |&e| e as usize);
            return Ok((r.pack[r.start..r.start + end].to_vec(), r.ends.clone()));
        }
        let mut records = Vec::new();
        let mut ends = Vec::with_capacity(self.len());
        for doc in 0..self.len() as u32 {
            // A Paper (strings, numbers, vectors) always serializes.
            let _ = serde_json::to_writer(&mut records, &*self.get(doc));
            ends.push(u32::try_from(records.len()).map_err(|_| PackError::TooLarge)?);
        }
        Ok((records, ends))
    }
}
