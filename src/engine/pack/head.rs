//! The head of a sharded pack (docs/pack-format.md): everything but the
//! postings, the positions, the entity table, the papers' records and
//! ids, which are cut into shards the head lists by content hash. A head and the shards it names
//! are one deployment: a head never names a shard of another build.

use serde::{Deserialize, Serialize};

use super::compact::{FrontCoded, IdTable, Packed};
use super::shards::{table, table_len, Shard, ShardEntry, ShardKind};
use super::{check_tables, encoded_len, frame, mismatch, take_front, unframe, PackError, Part};
use crate::engine::discover::Vectors;
use crate::engine::facets::{FacetIndex, FacetsReader, VALUES_PER_STEP};
use crate::engine::index::{EntityShards, HeadIndex, SearchIndex};
use crate::engine::map::Layout;

/// The first bytes of a sharded pack's head.
pub const HEAD_MAGIC: &[u8; 8] = b"FOLIOHED";

/// Below this many bytes a whole pack is written as one file: loading it
/// whole is about as quick as a head and a first query's shards.
pub const SHARD_THRESHOLD: usize = 8_000_000;

/// How many bytes of items a shard gathers before the next one starts (a
/// single item larger than that is a shard of its own). Clamped to at
/// least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSizes {
    pub postings: usize,
    pub positions: usize,
    pub records: usize,
    pub entities: usize,
    /// Facet shards, for the paper lists of groups whose lists take more
    /// than `facet_lists_in_head` bytes (the others stay in the head).
    pub facets: usize,
    pub facet_lists_in_head: usize,
    /// Id shards (a paper named by id, for tags and links, reads one).
    pub ids: usize,
    /// Vector shards (recommendations read them all; a shard is a range of
    /// papers, `dims + 4` bytes each).
    pub vectors: usize,
}

impl Default for ShardSizes {
    /// Measured at 100k papers (docs/benchmarks.md): a common word's
    /// postings take about 100 kB, a paper's record about 2 kB; a first
    /// screen of 12 rows reads up to 12 record shards; a query names a few
    /// entities. The authors' paper lists (1 MB, read whole by any query's
    /// counts) are the only facet lists above 128 kB. A user's tagged
    /// papers are scattered over the ids: small id shards.
    fn default() -> Self {
        ShardSizes {
            postings: 64 * 1024,
            positions: 128 * 1024,
            records: 16 * 1024,
            entities: 32 * 1024,
            facets: 128 * 1024,
            facet_lists_in_head: 128 * 1024,
            ids: 8 * 1024,
            vectors: 256 * 1024,
        }
    }
}

/// A sharded pack as files: the head and each shard with its path
/// relative to the head's folder (`shards/<hash>.bin`), its bytes as
/// they are to be served ([`crate::engine::explorer::Explorer::into_served_shards`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardedPack {
    pub head: Vec<u8>,
    pub shards: Vec<(String, Vec<u8>)>,
}

/// A sharded pack's head, decoded.
pub(crate) struct Head {
    pub meta_json: String,
    /// Each id shard's first id.
    pub ids: FrontCoded,
    pub facets: FacetIndex,
    /// The search index without postings and entity table
    /// ([`SearchIndex::to_head`], [`SearchIndex::take_entities`]).
    pub index: SearchIndex,
    pub postings: Vec<ShardEntry>,
    pub positions: Vec<ShardEntry>,
    pub records: Vec<ShardEntry>,
    pub entities: EntityShards,
    pub facet_lists: Vec<ShardEntry>,
    /// The title order's shard (one).
    pub order: Vec<ShardEntry>,
    pub id_shards: Vec<ShardEntry>,
    /// The paper vectors' shards (empty: none) and papers per shard.
    pub vectors: Vec<ShardEntry>,
    pub vector_papers: u32,
    /// The corpus map's shard (empty: none).
    pub map: Vec<ShardEntry>,
    /// Each kind's shards as the host serves them (gzipped by the
    /// compiler), in bytes, in [`ShardKind`] order; empty in a head
    /// written before they were recorded.
    pub served: Vec<u64>,
}

