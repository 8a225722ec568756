//! Word expansion: the indexed terms a query word matches and how well
//! (exact, stem, completion of a prefix, a typo away), the banded edit
//! distance behind typo tolerance, and "did you mean" suggestions.
//!
//! The exact term scores fully, another word with the same stem 0.85, a
//! completion of a prefix 0.7, a word one edit away 0.6 (words of 4+
//! characters), two edits away 0.45 (7+ characters, when the word is not
//! indexed itself). Fuzzy candidates share
//! the first character (a typo there is rare and checking every word would
//! cost a frame at 100k papers), and a word found in 3 or more papers is
//! taken as spelled right.
//!
//! A word matches "as typed" (ranked above the rest, see `score::best_first`)
//! through the word itself, a completion of the prefix being typed, or the
//! correction of a typo: of the words a typo away, the closest one spelled
//! right (in 3+ papers), the most frequent of those (a rare word as typed
//! keeps its rank above any correction that is not spelled right). The correction's
//! inflections then score as a stem's do against it, and the other
//! candidates at half their weight, so that a typo ranks about as the word
//! meant would.

use std::collections::HashSet;

use serde::Serialize;

use crate::engine::analyze::{tokenize, TokenKind};
use crate::engine::index::{letter_bits, SearchIndex, TermShapes, LONGEST_SHAPE};

/// How a paper matched a query item.
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
    Year,
}

impl MatchKind {
    /// How much a term matched this way counts (`distance`: of a fuzzy match).
    fn weight(self, distance: usize) -> f32 {
        match self {
            MatchKind::Exact | MatchKind::Phrase => 1.0,
            MatchKind::Stem => STEM_SHARE,
            MatchKind::Prefix => 0.7,
            MatchKind::Fuzzy if distance <= 1 => 0.6,
            MatchKind::Fuzzy => 0.45,
            MatchKind::Entity | MatchKind::Tag | MatchKind::Year => 1.0,
        }
    }
}

/// An indexed term a query word matches, how, and its weight.
#[derive(Debug, Clone)]
pub(super) struct Expansion {
    pub term: u32,
    pub kind: MatchKind,
    pub weight: f32,
    /// The word as typed (itself, a completion of it, or its correction),
    /// not another form of it.
    pub typed: bool,
}

impl Expansion {
    /// The term itself (a word in quotes, a word excluded).
    pub fn exact(term: u32) -> Self {
        Self { term, kind: MatchKind::Exact, weight: MatchKind::Exact.weight(0), typed: true }
    }
}

/// A word's inflections score this much of what the word itself does.
const STEM_SHARE: f32 = 0.85;

/// Words a typo away other than its correction score this much of what the
/// correction does.
const OTHER_CANDIDATE_SHARE: f32 = 0.5;

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
pub(super) fn top_completions(index: &SearchIndex, prefix: &str) -> Vec<u32> {
    let mut ids: Vec<u32> = index.with_prefix(prefix).collect();
    let most = max_prefix_terms(prefix);
    if ids.len() > most {
        ids.select_nth_unstable_by_key(most, |&id| std::cmp::Reverse(index.doc_frequency(id)));
        ids.truncate(most);
    }
    ids
}

/// The terms `word` matches (`prefix`: also its completions), each once,
/// best kind first.
fn expand_word(index: &SearchIndex, word: &str, prefix: bool) -> Vec<Expansion> {
    let mut out: Vec<Expansion> = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |term: u32, kind: MatchKind, weight: f32, typed: bool, out: &mut Vec<Expansion>| {
        if seen.insert(term) {
            out.push(Expansion { term, kind, weight, typed });
        }
    };
    let exact = index.find(word);
    if let Some(id) = exact {
        push(id, MatchKind::Exact, MatchKind::Exact.weight(0), true, &mut out);
    }
    for id in index.same_stem(word) {
        push(id, MatchKind::Stem, MatchKind::Stem.weight(0), false, &mut out);
    }
    if prefix {
        for id in top_completions(index, word) {
            push(id, MatchKind::Prefix, MatchKind::Prefix.weight(0), true, &mut out);
        }
    }
    // A word the corpus uses often is not a typo: no fuzzy scan.
    let common = exact.is_some_and(|id| index.doc_frequency(id) >= FUZZY_MAX_DF);
    let mut fuzzy = if common { Vec::new() } else { typo_candidates(index, word, exact.is_none()) };
    // The correction first: the closest word spelled right, the most
    // frequent of those (any word a typo away when none is spelled right).
    let spelled_right = |id: u32| index.doc_frequency(id) >= FUZZY_MAX_DF;
    fuzzy.sort_by_key(|&(id, distance)| {
        (!spelled_right(id), distance, std::cmp::Reverse(index.doc_frequency(id)))
    });
    // A word a typo away also brings its inflections ("jailbrek" ->
    // "jailbreak" -> "jailbreaking").
    for (i, (id, distance)) in fuzzy.into_iter().enumerate() {
        // A rare word as typed is a word, unless a common one is a typo away.
        let correction = i == 0 && (exact.is_none() || spelled_right(id));
        let weight = MatchKind::Fuzzy.weight(distance) * if correction { 1.0 } else { OTHER_CANDIDATE_SHARE };
        push(id, MatchKind::Fuzzy, weight, correction, &mut out);
        for related in index.same_stem(index.term(id)) {
            push(related, MatchKind::Fuzzy, weight * STEM_SHARE, false, &mut out);
        }
    }
    out
}

