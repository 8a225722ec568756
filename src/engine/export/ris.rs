//! RIS: `JOUR` when the venue is known (as `T2`), else `GEN`; one `AU` per
//! author and one `KW` per tag; the arXiv id as `AN  - arXiv:…`; an ISO date as `DA  - 2024/01/08`; the
//! note in `N1`, the Folio id in `ID`. Lines end in CRLF; line breaks inside a value become spaces, since a
//! RIS value cannot span lines.

use super::Item;

pub(super) fn write(items: &[Item<'_>]) -> String {
    let mut out = String::new();
    for item in items {
        let paper = item.paper;
        let mut line = |tag: &str, value: &str| {
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            if !value.is_empty() {
                out.push_str(&format!("{tag}  - {value}\r\n"));
            }
        };
        line("TY", if paper.metadata.venue.is_some() { "JOUR" } else { "GEN" });
        line("TI", &paper.title);
        for author in &paper.metadata.authors {
            line("AU", author);
        }
        line("PY", &item.year().unwrap_or_default());
        line("DA", &paper.metadata.date.as_deref().and_then(ris_date).unwrap_or_default());
        line("T2", paper.metadata.venue.as_deref().unwrap_or_default());
        line("DO", paper.metadata.doi.as_deref().unwrap_or_default());
        line("UR", paper.metadata.url.as_deref().unwrap_or_default());
        line("AN", &paper.metadata.arxiv.as_deref().map(|id| format!("arXiv:{id}")).unwrap_or_default());
        line("AB", &paper.abstract_text);
        for keyword in item.keywords() {
            line("KW", keyword);
        }
        line("N1", &item.user.note);
        line("ID", &paper.id);
        out.push_str("ER  - \r\n\r\n");
    }
    out
}

/// `2024-01-08…` as RIS writes dates, `2024/01/08`; other date forms are
/// left out (the year is in `PY`).
fn ris_date(date: &str) -> Option<String> {
    let date = date.get(..10)?;
    let parts: Vec<&str> = date.split('-').collect();
    let shape_ok = parts.iter().map(|p| p.len()).eq([4, 2, 2]);
    (shape_ok && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))).then(|| parts.join("/"))
}
