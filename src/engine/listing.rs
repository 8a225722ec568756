//! Reader for paper-listing text scraped from a web page: a title line, then
//! an abstract line, for each paper, with page chrome around them.
//!
//! Page chrome is recognized from [`PAGE_NOISE`] (whole lines, dropped
//! wherever they occur) and [`GLUED_PREFIXES`] (button labels the scrape glued
//! onto the start of a title, as in "SubscribeBiTA: …").

use super::diagnostic::Diagnostic;
use super::text::clean;

/// Whole lines of page chrome, compared after trimming, case-insensitively.
pub const PAGE_NOISE: &[&str] = &[
    "get trending papers in your email inbox once a day!",
    "get trending papers in your email inbox!",
    "subscribe",
    "upvote",
    "submit",
    "submitted by",
];

/// Button labels that a scrape may glue onto the first letters of a title.
pub const GLUED_PREFIXES: &[&str] = &["Subscribe"];

/// A line this long (in characters) or longer is an abstract, never a title.
const MIN_ABSTRACT_CHARS: usize = 200;

/// A paper read from a listing, before ids and enrichment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingRecord {
    pub title: String,
    pub abstract_text: String,
    /// 1-based line of the title.
    pub line: usize,
}

/// Reads a listing. Never fails: unusable records are reported as errors and
/// skipped, suspicious ones as warnings and kept.
pub fn parse_listing(file: &str, text: &str) -> (Vec<ListingRecord>, Vec<Diagnostic>) {
    let mut records = Vec::new();
    let mut diagnostics = Vec::new();
    let mut pending_title: Option<(usize, String)> = None;
    let mut last_content_line = 0;

    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = clean(raw);
        if content.is_empty() || is_page_noise(&content) {
            continue;
        }
        last_content_line = line;
        let looks_like_abstract = content.chars().count() >= MIN_ABSTRACT_CHARS;
        match pending_title.take() {
            None if looks_like_abstract => diagnostics.push(Diagnostic::skipped(
                file,
                line,
                "abstract without a title: expected a title line before this abstract",
            )),
            None => pending_title = Some((line, strip_glued_prefix(&content))),
            Some((title_line, title)) if looks_like_abstract => {
                records.push(ListingRecord { title, abstract_text: content, line: title_line });
            }
            Some((title_line, title)) => {
                diagnostics.push(Diagnostic::skipped(
                    file,
                    title_line,
                    format!(
                        "title \"{}\" has no abstract: line {line} looks like another title \
                         (abstracts are one line of at least {MIN_ABSTRACT_CHARS} characters)",
                        shorten(&title)
                    ),
                ));
                pending_title = Some((line, strip_glued_prefix(&content)));
            }
        }
    }

    if let Some((title_line, title)) = pending_title {
        diagnostics.push(Diagnostic::skipped(
            file,
            title_line,
            format!(
                "title \"{}\" has no abstract: the file ends here (truncated last record?)",
                shorten(&title)
            ),
        ));
    } else if let Some(last) = records.last() {
        if !ends_a_sentence(&last.abstract_text) && !text.ends_with('\n') {
            diagnostics.push(Diagnostic::warning(
                file,
                last_content_line,
                "the last abstract stops mid-sentence and the file has no final newline: was it truncated?",
            ));
        }
    }
    if records.is_empty() && diagnostics.is_empty() {
        diagnostics.push(Diagnostic::error(
            file,
            1,
            "no papers found: a listing has a title line followed by an abstract line for each paper",
        ));
    }
    (records, diagnostics)
}

fn is_page_noise(line: &str) -> bool {
    PAGE_NOISE.iter().any(|noise| line.eq_ignore_ascii_case(noise))
}

/// Drops a glued button label: "SubscribeBiTA: …" becomes "BiTA: …". The label
/// counts as glued only when an upper-case letter or digit follows it directly.
fn strip_glued_prefix(title: &str) -> String {
    for prefix in GLUED_PREFIXES {
        if let Some(rest) = title.strip_prefix(prefix) {
            if rest.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) {
                return rest.to_owned();
            }
        }
    }
    title.to_owned()
}

fn ends_a_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', '!', '?', ')', '"', '\u{201d}'])
}

fn shorten(title: &str) -> String {
    const MAX: usize = 60;
    if title.chars().count() <= MAX {
        title.to_owned()
    } else {
        format!("{}…", title.chars().take(MAX).collect::<String>())
    }
}
