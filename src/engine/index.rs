//! The search index: a sorted term dictionary (prefix ranges, fuzzy and stem
//! candidates), compact postings with field, term frequency and word
//! positions (for phrases), field lengths for BM25F, and side tables for
//! years and extracted entities.
//!
//! Built from a bundle's papers by [`crate::engine::explorer::Explorer::new`]:
//! by the compiler, which ships it serialized in the app pack
//! ([`crate::engine::pack`], versioned by its `PACK_VERSION`) so that the
//! browser copies it instead of rebuilding it, and by the browser itself
//! only when it falls back to `bundle.json`. The bundle format stays free of
//! index versions.
//!
//! # Postings layout
//!
//! All postings live in one byte vector, term after term in dictionary
//! order. A term's list has one posting per (paper, field) in paper order;
//! its word positions are kept apart, after the postings, so that scoring
//! (which needs no positions) reads two bytes or so per posting and a phrase
//! reads the positions of the papers it checks only. In LEB128 varints:
//!
//! ```text
//! length of the postings part, in bytes
//! per posting: doc delta (from the previous posting; the first is absolute)
//!              tf << 2 | field
//! per posting of the title or abstract, in the same order:
//!              tf position deltas (the first is absolute)
//! ```
//!
//! About 1.3 bytes per word occurrence, a tenth of fixed-width tuples.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::analyze::{fold, for_each_part, stem, tokenize, TokenKind};
use super::bundle::enrichment::Enrichment;
use super::bundle::Paper;
use super::facet_kind::text_values;
use super::facets::DocSet;
use super::pack::compact::FrontCoded;
use super::pack::shards::{Shard, ShardEntry, ShardKind, ShardSet};
use super::pack::PackError;
use super::query::Field;

/// One posting: a paper, a field and how often the term occurs there
/// (its positions: [`Postings::positions`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub field: Field,
    pub tf: u32,
}

/// Word positions of a term in a field, ascending.
#[derive(Debug, Clone, Copy, Default)]
pub struct Positions<'a> {
    bytes: &'a [u8],
    at: u32,
}

impl Iterator for Positions<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.bytes.is_empty() {
            return None;
        }
        self.at += read_varint(&mut self.bytes);
        Some(self.at)
    }
}

/// A term's postings in paper order (see the module docs for the layout).
#[derive(Debug, Clone)]
pub struct Postings<'a> {
    bytes: &'a [u8],
    doc: u32,
    /// The positions part from the first posting not read yet.
    positions: &'a [u8],
    /// Position varints of the postings passed over, not skipped yet.
    pending: u32,
    /// Position varints of the last posting returned.
    last: u32,
    /// In a sharded pack: the positions shards and this term, read when
    /// positions are first asked for (only phrases ask).
    lazy_positions: Option<(&'a ShardSet, u32)>,
}

impl<'a> Iterator for Postings<'a> {
    type Item = Posting;

    // Hot (once per posting): `opt-level = "z"` would not inline it.
    #[inline(always)]
    fn next(&mut self) -> Option<Posting> {
        if self.bytes.is_empty() {
            return None;
        }
        self.doc += read_varint(&mut self.bytes);
        let header = read_varint(&mut self.bytes);
        let (tf, field) = (header >> 2, field_from(header));
        self.pending += self.last;
        self.last = if has_positions(field) { tf } else { 0 };
        Some(Posting { doc: self.doc, field, tf })
    }
}

impl<'a> Postings<'a> {
    /// Bytes of the postings part not read yet.
    #[inline(always)]
    pub fn remaining(&self) -> usize {
        self.bytes.len()
    }

    /// The positions of the posting [`next`](Iterator::next) returned last
    /// (empty for authors and entities, and when asked twice). Skipping the
    /// positions of the postings passed over is one pass over their bytes.
    pub fn positions(&mut self) -> Positions<'a> {
        if let Some((shards, term)) = self.lazy_positions.take() {
            self.positions = shards.get(term).unwrap_or(&[]);
        }
        if self.pending > 0 {
            let skip = varints_length(self.positions, self.pending);
            self.positions = &self.positions[skip..];
            self.pending = 0;
        }
        let length = varints_length(self.positions, self.last);
        let (bytes, rest) = self.positions.split_at(length);
        self.positions = rest;
        self.last = 0;
        Positions { bytes, at: 0 }
    }
}

/// The number of bytes the first `count` varints of `bytes` take (all of
/// `bytes` if it holds fewer). Counts the bytes that end a varint eight at a
/// time: positions are most of the postings, and skipping them is most of
/// reading the postings of a common word.
fn varints_length(bytes: &[u8], count: u32) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut left = count;
    let mut at = 0;
    while left > 0 && at + 8 <= bytes.len() {
        let mut chunk = [0u8; 8];
        chunk.copy_from_slice(&bytes[at..at + 8]);
        let mut ends = !u64::from_le_bytes(chunk) & HIGH;
        let found = ends.count_ones();
        if found < left {
            left -= found;
            at += 8;
            continue;
        }
        for _ in 1..left {
            ends &= ends - 1;
        }
        return at + ends.trailing_zeros() as usize / 8 + 1;
    }
    while left > 0 && at < bytes.len() {
        left -= u32::from(bytes[at] < 0x80);
        at += 1;
    }
    at
}

/// Searchable values of a paper beyond its text (extracted entities, topics).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extra {
    /// The facet key of its kind ([`crate::engine::facet_kind::FacetKind::key`]).
    pub kind: String,
    /// The canonical name.
    pub value: String,
}

impl Extra {
    /// The searchable values the compiler extracted into `enrichment`
    /// (entities with their families, topics and keyphrases: the facet
    /// values of [`text_values`], under their facet keys).
    pub fn of(enrichment: &Enrichment) -> Vec<Extra> {
        text_values(enrichment)
            .into_iter()
            .map(|(kind, value)| Extra { kind: kind.key().to_owned(), value })
            .collect()
    }
}

