//! CSL-JSON, the format of citeproc and Zotero: an array of items,
//! `article-journal` with `container-title` when the venue is known, else
//! `article` (a preprint); authors as family/given; tags as one
//! comma-separated `keyword` string (the CSL convention); the note in `annote`.

use serde_json::{json, Value};

use super::{name_parts, Item};

pub(super) fn write(items: &[Item<'_>]) -> String {
    let items: Vec<Value> = items.iter().map(item).collect();
    serde_json::to_string_pretty(&items).expect("JSON values always serialize")
}

fn item(item: &Item<'_>) -> Value {
    let paper = item.paper;
    let mut value = json!({
        "id": paper.id,
        "type": if paper.metadata.venue.is_some() { "article-journal" } else { "article" },
        "title": paper.title,
    });
    let mut set = |name: &str, field: Value| {
        value[name] = field;
    };
    if !paper.metadata.authors.is_empty() {
        set("author", paper.metadata.authors.iter().map(|a| author(a)).collect());
    }
    if let Some(issued) = issued(item) {
        set("issued", issued);
    }
    let strings = [
        ("container-title", paper.metadata.venue.as_deref()),
        ("DOI", paper.metadata.doi.as_deref()),
        ("URL", paper.metadata.url.as_deref()),
        ("abstract", Some(paper.abstract_text.as_str())),
        ("annote", Some(item.user.note.as_str())),
    ];
    for (name, text) in strings {
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            set(name, json!(text));
        }
    }
    if let Some(arxiv) = &paper.metadata.arxiv {
        set("number", json!(format!("arXiv:{arxiv}")));
    }
    let keywords = item.keywords();
    if !keywords.is_empty() {
        set("keyword", json!(keywords.join(", ")));
    }
    value
}

/// `{"family", "given"}`, or `{"literal"}` for a one-word name.
fn author(name: &str) -> Value {
    match name_parts(name) {
        (family, "") => json!({ "literal": family }),
        (family, given) => json!({ "family": family, "given": given }),
    }
}

/// `[[year, month, day]]` from an ISO date that agrees with the year, else `[[year]]`.
fn issued(item: &Item<'_>) -> Option<Value> {
    let year = item.paper.metadata.year?;
    let parts: Vec<i32> = item
        .paper
        .metadata
        .date
        .as_deref()
        .and_then(|date| date.get(..10))
        .map(|date| date.split('-').map_while(|part| part.parse().ok()).collect())
        .filter(|parts: &Vec<i32>| parts.len() == 3 && parts[0] == year)
        .unwrap_or_else(|| vec![year]);
    Some(json!({ "date-parts": [parts] }))
}
