//! Topics from the taxonomy (trigger terms, stemmed) and keyphrases computed
//! from the corpus itself (TF-IDF over words and two-word phrases).

// Fx hashing: these maps are probed once or more per word of every text.
use rustc_hash::FxHashMap as HashMap;

use super::terms::{Tok, Vocabulary, TITLE};
use crate::engine::dictionary::TopicEntry;

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
        let mut by_first: HashMap<u32, Vec<(usize, Vec<u32>)>> = HashMap::default();
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
            let Some(candidates) = self.by_first.get(&tok.term()) else { continue };
            for (topic, ids) in candidates {
                let Some(window) = toks.get(p..p + ids.len()) else { continue };
                let same = window.iter().zip(ids).all(|(t, id)| t.term() == *id && t.field() == tok.field());
                if !same {
                    continue;
                }
                let weight = if tok.field() == TITLE { TITLE_WEIGHT } else { 1 };
                let span = (tok.field(), tok.start, window[window.len() - 1].end);
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
    if weak[t.term() as usize] || t.named() {
        return [None, None];
    }
    let uni = Some(u64::from(t.term()));
    let bi = toks
        .get(p + 1)
        .filter(|n| n.joined() && n.field() == t.field() && !weak[n.term() as usize] && !n.named())
        .map(|n| (1 << 63) | (u64::from(t.term()) << 32) | u64::from(n.term()));
    [uni, bi]
}

/// Keyphrases per paper: (display phrase, score, spans) with the display
/// form shared across the corpus so that equal keyphrases facet together.
pub fn keyphrases(
    docs: &[Vec<Tok>],
    texts: &[(&str, &str)],
    vocabulary: &Vocabulary,
    term_df: &[u32],
) -> Vec<Vec<Scored<String, f32>>> {
    let n = docs.len();
    let weak = &vocabulary.weak;
    let bigram_df = bigram_frequencies(docs, weak, term_df);
    let df =
        |k: u64| if k >> 63 == 1 { bigram_df.get(&k).copied().unwrap_or(1) } else { term_df[k as usize] };
    let max_df = (n / 2).max(2) as u32;
    let mut display: HashMap<u64, String> = HashMap::default();
    let mut weighted: Vec<(u64, f32)> = Vec::new();
    let mut out = Vec::with_capacity(n);
    for (d, toks) in docs.iter().enumerate() {
        // Term frequencies by sorting (key, weight) pairs: no map per paper.
        weighted.clear();
        for (p, tok) in toks.iter().enumerate() {
            let weight = if tok.field() == TITLE { 2.0 } else { 1.0 };
            weighted.extend(key_of(toks, p, weak).into_iter().flatten().map(|k| (k, weight)));
        }
        weighted.sort_unstable_by_key(|&(k, _)| k);
        let mut scored: Vec<(u64, f32)> = Vec::new();
        for run in weighted.chunk_by(|a, b| a.0 == b.0) {
            let k = run[0].0;
            let df = df(k);
            if df < 2 || df > max_df {
                continue;
            }
            let tf: f32 = run.iter().map(|&(_, w)| w).sum();
            let phrase_boost = if k >> 63 == 1 { 1.5 } else { 1.0 };
            scored.push((k, (1.0 + tf.ln()) * (n as f32 / df as f32).ln() * phrase_boost));
        }
        // Overlapping keys are skipped, so look a few past the number kept;
        // sorting only those matters at 100k papers.
        let by_score = |a: &(u64, f32), b: &(u64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let shortlist = 8 * KEYPHRASES_PER_PAPER;
        if scored.len() > shortlist {
            scored.select_nth_unstable_by(shortlist - 1, by_score);
            scored.truncate(shortlist);
        }
        scored.sort_unstable_by(by_score);
        let terms_of =
            |k: u64| if k >> 63 == 1 { [(k >> 32) & 0x7fff_ffff, k & 0xffff_ffff] } else { [k, k] };
        let mut chosen: Vec<(u64, f32, Vec<RawSpan>)> = Vec::new();
        for (k, score) in scored {
            if chosen.len() == KEYPHRASES_PER_PAPER {
                break;
            }
            let overlaps =
                chosen.iter().any(|(c, _, _)| terms_of(*c).iter().any(|x| terms_of(k).contains(x)));
            if !overlaps {
                chosen.push((k, score, Vec::new()));
            }
        }
        // Spans of the chosen keys only.
        for (p, tok) in toks.iter().enumerate() {
            for (k, len) in key_of(toks, p, weak).into_iter().zip([1, 2]) {
                let Some((_, _, spans)) = chosen.iter_mut().find(|(c, _, _)| Some(*c) == k) else { continue };
                if spans.len() < MAX_SPANS {
                    spans.push((tok.field(), tok.start, toks[p + len - 1].end));
                }
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

/// Papers containing each two-word key, for the keys in two papers or more
/// (a key in one paper is no keyphrase; most two-word keys are such).
///
/// The exact count is kept in a map, which would hold millions of keys at
/// 100k papers; two bitsets first sieve out keys seen once. They may let
/// a key through that collides with another (then the map counts it
/// exactly), never hold one back.
fn bigram_frequencies(docs: &[Vec<Tok>], weak: &[bool], term_df: &[u32]) -> HashMap<u64, u32> {
    let mut keys: Vec<u64> = Vec::new();
    let doc_keys = |toks: &[Tok], keys: &mut Vec<u64>| {
        keys.clear();
        let bigrams = (0..toks.len()).filter_map(|p| key_of(toks, p, weak)[1]);
        // A key's paper count is at most that of its words.
        keys.extend(
            bigrams
                .filter(|&k| term_df[(k >> 32) as usize & 0x7fff_ffff] > 1 && term_df[k as u32 as usize] > 1),
        );
        keys.sort_unstable();
        keys.dedup();
    };
    let tokens: usize = docs.iter().map(Vec::len).sum();
    // About 8 bits per key: under 10% of once-seen keys pass the sieve.
    let bits = (tokens * 8).next_power_of_two().clamp(1 << 10, 1 << 28);
    let bucket = |k: u64| (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits.trailing_zeros())) as usize;
    let mut once = vec![0u64; bits / 64];
    let mut twice = vec![0u64; bits / 64];
    for toks in docs {
        doc_keys(toks, &mut keys);
        for &k in &keys {
            let b = bucket(k);
            let (word, bit) = (b / 64, 1u64 << (b % 64));
            if once[word] & bit != 0 {
                twice[word] |= bit;
            }
            once[word] |= bit;
        }
    }
    drop(once);
    let mut df: HashMap<u64, u32> = HashMap::default();
    for toks in docs {
        doc_keys(toks, &mut keys);
        for &k in &keys {
            let b = bucket(k);
            if twice[b / 64] & (1u64 << (b % 64)) != 0 {
                *df.entry(k).or_insert(0) += 1;
            }
        }
    }
    df
}