/// The head's body as stored (postcard), framed like a whole pack's index
/// section: dictionary and facets in their compact forms
/// ([`super::compact`]), then the shard tables. Postcard writes a struct as
/// its fields one after the other, so the tables nested here are stored
/// exactly as if they were fields of this struct. After it in the body,
/// each kind's served bytes ([`Head::served`], a postcard `Vec<u64>`):
/// a body that ends with the form (a head written before they were
/// recorded, such as a corpus kept in a browser) reads as their being
/// unknown, so no pack version changed for them.
#[derive(Serialize, Deserialize)]
struct HeadForm {
    meta_json: String,
    /// Each id shard's first id (front coded).
    ids: FrontCoded,
    facets: FacetIndex,
    index: HeadIndex,
    tables: HeadTables,
}

/// The head's fields after its search index: the shard tables.
#[derive(Serialize, Deserialize)]
struct HeadTables {
    #[serde(with = "table")]
    postings: Vec<ShardEntry>,
    #[serde(with = "table")]
    positions: Vec<ShardEntry>,
    #[serde(with = "table")]
    records: Vec<ShardEntry>,
    entities: EntityShards,
    #[serde(with = "table")]
    facet_lists: Vec<ShardEntry>,
    #[serde(with = "table")]
    order: Vec<ShardEntry>,
    #[serde(with = "table")]
    id_shards: Vec<ShardEntry>,
    #[serde(with = "table")]
    vectors: Vec<ShardEntry>,
    vector_papers: u32,
    #[serde(with = "table")]
    map: Vec<ShardEntry>,
}

impl Head {
    /// Cuts a whole corpus into a head and shards: `index` still holds its
    /// postings; `records` and `ends` are the records section and where
    /// each record ends; `discovery` the paper vectors and the map, when
    /// the compiler made them. Each shard's file is `serve` of its bytes
    /// (the compiler gzips them), and the head records each kind's total.
    #[allow(clippy::too_many_arguments)]
    pub fn write(
        meta_json: String,
        ids: &IdTable,
        by_title: Vec<u32>,
        mut facets: FacetIndex,
        mut index: SearchIndex,
        records: &[u8],
        ends: &[u32],
        discovery: (Option<&Vectors>, Option<&Layout>),
        sizes: ShardSizes,
        serve: &mut dyn FnMut(Vec<u8>) -> Vec<u8>,
    ) -> ShardedPack {
        let mut files = Files { files: Vec::new(), served: vec![0; ShardKind::ALL.len()], serve };
        let table = index.take_entities();
        // Strings and integers always serialize.
        let items: Vec<Vec<u8>> =
            table.iter().map(|item| postcard::to_allocvec(item).unwrap_or_default()).collect();
        let entries = cut(ShardKind::Entities, items.iter().map(Vec::as_slice), sizes.entities, &mut files);
        let firsts = entries.iter().map(|e| table[e.first as usize].0.clone()).collect();
        let entities = EntityShards { entries, firsts, count: table.len() as u32 };
        let terms = index.term_count() as u32;
        let postings =
            cut(ShardKind::Postings, (0..terms).map(|t| index.term_parts(t).0), sizes.postings, &mut files);
        let positions =
            cut(ShardKind::Positions, (0..terms).map(|t| index.term_parts(t).1), sizes.positions, &mut files);
        let starts = std::iter::once(0).chain(ends.iter().copied());
        let record_items = starts.zip(ends).map(|(start, &end)| &records[start as usize..end as usize]);
        let records = cut(ShardKind::Records, record_items, sizes.records, &mut files);
        let lists = facets.cut_lists(sizes.facet_lists_in_head);
        let facet_lists = cut(ShardKind::Facets, lists.iter().map(Vec::as_slice), sizes.facets, &mut files);
        // Integers and bytes always serialize.
        let order = postcard::to_allocvec(&Packed::new(&by_title)).unwrap_or_default();
        let order = cut(ShardKind::Order, std::iter::once(order.as_slice()), order.len(), &mut files);
        // One block per shard (a target of 1 byte), keyed by its number.
        let (firsts, blocks) = super::ids::cut(ids, sizes.ids);
        let id_shards = cut(ShardKind::Ids, blocks.iter().map(Vec::as_slice), 1, &mut files);
        // One range of papers per vector shard (keyed by its number), one
        // map shard.
        let (vectors, map) = discovery;
        let vector_papers = vectors.map_or(0, |v| (sizes.vectors / (v.dims() + 4)).max(1));
        let ranges: Vec<Vec<u8>> =
            vectors.map_or_else(Vec::new, |v| v.split(vector_papers).iter().map(Vectors::to_bytes).collect());
        let vectors = cut(ShardKind::Vectors, ranges.iter().map(Vec::as_slice), 1, &mut files);
        let map_bytes: Vec<Vec<u8>> = map.map(Layout::to_bytes).into_iter().collect();
        let map = cut(ShardKind::Map, map_bytes.iter().map(Vec::as_slice), 1, &mut files);
        let head = HeadForm {
            meta_json,
            ids: firsts,
            facets,
            index: index.to_head(),
            tables: HeadTables {
                postings,
                positions,
                records,
                entities,
                facet_lists,
                order,
                id_shards,
                vectors,
                vector_papers: vector_papers as u32,
                map,
            },
        };
        ShardedPack { head: head.encode(&files.served), shards: files.files }
    }

