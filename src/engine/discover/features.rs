//! The sparse TF-IDF rows of a corpus: stemmed words of the shared analyzer
//! (title words count twice), entity names and keyphrases of the
//! enrichment, each row unit-length.

// Fx hashing: the vocabulary map is probed once per word of every text.
use rustc_hash::FxHashMap as HashMap;

use crate::engine::analyze::{for_each_part, stem};
use crate::engine::bundle::Paper;

/// What a feature is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureKind {
    /// A stemmed word, shown as its most frequent spelling in the corpus.
    Word,
    /// An entity of the catalog (model, benchmark, method...), by name.
    Entity,
    /// A keyphrase of the enrichment.
    Phrase,
}

/// A feature in fewer papers than this relates no two papers.
const MIN_DF: u32 = 2;

/// A word in more than this share of papers says nothing of a subject.
const MAX_DF_SHARE: f64 = 0.5;

/// Sparse TF-IDF rows (compressed sparse rows: paper `i` is
/// `terms[offsets[i]..offsets[i + 1]]`, sorted by feature id) and the
/// features' names.
#[derive(Debug, Clone, Default)]
pub struct Features {
    offsets: Vec<u32>,
    terms: Vec<u32>,
    weights: Vec<f32>,
    names: Vec<String>,
    kinds: Vec<FeatureKind>,
}

impl Features {
    /// The rows of `papers`, in their order.
    pub fn of(papers: &[Paper]) -> Features {
        let mut vocabulary = Vocabulary::default();
        // Raw term counts per paper, then document frequencies.
        let mut rows: Vec<Vec<(u32, f32)>> = Vec::with_capacity(papers.len());
        let mut row: Vec<(u32, f32)> = Vec::new();
        for paper in papers {
            row.clear();
            for (text, weight) in [(&paper.title, 2.0), (&paper.abstract_text, 1.0)] {
                for_each_part(text, |term, _, _| {
                    if let Some(id) = vocabulary.word(term) {
                        row.push((id, weight));
                    }
                });
            }
            for entity in &paper.enrichment.entities {
                let id = vocabulary.named(FeatureKind::Entity, &entity.name);
                row.push((id, entity.spans.len().max(1) as f32));
            }
            for phrase in &paper.enrichment.keyphrases {
                row.push((vocabulary.named(FeatureKind::Phrase, &phrase.phrase), 1.0));
            }
            rows.push(summed(&mut row));
        }
        let (names, kinds) = vocabulary.into_names();
        let mut df = vec![0u32; names.len()];
        for row in &rows {
            for &(t, _) in row {
                df[t as usize] += 1;
            }
        }
        let n = papers.len();
        let max_df = ((n as f64 * MAX_DF_SHARE) as u32).max(MIN_DF);
        // Kept features are renumbered in order (rows stay sorted): the
        // matrix has a column per kept feature only.
        let mut renumbered: Vec<Option<u32>> = vec![None; names.len()];
        let mut features = Features { offsets: vec![0], ..Default::default() };
        for (t, (name, kind)) in names.into_iter().zip(kinds).enumerate() {
            let d = df[t];
            if d >= MIN_DF && (d <= max_df || kind != FeatureKind::Word) && (d as usize) < n {
                renumbered[t] = Some(features.names.len() as u32);
                features.names.push(name);
                features.kinds.push(kind);
            }
        }
        for row in rows {
            let start = features.terms.len();
            for (t, tf) in row {
                if let Some(kept) = renumbered[t as usize] {
                    let idf = (n as f32 / df[t as usize] as f32).ln();
                    features.terms.push(kept);
                    features.weights.push((1.0 + tf.ln()) * idf);
                }
            }
            let norm = features.weights[start..].iter().map(|w| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                features.weights[start..].iter_mut().for_each(|w| *w /= norm);
            }
            features.offsets.push(features.terms.len() as u32);
        }
        features
    }

