//! RIS, the tagged format Zotero, Mendeley, EndNote, Scopus, Papers and
//! Folio's own export write: one `TAG  - value` line per field, `TY`
//! opening a record and `ER` closing it (a record without `TY`, as old
//! Scopus exports write, opens at its first tag). Titles from `TI`/`T1`
//! (else `CT`/`ST`, else `BT`), abstracts from `AB`/`N2`, authors from
//! `AU`/`A1`, the year from `PY`/`Y1`, the date from `DA` (else `PY`), the
//! venue from `T2`/`JO`/`JF` (else `BT`, else `J2`/`JA`/`T3`), keywords from
//! `KW` (one a line, or several cut by `;`), `DO`, `UR` and `L2` links; an
//! arXiv id from `AN` (`arXiv:2401.12345`), an `arxiv.org/abs/` URL or an
//! arXiv DOI. A line that is not a tag continues the value before it
//! (EndNote wraps long abstracts).
//!
//! Written by hand rather than through a citation crate: the compiler's
//! contract is a `file:line` for every skipped record with the rest of the
//! file read, and the crates at hand fail a whole file on one bad record and
//! keep no line numbers. The lines are cut into records by `tagged.rs`, as
//! for EndNote, Web of Science and MEDLINE.

use super::tagged::{self, Syntax, Tagged};
use super::{arxiv_of, author_names, keywords_cut_by, year_in, Record};
use crate::engine::bundle::metadata::Metadata;
use crate::engine::diagnostic::Diagnostic;

const SYNTAX: Syntax = Syntax {
    name: "RIS",
    tag_line,
    continues: |_| true,
    opens: "TY",
    any_tag_opens: true,
    closes: Some("ER"),
    blank_line_ends: false,
    file_tags: &[],
};

/// Reads RIS text: every record that has a title comes in; a record with
/// none is skipped with a warning, the rest of the file still read.
pub fn read(file: &str, text: &str) -> (Vec<Record>, Vec<Diagnostic>) {
    tagged::read(file, text, &SYNTAX, record_of)
}

/// `("TI", "A title")` for a line `TI  - A title`: two letters or a letter
/// and a digit, spaces, a hyphen. Exporters differ in the spacing (`TI - x`,
/// `TI  -`), so any run of spaces before the hyphen is accepted.
pub(super) fn tag_line(line: &str) -> Option<(&str, &str)> {
    let tag = line.get(..2)?;
    let mut chars = tag.chars();
    let (a, b) = (chars.next()?, chars.next()?);
    if !a.is_ascii_uppercase() || !(b.is_ascii_uppercase() || b.is_ascii_digit()) {
        return None;
    }
    let rest = line[2..].trim_start_matches(' ');
    if rest.len() == line.len() - 2 {
        return None;
    }
    let value = rest.strip_prefix('-')?;
    Some((tag, value.trim()))
}

fn record_of(t: &Tagged<'_>) -> Record {
    // `BT` is a chapter's book (its venue), or the title of a whole book.
    let book = t.first(&["BT"]);
    let (title, book_as_venue) = match t.first(&["TI", "T1"]).or_else(|| t.first(&["CT", "ST"])) {
        Some(title) => (title, book),
        None => (book.unwrap_or_default(), None),
    };
    let urls: Vec<String> = t
        .values(&["UR", "L2"])
        .flat_map(|value| {
            value.split([';', ' ']).filter(|u| !u.is_empty()).map(str::to_owned).collect::<Vec<_>>()
        })
        .collect();
    let doi = t.first(&["DO"]);
    let year = t.values(&["PY", "Y1"]).next();
    let keywords: Vec<String> = t.values(&["KW"]).collect();
    let date = t.first(&["DA"]).or_else(|| year.clone()).map(|date| date.trim_end_matches('/').to_owned());
    Record {
        line: t.line,
        title,
        abstract_text: t.values(&["AB", "N2"]).next().unwrap_or_default(),
        metadata: Metadata {
            authors: t.values(&["AU", "A1"]).flat_map(|name| author_names(&name)).collect(),
            year: year.as_deref().and_then(year_in),
            date,
            venue: t
                .values(&["T2", "JF", "JO"])
                .next()
                .or(book_as_venue)
                .or_else(|| t.values(&["J2", "JA", "T3"]).next()),
            url: urls.iter().find(|u| u.starts_with("http")).cloned(),
            code_url: None,
            arxiv: arxiv_of(t.first(&["AN"]).as_deref(), &urls, doi.as_deref()),
            doi,
            categories: Vec::new(),
            keywords: keywords_cut_by(keywords.iter().map(String::as_str), &[";"]),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_lines_accept_the_spacings_exporters_write() {
        assert_eq!(tag_line("TI  - Attention"), Some(("TI", "Attention")));
        assert_eq!(tag_line("TI - Attention"), Some(("TI", "Attention")));
        assert_eq!(tag_line("ER  -"), Some(("ER", "")));
        assert_eq!(tag_line("ER  - "), Some(("ER", "")));
        assert_eq!(tag_line("A1  - Doe, J."), Some(("A1", "Doe, J.")));
        assert_eq!(tag_line("TI-Attention"), None);
        assert_eq!(tag_line("continued abstract text"), None);
        assert_eq!(tag_line("ti  - lower"), None);
    }

    #[test]
    fn ris_is_detected_by_extension_then_content() {
        use super::super::Format;
        assert_eq!(Format::detect("refs.ris", ""), Format::Ris);
        // EndNote saves RIS as .txt; a byte-order mark may come first.
        assert_eq!(Format::detect("export.txt.gz", "TY  - JOUR\r\nTI  - x\r\n"), Format::Ris);
        assert_eq!(Format::detect("export", "\u{feff}TY  - JOUR\nTI  - x\n"), Format::Ris);
        assert_eq!(Format::detect("seed.txt", "Typed Title\nIts abstract\n"), Format::Listing);
        assert_eq!(Format::detect("export", "TY  - JOUR\nTI  - x\n"), Format::Ris);
    }
}