/// Serializable (`serde`) so the compiler can ship it precomputed in the
/// app pack; every field must stay serializable. The tables a sharded
/// head keeps are shared (`Arc`, stored as the table itself): a clone
/// ([`Clone`]) costs the shard tables and the summaries' map, which is
/// how an exploration keeps the index it searched while the explorer's
/// shards come and go (`explorer::Rest`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SearchIndex {
    /// Every term, concatenated in sorted order; a term id is its rank.
    term_text: Arc<String>,
    /// Start of each term in `term_text` (len = terms + 1).
    term_starts: Arc<Vec<u32>>,
    /// Papers containing each term (in any field).
    df: Arc<Vec<u32>>,
    /// Start of each term's postings in `postings` (len = terms + 1).
    offsets: Vec<u32>,
    /// Encoded postings, see the module docs.
    #[serde(with = "serde_bytes")]
    postings: Vec<u8>,
    /// Per field, the length (in words) of each paper's field.
    lengths: Arc<[Vec<u16>; 4]>,
    average: [f32; 4],
    years: Arc<Vec<Option<i32>>>,
    /// (kind, folded canonical name) -> papers, ascending.
    #[serde(serialize_with = "super::pack::sorted")]
    entities: HashMap<(String, String), Vec<u32>>,
    doc_count: usize,
    /// In a sharded pack's head, where `offsets` and `postings` are empty:
    /// the postings and positions shards, and those loaded.
    #[serde(skip)]
    shards: Option<Box<IndexShards>>,
    /// Summaries of common terms' postings (papers, per-block maximum
    /// impacts), made when first needed: the top-k of a query is found
    /// without scoring every match (`search::topk`). In a sharded index,
    /// only of terms whose postings shard is held, and forgotten with it.
    #[serde(skip)]
    summaries: Mutex<FxHashMap<u32, Arc<TermSummary>>>,
    /// The vocabulary by length, made when first needed ("did you mean"
    /// reads it) and shared by clones: the terms are.
    #[serde(skip)]
    shapes: Arc<OnceLock<TermShapes>>,
}

impl Clone for SearchIndex {
    /// Shares the tables; copies the shard tables, the loaded shards'
    /// handles and the summaries' map (the postings and entity table of
    /// a whole index too: only a sharded one is cloned, by the explorer).
    fn clone(&self) -> Self {
        let summaries = self.summaries.lock().unwrap_or_else(PoisonError::into_inner).clone();
        SearchIndex {
            term_text: Arc::clone(&self.term_text),
            term_starts: Arc::clone(&self.term_starts),
            df: Arc::clone(&self.df),
            offsets: self.offsets.clone(),
            postings: self.postings.clone(),
            lengths: Arc::clone(&self.lengths),
            average: self.average,
            years: Arc::clone(&self.years),
            entities: self.entities.clone(),
            doc_count: self.doc_count,
            shards: self.shards.clone(),
            summaries: Mutex::new(summaries),
            shapes: Arc::clone(&self.shapes),
        }
    }
}

/// The terms of an index by their length in characters, each with the
/// letters it has as bits (what [`SearchIndex::shapes`] makes once): a
/// scan for the words a few edits from another reads the lengths that
/// can be, and rules most of those out by their letters, without reading
/// the terms.
#[derive(Debug, Default)]
pub struct TermShapes {
    /// Term ids by length, ascending within a length (so those of one
    /// first character are a run): those of `length` characters are
    /// `ids[starts[length]..starts[length + 1]]` (the last length holds
    /// every longer term too).
    pub ids: Vec<u32>,
    /// The letters of term `ids[i]` ([`letter_bits`]).
    pub letters: Vec<u64>,
    /// Where each length starts in `ids` (one more than the lengths).
    pub starts: Vec<usize>,
}

/// Terms of this many characters or more share the last length of
/// [`TermShapes`].
pub const LONGEST_SHAPE: usize = 48;

impl TermShapes {
    /// The lengths of the table that words within `max` edits of a word of
    /// `length` characters can have, the closest first (`length`, one less,
    /// one more, ...), each once: lengths of [`LONGEST_SHAPE`] or more are
    /// the table's last.
    pub fn lengths_near(length: usize, max: usize) -> Vec<usize> {
        let mut lengths = Vec::with_capacity(2 * max + 1);
        let near = (0..=max).flat_map(|d| [length.checked_sub(d), Some(length + d)]).flatten();
        for near in near.map(|l| l.min(LONGEST_SHAPE)) {
            if !lengths.contains(&near) {
                lengths.push(near);
            }
        }
        lengths
    }

    /// Term ids and letters of the terms of `length` characters (of
    /// [`LONGEST_SHAPE`] or more, for that length).
    pub fn of_length(&self, length: usize) -> (&[u32], &[u64]) {
        let length = length.min(LONGEST_SHAPE);
        match (self.starts.get(length), self.starts.get(length + 1)) {
            (Some(&a), Some(&b)) => (&self.ids[a..b], &self.letters[a..b]),
            _ => (&[], &[]),
        }
    }
}

/// The letters of a word as bits of a `u64`: two letters may share a bit,
/// so two words' bits differ in no more places than their sets of letters
/// do (an edit changes that set by two letters at most).
pub fn letter_bits(word: &str) -> u64 {
    word.chars().fold(0, |bits, c| bits | letter_bit(c))
}

#[inline(always)]
fn letter_bit(c: char) -> u64 {
    1u64 << (c as u32 % 64)
}

/// Papers per block of a term's postings in a [`TermSummary`].
pub const BLOCK: usize = 128;

/// What the top-k search reads of a common term instead of scoring all
/// its postings: its papers as a bitset (when it is in at least one paper
/// in [`DENSE`]), and per block of [`BLOCK`] papers where the block's
/// postings are and the largest weighted term frequency (BM25F's
/// `sum of weight * tf / norm` over the fields) of its papers. Computed
/// from the postings (no pack format change), for the default weights.
#[derive(Debug, Default)]
pub struct TermSummary {
    pub docs: Option<DocSet>,
    pub blocks: Vec<Block>,
}

