//! BibTeX: `@article` when the venue is known (as `journal`), else `@misc`;
//! the user's tags in `keywords`, the note in `annote`, the Folio id in
//! `folio_id`. Keys are first author's family name + year + first title
//! word (`jiang2024mixtral`), ASCII, made unique with `a`, `b`, ... .

use std::collections::HashSet;

use super::{name_parts, Item};

pub(super) fn write(items: &[Item<'_>]) -> String {
    let mut out = String::new();
    let mut used = HashSet::new();
    for item in items {
        let paper = item.paper;
        let key = unique(citation_key(item), &mut used);
        let kind = if paper.metadata.venue.is_some() { "article" } else { "misc" };
        out.push_str(&format!("@{kind}{{{key},\n"));
        let mut field = |name: &str, value: Option<String>| {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                out.push_str(&format!("  {name} = {{{value}}},\n"));
            }
        };
        field("title", Some(protect_case(&bibtex_escape(&paper.title))));
        field(
            "author",
            Some(paper.metadata.authors.iter().map(|a| author(a)).collect::<Vec<_>>().join(" and ")),
        );
        field("year", item.year());
        field("journal", paper.metadata.venue.as_deref().map(bibtex_escape));
        // Verbatim fields: TeX escapes would show literally; only braces matter.
        field("doi", paper.metadata.doi.as_deref().map(verbatim));
        field("eprint", paper.metadata.arxiv.as_deref().map(verbatim));
        field("archiveprefix", paper.metadata.arxiv.as_ref().map(|_| "arXiv".to_owned()));
        field("url", paper.metadata.url.as_deref().map(verbatim));
        field("abstract", Some(bibtex_escape(&paper.abstract_text)));
        field(
            "keywords",
            Some(item.keywords().iter().map(|k| bibtex_escape(k)).collect::<Vec<_>>().join(", ")),
        );
        field("annote", Some(bibtex_escape(&item.user.note)));
        field("folio_id", Some(verbatim(&paper.id)));
        out.push_str("}\n\n");
    }
    out
}

/// Escapes TeX specials so that the value reads back as the same text.
/// Braces become `\textbraceleft{}`/`\textbraceright{}`, not `\{`: BibTeX
/// counts braces even after a backslash, so an unpaired `\{` would end the
/// field early.
pub fn bibtex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // TeX joins `--`, `''` and ``` `` ``` into one character: `{}` keeps them two.
        if matches!(c, '-' | '\'' | '`') && chars.peek() == Some(&c) {
            out.push(c);
            out.push_str("{}");
            continue;
        }
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A URL, DOI or id, where TeX escapes are not read: braces are
/// percent-encoded so that the field stays balanced.
fn verbatim(text: &str) -> String {
    text.replace('{', "%7B").replace('}', "%7D")
}

/// Braces around words with capitals after the first letter (`LLaMA`,
/// `MT-Bench`), which bibliography styles would otherwise lowercase.
fn protect_case(title: &str) -> String {
    title
        .split(' ')
        .map(|word| {
            if word.chars().skip(1).any(char::is_uppercase) {
                format!("{{{word}}}")
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An author as written; a name that contains `and` or a comma (an
/// organisation) is braced so that BibTeX reads it as one name.
fn author(name: &str) -> String {
    let escaped = bibtex_escape(name.trim());
    let words: Vec<&str> = name.split_whitespace().collect();
    let is_one_name = !words.iter().any(|w| w.eq_ignore_ascii_case("and")) && !name.contains(',');
    if is_one_name {
        escaped
    } else {
        format!("{{{escaped}}}")
    }
}

/// Words skipped when taking the first word of a title for the key.
const STOP_WORDS: &[&str] =
    &["a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "towards", "toward", "is"];

/// `jiang2024mixtral`: first author's family name, year, first title word
/// that is not a stop word; ASCII lowercase (accents dropped). `anon` when
/// there is no author.
fn citation_key(item: &Item<'_>) -> String {
    let paper = item.paper;
    let author =
        paper.metadata.authors.first().map(|a| ascii_word(name_parts(a).0)).filter(|a| !a.is_empty());
    let word = paper
        .title
        .split(|c: char| c.is_whitespace() || c == '-' || c == ':')
        .map(ascii_word)
        .find(|w| !w.is_empty() && !STOP_WORDS.contains(&w.as_str()))
        .unwrap_or_default();
    format!("{}{}{word}", author.as_deref().unwrap_or("anon"), item.year().unwrap_or_default())
}

/// Letters and digits only, accents removed (`Müller` -> `muller`), lowercase.
fn ascii_word(text: &str) -> String {
    crate::engine::unicode::strip_marks(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// `key`, else `key` with the first free suffix `a` ... `z`, `27`, `28`, ...
fn unique(key: String, used: &mut HashSet<String>) -> String {
    let letters = ('a'..='z').map(String::from);
    let numbers = (27..).map(|n: u32| n.to_string());
    std::iter::once(String::new())
        .chain(letters)
        .chain(numbers)
        .map(|suffix| format!("{key}{suffix}"))
        .find(|candidate| used.insert(candidate.clone()))
        .expect("the suffixes never run out")
}