/// The indexed words one edit away from `word` (4+ characters) or, when it
/// is `unknown` (not indexed), two (7+), with their distance, in term
/// order; they share its first character. Only the terms of a length that
/// can be and that first character are read ([`SearchIndex::shapes`]: in
/// each length, ids in sorted order, so those starting with one character
/// are a run of them), and those whose letters differ too much are ruled
/// out before their distance is computed.
fn typo_candidates(index: &SearchIndex, word: &str, unknown: bool) -> Vec<(u32, usize)> {
    let length = word.chars().count();
    let max_distance = match length {
        7.. if unknown => 2,
        4.. => 1,
        _ => return Vec::new(),
    };
    let Some(first) = word.chars().next() else { return Vec::new() };
    let (chars, mut rows): (Vec<char>, Rows) = (word.chars().collect(), Rows::default());
    let (letters, shapes, same_first) = (letter_bits(word), index.shapes(), index.starting_with_char(first));
    let mut fuzzy = Vec::new();
    for length in TermShapes::lengths_near(length, max_distance) {
        let (ids, bits) = shapes.of_length(length);
        let from = ids.partition_point(|&id| id < same_first.start);
        let to = from + ids[from..].partition_point(|&id| id < same_first.end);
        for (&id, &bits) in ids[from..to].iter().zip(&bits[from..to]) {
            if (bits ^ letters).count_ones() as usize > 2 * max_distance {
                continue;
            }
            match distance_within(&chars, index.term(id), max_distance, &mut rows) {
                Some(distance) if distance > 0 => fuzzy.push((id, distance)),
                _ => {}
            }
        }
    }
    fuzzy.sort_unstable_by_key(|&(id, _)| id);
    fuzzy
}

/// Word expansions of one query, computed once for matching and highlighting.
#[derive(Default)]
pub(super) struct Expansions {
    cache: Vec<((String, bool), Vec<Expansion>)>,
}

