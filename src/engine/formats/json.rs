//! JSON Lines and JSON arrays of paper records. Field names of the arXiv
//! metadata snapshot (`id`, `title`, `abstract`, `authors`/`authors_parsed`,
//! `categories`, `doi`, `update_date`, `versions`, `journal-ref`), the Hugging
//! Face papers API (`id`, `title`, `summary`, `authors[].name`,
//! `publishedAt`, `githubRepo`, `projectPage`, `ai_keywords`) and Folio's
//! corpora (`authors`, `year`, `venue`, `url`, `doi`, `arxiv`, `keywords`,
//! `github`) are understood; keys match case-insensitively.

use serde_json::Value;

use super::{finish, normalize_arxiv, year_in, FieldMap, Record};
use crate::engine::diagnostic::Diagnostic;

pub fn read_lines(file: &str, text: &str, map: &FieldMap) -> (Vec<Record>, Vec<Diagnostic>) {
    let mut records = Vec::new();
    let mut diagnostics = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(value @ Value::Object(_)) => {
                if let Some(record) = record_of(file, line_number, &value, map, &mut diagnostics) {
                    records.push(record);
                }
            }
            Ok(_) => diagnostics.push(Diagnostic::error(file, line_number, "expected a JSON object (one paper per line)")),
            Err(err) => diagnostics.push(
                Diagnostic::error(file, line_number, format!("not valid JSON: {}", strip_position(&err))).at_col(err.column()),
            ),
        }
    }
    if records.is_empty() && diagnostics.is_empty() {
        diagnostics.push(Diagnostic::error(file, 1, "no papers found: expected one JSON object per line"));
    }
    (records, diagnostics)
}

pub fn read_array(file: &str, text: &str, map: &FieldMap) -> (Vec<Record>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(err) => {
            diagnostics.push(Diagnostic::error(file, err.line(), format!("not valid JSON: {}", strip_position(&err))).at_col(err.column()));
            return (Vec::new(), diagnostics);
        }
    };
    // An array of papers, or an object holding one (`{"papers": [...]}`).
    let items = match &value {
        Value::Array(items) => items.as_slice(),
        Value::Object(object) => match object.values().find_map(Value::as_array) {
            Some(items) => items.as_slice(),
            None => {
                diagnostics.push(Diagnostic::error(file, 1, "expected a JSON array of papers"));
                return (Vec::new(), diagnostics);
            }
        },
        _ => {
            diagnostics.push(Diagnostic::error(file, 1, "expected a JSON array of papers"));
            return (Vec::new(), diagnostics);
        }
    };
    // serde_json keeps no positions for values: point at each record's line
    // by finding where the n-th top-level element starts.
    let starts = element_lines(text);
    let mut records = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let line = starts.get(index).copied().unwrap_or(1);
        if !item.is_object() {
            diagnostics.push(Diagnostic::error(file, line, format!("element {} is not a paper object", index + 1)));
            continue;
        }
        if let Some(record) = record_of(file, line, item, map, &mut diagnostics) {
            records.push(record);
        }
    }
    (records, diagnostics)
}

fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    text.rsplit_once(" at line ").map_or(text.clone(), |(message, _)| message.to_owned())
}

/// Lines where the elements of the outermost array start.
fn element_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let (mut depth, mut line, mut in_string, mut escaped) = (0i32, 1usize, false, false);
    let mut expect_element = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if expect_element && !c.is_whitespace() && c != ']' {
            lines.push(line);
            expect_element = false;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => {
                depth += 1;
                // Elements of the outermost array (or of the array inside
                // an outermost object: `{"papers": [...]}`).
                if c == '[' && depth <= 2 && lines.is_empty() {
                    expect_element = true;
                }
            }
            '}' | ']' => depth -= 1,
            ',' if depth == 1 || (depth == 2 && !text.trim_start().starts_with('[')) => expect_element = true,
            _ => {}
        }
    }
    lines
}

/// The value of the first key (case-insensitive) among `names`, or of the
/// key the user mapped `field` to.
fn get<'v>(object: &'v Value, field: &str, names: &[&str], map: &FieldMap) -> Option<&'v Value> {
    let object = object.as_object()?;
    let mapped = map.iter().filter(|(f, _)| f == field).map(|(_, key)| key.as_str());
    for name in mapped.chain(names.iter().copied()) {
        if let Some((_, value)) = object.iter().find(|(k, v)| k.eq_ignore_ascii_case(name) && !v.is_null()) {
            return Some(value);
        }
    }
    None
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn list_of(value: &Value, separators: &[&str]) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::Object(o) => o.get("name").and_then(text_of),
                // authors_parsed: [last, first, suffix]
                Value::Array(parts) => {
                    let parts: Vec<String> = parts.iter().filter_map(text_of).collect();
                    let (last, first) = (parts.first()?, parts.get(1).cloned().unwrap_or_default());
                    Some(format!("{first} {last}").trim().to_owned())
                }
                other => text_of(other),
            })
            .collect(),
        Value::String(s) => split_list(s, separators),
        _ => Vec::new(),
    }
}

/// Splits on the first separator that occurs.
pub(crate) fn split_list(text: &str, separators: &[&str]) -> Vec<String> {
    let separator = separators.iter().find(|s| text.contains(**s));
    match separator {
        Some(sep) => text.split(sep).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
        None if text.trim().is_empty() => Vec::new(),
        None => vec![text.trim().to_owned()],
    }
}

fn record_of(file: &str, line: usize, value: &Value, map: &FieldMap, diagnostics: &mut Vec<Diagnostic>) -> Option<Record> {
    let text = |field: &str, names: &[&str]| get(value, field, names, map).and_then(text_of);
    let id = text("id", &["id", "paper_id"]);
    let authors = get(value, "authors", &["authors_parsed"], map)
        .filter(|v| v.as_array().is_some_and(|a| a.first().is_some_and(Value::is_array)))
        .or_else(|| get(value, "authors", &["authors", "author"], map))
        .map(|v| list_of(v, &[";", " and ", ","]))
        .unwrap_or_default();
    let date = text("date", &["publishedAt", "published", "date", "update_date", "created"]).or_else(|| {
        // arXiv: the first version's creation date.
        get(value, "versions", &["versions"], map)?.as_array()?.first()?.get("created").and_then(text_of)
    });
    let year = get(value, "year", &["year"], map).and_then(|v| match v {
        Value::Number(n) => n.as_i64().and_then(|y| i32::try_from(y).ok()),
        Value::String(s) => year_in(s),
        _ => None,
    });
    let arxiv = text("arxiv", &["arxiv", "arxiv_id", "eprint"]).or_else(|| id.as_deref().and_then(normalize_arxiv));
    let record = Record {
        line,
        title: text("title", &["title"]).unwrap_or_default(),
        abstract_text: text("abstract", &["abstract", "summary"]).unwrap_or_default(),
        authors,
        year,
        date,
        venue: text("venue", &["venue", "journal-ref", "journal", "booktitle"]),
        url: text("url", &["url", "projectPage", "project", "html_url", "pdf_url"]),
        code_url: text("code", &["githubRepo", "github", "code"]),
        doi: text("doi", &["doi"]),
        arxiv,
        categories: get(value, "categories", &["categories", "category"], map).map(|v| list_of(v, &[",", " "])).unwrap_or_default(),
        keywords: get(value, "keywords", &["keywords", "ai_keywords", "tags"], map).map(|v| list_of(v, &[";", ","])).unwrap_or_default(),
    };
    finish(file, record, diagnostics)
}
