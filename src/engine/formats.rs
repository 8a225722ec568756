//! Readers for corpus formats: the scraped listing text, JSON Lines and JSON
//! arrays (arXiv metadata snapshot, Hugging Face papers API, and Folio's own
//! corpus fields), BibTeX, RIS, EndNote tagged and XML, Web of Science,
//! PubMed MEDLINE, and CSV/TSV. Each reader turns text into [`Record`]s and
//! diagnostics; none fails as a whole on a bad record.

pub mod bibtex;
pub mod delimited;
pub mod endnote;
pub mod endnote_xml;
pub mod json;
pub mod medline;
pub mod ris;
mod tagged;
mod tex_journals;
pub mod wos;

use super::bundle::metadata::{Metadata, MetadataField};
use super::diagnostic::Diagnostic;
use super::listing::parse_listing;

/// A corpus format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Listing,
    JsonLines,
    Json,
    BibTex,
    Ris,
    /// EndNote's tagged export (`.enw`, `%0 Journal Article`, `%T ...`).
    EndNote,
    /// EndNote's XML export (`<xml><records><record>...`).
    EndNoteXml,
    /// Web of Science's plain-text export (`savedrecs.txt`, `.ciw`).
    WebOfScience,
    /// PubMed's MEDLINE export (`.nbib`, `PMID- ...`).
    Medline,
    Csv,
    Tsv,
}

impl Format {
    pub const ALL: [Format; 11] = [
        Format::Listing,
        Format::JsonLines,
        Format::Json,
        Format::BibTex,
        Format::Ris,
        Format::EndNote,
        Format::EndNoteXml,
        Format::WebOfScience,
        Format::Medline,
        Format::Csv,
        Format::Tsv,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Listing => "listing",
            Format::JsonLines => "jsonl",
            Format::Json => "json",
            Format::BibTex => "bibtex",
            Format::Ris => "ris",
            Format::EndNote => "endnote",
            Format::EndNoteXml => "endnote-xml",
            Format::WebOfScience => "wos",
            Format::Medline => "medline",
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
            "enw" => Some(Format::EndNote),
            "xml" => Some(Format::EndNoteXml),
            "ciw" | "isi" => Some(Format::WebOfScience),
            "nbib" | "pubmed" => Some(Format::Medline),
            _ => Format::ALL.into_iter().find(|f| f.name() == name),
        }
    }

    /// The format of `file` (its name without a `.gz`) from its extension,
    /// else from its first non-blank character.
    ///
    /// A `.json` file holding one object per line is JSON Lines: arXiv's
    /// metadata snapshot (`arxiv-metadata-oai-snapshot.json`) is named so.
    pub fn detect(file: &str, text: &str) -> Format {
        let name = file.strip_suffix(".gz").unwrap_or(file);
        if let Some(format) = name.rsplit_once('.').and_then(|(_, ext)| Format::parse(ext)) {
            return match format {
                Format::Json if looks_like_json_lines(text) => Format::JsonLines,
                // Reference managers and databases save their exports as
                // `.txt` (EndNote's RIS and BibTeX, Web of Science's
                // `savedrecs.txt`, PubMed's MEDLINE).
                Format::Listing => tagged_format(text).unwrap_or(Format::Listing),
                format => format,
            };
        }
        let start = text.trim_start();
        if start.starts_with('[') {
            Format::Json
        } else if start.starts_with('{') {
            Format::JsonLines
        } else if start.starts_with('@') {
            Format::BibTex
        } else if endnote_xml::looks_like_endnote_xml(text) {
            Format::EndNoteXml
        } else if let Some(format) = tagged_format(text) {
            format
        } else {
            // A header row with a `title` column.
            let header = start.lines().next().unwrap_or_default();
            let has_title = |delimiter: char| {
                header.contains(delimiter)
                    && header
                        .split(delimiter)
                        .any(|cell| cell.trim().trim_matches('"').eq_ignore_ascii_case("title"))
            };
            if has_title('\t') {
                Format::Tsv
            } else if has_title(',') {
                Format::Csv
            } else {
                Format::Listing
            }
        }
    }
}

