//! BibTeX: `@article`, `@inproceedings`, `@misc`, ... entries with `title`,
//! `abstract`, `author`, `year`, `keywords`, `eprint`, `doi`, `url`; braces,
//! TeX accents and `@string` macros are resolved by the `biblatex` crate.
//!
//! `biblatex` stops at the first problem of a file. So that every broken
//! entry is reported (and a duplicate citation key, common in exported
//! libraries, only warned about), a file that does not parse as a whole is
//! read again one entry at a time, each with the file's `@string` macros.
//! Input that would make `biblatex` recurse without bound (macros defined
//! through themselves, braces nested very deep) is reported and left out
//! before it reaches the crate.
//!
//! An entry inherits venue and year from its `crossref` parent, found in
//! its own file or in another BibTeX input of the compile ([`Shared`]); a
//! volume (`@proceedings`, `@book`, ...) that an entry names as its parent
//! is that entry's venue, not a paper of its own.

use std::collections::{HashMap, HashSet};

use biblatex::{Bibliography, ChunksExt, Entry, EntryType, RawBibliography, RawChunk};

use super::{finish, keywords_cut_by, keywords_of, readable_tex_text, tex_journals, year_in, Record};
use crate::engine::bundle::metadata::Metadata;
use crate::engine::diagnostic::Diagnostic;

/// What the BibTeX inputs of one compile share: their `@string` macros
/// (journal macros often live in a file of their own, `abbrev.bib`) and
/// the volumes their entries name in `crossref` (proceedings too:
/// `crossref.bib`).
#[derive(Debug, Default)]
pub struct Shared {
    /// The `@string` definitions of every input (see [`macro_definitions`]).
    macros: String,
    /// The keys that an entry which is not itself a volume names in its
    /// `crossref`: a volume with one of these keys is a parent, not a paper.
    parents: HashSet<String>,
    /// Each parent's entry text, by key, from the first input defining it.
    volumes: HashMap<String, String>,
}

impl Shared {
    /// What `texts`, the BibTeX inputs of a compile, share.
    pub fn of<'t>(texts: impl IntoIterator<Item = &'t str> + Clone) -> Shared {
        let mut shared = Shared::default();
        for text in texts.clone() {
            shared.macros.push_str(&macro_definitions(text));
            shared.parents.extend(crossref_parents(text));
        }
        for text in texts {
            for (start, end) in entry_chunks(text) {
                let chunk = &text[start..end];
                if let Some(key) = key_of(chunk).filter(|key| shared.parents.contains(key)) {
                    shared.volumes.entry(key).or_insert_with(|| readable_keys(chunk));
                }
            }
        }
        shared
    }
}

/// Reads BibTeX text with what the other BibTeX inputs share: their
/// `@string` macros, used where the file defines none itself, and the
/// `crossref` parents it names but does not hold.
pub fn read(file: &str, text: &str, shared: &Shared) -> (Vec<Record>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut records = Vec::new();
    let keyed = readable_keys(text);
    let text = keyed.as_str();
    let chunks = entry_chunks(text);
    let entries = chunks.iter().filter(|&&(s, e)| is_entry(&text[s..e])).count();
    // A file of macros only (`@string`s for other files) is fine as it is.
    if entries == 0 && chunks.iter().any(|&(s, e)| is_macro_definition(&text[s..e])) {
        return (records, diagnostics);
    }
    let family = Family::of(text, &chunks, shared);
    // The shared macros and the parents from other inputs go after the
    // text: biblatex resolves a macro from its first definition, wherever
    // it is, and every offset in the text stays the file's own.
    let borrowed: String = family.borrowed.iter().flat_map(|(_, chunk)| ["\n", chunk.as_str()]).collect();
    let source = match (shared.macros.is_empty(), borrowed.is_empty()) {
        (true, true) => text.to_owned(),
        _ => format!("{text}\n{}{borrowed}", shared.macros),
    };
    let whole = match RawBibliography::parse(&source) {
        // Fewer entries than `@` lines: a stray brace swallowed some.
        Ok(raw)
            if raw.entries.len() == entries + family.borrowed.len()
                && runaway_macros(&raw).is_empty()
                && deepest_braces(text).is_none() =>
        {
            resolve(raw).ok()
        }
        _ => None,
    };
    match whole {
        Some(Resolved { bibliography, parents, mut undefined }) => {
            undefined.retain(|u| u.1 < text.len());
            report_undefined(file, text, &undefined, &|offset| offset, &mut diagnostics);
            let starts: Vec<usize> = chunks.iter().map(|&(start, _)| start).collect();
            let mut missing = Missing::default();
            for entry in bibliography.iter().filter(|entry| family.is_paper(entry)) {
                let line = line_at(text, entry_start(&starts, entry, text.len()));
                let parent = missing.parent(parents.get(&entry.key), line, |key| bibliography.get(key));
                records.extend(record_of(file, line, entry, parent, &source, &mut diagnostics));
            }
            missing.report(file, &mut diagnostics);
        }
        None => read_entry_by_entry(file, text, shared, &family, &mut records, &mut diagnostics),
    }
    if entries == 0 && diagnostics.is_empty() {
        diagnostics.push(Diagnostic::error(file, 1, "no BibTeX entries found"));
    }
    (records, diagnostics)
}

