//! JSON Lines and JSON arrays of paper records. Field names of the arXiv
//! metadata snapshot (`id`, `title`, `abstract`, `authors`/`authors_parsed`,
//! `categories`, `doi`, `update_date`, `versions`, `journal-ref`), the Hugging
//! Face papers API (`id`, `title`, `summary`, `authors[].name`,
//! `publishedAt`, `githubRepo`, `projectPage`, `ai_keywords`) and Folio's
//! corpora (`authors`, `year`, `venue`, `url`, `doi`, `arxiv`, `keywords`,
//! `github`), CSL-JSON as Zotero and Folio export it (`author[]` with
//! `family`/`given`, `issued.date-parts`, `container-title`, `keyword`,
//! `DOI`, `URL`, `number: arXiv:…`) and Better BibTeX's JSON (`creators`,
//! `abstractNote`, `publicationTitle`, `tags[].tag`) are understood; keys
//! match case-insensitively.

use serde_json::Value;

use super::{finish, normalize_arxiv, split_authors, split_list, year_in, FieldMap, Record};
use crate::engine::bundle::metadata::Metadata;
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
            Ok(_) => diagnostics.push(Diagnostic::skipped(
                file,
                line_number,
                "expected a JSON object (one paper per line)",
            )),
            Err(err) => diagnostics.push(
                Diagnostic::skipped(file, line_number, format!("not valid JSON: {}", strip_position(&err)))
                    .at_col(err.column()),
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
            diagnostics.push(
                Diagnostic::error(file, err.line(), format!("not valid JSON: {}", strip_position(&err)))
                    .at_col(err.column()),
            );
            return (Vec::new(), diagnostics);
        }
    };
    // An array of papers, or an object holding one (`{"papers": [...]}`).
    let (items, key) = match &value {
        Value::Array(items) => (items.as_slice(), None),
        Value::Object(object) => {
            let preferred = ["papers", "data", "items", "results", "records", "entries"];
            let found = preferred
                .iter()
                .find_map(|name| object.iter().find(|(k, v)| k.eq_ignore_ascii_case(name) && v.is_array()))
                .or_else(|| object.iter().find(|(_, v)| v.is_array()));
            match found {
                Some((key, Value::Array(items))) => (items.as_slice(), Some(key.as_str())),
                _ => {
                    diagnostics.push(Diagnostic::error(
                        file,
                        1,
                        "expected a JSON array of papers (or an object with a \"papers\" array)",
                    ));
                    return (Vec::new(), diagnostics);
                }
            }
        }
        _ => {
            diagnostics.push(Diagnostic::error(file, 1, "expected a JSON array of papers"));
            return (Vec::new(), diagnostics);
        }
    };
    // serde_json keeps no positions for values: point at each record's line
    // by finding where the n-th element of that array starts.
    let starts = element_lines(text, key);
    let mut records = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let line = starts.get(index).copied().unwrap_or(1);
        if !item.is_object() {
            diagnostics.push(Diagnostic::skipped(
                file,
                line,
                format!("element {} is not a paper object", index + 1),
            ));
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

/// Lines where the elements of the paper array start: the outermost array,
/// or the array under `key` in the outermost object.
fn element_lines(text: &str, key: Option<&str>) -> Vec<usize> {
    let mut lines = Vec::new();
    let (mut depth, mut line) = (0usize, 1usize);
    let (mut in_string, mut escaped) = (false, false);
    // The last string completed directly inside the outermost object: the
    // key when an array follows.
    let (mut string, mut last_string) = (String::new(), String::new());
    let mut target: Option<usize> = None;
    let mut expect_element = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => {
                    in_string = false;
                    if depth == 1 {
                        last_string = std::mem::take(&mut string);
                    }
                }
                _ if depth == 1 => string.push(c),
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
                let is_target = match key {
                    None => depth == 1,
                    Some(key) => depth == 2 && last_string == key,
                };
                if c == '[' && target.is_none() && is_target {
                    target = Some(depth);
                    expect_element = true;
                }
            }
            '}' | ']' => {
                if target == Some(depth) {
                    break;
                }
                depth = depth.saturating_sub(1);
            }
            ',' if target == Some(depth) => expect_element = true,
            _ => {}
        }
    }
    lines
}

/// The value of the key the user mapped `field` to, else of the first key
/// among `names` (case-insensitive). A record may nest the paper in a
/// `paper` object (Hugging Face daily papers): its keys come first.
fn get<'v>(record: &'v Value, field: &str, names: &[&str], map: &FieldMap) -> Option<&'v Value> {
    let outer = record.as_object()?;
    let inner = outer.get("paper").and_then(Value::as_object);
    let mapped = map.iter().filter(|(f, _)| f == field).map(|(_, key)| key.as_str());
    for name in mapped.chain(names.iter().copied()) {
        for object in inner.into_iter().chain([outer]) {
            if let Some((_, value)) =
                object.iter().find(|(k, v)| k.eq_ignore_ascii_case(name) && !v.is_null())
            {
                return Some(value);
            }
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

/// A list given as an array (of strings, `{"name": …}` objects or arXiv's
/// `[last, first, suffix]`) or as one string cut by `split`.
fn list_of(value: &Value, split: impl Fn(&str) -> Vec<String>) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::Object(o) => name_of(o),
                // authors_parsed: [last, first, suffix]
                Value::Array(parts) => {
                    let parts: Vec<String> = parts.iter().filter_map(text_of).collect();
                    let (last, first) = (parts.first()?, parts.get(1).cloned().unwrap_or_default());
                    Some(format!("{first} {last}").trim().to_owned())
                }
                other => text_of(other),
            })
            .collect(),
        Value::String(s) => split(s),
        _ => Vec::new(),
    }
}

