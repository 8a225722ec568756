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

/// The features of `paper` with how each is spelled (the first spelling
/// met: title before abstract).
fn features_of(paper: &Paper) -> HashMap<Key, String> {
    let mut out: HashMap<Key, String> = HashMap::new();
    for text in [&paper.title, &paper.abstract_text] {
        for_each_part(text, |part, _, _| {
            let wordlike = part.chars().count() >= 3 && part.chars().any(char::is_alphabetic);
            if wordlike {
                let key = Key { kind: WORD, text: stem(part).into_owned() };
                out.entry(key).or_insert_with(|| part.to_owned());
            }
        });
    }
    for entity in &paper.enrichment.entities {
        out.entry(Key { kind: ENTITY, text: fold(&entity.name) }).or_insert_with(|| entity.name.clone());
    }
    for phrase in &paper.enrichment.keyphrases {
        out.entry(Key { kind: PHRASE, text: fold(&phrase.phrase) }).or_insert_with(|| phrase.phrase.clone());
    }
    out
}

/// What the liked papers share, less what the disliked ones do: each
/// feature's share of the liked papers that have it less its share of the
/// disliked ones.
pub struct Profile {
    shares: HashMap<Key, f32>,
}

impl Profile {
    pub fn new<'a>(
        liked: impl IntoIterator<Item = &'a Paper>,
        disliked: impl IntoIterator<Item = &'a Paper>,
    ) -> Profile {
        let mut shares: HashMap<Key, f32> = HashMap::new();
        for (papers, sign) in
            [(liked.into_iter().collect::<Vec<_>>(), 1.0), (disliked.into_iter().collect(), -1.0)]
        {
            let count = papers.len().max(1) as f32;
            for paper in papers {
                for key in features_of(paper).into_keys() {
                    *shares.entry(key).or_default() += sign / count;
                }
            }
        }
        Profile { shares }
    }

    /// The `limit` features of `paper` that tie it most to the liked
    /// papers, weightiest first: share x rarity, where a word's rarity is
    /// `ln(papers / df)` by `df` (the search index's document frequency of
    /// a folded word; a word in more than half the papers, or unknown,
    /// says nothing), and an entity's or a keyphrase's is that of its
    /// rarest word, doubled (a name says more than any of its words).
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
            .filter_map(|(key, shown)| {
                let share = *self.shares.get(&key)?;
                let weight = match key.kind {
                    WORD => rarity(&fold(&shown)),
                    _ => {
                        let mut rarest = 0f32;
                        for_each_part(&shown, |part, _, _| rarest = rarest.max(rarity(part)));
                        2.0 * rarest
                    }
                };
                (share > 0.0 && weight > 0.0).then_some((share * weight, shown))
            })
            .collect();
        weighed.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        // A word inside a reason already given adds nothing.
        let mut shown: Vec<String> = Vec::new();
        let mut words_shown: HashSet<String> = HashSet::new();
        for (_, text) in weighed {
            if shown.len() >= limit {
                break;
            }
            let folded = fold(&text);
            if words_shown.contains(&folded) {
                continue;
            }
            for_each_part(&text, |part, _, _| {
                words_shown.insert(part.to_owned());
            });
            words_shown.insert(folded);
            shown.push(text);
        }
        shown
    }
}
