//! Topics from the taxonomy (trigger terms, stemmed) and keyphrases computed
//! from the corpus itself (TF-IDF over words and two-word phrases).

use std::collections::HashMap;

use super::dictionary::TopicEntry;
use super::terms::{Tok, Vocabulary, TITLE};

/// (field, start, end) of a hit.
type RawSpan = (u8, u32, u32);
/// (topic or phrase, score, spans) of one paper.
type Scored<K, S> = (K, S, Vec<RawSpan>);
use crate::engine::analyze::{fold, tokenize, TokenKind};

/// A topic's score in one paper: title hits count [`TITLE_WEIGHT`], abstract
/// hits 1; a paper gets the topic at [`MIN_TOPIC_SCORE`] or more.
pub const TITLE_WEIGHT: u32 = 2;
pub const MIN_TOPIC_SCORE: u32 = 2;
/// Keyphrases kept per paper.
pub const KEYPHRASES_PER_PAPER: usize = 5;
/// Spans kept per topic or keyphrase of a paper.
pub const MAX_SPANS: usize = 4;

/// Trigger phrases as term-id sequences, by first term.
pub struct Triggers {
    by_first: HashMap<u32, Vec<(usize, Vec<u32>)>>,
}

impl Triggers {
    pub fn new(topics: &[TopicEntry], vocabulary: &Vocabulary) -> Triggers {
        let mut by_first: HashMap<u32, Vec<(usize, Vec<u32>)>> = HashMap::new();
        for (t, topic) in topics.iter().enumerate() {
            for term in &topic.terms {
                let ids: Option<Vec<u32>> = tokenize(term)
                    .into_iter()
                    .filter(|k| k.kind == TokenKind::Part)
                    .map(|k| vocabulary.get(&k.term))
                    .collect();
                if let Some(ids) = ids.filter(|ids| !ids.is_empty()) {
                    by_first.entry(ids[0]).or_default().push((t, ids));
                }
            }
        }
        Triggers { by_first }
    }

    /// (topic index, score, spans as (field, start, end)) for one paper.
    pub fn topics_of(&self, toks: &[Tok]) -> Vec<Scored<usize, u32>> {
        let mut found: Vec<Scored<usize, u32>> = Vec::new();
        for (p, tok) in toks.iter().enumerate() {
            let Some(candidates) = self.by_first.get(&tok.term) else { continue };
            for (topic, ids) in candidates {
                let Some(window) = toks.get(p..p + ids.len()) else { continue };
                let same = window.iter().zip(ids).all(|(t, id)| t.term == *id && t.field == tok.field);
                if !same {
                    continue;
                }
                let weight = if tok.field == TITLE { TITLE_WEIGHT } else { 1 };
                let span = (tok.field, tok.start, window[window.len() - 1].end);
                match found.iter_mut().find(|(t, _, _)| t == topic) {
                    Some((_, score, spans)) => {
                        *score += weight;
                        if spans.len() < MAX_SPANS && !spans.contains(&span) {
                            spans.push(span);
                        }
                    }
                    None => found.push((*topic, weight, vec![span])),
                }
            }
        }
        found.retain(|(_, score, _)| *score >= MIN_TOPIC_SCORE);
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        found
    }
}

/// A keyphrase key: one term, or two (`a << 32 | b` with the top bit set).
fn key_of(toks: &[Tok], p: usize, weak: &[bool]) -> [Option<u64>; 2] {
    let t = toks[p];
    if weak[t.term as usize] {
        return [None, None];
    }
    let uni = Some(u64::from(t.term));
    let bi = toks
        .get(p + 1)
        .filter(|n| n.joined && n.field == t.field && !weak[n.term as usize])
        .map(|n| (1 << 63) | (u64::from(t.term) << 32) | u64::from(n.term));
    [uni, bi]
}

/// Keyphrases per paper: (display phrase, score, spans) with the display
/// form shared across the corpus so that equal keyphrases facet together.
pub fn keyphrases(
    docs: &[Vec<Tok>],
    texts: &[(&str, &str)],
    vocabulary: &Vocabulary,
) -> Vec<Vec<Scored<String, f32>>> {
    let n = docs.len();
    let mut df: HashMap<u64, u32> = HashMap::new();
    let mut keys: Vec<u64> = Vec::new();
    for toks in docs {
        keys.clear();
        for p in 0..toks.len() {
            keys.extend(key_of(toks, p, &vocabulary.weak).into_iter().flatten());
        }
        keys.sort_unstable();
        keys.dedup();
        for &k in &keys {
            *df.entry(k).or_insert(0) += 1;
        }
    }
    let max_df = (n / 2).max(2) as u32;
    let mut display: HashMap<u64, String> = HashMap::new();
    let mut out = Vec::with_capacity(n);
    for (d, toks) in docs.iter().enumerate() {
        let mut tf: HashMap<u64, (f32, Vec<RawSpan>)> = HashMap::new();
        for p in 0..toks.len() {
            let weight = if toks[p].field == TITLE { 2.0 } else { 1.0 };
            for (k, len) in key_of(toks, p, &vocabulary.weak).into_iter().zip([1, 2]) {
                let Some(k) = k else { continue };
                let entry = tf.entry(k).or_insert((0.0, Vec::new()));
                entry.0 += weight;
                if entry.1.len() < MAX_SPANS {
                    entry.1.push((toks[p].field, toks[p].start, toks[p + len - 1].end));
                }
            }
        }
        let mut scored: Vec<Scored<u64, f32>> = tf
            .into_iter()
            .filter_map(|(k, (tf, spans))| {
                let df = df[&k];
                if df < 2 || df > max_df {
                    return None;
                }
                let phrase_boost = if k >> 63 == 1 { 1.5 } else { 1.0 };
                let score = (1.0 + tf.ln()) * (n as f32 / df as f32).ln() * phrase_boost;
                Some((k, score, spans))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut chosen: Vec<Scored<u64, f32>> = Vec::new();
        for (k, score, spans) in scored {
            if chosen.len() == KEYPHRASES_PER_PAPER {
                break;
            }
            let parts =
                |k: u64| if k >> 63 == 1 { vec![(k >> 32) & 0x7fff_ffff, k & 0xffff_ffff] } else { vec![k] };
            let overlaps = chosen.iter().any(|(c, _, _)| {
                let (a, b) = (parts(*c), parts(k));
                a.iter().any(|x| b.contains(x))
            });
            if !overlaps {
                chosen.push((k, score, spans));
            }
        }
        let (title, abstract_text) = texts[d];
        out.push(
            chosen
                .into_iter()
                .map(|(k, score, spans)| {
                    let phrase = display
                        .entry(k)
                        .or_insert_with(|| {
                            let (field, s, e) = spans[0];
                            let text = if field == TITLE { title } else { abstract_text };
                            fold(&text[s as usize..e as usize])
                        })
                        .clone();
                    (phrase, (score * 1000.0).round() / 1000.0, spans)
                })
                .collect(),
        );
    }
    out
}
