//! Exports of a selection of papers with the user's data, in the formats
//! reference managers import: BibTeX (tags in `keywords`), RIS (`KW`),
//! CSL-JSON (`keyword`) and CSV. All user data exports as JSON through
//! [`super::tags::encode`].

use std::collections::HashSet;

use serde_json::{json, Value};

use super::bundle::Paper;
use super::tags::{PaperData, UserData};

/// A file format for exported papers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    BibTex,
    Ris,
    CslJson,
    Csv,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] =
        [ExportFormat::BibTex, ExportFormat::Ris, ExportFormat::CslJson, ExportFormat::Csv];

    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::BibTex => "BibTeX",
            ExportFormat::Ris => "RIS",
            ExportFormat::CslJson => "CSL-JSON",
            ExportFormat::Csv => "CSV",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::BibTex => "bib",
            ExportFormat::Ris => "ris",
            ExportFormat::CslJson => "json",
            ExportFormat::Csv => "csv",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ExportFormat::BibTex => "application/x-bibtex",
            ExportFormat::Ris => "application/x-research-info-systems",
            ExportFormat::CslJson => "application/vnd.citationstyles.csl+json",
            ExportFormat::Csv => "text/csv",
        }
    }
}

/// Writes `papers` (in order) with their user data in `format`.
pub fn export(papers: &[&Paper], user: &UserData, format: ExportFormat) -> String {
    let empty = PaperData::default();
    let rows = papers.iter().map(|p| (*p, user.papers.get(&p.id).unwrap_or(&empty)));
    match format {
        ExportFormat::BibTex => bibtex(rows),
        ExportFormat::Ris => ris(rows),
        ExportFormat::CslJson => csl_json(rows),
        ExportFormat::Csv => csv(rows),
    }
}

fn tags_of(data: &PaperData) -> Vec<&str> {
    let mut tags: Vec<&str> = data.tags.iter().map(String::as_str).collect();
    if data.starred {
        tags.push("starred");
    }
    tags
}

fn bibtex<'a>(rows: impl Iterator<Item = (&'a Paper, &'a PaperData)>) -> String {
    let mut out = String::new();
    let mut keys = HashSet::new();
    for (paper, data) in rows {
        let key = unique_key(citation_key(paper), &mut keys);
        out.push_str(&format!("@misc{{{key},\n"));
        let mut field = |name: &str, value: &str| {
            if !value.is_empty() {
                out.push_str(&format!("  {name} = {{{}}},\n", bibtex_escape(value)));
            }
        };
        field("title", &paper.title);
        field("author", &paper.authors.join(" and "));
        field("year", &paper.year.map(|y| y.to_string()).unwrap_or_default());
        field("abstract", &paper.abstract_text);
        field("keywords", &tags_of(data).join(", "));
        field("note", &data.note);
        field("folio_id", &paper.id);
        out.push_str("}\n\n");
    }
    out
}

/// `lastname` of the first author + year + first long title word, ASCII lowercase.
fn citation_key(paper: &Paper) -> String {
    let ascii = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
    let author =
        paper.authors.first().and_then(|a| a.split_whitespace().last()).map(ascii).unwrap_or_default();
    let word = paper.title.split_whitespace().map(ascii).find(|w| w.len() > 3).unwrap_or_default();
    let year = paper.year.map(|y| y.to_string()).unwrap_or_default();
    let key = format!("{}{year}{word}", if author.is_empty() { "anon".to_owned() } else { author });
    key
}

fn unique_key(key: String, used: &mut HashSet<String>) -> String {
    let mut candidate = key.clone();
    let mut suffix = b'a';
    while !used.insert(candidate.clone()) {
        candidate = format!("{key}{}", suffix as char);
        suffix = suffix.saturating_add(1);
        if suffix > b'z' {
            candidate = format!("{key}{}", used.len());
        }
    }
    candidate
}

/// Escapes TeX specials so the value reads back as the same text.
pub fn bibtex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            // TeX reads "--" as a dash: keep two hyphens two hyphens.
            '-' if out.ends_with('-') => out.push_str("{}-"),
            _ => out.push(c),
        }
    }
    out
}

fn ris<'a>(rows: impl Iterator<Item = (&'a Paper, &'a PaperData)>) -> String {
    let mut out = String::new();
    for (paper, data) in rows {
        let mut line = |tag: &str, value: &str| {
            let value = value.replace(['\r', '\n'], " ");
            if !value.is_empty() {
                out.push_str(&format!("{tag}  - {value}\r\n"));
            }
        };
        line("TY", "GEN");
        line("TI", &paper.title);
        for author in &paper.authors {
            line("AU", author);
        }
        line("PY", &paper.year.map(|y| y.to_string()).unwrap_or_default());
        line("AB", &paper.abstract_text);
        for tag in tags_of(data) {
            line("KW", tag);
        }
        line("N1", &data.note);
        line("ID", &paper.id);
        out.push_str("ER  - \r\n\r\n");
    }
    out
}

fn csl_json<'a>(rows: impl Iterator<Item = (&'a Paper, &'a PaperData)>) -> String {
    let items: Vec<Value> = rows
        .map(|(paper, data)| {
            let mut item = json!({
                "id": paper.id,
                "type": "article",
                "title": paper.title,
                "abstract": paper.abstract_text,
            });
            if !paper.authors.is_empty() {
                item["author"] = paper.authors.iter().map(|a| json!({ "literal": a })).collect();
            }
            if let Some(year) = paper.year {
                item["issued"] = json!({ "date-parts": [[year]] });
            }
            let tags = tags_of(data);
            if !tags.is_empty() {
                item["keyword"] = json!(tags.join(", "));
            }
            if !data.note.is_empty() {
                item["note"] = json!(data.note);
            }
            item
        })
        .collect();
    serde_json::to_string_pretty(&items).expect("JSON values always serialize")
}

fn csv<'a>(rows: impl Iterator<Item = (&'a Paper, &'a PaperData)>) -> String {
    let mut out = String::from("id,title,authors,year,abstract,tags,starred,read,note\r\n");
    for (paper, data) in rows {
        let fields = [
            paper.id.clone(),
            paper.title.clone(),
            paper.authors.join("; "),
            paper.year.map(|y| y.to_string()).unwrap_or_default(),
            paper.abstract_text.clone(),
            data.tags.iter().cloned().collect::<Vec<_>>().join("; "),
            data.starred.to_string(),
            data.read.to_string(),
            data.note.clone(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// RFC 4180: quote a field holding a comma, quote or line break; double quotes.
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}