/// The export format whose first line `text` starts with: a RIS record
/// (`TY  - JOUR`), a BibTeX entry, an EndNote record (`%0 Journal
/// Article`), Web of Science's header (`FN Clarivate Analytics Web of
/// Science`) or a MEDLINE record (`PMID- 123`).
fn tagged_format(text: &str) -> Option<Format> {
    let first =
        text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']).lines().next().unwrap_or_default();
    if ris::tag_line(first).is_some_and(|(tag, _)| tag == "TY") {
        Some(Format::Ris)
    } else if bibtex::looks_like_bibtex(text) {
        Some(Format::BibTex)
    } else if endnote::starts_a_record(first) {
        Some(Format::EndNote)
    } else if wos::starts_a_file(first) {
        Some(Format::WebOfScience)
    } else if medline::starts_a_record(first) {
        Some(Format::Medline)
    } else {
        None
    }
}

/// Whether `text` starts with a whole JSON object on its first line and
/// another object on the next: JSON Lines, whatever the file's name says.
fn looks_like_json_lines(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    let (Some(first), Some(second)) = (lines.next(), lines.next()) else { return false };
    first.starts_with('{')
        && first.ends_with('}')
        && second.starts_with('{')
        && serde_json::from_str::<serde_json::Value>(first).is_ok_and(|v| v.is_object())
}

/// One paper as read from an input, before ids, duplicates and enrichment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// 1-based line where the record starts.
    pub line: usize,
    pub title: String,
    pub abstract_text: String,
    pub metadata: Metadata,
}

/// A user mapping of a field to a column or key name (`--map title=Paper Title`).
pub type FieldMap = [(String, String)];

/// The fields of a [`Record`] that a [`FieldMap`] can name: the title, the
/// abstract and every metadata field (by [`MetadataField::map_name`]).
pub const FIELDS: [&str; 2 + MetadataField::ALL.len()] = {
    let mut names = ["title"; 2 + MetadataField::ALL.len()];
    names[1] = "abstract";
    let mut i = 0;
    while i < MetadataField::ALL.len() {
        names[2 + i] = MetadataField::ALL[i].map_name();
        i += 1;
    }
    names
};

/// Splits a list on the first of `separators` that occurs in it.
pub(crate) fn split_list(text: &str, separators: &[&str]) -> Vec<String> {
    let separator = separators.iter().find(|s| text.contains(**s));
    match separator {
        Some(sep) => text.split(sep).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
        None if text.trim().is_empty() => Vec::new(),
        None => vec![text.trim().to_owned()],
    }
}

/// Every keyword of several keyword lists (`a; b`, `a, b`), once each, in
/// the order first seen: reference managers keep tags in several fields.
pub(crate) fn keywords_of<'t>(lists: impl IntoIterator<Item = &'t str>) -> Vec<String> {
    keywords_cut_by(lists, &[";", ","])
}

/// [`keywords_of`] for lists cut only by the first of `separators` that
/// occurs in each (a MeSH heading or an EndNote keyword line may hold a
/// comma: `Aged, 80 and over`).
pub(crate) fn keywords_cut_by<'t>(lists: impl IntoIterator<Item = &'t str>, separators: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for keyword in lists.into_iter().flat_map(|list| split_list(list, separators)) {
        if !out.contains(&keyword) {
            out.push(keyword);
        }
    }
    out
}

/// Splits an author list given as one string: `A; B`, arXiv's `A, B and C`,
/// or BibTeX's `Last, First and Last, First` (names become `First Last`).
pub(crate) fn split_authors(text: &str) -> Vec<String> {
    let flip = |name: &str| match name.split_once(',') {
        Some((last, first)) if !first.trim().is_empty() && !first.contains(',') => {
            format!("{} {}", first.trim(), last.trim())
        }
        _ => name.trim().to_owned(),
    };
    let names: Vec<String> = if text.contains(';') {
        text.split(';').map(flip).collect()
    } else if text.contains(" and ") && text.split(" and ").all(|part| part.matches(',').count() == 1) {
        text.split(" and ").map(flip).collect()
    } else {
        text.split(" and ").flat_map(|part| part.split(',')).map(|name| name.trim().to_owned()).collect()
    };
    names.into_iter().filter(|name| name.chars().any(char::is_alphanumeric)).collect()
}

/// The names of one author field of a tagged export (RIS `AU`, EndNote
/// `%A`, Web of Science `AF`, MEDLINE `FAU`): one name, `Last, First`
/// (`Last, First, Jr.`, or MEDLINE's `Last, First 3rd`) or as written, made
/// `First Last Jr.`; a few exporters put several on one line, cut by `;`.
pub(crate) fn author_names(value: &str) -> Vec<String> {
    if value.contains(';') {
        return split_authors(value);
    }
    let mut parts = value.splitn(3, ',').map(str::trim);
    let name = match (parts.next(), parts.next(), parts.next()) {
        (Some(last), Some(first), suffix) if !first.is_empty() => {
            let (first, generation) = match first.rsplit_once(' ') {
                Some((given, word)) if suffix.is_none() && is_generation(word) => (given, word),
                _ => (first, suffix.unwrap_or_default()),
            };
            [first, last, generation].iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ")
        }
        _ => value.trim().to_owned(),
    };
    vec![name]
}

