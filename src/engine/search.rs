//! Ranked search over a [`SearchIndex`]: BM25F over title, abstract, authors
//! and entities; the last word as a prefix; typo tolerance; stems; phrases;
//! exclusions; qualifiers; highlights, snippets, suggestions and explanations.
//!
//! Matching a word: the exact term scores fully, another word with the same
//! stem 0.85, a completion of a prefix 0.7, a word one edit away 0.6 (words of
//! 4+ characters), two edits away 0.45 (8+ characters). Fuzzy candidates
//! share the first character (a typo there is rare and checking every word
//! would cost a frame at 100k papers).

use std::collections::HashSet;

use serde::Serialize;

use super::analyze::{tokenize, TokenKind};
use super::facets::DocSet;
use super::index::SearchIndex;
use super::query::{Atom, Field, Query};

/// Ranking knobs, each clamped to its documented range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankingWeights {
    /// Weight of a title match, 0–10 (default 3).
    pub title: f32,
    /// Weight of an abstract match, 0–10 (default 1).
    pub abstract_text: f32,
    /// Weight of an author match, 0–10 (default 2).
    pub author: f32,
    /// Weight of an entity/topic match, 0–10 (default 2).
    pub entity: f32,
    /// BM25 term-frequency saturation, 0–3 (default 1.2).
    pub k1: f32,
    /// BM25 length normalization, 0–1 (default 0.75).
    pub b: f32,
}

impl Default for RankingWeights {
    fn default() -> Self {
        Self { title: 3.0, abstract_text: 1.0, author: 2.0, entity: 2.0, k1: 1.2, b: 0.75 }
    }
}

impl RankingWeights {
    pub fn clamped(self) -> Self {
        Self {
            title: self.title.clamp(0.0, 10.0),
            abstract_text: self.abstract_text.clamp(0.0, 10.0),
            author: self.author.clamp(0.0, 10.0),
            entity: self.entity.clamp(0.0, 10.0),
            k1: self.k1.clamp(0.0, 3.0),
            b: self.b.clamp(0.0, 1.0),
        }
    }

    fn field(&self, field: Field) -> f32 {
        match field {
            Field::Title => self.title,
            Field::Abstract => self.abstract_text,
            Field::Author => self.author,
            Field::Entity => self.entity,
        }
    }
}

/// Maps what a user typed to canonical entity names: the shared entity
/// normalizer of the compiler, used here so that any spelling finds a model.
pub trait EntityResolver {
    /// `(kind, canonical name)` pairs that `text` names; `kind` restricts
    /// the answer when given (`model`, `benchmark`, ...).
    fn resolve(&self, kind: Option<&str>, text: &str) -> Vec<(String, String)>;
}

/// A resolver that knows no entities.
pub struct NoEntities;

impl EntityResolver for NoEntities {
    fn resolve(&self, _: Option<&str>, _: &str) -> Vec<(String, String)> {
        Vec::new()
    }
}

/// What a search needs besides the index and the query.
pub struct SearchOptions<'a> {
    pub weights: RankingWeights,
    pub entities: &'a dyn EntityResolver,
    /// Papers carrying a user tag (or a tag below it).
    pub tagged: &'a dyn Fn(&str) -> Vec<u32>,
}

impl Default for SearchOptions<'_> {
    fn default() -> Self {
        Self { weights: RankingWeights::default(), entities: &NoEntities, tagged: &|_| Vec::new() }
    }
}

/// How a term matched a query word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    Exact,
    Stem,
    Prefix,
    Fuzzy,
    Phrase,
    Entity,
    Tag,
}

impl MatchKind {
    fn weight(self, distance: usize) -> f32 {
        match self {
            MatchKind::Exact | MatchKind::Phrase => 1.0,
            MatchKind::Stem => 0.85,
            MatchKind::Prefix => 0.7,
            MatchKind::Fuzzy if distance <= 1 => 0.6,
            MatchKind::Fuzzy => 0.45,
            MatchKind::Entity => 1.0,
            MatchKind::Tag => 1.0,
        }
    }
}

