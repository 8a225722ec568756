//! Ranked search over a [`SearchIndex`]: BM25F over title, abstract, authors
//! and entities; the last word as a prefix; typo tolerance; stems; phrases;
//! exclusions; qualifiers; the words to highlight, suggestions and
//! explanations.
//!
//! Matching a word: the exact term scores fully, another word with the same
//! stem 0.85, a completion of a prefix 0.7, a word one edit away 0.6 (words of
//! 4+ characters), two edits away 0.45 (8+ characters). Fuzzy candidates
//! share the first character (a typo there is rare and checking every word
//! would cost a frame at 100k papers), and a word found in 3 or more papers
//! is taken as spelled right.
//!
//! The UI calls [`run`] once per keystroke: it returns every matching paper
//! with its score (in paper order, for facet filtering), [`SearchResults::top`]
//! for the best N, and per displayed paper its highlights and snippet
//! ([`crate::engine::highlight`]).

use std::collections::HashSet;

use serde::Serialize;

use super::analyze::{spaced_runs, tokenize, TokenKind};
use super::bundle::Paper;
use super::enrich::Catalog;
use super::facets::DocSet;
use super::highlight::{self, Highlights, Segment};
use super::index::{Positions, Posting, SearchIndex};
use super::query::{parse, Atom, Field, Query};

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

/// The compiler's entity catalog (the shared entity normalizer) as a
/// resolver: any spelling of a model, family, benchmark or method resolves
/// to its canonical name. A specific model does not bring its family ("llama2
/// chat 70b" should not find every Llama 2 paper); text naming the family
/// ("Llama 2") resolves to the family itself, which `model:` accepts.
pub struct CatalogResolver<'a>(pub &'a Catalog);