/// A generational suffix of a name (`Jr.`, `III`, MEDLINE's `3rd`).
fn is_generation(word: &str) -> bool {
    matches!(word.trim_end_matches('.'), "Jr" | "Sr" | "II" | "III" | "IV" | "2nd" | "3rd" | "4th")
}

/// A publication date as a record gives it apart from its year (`Mar 3`,
/// `November`, `2016-03-15`): with the year added when it has none
/// (`Mar 3 2015`).
pub(crate) fn date_with_year(date: Option<String>, year: Option<&str>) -> Option<String> {
    date.map(|date| match year {
        Some(year) if year_in(&date).is_none() => format!("{date} {year}"),
        _ => date,
    })
}

/// The arXiv id a tagged record names: its accession number
/// (`arXiv:2401.12345`), an `arxiv.org/abs/` link, or an arXiv DOI
/// (`10.48550/arXiv.2401.12345`).
pub(crate) fn arxiv_of(accession: Option<&str>, urls: &[String], doi: Option<&str>) -> Option<String> {
    accession
        .and_then(normalize_arxiv)
        .or_else(|| urls.iter().find(|u| u.contains("arxiv.org/abs/")).and_then(|u| normalize_arxiv(u)))
        .or_else(|| normalize_arxiv(normalize_doi(doi?)?.strip_prefix("10.48550/arxiv.")?))
}

/// Reads `text` as `format`.
pub fn read(format: Format, file: &str, text: &str, map: &FieldMap) -> (Vec<Record>, Vec<Diagnostic>) {
    read_with(format, file, text, map, &bibtex::Shared::default())
}

/// Reads `text` as `format`; a BibTeX input also sees what the other
/// BibTeX inputs compiled with it share (`shared`): their `@string` macros
/// (journal macros often live in a file of their own) and the volumes their
/// entries name in `crossref` (proceedings often live in one too).
pub fn read_with(
    format: Format,
    file: &str,
    text: &str,
    map: &FieldMap,
    shared: &bibtex::Shared,
) -> (Vec<Record>, Vec<Diagnostic>) {
    match format {
        Format::Listing => {
            let (records, diagnostics) = parse_listing(file, text);
            let records = records
                .into_iter()
                .map(|r| Record {
                    line: r.line,
                    title: r.title,
                    abstract_text: r.abstract_text,
                    ..Default::default()
                })
                .collect();
            (records, diagnostics)
        }
        Format::JsonLines => json::read_lines(file, text, map),
        Format::Json => json::read_array(file, text, map),
        Format::BibTex => bibtex::read(file, text, shared),
        Format::Ris => ris::read(file, text),
        Format::EndNote => endnote::read(file, text),
        Format::EndNoteXml => endnote_xml::read(file, text),
        Format::WebOfScience => wos::read(file, text),
        Format::Medline => medline::read(file, text),
        Format::Csv => delimited::read(file, text, b',', map),
        Format::Tsv => delimited::read(file, text, b'\t', map),
    }
}

