//! BibTeX: `@article`, `@inproceedings`, `@misc`, ... entries with `title`,
//! `abstract`, `author`, `year`, `keywords`, `eprint`, `doi`, `url`; braces,
//! TeX accents and `@string` macros are resolved by the `biblatex` crate.

use biblatex::{Bibliography, ChunksExt};

use super::json::split_list;
use super::{finish, year_in, Record};
use crate::engine::diagnostic::Diagnostic;

fn line_at(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count()
}

pub fn read(file: &str, text: &str) -> (Vec<Record>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let bibliography = match Bibliography::parse(text) {
        Ok(b) => b,
        Err(err) => {
            let line = line_at(text, err.span.start);
            diagnostics.push(Diagnostic::error(file, line, format!("BibTeX syntax error: {:?}", err.kind)));
            return (Vec::new(), diagnostics);
        }
    };
    let mut records = Vec::new();
    for entry in bibliography.iter() {
        let field = |name: &str| entry.get(name).map(|chunks| chunks.format_verbatim()).filter(|s| !s.trim().is_empty());
        let line = entry
            .get("title")
            .or_else(|| entry.fields.values().next().map(|v| v.as_slice()))
            .map_or(1, |chunks| line_at(text, chunks.span().start));
        let record = Record {
            line,
            title: field("title").unwrap_or_default(),
            abstract_text: field("abstract").unwrap_or_default(),
            authors: field("author").map(|a| split_list(&a, &[" and "])).unwrap_or_default().into_iter().map(flip_name).collect(),
            year: field("year").as_deref().and_then(year_in).or_else(|| field("date").as_deref().and_then(year_in)),
            date: field("date"),
            venue: field("journal").or_else(|| field("booktitle")),
            url: field("url"),
            code_url: None,
            doi: field("doi"),
            arxiv: field("eprint"),
            categories: Vec::new(),
            keywords: field("keywords").map(|k| split_list(&k, &[";", ","])).unwrap_or_default(),
        };
        if let Some(record) = finish(file, record, &mut diagnostics) {
            records.push(record);
        }
    }
    if records.is_empty() && diagnostics.is_empty() {
        diagnostics.push(Diagnostic::error(file, 1, "no BibTeX entries found"));
    }
    (records, diagnostics)
}

/// "Vaswani, Ashish" -> "Ashish Vaswani".
fn flip_name(name: String) -> String {
    match name.split_once(',') {
        Some((last, first)) if !first.trim().is_empty() => format!("{} {}", first.trim(), last.trim()),
        _ => name,
    }
}
