//! EndNote XML (EndNote's File → Export → XML; Bookends and Papers write
//! it too): `<xml><records><record>…</record></records></xml>`, each field
//! an element whose text sits in `<style>` runs. Titles from
//! `titles/title`, authors from `contributors/authors/author` (`Last,
//! First`), the year from `dates/year`, the date from
//! `dates/pub-dates/date`, the venue from `titles/secondary-title` (else
//! `periodical/full-title`), the abstract from `abstract`, keywords from
//! `keywords/keyword`, the DOI from `electronic-resource-num`, links from
//! `urls/…/url`, an arXiv id from `accession-num`, a link or the DOI.
//!
//! Read by a small hand-written scanner, not an XML crate: the format uses
//! elements, text and the five entities only, and the compiler wants each
//! record's line and the records before a broken spot kept.

use super::{arxiv_of, author_names, date_with_year, finish, keywords_cut_by, year_in, Record};
use crate::engine::bundle::metadata::Metadata;
use crate::engine::diagnostic::Diagnostic;
use crate::engine::text::xml_character;

/// Reads EndNote XML text: every record with a title comes in; one without
/// is skipped with a warning. Where the XML breaks (a tag never closed),
/// what came before is kept and the rest is reported.
pub fn read(file: &str, text: &str) -> (Vec<Record>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut records = Vec::new();
    let mut scanner = Scanner { text, at: 0, line: 1 };
    // Element names from the record down, each with the text found in it.
    let mut open: Vec<(&str, String)> = Vec::new();
    let mut record: Option<Fields> = None;
    loop {
        let token = match scanner.next() {
            Ok(Some(token)) => token,
            Ok(None) => break,
            Err(line) => {
                diagnostics.push(Diagnostic::warning(
                    file,
                    line,
                    "EndNote XML: a tag is never closed (a `<` without its `>`): the rest of the file is left out",
                ));
                break;
            }
        };
        match token {
            Token::Start { name: "record", line, empty: false } => {
                if let Some(unclosed) = record.take() {
                    diagnostics.push(unclosed_record(file, unclosed.line, "the next <record>"));
                    records.extend(finish(file, unclosed.record(), &mut diagnostics));
                }
                record = Some(Fields { line, values: Vec::new() });
                open.clear();
            }
            Token::Start { name, empty, .. } if record.is_some() && !empty && !is_inline(name) => {
                open.push((name, String::new()));
            }
            Token::Text(text) => {
                if let Some((_, buffer)) = open.last_mut() {
                    buffer.push_str(&text);
                }
            }
            Token::End("record") => {
                if let Some(done) = record.take() {
                    records.extend(finish(file, done.record(), &mut diagnostics));
                }
            }
            Token::End(name) if !is_inline(name) => {
                // Tolerant of a missing end tag: close up to the matching one.
                let Some(depth) = open.iter().rposition(|(open_name, _)| *open_name == name) else {
                    continue;
                };
                let path: Vec<&str> = open[..=depth].iter().map(|(name, _)| *name).collect();
                let path = path.join("/");
                let (_, value) = open.swap_remove(depth);
                open.truncate(depth);
                let value = value.trim();
                if let (Some(fields), false) = (record.as_mut(), value.is_empty()) {
                    fields.values.push((path, value.to_owned()));
                }
            }
            _ => {}
        }
    }
    if let Some(unclosed) = record.take() {
        diagnostics.push(unclosed_record(file, unclosed.line, "the end of the file"));
        records.extend(finish(file, unclosed.record(), &mut diagnostics));
    }
    diagnostics.sort_by_key(|d| d.line);
    (records, diagnostics)
}

/// Whether `text` starts as EndNote XML does: an XML document whose root
/// is `<xml>` holding `<records>`.
pub(super) fn looks_like_endnote_xml(text: &str) -> bool {
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let head = &start[..start.len().min(4096)];
    (start.starts_with("<?xml") || start.starts_with("<xml")) && head.contains("<records>")
}

fn unclosed_record(file: &str, line: usize, until: &str) -> Diagnostic {
    Diagnostic::warning(file, line, format!("EndNote XML record has no </record>: read up to {until}"))
}

/// Formatting runs inside a field's text, not fields of their own.
fn is_inline(name: &str) -> bool {
    matches!(name, "style" | "b" | "i" | "u" | "sup" | "sub")
}

/// One record's fields: each element's path below `<record>`
/// (`titles/title`) and text, in order.
struct Fields {
    line: usize,
    values: Vec<(String, String)>,
}

