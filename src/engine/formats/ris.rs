//! RIS, the tagged format Zotero, Mendeley, EndNote, Papers and Folio's own
//! export write: one `TAG  - value` line per field, `TY` opening a record and
//! `ER` closing it. Titles from `TI`/`T1` (else `CT`, `BT`), abstracts from
//! `AB`/`N2`, authors from `AU`/`A1`, the year from `PY`/`Y1`, the date from
//! `DA` (else `PY`), the venue from `T2`/`JO`/`JF`/`BT`, keywords from `KW`
//! (one a line, or several cut by `;`), `DO`, `UR` and `L2` links; an arXiv
//! id from `AN` (`arXiv:2401.12345`), an `arxiv.org/abs/` URL or an arXiv DOI. A line that is not a tag
//! continues the value before it (EndNote wraps long abstracts).
//!
//! Written by hand rather than through a citation crate: the compiler's
//! contract is a `file:line` for every skipped record with the rest of the
//! file read, and the crates at hand fail a whole file on one bad record and
//! keep no line numbers.

use super::{finish, normalize_arxiv, normalize_doi, split_authors, split_list, year_in, Record};
use crate::engine::bundle::metadata::Metadata;
use crate::engine::diagnostic::Diagnostic;

/// Reads RIS text: every record that has a title comes in; a record with
/// none is skipped with a warning, the rest of the file still read.
pub fn read(file: &str, text: &str) -> (Vec<Record>, Vec<Diagnostic>) {
    let mut records = Vec::new();
    let mut diagnostics = Vec::new();
    let mut current: Option<Builder> = None;
    let mut stray_lines = 0usize;
    let mut last_tag: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_number = index + 1;
        let line = if index == 0 { raw.trim_start_matches('\u{feff}') } else { raw };
        if line.trim().is_empty() {
            continue;
        }
        match tag_line(line) {
            Some(("TY", _)) => {
                if let Some(open) = current.take() {
                    diagnostics.push(Diagnostic::warning(
                        file,
                        open.line,
                        "RIS record has no ER line before the next TY: read up to it",
                    ));
                    records.extend(open.finish(file, &mut diagnostics));
                }
                current = Some(Builder::new(line_number));
                last_tag = Some("TY".to_owned());
            }
            Some(("ER", _)) => match current.take() {
                Some(open) => records.extend(open.finish(file, &mut diagnostics)),
                None => stray_lines += 1,
            },
            Some((tag, value)) => match current.as_mut() {
                Some(open) => {
                    open.add(tag, value);
                    last_tag = Some(tag.to_owned());
                }
                None => stray_lines += 1,
            },
            None => match (current.as_mut(), last_tag.as_deref()) {
                (Some(open), Some(tag)) => open.continue_value(tag, line.trim()),
                _ => stray_lines += 1,
            },
        }
    }
    if let Some(open) = current.take() {
        diagnostics.push(Diagnostic::warning(file, open.line, "RIS record has no ER line: read to the end"));
        records.extend(open.finish(file, &mut diagnostics));
    }
    if stray_lines > 0 {
        diagnostics.push(Diagnostic::warning(
            file,
            0,
            format!("{stray_lines} line(s) outside any RIS record (TY ... ER) ignored"),
        ));
    }
    (records, diagnostics)
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

/// One RIS record as its lines are read.
#[derive(Default)]
struct Builder {
    line: usize,
    /// `TI`/`T1`, else `CT`, else `ST`.
    title: Option<String>,
    fallback_title: Option<String>,
    /// `BT`: a chapter's book (its venue), or the title of a whole book.
    book_title: Option<String>,
    abstract_text: String,
    authors: Vec<String>,
    year: Option<String>,
    date: Option<String>,
    /// `T2`/`JF`/`JO`, else the abbreviations `J2`/`JA`/`T3`.
    venue: Option<String>,
    venue_abbreviation: Option<String>,
    urls: Vec<String>,
    doi: Option<String>,
    /// `AN`, the accession number: an arXiv id when it reads as one.
    accession: Option<String>,
    keywords: Vec<String>,
}