/// A bitset of a term's papers is kept when it holds at least one paper in
/// this many (denser than a list of paper numbers would be).
pub const DENSE: usize = 16;

/// One block of a term's postings ([`TermSummary`]).
#[derive(Debug, Clone, Copy)]
pub struct Block {
    /// Byte range of the block's postings in the term's postings part.
    pub start: u32,
    pub end: u32,
    /// The paper before the block's first (its first posting's doc delta
    /// counts from it; 0 for the first block).
    pub base: u32,
    /// The largest weighted term frequency of a paper of the block.
    pub max_tfw: f32,
}

/// The postings, positions and entity table of a sharded index
/// (docs/pack-format.md).
#[derive(Debug, Clone)]
pub struct IndexShards {
    pub postings: ShardSet,
    pub positions: ShardSet,
    pub entities: ShardSet,
    /// The first key of each entity shard (the head's top level of the table).
    entity_firsts: Arc<Vec<(String, String)>>,
    entity_tables: Vec<Option<Arc<EntityTable>>>,
}

/// Where a sharded index's entity table is: its shards, the first key of
/// each, and how many keys it has.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct EntityShards {
    #[serde(with = "super::pack::shards::table")]
    pub entries: Vec<ShardEntry>,
    pub firsts: Vec<(String, String)>,
    pub count: u32,
}

/// The search index as a sharded pack's head stores it
/// ([`SearchIndex::to_head`]).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct HeadIndex {
    terms: FrontCoded,
    df: Vec<u32>,
    lengths: [Vec<u16>; 4],
    average: [f32; 4],
    /// The earliest year; a paper's year is stored as 1 + its distance
    /// from it, 0 for none.
    first_year: i32,
    years: Vec<u32>,
    doc_count: u32,
}

impl HeadIndex {
    pub fn doc_count(&self) -> u32 {
        self.doc_count
    }

    /// The bytes of each part (postcard encoding), with how many items.
    pub fn encoded_parts(&self) -> Vec<(&'static str, usize, Option<usize>)> {
        use super::pack::encoded_len as size;
        let (terms, docs) = (Some(self.terms.len()), Some(self.doc_count as usize));
        vec![
            ("dictionary: terms (front coded)", size(&self.terms), terms),
            ("dictionary: doc frequencies", size(&self.df), terms),
            ("field lengths", size(&self.lengths) + size(&self.average), docs),
            ("years (offsets from the first)", size(&self.first_year) + size(&self.years), docs),
        ]
    }
}

#[inline(always)]
fn field_from(bits: u32) -> Field {
    Field::ALL[(bits & 3) as usize]
}

#[inline(always)]
fn has_positions(field: Field) -> bool {
    matches!(field, Field::Title | Field::Abstract)
}

fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn varint_length(value: u32) -> usize {
    (32 - value.leading_zeros() as usize).max(1).div_ceil(7)
}

#[inline(always)]
fn read_varint(bytes: &mut &[u8]) -> u32 {
    // Most doc deltas and headers take one byte.
    if let Some((&b, rest)) = bytes.split_first() {
        if b < 0x80 {
            *bytes = rest;
            return u32::from(b);
        }
    }
    let mut value = 0u32;
    let mut shift = 0;
    for (i, &b) in bytes.iter().enumerate() {
        value |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            *bytes = &bytes[i + 1..];
            return value;
        }
        shift += 7;
    }
    *bytes = &[];
    value
}

/// A term while building: its encoded postings, and where its occurrences
/// in the field being indexed are (a chain through `Building::next`).
struct TermBuild {
    /// (paper, field) stamp of the field being indexed when last seen.
    stamp: u32,
    first: u32,
    last: u32,
    count: u32,
    last_doc: u32,
    df: u32,
    bytes: Vec<u8>,
    positions: Vec<u8>,
}

/// A term of up to 16 bytes as one integer: hashed and compared without
/// touching the heap (terms hold no NUL, so zero padding is unambiguous).
fn short_key(term: &str) -> Option<u128> {
    let bytes = term.as_bytes();
    (bytes.len() <= 16).then(|| {
        let mut key = [0u8; 16];
        key[..bytes.len()].copy_from_slice(bytes);
        u128::from_le_bytes(key)
    })
}

/// Scratch space reused across fields while building.
#[derive(Default)]
struct Building {
    /// Term ids by [`short_key`] (most words), and of longer terms.
    short_ids: FxHashMap<u128, u32>,
    long_ids: FxHashMap<String, u32>,
    /// Each term's text, by id.
    names: Vec<String>,
    terms: Vec<TermBuild>,
    /// Term of each word of the field being indexed.
    words: Vec<u32>,
    /// Next occurrence of the same term in `words` (u32::MAX: none).
    next: Vec<u32>,
    /// Terms seen in the field being indexed, in order of first occurrence.
    touched: Vec<u32>,
}