impl Fields {
    fn all<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values.iter().filter(move |(p, _)| p == path).map(|(_, value)| value.as_str())
    }

    fn first(&self, paths: &[&str]) -> Option<String> {
        paths.iter().find_map(|path| self.all(path).next()).map(str::to_owned)
    }

    fn record(self) -> Record {
        let year = self.first(&["dates/year"]);
        let date = date_with_year(self.first(&["dates/pub-dates/date"]), year.as_deref());
        let urls: Vec<String> = self
            .values
            .iter()
            .filter(|(path, _)| path.starts_with("urls/") && path.ends_with("/url"))
            .map(|(_, url)| url.clone())
            .collect();
        let doi = self.first(&["electronic-resource-num"]);
        // A keyword element may hold several, one a line.
        let keywords = self.all("keywords/keyword").flat_map(|value| value.split(['\r', '\n']));
        Record {
            line: self.line,
            title: self.first(&["titles/title"]).unwrap_or_default(),
            abstract_text: self.first(&["abstract"]).unwrap_or_default(),
            metadata: Metadata {
                authors: self.all("contributors/authors/author").flat_map(author_names).collect(),
                year: year.as_deref().and_then(year_in),
                date,
                venue: self.first(&["titles/secondary-title", "periodical/full-title"]),
                url: urls.iter().find(|u| u.starts_with("http")).cloned(),
                code_url: None,
                arxiv: arxiv_of(self.first(&["accession-num"]).as_deref(), &urls, doi.as_deref()),
                doi,
                categories: Vec::new(),
                keywords: keywords_cut_by(keywords, &[";"]),
            },
        }
    }
}

enum Token<'t> {
    Start { name: &'t str, line: usize, empty: bool },
    End(&'t str),
    Text(String),
}

/// Elements, end tags and text of an XML document, in order; comments,
/// processing instructions and declarations are passed over.
struct Scanner<'t> {
    text: &'t str,
    at: usize,
    /// The line of `at`.
    line: usize,
}

impl<'t> Scanner<'t> {
    /// The next token; `Err(line)` where a markup never closes.
    fn next(&mut self) -> Result<Option<Token<'t>>, usize> {
        loop {
            let rest = &self.text[self.at..];
            if rest.is_empty() {
                return Ok(None);
            }
            if !rest.starts_with('<') {
                let end = rest.find('<').unwrap_or(rest.len());
                self.advance(end);
                return Ok(Some(Token::Text(decode_entities(&rest[..end]))));
            }
            let line = self.line;
            if let Some(body) = rest.strip_prefix("<![CDATA[") {
                let end = body.find("]]>").ok_or(line)?;
                self.advance("<![CDATA[".len() + end + "]]>".len());
                return Ok(Some(Token::Text(body[..end].to_owned())));
            }
            // Comments and processing instructions are passed over.
            if let Some((open, close)) =
                [("<!--", "-->"), ("<?", "?>")].into_iter().find(|(open, _)| rest.starts_with(open))
            {
                let end = rest[open.len()..].find(close).ok_or(line)?;
                self.advance(open.len() + end + close.len());
                continue;
            }
            let end = tag_end(rest).ok_or(line)?;
            let tag = &rest[1..end];
            self.advance(end + 1);
            if tag.starts_with('!') {
                continue; // a declaration (`<!DOCTYPE …>`)
            }
            if let Some(name) = tag.strip_prefix('/') {
                return Ok(Some(Token::End(name.trim())));
            }
            let empty = tag.ends_with('/');
            let name = tag.trim_end_matches('/').split(char::is_whitespace).next().unwrap_or_default();
            return Ok(Some(Token::Start { name, line, empty }));
        }
    }

    fn advance(&mut self, bytes: usize) {
        let end = self.at + bytes;
        self.line += self.text.as_bytes()[self.at..end].iter().filter(|&&b| b == b'\n').count();
        self.at = end;
    }
}

/// The offset of the `>` that ends the tag `text` starts with, past quoted
/// attribute values (which may hold a `>`).
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// `text` with XML's entities and character references decoded; an unknown
/// one is kept as written.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let c = xml_character(&rest[1..semi])?;
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_and_character_references_are_decoded() {
        assert_eq!(decode_entities("User&apos;s &amp; A&#xA;B &#233; &lt;x&gt;"), "User's & A\nB é <x>");
        assert_eq!(decode_entities("AT&T &unknown; & so;"), "AT&T &unknown; & so;");
        assert_eq!(decode_entities("&#xFFFFFFFF;"), "&#xFFFFFFFF;");
    }

    #[test]
    fn tags_end_past_quoted_attributes() {
        assert_eq!(tag_end("<a b=\">\">x"), Some(8));
        assert_eq!(tag_end("<a"), None);
        assert_eq!(tag_end("<a <b>"), None);
    }
}
