//! Key figures: numeric claims ("2.7times speedup on the MT-Bench", "81.6% on
//! GSM8K") with the benchmark they are about and their span.

use crate::engine::catalog::Part;

/// A numeric claim found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundFigure {
    pub value: f64,
    /// `%`, `x` (a factor: "2.7x", "2.7times", "1.46 times") or `points`.
    pub unit: &'static str,
    /// The claim as written, from the number to its benchmark or a few words on.
    pub text: String,
    pub benchmark: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// How many parts after a number may lie between it and its benchmark.
const REACH: usize = 8;
/// Words of context kept after a number when no benchmark follows.
const TAIL: usize = 3;

/// Numeric claims in `text`; `benchmarks` are benchmark mentions in the same
/// text (byte span, canonical name), in order.
pub fn find_figures(
    text: &str,
    parts: &[Part<'_>],
    benchmarks: &[(usize, usize, String)],
) -> Vec<FoundFigure> {
    let mut out = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let Some((value, unit, number_end, next)) = figure_at(text, parts, i) else { continue };
        if part.start > 0 && text[..part.start].ends_with(['$', '#', '@']) {
            continue;
        }
        // Extend over the clause: stop at punctuation that ends it.
        let mut end = number_end;
        let mut benchmark = None;
        let mut k = next;
        let mut prev_end = number_end;
        while k < parts.len() && k < next + REACH {
            let gap = &text[prev_end..parts[k].start];
            if gap.contains(['.', ';', ':', '(', ')', ',', '\n']) {
                break;
            }
            if let Some((_, b_end, name)) = benchmarks.iter().find(|(s, _, _)| *s == parts[k].start) {
                benchmark = Some(name.clone());
                end = *b_end;
                break;
            }
            if k < next + TAIL && benchmark.is_none() {
                end = parts[k].end;
            }
            prev_end = parts[k].end;
            k += 1;
        }
        if benchmark.is_none() {
            end = tail_end(text, parts, next, number_end);
            let sentence_start = text[..part.start].rfind(". ").map_or(0, |p| p + 2);
            benchmark = benchmarks
                .iter()
                .rev()
                .find(|(s, e, _)| *s >= sentence_start && *e <= part.start)
                .map(|(_, _, n)| n.clone());
        }
        let claim = text[part.start..end].split_whitespace().collect::<Vec<_>>().join(" ");
        out.push(FoundFigure { value, unit, text: claim, benchmark, start: part.start, end });
    }
    out
}

/// The end of up to `TAIL` words after the number, within its clause.
fn tail_end(text: &str, parts: &[Part<'_>], next: usize, number_end: usize) -> usize {
    let mut end = number_end;
    for part in parts.iter().skip(next).take(TAIL) {
        if text[end..part.start].contains(['.', ';', ':', '(', ')', ',', '\n']) {
            break;
        }
        end = part.end;
    }
    end
}

/// A figure starting at part `i`: value, unit, the byte end of the number
/// with its unit, and the index of the first part after it.
fn figure_at(text: &str, parts: &[Part<'_>], i: usize) -> Option<(f64, &'static str, usize, usize)> {
    let term = parts[i].term;
    let numeric = |s: &str| {
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    for (suffix, unit) in [("times", "x"), ("x", "x"), ("fold", "x")] {
        if let Some(number) = term.strip_suffix(suffix).filter(|n| numeric(n)) {
            return Some((number.parse().ok()?, unit, parts[i].end, i + 1));
        }
    }
    if !numeric(term) {
        return None;
    }
    let value: f64 = term.parse().ok()?;
    let after = &text[parts[i].end..];
    for mark in ["%", "\\%", " %"] {
        if after.starts_with(mark) {
            return Some((value, "%", parts[i].end + mark.len(), i + 1));
        }
    }
    let next = parts.get(i + 1)?;
    let gap = &text[parts[i].end..next.start];
    if gap.len() <= 2 && gap.chars().all(|c| c.is_whitespace() || c == '-') {
        let unit = match next.term {
            "times" | "fold" | "x" => "x",
            "points" | "pp" => "points",
            _ => return None,
        };
        return Some((value, unit, next.end, i + 2));
    }
    None
}