impl Building {
    /// Indexes one field of paper `doc`; returns its length in words.
    fn add(&mut self, doc: u32, field: Field, text: &str) -> u16 {
        let stamp = doc * 4 + field.index() as u32 + 1;
        self.words.clear();
        self.next.clear();
        self.touched.clear();
        let Building { short_ids, long_ids, names, terms, words, next, touched } = self;
        for_each_part(text, |term, _, _| {
            let key = short_key(term);
            let known = match key {
                Some(key) => short_ids.get(&key),
                None => long_ids.get(term),
            };
            let id = match known {
                Some(&id) => id,
                None => {
                    let id = terms.len() as u32;
                    match key {
                        Some(key) => short_ids.insert(key, id),
                        None => long_ids.insert(term.to_owned(), id),
                    };
                    names.push(term.to_owned());
                    terms.push(TermBuild {
                        stamp: 0,
                        first: 0,
                        last: 0,
                        count: 0,
                        last_doc: u32::MAX,
                        df: 0,
                        bytes: Vec::new(),
                        positions: Vec::new(),
                    });
                    id
                }
            };
            let at = words.len() as u32;
            let entry = &mut terms[id as usize];
            if entry.stamp != stamp {
                entry.stamp = stamp;
                entry.first = at;
                entry.count = 0;
                touched.push(id);
            } else {
                next[entry.last as usize] = at;
            }
            entry.last = at;
            entry.count += 1;
            words.push(id);
            next.push(u32::MAX);
        });
        for &id in touched.iter() {
            let entry = &mut terms[id as usize];
            let delta = if entry.last_doc == u32::MAX { doc } else { doc - entry.last_doc };
            if entry.last_doc != doc {
                entry.df += 1;
                entry.last_doc = doc;
            }
            write_varint(&mut entry.bytes, delta);
            write_varint(&mut entry.bytes, entry.count << 2 | field.index() as u32);
            if has_positions(field) {
                let (mut at, mut previous) = (entry.first, 0);
                while at != u32::MAX {
                    write_varint(&mut entry.positions, at - previous);
                    previous = at;
                    at = next[at as usize];
                }
            }
        }
        words.len().min(usize::from(u16::MAX)) as u16
    }
}

impl SearchIndex {
    /// Indexes `papers`; `extras(doc)` gives each paper's entities and topics
    /// (see [`Extra::of`]).
    pub fn build(papers: &[Paper], extras: impl Fn(usize) -> Vec<Extra>) -> SearchIndex {
        let mut building = Building::default();
        let mut lengths: [Vec<u16>; 4] = std::array::from_fn(|_| Vec::with_capacity(papers.len()));
        let mut entities: HashMap<(String, String), Vec<u32>> = HashMap::new();
        let mut joined = String::new();
        for (doc, paper) in papers.iter().enumerate() {
            let doc32 = doc as u32;
            lengths[0].push(building.add(doc32, Field::Title, &paper.title));
            lengths[1].push(building.add(doc32, Field::Abstract, &paper.abstract_text));
            joined.clear();
            for author in &paper.metadata.authors {
                joined.push_str(author);
                joined.push_str(" ; ");
            }
            lengths[2].push(building.add(doc32, Field::Author, &joined));
            joined.clear();
            for extra in extras(doc) {
                joined.push_str(&extra.value);
                joined.push_str(" ; ");
                let list = entities.entry((extra.kind, fold(&extra.value))).or_default();
                if list.last() != Some(&doc32) {
                    list.push(doc32);
                }
            }
            lengths[3].push(building.add(doc32, Field::Entity, &joined));
        }
        // Sort the dictionary and lay postings out in dictionary order.
        let mut terms: Vec<(String, u32)> =
            std::mem::take(&mut building.names).into_iter().zip(0..).collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut builds = building.terms;
        let total: usize = builds
            .iter()
            .map(|t| varint_length(t.bytes.len() as u32) + t.bytes.len() + t.positions.len())
            .sum();
        let mut term_text = String::with_capacity(terms.iter().map(|t| t.0.len()).sum());
        let mut term_starts = Vec::with_capacity(terms.len() + 1);
        let mut offsets = Vec::with_capacity(terms.len() + 1);
        let mut postings = Vec::with_capacity(total);
        let mut df = Vec::with_capacity(terms.len());
        for (term, old) in &terms {
            term_starts.push(term_text.len() as u32);
            term_text.push_str(term);
            offsets.push(postings.len() as u32);
            let build = &mut builds[*old as usize];
            write_varint(&mut postings, build.bytes.len() as u32);
            postings.extend_from_slice(&build.bytes);
            postings.extend_from_slice(&build.positions);
            build.bytes = Vec::new();
            build.positions = Vec::new();
            df.push(build.df);
        }
        term_starts.push(term_text.len() as u32);
        offsets.push(postings.len() as u32);
        let average = std::array::from_fn(|f| {
            let l = &lengths[f];
            let sum: u64 = l.iter().map(|&x| u64::from(x)).sum();
            (sum as f64 / l.len().max(1) as f64).max(1.0) as f32
        });
        SearchIndex {
            term_text: Arc::new(term_text),
            term_starts: Arc::new(term_starts),
            df: Arc::new(df),
            offsets,
            postings,
            lengths: Arc::new(lengths),
            average,
            years: Arc::new(papers.iter().map(|p| p.metadata.year).collect()),
            entities,
            doc_count: papers.len(),
            shards: None,
            summaries: Mutex::default(),
            shapes: Arc::default(),
        }
    }

    /// Indexes `papers` with the entities, topics and keyphrases the
    /// compiler extracted into them.
    pub fn from_papers(papers: &[Paper]) -> SearchIndex {
        SearchIndex::build(papers, |doc| Extra::of(&papers[doc].enrichment))
    }

    pub fn doc_count(&self) -> usize {
        self.doc_count
    }

    pub fn term_count(&self) -> usize {
        self.df.len()
    }

    /// Bytes held on the heap (an estimate for memory reports).
    pub fn heap_bytes(&self) -> usize {
        let entities: usize = self
            .entities
            .iter()
            .map(|((k, v), docs)| k.capacity() + v.capacity() + docs.capacity() * 4 + 64)
            .sum();
        self.term_text.capacity()
            + self.term_starts.capacity() * 4
            + self.df.capacity() * 4
            + self.offsets.capacity() * 4
            + self.postings.capacity()
            + self.lengths.iter().map(|l| l.capacity() * 2).sum::<usize>()
            + self.years.capacity() * 8
            + entities
    }