    /// Reads a head, refused whole when its header, checksum, encoding or
    /// any table disagrees (shard tables included): every part of a
    /// [`HeadDecoder`] at once.
    pub fn decode(bytes: &[u8]) -> Result<Head, PackError> {
        HeadDecoder::new(bytes.to_vec())?.finish()
    }

    /// Checks the parts against each other and the paper count.
    fn check(&self) -> Result<(), PackError> {
        let n = self.index.doc_count();
        check_tables(n, &self.facets, &self.index)?;
        if self.order.len() != 1 || self.order[0].first != 0 {
            return Err(mismatch("the title order's shard table", n));
        }
        if !super::shards::ShardSet::is_consistent(&self.records, n as u32)
            || (n > 0 && self.records.is_empty())
        {
            return Err(mismatch("the records' shard table", n));
        }
        Ok(())
    }
}

/// A head read a part at a time ([`HeadDecoder::step`]), so that a page
/// can paint between parts: at 100k papers the head is decoded in tens of
/// milliseconds, one part at a time in under 30; the facets, the largest
/// part (over 100,000 values), a slice of values per step
/// ([`FacetsReader`]). Reads what [`Head::decode`] reads, with the same
/// checks: a postcard struct is its fields one after the other, so each
/// part is taken from where the one before ended.
pub struct HeadDecoder {
    bytes: Vec<u8>,
    /// Where the body ends in `bytes`, and how far it is read.
    end: usize,
    at: usize,
    done: usize,
    /// A step failed: every later one is an error too.
    failed: bool,
    meta_json: Option<String>,
    ids: Option<FrontCoded>,
    /// The facets being read, then read.
    facets_read: Option<FacetsReader>,
    values_per_step: usize,
    facets: Option<FacetIndex>,
    index: Option<HeadIndex>,
    search: Option<SearchIndex>,
    head: Option<Head>,
}

/// The parts a [`HeadDecoder`] reads, in order (named for traces and the
/// benchmark).
pub const HEAD_PARTS: [&str; 5] =
    ["metadata and ids", "facets", "dictionary", "search index", "shard tables and checks"];

impl HeadDecoder {
    /// Checks the head's frame (magic, version, checksum, length): a head
    /// refused here is refused whole, as by [`Head::decode`].
    pub fn new(bytes: Vec<u8>) -> Result<Self, PackError> {
        let (body, end) = unframe(HEAD_MAGIC, &bytes)?;
        if end != bytes.len() {
            return Err(PackError::Malformed("bytes after the head".to_owned()));
        }
        let at = end - body.len();
        Ok(HeadDecoder {
            bytes,
            end,
            at,
            done: 0,
            failed: false,
            meta_json: None,
            ids: None,
            facets_read: None,
            values_per_step: VALUES_PER_STEP,
            facets: None,
            index: None,
            search: None,
            head: None,
        })
    }

    /// Makes at most about `values` facet values a step (tests: the
    /// facets of a small corpus in many steps).
    #[cfg(test)]
    fn with_values_per_step(mut self, values: usize) -> Self {
        self.values_per_step = values;
        self
    }

