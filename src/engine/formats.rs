//! Readers for corpus formats: the scraped listing text, JSON Lines and JSON
//! arrays (arXiv metadata snapshot, Hugging Face papers API, and Folio's own
//! corpus fields), BibTeX, and CSV/TSV. Each reader turns text into
//! [`Record`]s and diagnostics; none fails as a whole on a bad record.

pub mod bibtex;
pub mod delimited;
pub mod json;

use super::diagnostic::Diagnostic;
use super::listing::parse_listing;

/// A corpus format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Listing,
    JsonLines,
    Json,
    BibTex,
    Csv,
    Tsv,
}

impl Format {
    pub const ALL: [Format; 6] = [Format::Listing, Format::JsonLines, Format::Json, Format::BibTex, Format::Csv, Format::Tsv];

    pub fn name(self) -> &'static str {
        match self {
            Format::Listing => "listing",
            Format::JsonLines => "jsonl",
            Format::Json => "json",
            Format::BibTex => "bibtex",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        let name = name.to_ascii_lowercase();
        match name.as_str() {
            "bib" => Some(Format::BibTex),
            "ndjson" => Some(Format::JsonLines),
            "txt" | "text" => Some(Format::Listing),
            _ => Format::ALL.into_iter().find(|f| f.name() == name),
        }
    }

    /// The format of `file` (its name without a `.gz`) from its extension,
    /// else from its first non-blank character.
    pub fn detect(file: &str, text: &str) -> Format {
        let name = file.strip_suffix(".gz").unwrap_or(file);
        if let Some(format) = name.rsplit_once('.').and_then(|(_, ext)| Format::parse(ext)) {
            return format;
        }
        let start = text.trim_start();
        if start.starts_with('[') {
            Format::Json
        } else if start.starts_with('{') {
            Format::JsonLines
        } else if start.starts_with('@') {
            Format::BibTex
        } else {
            Format::Listing
        }
    }
}

/// One paper as read from an input, before ids, duplicates and enrichment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// 1-based line where the record starts.
    pub line: usize,
    pub title: String,
    pub abstract_text: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub date: Option<String>,
    pub venue: Option<String>,
    pub url: Option<String>,
    pub code_url: Option<String>,
    pub doi: Option<String>,
    pub arxiv: Option<String>,
    pub categories: Vec<String>,
    pub keywords: Vec<String>,
}

/// A user mapping of a field to a column or key name (`--map title=Paper Title`).
pub type FieldMap = [(String, String)];

/// Reads `text` as `format`.
pub fn read(format: Format, file: &str, text: &str, map: &FieldMap) -> (Vec<Record>, Vec<Diagnostic>) {
    match format {
        Format::Listing => {
            let (records, diagnostics) = parse_listing(file, text);
            let records = records
                .into_iter()
                .map(|r| Record { line: r.line, title: r.title, abstract_text: r.abstract_text, ..Default::default() })
                .collect();
            (records, diagnostics)
        }
        Format::JsonLines => json::read_lines(file, text, map),
        Format::Json => json::read_array(file, text, map),
        Format::BibTex => bibtex::read(file, text),
        Format::Csv => delimited::read(file, text, b',', map),
        Format::Tsv => delimited::read(file, text, b'\t', map),
    }
}

/// Finishes a record: cleans its text and checks it has what a paper needs.
/// Returns `None` (with an error) when it lacks a title or an abstract.
pub(crate) fn finish(file: &str, mut record: Record, diagnostics: &mut Vec<Diagnostic>) -> Option<Record> {
    use super::text::clean;
    record.title = readable_tex(&clean(&record.title));
    record.abstract_text = clean(&record.abstract_text);
    record.authors = record.authors.iter().map(|a| clean(a)).filter(|a| !a.is_empty()).collect();
    record.arxiv = record.arxiv.as_deref().and_then(normalize_arxiv);
    record.doi = record.doi.as_deref().and_then(normalize_doi);
    if record.year.is_none() {
        record.year = record.date.as_deref().and_then(year_in);
    }
    let missing: Vec<&str> = [("title", record.title.is_empty()), ("abstract", record.abstract_text.is_empty())]
        .into_iter()
        .filter(|(_, empty)| *empty)
        .map(|(name, _)| name)
        .collect();
    if !missing.is_empty() {
        diagnostics.push(Diagnostic::error(
            file,
            record.line,
            format!("record has no {}: a paper needs a title and an abstract", missing.join(" and no ")),
        ));
        return None;
    }
    Some(record)
}

/// The first plausible year (1900–2100) in a date string.
pub fn year_in(text: &str) -> Option<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|part| part.len() == 4)
        .filter_map(|part| part.parse::<i32>().ok())
        .find(|y| (1900..=2100).contains(y))
}

/// An arXiv identifier without version ("2401.12345", "hep-th/9901001").
pub fn normalize_arxiv(text: &str) -> Option<String> {
    let text = text.trim();
    let text = text.strip_prefix("arXiv:").or_else(|| text.strip_prefix("arxiv:")).unwrap_or(text);
    let text = text.rsplit_once("arxiv.org/abs/").map_or(text, |(_, id)| id);
    let text = match text.rfind('v') {
        Some(i) if i > 0 && text[i + 1..].chars().all(|c| c.is_ascii_digit()) && !text[i + 1..].is_empty() => &text[..i],
        _ => text,
    };
    let new_style = text.len() >= 9
        && text.split_once('.').is_some_and(|(a, b)| a.len() == 4 && a.chars().all(|c| c.is_ascii_digit()) && (4..=5).contains(&b.len()) && b.chars().all(|c| c.is_ascii_digit()));
    let old_style = text.split_once('/').is_some_and(|(a, b)| !a.is_empty() && a.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c == '.') && b.len() == 7 && b.chars().all(|c| c.is_ascii_digit()));
    (new_style || old_style).then(|| text.to_owned())
}

