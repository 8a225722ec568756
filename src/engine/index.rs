//! The search index: a sorted term dictionary (prefix ranges, fuzzy
//! candidates), compact postings per term with the field and term frequency,
//! adjacent-word pairs for phrases, field lengths for BM25F, and side tables
//! for years and extracted entities.
//!
//! Built in the browser when the bundle arrives (see docs/search.md for the
//! measured cost); nothing is precomputed into the bundle, which keeps the
//! bundle small and the format free of index versions.

use std::collections::HashMap;

use super::analyze::{fold, stem, tokenize, TokenKind};
use super::bundle::Paper;
use super::query::Field;

/// Separates the two words of a pair term (never produced by the tokenizer).
pub const PAIR_SEPARATOR: char = ' ';

/// One posting: a paper, a field and how often the term occurs there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub field: Field,
    pub tf: u16,
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
    /// Start of each term's postings in `postings` (len = terms + 1).
    offsets: Vec<u32>,
    postings: Vec<(u32, u8, u8)>,
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

impl SearchIndex {
    /// Indexes `papers`; `extras(doc)` gives each paper's entities and topics.
    pub fn build(papers: &[Paper], extras: impl Fn(usize) -> Vec<Extra>) -> SearchIndex {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut lists: Vec<Vec<(u32, u8, u8)>> = Vec::new();
        let mut lengths: [Vec<u16>; 4] = Default::default();
        let mut entities: HashMap<(String, String), Vec<u32>> = HashMap::new();
        let mut scratch: Vec<u32> = Vec::new();
        let intern =
            |term: &str, ids: &mut HashMap<String, u32>, lists: &mut Vec<Vec<(u32, u8, u8)>>| -> u32 {
                if let Some(&id) = ids.get(term) {
                    return id;
                }
                let id = lists.len() as u32;
                ids.insert(term.to_owned(), id);
                lists.push(Vec::new());
                id
            };
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
                let parts: Vec<String> = tokenize(text)
                    .into_iter()
                    .filter(|t| t.kind == TokenKind::Part)
                    .map(|t| t.term)
                    .collect();
                lengths[field.index()].push(parts.len().min(u16::MAX as usize) as u16);
                for part in &parts {
                    scratch.push(intern(part, &mut ids, &mut lists));
                }
                if matches!(field, Field::Title | Field::Abstract) {
                    for pair in parts.windows(2) {
                        let term = format!("{}{PAIR_SEPARATOR}{}", pair[0], pair[1]);
                        scratch.push(intern(&term, &mut ids, &mut lists));
                    }
                }
                scratch.sort_unstable();
                let mut i = 0;
                while i < scratch.len() {
                    let mut j = i;
                    while j < scratch.len() && scratch[j] == scratch[i] {
                        j += 1;
                    }
                    let tf = (j - i).min(255) as u8;
                    lists[scratch[i] as usize].push((doc as u32, field.index() as u8, tf));
                    i = j;
                }
            }
        }
        // Sort the dictionary and lay postings out flat in dictionary order.
        let mut terms: Vec<(String, u32)> = ids.into_iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut offsets = Vec::with_capacity(terms.len() + 1);
        let total: usize = lists.iter().map(Vec::len).sum();
        let mut postings = Vec::with_capacity(total);
        let mut stems: HashMap<String, Vec<u32>> = HashMap::new();
        for (new_id, (term, old_id)) in terms.iter().enumerate() {
            offsets.push(postings.len() as u32);
            postings.append(&mut lists[*old_id as usize]);
            if !term.contains(PAIR_SEPARATOR) {
                stems.entry(stem(term).into_owned()).or_default().push(new_id as u32);
            }
        }
        offsets.push(postings.len() as u32);
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
            offsets,
            postings,
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

    /// Ids of the single-word terms starting with `prefix`.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = u32> + 'a {
        let start = self.terms.partition_point(|t| t.as_str() < prefix);
        self.terms[start..]
            .iter()
            .take_while(move |t| t.starts_with(prefix))
            .enumerate()
            .filter(|(_, t)| !t.contains(PAIR_SEPARATOR))
            .map(move |(i, _)| (start + i) as u32)
    }

    /// Ids of the pair terms starting with `prefix` (a phrase still being typed).
    pub fn pair_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = u32> + 'a {
        let start = self.terms.partition_point(|t| t.as_str() < prefix);
        self.terms[start..]
            .iter()
            .take_while(move |t| t.starts_with(prefix))
            .enumerate()
            .map(move |(i, _)| (start + i) as u32)
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
            .filter(|(_, t)| !t.contains(PAIR_SEPARATOR))
            .map(move |(i, t)| ((start + i) as u32, t.as_str()))
    }

    /// All single-word terms (for suggestions).
    pub fn words(&self) -> impl Iterator<Item = (u32, &str)> + '_ {
        self.terms
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.contains(PAIR_SEPARATOR))
            .map(|(i, t)| (i as u32, t.as_str()))
    }

    pub fn postings(&self, id: u32) -> impl Iterator<Item = Posting> + '_ {
        let (start, end) = (self.offsets[id as usize] as usize, self.offsets[id as usize + 1] as usize);
        self.postings[start..end].iter().map(|&(doc, field, tf)| Posting {
            doc,
            field: field_from(field),
            tf: u16::from(tf),
        })
    }

    /// Number of papers containing the term (in any field).
    pub fn doc_frequency(&self, id: u32) -> usize {
        let mut count = 0;
        let mut last = u32::MAX;
        for p in self.postings(id) {
            if p.doc != last {
                count += 1;
                last = p.doc;
            }
        }
        count
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