    /// The next part, read from where the last one ended.
    fn take<T: serde::de::DeserializeOwned>(&mut self) -> Result<T, PackError> {
        let mut rest = &self.bytes[self.at..self.end];
        let value = take_front(&mut rest)?;
        self.at = self.end - rest.len();
        Ok(value)
    }

    /// The part the next [`step`](Self::step) reads (`None`: all read).
    pub fn next_part(&self) -> Option<&'static str> {
        HEAD_PARTS.get(self.done).copied()
    }

    /// Reads the next part (the facets: their next slice);
    /// `Ok(false)` once every part is read. A part that does not decode,
    /// or disagrees with the parts before it, is an error (and so is every
    /// later step).
    pub fn step(&mut self) -> Result<bool, PackError> {
        if self.failed {
            return Err(PackError::Malformed("an earlier part of the head does not decode".to_owned()));
        }
        let stepped = self.step_part();
        self.failed = stepped.is_err();
        stepped
    }

    fn step_part(&mut self) -> Result<bool, PackError> {
        let missing = || PackError::Malformed("the head was read out of order".to_owned());
        match self.done {
            0 => {
                self.meta_json = Some(self.take()?);
                self.ids = Some(self.take()?);
            }
            1 => {
                let mut rest = &self.bytes[self.at..self.end];
                if self.facets_read.is_none() {
                    self.facets_read = Some(FacetsReader::new(&mut rest)?);
                }
                let reader = self.facets_read.as_mut().ok_or_else(missing)?;
                let read = reader.step(&mut rest, self.values_per_step)?;
                self.at = self.end - rest.len();
                if !read {
                    return Ok(true);
                }
                self.facets = Some(self.facets_read.take().ok_or_else(missing)?.finish()?);
            }
            2 => self.index = Some(self.take()?),
            3 => {
                let form = self.index.take().ok_or_else(missing)?;
                let n = form.doc_count() as usize;
                self.search =
                    Some(SearchIndex::from_head(form).ok_or_else(|| mismatch("the search index", n))?);
            }
            4 => {
                let tables: HeadTables = self.take()?;
                let served: Vec<u64> = if self.at == self.end { Vec::new() } else { self.take()? };
                if self.at != self.end {
                    return Err(PackError::Malformed("bytes after the head's tables".to_owned()));
                }
                if !(served.is_empty() || served.len() == ShardKind::ALL.len()) {
                    let kinds = ShardKind::ALL.len();
                    let said =
                        format!("the head has served sizes for {} shard kinds, not {kinds}", served.len());
                    return Err(PackError::Malformed(said));
                }
                let index = self.search.take().ok_or_else(missing)?;
                let head = Head {
                    meta_json: self.meta_json.take().ok_or_else(missing)?,
                    ids: self.ids.take().ok_or_else(missing)?,
                    facets: self.facets.take().ok_or_else(missing)?,
                    index,
                    postings: tables.postings,
                    positions: tables.positions,
                    records: tables.records,
                    entities: tables.entities,
                    facet_lists: tables.facet_lists,
                    order: tables.order,
                    id_shards: tables.id_shards,
                    vectors: tables.vectors,
                    vector_papers: tables.vector_papers,
                    map: tables.map,
                    served,
                };
                head.check()?;
                self.head = Some(head);
            }
            _ => return Ok(false),
        }
        self.done += 1;
        Ok(self.done < HEAD_PARTS.len())
    }

    /// The head, once every part is read (else an error).
    pub(crate) fn finish(mut self) -> Result<Head, PackError> {
        while self.step()? {}
        self.head.take().ok_or_else(|| PackError::Malformed("the head was read out of order".to_owned()))
    }
}

/// The title order of `n` papers from its shard's item, refused unless it
/// orders each paper once.
pub(crate) fn title_order(item: &[u8], n: usize) -> Result<Vec<u32>, PackError> {
    let packed: Packed = postcard::from_bytes(item).map_err(|e| PackError::Malformed(e.to_string()))?;
    let order = packed.decode().ok_or_else(|| mismatch("the title order", n))?;
    super::check_order(n, &order)?;
    Ok(order)
}

