//! Why a paper is recommended, from what a pack holds: the TF-IDF
//! [`Features`](super::Features) are not shipped, so a paper's features are
//! made again from its record (the words of its title and abstract, by the
//! shared analyzer, its entities and keyphrases) and weighed by the search
//! index's document frequencies. A feature counts for a recommendation by
//! how many more of the liked papers than of the disliked ones have it,
//! times its rarity in the corpus.

use std::collections::{HashMap, HashSet};

use crate::engine::analyze::{fold, for_each_part, stem};
use crate::engine::bundle::Paper;

/// A feature of a paper: its key (a stem, or a folded entity name or
/// keyphrase, each kind apart) and how it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    kind: u8,
    text: String,
}

const WORD: u8 = 0;
const ENTITY: u8 = 1;
const PHRASE: u8 = 2;

/// How a feature of a paper is shown (the first spelling met: title before
/// abstract), how often it occurs there and, for a word, every spelling of
/// its stem there, folded.
struct Feature {
    shown: String,
    count: u32,
    forms: Vec<String>,
}

impl Feature {
    /// How much the feature weighs in its paper: `1 + ln(count)`, as
    /// TF-IDF's sublinear term frequency (a paper about proteins says
    /// "protein" many times, "predicting" once).
    fn weight(&self) -> f32 {
        1.0 + (self.count.max(1) as f32).ln()
    }
}

/// The features of `paper`.
fn features_of(paper: &Paper) -> HashMap<Key, Feature> {
    let mut out: HashMap<Key, Feature> = HashMap::new();
    for text in [&paper.title, &paper.abstract_text] {
        for_each_part(text, |part, _, _| {
            let wordlike = part.chars().count() >= 3 && part.chars().any(char::is_alphabetic);
            if wordlike {
                let key = Key { kind: WORD, text: stem(part).into_owned() };
                let feature = out.entry(key).or_insert_with(|| Feature {
                    shown: part.to_owned(),
                    count: 0,
                    forms: Vec::new(),
                });
                feature.count += 1;
                let form = fold(part);
                if !feature.forms.contains(&form) {
                    feature.forms.push(form);
                }
            }
        });
    }
    let named = |shown: &str| Feature { shown: shown.to_owned(), count: 1, forms: Vec::new() };
    for entity in &paper.enrichment.entities {
        out.entry(Key { kind: ENTITY, text: fold(&entity.name) }).or_insert_with(|| named(&entity.name));
    }
    for phrase in &paper.enrichment.keyphrases {
        out.entry(Key { kind: PHRASE, text: fold(&phrase.phrase) }).or_insert_with(|| named(&phrase.phrase));
    }
    out
}

/// What the liked papers share, less what the disliked ones do: each
/// feature's mean weight ([`Feature::weight`], 0 where absent) over the
/// liked papers less its mean over the disliked ones; and the spellings
/// the liked papers give each word.
pub struct Profile {
    shares: HashMap<Key, f32>,
    forms: HashMap<Key, Vec<String>>,
}

impl Profile {
    pub fn new<'a>(
        liked: impl IntoIterator<Item = &'a Paper>,
        disliked: impl IntoIterator<Item = &'a Paper>,
    ) -> Profile {
        let mut shares: HashMap<Key, f32> = HashMap::new();
        let mut forms: HashMap<Key, Vec<String>> = HashMap::new();
        for (papers, sign) in
            [(liked.into_iter().collect::<Vec<_>>(), 1.0), (disliked.into_iter().collect(), -1.0)]
        {
            let count = papers.len().max(1) as f32;
            for paper in papers {
                for (key, feature) in features_of(paper) {
                    let feature_weight = feature.weight();
                    if sign > 0.0 && !feature.forms.is_empty() {
                        let known = forms.entry(key.clone()).or_default();
                        known.extend(
                            feature.forms.into_iter().filter(|f| !known.contains(f)).collect::<Vec<_>>(),
                        );
                    }
                    *shares.entry(key).or_default() += sign * feature_weight / count;
                }
            }
        }
        Profile { shares, forms }
    }

    /// The `limit` features of `paper` that tie it most to the liked
    /// papers, weightiest first: the profile's weight x the feature's
    /// weight in `paper` x rarity, where a word's rarity is
    /// `ln(papers / df)` by `df` (the search index's document frequency of
    /// a folded word; a word in more than half the papers, or unknown,
    /// says nothing), the `df` of a stem's commonest spelling in `paper`
    /// and the liked papers (its share counts every spelling: "predicts"
    /// alone is rarer than the stem it shares with "predicting"), and an
    /// entity's or a keyphrase's is that of its rarest word, doubled (a
    /// name says more than any of its words). No two words of one stem
    /// are both given.
    pub fn reasons(
        &self,
        paper: &Paper,
        papers: usize,
        df: impl Fn(&str) -> Option<usize>,
        limit: usize,
    ) -> Vec<String> {
        let n = papers.max(1) as f32;
        let rarity = |word: &str| -> f32 {
            match df(word) {
                Some(d) if d > 0 && (d as f32) <= n / 2.0 => (n / d as f32).ln(),
                _ => 0.0,
            }
        };
        let mut weighed: Vec<(f32, String)> = features_of(paper)
            .into_iter()
            .filter_map(|(key, feature)| {
                let share = *self.shares.get(&key)? * feature.weight();
                let Feature { shown, forms, .. } = feature;
                let weight = match key.kind {
                    WORD => {
                        let liked = self.forms.get(&key).into_iter().flatten();
                        forms.iter().chain(liked).map(|form| rarity(form)).fold(f32::INFINITY, f32::min)
                    }
                    _ => {
                        let mut rarest = 0f32;
                        for_each_part(&shown, |part, _, _| rarest = rarest.max(rarity(part)));
                        2.0 * rarest
                    }
                };
                (share > 0.0 && weight > 0.0 && weight.is_finite()).then_some((share * weight, shown))
            })
            .collect();
        weighed.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        // A word inside a reason already given (by its stem) adds nothing.
        let mut shown: Vec<String> = Vec::new();
        let mut stems_shown: HashSet<String> = HashSet::new();
        for (_, text) in weighed {
            if shown.len() >= limit {
                break;
            }
            let mut stems = Vec::new();
            for_each_part(&text, |part, _, _| stems.push(stem(part).into_owned()));
            if stems.iter().all(|s| stems_shown.contains(s)) {
                continue;
            }
            stems_shown.extend(stems);
            shown.push(text);
        }
        shown
    }
}