    /// Papers (rows).
    pub fn papers(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Features (columns): those in at least two papers.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether no paper has a feature.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Non-zero weights in all rows.
    pub fn nonzeros(&self) -> usize {
        self.terms.len()
    }

    /// Paper `i`'s features and weights, sorted by feature id (empty for an
    /// index out of range).
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&s), Some(&e)) => {
                (&self.terms[s as usize..e as usize], &self.weights[s as usize..e as usize])
            }
            _ => (&[], &[]),
        }
    }

    /// The compressed-sparse-row arrays (offsets, feature ids, weights).
    pub fn csr(&self) -> (&[u32], &[u32], &[f32]) {
        (&self.offsets, &self.terms, &self.weights)
    }

    /// A feature's display name.
    pub fn name(&self, feature: u32) -> &str {
        self.names.get(feature as usize).map_or("", String::as_str)
    }

    /// A feature's kind.
    pub fn kind(&self, feature: u32) -> Option<FeatureKind> {
        self.kinds.get(feature as usize).copied()
    }

    /// The features of paper `i` weighted by `profile` (a weight per
    /// feature id), the `limit` heaviest positive products first: what in
    /// the paper matches the profile, named.
    pub fn weighed(&self, i: usize, profile: impl Fn(u32) -> f32, limit: usize) -> Vec<&str> {
        let (terms, weights) = self.row(i);
        let mut scored: Vec<(u32, f32)> =
            terms.iter().zip(weights).map(|(&t, &w)| (t, w * profile(t))).filter(|&(_, s)| s > 0.0).collect();
        scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut names: Vec<&str> = Vec::new();
        for (t, _) in scored {
            let name = self.name(t);
            // An entity and a word of the same spelling are one reason.
            if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name);
            }
            if names.len() == limit {
                break;
            }
        }
        names
    }

    /// The features papers `a` and `b` share, weightiest first.
    pub fn shared(&self, a: usize, b: usize, limit: usize) -> Vec<&str> {
        let (terms, weights) = self.row(b);
        self.weighed(a, |t| terms.binary_search(&t).map_or(0.0, |k| weights[k]), limit)
    }
}

/// Feature ids by key while rows are read.
#[derive(Default)]
struct Vocabulary {
    /// Folded word -> its stem's id, or none for a word that is not one
    /// (numbers, one or two letters), and how often it was read.
    by_folded: HashMap<String, (Option<u32>, u32)>,
    by_stem: HashMap<String, u32>,
    entities: HashMap<String, u32>,
    phrases: HashMap<String, u32>,
    names: Vec<String>,
    kinds: Vec<FeatureKind>,
}

impl Vocabulary {
    fn word(&mut self, folded: &str) -> Option<u32> {
        if let Some((id, count)) = self.by_folded.get_mut(folded) {
            *count += 1;
            return *id;
        }
        let wordlike = folded.chars().count() >= 3 && folded.chars().any(char::is_alphabetic);
        let id = wordlike.then(|| {
            let stemmed = stem(folded);
            match self.by_stem.get(stemmed.as_ref()) {
                Some(&id) => id,
                None => {
                    let id = self.push(FeatureKind::Word, folded);
                    self.by_stem.insert(stemmed.into_owned(), id);
                    id
                }
            }
        });
        self.by_folded.insert(folded.to_owned(), (id, 1));
        id
    }

    /// The names and kinds of the features, a word named by its most
    /// frequent spelling ("speculative", not the first read, "speculate";
    /// ties to the first in alphabetical order).
    fn into_names(self) -> (Vec<String>, Vec<FeatureKind>) {
        let Vocabulary { by_folded, mut names, kinds, .. } = self;
        let mut best: Vec<u32> = vec![0; names.len()];
        let mut spellings: Vec<(&String, u32, u32)> =
            by_folded.iter().filter_map(|(folded, &(id, count))| Some((folded, id?, count))).collect();
        spellings.sort_unstable();
        for (folded, id, count) in spellings {
            if count > best[id as usize] {
                best[id as usize] = count;
                names[id as usize].clone_from(folded);
            }
        }
        (names, kinds)
    }

    fn named(&mut self, kind: FeatureKind, name: &str) -> u32 {
        let map = if kind == FeatureKind::Entity { &self.entities } else { &self.phrases };
        if let Some(&id) = map.get(name) {
            return id;
        }
        let id = self.push(kind, name);
        let map = if kind == FeatureKind::Entity { &mut self.entities } else { &mut self.phrases };
        map.insert(name.to_owned(), id);
        id
    }

    fn push(&mut self, kind: FeatureKind, name: &str) -> u32 {
        self.names.push(name.to_owned());
        self.kinds.push(kind);
        (self.names.len() - 1) as u32
    }
}

/// `row`'s counts summed per feature, sorted by feature id.
fn summed(row: &mut [(u32, f32)]) -> Vec<(u32, f32)> {
    row.sort_unstable_by_key(|&(t, _)| t);
    let mut out: Vec<(u32, f32)> = Vec::with_capacity(row.len());
    for &(t, w) in row.iter() {
        match out.last_mut() {
            Some((last, sum)) if *last == t => *sum += w,
            _ => out.push((t, w)),
        }
    }
    out
}
