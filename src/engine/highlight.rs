//! Highlighting: byte spans of a paper's title and abstract, merged, and the
//! text cut into highlighted and plain segments (whole, or as a snippet
//! around the matches) that the UI and the CLI render as text, and a TeX
//! formula as a segment of its own, which the app renders as MathML. A
//! formula is never cut: a highlight that touches it covers all of it, and
//! a snippet shows it whole or not at all.
//!
//! Spans come from two places: the words a query matches
//! ([`highlight`]) and the mentions the compiler stored in the bundle
//! (field-tagged [`enrichment::Span`]s, turned into [`Highlights`] by
//! [`Highlights::from_mentions`]).

use std::collections::HashSet;

use serde::Serialize;

use super::analyze::for_each_part;
use super::bundle::enrichment;
use super::math::{formulas, Formula};

/// A byte range of one field's text.
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
    /// One whole formula with its delimiters (`$\ell_1$`), which the app
    /// renders as MathML ([`crate::engine::math::render`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub math: bool,
}

impl Segment {
    fn new(text: &str, highlighted: bool) -> Segment {
        Segment { text: text.to_owned(), highlighted, math: false }
    }
}

/// What to highlight in a paper's title and abstract: sorted,
/// non-overlapping spans per field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Highlights {
    pub title: Vec<Span>,
    #[serde(rename = "abstract")]
    pub abstract_spans: Vec<Span>,
}

impl Highlights {
    /// Mentions stored in the bundle (a byte range of the title or the
    /// abstract each), merged per field.
    pub fn from_mentions(mentions: impl IntoIterator<Item = enrichment::Span>) -> Self {
        let mut highlights = Self::default();
        highlights.add_mentions(mentions);
        highlights
    }

    /// Adds `mentions` to these highlights, which stay merged.
    pub fn add_mentions(&mut self, mentions: impl IntoIterator<Item = enrichment::Span>) {
        for mention in mentions {
            let into = match mention.field {
                enrichment::Field::Title => &mut self.title,
                enrichment::Field::Abstract => &mut self.abstract_spans,
            };
            into.push(Span { start: mention.start, end: mention.end });
        }
        self.title = merge(std::mem::take(&mut self.title));
        self.abstract_spans = merge(std::mem::take(&mut self.abstract_spans));
    }

    pub fn is_empty(&self) -> bool {
        self.title.is_empty() && self.abstract_spans.is_empty()
    }
}

/// `spans` sorted, with overlapping or touching spans made one (a topic's
/// terms "reasoning" and "logical reasoning", a word the query matches
/// inside an entity mention).
pub fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (s.start, s.end));
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => out.push(span),
        }
    }
    out
}

/// The spans of `text` whose words (folded, as the index has them) are in
/// `words`, in text order.
pub fn spans(text: &str, words: &HashSet<String>) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    for_each_part(text, |term, start, end| {
        if words.contains(term) {
            match spans.last_mut() {
                // Join parts of one identifier ("Llama-2") into one mark.
                Some(last) if text[last.end..start].chars().all(|c| matches!(c, '-' | '.' | '_' | '/')) => {
                    last.end = end
                }
                _ => spans.push(Span { start, end }),
            }
        }
    });
    spans
}

/// Where `words` occur in a title and an abstract.
pub fn highlight(title: &str, abstract_text: &str, words: &HashSet<String>) -> Highlights {
    Highlights { title: spans(title, words), abstract_spans: spans(abstract_text, words) }
}

/// Splits `text` into segments at `spans` (in text order). A span that
/// overlaps the one before is cut to what is new; one outside the text or
/// off a character boundary (a damaged bundle) is skipped: the text is shown
/// whole and once, whatever the spans. Each formula is a segment of its own,
/// highlighted whole when a span touches it.
pub fn segments(text: &str, spans: &[Span]) -> Vec<Segment> {
    let formulas = formulas(text);
    cut(text, &widen(spans, &formulas), &formulas)
}