impl EntityResolver for CatalogResolver<'_> {
    fn resolve(&self, kind: Option<&str>, text: &str) -> Vec<(String, String)> {
        let found = self
            .0
            .find(text)
            .into_iter()
            // Only when the text is (nearly) all entity: "llama2 chat 70b", not
            // "results of llama2 chat 70b on math".
            .filter(|m| m.end - m.start + 4 >= text.trim().len())
            .map(|m| (m.kind.as_str().to_owned(), m.name))
            .filter(|(k, _)| kind.is_none_or(|want| want == k || (want == "model" && k == "family")))
            .collect::<Vec<_>>();
        if !found.is_empty() {
            return found;
        }
        let word = text.trim();
        // One run-together word ("llama2chat70b") read as its runs.
        let spaced = spaced_runs(word);
        if spaced != word && word.chars().all(char::is_alphanumeric) {
            return self.resolve(kind, &spaced);
        }
        // A qualifier value may name a case-sensitive entity typed casually
        // ("benchmark:math" for MATH); free text may not ("math" is a word).
        match kind {
            Some(kind) if !word.contains(char::is_whitespace) => {
                self.0.resolve(word).into_iter().map(|name| (kind.to_owned(), name)).collect()
            }
            _ => Vec::new(),
        }
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
/// prefixes would otherwise touch every word of the corpus). One or two
/// letters are the start of almost anything: fewer completions keep the
/// first keystrokes within a frame.
fn max_prefix_terms(prefix: &str) -> usize {
    match prefix.chars().count() {
        0 | 1 => 3,
        2 => 8,
        _ => 24,
    }
}

/// A word found in this many papers or more is taken as spelled right.
const FUZZY_MAX_DF: usize = 3;

/// The most frequent terms starting with `prefix`.
fn top_completions(index: &SearchIndex, prefix: &str) -> Vec<u32> {
    let mut ids: Vec<u32> = index.with_prefix(prefix).collect();
    let most = max_prefix_terms(prefix);
    if ids.len() > most {
        ids.select_nth_unstable_by_key(most, |&id| std::cmp::Reverse(index.doc_frequency(id)));
        ids.truncate(most);
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
    for id in index.same_stem(word) {
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
            let (chars, mut row): (Vec<char>, Vec<usize>) = (word.chars().collect(), Vec::new());
            for (id, term) in index.starting_with_char(first) {
                let term_length = term.chars().count();
                if term_length.abs_diff(length) > max_distance {
                    continue;
                }
                match distance_within(&chars, term, max_distance, &mut row) {
                    Some(distance) if distance > 0 => fuzzy.push((id, distance)),
                    _ => {}
                }
            }
        }
    }
    // A word one typo away also brings its inflections ("jailbrek" ->
    // "jailbreak" -> "jailbreaking").
    for (id, distance) in fuzzy {
        let term = index.term(id).to_owned();
        push(id, MatchKind::Fuzzy, distance, &mut out);
        for related in index.same_stem(&term) {
            push(related, MatchKind::Fuzzy, distance, &mut out);
        }
    }
    out
}

/// The edit distance (Levenshtein, over characters) between `word` and
/// `term` when it is at most `max`. Only the diagonal band of width
/// `2 * max + 1` can stay within `max`, so only it is computed (values above
/// `max` are kept as `max + 1`), and it gives up as soon as a whole row
/// exceeds `max`: a few cells per character instead of the full table.
/// `row`: scratch space.
fn distance_within(word: &[char], term: &str, max: usize, row: &mut Vec<usize>) -> Option<usize> {
    let (n, over) = (word.len(), max + 1);
    row.clear();
    row.extend((0..=n).map(|j| j.min(over)));
    for (i, c) in term.chars().enumerate() {
        let i = i + 1;
        if i > n + max {
            return None;
        }
        let low = if i > max { i - max } else { 1 };
        let high = (i + max).min(n);
        let mut diagonal = row[low - 1];
        let mut left = if low == 1 { i.min(over) } else { over };
        row[low - 1] = left;
        let mut best = left;
        for (cell, &w) in row[low..=high].iter_mut().zip(&word[low - 1..high]) {
            let above = *cell;
            let mut value = if above < left { above + 1 } else { left + 1 };
            let substitute = diagonal + usize::from(w != c);
            if substitute < value {
                value = substitute;
            }
            if value > over {
                value = over;
            }
            diagonal = above;
            *cell = value;
            left = value;
            if value < best {
                best = value;
            }
        }
        if best > max {
            return None;
        }
    }
    let distance = row[n];
    (distance <= max).then_some(distance)
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
    /// Papers already given an entity boost.
    boosted: DocSet,
}

impl Scores {
    fn new(n: usize) -> Self {
        Self { docs: DocSet::with_capacity(n), score: vec![0.0; n], boosted: DocSet::default() }
    }

    #[inline(always)]
    fn offer(&mut self, doc: u32, score: f32) {
        let d = doc as usize;
        self.docs.insert(d);
        if score > self.score[d] {
            self.score[d] = score;
        }
    }

    /// Adds `score` once per paper on top of its best text match (a paper
    /// naming an entity in one spelling, matching the query in another).
    fn boost(&mut self, doc: u32, score: f32) {
        let d = doc as usize;
        if !self.boosted.contains(d) {
            self.boosted.grow(d + 1);
            self.boosted.insert(d);
            self.docs.insert(d);
            self.score[d] += score;
        }
    }
}

/// The score of naming an entity: BM25 of one occurrence in the entity
/// field, so a rare model counts for more than a common one.
fn entity_score(index: &SearchIndex, docs: usize, w: &RankingWeights) -> f32 {
    idf(index.doc_count(), docs) * w.entity / (w.k1 + w.entity).max(0.01)
}

fn idf(n: usize, df: usize) -> f32 {
    let (n, df) = (n as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// A posting's weighted, length-normalized term frequency (BM25F).
// Hot (once per posting): `opt-level = "z"` would not inline it.
#[inline(always)]
fn weighted_tf(index: &SearchIndex, w: &RankingWeights, p: &Posting) -> f32 {
    let length = f32::from(index.field_length(p.doc, p.field));
    let norm = 1.0 - w.b + w.b * length / index.average_length(p.field);
    w.field(p.field) * p.tf as f32 / norm.max(0.01)
}

/// BM25F of a term in a paper from its summed [`weighted_tf`], scaled by `weight`.
#[inline(always)]
fn saturate(weight: f32, idf: f32, tfw: f32, w: &RankingWeights) -> f32 {
    weight * idf * tfw / (w.k1 + tfw)
}

/// Scores every paper containing `term` (restricted to `field` if given,
/// and to `candidates` if given) by BM25F, scaled by `weight`, into `into`.
fn score_term(
    index: &SearchIndex,
    term: u32,
    field: Option<Field>,
    weight: f32,
    w: &RankingWeights,
    candidates: Option<&DocSet>,
    into: &mut Scores,
) {
    let df = index.doc_frequency(term);
    let idf = idf(index.doc_count(), df);
    let mut current = u32::MAX;
    let mut tfw = 0.0f32;
    for p in index.postings(term) {
        if field.is_some_and(|f| f != p.field) || candidates.is_some_and(|c| !c.contains(p.doc as usize)) {
            continue;
        }
        if p.doc != current {
            if current != u32::MAX && tfw > 0.0 {
                into.offer(current, saturate(weight, idf, tfw, w));
            }
            current = p.doc;
            tfw = 0.0;
        }
        tfw += weighted_tf(index, w, &p);
    }
    if current != u32::MAX && tfw > 0.0 {
        into.offer(current, saturate(weight, idf, tfw, w));
    }
}

/// A posting of one of a phrase word's terms: paper, the term's rank among
/// the word's terms, the posting and its positions (if in a phrase field).
type Gathered<'a> = (u32, usize, Posting, Positions<'a>);

/// Papers where `terms` occur as consecutive words of the title or abstract
/// (the last term may be a prefix), scored as the sum of the words' BM25F.
///
/// The papers having every word in the title or abstract come first, by
/// walking the words' postings from the rarest word on and keeping only the
/// postings of papers still in the running; positions are then read for
/// those papers only, and only the papers holding the phrase are scored.
fn score_phrase(
    index: &SearchIndex,
    terms: &[String],
    field: Option<Field>,
    prefix: bool,
    w: &RankingWeights,
    candidates: Option<&DocSet>,
    into: &mut Scores,
) {
    // Candidate term ids for each word of the phrase.
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
    let in_field = |p: &Posting| field.is_none_or(|f| f == p.field);
    let positional = |p: &Posting| matches!(p.field, Field::Title | Field::Abstract) && in_field(p);
    let words = alternatives.len();
    let mut order: Vec<usize> = (0..words).collect();
    order.sort_by_key(|&k| alternatives[k].iter().map(|&id| index.doc_frequency(id)).sum::<usize>());
    // Per word, its postings (every field) in the papers in the running, in
    // paper order; `docs`: the papers in the running, ascending.
    let mut gathered: Vec<Vec<Gathered<'_>>> = vec![Vec::new(); words];
    let mut docs: Vec<u32> = Vec::new();
    let mut found: Vec<bool> = Vec::new();
    for (rank, &k) in order.iter().enumerate() {
        let list = &mut gathered[k];
        if rank == 0 {
            for (a, &id) in alternatives[k].iter().enumerate() {
                let mut postings = index.postings(id);
                while let Some(p) = postings.next() {
                    if candidates.is_none_or(|c| c.contains(p.doc as usize)) {
                        let at = if positional(&p) { postings.positions() } else { Positions::default() };
                        list.push((p.doc, a, p, at));
                    }
                }
            }
            docs.extend(list.iter().filter(|g| positional(&g.2)).map(|g| g.0));
            if alternatives[k].len() > 1 {
                docs.sort_unstable();
            }
            docs.dedup();
        } else {
            found.clear();
            found.resize(docs.len(), false);
            for (a, &id) in alternatives[k].iter().enumerate() {
                let (mut i, mut postings) = (0, index.postings(id));
                while let Some(p) = postings.next() {
                    while i < docs.len() && docs[i] < p.doc {
                        i += 1;
                    }
                    if i == docs.len() {
                        break;
                    }
                    if docs[i] == p.doc {
                        let at = if positional(&p) { postings.positions() } else { Positions::default() };
                        found[i] |= positional(&p);
                        list.push((p.doc, a, p, at));
                    }
                }
            }
            let mut i = 0;
            docs.retain(|_| {
                i += 1;
                found[i - 1]
            });
        }
        // Stable: each term's postings of a paper stay in field order.
        if alternatives[k].len() > 1 {
            list.sort_by_key(|g| g.0);
        }
        if docs.is_empty() {
            return;
        }
    }
    let idfs: Vec<Vec<f32>> = alternatives
        .iter()
        .map(|ids| ids.iter().map(|&id| idf(index.doc_count(), index.doc_frequency(id))).collect())
        .collect();
    let mut next = vec![0usize; words];
    let mut ranges = vec![0..0; words];
    let mut positions: Vec<Vec<u32>> = vec![Vec::new(); words];
    let mut word_scores = vec![0.0f32; words];
    for &doc in &docs {
        for k in 0..words {
            let list = &gathered[k];
            let mut at = next[k];
            while list[at].0 < doc {
                at += 1;
            }
            let start = at;
            while at < list.len() && list[at].0 == doc {
                at += 1;
            }
            ranges[k] = start..at;
            next[k] = at;
        }
        // The phrase occurs where word k is at the first word's position + k,
        // in one field.
        let whole =
            [Field::Title, Field::Abstract].into_iter().filter(|&f| field.is_none_or(|g| g == f)).any(|f| {
                for k in 0..words {
                    positions[k].clear();
                    for g in &gathered[k][ranges[k].clone()] {
                        if g.2.field == f {
                            positions[k].extend(g.3);
                        }
                    }
                    if positions[k].is_empty() {
                        return false;
                    }
                    if alternatives[k].len() > 1 {
                        positions[k].sort_unstable();
                    }
                }
                positions[0]
                    .iter()
                    .any(|&at| (1..words).all(|k| positions[k].binary_search(&(at + k as u32)).is_ok()))
            });
        if !whole {
            continue;
        }
        // Each word's BM25F in the paper (its best term), as `score_term`.
        let mut present = true;
        for k in 0..words {
            let (mut best, mut any) = (0.0f32, false);
            for (a, &idf) in idfs[k].iter().enumerate() {
                let mut tfw = 0.0f32;
                for g in &gathered[k][ranges[k].clone()] {
                    if g.1 == a && in_field(&g.2) {
                        tfw += weighted_tf(index, w, &g.2);
                    }
                }
                if tfw > 0.0 {
                    any = true;
                    best = best.max(saturate(1.0, idf, tfw, w));
                }
            }
            present &= any;
            word_scores[k] = best;
        }
        if present {
            into.offer(doc, word_scores.iter().sum());
        }
    }
}

/// Word expansions of one query, computed once for matching and highlighting.
#[derive(Default)]
struct Expansions {
    cache: Vec<((String, bool), Vec<Expansion>)>,
}

impl Expansions {
    fn of(&mut self, index: &SearchIndex, word: &str, prefix: bool) -> &[Expansion] {
        let at = match self.cache.iter().position(|((w, p), _)| w == word && *p == prefix) {
            Some(at) => at,
            None => {
                self.cache.push(((word.to_owned(), prefix), expand_word(index, word, prefix)));
                self.cache.len() - 1
            }
        };
        &self.cache[at].1
    }
}

/// Scores the papers matching `atom` into `into`; only papers in
/// `candidates` (when given) need to be scored.
fn evaluate_atom(
    index: &SearchIndex,
    atom: &Atom,
    options: &SearchOptions<'_>,
    candidates: Option<&DocSet>,
    expansions: &mut Expansions,
    into: &mut Scores,
) {
    let w = options.weights.clamped();
    match atom {
        Atom::Terms { terms, field, prefix, phrase } if terms.len() == 1 => {
            if *phrase {
                if let Some(term) = index.find(&terms[0]) {
                    score_term(index, term, *field, 1.0, &w, candidates, into);
                }
            } else {
                for e in expansions.of(index, &terms[0], *prefix) {
                    score_term(index, e.term, *field, e.weight, &w, candidates, into);
                }
            }
            if !phrase {
                add_entities(index, None, &terms[0], options, into);
            }
        }
        Atom::Terms { terms, field, prefix, .. } => {
            let field = field.filter(|f| matches!(f, Field::Title | Field::Abstract));
            score_phrase(index, terms, field, *prefix, &w, candidates, into);
            // "llama-2-chat-70b" also finds every spelling of the model.
            add_entities(index, None, &terms.join("-"), options, into);
        }
        Atom::Entity { kind, value } => {
            let kind = kind.as_str();
            if !add_entities(index, Some(kind), value, options, into) {
                let w = options.weights.clamped();
                for name in index.entity_names_matching(kind, value) {
                    let docs = index.entity_docs(kind, &name);
                    let score = entity_score(index, docs.len(), &w);
                    for &doc in docs {
                        into.boost(doc, score);
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
    let w = options.weights.clamped();
    for (kind, name) in &resolved {
        let docs = index.entity_docs(kind, name);
        let score = entity_score(index, docs.len(), &w);
        for &doc in docs {
            into.boost(doc, score);
        }
    }
    !resolved.is_empty()
}

fn evaluate_clause(
    index: &SearchIndex,
    alternatives: &[Atom],
    options: &SearchOptions<'_>,
    candidates: Option<&DocSet>,
    expansions: &mut Expansions,
) -> Scores {
    let mut scores = Scores::new(index.doc_count());
    for atom in alternatives {
        evaluate_atom(index, atom, options, candidates, expansions, &mut scores);
    }
    scores
}

/// Every paper matching `query`, best first (ties in corpus order). An empty
/// query matches nothing: the caller shows the whole corpus instead.
pub fn search(index: &SearchIndex, query: &Query, options: &SearchOptions<'_>) -> Vec<Hit> {
    rank(matches(index, query, options))
}

/// The words of a query of several words and identifiers and nothing else
/// ("llama2 chat 70b", "Llama 2-Chat 70B"), which may together name an entity.
fn plain_words(query: &Query) -> Option<String> {
    let mut words = Vec::new();
    for clause in &query.clauses {
        match clause.alternatives.first() {
            Some(Atom::Terms { terms, field: None, .. }) if !clause.negated => words.push(terms.join("-")),
            _ => return None,
        }
    }
    (words.len() > 1).then(|| words.join(" "))
}

/// What an excluded word removes: its exact form, as if quoted; never
/// inflections, completions or words a typo away ("-mixtral" keeps
/// "Mistral"), which would remove papers the user did not name.
fn excluded_forms(alternatives: &[Atom]) -> Vec<Atom> {
    alternatives
        .iter()
        .map(|atom| match atom {
            Atom::Terms { terms, field, phrase: false, .. } if terms.len() == 1 => {
                Atom::Terms { terms: terms.clone(), field: *field, prefix: false, phrase: true }
            }
            other => other.clone(),
        })
        .collect()
}

/// Every paper matching `query`, in paper order.
pub fn matches(index: &SearchIndex, query: &Query, options: &SearchOptions<'_>) -> Vec<Hit> {
    matches_with(index, query, options, &mut Expansions::default())
}

fn matches_with(
    index: &SearchIndex,
    query: &Query,
    options: &SearchOptions<'_>,
    expansions: &mut Expansions,
) -> Vec<Hit> {
    if query.is_empty() {
        return Vec::new();
    }

    let n = index.doc_count();
    let mut matching = DocSet::with_capacity(n);
    matching.insert_range(..);
    let mut total = vec![0.0f32; n];
    for (i, clause) in query.clauses.iter().enumerate() {
        // After the first clause only the papers still matching need scores
        // ("machine t" scores "the" in the papers with "machine" only).
        let candidates = (i > 0).then_some(&matching);
        let scores = if clause.negated {
            evaluate_clause(index, &excluded_forms(&clause.alternatives), options, candidates, expansions)
        } else {
            evaluate_clause(index, &clause.alternatives, options, candidates, expansions)
        };
        if clause.negated {
            matching.difference_with(&scores.docs);
        } else {
            matching.intersect_with(&scores.docs);
            for d in matching.ones() {
                total[d] += scores.score[d];
            }
        }
    }
    // Words that together name an entity also find the papers naming it in
    // another spelling ("llama2 chat 70b" finds "LLaMA-2-70B-Chat").
    if let Some(words) = plain_words(query) {
        let mut named = Scores::new(n);
        add_entities(index, None, &words, options, &mut named);
        for d in named.docs.ones() {
            if !matching.contains(d) {
                matching.insert(d);
                total[d] = named.score[d] * query.clauses.len() as f32;
            }
        }
    }
    matching.ones().map(|d| Hit { doc: d as u32, score: total[d] }).collect()
}

/// Everything the UI shows for one query text.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// The parsed query.
    pub query: Query,
    /// Every matching paper with its score, in paper order: filter these by
    /// facets, then rank them with [`top`] or [`rank`].
    pub hits: Vec<Hit>,
    /// The indexed words the query matches, for highlighting.
    pub words: HashSet<String>,
    /// `(kind, canonical name)` of the entities the query names, whose
    /// mentions are highlighted in every spelling.
    pub entities: Vec<(String, String)>,
    /// "Did you mean" when nothing matches.
    pub suggestion: Option<String>,
}

impl SearchResults {
    /// The best `n` hits, best first (ties in paper order), without sorting
    /// every match.
    pub fn top(&self, n: usize) -> Vec<Hit> {
        best_of(&self.hits, n)
    }

    /// The matching papers as a set (for facet counting).
    pub fn doc_set(&self, doc_count: usize) -> DocSet {
        let mut set = DocSet::with_capacity(doc_count);
        set.extend(self.hits.iter().map(|h| h.doc as usize));
        set
    }

    /// Match spans in `paper`'s title and abstract: the matched words, and
    /// every mention of an entity the query names, in whatever spelling.
    pub fn highlights(&self, paper: &Paper) -> Highlights {
        let mut highlights = highlight::highlight(&paper.title, &paper.abstract_text, &self.words);
        let named = paper.enrichment.entities.iter().filter(|entity| {
            self.entities.iter().any(|(k, name)| k == entity.kind.as_str() && *name == entity.name)
        });
        highlights.add_mentions(named.flat_map(|entity| entity.spans.iter().copied()));
        highlights
    }

    /// The best window of about `words` words of `paper`'s abstract.
    pub fn snippet(&self, paper: &Paper, words: usize) -> Vec<Segment> {
        highlight::snippet(&paper.abstract_text, &self.highlights(paper).abstract_spans, words)
    }

    /// Why `doc` matched: the per-field, per-term score breakdown.
    pub fn explain(&self, index: &SearchIndex, doc: u32, options: &SearchOptions<'_>) -> Vec<Contribution> {
        explain(index, &self.query, doc, options)
    }
}

/// The ranking order: higher score first, ties in paper order.
pub fn best_first(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc))
}

/// `hits` ranked best first (ties in paper order).
pub fn rank(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_unstable_by(best_first);
    hits
}

/// The best `n` of `hits`, best first, without sorting them all.
pub fn top(mut hits: Vec<Hit>, n: usize) -> Vec<Hit> {
    if hits.len() > n && n > 0 {
        hits.select_nth_unstable_by(n - 1, best_first);
    }
    hits.truncate(n);
    hits.sort_unstable_by(best_first);
    hits
}

/// The best `n` of `hits`, best first, in one pass without copying them:
/// for the few rows a page shows, most hits lose one comparison with the
/// worst kept so far (the same hits as [`top`]: the order is total).
fn best_of(hits: &[Hit], n: usize) -> Vec<Hit> {
    if n == 0 || hits.len() <= n {
        return top(hits.to_vec(), n);
    }
    let mut best: Vec<Hit> = Vec::with_capacity(n + 1);
    for hit in hits {
        if best.len() == n && best_first(hit, &best[n - 1]).is_ge() {
            continue;
        }
        let at = best.partition_point(|kept| best_first(kept, hit).is_lt());
        best.insert(at, *hit);
        best.truncate(n);
    }
    best
}

/// The entities a query names: its entity qualifiers, its words and
/// identifiers, and its plain words taken together.
fn named_entities(query: &Query, options: &SearchOptions<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for clause in query.clauses.iter().filter(|c| !c.negated) {
        for atom in &clause.alternatives {
            match atom {
                Atom::Entity { kind, value } => out.extend(options.entities.resolve(Some(kind), value)),
                Atom::Terms { terms, field: None, .. } => {
                    out.extend(options.entities.resolve(None, &terms.join("-")))
                }
                _ => {}
            }
        }
    }
    if let Some(words) = plain_words(query) {
        out.extend(options.entities.resolve(None, &words));
    }
    out.sort();
    out.dedup();
    out
}

/// Searches for `query_text`: the one call per keystroke. Bad syntax is
/// never an error (see [`parse`]); an empty query matches nothing.
pub fn run(index: &SearchIndex, query_text: &str, options: &SearchOptions<'_>) -> SearchResults {
    let query = parse(query_text);
    let mut expansions = Expansions::default();
    let hits = matches_with(index, &query, options, &mut expansions);
    let suggestion = if hits.is_empty() && !query.is_empty() { suggest(index, query_text) } else { None };
    SearchResults {
        words: matched_words_with(index, &query, &mut expansions),
        entities: named_entities(&query, options),
        hits,
        suggestion,
        query,
    }
}

// ---------------------------------------------------------------------------
// Highlighting

/// The words (folded) a query matches in `index`, for highlighting.
pub fn matched_words(index: &SearchIndex, query: &Query) -> HashSet<String> {
    matched_words_with(index, query, &mut Expansions::default())
}

fn matched_words_with(index: &SearchIndex, query: &Query, expansions: &mut Expansions) -> HashSet<String> {
    let mut words = HashSet::new();
    for clause in query.clauses.iter().filter(|c| !c.negated) {
        for atom in &clause.alternatives {
            if let Atom::Terms { terms, prefix, phrase, .. } = atom {
                for (i, term) in terms.iter().enumerate() {
                    let last = i + 1 == terms.len();
                    if *phrase && terms.len() > 1 && !(last && *prefix) {
                        words.insert(term.clone());
                    } else {
                        for e in expansions.of(index, term, *prefix && last) {
                            words.insert(index.term(e.term).to_owned());
                        }
                    }
                }
            }
        }
    }
    words
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
            let (chars, mut row): (Vec<char>, Vec<usize>) = (term.chars().collect(), Vec::new());
            let best = index
                .words()
                .filter(|(_, w)| w.chars().count().abs_diff(chars.len()) <= 2)
                .filter_map(|(id, w)| {
                    let distance = distance_within(&chars, w, 2, &mut row)?;
                    Some((distance, std::cmp::Reverse(index.doc_frequency(id)), w))
                })
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
    pub tf: u32,
    pub score: f32,
}

impl Contribution {
    /// The score with two decimals ("1.25"), formatted as integers: the
    /// float formatter is kilobytes of wasm for one table cell.
    pub fn score_text(&self) -> String {
        let hundredths = (f64::from(self.score) * 100.0).round() as i64;
        let sign = if hundredths < 0 { "-" } else { "" };
        let h = hundredths.unsigned_abs();
        format!("{sign}{}.{:02}", h / 100, h % 100)
    }
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
                // BM25F saturates the weighted frequencies of all fields
                // together; each field gets its share of the term's score.
                let idf = idf(index.doc_count(), index.doc_frequency(e.term));
                let fields: Vec<(Field, u32, f32)> = index
                    .postings(e.term)
                    .filter(|p| p.doc == doc && field.is_none_or(|f| f == p.field))
                    .map(|p| {
                        let length = f32::from(index.field_length(doc, p.field));
                        let norm = 1.0 - w.b + w.b * length / index.average_length(p.field);
                        (p.field, p.tf, w.field(p.field) * p.tf as f32 / norm.max(0.01))
                    })
                    .collect();
                let total: f32 = fields.iter().map(|f| f.2).sum();
                let score = e.weight * idf * total / (w.k1 + total);
                for (f, tf, tfw) in fields {
                    out.push(Contribution {
                        query: label.clone(),
                        term: index.term(e.term).to_owned(),
                        kind: e.kind,
                        field: f.name(),
                        tf,
                        score: if total > 0.0 { score * tfw / total } else { 0.0 },
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
    fn a_score_shows_with_two_decimals() {
        let text = |score: f32| {
            Contribution {
                query: String::new(),
                term: String::new(),
                kind: MatchKind::Exact,
                field: "title",
                tf: 1,
                score,
            }
            .score_text()
        };
        for (score, shown) in [
            (1.25, "1.25"),
            (0.0, "0.00"),
            (12.345, "12.35"),
            (0.004, "0.00"),
            (-0.5, "-0.50"),
            (3.0, "3.00"),
        ] {
            assert_eq!(text(score), shown, "{score}");
            assert_eq!(text(score), format!("{score:.2}"), "as the float formatter says");
        }
    }

    #[test]
    fn bounded_edit_distance_agrees_with_levenshtein_up_to_the_bound() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "translation",
            "trnaslation",
            "tranlsation",
            "translations",
            "segmenta",
            "segmentation",
            "segment",
            "café",
            "cafe",
            "naïve",
            "attention",
            "attenton",
            "xyz",
            "transformer",
            "transformers",
            "reinforcment",
            "reinforcement",
        ];
        let mut row = Vec::new();
        for a in words {
            let chars: Vec<char> = a.chars().collect();
            for b in words {
                for max in 0..4 {
                    let exact = strsim::levenshtein(a, b);
                    let expected = (exact <= max).then_some(exact);
                    assert_eq!(distance_within(&chars, b, max, &mut row), expected, "{a:?} {b:?} {max}");
                }
            }
        }
    }
}