/// The parts of a head with their sizes (they add up to its length), for
/// the benchmark: what the first paint downloads.
pub fn head_breakdown(bytes: &[u8]) -> Result<Vec<Part>, PackError> {
    let (body, _) = unframe(HEAD_MAGIC, bytes)?;
    let form: HeadForm = postcard::from_bytes(body).map_err(|e| PackError::Malformed(e.to_string()))?;
    let part = |name: &str, bytes, items| Part { section: "head", name: name.to_owned(), bytes, items };
    let mut parts = vec![
        part("header (magic, version, checksum, length)", bytes.len() - body.len(), None),
        part("bundle metadata (catalog, taxonomy, sources) as JSON", encoded_len(&form.meta_json), None),
        part(
            "paper ids: each id shard's first id (front coded)",
            encoded_len(&form.ids),
            Some(form.ids.len()),
        ),
    ];
    for (name, size, items) in form.index.encoded_parts() {
        parts.push(part(name, size, items));
    }
    for group in form.facets.encoded_parts() {
        let name = format!("facets: {}: values (front coded)", group.key);
        parts.push(part(&name, group.value_bytes, Some(group.values)));
        let name = match group.in_shards {
            true => format!("facets: {}: papers per value (paper lists in facet shards)", group.key),
            false => format!("facets: {}: paper lists (gaps)", group.key),
        };
        parts.push(part(&name, group.doc_bytes, Some(group.pairs)));
    }
    for (name, table) in [
        ("postings", &form.tables.postings),
        ("positions", &form.tables.positions),
        ("records", &form.tables.records),
        ("ids", &form.tables.id_shards),
        ("vectors", &form.tables.vectors),
        ("map", &form.tables.map),
    ] {
        parts.push(part(&format!("shard table: {name}"), table_len(table), Some(table.len())));
    }
    let entities = &form.tables.entities;
    parts.push(part("shard table: entities", encoded_len(entities), Some(entities.entries.len())));
    let facets = &form.tables.facet_lists;
    parts.push(part("shard table: facets", table_len(facets), Some(facets.len())));
    parts.push(part(
        "shard table: title order",
        table_len(&form.tables.order),
        Some(form.tables.order.len()),
    ));
    let counted: usize = parts.iter().map(|p| p.bytes).sum();
    parts.push(part("encoding overhead (lengths, counts)", bytes.len().saturating_sub(counted), None));
    Ok(parts)
}

impl HeadForm {
    /// The head's bytes, with each kind's `served` bytes after the form.
    fn encode(&self, served: &[u64]) -> Vec<u8> {
        // Strings, vectors and maps always serialize.
        let mut body = postcard::to_allocvec(self).unwrap_or_default();
        if !served.is_empty() {
            body.extend(postcard::to_allocvec(served).unwrap_or_default());
        }
        frame(HEAD_MAGIC, &body, 0)
    }
}

/// The shards' files as [`cut`] makes them, and each kind's served bytes.
struct Files<'s> {
    files: Vec<(String, Vec<u8>)>,
    served: Vec<u64>,
    serve: &'s mut dyn FnMut(Vec<u8>) -> Vec<u8>,
}