/// `spans` grown to cover the formulas they touch (an empty span inside a
/// formula, a part's term with scripts, touches it).
fn widen(spans: &[Span], formulas: &[Formula]) -> Vec<Span> {
    spans
        .iter()
        .map(|&span| {
            formulas
                .iter()
                .filter(|f| span.start < f.end && f.start < span.end.max(span.start + 1))
                .fold(span, |span, f| Span { start: span.start.min(f.start), end: span.end.max(f.end) })
        })
        .collect()
}

/// [`segments`] of `text` whose formulas are `formulas` and whose spans
/// never cut one.
fn cut(text: &str, spans: &[Span], formulas: &[Formula]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut push = |from: usize, to: usize, highlighted: bool| {
        // The formulas inside [from, to) become segments of their own.
        let mut at = from;
        for f in formulas.iter().filter(|f| from <= f.start && f.end <= to) {
            if at < f.start {
                out.push(Segment::new(&text[at..f.start], highlighted));
            }
            out.push(Segment { math: true, ..Segment::new(&text[f.start..f.end], highlighted) });
            at = f.end;
        }
        if at < to {
            out.push(Segment::new(&text[at..to], highlighted));
        }
    };
    let mut at = 0;
    for span in spans {
        let start = span.start.max(at);
        let (Some(before), Some(marked)) = (text.get(at..start), text.get(start..span.end)) else { continue };
        if marked.is_empty() {
            continue;
        }
        if !before.is_empty() {
            push(at, start, false);
        }
        push(start, span.end, true);
        at = span.end;
    }
    if at < text.len() {
        push(at, text.len(), false);
    }
    out
}