impl Expansions {
    /// The expansions of `word` (`prefix`: with its completions).
    pub fn of(&mut self, index: &SearchIndex, word: &str, prefix: bool) -> &[Expansion] {
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

/// Scratch space of [`distance_within`]: three rows of the table (the row
/// being computed, the one above it and the one above that, for a swap of
/// two letters), one after the other.
#[derive(Default)]
struct Rows(Vec<usize>);

/// The edit distance between `word` and `term` when it is at most `max`:
/// Damerau's (optimal string alignment, over characters), where an
/// insertion, a deletion, a substitution or a swap of two neighbouring
/// letters is one edit ("trnaslation" is one edit from "translation").
/// Only the diagonal band of width `2 * max + 1` can stay within `max`, so
/// only it is computed (values above `max` are kept as `max + 1`), and it
/// gives up as soon as a whole row exceeds `max`: a few cells per
/// character instead of the full table. Plain loops over one buffer: at
/// `opt-level = "z"` range iterators and swapped vectors are calls.
fn distance_within(word: &[char], term: &str, max: usize, rows: &mut Rows) -> Option<usize> {
    let (n, over) = (word.len(), max + 1);
    let width = n + 1;
    if rows.0.len() < 3 * width {
        rows.0.resize(3 * width, over);
    }
    // A slice: indexing a `Vec` is a call at `opt-level = "z"`. Cells of a
    // row outside its band are never read but its edges, set below.
    let cells = &mut rows.0[..3 * width];
    // Offsets of the row above, the one above that and the one computed.
    let (mut above, mut two_above, mut here) = (0, width, 2 * width);
    let mut j = 0;
    while j <= n {
        cells[j] = j.min(over);
        j += 1;
    }
    let (mut previous, mut length) = (None, 0);
    for (i, c) in term.chars().enumerate() {
        let i = i + 1;
        length = i;
        if i > n + max {
            return None;
        }
        let low = if i > max { i - max } else { 1 };
        let high = (i + max).min(n);
        cells[here] = i.min(over);
        if low > 1 {
            cells[here + low - 1] = over;
        }
        let mut best = cells[here + low - 1];
        let mut j = low;
        while j <= high {
            let w = word[j - 1];
            let left = cells[here + j - 1];
            let up = cells[above + j];
            let mut value = if up < left { up + 1 } else { left + 1 };
            let substitute = cells[above + j - 1] + usize::from(w != c);
            if substitute < value {
                value = substitute;
            }
            if j > 1 && previous == Some(w) && word[j - 2] == c {
                let swap = cells[two_above + j - 2] + 1;
                if swap < value {
                    value = swap;
                }
            }
            if value > over {
                value = over;
            }
            cells[here + j] = value;
            if value < best {
                best = value;
            }
            j += 1;
        }
        if high < n {
            cells[here + high + 1] = over;
        }
        if best > max {
            return None;
        }
        (two_above, above, here) = (above, here, two_above);
        previous = Some(c);
    }
    if length.abs_diff(n) > max {
        // The last cell is outside the last row's band.
        return None;
    }
    let distance = cells[above + n];
    (distance <= max).then_some(distance)
}

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
            match closest_word(index, &terms[0]) {
                Some(w) => {
                    changed = true;
                    w.to_owned()
                }
                None => word.to_owned(),
            }
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// The indexed word closest to `term` (2 edits at most; of those as
/// close, the most frequent, then the first in order): every word of the
/// vocabulary is a candidate, a first letter mistyped included. Only the
/// words of a length that can be are read ([`SearchIndex::shapes`]), most
/// of those are ruled out by their letters before their distance is
/// computed, and once a word is found at some distance, only words as
/// close are looked at.
fn closest_word<'i>(index: &'i SearchIndex, term: &str) -> Option<&'i str> {
    let (chars, mut rows): (Vec<char>, Rows) = (term.chars().collect(), Rows::default());
    let (letters, shapes) = (letter_bits(term), index.shapes());
    let mut best: Option<(usize, std::cmp::Reverse<usize>, &str)> = None;
    // The same length first: the closest words are most often there, and
    // then fewer of the others need their distance.
    let n = chars.len();
    for length in TermShapes::lengths_near(n, 2) {
        let max = best.map_or(2, |(distance, ..)| distance);
        if length.abs_diff(n.min(LONGEST_SHAPE)) > max {
            continue;
        }
        let (ids, bits) = shapes.of_length(length);
        for (&id, &bits) in ids.iter().zip(bits) {
            let max = best.map_or(2, |(distance, ..)| distance);
            if (bits ^ letters).count_ones() as usize > 2 * max {
                continue;
            }
            // (A term of the table's last length may be longer: the
            // distance rules it out.)
            let w = index.term(id);
            let Some(distance) = distance_within(&chars, w, max, &mut rows) else { continue };
            let candidate = (distance, std::cmp::Reverse(index.doc_frequency(id)), w);
            if best.is_none_or(|b| candidate < b) {
                best = Some(candidate);
            }
        }
    }
    best.map(|(.., w)| w)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index whose dictionary is `words` (each a title).
    fn index_of(words: &[&str]) -> SearchIndex {
        let papers: Vec<crate::engine::bundle::Paper> = words
            .iter()
            .map(|w| {
                serde_json::from_value(serde_json::json!({
                    "id": w, "title": w, "abstract": "", "source": {"file": "test", "line": 1},
                }))
                .expect("a minimal paper")
            })
            .collect();
        SearchIndex::build(&papers, |_| Vec::new())
    }