/// The `crossref` relations of one file: which of its entries are parents
/// (its own and those of the other inputs), and the parents it names that
/// another input holds (key and entry text), read with it.
struct Family<'s> {
    shared: &'s Shared,
    /// Keys this file's entries (not volumes) name in `crossref`.
    parents: HashSet<String>,
    borrowed: Vec<(&'s str, &'s String)>,
    borrowed_keys: HashSet<&'s str>,
}

impl<'s> Family<'s> {
    fn of(text: &str, chunks: &[(usize, usize)], shared: &'s Shared) -> Family<'s> {
        let parents: HashSet<String> = crossref_parents(text).collect();
        let own: HashSet<String> = chunks.iter().filter_map(|&(s, e)| key_of(&text[s..e])).collect();
        let mut borrowed: Vec<(&str, &String)> = parents
            .iter()
            .filter(|key| !own.contains(*key))
            .filter_map(|key| shared.volumes.get_key_value(key).map(|(k, v)| (k.as_str(), v)))
            .collect();
        borrowed.sort_unstable();
        let borrowed_keys = borrowed.iter().map(|(key, _)| *key).collect();
        Family { shared, parents, borrowed, borrowed_keys }
    }

    /// Whether `entry` is a paper: not a parent borrowed from another
    /// input, nor a volume some entry names as its parent.
    fn is_paper(&self, entry: &Entry) -> bool {
        let key = entry.key.as_str();
        let borrowed = self.borrowed_keys.contains(key);
        let parent = self.parents.contains(key) || self.shared.parents.contains(key);
        let parent_volume = parent && is_volume(&entry.entry_type);
        !borrowed && !parent_volume
    }
}

/// `crossref` keys that name no entry of any input: each is warned about
/// once, at the first entry naming it (the entries still come in).
#[derive(Default)]
struct Missing(Vec<(String, usize, usize)>);

impl Missing {
    /// The parent entry `key` names, found by `get`; a key that names none
    /// is noted as missing.
    fn parent<'b>(&mut self, key: Option<&String>, line: usize, get: impl Fn(&str) -> Option<&'b Entry>) -> Option<&'b Entry> {
        let key = key?;
        let found = get(key);
        if found.is_none() {
            match self.0.iter_mut().find(|m| &m.0 == key) {
                Some(known) => known.2 += 1,
                None => self.0.push((key.clone(), line, 1)),
            }
        }
        found
    }

    fn report(self, file: &str, diagnostics: &mut Vec<Diagnostic>) {
        for (key, line, uses) in self.0 {
            let times = if uses > 1 { format!(" ({uses} entries)") } else { String::new() };
            diagnostics.push(Diagnostic::warning(
                file,
                line,
                format!(
                    "crossref \"{key}\" names no entry in any input{times}: read without its venue and year \
                     (compile the file that defines it with this one)"
                ),
            ));
        }
    }
}

/// A volume: what a `crossref` parent is (`@proceedings`, `@book`,
/// `@collection`, `@reference`, `@periodical` and their multi-volume forms).
fn is_volume(kind: &EntryType) -> bool {
    kind.is_collection() || kind.is_multi_volume()
}