    /// Term `id`'s postings part and positions part, as stored (see the
    /// module docs); empty in a sharded head. For writing shards.
    pub fn term_parts(&self, id: u32) -> (&[u8], &[u8]) {
        let Some(&[start, end]) = self.offsets.get(id as usize..id as usize + 2) else { return (&[], &[]) };
        let mut bytes = &self.postings[start as usize..end as usize];
        let length = (read_varint(&mut bytes) as usize).min(bytes.len());
        bytes.split_at(length)
    }

    /// Makes a head's index read its postings, positions and entity table
    /// from shards listed in `postings`, `positions` and `entities`
    /// (checked to cover every term and every entity key); false, leaving
    /// it unchanged, if the tables do not fit it.
    pub fn use_shards(
        &mut self,
        postings: Vec<ShardEntry>,
        positions: Vec<ShardEntry>,
        entities: EntityShards,
        reads: &std::sync::Arc<super::pack::shards::Reads>,
    ) -> bool {
        let terms = self.term_count() as u32;
        let whole = self.term_starts.len() == self.df.len() + 1
            && self.term_starts.last().is_some_and(|&end| end as usize == self.term_text.len())
            && self.term_starts.windows(2).all(|w| w[0] <= w[1])
            && self.term_starts.iter().all(|&at| self.term_text.is_char_boundary(at as usize))
            && self.lengths.iter().all(|l| l.len() == self.doc_count)
            && self.years.len() == self.doc_count
            && self.postings.is_empty()
            && self.entities.is_empty();
        let EntityShards { entries, firsts, count } = entities;
        if !whole
            || !ShardSet::is_consistent(&postings, terms)
            || !ShardSet::is_consistent(&positions, terms)
            || (terms > 0 && (postings.is_empty() || positions.is_empty()))
            || !ShardSet::is_consistent(&entries, count)
            || (count > 0 && entries.is_empty())
            || firsts.len() != entries.len()
            || !firsts.windows(2).all(|w| w[0] < w[1])
        {
            return false;
        }
        let arc = std::sync::Arc::clone;
        self.shards = Some(Box::new(IndexShards {
            postings: ShardSet::new(ShardKind::Postings, postings, terms, arc(reads)),
            positions: ShardSet::new(ShardKind::Positions, positions, terms, arc(reads)),
            entity_tables: (0..entries.len()).map(|_| None).collect(),
            entities: ShardSet::new(ShardKind::Entities, entries, count, arc(reads)),
            entity_firsts: Arc::new(firsts),
        }));
        true
    }

    /// The entity table, sorted by key, taken out of the index (for a
    /// sharded pack's head, which keeps it in shards).
    pub fn take_entities(&mut self) -> Vec<EntityItem> {
        let mut items: Vec<EntityItem> = std::mem::take(&mut self.entities).into_iter().collect();
        items.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        items
    }

    /// This index as a sharded pack's head keeps it: without postings and
    /// entity table, the dictionary front coded (its starts are the
    /// decoding's), years as offsets.
    pub(crate) fn to_head(&self) -> HeadIndex {
        let first = self.years.iter().flatten().copied().min().unwrap_or(0);
        let years = self.years.iter().map(|y| y.map_or(0, |y| y.abs_diff(first).saturating_add(1))).collect();
        HeadIndex {
            terms: FrontCoded::new(self.words().map(|(_, term)| term)),
            df: self.df.to_vec(),
            lengths: (*self.lengths).clone(),
            average: self.average,
            first_year: first,
            years,
            doc_count: self.doc_count as u32,
        }
    }

    /// The index a head keeps ([`SearchIndex::to_head`]), or `None` when
    /// its dictionary does not decode or a table disagrees with its counts.
    pub(crate) fn from_head(head: HeadIndex) -> Option<SearchIndex> {
        let (term_text, term_starts) = head.terms.decode()?;
        let doc_count = head.doc_count as usize;
        let fits = head.df.len() == head.terms.len()
            && head.lengths.iter().all(|l| l.len() == doc_count)
            && head.years.len() == doc_count;
        let first = head.first_year;
        let years = head
            .years
            .iter()
            .map(|&y| match y {
                0 => Some(None),
                y => first.checked_add_unsigned(y - 1).map(Some),
            })
            .collect::<Option<Vec<_>>>()?;
        fits.then(|| SearchIndex {
            term_text: Arc::new(term_text),
            term_starts: Arc::new(term_starts),
            df: Arc::new(head.df),
            lengths: Arc::new(head.lengths),
            average: head.average,
            years: Arc::new(years),
            doc_count,
            ..SearchIndex::default()
        })
    }

    /// The shards of a sharded index.
    pub fn shards(&self) -> Option<&IndexShards> {
        self.shards.as_deref()
    }

    pub fn shards_mut(&mut self) -> Option<&mut IndexShards> {
        self.shards.as_deref_mut()
    }

    /// The bytes each part of the index takes in a pack (postcard encoding),
    /// the postings split into their doc/field part and their positions part
    /// (for `pack::breakdown`: what a sharded pack can leave out of its head).
    pub fn encoded_parts(&self) -> Vec<(&'static str, usize)> {
        use super::pack::encoded_len as size;
        let (mut postings, mut lengths) = (0, 0);
        for id in 0..self.offsets.len().saturating_sub(1) as u32 {
            let (part, _) = self.term_parts(id);
            postings += part.len();
            lengths += varint_length(part.len() as u32);
        }
        let positions = self.postings.len() - postings - lengths;
        vec![
            ("dictionary: term text", size(&self.term_text)),
            ("dictionary: term starts", size(&self.term_starts)),
            ("dictionary: doc frequencies", size(&self.df)),
            ("postings offsets", size(&self.offsets)),
            ("postings: each term's length of its postings part", lengths),
            ("postings: docs, fields, tf", postings),
            ("postings: positions", positions),
            ("field lengths", size(&self.lengths)),
            ("years", size(&self.years)),
            ("entities: names and paper lists", size(&self.entities)),
        ]
    }

