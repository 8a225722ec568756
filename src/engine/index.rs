//! The search index: a sorted term dictionary (prefix ranges, fuzzy
//! candidates), compact postings per term with the field, term frequency and
//! word positions (for phrases), field lengths for BM25F, and side tables for
//! years and extracted entities.
//!
//! Built in the browser when the bundle arrives (see docs/search.md for the
//! measured cost); nothing is precomputed into the bundle, which keeps the
//! bundle small and the format free of index versions.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use super::analyze::{fold, for_each_part, stem, tokenize, TokenKind};
use super::bundle::Paper;
use super::query::Field;

/// One posting: a paper, a field and how often the term occurs there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub field: Field,
    pub tf: u16,
    /// Index of the posting (for [`SearchIndex::positions`]).
    pub at: u32,
}

/// Searchable values of a paper beyond its text (extracted entities, topics).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extra {
    /// `model`, `benchmark`, `method`, `topic`, ...
    pub kind: String,
    /// The canonical name.
    pub value: String,
}

#[derive(Debug, Default)]
pub struct SearchIndex {
    /// Sorted terms; a term id is an index here.
    terms: Vec<String>,
    /// Papers containing each term.
    df: Vec<u32>,
    /// Start of each term's postings in `postings` (len = terms + 1).
    offsets: Vec<u32>,
    postings: Vec<(u32, u8, u8)>,
    /// Start of each posting's word positions in `positions` (len = postings + 1).
    position_offsets: Vec<u32>,
    positions: Vec<u16>,
    /// Stem -> ids of the terms with that stem.
    stems: HashMap<String, Vec<u32>>,
    /// Per field, the length (in words) of each paper's field.
    lengths: [Vec<u16>; 4],
    average: [f32; 4],
    years: Vec<Option<i32>>,
    /// (kind, folded canonical name) -> papers, sorted.
    entities: HashMap<(String, String), Vec<u32>>,
    doc_count: usize,
}

fn field_from(index: u8) -> Field {
    Field::ALL[usize::from(index).min(3)]
}

/// Postings of one term while building.
#[derive(Default)]
struct Building {
    postings: Vec<(u32, u8, u8)>,
    positions: Vec<u16>,
    /// Positions per posting.
    counts: Vec<u16>,
}

impl SearchIndex {
    /// Indexes `papers`; `extras(doc)` gives each paper's entities and topics.
    pub fn build(papers: &[Paper], extras: impl Fn(usize) -> Vec<Extra>) -> SearchIndex {
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut lists: Vec<Building> = Vec::new();
        let mut lengths: [Vec<u16>; 4] = Default::default();
        let mut entities: HashMap<(String, String), Vec<u32>> = HashMap::new();
        let mut scratch: Vec<(u32, u16)> = Vec::new();
        for (doc, paper) in papers.iter().enumerate() {
            let extra = extras(doc);
            let entity_text: String = extra.iter().map(|e| e.value.as_str()).collect::<Vec<_>>().join(" ; ");
            let authors = paper.authors.join(" ; ");
            for e in &extra {
                let list = entities.entry((e.kind.clone(), fold(&e.value))).or_default();
                if list.last() != Some(&(doc as u32)) {
                    list.push(doc as u32);
                }
            }
            let fields: [(&str, Field); 4] = [
                (&paper.title, Field::Title),
                (&paper.abstract_text, Field::Abstract),
                (&authors, Field::Author),
                (&entity_text, Field::Entity),
            ];
            for (text, field) in fields {
                scratch.clear();
                let mut position: u16 = 0;
                for_each_part(text, |term, _, _| {
                    let id = match ids.get(term) {
                        Some(&id) => id,
                        None => {
                            let id = lists.len() as u32;
                            ids.insert(term.to_owned(), id);
                            lists.push(Building::default());
                            id
                        }
                    };
                    scratch.push((id, position));
                    position = position.saturating_add(1);
                });
                lengths[field.index()].push(position);
                let keep_positions = matches!(field, Field::Title | Field::Abstract);
                scratch.sort_unstable();
                let mut i = 0;
                while i < scratch.len() {
                    let term = scratch[i].0;
                    let mut j = i;
                    while j < scratch.len() && scratch[j].0 == term {
                        j += 1;
                    }
                    let list = &mut lists[term as usize];
                    list.postings.push((doc as u32, field.index() as u8, (j - i).min(255) as u8));
                    if keep_positions {
                        list.positions.extend(scratch[i..j].iter().map(|&(_, p)| p));
                        list.counts.push((j - i).min(u16::MAX as usize) as u16);
                    } else {
                        list.counts.push(0);
                    }
                    i = j;
                }
            }
        }
        // Sort the dictionary and lay postings out flat in dictionary order.
        let mut terms: Vec<(String, u32)> = ids.into_iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let total: usize = lists.iter().map(|l| l.postings.len()).sum();
        let total_positions: usize = lists.iter().map(|l| l.positions.len()).sum();
        let mut offsets = Vec::with_capacity(terms.len() + 1);
        let mut postings = Vec::with_capacity(total);
        let mut position_offsets = Vec::with_capacity(total + 1);
        let mut positions = Vec::with_capacity(total_positions);
        let mut df = Vec::with_capacity(terms.len());
        let mut stems: HashMap<String, Vec<u32>> = HashMap::new();
        for (new_id, (term, old_id)) in terms.iter().enumerate() {
            let list = std::mem::take(&mut lists[*old_id as usize]);
            offsets.push(postings.len() as u32);
            let mut docs = 0u32;
            let mut last = u32::MAX;
            let mut at = 0usize;
            for (posting, count) in list.postings.iter().zip(&list.counts) {
                if posting.0 != last {
                    docs += 1;
                    last = posting.0;
                }
                position_offsets.push(positions.len() as u32);
                positions.extend_from_slice(&list.positions[at..at + usize::from(*count)]);
                at += usize::from(*count);
                postings.push(*posting);
            }
            df.push(docs);
            stems.entry(stem(term).into_owned()).or_default().push(new_id as u32);
        }
        offsets.push(postings.len() as u32);
        position_offsets.push(positions.len() as u32);
        let average = std::array::from_fn(|f| {
            let l = &lengths[f];
            if l.is_empty() {
                1.0
            } else {
                (l.iter().map(|&x| x as f64).sum::<f64>() / l.len() as f64).max(1.0) as f32
            }
        });
        SearchIndex {
            terms: terms.into_iter().map(|(t, _)| t).collect(),
            df,
            offsets,
            postings,
            position_offsets,
            positions,
            stems,
            lengths,
            average,
            years: papers.iter().map(|p| p.year).collect(),
            entities,
            doc_count: papers.len(),
        }
    }