#[derive(Debug, Clone)]
struct Expansion {
    term: u32,
    kind: MatchKind,
    weight: f32,
}

/// Most completions of a prefix considered: the most frequent ones (short
/// prefixes would otherwise touch every word of the corpus).
const MAX_PREFIX_TERMS: usize = 24;

/// A word found in this many papers or more is taken as spelled right.
const FUZZY_MAX_DF: usize = 3;

/// The most frequent terms starting with `prefix`.
fn top_completions(index: &SearchIndex, prefix: &str) -> Vec<u32> {
    let mut ids: Vec<u32> = index.with_prefix(prefix).collect();
    if ids.len() > MAX_PREFIX_TERMS {
        ids.select_nth_unstable_by_key(MAX_PREFIX_TERMS, |&id| std::cmp::Reverse(index.doc_frequency(id)));
        ids.truncate(MAX_PREFIX_TERMS);
    }
    ids
}

fn expand_word(index: &SearchIndex, word: &str, prefix: bool) -> Vec<Expansion> {
    let mut out: Vec<Expansion> = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |term: u32, kind: MatchKind, distance: usize, out: &mut Vec<Expansion>| {
        if seen.insert(term) {
            out.push(Expansion { term, kind, weight: kind.weight(distance) });
        }
    };
    if let Some(id) = index.find(word) {
        push(id, MatchKind::Exact, 0, &mut out);
    }
    for &id in index.same_stem(word) {
        push(id, MatchKind::Stem, 0, &mut out);
    }
    if prefix {
        for id in top_completions(index, word) {
            push(id, MatchKind::Prefix, 0, &mut out);
        }
    }
    let mut fuzzy = Vec::new();
    let length = word.chars().count();
    // A word the corpus uses often is not a typo: skip the fuzzy scan.
    let common = index.find(word).is_some_and(|id| index.doc_frequency(id) >= FUZZY_MAX_DF);
    let max_distance = if common {
        0
    } else if length >= 8 {
        2
    } else if length >= 4 {
        1
    } else {
        0
    };
    if max_distance > 0 {
        if let Some(first) = word.chars().next() {
            for (id, term) in index.starting_with_char(first) {
                let term_length = term.chars().count();
                if term_length.abs_diff(length) > max_distance {
                    continue;
                }
                let distance = strsim::levenshtein(word, term);
                if distance > 0 && distance <= max_distance {
                    fuzzy.push((id, distance));
                }
            }
        }
    }
    // A word one typo away also brings its inflections ("jailbrek" ->
    // "jailbreak" -> "jailbreaking").
    for (id, distance) in fuzzy {
        let term = index.term(id).to_owned();
        push(id, MatchKind::Fuzzy, distance, &mut out);
        for &related in index.same_stem(&term) {
            push(related, MatchKind::Fuzzy, distance, &mut out);
        }
    }
    out
}

/// A matching paper and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
}

/// Accumulated scores of one clause, dense over papers.
struct Scores {
    docs: DocSet,
    score: Vec<f32>,
}

impl Scores {
    fn new(n: usize) -> Self {
        Self { docs: DocSet::with_capacity(n), score: vec![0.0; n] }
    }

    fn offer(&mut self, doc: u32, score: f32) {
        let d = doc as usize;
        self.docs.insert(d);
        if score > self.score[d] {
            self.score[d] = score;
        }
    }
}

