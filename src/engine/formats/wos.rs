//! Web of Science's plain-text export (`savedrecs.txt`, `.ciw`): a header
//! (`FN Clarivate Analytics Web of Science`, `VR 1.0`), then records from
//! `PT J` to `ER`, and `EF` at the end. A field is a two-character tag, a
//! space and its value; lines indented by spaces continue it. Titles from
//! `TI`, authors from `AF` (full names, `Last, First`; else `AU`), one a
//! line, the year from `PY`, the date from `PD` and `PY`, the venue from
//! `SO` (else `CT`, the conference), the abstract from `AB`, keywords from
//! `DE` (the authors') and `ID` (Keywords Plus), cut by `;`, the DOI from
//! `DI`. Values are kept as written (`SO` is in capitals).
//!
//! Hand-written, as the RIS reader is, for a `file:line` on every skipped
//! record with the rest of the file read (see `tagged.rs`).

use super::tagged::{self, Syntax, Tagged};
use super::{author_names, date_with_year, keywords_cut_by, year_in, Record};
use crate::engine::bundle::metadata::Metadata;
use crate::engine::diagnostic::Diagnostic;

const SYNTAX: Syntax = Syntax {
    name: "Web of Science",
    tag_line,
    continues: |line| line.starts_with([' ', '\t']),
    opens: "PT",
    any_tag_opens: false,
    closes: Some("ER"),
    blank_line_ends: false,
    file_tags: &["FN", "VR", "EF"],
};

/// Reads Web of Science text: every record with a title comes in; one
/// without is skipped with a warning, the rest of the file still read.
pub fn read(file: &str, text: &str) -> (Vec<Record>, Vec<Diagnostic>) {
    tagged::read(file, text, &SYNTAX, record_of)
}

/// Whether `line` begins a Web of Science export: its `FN` header naming
/// the service (`Clarivate Analytics Web of Science`, `Thomson Reuters Web
/// of Knowledge`, `ISI Export Format`), or a record's `PT` line (`PT J`).
pub(super) fn starts_a_file(line: &str) -> bool {
    match tag_line(line) {
        Some(("FN", value)) => {
            let value = value.to_ascii_lowercase();
            ["web of science", "web of knowledge", "isi export"].iter().any(|name| value.contains(name))
        }
        Some(("PT", value)) => value.len() == 1,
        _ => false,
    }
}

/// `("TI", "A title")` for `TI A title`: a capital letter, a capital or a
/// digit, then a space (or the end of the line, as `ER` and `EF` have).
fn tag_line(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let tag_like = bytes.len() >= 2
        && bytes[0].is_ascii_uppercase()
        && (bytes[1].is_ascii_uppercase() || bytes[1].is_ascii_digit())
        && matches!(bytes.get(2), None | Some(b' '));
    tag_like.then(|| (&line[..2], line[2..].trim()))
}

fn record_of(t: &Tagged<'_>) -> Record {
    let year = t.first(&["PY"]);
    let date = date_with_year(t.first(&["PD"]), year.as_deref());
    let full_names: Vec<&str> = t.lines(&["AF"]).collect();
    let names = if full_names.is_empty() { t.lines(&["AU"]).collect() } else { full_names };
    // A keyword may wrap onto the next line: the lines are joined, then cut.
    let keyword_lists: Vec<String> = t.values(&["DE", "ID"]).collect();
    Record {
        line: t.line,
        title: t.first(&["TI"]).unwrap_or_default(),
        abstract_text: t.first(&["AB"]).unwrap_or_default(),
        metadata: Metadata {
            authors: names.into_iter().flat_map(author_names).collect(),
            year: year.as_deref().and_then(year_in),
            date,
            venue: t.first(&["SO", "CT"]),
            url: None,
            code_url: None,
            doi: t.first(&["DI"]),
            arxiv: None,
            categories: Vec::new(),
            keywords: keywords_cut_by(keyword_lists.iter().map(String::as_str), &[";"]),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_lines_are_two_capitals_and_a_space() {
        assert_eq!(tag_line("TI Circular economy"), Some(("TI", "Circular economy")));
        assert_eq!(tag_line("ER"), Some(("ER", "")));
        assert_eq!(tag_line("C1 NAS Ukraine"), Some(("C1", "NAS Ukraine")));
        assert_eq!(tag_line("   Thakur, J"), None);
        assert_eq!(tag_line("TITLE of something"), None);
        assert_eq!(tag_line("Ti lower"), None);
        assert!(starts_a_file("FN Clarivate Analytics Web of Science"));
        assert!(starts_a_file("FN Thomson Reuters Web of Science\u{2122}"));
        assert!(starts_a_file("FN ISI Export Format"));
        assert!(starts_a_file("FN Thomson Reuters Web of Knowledge"));
        assert!(starts_a_file("PT J"));
        assert!(!starts_a_file("PT Barnum was here"));
    }
}