impl Builder {
    fn new(line: usize) -> Self {
        Self { line, ..Default::default() }
    }

    fn add(&mut self, tag: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        let value = value.to_owned();
        match tag {
            "TI" | "T1" => {
                self.title.get_or_insert(value);
            }
            "CT" | "ST" => {
                self.fallback_title.get_or_insert(value);
            }
            "BT" => {
                self.book_title.get_or_insert(value);
            }
            "AB" | "N2" if self.abstract_text.is_empty() => self.abstract_text = value,
            "AU" | "A1" => self.authors.extend(author_names(&value)),
            "PY" | "Y1" => {
                self.date.get_or_insert_with(|| value.trim_end_matches('/').to_owned());
                self.year.get_or_insert(value);
            }
            "DA" => self.date = Some(value.trim_end_matches('/').to_owned()),
            "T2" | "JF" | "JO" => {
                self.venue.get_or_insert(value);
            }
            "J2" | "JA" | "T3" => {
                self.venue_abbreviation.get_or_insert(value);
            }
            "KW" => self.keywords.extend(split_list(&value, &[";"])),
            "DO" => self.doi = Some(value),
            "AN" => self.accession = Some(value),
            "UR" | "L2" => {
                self.urls.extend(value.split([';', ' ']).filter(|u| !u.is_empty()).map(str::to_owned))
            }
            _ => {}
        }
    }

    /// A line without a tag: more of the value of `tag` (abstracts and
    /// titles are what exporters wrap).
    fn continue_value(&mut self, tag: &str, more: &str) {
        let target = match tag {
            "AB" | "N2" => Some(&mut self.abstract_text),
            "TI" | "T1" => self.title.as_mut(),
            _ => None,
        };
        if let Some(target) = target {
            if !target.is_empty() {
                target.push(' ');
            }
            target.push_str(more);
        }
    }

    fn finish(self, file: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Record> {
        let (title, book_as_venue) = match (self.title.or(self.fallback_title), self.book_title) {
            (Some(title), book) => (title, book),
            (None, Some(book)) => (book, None),
            (None, None) => (String::new(), None),
        };
        let arxiv = (self.accession.as_deref().and_then(normalize_arxiv))
            .or_else(|| {
                self.urls.iter().find(|u| u.contains("arxiv.org/abs/")).and_then(|u| normalize_arxiv(u))
            })
            .or_else(|| {
                let doi = normalize_doi(self.doi.as_deref()?)?;
                normalize_arxiv(doi.strip_prefix("10.48550/arxiv.")?)
            });
        let record = Record {
            line: self.line,
            title,
            abstract_text: self.abstract_text,
            metadata: Metadata {
                authors: self.authors,
                year: self.year.as_deref().and_then(year_in),
                date: self.date,
                venue: self.venue.or(book_as_venue).or(self.venue_abbreviation),
                url: self.urls.into_iter().find(|u| u.starts_with("http")),
                code_url: None,
                doi: self.doi,
                arxiv,
                categories: Vec::new(),
                keywords: self.keywords,
            },
        };
        finish(file, record, diagnostics)
    }
}

/// One `AU` line: one name, `Last, First` (`Last, First, Jr.`) or as
/// written; a few exporters put several on one line, cut by `;`.
fn author_names(value: &str) -> Vec<String> {
    if value.contains(';') {
        return split_authors(value);
    }
    let mut parts = value.splitn(3, ',').map(str::trim);
    let name = match (parts.next(), parts.next(), parts.next()) {
        (Some(last), Some(first), suffix) if !first.is_empty() => [first, last, suffix.unwrap_or_default()]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
        _ => value.trim().to_owned(),
    };
    vec![name]
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