fn idf(n: usize, df: usize) -> f32 {
    let (n, df) = (n as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Scores every paper containing `term` (restricted to `field` if given) by
/// BM25F, scaled by `weight`, into `into`.
fn score_term(
    index: &SearchIndex,
    term: u32,
    field: Option<Field>,
    weight: f32,
    w: &RankingWeights,
    into: &mut Scores,
) {
    let df = index.doc_frequency(term);
    let idf = idf(index.doc_count(), df);
    let mut current = u32::MAX;
    let mut tfw = 0.0f32;
    let flush = |doc: u32, tfw: f32, into: &mut Scores| {
        if doc != u32::MAX && tfw > 0.0 {
            into.offer(doc, weight * idf * tfw / (w.k1 + tfw));
        }
    };
    for p in index.postings(term) {
        if field.is_some_and(|f| f != p.field) {
            continue;
        }
        if p.doc != current {
            flush(current, tfw, into);
            current = p.doc;
            tfw = 0.0;
        }
        let length = f32::from(index.field_length(p.doc, p.field));
        let norm = 1.0 - w.b + w.b * length / index.average_length(p.field);
        tfw += w.field(p.field) * f32::from(p.tf) / norm.max(0.01);
    }
    flush(current, tfw, into);
}

/// Papers where `terms` occur as consecutive words of the title or abstract
/// (the last term may be a prefix), scored as the sum of the words' BM25F.
fn score_phrase(index: &SearchIndex, terms: &[String], field: Option<Field>, prefix: bool, w: &RankingWeights, into: &mut Scores) {
    // Candidate term ids for each position of the phrase.
    let alternatives: Vec<Vec<u32>> = terms
        .iter()
        .enumerate()
        .map(|(i, term)| {
            let mut ids: Vec<u32> = index.find(term).into_iter().collect();
            if prefix && i + 1 == terms.len() {
                ids.extend(top_completions(index, term));
                ids.sort_unstable();
                ids.dedup();
            }
            ids
        })
        .collect();
    if alternatives.iter().any(Vec::is_empty) {
        return;
    }
    // Per paper and field: positions of each phrase word, gathered from postings.
    let n = index.doc_count();
    let mut word_scores: Vec<Scores> = Vec::with_capacity(terms.len());
    let mut present: Option<DocSet> = None;
    for ids in &alternatives {
        let mut scores = Scores::new(n);
        for &id in ids {
            score_term(index, id, field, 1.0, w, &mut scores);
        }
        present = Some(match present {
            None => scores.docs.clone(),
            Some(mut acc) => {
                acc.intersect_with(&scores.docs);
                acc
            }
        });
        word_scores.push(scores);
    }
    let present = present.unwrap_or_default();
    if present.count_ones(..) == 0 {
        return;
    }
    // Word positions of each candidate paper, per phrase word and field.
    let mut found: std::collections::HashMap<(u32, Field), Vec<Vec<u16>>> = std::collections::HashMap::new();
    for (word, ids) in alternatives.iter().enumerate() {
        for &id in ids {
            for p in index.postings(id) {
                if !present.contains(p.doc as usize) || !matches!(p.field, Field::Title | Field::Abstract) {
                    continue;
                }
                if field.is_some_and(|f| f != p.field) {
                    continue;
                }
                let slots = found.entry((p.doc, p.field)).or_insert_with(|| vec![Vec::new(); terms.len()]);
                slots[word].extend_from_slice(index.positions(&p));
            }
        }
    }
    for ((doc, _), mut slots) in found {
        for slot in &mut slots {
            slot.sort_unstable();
        }
        let consecutive = slots[0].iter().any(|&start| {
            (1..slots.len()).all(|k| slots[k].binary_search(&(start + k as u16)).is_ok())
        });
        if consecutive {
            let score: f32 = word_scores.iter().map(|s| s.score[doc as usize]).sum();
            into.offer(doc, score);
        }
    }
}

fn evaluate_atom(index: &SearchIndex, atom: &Atom, options: &SearchOptions<'_>, into: &mut Scores) {
    let w = options.weights.clamped();
    match atom {
        Atom::Terms { terms, field, prefix, phrase } if terms.len() == 1 => {
            let expansions = if *phrase {
                index
                    .find(&terms[0])
                    .map(|term| Expansion { term, kind: MatchKind::Exact, weight: 1.0 })
                    .into_iter()
                    .collect()
            } else {
                expand_word(index, &terms[0], *prefix)
            };
            for e in expansions {
                score_term(index, e.term, *field, e.weight, &w, into);
            }
            if !phrase {
                add_entities(index, None, &terms[0], options, into);
            }
        }
        Atom::Terms { terms, field, prefix, .. } => {
            let field = field.filter(|f| matches!(f, Field::Title | Field::Abstract));
            score_phrase(index, terms, field, *prefix, &w, into);
            // "llama-2-chat-70b" also finds every spelling of the model.
            add_entities(index, None, &terms.join("-"), options, into);
        }
        Atom::Entity { kind, value } => {
            let kind = kind.as_str();
            if !add_entities(index, Some(kind), value, options, into) {
                for name in index.entity_names_matching(kind, value) {
                    for &doc in index.entity_docs(kind, &name) {
                        into.offer(doc, 2.0);
                    }
                }
            }
        }
        Atom::Tag(tag) => {
            for doc in (options.tagged)(tag) {
                if (doc as usize) < index.doc_count() {
                    into.offer(doc, 1.0);
                }
            }
        }
        Atom::Year { from, to } => {
            for doc in 0..index.doc_count() as u32 {
                if let Some(year) = index.year(doc) {
                    if from.is_none_or(|f| year >= f) && to.is_none_or(|t| year <= t) {
                        into.offer(doc, 0.0);
                    }
                }
            }
        }
    }
}

/// Adds the papers of the entities `text` resolves to; false if none resolved.
fn add_entities(
    index: &SearchIndex,
    kind: Option<&str>,
    text: &str,
    options: &SearchOptions<'_>,
    into: &mut Scores,
) -> bool {
    let resolved = options.entities.resolve(kind, text);
    let weight = options.weights.clamped().entity;
    for (kind, name) in &resolved {
        for &doc in index.entity_docs(kind, name) {
            into.offer(doc, 2.0 * weight.max(0.1));
        }
    }
    !resolved.is_empty()
}

fn evaluate_clause(index: &SearchIndex, alternatives: &[Atom], options: &SearchOptions<'_>) -> Scores {
    let mut scores = Scores::new(index.doc_count());
    for atom in alternatives {
        evaluate_atom(index, atom, options, &mut scores);
    }
    scores
}

/// Every paper matching `query`, best first (ties in corpus order). An empty
/// query matches nothing: the caller shows the whole corpus instead.
pub fn search(index: &SearchIndex, query: &Query, options: &SearchOptions<'_>) -> Vec<Hit> {
    if query.is_empty() {
        return Vec::new();
    }
    let n = index.doc_count();
    let mut matching = DocSet::with_capacity(n);
    matching.insert_range(..);
    let mut total = vec![0.0f32; n];
    for clause in &query.clauses {
        let scores = evaluate_clause(index, &clause.alternatives, options);
        if clause.negated {
            matching.difference_with(&scores.docs);
        } else {
            matching.intersect_with(&scores.docs);
            for d in matching.ones() {
                total[d] += scores.score[d];
            }
        }
    }
    let mut hits: Vec<Hit> = matching.ones().map(|d| Hit { doc: d as u32, score: total[d] }).collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
    hits
}

// ---------------------------------------------------------------------------
// Highlights and snippets

/// A byte range of a field's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A piece of text, highlighted or not (rendered as text, never as HTML).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    pub highlighted: bool,
}

/// Where the query matches a paper's title and abstract.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Highlights {
    pub title: Vec<Span>,
    #[serde(rename = "abstract")]
    pub abstract_spans: Vec<Span>,
}

