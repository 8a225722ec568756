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

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::bundle::{Bundle, Paper};
use super::facets::FacetIndex;
use super::index::SearchIndex;

/// The first bytes of every pack.
pub const MAGIC: &[u8; 8] = b"FOLIOPAK";

/// The version of the pack layout and of everything in it (index encoding,
/// tokenizer): a pack of another version is refused and the app falls back
/// to `bundle.json`. Bump it with any change to the index or the analyzer.
pub const PACK_VERSION: u32 = 2;

const HEADER: usize = MAGIC.len() + 4 + 8 + 8;

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
}

impl Contents {
    /// The pack's bytes: this index section followed by `records`.
    pub fn encode(&self, records: &[u8]) -> Vec<u8> {
        // Serializing vectors, strings and maps cannot fail.
        let index = postcard::to_allocvec(self).unwrap_or_default();
        let mut out = Vec::with_capacity(HEADER + index.len() + records.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&PACK_VERSION.to_le_bytes());
        out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&index).to_le_bytes());
        out.extend_from_slice(&(index.len() as u64).to_le_bytes());
        out.extend_from_slice(&index);
        out.extend_from_slice(records);
        out
    }

    /// Reads a pack's index section, checking everything that could make
    /// later reads go wrong: header, checksum, encoding, and that every
    /// length and paper number agrees with the paper count. Returns it with
    /// where the records section starts.
    pub fn decode(bytes: &[u8]) -> Result<(Self, usize), PackError> {
        let field = |at: usize| -> [u8; 8] {
            let mut word = [0; 8];
            word.copy_from_slice(&bytes[at..at + 8]);
            word
        };
        if bytes.len() < HEADER || field(0) != *MAGIC {
            return Err(PackError::NotAPack);
        }
        let [v0, v1, v2, v3, ..] = field(MAGIC.len());
        let version = u32::from_le_bytes([v0, v1, v2, v3]);
        if version != PACK_VERSION {
            return Err(PackError::Version { found: version });
        }
        let sum = u64::from_le_bytes(field(MAGIC.len() + 4));
        let index_len = u64::from_le_bytes(field(MAGIC.len() + 12));
        let records_start = usize::try_from(index_len)
            .ok()
            .and_then(|len| HEADER.checked_add(len))
            .filter(|&end| end <= bytes.len())
            .ok_or_else(|| PackError::Malformed("the file is shorter than its index".to_owned()))?;
        let index = &bytes[HEADER..records_start];
        if xxhash_rust::xxh3::xxh3_64(index) != sum {
            return Err(PackError::Checksum);
        }
        let contents: Contents =
            postcard::from_bytes(index).map_err(|e| PackError::Malformed(e.to_string()))?;
        contents.check(bytes.len() - records_start)?;
        Ok((contents, records_start))
    }

    fn check(&self, records_len: usize) -> Result<(), PackError> {
        let n = self.ids.len();
        let bad = |what: &str| Err(PackError::Malformed(format!("{what} does not match its {n} papers")));
        if self.paper_ends.len() != n {
            return bad("the paper table");
        }
        let mut previous = 0;
        for &end in &self.paper_ends {
            if end < previous || end as usize > records_len {
                return bad("the paper table (the file may be cut short)");
            }
            previous = end;
        }
        let mut seen = vec![false; n];
        for &doc in &self.by_title {
            match seen.get_mut(doc as usize) {
                Some(s) if !*s => *s = true,
                _ => return bad("the title order"),
            }
        }
        if self.by_title.len() != n {
            return bad("the title order");
        }
        if !self.facets.is_consistent(n) {
            return bad("the facet index");
        }
        if self.index.doc_count() != n {
            return bad("the search index");
        }
        Ok(())
    }
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

/// The papers of a loaded corpus: decoded up front (read from a bundle) or
/// kept as JSON and decoded on first use (read from a pack).
pub struct Papers {
    ids: Vec<String>,
    decoded: Vec<OnceLock<Arc<Paper>>>,
    packed: Option<Records>,
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

impl Papers {
    pub fn from_vec(papers: Vec<Paper>) -> Self {
        let ids = papers.iter().map(|p| p.id.clone()).collect();
        let decoded = papers.into_iter().map(|p| OnceLock::from(Arc::new(p))).collect();
        Self { ids, decoded, packed: None }
    }

    /// The papers of a pack whose records section starts at `start`
    /// (checked by [`Contents::decode`]).
    pub(super) fn packed(ids: Vec<String>, pack: Vec<u8>, start: usize, ends: Vec<u32>) -> Self {
        let decoded = (0..ids.len()).map(|_| OnceLock::new()).collect();
        Self { ids, decoded, packed: Some(Records { pack, start, ends }) }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id of paper `doc` (no decoding).
    pub fn id(&self, doc: u32) -> &str {
        &self.ids[doc as usize]
    }

    /// Paper `doc`, decoded on first use. A record that does not decode
    /// (impossible for a pack that passed its checksum, short of a compiler
    /// bug) reads as a paper with its id and a title that says so.
    pub fn get(&self, doc: u32) -> Arc<Paper> {
        let doc = doc as usize;
        Arc::clone(self.decoded[doc].get_or_init(|| {
            let decoded = self.packed.as_ref().and_then(|r| decode_record(r.get(doc)));
            Arc::new(decoded.unwrap_or_else(|| damaged(self.ids[doc].clone())))
        }))
    }

    /// Every paper's record as JSON, concatenated, and where each ends.
    pub(super) fn records(&self) -> Result<(Vec<u8>, Vec<u32>), PackError> {
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