/// A DOI, lower-cased, without a resolver prefix ("10.18653/v1/2024.acl-long.1").
pub fn normalize_doi(text: &str) -> Option<String> {
    let text = text.trim();
    let lower = text.to_lowercase();
    let doi = lower.find("10.").map(|i| &lower[i..])?;
    (doi.contains('/') && !doi.contains(char::is_whitespace)).then(|| doi.to_owned())
}

/// Makes TeX in a title readable: `$O(n)$` -> `O(n)`, `\emph{x}` -> `x`,
/// `{BERT}` -> `BERT`, `\&` -> `&`, `--` -> `–`, common accents.
pub fn readable_tex(text: &str) -> String {
    if !text.contains(['$', '\\', '{', '}']) && !text.contains("--") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '$' | '{' | '}' => {}
            '\\' if i + 1 < chars.len() => {
                let next = chars[i + 1];
                if next.is_ascii_alphabetic() {
                    let mut j = i + 1;
                    while j < chars.len() && chars[j].is_ascii_alphabetic() {
                        j += 1;
                    }
                    let command: String = chars[i + 1..j].iter().collect();
                    // Known commands become their symbol (or vanish, for
                    // formatting); unknown ones keep their name (`\log` -> "log").
                    out.push_str(tex_symbol(&command).unwrap_or(&command));
                    i = j;
                    while i < chars.len() && chars[i] == ' ' && command.len() > 1 && tex_symbol(&command).is_some() {
                        i += 1;
                        break;
                    }
                    continue;
                }
                if let Some(accented) = accent(next, chars.get(i + 2).copied().filter(|c| *c != '{').or(chars.get(i + 3).copied())) {
                    out.push(accented);
                    i += if chars.get(i + 2) == Some(&'{') { 5 } else { 3 };
                    continue;
                }
                out.push(next);
                i += 2;
                continue;
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                out.push('–');
                i += 2;
                while chars.get(i) == Some(&'-') {
                    i += 1;
                }
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    super::text::clean(&out)
}

fn tex_symbol(command: &str) -> Option<&'static str> {
    Some(match command {
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "epsilon" => "ε",
        "lambda" => "λ",
        "mu" => "μ",
        "pi" => "π",
        "sigma" => "σ",
        "theta" => "θ",
        "times" => "×",
        "leq" | "le" => "≤",
        "geq" | "ge" => "≥",
        "infty" => "∞",
        "rightarrow" | "to" => "→",
        "ell" => "ℓ",
        "emph" | "textbf" | "textit" | "texttt" | "mathbf" | "mathcal" | "mathrm" | "mathbb" | "text" | "textsc" | "operatorname" => "",
        _ => return None,
    })
}

fn accent(mark: char, letter: Option<char>) -> Option<char> {
    let letter = letter?;
    let combining = match mark {
        '"' => '\u{308}',
        '\'' => '\u{301}',
        '`' => '\u{300}',
        '^' => '\u{302}',
        '~' => '\u{303}',
        'c' => '\u{327}',
        _ => return None,
    };
    use unicode_normalization::UnicodeNormalization;
    [letter, combining].iter().collect::<String>().nfc().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_tex(input: &str, expected: &str) {
        assert_eq!(readable_tex(input), expected, "readable_tex({input:?})");
    }

    #[test]
    fn tex_in_titles_becomes_readable() {
        check_tex("An $O(n \\log n)$ algorithm", "An O(n log n) algorithm");
        check_tex("{BERT}: Pre-training", "BERT: Pre-training");
        check_tex("\\emph{Fast} attention", "Fast attention");
        check_tex("Sch\\\"{o}lkopf and G\\\"odel", "Schölkopf and Gödel");
        check_tex("$\\alpha$-divergence", "α-divergence");
        check_tex("Q\\&A in 2020--2024", "Q&A in 2020–2024");
        check_tex("plain title", "plain title");
    }

    #[test]
    fn ids_are_normalized() {
        assert_eq!(normalize_arxiv("2401.12345v2").as_deref(), Some("2401.12345"));
        assert_eq!(normalize_arxiv("arXiv:hep-th/9901001").as_deref(), Some("hep-th/9901001"));
        assert_eq!(normalize_arxiv("https://arxiv.org/abs/2312.00001v1").as_deref(), Some("2312.00001"));
        assert_eq!(normalize_arxiv("NeurIPS2023:abc"), None);
        assert_eq!(normalize_doi("https://doi.org/10.18653/V1/2024.ACL-LONG.1").as_deref(), Some("10.18653/v1/2024.acl-long.1"));
        assert_eq!(normalize_doi("none"), None);
    }

    #[test]
    fn formats_are_detected_by_extension_then_content() {
        assert_eq!(Format::detect("a.jsonl.gz", ""), Format::JsonLines);
        assert_eq!(Format::detect("refs.bib", ""), Format::BibTex);
        assert_eq!(Format::detect("x", "  [ {} ]"), Format::Json);
        assert_eq!(Format::detect("x", "{\"a\":1}\n"), Format::JsonLines);
        assert_eq!(Format::detect("x", "@article{a,"), Format::BibTex);
        assert_eq!(Format::detect("papers.tsv", "a\tb"), Format::Tsv);
        assert_eq!(Format::detect("seed.txt", "Title\nAbstract"), Format::Listing);
        assert_eq!(year_in("Mon, 2 Apr 2007 19:18:42 GMT"), Some(2007));
    }
}