    pub fn term(&self, id: u32) -> &str {
        let id = id as usize;
        &self.term_text[self.term_starts[id] as usize..self.term_starts[id + 1] as usize]
    }

    /// The id of an exact term.
    pub fn find(&self, term: &str) -> Option<u32> {
        let (mut low, mut high) = (0, self.term_count());
        while low < high {
            let mid = (low + high) / 2;
            match self.term(mid as u32).cmp(term) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid as u32),
            }
        }
        None
    }

    /// The range of term ids starting with `prefix`.
    fn prefix_range(&self, prefix: &str) -> std::ops::Range<u32> {
        let first = self.partition_point(|t| t < prefix);
        let last = first + self.partition_point_from(first, |t| t.starts_with(prefix));
        first..last
    }

    fn partition_point(&self, before: impl Fn(&str) -> bool) -> u32 {
        let (mut low, mut high) = (0u32, self.term_count() as u32);
        while low < high {
            let mid = (low + high) / 2;
            if before(self.term(mid)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }

    /// How many terms from `start` on satisfy `within` (a prefix of the
    /// sorted dictionary from `start`).
    fn partition_point_from(&self, start: u32, within: impl Fn(&str) -> bool) -> u32 {
        let (mut low, mut high) = (start, self.term_count() as u32);
        while low < high {
            let mid = (low + high) / 2;
            if within(self.term(mid)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low - start
    }

    /// Ids of the terms starting with `prefix`, in dictionary order.
    pub fn with_prefix(&self, prefix: &str) -> impl Iterator<Item = u32> {
        self.prefix_range(prefix)
    }

    /// Ids of the terms sharing `term`'s stem (the term itself included if
    /// indexed). Inflections share the stem's beginning, so candidates come
    /// from the prefix range of the stem less its last letter.
    pub fn same_stem(&self, term: &str) -> Vec<u32> {
        let target = stem(term);
        let chars: Vec<(usize, char)> = target.char_indices().collect();
        if chars.len() < 3 || target.chars().any(|c| !c.is_alphabetic()) {
            return self.find(term).into_iter().collect();
        }
        // The English stemmer takes a suffix off and may then end the stem
        // in a letter the word does not have there: an e or i (or y:
        // "hoping" -> "hope", "study" -> "studi", "relational" -> "relate"),
        // or the l of "bility" -> "bl" ("capability" -> "capabl").
        // Otherwise the stem is the word's beginning, and only words
        // starting with the whole stem need stemming (a tenth of the range
        // or less: the stemmer is most of the cost of a short word's
        // expansion).
        let (last_at, last) = chars[chars.len() - 1];
        let changed = matches!(last, 'e' | 'i' | 'y') || target.ends_with("bl");
        let cut = if changed { last_at } else { target.len() };
        let max_length = term.len() + 5;
        let range = self.prefix_range(&target[..cut]);
        // A short stem's range can be large: inflections are never much longer.
        range
            .filter(|&id| self.term(id).len() <= max_length)
            .take(4000)
            .filter(|&id| stem(self.term(id)) == target)
            .collect()
    }

    /// The ids of the terms whose first character is `first` (fuzzy
    /// candidates): a range, terms being in sorted order.
    pub fn starting_with_char(&self, first: char) -> std::ops::Range<u32> {
        let mut buf = [0u8; 4];
        self.prefix_range(first.encode_utf8(&mut buf))
    }

    /// All terms.
    pub fn words(&self) -> impl Iterator<Item = (u32, &str)> + '_ {
        (0..self.term_count() as u32).map(move |id| (id, self.term(id)))
    }

    /// The vocabulary by length ([`TermShapes`]), made the first time
    /// (one pass over the terms; the app's warm-up makes it).
    pub fn shapes(&self) -> &TermShapes {
        self.shapes.get_or_init(|| {
            // One pass over the terms (their length and letters), then
            // the ids placed by length.
            let shape = |term: &str| {
                let (mut length, mut bits) = (0usize, 0u64);
                for c in term.chars() {
                    length += 1;
                    bits |= letter_bit(c);
                }
                (length.min(LONGEST_SHAPE) as u8, bits)
            };
            let shaped: Vec<(u8, u64)> =
                (0..self.term_count() as u32).map(|id| shape(self.term(id))).collect();
            let mut starts = vec![0usize; LONGEST_SHAPE + 2];
            for &(length, _) in &shaped {
                starts[usize::from(length) + 1] += 1;
            }
            for length in 0..=LONGEST_SHAPE {
                starts[length + 1] += starts[length];
            }
            let mut next = starts.clone();
            let (mut ids, mut letters) = (vec![0u32; shaped.len()], vec![0u64; shaped.len()]);
            for (id, (length, bits)) in shaped.into_iter().enumerate() {
                let at = &mut next[usize::from(length)];
                (ids[*at], letters[*at]) = (id as u32, bits);
                *at += 1;
            }
            TermShapes { ids, letters, starts }
        })
    }

    /// The postings of a term: one per (paper, field), in paper order.
    pub fn postings(&self, id: u32) -> Postings<'_> {
        if let Some(shards) = &self.shards {
            let bytes = shards.postings.get(id).unwrap_or(&[]);
            let lazy_positions = Some((&shards.positions, id));
            return Postings { bytes, doc: 0, positions: &[], pending: 0, last: 0, lazy_positions };
        }
        let (start, end) = (self.offsets[id as usize] as usize, self.offsets[id as usize + 1] as usize);
        let mut bytes = &self.postings[start..end];
        let length = (read_varint(&mut bytes) as usize).min(bytes.len());
        let (bytes, positions) = bytes.split_at(length);
        Postings { bytes, doc: 0, positions, pending: 0, last: 0, lazy_positions: None }
    }

    /// The postings of `block` of a term (no positions): one block of its
    /// [`TermSummary`] (empty, noted missing, while a sharded index does
    /// not hold the term's postings).
    pub fn block_postings(&self, id: u32, block: &Block) -> Postings<'_> {
        let part = match &self.shards {
            Some(shards) => shards.postings.get(id).unwrap_or(&[]),
            None => self.term_parts(id).0,
        };
        let bytes = part.get(block.start as usize..block.end as usize).unwrap_or(&[]);
        Postings { bytes, doc: block.base, positions: &[], pending: 0, last: 0, lazy_positions: None }
    }

    /// Whether the index is a sharded pack's (its postings in shards).
    pub fn is_sharded(&self) -> bool {
        self.shards.is_some()
    }

    /// Term `id`'s summary, made by `make` the first time it is asked for
    /// (kept until the index is dropped; in a sharded index, until the
    /// term's postings shard is: while it is not held, an empty summary,
    /// not kept, and the shard noted missing).
    pub fn summary(&self, id: u32, make: impl FnOnce() -> TermSummary) -> Arc<TermSummary> {
        if let Some(shards) = &self.shards {
            if shards.postings.get(id).is_none() {
                return Arc::default();
            }
        }
        let mut summaries = self.summaries.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(summaries.entry(id).or_insert_with(|| Arc::new(make())))
    }

    /// Drops shard `number` of `kind` from a sharded index, and the
    /// summaries made of the postings it held.
    pub fn remove_shard(&mut self, kind: ShardKind, number: u32) {
        let Some(shards) = self.shards.as_deref_mut() else { return };
        shards.remove(kind, number);
        if kind == ShardKind::Postings {
            let terms = shards.postings.keys(number);
            let summaries = self.summaries.get_mut().unwrap_or_else(PoisonError::into_inner);
            summaries.retain(|term, _| !terms.contains(term));
        }
    }

    /// Number of papers containing the term (in any field).
    #[inline]
    pub fn doc_frequency(&self, id: u32) -> usize {
        self.df[id as usize] as usize
    }

    #[inline(always)]
    pub fn field_length(&self, doc: u32, field: Field) -> u16 {
        self.lengths[field.index()].get(doc as usize).copied().unwrap_or(0)
    }

    #[inline(always)]
    pub fn average_length(&self, field: Field) -> f32 {
        self.average[field.index()]
    }

    pub fn year(&self, doc: u32) -> Option<i32> {
        self.years.get(doc as usize).copied().flatten()
    }

    /// Papers with the entity of `kind` named `canonical` (any case).
    pub fn entity_docs(&self, kind: &str, canonical: &str) -> &[u32] {
        let name = fold(canonical);
        let Some(shards) = &self.shards else {
            return self.entities.get(&(kind.to_owned(), name)).map_or(&[], Vec::as_slice);
        };
        let key = (kind, name.as_str());
        let Some(number) =
            shards.entity_firsts.partition_point(|(k, n)| (k.as_str(), n.as_str()) <= key).checked_sub(1)
        else {
            return &[];
        };
        if shards.entities.read(number as u32).is_none() {
            return &[];
        }
        let Some(Some(table)) = shards.entity_tables.get(number) else { return &[] };
        match table.keys.binary_search_by(|(k, n)| (k.as_str(), n.as_str()).cmp(&key)) {
            Ok(i) => &table.docs[i],
            Err(_) => &[],
        }
    }

    /// Entity names of `kind` known to the index whose folded form contains
    /// every word of `text` (a fallback when no resolver knows the value).
    pub fn entity_names_matching(&self, kind: &str, text: &str) -> Vec<String> {
        let parts = |s: &str| -> Vec<String> {
            tokenize(s).into_iter().filter(|t| t.kind == TokenKind::Part).map(|t| t.term).collect()
        };
        let words = parts(text);
        let matches = |k: &str, name: &str| {
            k == kind && {
                let name_parts = parts(name);
                words.iter().all(|w| name_parts.contains(w))
            }
        };
        let mut names: Vec<String> = match &self.shards {
            None => self.entities.keys().filter(|(k, n)| matches(k, n)).map(|(_, n)| n.clone()).collect(),
            Some(shards) => {
                // The shards whose keys may be of `kind`: from the last one
                // starting before it to the last one starting within it.
                let firsts = &shards.entity_firsts;
                let from = firsts.partition_point(|(k, _)| k.as_str() < kind).saturating_sub(1);
                let to = firsts.partition_point(|(k, _)| k.as_str() <= kind);
                let mut names = Vec::new();
                for number in from..to {
                    if shards.entities.read(number as u32).is_none() {
                        continue;
                    }
                    if let Some(Some(table)) = shards.entity_tables.get(number) {
                        names
                            .extend(table.keys.iter().filter(|(k, n)| matches(k, n)).map(|(_, n)| n.clone()));
                    }
                }
                names
            }
        };
        names.sort();
        names
    }
}