    pub fn doc_count(&self) -> usize {
        self.doc_count
    }

    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    pub fn term(&self, id: u32) -> &str {
        &self.terms[id as usize]
    }

    /// The id of an exact term.
    pub fn find(&self, term: &str) -> Option<u32> {
        self.terms.binary_search_by(|t| t.as_str().cmp(term)).ok().map(|i| i as u32)
    }

    /// Ids of the terms starting with `prefix`.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = u32> + 'a {
        let start = self.terms.partition_point(|t| t.as_str() < prefix);
        self.terms[start..].iter().take_while(move |t| t.starts_with(prefix)).enumerate().map(move |(i, _)| (start + i) as u32)
    }

    /// Ids of the terms sharing `term`'s stem (the term itself included).
    pub fn same_stem(&self, term: &str) -> &[u32] {
        self.stems.get(stem(term).as_ref()).map_or(&[], Vec::as_slice)
    }

    /// Single-word terms whose first character is `first` (fuzzy candidates).
    pub fn starting_with_char(&self, first: char) -> impl Iterator<Item = (u32, &str)> + '_ {
        let mut buf = [0u8; 4];
        let prefix: &str = first.encode_utf8(&mut buf);
        let prefix = prefix.to_owned();
        let start = self.terms.partition_point(|t| t.as_str() < prefix.as_str());
        self.terms[start..]
            .iter()
            .take_while(move |t| t.starts_with(prefix.as_str()))
            .enumerate()
            .map(move |(i, t)| ((start + i) as u32, t.as_str()))
    }

    /// All single-word terms (for suggestions).
    pub fn words(&self) -> impl Iterator<Item = (u32, &str)> + '_ {
        self.terms.iter().enumerate().map(|(i, t)| (i as u32, t.as_str()))
    }

    pub fn postings(&self, id: u32) -> impl Iterator<Item = Posting> + '_ {
        let (start, end) = (self.offsets[id as usize] as usize, self.offsets[id as usize + 1] as usize);
        self.postings[start..end].iter().enumerate().map(move |(i, &(doc, field, tf))| Posting {
            doc,
            field: field_from(field),
            tf: u16::from(tf),
            at: (start + i) as u32,
        })
    }

    /// Number of papers containing the term (in any field).
    pub fn doc_frequency(&self, id: u32) -> usize {
        self.df[id as usize] as usize
    }

    /// Word positions of a title or abstract posting (empty for other fields).
    pub fn positions(&self, posting: &Posting) -> &[u16] {
        let at = posting.at as usize;
        &self.positions[self.position_offsets[at] as usize..self.position_offsets[at + 1] as usize]
    }

    pub fn field_length(&self, doc: u32, field: Field) -> u16 {
        self.lengths[field.index()].get(doc as usize).copied().unwrap_or(0)
    }

    pub fn average_length(&self, field: Field) -> f32 {
        self.average[field.index()]
    }

    pub fn year(&self, doc: u32) -> Option<i32> {
        self.years.get(doc as usize).copied().flatten()
    }

    /// Papers with the entity of `kind` named `canonical` (any case).
    pub fn entity_docs(&self, kind: &str, canonical: &str) -> &[u32] {
        self.entities.get(&(kind.to_owned(), fold(canonical))).map_or(&[], Vec::as_slice)
    }

    /// Entity names of `kind` known to the index whose folded form contains
    /// every word of `text` (a fallback when no resolver knows the value).
    pub fn entity_names_matching(&self, kind: &str, text: &str) -> Vec<String> {
        let words: Vec<String> =
            tokenize(text).into_iter().filter(|t| t.kind == TokenKind::Part).map(|t| t.term).collect();
        let mut names: Vec<String> = self
            .entities
            .keys()
            .filter(|(k, name)| {
                k == kind && {
                    let parts: Vec<String> = tokenize(name)
                        .into_iter()
                        .filter(|t| t.kind == TokenKind::Part)
                        .map(|t| t.term)
                        .collect();
                    words.iter().all(|w| parts.contains(w))
                }
            })
            .map(|(_, name)| name.clone())
            .collect();
        names.sort();
        names
    }
}