/// The words (folded) a query matches in `index`, for highlighting.
pub fn matched_words(index: &SearchIndex, query: &Query) -> HashSet<String> {
    let mut words = HashSet::new();
    for clause in query.clauses.iter().filter(|c| !c.negated) {
        for atom in &clause.alternatives {
            if let Atom::Terms { terms, prefix, phrase, .. } = atom {
                for (i, term) in terms.iter().enumerate() {
                    let last = i + 1 == terms.len();
                    if *phrase && terms.len() > 1 && !(last && *prefix) {
                        words.insert(term.clone());
                    } else {
                        for e in expand_word(index, term, *prefix && last) {
                            words.insert(index.term(e.term).to_owned());
                        }
                    }
                }
            }
        }
    }
    words
}

/// The spans of `text` whose words are in `words`.
pub fn spans(text: &str, words: &HashSet<String>) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    for token in tokenize(text).into_iter().filter(|t| t.kind == TokenKind::Part) {
        if words.contains(&token.term) {
            match spans.last_mut() {
                // Join parts of one identifier ("Llama-2") into one mark.
                Some(last)
                    if text[last.end..token.start].chars().all(|c| matches!(c, '-' | '.' | '_' | '/')) =>
                {
                    last.end = token.end
                }
                _ => spans.push(Span { start: token.start, end: token.end }),
            }
        }
    }
    spans
}