/// The keys that the entries of `text` which are not volumes name in
/// their `crossref` field.
fn crossref_parents(text: &str) -> impl Iterator<Item = String> + '_ {
    entry_chunks(text).into_iter().filter_map(move |(start, end)| {
        let chunk = &text[start..end];
        (is_entry(chunk) && !is_volume(&EntryType::new(&entry_kind(chunk)))).then(|| crossref_of(chunk)).flatten()
    })
}

/// The key an entry's `crossref` field names (`crossref = {key}` or
/// `"key"`), as [`readable_key`] writes it.
fn crossref_of(chunk: &str) -> Option<String> {
    let lower = chunk.to_ascii_lowercase();
    lower.match_indices("crossref").find_map(|(at, name)| {
        let before = lower[..at].chars().next_back();
        if !before.is_some_and(|c| c.is_whitespace() || c == ',') {
            return None;
        }
        let value = chunk[at + name.len()..].trim_start().strip_prefix('=')?.trim_start();
        let (close, value) = match value.chars().next()? {
            '{' => ('}', &value[1..]),
            '"' => ('"', &value[1..]),
            _ => return None,
        };
        let key = value[..value.find(close)?].trim();
        (!key.is_empty()).then(|| readable_key(key))
    })
}

/// The citation key of an entry chunk (`@article{key,`), as
/// [`readable_keys`] writes it.
fn key_of(chunk: &str) -> Option<String> {
    if !is_entry(chunk) {
        return None;
    }
    let line = chunk.lines().next()?;
    let open = line.find(['{', '('])?;
    let rest = &line[open + 1..];
    Some(readable_key(&rest[..rest.find(',')?]))
}