/// Finishes a record: cleans its text and checks it has what a paper needs,
/// a title (an abstract is welcome, not required: most entries of a
/// reference manager's export have none). Returns `None`, with a warning
/// that the record was skipped, when it has no title.
pub(crate) fn finish(file: &str, mut record: Record, diagnostics: &mut Vec<Diagnostic>) -> Option<Record> {
    use super::text::clean;
    // Titles and abstracts as the source has them: TeX is decoded by the
    // readers of TeX formats (BibTeX), never here.
    record.title = clean(&record.title);
    record.abstract_text = clean(&record.abstract_text);
    // A name is never TeX on purpose, and arXiv's metadata writes accents
    // in TeX even in JSON (`Bal\'azs`): decoded in every format.
    record.metadata.authors =
        record.metadata.authors.iter().map(|a| readable_tex(&clean(a))).filter(|a| !a.is_empty()).collect();
    record.metadata.arxiv = record.metadata.arxiv.as_deref().and_then(normalize_arxiv);
    record.metadata.doi = record.metadata.doi.as_deref().and_then(normalize_doi);
    if record.metadata.year.is_none() {
        record.metadata.year = record.metadata.date.as_deref().and_then(year_in);
    }
    if record.title.is_empty() {
        diagnostics.push(Diagnostic::skipped(file, record.line, "record has no title: a paper needs one"));
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
        Some(i)
            if i > 0 && text[i + 1..].chars().all(|c| c.is_ascii_digit()) && !text[i + 1..].is_empty() =>
        {
            &text[..i]
        }
        _ => text,
    };
    let new_style = text.len() >= 9
        && text.split_once('.').is_some_and(|(a, b)| {
            a.len() == 4
                && a.chars().all(|c| c.is_ascii_digit())
                && (4..=5).contains(&b.len())
                && b.chars().all(|c| c.is_ascii_digit())
        });
    let old_style = text.split_once('/').is_some_and(|(a, b)| {
        !a.is_empty()
            && a.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c == '.')
            && b.len() == 7
            && b.chars().all(|c| c.is_ascii_digit())
    });
    (new_style || old_style).then(|| text.to_owned())
}

/// A DOI, lower-cased, without a resolver prefix ("10.18653/v1/2024.acl-long.1").
pub fn normalize_doi(text: &str) -> Option<String> {
    let text = text.trim();
    let lower = text.to_lowercase();
    let doi = lower.find("10.").map(|i| &lower[i..])?;
    (doi.contains('/') && !doi.contains(char::is_whitespace)).then(|| doi.to_owned())
}

/// Text from a TeX format made readable as [`readable_tex`] does, except
/// for its math (`$...$`, `\(...\)`), which is kept as written for the app
/// to render and the analyzer to fold.
pub fn readable_tex_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((start, end)) = next_math(rest) {
        out.push_str(&decode_tex(&rest[..start], false));
        out.push_str(&rest[start..end]);
        rest = &rest[end..];
    }
    out.push_str(&decode_tex(rest, false));
    super::text::clean(&out)
}