/// Gathers consecutive items into shards of `kind` of about `target`
/// bytes, pushes their files onto `files` (as served), and returns their
/// table (of their plain bytes). Every key gets a shard, empty items
/// included, so that any key finds its shard.
fn cut<'a>(
    kind: ShardKind,
    items: impl Iterator<Item = &'a [u8]>,
    target: usize,
    files: &mut Files<'_>,
) -> Vec<ShardEntry> {
    let target = target.max(1);
    let mut table = Vec::new();
    let mut pending: Vec<&[u8]> = Vec::new();
    let (mut first, mut size) = (0u32, 0usize);
    let mut flush = |first: u32, pending: &mut Vec<&[u8]>, table: &mut Vec<ShardEntry>| {
        let bytes = Shard::new(first, pending).encode();
        let entry = ShardEntry { first, bytes: bytes.len() as u32, hash: xxhash_rust::xxh3::xxh3_64(&bytes) };
        let served = (files.serve)(bytes);
        files.served[kind as usize] += served.len() as u64;
        files.files.push((entry.path(), served));
        table.push(entry);
        pending.clear();
    };
    for (key, item) in (0u32..).zip(items) {
        if size > 0 && size + item.len() > target {
            flush(first, &mut pending, &mut table);
            (first, size) = (key, 0);
        }
        pending.push(item);
        size += item.len().max(1);
    }
    if !pending.is_empty() {
        flush(first, &mut pending, &mut table);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::compile::{compile, CompileOptions, Input};
    use crate::engine::explorer::Explorer;

    const SEED: &[u8] = include_bytes!("../../../corpus/000_aec88eee982df8fa.txt");
    const SMALL: ShardSizes = ShardSizes {
        postings: 600,
        positions: 1500,
        records: 3000,
        entities: 500,
        facets: 40,
        facet_lists_in_head: 40,
        ids: 60,
        vectors: 600,
    };

    fn seed_head() -> HeadForm {
        let bundle = compile(&[Input { name: "seed.txt", bytes: SEED }], &CompileOptions::default()).bundle;
        let pack =
            Explorer::new(bundle.expect("the seed compiles")).into_sharded(SMALL).expect("a whole corpus");
        let (body, _) = unframe(HEAD_MAGIC, &pack.head).expect("its own head");
        postcard::from_bytes(body).expect("its own head")
    }

    /// A head changed by `change`, framed with a valid checksum, is refused
    /// with a message containing `message`.
    #[track_caller]
    fn check_refused(change: impl FnOnce(&mut HeadForm), message: &str) {
        let mut head = seed_head();
        change(&mut head);
        let bytes = head.encode(&[]);
        let err = Explorer::from_head(&bytes).err().expect("refused");
        assert!(err.to_string().contains(message), "{err}");
    }

    #[test]
    fn a_head_whose_tables_disagree_with_each_other_is_refused() {
        let bytes = seed_head().encode(&[]);
        assert!(Explorer::from_head(&bytes).is_ok(), "re-framed unchanged, it reads");
        check_refused(|h| h.tables.records[0].first = 1, "the records' shard table");
        check_refused(|h| h.tables.records.clear(), "the records' shard table");
        check_refused(|h| h.tables.records.push(h.tables.records[0].clone()), "the records' shard table");
        check_refused(|h| h.tables.postings.reverse(), "the shard tables do not match the index");
        check_refused(|h| h.tables.positions.clear(), "the shard tables do not match the index");
        check_refused(|h| drop(h.tables.entities.firsts.pop()), "the shard tables do not match the index");
        check_refused(|h| h.tables.entities.firsts.swap(0, 1), "the shard tables do not match the index");
        check_refused(|h| h.tables.entities.count = 0, "the shard tables do not match the index");
        check_refused(|h| h.tables.order.clear(), "the title order's shard table");
        check_refused(|h| h.tables.order.push(h.tables.order[0].clone()), "the title order's shard table");
        let fewer = |h: &mut HeadForm| {
            let firsts = h.ids.strings().expect("its own ids");
            h.ids = FrontCoded::new(firsts[1..].iter().map(String::as_str));
        };
        check_refused(fewer, "the ids' shard table");
        check_refused(|h| h.ids = FrontCoded::default(), "the ids' shard table");
        check_refused(|h| h.tables.id_shards[1].first = 0, "the ids' shard table");
    }

    #[test]
    fn each_kinds_served_bytes_are_recorded_and_a_head_without_them_reads_as_plain() {
        let input = Input { name: "seed.txt", bytes: SEED };
        let bundle = compile(&[input], &CompileOptions::default()).bundle.expect("it compiles");
        // Files a third of their bytes, as gzip makes them.
        let pack =
            Explorer::new(bundle).into_served_shards(SMALL, &mut |b| b[..b.len() / 3].to_vec()).unwrap();
        let with = Explorer::from_head(&pack.head).expect("its own head");
        let without = Explorer::from_head(&seed_head().encode(&[])).expect("a head as written before");
        let err = Explorer::from_head(&seed_head().encode(&[1, 2, 3])).err().expect("three kinds: refused");
        assert!(err.to_string().contains("served sizes for 3 shard kinds, not 9"), "{err}");
        for kind in ShardKind::ALL {
            let ids: Vec<_> = with.shard_ids(kind).collect();
            let files: u64 = pack
                .shards
                .iter()
                .filter(|(path, _)| ids.iter().any(|&id| with.shard_entry(id).unwrap().path() == *path))
                .map(|(_, bytes)| bytes.len() as u64)
                .sum();
            let plain: u64 = ids.iter().map(|&id| u64::from(with.shard_entry(id).unwrap().bytes)).sum();
            assert_eq!(with.served_total(kind), files, "{kind:?}");
            assert_eq!(without.served_total(kind), plain, "{kind:?}: unknown, so plain");
            for &id in &ids {
                let bytes = u64::from(with.shard_entry(id).unwrap().bytes);
                assert_eq!(without.served_bytes(id), Some(bytes));
                let share = with.served_bytes(id).unwrap();
                assert!(share.abs_diff(bytes / 3) <= 1 + bytes / 100, "{id:?}: {share} for {bytes}");
            }
        }
    }

    /// A corpus of `n` generated papers (JSON Lines, years and authors
    /// varied) as a sharded pack's head.
    fn generated_head(n: usize) -> Vec<u8> {
        let words = ["graph", "neural", "translation", "decoding", "sparse", "retrieval", "speech", "vision"];
        let lines: Vec<String> = (0..n)
            .map(|i| {
                let (a, b) = (words[i % words.len()], words[(i / 3) % words.len()]);
                format!(
                    r#"{{"title": "On {a} {b} number {i}", "abstract": "We study {a} and {b} in setting {i}.", "authors": ["Author {}", "Author {}"], "year": {}}}"#,
                    i % 17,
                    i % 5,
                    1990 + i % 30
                )
            })
            .collect();
        let text = lines.join("\n");
        let input = Input { name: "papers.jsonl", bytes: text.as_bytes() };
        let bundle = compile(&[input], &CompileOptions::default()).bundle.expect("it compiles");
        Explorer::new(bundle).into_sharded(SMALL).expect("a whole corpus").head
    }

    fn seed_head_bytes() -> Vec<u8> {
        seed_head().encode(&[])
    }

    /// A decoded head encoded again (the bytes it was read from).
    fn encoded(head: &Head) -> Vec<u8> {
        HeadForm {
            meta_json: head.meta_json.clone(),
            ids: head.ids.clone(),
            facets: head.facets.clone(),
            index: head.index.to_head(),
            tables: HeadTables {
                postings: head.postings.clone(),
                positions: head.positions.clone(),
                records: head.records.clone(),
                entities: EntityShards {
                    entries: head.entities.entries.clone(),
                    firsts: head.entities.firsts.clone(),
                    count: head.entities.count,
                },
                facet_lists: head.facet_lists.clone(),
                order: head.order.clone(),
                id_shards: head.id_shards.clone(),
                vectors: head.vectors.clone(),
                vector_papers: head.vector_papers,
                map: head.map.clone(),
            },
        }
        .encode(&head.served)
    }

    /// `bytes` read a part at a time, each part named in order.
    fn stepwise(bytes: &[u8]) -> Result<Head, PackError> {
        stepwise_by(bytes, VALUES_PER_STEP).map_err(|(err, _)| err)
    }

    /// `bytes` read a part at a time, facets `values` values a step: the
    /// head, or the error and the part whose step made it.
    fn stepwise_by(bytes: &[u8], values: usize) -> Result<Head, (PackError, Option<&'static str>)> {
        let mut decoder =
            HeadDecoder::new(bytes.to_vec()).map_err(|err| (err, None))?.with_values_per_step(values);
        let mut parts = Vec::new();
        loop {
            let part = decoder.next_part();
            parts.extend(part);
            match decoder.step() {
                Ok(true) => {}
                Ok(false) => break,
                Err(err) => {
                    assert!(decoder.step().is_err(), "every step after a failed one fails");
                    return Err((err, part));
                }
            }
        }
        let facet_steps = parts.iter().filter(|&&p| p == "facets").count();
        parts.dedup();
        assert_eq!(parts, HEAD_PARTS, "every part, in order (the facets in {facet_steps} steps)");
        assert_eq!(decoder.next_part(), None);
        decoder.finish().map_err(|err| (err, None))
    }

    #[test]
    fn a_head_read_a_part_at_a_time_is_the_head_written() {
        for bytes in [seed_head_bytes(), generated_head(600)] {
            let stepwise = stepwise(&bytes).expect("its own head");
            assert_eq!(encoded(&stepwise), bytes, "nothing lost, nothing changed");
            for values in [1, 5, 100] {
                let stepwise = stepwise_by(&bytes, values).map_err(|(err, _)| err).expect("its own head");
                assert_eq!(encoded(&stepwise), bytes, "facets {values} values a step");
            }
            let explorer = Explorer::from_head_decoder(HeadDecoder::new(bytes.clone()).expect("framed"));
            let explorer = explorer.expect("an explorer");
            assert_eq!(explorer.len(), Explorer::from_head(&bytes).expect("an explorer").len());
        }
    }

    #[test]
    fn a_truncated_or_corrupt_head_read_a_part_at_a_time_is_an_error_as_read_at_once() {
        let bytes = generated_head(300);
        let (body, _) = unframe(HEAD_MAGIC, &bytes).expect("its own head");
        // Cut short: the frame says so.
        let header = super::super::HEADER;
        for cut in [0, 8, header - 1, header, bytes.len() / 2, bytes.len() - 1] {
            assert!(HeadDecoder::new(bytes[..cut].to_vec()).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(HeadDecoder::new(longer).is_err());
        // A body cut short or with a byte changed, framed again (a valid
        // checksum): both readers refuse it, or read the same head.
        let step = (body.len() / 97).max(1);
        let mut bodies: Vec<Vec<u8>> =
            (0..body.len()).step_by(step).map(|cut| body[..cut].to_vec()).collect();
        for at in (0..body.len()).step_by(step) {
            let mut changed = body.to_vec();
            changed[at] ^= 0x5a;
            bodies.push(changed);
        }
        let mut more = body.to_vec();
        more.push(0);
        bodies.push(more);
        for (i, body) in bodies.iter().enumerate() {
            let framed = frame(HEAD_MAGIC, body, 0);
            match (Head::decode(&framed), stepwise(&framed)) {
                (Err(_), Err(_)) => {}
                (Ok(at_once), Ok(stepwise)) => assert_eq!(encoded(&stepwise), encoded(&at_once), "case {i}"),
                (at_once, stepwise) => {
                    panic!("case {i}: {:?} at once, {:?} stepwise", at_once.err(), stepwise.err())
                }
            }
        }
        // Every body cut short is refused.
        for cut in (0..body.len()).step_by(step) {
            assert!(stepwise(&frame(HEAD_MAGIC, &body[..cut], 0)).is_err(), "body cut at {cut}");
        }
    }

    #[test]
    fn a_head_whose_facets_are_cut_or_corrupt_is_refused_at_a_facets_step() {
        let bytes = generated_head(300);
        let (body, _) = unframe(HEAD_MAGIC, &bytes).expect("its own head");
        let form: HeadForm = postcard::from_bytes(body).expect("its own head");
        let start = encoded_len(&form.meta_json) + encoded_len(&form.ids);
        let end = start + encoded_len(&form.facets);
        for values in [1, 40, VALUES_PER_STEP] {
            // Cut inside the facets: refused while reading them.
            for cut in (start..end).step_by(((end - start) / 50).max(1)) {
                let err = stepwise_by(&frame(HEAD_MAGIC, &body[..cut], 0), values).err();
                let (err, part) = err.expect("refused");
                assert_eq!(part, Some("facets"), "cut at {cut}: {err}");
                assert!(Head::decode(&frame(HEAD_MAGIC, &body[..cut], 0)).is_err());
            }
            // A group's values out of order.
            let mut head = body[..start].to_vec();
            head.extend(form.facets.stored_out_of_order());
            head.extend(&body[end..]);
            let framed = frame(HEAD_MAGIC, &head, 0);
            let (err, part) = stepwise_by(&framed, values).err().expect("refused");
            assert_eq!(part, Some("facets"), "{err}");
            assert!(err.to_string().contains("does not decode"), "{err}");
            assert!(Head::decode(&framed).is_err(), "refused whole too");
        }
    }
}
