//! CSV and TSV with a header row. Columns map to fields by name,
//! case-insensitively (`Title`, `Abstract`/`Summary`, `Authors`, `Year`,
//! `Date`, `Venue`, `URL`, `DOI`, `arXiv`, `Categories`, `Keywords`,
//! `Code`/`GitHub`, and the names of Zotero's and Scopus's exports, see
//! [`FIELDS`]), or as the user maps them (`--map title=Paper Title`).

use super::{finish, keywords_of, split_authors, split_list, year_in, FieldMap, Record};
use crate::engine::bundle::metadata::Metadata;
use crate::engine::diagnostic::Diagnostic;

/// Column names per field, case-insensitive, the first present wins; the
/// names reference managers export under come after the plain ones (Zotero:
/// `Abstract Note`, `Publication Title`, `Manual Tags`; Scopus: `Source
/// title`, `Author Keywords`; Mendeley and EndNote use the plain ones).
const FIELDS: &[(&str, &[&str])] = &[
    ("title", &["title", "paper title", "name", "article title", "document title"]),
    ("abstract", &["abstract", "summary", "description", "abstract note"]),
    ("authors", &["authors", "author", "author names", "author full names"]),
    ("year", &["year", "publication year"]),
    ("date", &["date", "published", "publishedat", "publication date"]),
    ("venue", &["venue", "journal", "conference", "booktitle", "publication title", "source title", "conference name"]),
    ("url", &["url", "link", "pdf"]),
    ("code", &["code", "github", "githubrepo", "repository"]),
    ("doi", &["doi"]),
    ("arxiv", &["arxiv", "arxiv id", "eprint"]),
    ("categories", &["categories", "category"]),
    ("keywords", &["keywords", "tags"]),
];

/// Columns whose values are all keywords, besides the first `keywords`
/// column: reference managers keep tags in several.
const MORE_KEYWORDS: &[&str] =
    &["tags", "manual tags", "automatic tags", "author keywords", "index keywords", "mendeley tags"];

pub fn read(file: &str, text: &str, delimiter: u8, map: &FieldMap) -> (Vec<Record>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(headers) => headers.iter().map(|h| h.trim().to_owned()).collect(),
        Err(err) => {
            diagnostics.push(Diagnostic::error(file, 1, format!("cannot read the header row: {err}")));
            return (Vec::new(), diagnostics);
        }
    };
    let column = |field: &str| -> Option<usize> {
        let mapped = map.iter().filter(|(f, _)| f == field).map(|(_, name)| name.as_str());
        let names = FIELDS.iter().find(|(f, _)| *f == field).map_or(&[][..], |(_, names)| *names);
        mapped
            .chain(names.iter().copied())
            .find_map(|name| headers.iter().position(|h| h.eq_ignore_ascii_case(name)))
    };
    for (field, name) in map {
        if !headers.iter().any(|h| h.eq_ignore_ascii_case(name)) {
            diagnostics.push(Diagnostic::error(
                file,
                1,
                format!("--map {field}=\"{name}\": no such column among [{}]", headers.join(", ")),
            ));
        }
    }
    if !diagnostics.is_empty() {
        return (Vec::new(), diagnostics);
    }
    // A paper needs a title; an abstract column is welcome, not required.
    if column("title").is_none() {
        diagnostics.push(Diagnostic::error(
            file,
            1,
            format!(
                "no title column among [{}]: name it, or map it with --map title=\"Column Name\"",
                headers.join(", ")
            ),
        ));
        return (Vec::new(), diagnostics);
    }
    let columns: Vec<(&str, Option<usize>)> = FIELDS.iter().map(|(f, _)| (*f, column(f))).collect();
    let keyword_columns: Vec<usize> = (0..headers.len())
        .filter(|&i| {
            Some(i) == column("keywords") || MORE_KEYWORDS.iter().any(|name| headers[i].eq_ignore_ascii_case(name))
        })
        .collect();
    // Every keyword of every keyword column, once, in column order.
    let keywords = |row: &csv::StringRecord| -> Vec<String> {
        keywords_of(keyword_columns.iter().map(|&i| row.get(i).unwrap_or_default()))
    };
    let mut records = Vec::new();
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line() as usize);
                diagnostics.push(Diagnostic::skipped(file, line, format!("cannot read this row: {err}")));
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line() as usize);
        let cell = |field: &str| -> Option<String> {
            let index = columns.iter().find(|(f, _)| *f == field)?.1?;
            row.get(index).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
        };
        let record = Record {
            line,
            title: cell("title").unwrap_or_default(),
            abstract_text: cell("abstract").unwrap_or_default(),
            metadata: Metadata {
                authors: cell("authors").map(|a| split_authors(&a)).unwrap_or_default(),
                year: cell("year").as_deref().and_then(year_in),
                date: cell("date"),
                venue: cell("venue"),
                url: cell("url"),
                code_url: cell("code"),
                doi: cell("doi"),
                arxiv: cell("arxiv"),
                categories: cell("categories").map(|c| split_list(&c, &[";", ",", " "])).unwrap_or_default(),
                keywords: keywords(&row),
            },
        };
        if let Some(record) = finish(file, record, &mut diagnostics) {
            records.push(record);
        }
    }
    if records.is_empty() && diagnostics.is_empty() {
        diagnostics.push(Diagnostic::error(
            file,
            2,
            "no papers found: the file has a header row but no data rows",
        ));
    }
    (records, diagnostics)
}