/// A loaded entity shard, decoded: keys ascending and each key's papers.
#[derive(Debug)]
struct EntityTable {
    keys: Vec<(String, String)>,
    docs: Vec<Vec<u32>>,
}

/// One entity shard item: (kind, folded name) and its papers, ascending.
pub type EntityItem = ((String, String), Vec<u32>);

impl IndexShards {
    /// The shard set of `kind` (none for records).
    pub fn set(&self, kind: ShardKind) -> Option<&ShardSet> {
        match kind {
            ShardKind::Postings => Some(&self.postings),
            ShardKind::Positions => Some(&self.positions),
            ShardKind::Entities => Some(&self.entities),
            ShardKind::Records
            | ShardKind::Facets
            | ShardKind::Order
            | ShardKind::Ids
            | ShardKind::Vectors
            | ShardKind::Map => None,
        }
    }

    /// Takes shard `number` of `kind` (checked against the head already);
    /// an entity shard is decoded, and refused if its items do not decode,
    /// are out of order or name papers past `doc_count`.
    pub fn insert(
        &mut self,
        kind: ShardKind,
        number: u32,
        shard: std::sync::Arc<Shard>,
        doc_count: usize,
    ) -> Result<(), PackError> {
        let n = number as usize;
        if kind == ShardKind::Entities {
            let bad = || PackError::Malformed("an entity shard does not match the head".to_owned());
            let mut keys = Vec::new();
            let mut docs = Vec::new();
            for item in shard.items() {
                let (key, list): EntityItem = postcard::from_bytes(item).map_err(|_| bad())?;
                let ordered = list.windows(2).all(|w| w[0] < w[1]);
                if !ordered || list.last().is_some_and(|&d| d as usize >= doc_count) {
                    return Err(bad());
                }
                keys.push(key);
                docs.push(list);
            }
            let next = self.entity_firsts.get(n + 1);
            let fits = keys.windows(2).all(|w| w[0] < w[1])
                && keys.first() == self.entity_firsts.get(n)
                && keys.last().zip(next).is_none_or(|(last, next)| last < next);
            if !fits {
                return Err(bad());
            }
            if let Some(slot) = self.entity_tables.get_mut(n) {
                *slot = Some(Arc::new(EntityTable { keys, docs }));
            }
        }
        if let Some(set) = self.set_mut(kind) {
            set.insert(number, shard);
        }
        Ok(())
    }