/// The byte range of the first math span of `text` with its delimiters:
/// `$...$` (not `\$`, not `$$` empty) or `\(...\)`.
pub fn next_math(text: &str) -> Option<(usize, usize)> {
    let mut dollars = text.match_indices('$').map(|(i, _)| i).filter(|&i| !text[..i].ends_with('\\'));
    let by_dollar = loop {
        let Some(open) = dollars.next() else { break None };
        match dollars.next() {
            Some(close) if close > open + 1 => break Some((open, close + 1)),
            Some(_) => continue,
            None => break None,
        }
    };
    let by_paren = text.find("\\(").and_then(|open| {
        let close = text[open + 2..].find("\\)")?;
        Some((open, open + 2 + close + 2))
    });
    match (by_dollar, by_paren) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// Makes TeX in a title readable: `$O(n)$` -> `O(n)`, `\emph{x}` -> `x`,
/// `{BERT}` -> `BERT`, `\&` -> `&`, `--` -> `–`, `~` (a non-breaking
/// space: `D.~E. Knuth`) -> a space, accents (`{\"u}`, `\'e`,
/// `\c{c}`, `\v s`) and letters (`\ss`, `\o`) -> their Unicode character.
/// Unknown commands keep their name (`\log` -> `log`). A title with an odd
/// number of `$` is not math, and keeps them (`$100`).
pub fn readable_tex(text: &str) -> String {
    if !text.contains(['$', '\\', '{', '}', '~']) && !text.contains("--") {
        return text.to_owned();
    }
    let math = text.match_indices('$').filter(|(i, _)| !text[..*i].ends_with('\\')).count() % 2 == 0;
    super::text::clean(&decode_tex(text, math))
}

/// [`readable_tex`] before whitespace cleaning; `$` signs are dropped when
/// `math` (they pair up as math delimiters), else kept.
fn decode_tex(text: &str, math: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '{' | '}' => i += 1,
            '$' if math => i += 1,
            '~' => {
                out.push(' ');
                i += 1;
            }
            '\\' => i = tex_command(&chars, i + 1, &mut out),
            '-' if chars.get(i + 1) == Some(&'-') => {
                out.push('–');
                i += 2;
                while chars.get(i) == Some(&'-') {
                    i += 1;
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Writes what the command after a backslash (at `start`) stands for and
/// returns the index where reading continues.
fn tex_command(chars: &[char], start: usize, out: &mut String) -> usize {
    let Some(&first) = chars.get(start) else { return start };
    if !first.is_ascii_alphabetic() {
        if let Some(next) = accent_target(chars, start + 1) {
            if let Some(accented) = accent(first, next.0) {
                out.push(accented);
                return next.1;
            }
        }
        // A control symbol: `\&`, `\%`, `\_`; spacing commands become a space.
        out.push(if matches!(first, ',' | ';' | '!' | ' ' | '\\') { ' ' } else { first });
        return start + 1;
    }
    let end = chars[start..].iter().position(|c| !c.is_ascii_alphabetic()).map_or(chars.len(), |n| start + n);
    let name: String = chars[start..end].iter().collect();
    // Letter accents need a brace or a space before their letter: `\c{c}`,
    // `\v s`; `\cite` is a command.
    if name.len() == 1 && matches!(chars.get(end), Some('{' | ' ')) {
        if let Some((letter, after)) = accent_target(chars, end) {
            if let Some(accented) = accent(first, letter) {
                out.push(accented);
                return after;
            }
        }
    }
    if let Some(letter) = tex_letter(&name) {
        out.push_str(letter);
        // TeX ends a control word at a space and drops it: `Stra\ss e`.
        return if chars.get(end) == Some(&' ') { end + 1 } else { end };
    }
    out.push_str(tex_symbol(&name).unwrap_or(&name));
    end
}

/// The letter an accent applies to at `at`: `u`, `{u}`, ` u`, `{\i}`; returns
/// it and the index after it.
fn accent_target(chars: &[char], at: usize) -> Option<(char, usize)> {
    let (braced, at) = match chars.get(at) {
        Some('{') => (true, at + 1),
        Some(' ') => (false, at + 1),
        _ => (false, at),
    };
    let (letter, after) = match (chars.get(at), chars.get(at + 1)) {
        (Some('\\'), Some(&dotless @ ('i' | 'j'))) => (dotless, at + 2),
        (Some(&c), _) if c.is_alphabetic() => (c, at + 1),
        _ => return None,
    };
    match (braced, chars.get(after)) {
        (true, Some('}')) => Some((letter, after + 1)),
        (true, _) => None,
        (false, _) => Some((letter, after)),
    }
}

fn tex_letter(command: &str) -> Option<&'static str> {
    Some(match command {
        "ss" => "ß",
        "o" => "ø",
        "O" => "Ø",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "aa" => "å",
        "AA" => "Å",
        "l" => "ł",
        "L" => "Ł",
        "i" => "ı",
        _ => return None,
    })
}

fn tex_symbol(command: &str) -> Option<&'static str> {
    Some(match command {
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "epsilon" | "varepsilon" => "ε",
        "lambda" => "λ",
        "mu" => "μ",
        "pi" => "π",
        "sigma" => "σ",
        "theta" => "θ",
        "times" => "×",
        "cdot" => "·",
        "leq" | "le" => "≤",
        "geq" | "ge" => "≥",
        "approx" => "≈",
        "infty" => "∞",
        "rightarrow" | "to" => "→",
        "ell" => "ℓ",
        "emph" | "textbf" | "textit" | "texttt" | "textrm" | "textsf" | "mathbf" | "mathcal" | "mathrm"
        | "mathbb" | "mathit" | "boldsymbol" | "text" | "textsc" | "operatorname" | "mbox" | "url"
        | "left" | "right" => "",
        _ => return None,
    })
}

/// `mark` applied to `letter` as one composed character (`"`, `u` -> `ü`).
fn accent(mark: char, letter: char) -> Option<char> {
    let combining = match mark {
        '"' => '\u{308}',
        '\'' => '\u{301}',
        '`' => '\u{300}',
        '^' => '\u{302}',
        '~' => '\u{303}',
        '=' => '\u{304}',
        '.' => '\u{307}',
        'u' => '\u{306}',
        'v' => '\u{30c}',
        'H' => '\u{30b}',
        'r' => '\u{30a}',
        'c' => '\u{327}',
        'k' => '\u{328}',
        _ => return None,
    };
    let composed = super::unicode::nfc(&String::from_iter([letter, combining]));
    let mut composed = composed.chars();
    match (composed.next(), composed.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
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
        check_tex(
            "{\\\"u}ber Stra\\ss e, Fran\\c{c}ais, \\v{S}koda, Erd\\H{o}s",
            "über Straße, Français, Škoda, Erdős",
        );
        check_tex("Na\\\"{\\i}ve \\textbf{bold} and \\'{e}t\\'e", "Naïve bold and été");
        check_tex("Costs $100 and \\$5", "Costs $100 and $5");
        check_tex("Trailing \\", "Trailing");
        check_tex("\\\"", "\"");
        check_tex("D.~E. Knuth", "D. E. Knuth");
        check_tex("Section~3 of $a~b$", "Section 3 of a b");
        check_tex("Espa\\~{n}a and Espa\\~na", "España and España");
    }

    #[track_caller]
    fn check_authors(input: &str, expected: &[&str]) {
        assert_eq!(split_authors(input), expected, "split_authors({input:?})");
    }

    #[test]
    fn author_lists_split_in_every_common_style() {
        check_authors("Ada Lovelace; Alan Turing", &["Ada Lovelace", "Alan Turing"]);
        check_authors("Lovelace, Ada; Turing, Alan", &["Ada Lovelace", "Alan Turing"]);
        check_authors("A. Einstein, B. Podolsky and N. Rosen", &["A. Einstein", "B. Podolsky", "N. Rosen"]);
        check_authors("Vaswani, Ashish and Shazeer, Noam", &["Ashish Vaswani", "Noam Shazeer"]);
        check_authors("Ada Lovelace and Alan Turing", &["Ada Lovelace", "Alan Turing"]);
        check_authors(" , ;", &[]);
    }

    #[track_caller]
    fn check_author_field(input: &str, expected: &[&str]) {
        assert_eq!(author_names(input), expected, "author_names({input:?})");
    }

    #[test]
    fn one_author_field_reads_last_first_and_generations() {
        check_author_field("Vaswani, Ashish", &["Ashish Vaswani"]);
        check_author_field("Carson, William E 3rd", &["William E Carson 3rd"]);
        check_author_field("King, Martin Luther, Jr.", &["Martin Luther King Jr."]);
        check_author_field("Selvamani", &["Selvamani"]);
        check_author_field("Doe, J.; Roe, R.", &["J. Doe", "R. Roe"]);
    }

    #[test]
    fn ids_are_normalized() {
        assert_eq!(normalize_arxiv("2401.12345v2").as_deref(), Some("2401.12345"));
        assert_eq!(normalize_arxiv("arXiv:hep-th/9901001").as_deref(), Some("hep-th/9901001"));
        assert_eq!(normalize_arxiv("https://arxiv.org/abs/2312.00001v1").as_deref(), Some("2312.00001"));
        assert_eq!(normalize_arxiv("NeurIPS2023:abc"), None);
        assert_eq!(
            normalize_doi("https://doi.org/10.18653/V1/2024.ACL-LONG.1").as_deref(),
            Some("10.18653/v1/2024.acl-long.1")
        );
        assert_eq!(normalize_doi("none"), None);
    }

    #[test]
    fn formats_are_detected_by_extension_then_content() {
        assert_eq!(Format::detect("a.jsonl.gz", ""), Format::JsonLines);
        let lines = "{\"id\": \"0704.0001\"}\n{\"id\": \"0704.0002\"}\n";
        assert_eq!(Format::detect("arxiv-metadata-oai-snapshot.json", lines), Format::JsonLines);
        assert_eq!(Format::detect("one.json", "{\"papers\": []}\n"), Format::Json);
        assert_eq!(Format::detect("pretty.json", "{\n  \"papers\": [\n{}]}"), Format::Json);
        assert_eq!(Format::detect("list.json", "[{}]\n[{}]"), Format::Json);
        assert_eq!(Format::detect("refs.bib", ""), Format::BibTex);
        assert_eq!(Format::detect("x", "  [ {} ]"), Format::Json);
        assert_eq!(Format::detect("x", "{\"a\":1}\n"), Format::JsonLines);
        assert_eq!(Format::detect("x", "@article{a,"), Format::BibTex);
        assert_eq!(Format::detect("papers.tsv", "a\tb"), Format::Tsv);
        assert_eq!(Format::detect("seed.txt", "Title\nAbstract"), Format::Listing);
        assert_eq!(Format::detect("papers", "Title,Abstract\nx,y"), Format::Csv);
        assert_eq!(Format::detect("papers", "title\tabstract\nx\ty"), Format::Tsv);
        assert_eq!(Format::detect("papers", "A Title, With a Comma\nIts abstract"), Format::Listing);
        assert_eq!(year_in("Mon, 2 Apr 2007 19:18:42 GMT"), Some(2007));
    }
}