pub fn highlight(title: &str, abstract_text: &str, words: &HashSet<String>) -> Highlights {
    Highlights { title: spans(title, words), abstract_spans: spans(abstract_text, words) }
}

/// Splits `text` into segments at `spans`.
pub fn segments(text: &str, spans: &[Span]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut at = 0;
    for span in spans {
        if span.start > at {
            out.push(Segment { text: text[at..span.start].to_owned(), highlighted: false });
        }
        out.push(Segment { text: text[span.start..span.end].to_owned(), highlighted: true });
        at = span.end;
    }
    if at < text.len() {
        out.push(Segment { text: text[at..].to_owned(), highlighted: false });
    }
    out
}

/// The best window of about `words` words of `text` around the matches, as
/// segments, with "…" where text was cut.
pub fn snippet(text: &str, spans: &[Span], words: usize) -> Vec<Segment> {
    let tokens: Vec<(usize, usize)> =
        tokenize(text).into_iter().filter(|t| t.kind == TokenKind::Part).map(|t| (t.start, t.end)).collect();
    if tokens.len() <= words {
        return segments(text, spans);
    }
    // The window start (in tokens) covering the most highlighted spans.
    let is_hit = |&(s, _): &(usize, usize)| spans.iter().any(|sp| sp.start <= s && s < sp.end);
    let hits: Vec<bool> = tokens.iter().map(is_hit).collect();
    let mut best = (0usize, 0usize);
    let mut count = hits[..words].iter().filter(|&&h| h).count();
    best.1 = count;
    for start in 1..=tokens.len() - words {
        count += usize::from(hits[start + words - 1]);
        count -= usize::from(hits[start - 1]);
        if count > best.1 {
            best = (start, count);
        }
    }
    // Show a little context before the first hit, as far as the last hit of
    // the window stays visible.
    let window = best.0..best.0 + words;
    let last_hit = window.clone().rev().find(|&i| hits[i]).unwrap_or(best.0);
    let first_hit = window.clone().find(|&i| hits[i]).unwrap_or(best.0);
    let room = (best.0 + words - 1 - last_hit).min(4).min(best.0);
    let start_token = if first_hit - best.0 >= 4 { best.0 } else { best.0 - room };
    let end_token = (start_token + words).min(tokens.len());
    let from = if start_token == 0 { 0 } else { tokens[start_token].0 };
    let to = if end_token == tokens.len() { text.len() } else { tokens[end_token - 1].1 };
    let inner: Vec<Span> = spans
        .iter()
        .filter(|s| s.start >= from && s.end <= to)
        .map(|s| Span { start: s.start - from, end: s.end - from })
        .collect();
    let mut out = Vec::new();
    if from > 0 {
        out.push(Segment { text: "…".to_owned(), highlighted: false });
    }
    out.extend(segments(&text[from..to], &inner));
    if to < text.len() {
        out.push(Segment { text: "…".to_owned(), highlighted: false });
    }
    out
}