/// `text` as `biblatex` reads it right, at the same length (so every
/// offset and line stays where it was):
///
/// - every citation key made one that `biblatex` reads. BibTeX reads a key
///   up to its comma, braces and accents included (`m{\"u}ller2024`);
///   `biblatex` stops at a `}` or a space. Those become `_`. Keys only tell
///   entries apart and name `crossref` parents, which [`readable_key`]
///   changes the same way;
/// - an accent on a dotless i or j (`Ben{\'\i}tez`, as NASA ADS writes
///   it), which `biblatex` drops, is written on the letter (`\' i`).
fn readable_keys(text: &str) -> String {
    let text = accents_on_dotless_letters(text);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let chunk = &line[indent..];
        // `@article{key,`: the key runs from after the brace to the comma.
        let key = (chunk.starts_with('@') && is_entry(chunk))
            .then(|| chunk.find(['{', '(']))
            .flatten()
            .and_then(|open| Some((indent + open + 1, indent + open + 1 + chunk[open + 1..].find(',')?)));
        match key {
            Some((start, end)) => {
                out.push_str(&line[..start]);
                out.push_str(&readable_key(&line[start..end]));
                out.push_str(&line[end..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// `text` with `\'\i` (any symbol accent on `\i` or `\j`) written `\' i`:
/// the same accent on the same letter, which `biblatex` composes (`í`).
fn accents_on_dotless_letters(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("\\i") && !text.contains("\\j") {
        return text.into();
    }
    let mut bytes = text.as_bytes().to_vec();
    for at in 0..bytes.len().saturating_sub(3) {
        let accent = bytes[at] == b'\\' && b"'`^\"~=.".contains(&bytes[at + 1]);
        let dotless = bytes[at + 2] == b'\\' && matches!(bytes[at + 3], b'i' | b'j');
        if accent && dotless && !bytes.get(at + 4).is_some_and(u8::is_ascii_alphabetic) {
            bytes[at + 2] = b' ';
        }
    }
    // Only an ASCII byte was replaced by another: still UTF-8.
    String::from_utf8(bytes).map_or_else(|_| text.into(), Into::into)
}

/// A citation key as [`readable_keys`] writes it.
fn readable_key(key: &str) -> String {
    key.chars().map(|c| if c == '}' || c.is_whitespace() { '_' } else { c }).collect()
}

/// Warns once per macro that no `@string` defines: its uses were kept as its
/// name. `file_offset` maps an offset of the parsed source to the file's.
fn report_undefined(
    file: &str,
    text: &str,
    undefined: &[(String, usize, usize)],
    file_offset: &dyn Fn(usize) -> usize,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (name, first, uses) in undefined {
        let times = if *uses > 1 { format!(" ({uses} uses)") } else { String::new() };
        diagnostics.push(Diagnostic::warning(
            file,
            line_at(text, file_offset(*first)),
            format!(
                "@string macro \"{name}\" has no definition here{times}: kept as its name \
                 (define it with @string{{{name} = \"...\"}}, or compile the file that does with this one)"
            ),
        ));
    }
}

/// The `@string` definitions of `text` that parse, for the other BibTeX
/// inputs of a compile.
/// Only definitions that parse and do not recurse without end (see
/// [`runaway_macros`]) are given.
fn macro_definitions(text: &str) -> String {
    let chunks: Vec<&str> = entry_chunks(text)
        .into_iter()
        .map(|(start, end)| &text[start..end])
        .filter(|chunk| entry_kind(chunk) == "string" && RawBibliography::parse(chunk).is_ok())
        .collect();
    let all: String = chunks.iter().flat_map(|chunk| [*chunk, "\n"]).collect();
    let runaway = RawBibliography::parse(&all).map(|raw| runaway_macros(&raw).into_iter().map(str::to_owned).collect::<Vec<_>>());
    match runaway {
        Ok(runaway) if runaway.is_empty() => all,
        Ok(runaway) => chunks
            .into_iter()
            .filter(|chunk| {
                RawBibliography::parse(chunk)
                    .is_ok_and(|raw| raw.abbreviations.iter().all(|p| !runaway.iter().any(|r| r == p.key.v)))
            })
            .flat_map(|chunk| [chunk, "\n"])
            .collect(),
        Err(_) => String::new(),
    }
}

/// Whether text given as another format (a `.txt` that EndNote wrote) is
/// BibTeX: its first line that is not blank or a `%` comment opens an entry.
pub fn looks_like_bibtex(text: &str) -> bool {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('%'));
    // `entry_kind` reads after the `@`: a line without one (`Über ...`) is no entry.
    first.filter(|line| line.starts_with('@')).is_some_and(|line| {
        let kind = entry_kind(line);
        !kind.is_empty() && line[1..].trim_start()[kind.len()..].trim_start().starts_with(['{', '('])
    })
}

fn read_entry_by_entry(
    file: &str,
    text: &str,
    shared: &Shared,
    family: &Family<'_>,
    records: &mut Vec<Record>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let chunks: Vec<(usize, usize)> = entry_chunks(text)
        .into_iter()
        .filter(|&(start, end)| match deepest_braces(&text[start..end]) {
            Some(offset) => {
                diagnostics.push(syntax_problem(
                    file,
                    text,
                    start + offset,
                    &format!("braces nested over {MAX_DEPTH} levels deep"),
                ));
                false
            }
            None => true,
        })
        .collect();
    // Macros first, wherever they are, as BibTeX itself needs them before use.
    let mut macro_chunks = Vec::new();
    for &(start, end) in &chunks {
        let chunk = &text[start..end];
        if !is_macro_definition(chunk) {
            continue;
        }
        match RawBibliography::parse(chunk) {
            Ok(_) => macro_chunks.push((start, end)),
            Err(err) => diagnostics.push(macro_problem(file, text, start + err.span.start, &err.kind.to_string())),
        }
    }
    let mut macros: String =
        macro_chunks.iter().map(|&(start, end)| format!("{}\n", &text[start..end])).collect();
    if let Ok(raw) = RawBibliography::parse(&macros) {
        let runaway = runaway_macros(&raw);
        if !runaway.is_empty() {
            // Offsets in `macros` back to the chunk (and file offset) they came from.
            let mut chunk_at = Vec::new();
            let mut offset = 0;
            for &(start, end) in &macro_chunks {
                chunk_at.push((offset, start));
                offset += end - start + 1;
            }
            let file_offset = |at: usize| {
                let i = chunk_at.partition_point(|&(o, _)| o <= at).saturating_sub(1);
                chunk_at.get(i).map_or(0, |&(o, start)| start + at - o)
            };
            let mut dropped = Vec::new();
            for pair in raw.abbreviations.iter().filter(|p| runaway.contains(&p.key.v)) {
                let at = file_offset(pair.key.span.start);
                diagnostics.push(macro_problem(
                    file,
                    text,
                    at,
                    &format!(
                        "@string macro \"{}\" is defined through itself (or nests over {MAX_DEPTH} levels)",
                        pair.key.v
                    ),
                ));
                dropped.push(at);
            }
            macros = macro_chunks
                .iter()
                .filter(|&&(start, end)| !dropped.iter().any(|&at| (start..end).contains(&at)))
                .map(|&(start, end)| format!("{}\n", &text[start..end]))
                .collect();
        }
    }
    // Shared macros only when they cannot make this file's recurse without
    // end (a cycle through two files).
    let with_shared = format!("{macros}{}", shared.macros);
    if RawBibliography::parse(&with_shared).is_ok_and(|raw| runaway_macros(&raw).is_empty()) {
        macros = with_shared;
    }
    // The parents this file's entries name, read first (BibTeX wants a
    // parent after its children): its own, and those of other inputs.
    let mut volumes: HashMap<String, Entry> = HashMap::new();
    let own_parents = chunks
        .iter()
        .map(|&(start, end)| &text[start..end])
        .filter(|chunk| key_of(chunk).is_some_and(|key| family.parents.contains(&key)));
    for chunk in own_parents.chain(family.borrowed.iter().map(|(_, chunk)| chunk.as_str())) {
        let parsed = RawBibliography::parse(&format!("{macros}{chunk}")).ok().and_then(|raw| resolve(raw).ok());
        for entry in parsed.into_iter().flat_map(|resolved| resolved.bibliography) {
            volumes.entry(entry.key.clone()).or_insert(entry);
        }
    }
    let mut missing = Missing::default();
    let mut keys: HashMap<String, usize> = HashMap::new();
    for &(start, end) in &chunks {
        let chunk = &text[start..end];
        if is_macro_definition(chunk) || is_comment(chunk) {
            continue;
        }
        let source = format!("{macros}{chunk}");
        let (bibliography, parents, undefined) = match RawBibliography::parse(&source).and_then(resolve) {
            // Only the entry's own uses of undefined macros: not those in
            // the macro definitions, which every entry is parsed with.
            Ok(Resolved { bibliography, parents, undefined }) => {
                (bibliography, parents, undefined.into_iter().filter(|u| u.1 >= macros.len()).collect::<Vec<_>>())
            }
            Err(err) => {
                let at = err.span.start.saturating_sub(macros.len());
                // Still inside the entry at its end: a brace or quote never closed.
                diagnostics.push(if at >= chunk.trim_end().len() {
                    syntax_problem(file, text, start, "this entry is never closed (a brace or quote without its pair?)")
                } else {
                    syntax_problem(file, text, start + at, &err.kind.to_string())
                });
                continue;
            }
        };
        let line = line_at(text, start);
        for entry in bibliography.iter() {
            if let Some(first) = keys.insert(entry.key.clone(), line) {
                diagnostics.push(Diagnostic::warning(
                    file,
                    line,
                    format!("citation key \"{}\" is also used at line {first}", entry.key),
                ));
            }
            if family.is_paper(entry) {
                let parent = missing.parent(parents.get(&entry.key), line, |key| volumes.get(key));
                records.extend(record_of(file, line, entry, parent, &source, diagnostics));
            }
        }
        report_undefined(file, text, &undefined, &|at| start + at - macros.len(), diagnostics);
    }
    missing.report(file, diagnostics);
}

/// A parsed bibliography: its entries, each entry's `crossref` parent (key
/// -> parent key) and the macros used but not defined (name, offset of the
/// first use, uses).
struct Resolved {
    bibliography: Bibliography,
    parents: HashMap<String, String>,
    undefined: Vec<(String, usize, usize)>,
}

/// Resolves macros and TeX, but not `crossref`/`xdata`: biblatex follows
/// those by recursion, without end on a cycle. They are taken out and
/// returned for one level of inheritance instead. A macro no `@string`
/// defines (BibTeX warns and uses nothing; journal macros often live in
/// another file) is kept as its name rather than failing the entry.
fn resolve(mut raw: RawBibliography<'_>) -> Result<Resolved, biblatex::ParseError> {
    let mut parents = HashMap::new();
    let defined: HashSet<&str> = raw.abbreviations.iter().map(|pair| pair.key.v).collect();
    let mut undefined: Vec<(String, usize, usize)> = Vec::new();
    let mut keep_undefined = |value: &mut biblatex::Field<'_>| {
        for chunk in value.iter_mut() {
            if let RawChunk::Abbreviation(name) = chunk.v {
                if !defined.contains(name) && !is_month(name) {
                    match undefined.iter_mut().find(|u| u.0 == name) {
                        Some(known) => known.2 += 1,
                        None => undefined.push((name.to_owned(), chunk.span.start, 1)),
                    }
                    chunk.v = RawChunk::Normal(name);
                }
            }
        }
    };
    for pair in &mut raw.abbreviations {
        keep_undefined(&mut pair.value.v);
    }
    for entry in &mut raw.entries {
        let key = entry.v.key.v;
        entry.v.fields.retain(|pair| {
            let name = pair.key.v.to_ascii_lowercase();
            if name == "crossref" {
                let parent: String = pair
                    .value
                    .v
                    .iter()
                    .filter_map(|chunk| match chunk.v {
                        RawChunk::Normal(text) => Some(text),
                        RawChunk::Abbreviation(_) => None,
                    })
                    .collect();
                parents.insert(key.to_owned(), readable_key(parent.trim()));
            }
            name != "crossref" && name != "xdata"
        });
        for pair in &mut entry.v.fields {
            keep_undefined(&mut pair.value.v);
        }
    }
    Ok(Resolved { bibliography: Bibliography::from_raw(raw)?, parents, undefined })
}

/// BibTeX's built-in month macros (`jan` ... `dec`), which biblatex knows.
fn is_month(name: &str) -> bool {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    MONTHS.contains(&name.to_ascii_lowercase().as_str())
}

/// The fields a `crossref` parent passes on: where and when, not what.
const INHERITED: [&str; 5] = ["booktitle", "journal", "journaltitle", "year", "date"];

/// The record of `entry`, parsed from `source`; fields it lacks come from
/// its `crossref` parent (one level: a proceedings volume gives its papers
/// venue and year).
fn record_of(
    file: &str,
    line: usize,
    entry: &Entry,
    parent: Option<&Entry>,
    source: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Record> {
    let field = |name: &str| {
        let own = entry.get(name).map(|chunks| chunks.format_verbatim()).filter(|s| !s.trim().is_empty());
        let inherited = || {
            let parent = parent.filter(|_| INHERITED.contains(&name))?;
            parent.get(name).map(|chunks| chunks.format_verbatim()).filter(|s| !s.trim().is_empty())
        };
        own.or_else(inherited)
    };
    let authors = match entry.author() {
        Ok(persons) => persons
            .iter()
            // `and others` is BibTeX's "et al.", not a person.
            .filter(|p| !(p.name == "others" && p.given_name.is_empty() && p.prefix.is_empty()))
            .map(|p| [p.given_name.as_str(), p.prefix.as_str(), p.name.as_str(), p.suffix.as_str()].join(" "))
            .collect(),
        Err(_) => field("author").map(|a| super::split_authors(&a)).unwrap_or_default(),
    };
    let record = Record {
        line,
        title: field("title").map(|t| readable_tex_text(&t)).unwrap_or_default(),
        // biblatex has decoded its TeX; a title's leftover commands
        // (`\emph{x}`) go too, math stays (see `readable_tex_text`).
        abstract_text: field("abstract").unwrap_or_default(),
        metadata: Metadata {
            authors,
            year: field("year")
                .as_deref()
                .and_then(year_in)
                .or_else(|| field("date").as_deref().and_then(year_in)),
            date: field("date"),
            venue: field("journal")
                .or_else(|| field("journaltitle"))
                .or_else(|| field("booktitle"))
                // A volume's own title names its papers' venue (biblatex
                // gives a child the title of its parent as `booktitle`).
                .or_else(|| {
                    let volume = parent.filter(|p| is_volume(&p.entry_type))?;
                    volume.get("title").map(|chunks| chunks.format_verbatim()).filter(|s| !s.trim().is_empty())
                })
                .map(|venue| readable_venue(&venue)),
            url: field("url").map(|url| unescaped(&url)),
            code_url: None,
            doi: field("doi").map(|doi| unescaped(&doi)),
            arxiv: field("eprint")
                .filter(|_| {
                    field("eprinttype")
                        .or_else(|| field("archiveprefix"))
                        .is_none_or(|t| t.eq_ignore_ascii_case("arxiv"))
                })
                // Mendeley writes `arxivId`, some tools `arxiv`; Google Scholar
                // names the preprint in the venue ("arXiv preprint arXiv:2111.00396").
                .or_else(|| field("arxivid"))
                .or_else(|| field("arxiv"))
                .or_else(|| ["journal", "note", "howpublished"].iter().find_map(|name| arxiv_in(&field(name)?))),
            categories: field("primaryclass").into_iter().collect(),
            keywords: keywords(entry, &field, source),
        },
    };
    finish(file, record, diagnostics)
}

/// A verbatim field (`doi`, `url`) without the backslashes that escape
/// TeX's special characters in it: DBLP and Mendeley write
/// `10.1007/978-3-319-89366-2\_14`, which links nowhere as written.
fn unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next @ ('_' | '%' | '#' | '&' | '$' | '~' | '{' | '}')) if c == '\\' => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// A venue made readable: an AAS journal macro of a NASA ADS export
/// (`\apj`) becomes the journal's name, other TeX is decoded as in titles.
fn readable_venue(venue: &str) -> String {
    match tex_journals::journal_name(venue) {
        Some(name) => name.to_owned(),
        None => readable_tex_text(venue),
    }
}

/// The arXiv id that `text` names as `arXiv:2111.00396` (or a URL of it).
fn arxiv_in(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let at = lower
        .find("arxiv:")
        .map(|i| i + "arxiv:".len())
        .or_else(|| lower.find("arxiv.org/abs/").map(|i| i + "arxiv.org/abs/".len()))?;
    let id: String =
        text[at..].trim_start().chars().take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '}')).collect();
    super::normalize_arxiv(&id)
}

/// The fields reference managers keep tags in: `keywords` (Zotero, Better
/// BibTeX, JabRef, BibDesk, EndNote), `mendeley-tags` (Mendeley), `tags`; a
/// value appears once, in the order first seen. `source` is the text
/// `entry` was parsed from: see [`one_a_line`].
fn keywords(entry: &Entry, field: &dyn Fn(&str) -> Option<String>, source: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in ["keywords", "mendeley-tags", "tags"] {
        let Some(value) = field(name) else { continue };
        let raw = entry.get(name).and_then(|chunks| source.get(chunks.span()));
        let keywords = match raw.and_then(one_a_line) {
            Some(lines) => keywords_cut_by(lines, &[";"]),
            None => keywords_of([value.as_str()]),
        };
        for keyword in keywords {
            if !out.contains(&keyword) {
                out.push(keyword);
            }
        }
    }
    out
}

/// The keywords of a field written one a line, as EndNote's BibTeX export
/// writes them: its lines after the first start at the margin (a list that
/// an editor wrapped is indented), each a keyword (which may hold a comma:
/// `Databases, Protein`), a major topic's `*` dropped. `biblatex` would
/// join them with spaces into one.
fn one_a_line(raw: &str) -> Option<Vec<&str>> {
    let mut lines = raw.lines();
    lines.next()?;
    let at_margin = lines.clone().all(|line| !line.starts_with([' ', '\t']));
    let keywords: Vec<&str> = raw.lines().map(|line| line.trim().trim_start_matches('*').trim()).collect();
    (lines.next().is_some() && at_margin && !raw.contains('\\')).then_some(keywords)
}

/// How deep macros and braces may nest before `biblatex` could exhaust the
/// stack (it resolves both by recursion); real files stay far below.
const MAX_DEPTH: usize = 32;

/// The names of macros whose expansion never ends (defined through
/// themselves) or nests deeper than [`MAX_DEPTH`].
fn runaway_macros<'s>(raw: &RawBibliography<'s>) -> Vec<&'s str> {
    let mut uses: HashMap<&str, Vec<&str>> = HashMap::new();
    for pair in &raw.abbreviations {
        // biblatex expands a name with its first definition.
        uses.entry(pair.key.v).or_insert_with(|| {
            pair.value
                .v
                .iter()
                .filter_map(|chunk| match chunk.v {
                    RawChunk::Abbreviation(name) => Some(name),
                    RawChunk::Normal(_) => None,
                })
                .collect()
        });
    }
    /// The nesting depth of `name`, `None` when over the limit.
    fn depth<'s>(
        name: &'s str,
        level: usize,
        uses: &HashMap<&'s str, Vec<&'s str>>,
        known: &mut HashMap<&'s str, Option<usize>>,
    ) -> Option<usize> {
        if let Some(&found) = known.get(name) {
            return found;
        }
        if level > MAX_DEPTH {
            return None;
        }
        let mut deepest = Some(0);
        for &used in uses.get(name).map_or(&[][..], Vec::as_slice) {
            deepest = match (deepest, depth(used, level + 1, uses, known)) {
                (Some(a), Some(b)) => Some(a.max(b + 1)),
                _ => None,
            };
            if deepest.is_none() {
                break;
            }
        }
        known.insert(name, deepest);
        deepest
    }
    let mut known = HashMap::new();
    let mut runaway: Vec<&str> =
        uses.keys().copied().filter(|name| depth(name, 0, &uses, &mut known).is_none()).collect();
    runaway.sort_unstable();
    runaway
}