/// The best window of about `words` words of `text` around the matches, as
/// segments, with "…" where text was cut. A formula is in the window whole
/// or not at all.
pub fn snippet(text: &str, spans: &[Span], words: usize) -> Vec<Segment> {
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    for_each_part(text, |_, start, end| tokens.push((start, end)));
    if tokens.len() <= words {
        return segments(text, spans);
    }
    let formulas = formulas(text);
    let spans = widen(spans, &formulas);
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
    let mut from = if start_token == 0 { 0 } else { tokens[start_token].0 };
    let mut to = if end_token == tokens.len() { text.len() } else { tokens[end_token - 1].1 };
    for f in &formulas {
        if f.start < from && from < f.end {
            from = f.start;
        }
        if f.start < to && to < f.end {
            to = f.end;
        }
    }
    let inner_formulas: Vec<Formula> = formulas
        .iter()
        .filter(|f| from <= f.start && f.end <= to)
        .map(|f| Formula { start: f.start - from, end: f.end - from, ..*f })
        .collect();
    let inner: Vec<Span> = spans
        .iter()
        .filter(|s| s.start >= from && s.end <= to)
        .map(|s| Span { start: s.start - from, end: s.end - from })
        .collect();
    let mut out = Vec::new();
    if from > 0 {
        out.push(Segment::new("…", false));
    }
    out.extend(cut(&text[from..to], &inner, &inner_formulas));
    if to < text.len() {
        out.push(Segment::new("…", false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    #[test]
    fn segments_show_the_text_once_whatever_the_spans() {
        let text = "logical reasoning in café";
        type Case<'a> = (&'a [Span], &'a [(&'a str, bool)]);
        let cases: &[Case] = &[
            (
                &[span(0, 7), span(8, 17)],
                &[("logical", true), (" ", false), ("reasoning", true), (" in café", false)],
            ),
            // Overlapping: the second is cut to what is new.
            (&[span(0, 17), span(8, 17)], &[("logical reasoning", true), (" in café", false)]),
            (&[span(0, 10), span(8, 17)], &[("logical re", true), ("asoning", true), (" in café", false)]),
            // Outside the text, inside a character, reversed: skipped.
            (&[span(21, 40), span(24, 25), span(5, 2)], &[("logical reasoning in café", false)]),
        ];
        for (spans, expected) in cases {
            let got = segments(text, spans);
            let got: Vec<(&str, bool)> = got.iter().map(|s| (s.text.as_str(), s.highlighted)).collect();
            assert_eq!(got, *expected, "{spans:?}");
            assert_eq!(got.iter().map(|s| s.0).collect::<String>(), text);
        }
    }

    #[test]
    fn merging_sorts_and_joins_overlapping_and_touching_spans() {
        #[track_caller]
        fn check(spans: &[(usize, usize)], expected: &[(usize, usize)]) {
            let merged = merge(spans.iter().map(|&(s, e)| span(s, e)).collect());
            assert_eq!(merged, expected.iter().map(|&(s, e)| span(s, e)).collect::<Vec<_>>(), "{spans:?}");
        }
        check(&[], &[]);
        check(&[(8, 17), (0, 7)], &[(0, 7), (8, 17)]);
        check(&[(0, 17), (8, 17)], &[(0, 17)]);
        check(&[(8, 17), (0, 10)], &[(0, 17)]);
        check(&[(0, 7), (7, 9)], &[(0, 9)]);
        check(&[(2, 4), (0, 10), (3, 12)], &[(0, 12)]);
    }

    #[test]
    fn mentions_become_merged_spans_per_field() {
        let mention = |field, start, end| enrichment::Span { field, start, end };
        let (t, a) = (enrichment::Field::Title, enrichment::Field::Abstract);
        let highlights = Highlights::from_mentions([
            mention(a, 8, 17),
            mention(t, 0, 5),
            mention(a, 0, 17),
            mention(a, 20, 22),
        ]);
        assert_eq!(highlights.title, [span(0, 5)]);
        assert_eq!(highlights.abstract_spans, [span(0, 17), span(20, 22)]);
        assert!(Highlights::from_mentions([]).is_empty());
    }

    #[test]
    fn a_formula_is_a_segment_highlighted_whole_when_a_span_touches_it() {
        #[track_caller]
        fn check(spans: &[(usize, usize)], expected: &[(&str, bool, bool)]) {
            let text = "Sparse $\\ell_1$ recovery";
            let spans: Vec<Span> = spans.iter().map(|&(s, e)| span(s, e)).collect();
            let got = segments(text, &spans);
            let got: Vec<(&str, bool, bool)> =
                got.iter().map(|s| (s.text.as_str(), s.highlighted, s.math)).collect();
            assert_eq!(got, expected, "{spans:?}");
        }
        let (before, formula, after) = (("Sparse ", false, false), "$\\ell_1$", (" recovery", false, false));
        check(&[], &[before, (formula, false, true), after]);
        // `ell`, and the empty span of `l1` where its scripts end.
        check(&[(9, 12)], &[before, (formula, true, true), after]);
        check(&[(14, 14)], &[before, (formula, true, true), after]);
        // Across either edge.
        check(&[(13, 20)], &[before, (formula, true, true), (" reco", true, false), ("very", false, false)]);
        check(&[(0, 12)], &[("Sparse ", true, false), (formula, true, true), after]);
        // Next to it is not touching it.
        check(
            &[(0, 7), (16, 24)],
            &[
                ("Sparse ", true, false),
                (formula, false, true),
                (" ", false, false),
                ("recovery", true, false),
            ],
        );
    }

    #[test]
    fn a_snippet_never_cuts_a_formula() {
        let text = "one two three $a + b_i + c^{d e f} + g$ four five $\\ell_1$ six seven eight nine";
        let whole: Vec<&str> = formulas(text).iter().map(|f| &text[f.start..f.end]).collect();
        let mut tokens = Vec::new();
        for_each_part(text, |_, start, end| tokens.push(span(start, end)));
        for words in 1..tokens.len() {
            for &hit in &tokens {
                let snip = snippet(text, &[hit], words);
                for segment in &snip {
                    if segment.math {
                        assert!(
                            whole.contains(&segment.text.as_str()),
                            "{words} words around {hit:?}: {snip:?}"
                        );
                    } else {
                        assert!(!segment.text.contains('$'), "{words} words around {hit:?}: {snip:?}");
                    }
                }
                assert!(snip.iter().any(|s| s.highlighted), "{words} words around {hit:?}: {snip:?}");
            }
        }
    }

    #[test]
    fn snippet_window_starts_at_the_densest_matches() {
        let text = "alpha beta gamma one two three four five six seven eight nine ten eleven alpha";
        let spans = vec![span(0, 5), span(6, 10), span(75, 80)];
        let snip = snippet(text, &spans, 5);
        let joined: String = snip.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "alpha beta gamma one two…");
    }
}