    pub fn remove(&mut self, kind: ShardKind, number: u32) {
        if kind == ShardKind::Entities {
            if let Some(slot) = self.entity_tables.get_mut(number as usize) {
                *slot = None;
            }
        }
        if let Some(set) = self.set_mut(kind) {
            set.remove(number);
        }
    }

    fn set_mut(&mut self, kind: ShardKind) -> Option<&mut ShardSet> {
        match kind {
            ShardKind::Postings => Some(&mut self.postings),
            ShardKind::Positions => Some(&mut self.positions),
            ShardKind::Entities => Some(&mut self.entities),
            ShardKind::Records
            | ShardKind::Facets
            | ShardKind::Order
            | ShardKind::Ids
            | ShardKind::Vectors
            | ShardKind::Map => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A paper with only the fields the index reads (through serde, so the
    /// test does not depend on the bundle's other fields).
    fn paper(title: &str, abstract_text: &str) -> Paper {
        serde_json::from_value(serde_json::json!({
            "id": title, "title": title, "abstract": abstract_text, "authors": ["Ada Lovelace"],
            "source": {"file": "test", "line": 1},
        }))
        .expect("a minimal paper")
    }

    #[test]
    fn postings_round_trip_with_positions() {
        let long = "word ".repeat(300) + "tail";
        let papers = [paper("tail of a tail", "no"), paper("x", &long), paper("tail", "tail")];
        let index = SearchIndex::build(&papers, |_| Vec::new());
        let tail = index.find("tail").unwrap();
        let mut postings = index.postings(tail);
        let mut got: Vec<(u32, Field, u32, Vec<u32>)> = Vec::new();
        while let Some(p) = postings.next() {
            got.push((p.doc, p.field, p.tf, postings.positions().collect()));
        }
        assert_eq!(
            got,
            [
                (0, Field::Title, 2, vec![0, 3]),
                (1, Field::Abstract, 1, vec![300]),
                (2, Field::Title, 1, vec![0]),
                (2, Field::Abstract, 1, vec![0]),
            ]
        );
        assert_eq!(index.doc_frequency(tail), 3);
        // Positions of postings passed over are skipped when asked for later ones.
        let mut postings = index.postings(tail);
        postings.nth(2);
        assert_eq!(postings.positions().collect::<Vec<_>>(), [0]);
        assert_eq!(postings.positions().count(), 0, "asked twice");
        postings.next();
        assert_eq!(postings.positions().collect::<Vec<_>>(), [0]);
        let ada = index.find("ada").unwrap();
        assert_eq!(
            index.postings(ada).map(|p| (p.doc, p.field)).collect::<Vec<_>>(),
            [0, 1, 2].map(|d| (d, Field::Author))
        );
        assert_eq!(index.field_length(1, Field::Abstract), 301);
    }

    #[test]
    fn varint_runs_are_measured_across_word_boundaries() {
        let cases: &[&[u32]] =
            &[&[], &[1], &[300, 1, 2], &[1; 9], &[200; 7], &[5, 70_000, 3, 1, 128, 2, 9, 1, 1, 4]];
        for values in cases {
            let mut bytes = Vec::new();
            let mut ends = vec![0];
            for &v in *values {
                write_varint(&mut bytes, v);
                ends.push(bytes.len());
            }
            bytes.extend_from_slice(&[0x81, 0x82, 0x01, 7]);
            for &v in *values {
                let mut one = Vec::new();
                write_varint(&mut one, v);
                assert_eq!(varint_length(v), one.len(), "{v}");
            }
            for (count, &end) in ends.iter().enumerate() {
                assert_eq!(varints_length(&bytes, count as u32), end, "{values:?}, {count}");
            }
            assert_eq!(
                varints_length(&bytes[..ends[ends.len() - 1]], values.len() as u32 + 3),
                ends[ends.len() - 1]
            );
        }
    }

    #[test]
    fn dictionary_is_sorted_for_prefix_ranges_and_stems() {
        let papers = [paper("Studies of studying", "a study; the student studied studios")];
        let index = SearchIndex::build(&papers, |_| Vec::new());
        let words: Vec<&str> = index.words().map(|(_, w)| w).collect();
        assert!(words.windows(2).all(|w| w[0] < w[1]), "{words:?}");
        let prefixed: Vec<&str> = index.with_prefix("stud").map(|id| index.term(id)).collect();
        assert_eq!(prefixed, ["student", "studied", "studies", "studios", "study", "studying"]);
        let stems: Vec<&str> = index.same_stem("study").into_iter().map(|id| index.term(id)).collect();
        assert_eq!(stems, ["studied", "studies", "study", "studying"]);
        assert_eq!(index.find("studi"), None);
    }
}