// ---------------------------------------------------------------------------
// Suggestions and explanations

/// "Did you mean": the query with each word that matches nothing replaced by
/// the most frequent word at the smallest edit distance (up to 2).
pub fn suggest(index: &SearchIndex, query_text: &str) -> Option<String> {
    let mut changed = false;
    let words: Vec<String> = query_text
        .split_whitespace()
        .map(|word| {
            let terms: Vec<String> =
                tokenize(word).into_iter().filter(|t| t.kind == TokenKind::Part).map(|t| t.term).collect();
            if terms.len() != 1 || index.find(&terms[0]).is_some() || word.contains(':') {
                return word.to_owned();
            }
            let term = &terms[0];
            let best = index
                .words()
                .filter(|(_, w)| w.chars().count().abs_diff(term.chars().count()) <= 2)
                .map(|(id, w)| (strsim::levenshtein(term, w), std::cmp::Reverse(index.doc_frequency(id)), w))
                .filter(|(d, _, _)| *d <= 2)
                .min();
            match best {
                Some((_, _, w)) => {
                    changed = true;
                    w.to_owned()
                }
                None => word.to_owned(),
            }
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// One contribution to a paper's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The query word or phrase.
    pub query: String,
    /// The indexed word that matched.
    pub term: String,
    pub kind: MatchKind,
    pub field: &'static str,
    /// Occurrences in the field.
    pub tf: u16,
    pub score: f32,
}

/// Why `doc` matched: the per-field, per-term score breakdown.
pub fn explain(
    index: &SearchIndex,
    query: &Query,
    doc: u32,
    options: &SearchOptions<'_>,
) -> Vec<Contribution> {
    let w = options.weights.clamped();
    let mut out = Vec::new();
    for clause in query.clauses.iter().filter(|c| !c.negated) {
        for atom in &clause.alternatives {
            let Atom::Terms { terms, field, prefix, phrase } = atom else { continue };
            let (label, expansions): (String, Vec<Expansion>) = if terms.len() == 1 && !phrase {
                (terms[0].clone(), expand_word(index, &terms[0], *prefix))
            } else if terms.len() == 1 {
                (
                    terms[0].clone(),
                    index
                        .find(&terms[0])
                        .map(|t| Expansion { term: t, kind: MatchKind::Exact, weight: 1.0 })
                        .into_iter()
                        .collect(),
                )
            } else {
                let ids = terms.iter().filter_map(|t| index.find(t));
                (
                    format!("\"{}\"", terms.join(" ")),
                    ids.map(|t| Expansion { term: t, kind: MatchKind::Phrase, weight: 1.0 }).collect(),
                )
            };
            for e in expansions {
                let idf = idf(index.doc_count(), index.doc_frequency(e.term));
                for p in index.postings(e.term).filter(|p| p.doc == doc && field.is_none_or(|f| f == p.field))
                {
                    let length = f32::from(index.field_length(doc, p.field));
                    let norm = 1.0 - w.b + w.b * length / index.average_length(p.field);
                    let tfw = w.field(p.field) * f32::from(p.tf) / norm.max(0.01);
                    out.push(Contribution {
                        query: label.clone(),
                        term: index.term(e.term).to_owned(),
                        kind: e.kind,
                        field: p.field.name(),
                        tf: p.tf,
                        score: e.weight * idf * tfw / (w.k1 + tfw),
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_window_starts_at_the_densest_matches() {
        let text = "alpha beta gamma one two three four five six seven eight nine ten eleven alpha";
        let spans = vec![Span { start: 0, end: 5 }, Span { start: 6, end: 10 }, Span { start: 75, end: 80 }];
        let snip = snippet(text, &spans, 5);
        let joined: String = snip.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "alpha beta gamma one two…");
    }
}