/// A name or tag given as an object: `{"name"}` (Hugging Face), CSL's
/// `{"family", "given"}` or `{"literal"}`, Zotero's `{"lastName",
/// "firstName"}`, or a Zotero tag `{"tag"}`.
fn name_of(object: &serde_json::Map<String, Value>) -> Option<String> {
    let part = |key: &str| object.get(key).and_then(text_of).filter(|t| !t.trim().is_empty());
    if let Some(name) = part("name").or_else(|| part("literal")).or_else(|| part("tag")) {
        return Some(name);
    }
    let family = part("family").or_else(|| part("lastName"))?;
    let given = part("given").or_else(|| part("firstName"));
    // CSL's particles: "Ludwig van Beethoven" is given, particle, family.
    let particle = part("non-dropping-particle").or_else(|| part("dropping-particle"));
    let parts = [given, particle, Some(family)];
    Some(parts.into_iter().flatten().collect::<Vec<_>>().join(" "))
}

/// CSL's date `{"date-parts": [[2024, 1, 8]]}` (or `{"raw"}`/`{"literal"}`)
/// as `2024-01-08`, `2024-01`, `2024`.
fn csl_date(value: &Value) -> Option<String> {
    let object = value.as_object()?;
    if let Some(parts) = object.get("date-parts").and_then(|p| p.get(0)).and_then(Value::as_array) {
        let numbers: Vec<i64> = parts
            .iter()
            .map_while(|p| p.as_i64().or_else(|| p.as_str().and_then(|s| s.trim().parse().ok())))
            .collect();
        return match numbers.as_slice() {
            [] => None,
            [year] => Some(format!("{year:04}")),
            [year, month] => Some(format!("{year:04}-{month:02}")),
            [year, month, day, ..] => Some(format!("{year:04}-{month:02}-{day:02}")),
        };
    }
    object.get("raw").or_else(|| object.get("literal")).and_then(text_of)
}

fn record_of(
    file: &str,
    line: usize,
    value: &Value,
    map: &FieldMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Record> {
    let text = |field: &str, names: &[&str]| get(value, field, names, map).and_then(text_of);
    let id = text("id", &["id", "paper_id"]);
    let authors = get(value, "authors", &["authors_parsed"], map)
        .filter(|v| v.as_array().is_some_and(|a| a.first().is_some_and(Value::is_array)))
        .or_else(|| get(value, "authors", &["authors", "author", "creators"], map))
        .map(|v| list_of(v, split_authors))
        .unwrap_or_default();
    // arXiv: the first version's date is when the paper came out;
    // `update_date` is its last revision, possibly years later.
    let first_version =
        || get(value, "versions", &["versions"], map)?.as_array()?.first()?.get("created").and_then(text_of);
    let date = text("date", &["publishedAt", "published", "date"])
        .or_else(|| get(value, "date", &["issued"], map).and_then(csl_date))
        .or_else(first_version)
        .or_else(|| text("date", &["update_date", "created"]));
    let year = get(value, "year", &["year"], map).and_then(|v| match v {
        Value::Number(n) => n.as_i64().and_then(|y| i32::try_from(y).ok()),
        Value::String(s) => year_in(s),
        _ => None,
    });
    let arxiv =
        text("arxiv", &["arxiv", "arxiv_id", "eprint", "arxivId"])
        // CSL (Folio's export, Zotero) writes `"number": "arXiv:2401.04088"`.
        .or_else(|| text("arxiv", &["number"]).filter(|n| n.to_ascii_lowercase().starts_with("arxiv:"))).or_else(|| id.as_deref().and_then(normalize_arxiv));
    let record = Record {
        line,
        title: text("title", &["title"]).unwrap_or_default(),
        abstract_text: text("abstract", &["abstract", "summary", "abstractNote"]).unwrap_or_default(),
        metadata: Metadata {
            authors,
            year,
            date,
            venue: text(
                "venue",
                &["venue", "journal-ref", "journal", "booktitle", "container-title", "publicationTitle", "proceedingsTitle", "event"],
            ),
            url: text("url", &["url", "projectPage", "project", "html_url", "pdf_url"]),
            code_url: text("code", &["githubRepo", "github", "code"]),
            doi: text("doi", &["doi"]),
            arxiv,
            categories: get(value, "categories", &["categories", "category"], map)
                .map(|v| list_of(v, |s| split_list(s, &[",", " "])))
                .unwrap_or_default(),
            keywords: get(value, "keywords", &["keywords", "ai_keywords", "tags", "keyword"], map)
                .map(|v| list_of(v, |s| split_list(s, &[";", ","])))
                .unwrap_or_default(),
        },
    };
    finish(file, record, diagnostics)
}