    #[test]
    fn bounded_edit_distance_agrees_with_damerau_up_to_the_bound() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "bca",
            "translation",
            "trnaslation",
            "tranlsation",
            "translatoin",
            "rtanslation",
            "translations",
            "segmenta",
            "segmentation",
            "segment",
            "café",
            "cafe",
            "caéf",
            "naïve",
            "attention",
            "attenton",
            "xyz",
            "transformer",
            "transformers",
            "reinforcment",
            "reinforcement",
            "grpah",
            "graph",
        ];
        let mut rows = Rows::default();
        for a in words {
            let chars: Vec<char> = a.chars().collect();
            for b in words {
                for max in 0..4 {
                    let exact = strsim::osa_distance(a, b);
                    let expected = (exact <= max).then_some(exact);
                    assert_eq!(distance_within(&chars, b, max, &mut rows), expected, "{a:?} {b:?} {max}");
                }
            }
        }
    }

    #[test]
    fn a_swap_of_neighbouring_letters_is_one_edit() {
        let index = index_of(&["translation", "transition", "graph", "grasp"]);
        let id = |word| index.find(word).unwrap();
        assert_eq!(typo_candidates(&index, "trnaslation", false), [(id("translation"), 1)]);
        // Four letters and a swap: one edit (Levenshtein counts two).
        assert_eq!(typo_candidates(&index, "grpah", false), [(id("graph"), 1)]);
        // Candidates share the first letter.
        assert_eq!(typo_candidates(&index, "rgpah", false), []);
        assert_eq!(suggest(&index, "trnasition"), Some("transition".to_owned()));
    }

    /// "Did you mean"'s word for `term` read the slow way: every word of
    /// the vocabulary, its whole distance.
    fn closest_by_scan<'i>(index: &'i SearchIndex, term: &str) -> Option<&'i str> {
        let by = |(id, w): (u32, &'i str)| (std::cmp::Reverse(index.doc_frequency(id)), w);
        let near = index.words().filter_map(|(id, w)| {
            let distance = strsim::osa_distance(term, w);
            (distance <= 2).then(|| (distance, by((id, w))))
        });
        near.min().map(|(_, (_, w))| w)
    }

    /// A vocabulary of near words (accents, a word longer than the
    /// shapes' last length) and, for each of its words, every deletion,
    /// insertion, replacement and swap of neighbours, and two edits (one
    /// of them the first letter's).
    fn vocabulary_and_typos() -> (SearchIndex, Vec<String>) {
        let long = "a".repeat(47) + "bcd";
        let longer = "a".repeat(52) + "bc";
        let words = "translation translation transition transitions graph graph graph grasp grape café \
                     cafe cafés naïve naive ab ba abc a b xyz attention attentions retention mixtral \
                     mistral mistral speculative jailbreaking jailbreak model models modal moodle";
        let mut titles: Vec<&str> = words.split_whitespace().collect();
        titles.extend([long.as_str(), longer.as_str()]);
        let index = index_of(&titles);
        let mut queries: Vec<String> = Vec::new();
        for (_, word) in index.words() {
            let chars: Vec<char> = word.chars().collect();
            for i in 0..=chars.len() {
                let mut deleted = chars.clone();
                if i < chars.len() {
                    deleted.remove(i);
                    queries.push(deleted.iter().collect());
                }
                for c in ['x', 'a', 'é', 'q'] {
                    let mut inserted = chars.clone();
                    inserted.insert(i, c);
                    queries.push(inserted.iter().collect());
                    if i < chars.len() {
                        let mut replaced = chars.clone();
                        replaced[i] = c;
                        queries.push(replaced.iter().collect());
                        // Two edits: this one and the first letter's.
                        replaced[0] = 'z';
                        queries.push(replaced.iter().collect());
                    }
                }
                if i + 1 < chars.len() {
                    let mut swapped = chars.clone();
                    swapped.swap(i, i + 1);
                    queries.push(swapped.iter().collect());
                }
            }
        }
        queries.extend(["zzqx", "qqqqqqq", "", "é", "ü", "aaaa"].map(str::to_owned));
        (index, queries)
    }

    #[test]
    fn the_closest_word_is_the_one_a_scan_of_every_word_finds() {
        let (index, queries) = vocabulary_and_typos();
        let mut suggested = 0;
        for query in &queries {
            let expected = closest_by_scan(&index, query);
            assert_eq!(closest_word(&index, query), expected, "{query:?}");
            suggested += usize::from(expected.is_some());
        }
        assert!(suggested > queries.len() / 2, "{suggested} of {}", queries.len());
    }

    #[test]
    fn typo_candidates_are_those_a_scan_of_every_word_finds() {
        let (index, queries) = vocabulary_and_typos();
        let mut found = 0;
        for query in &queries {
            for unknown in [false, true] {
                // One edit from 4 characters, two from 7 for a word not
                // indexed; the first character kept.
                let length = query.chars().count();
                let max = match length {
                    7.. if unknown => 2,
                    4.. => 1,
                    _ => 0,
                };
                let expected: Vec<(u32, usize)> = index
                    .words()
                    .filter(|(_, w)| w.chars().next() == query.chars().next())
                    .map(|(id, w)| (id, strsim::osa_distance(query, w)))
                    .filter(|&(_, distance)| (1..=max).contains(&distance))
                    .collect();
                assert_eq!(typo_candidates(&index, query, unknown), expected, "{query:?} {unknown}");
                found += usize::from(!expected.is_empty());
            }
        }
        assert!(found > queries.len() / 2, "{found} of {}", 2 * queries.len());
    }
}