/// The offset where braces first nest deeper than [`MAX_DEPTH`], if they do.
fn deepest_braces(text: &str) -> Option<usize> {
    let mut level = 0usize;
    for (offset, byte) in text.bytes().enumerate() {
        match byte {
            b'{' => {
                level += 1;
                if level > MAX_DEPTH {
                    return Some(offset);
                }
            }
            b'}' => level = level.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// An entry that cannot be read: skipped, with where and why.
fn syntax_problem(file: &str, text: &str, offset: usize, message: &str) -> Diagnostic {
    let (line, col) = position(text, offset);
    Diagnostic::skipped(file, line, format!("BibTeX syntax error: {message}")).at_col(col)
}

/// An `@string` definition that cannot be used: left out (entries using it
/// keep the macro's name).
fn macro_problem(file: &str, text: &str, offset: usize, message: &str) -> Diagnostic {
    let (line, col) = position(text, offset);
    Diagnostic::warning(file, line, format!("BibTeX @string left out: {message}")).at_col(col)
}

/// The 1-based line and column of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let col = 1 + text.get(line_start..offset).map_or(0, |s| s.chars().count());
    (line_at(text, offset), col)
}

/// Byte ranges of the entries: each starts at an `@` that begins a line.
fn entry_chunks(text: &str) -> Vec<(usize, usize)> {
    let mut starts = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        if line.trim_start().starts_with('@') {
            starts.push(line_start + indent);
        }
        line_start += line.len();
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| (start, starts.get(i + 1).copied().unwrap_or(text.len())))
        .collect()
}

fn entry_kind(chunk: &str) -> String {
    chunk[1..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn is_macro_definition(chunk: &str) -> bool {
    matches!(entry_kind(chunk).as_str(), "string" | "preamble")
}

fn is_comment(chunk: &str) -> bool {
    entry_kind(chunk) == "comment"
}

/// Whether a chunk is a bibliography entry (not `@string`, `@preamble` or
/// `@comment`).
fn is_entry(chunk: &str) -> bool {
    !is_macro_definition(chunk) && !is_comment(chunk)
}

/// Where an entry starts: the last entry start (of `starts`) before its last
/// field. (A field that uses a macro has the span of the macro's definition,
/// which comes before the entry, or after the file for a shared macro; the
/// last field within the file is in the entry itself.)
fn entry_start(starts: &[usize], entry: &Entry, text_len: usize) -> usize {
    // A field spelled by a shared macro has a span past the file's text.
    let last_field = entry
        .fields
        .values()
        .map(|chunks| chunks.as_slice().span().start)
        .filter(|&start| start < text_len)
        .max()
        .unwrap_or(0);
    let index = starts.partition_point(|&start| start <= last_field);
    index.checked_sub(1).map_or(last_field, |i| starts[i])
}

fn line_at(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count()
}
