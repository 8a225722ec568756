//! PubMed's MEDLINE export (`.nbib`, "Save → PubMed format"): records
//! separated by blank lines, each opened by `PMID- 12345678`; a field is a
//! tag of up to four capitals padded to four, `- ` and its value; lines
//! indented by spaces continue it. Titles from `TI` (else `BTI`, a book),
//! authors from `FAU` (`Last, First`; else `AU`), the date and year from
//! `DP`, the venue from `JT` (else `TA`), the abstract from `AB`, keywords
//! from `OT` (other terms, the authors') and `MH` (MeSH headings, without
//! their qualifiers), a major topic's `*` dropped, the DOI from the `LID`/`AID` marked `[doi]`, and
//! the PubMed page of the `PMID` as the link.
//!
//! Hand-written, as the RIS reader is, for a `file:line` on every skipped
//! record with the rest of the file read (see `tagged.rs`).

use super::tagged::{self, Syntax, Tagged};
use super::{author_names, keywords_cut_by, year_in, Record};
use crate::engine::bundle::metadata::Metadata;
use crate::engine::diagnostic::Diagnostic;

const SYNTAX: Syntax = Syntax {
    name: "MEDLINE",
    tag_line,
    continues: |line| line.starts_with([' ', '\t']),
    opens: "PMID",
    any_tag_opens: true,
    closes: None,
    blank_line_ends: true,
    file_tags: &[],
};

/// Reads MEDLINE text: every record with a title comes in; one without is
/// skipped with a warning, the rest of the file still read.
pub fn read(file: &str, text: &str) -> (Vec<Record>, Vec<Diagnostic>) {
    tagged::read(file, text, &SYNTAX, record_of)
}

/// Whether `line` opens a MEDLINE record: `PMID- 12345678`.
pub(super) fn starts_a_record(line: &str) -> bool {
    tag_line(line).is_some_and(|(tag, _)| tag == "PMID")
}

/// `("TI", "A title")` for `TI  - A title`: one to four capitals or digits,
/// spaces up to the fifth column, `-`.
fn tag_line(line: &str) -> Option<(&str, &str)> {
    let head = line.get(..5).filter(|head| head.is_ascii())?;
    let tag = head[..4].trim_end_matches(' ');
    let tag_like = !tag.is_empty()
        && tag.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && head[tag.len()..4].bytes().all(|b| b == b' ')
        && head.ends_with('-');
    tag_like.then(|| (tag, line[5..].trim()))
}

fn record_of(t: &Tagged<'_>) -> Record {
    // `AU` (`Shruthi BS`) is the short form of `FAU`.
    let full_names: Vec<String> = t.values(&["FAU"]).collect();
    let names = if full_names.is_empty() { t.values(&["AU"]).collect() } else { full_names };
    // A `*` marks a major topic; a MeSH heading's qualifiers follow a `/`.
    let terms = t.values(&["OT"]);
    let headings = t.values(&["MH"]).map(|heading| heading.split('/').next().unwrap_or_default().to_owned());
    let keywords: Vec<String> =
        terms.chain(headings).map(|k| k.trim_matches(['*', ' ']).to_owned()).collect();
    let doi =
        t.values(&["LID", "AID"]).find_map(|id| id.strip_suffix("[doi]").map(|doi| doi.trim().to_owned()));
    let date = t.first(&["DP"]);
    Record {
        line: t.line,
        title: t.first(&["TI", "BTI"]).unwrap_or_default(),
        abstract_text: t.values(&["AB"]).collect::<Vec<_>>().join(" "),
        metadata: Metadata {
            authors: names.iter().flat_map(|name| author_names(name)).collect(),
            year: date.as_deref().and_then(year_in),
            date,
            venue: t.first(&["JT", "TA"]),
            url: t
                .first(&["PMID"])
                .filter(|id| id.bytes().all(|b| b.is_ascii_digit()))
                .map(|id| format!("https://pubmed.ncbi.nlm.nih.gov/{id}/")),
            code_url: None,
            doi,
            arxiv: None,
            categories: Vec::new(),
            keywords: keywords_cut_by(keywords.iter().map(String::as_str), &[";"]),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_lines_are_four_columns_and_a_hyphen() {
        assert_eq!(tag_line("PMID- 30898391"), Some(("PMID", "30898391")));
        assert_eq!(tag_line("TI  - Genome-wide association"), Some(("TI", "Genome-wide association")));
        assert_eq!(
            tag_line("FAU - Shruthi, Basavaradhya Sahukar"),
            Some(("FAU", "Shruthi, Basavaradhya Sahukar"))
        );
        assert_eq!(tag_line("PG  -"), Some(("PG", "")));
        assert_eq!(tag_line("      (EOC) have focused largely"), None);
        assert_eq!(tag_line("TI-"), None);
        assert_eq!(tag_line("Title - of something"), None);
        assert_eq!(tag_line("abcé - not a tag"), None);
    }
}
