//! EndNote's tagged export (`.enw`; also what Google Scholar, the ACL
//! Anthology and CNKI give as "EndNote"): `%0 Journal Article` opens a
//! record, then one `%X value` line per field. Titles from `%T`, authors
//! from `%A` (`Last, First`), the year from `%D`, the date from `%8`, the
//! venue from `%J` (else `%B`, the book or proceedings, else `%S`, the
//! series), the abstract from `%X`, keywords from `%K` (one a line, or cut
//! by `;`), the DOI from `%R`, links from `%U`, an arXiv id from `%M`, a
//! link or the DOI. Lines without a tag continue the field before them; a
//! blank line ends a record, so refer files without `%0` read too.
//!
//! Hand-written, as the RIS reader is, for a `file:line` on every skipped
//! record with the rest of the file read (see `tagged.rs`).

use super::tagged::{self, Syntax, Tagged};
use super::{arxiv_of, author_names, date_with_year, keywords_cut_by, year_in, Record};
use crate::engine::bundle::metadata::Metadata;
use crate::engine::diagnostic::Diagnostic;

const SYNTAX: Syntax = Syntax {
    name: "EndNote",
    tag_line,
    continues: |_| true,
    opens: "%0",
    any_tag_opens: true,
    closes: None,
    blank_line_ends: true,
    file_tags: &[],
};

/// Reads EndNote tagged text: every record with a title comes in; one
/// without is skipped with a warning, the rest of the file still read.
pub fn read(file: &str, text: &str) -> (Vec<Record>, Vec<Diagnostic>) {
    tagged::read(file, text, &SYNTAX, record_of)
}

/// Whether `line` opens an EndNote record: `%0 Type`.
pub(super) fn starts_a_record(line: &str) -> bool {
    tag_line(line).is_some_and(|(tag, value)| tag == "%0" && !value.is_empty())
}

/// `("%T", "A title")` for `%T A title`: a `%`, one letter, digit or mark
/// (`%@`, `%+`), then a space or the end of the line.
fn tag_line(line: &str) -> Option<(&str, &str)> {
    let mut chars = line.char_indices();
    let (_, '%') = chars.next()? else { return None };
    let (_, mark) = chars.next()?;
    if mark.is_whitespace() || mark == '%' || !mark.is_ascii_graphic() {
        return None;
    }
    let rest = &line[2..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some((&line[..2], rest.trim()))
}

fn record_of(t: &Tagged<'_>) -> Record {
    let year = t.first(&["%D"]);
    // `%8` is a date (`2016-03-15`) or, from the ACL Anthology, a month.
    let date = date_with_year(t.first(&["%8"]), year.as_deref());
    let urls: Vec<String> = t.lines(&["%U"]).map(str::to_owned).collect();
    let doi = t.first(&["%R"]);
    Record {
        line: t.line,
        title: t.first(&["%T"]).unwrap_or_default(),
        abstract_text: t.values(&["%X"]).collect::<Vec<_>>().join(" "),
        metadata: Metadata {
            authors: t.lines(&["%A"]).flat_map(author_names).collect(),
            year: year.as_deref().and_then(year_in),
            date,
            venue: t.first(&["%J", "%B", "%S"]),
            url: urls.iter().find(|u| u.starts_with("http")).cloned(),
            code_url: None,
            arxiv: arxiv_of(t.first(&["%M"]).as_deref(), &urls, doi.as_deref()),
            doi,
            categories: Vec::new(),
            // One a line (EndNote) or cut by `;` (CNKI).
            keywords: keywords_cut_by(t.lines(&["%K"]), &[";"]),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_lines_are_a_percent_sign_a_mark_and_a_space() {
        assert_eq!(tag_line("%T Attention"), Some(("%T", "Attention")));
        assert_eq!(tag_line("%0 Journal Article"), Some(("%0", "Journal Article")));
        assert_eq!(tag_line("%@ 0471142727"), Some(("%@", "0471142727")));
        assert_eq!(tag_line("%X"), Some(("%X", "")));
        assert_eq!(tag_line("% This file was created with JabRef"), None);
        assert_eq!(tag_line("%% comment"), None);
        assert_eq!(tag_line("%Title"), None);
        assert_eq!(tag_line("100% of it"), None);
    }
}
