//! The shape shared by the tagged-line exports of EndNote (`%T A title`),
//! Web of Science (`TI A title`) and PubMed's MEDLINE (`TI  - A title`):
//! one field a line, opened by a tag; the lines after it that carry no tag
//! continue its value. This module cuts a file into records of fields, with
//! the line of each record and a warning for what lies outside any record;
//! each format's reader says which tag is which paper field.

use super::{finish, Record};
use crate::engine::diagnostic::Diagnostic;

/// How one format writes its lines and records.
pub(super) struct Syntax {
    /// The format's name in messages ("Web of Science").
    pub name: &'static str,
    /// `(tag, value)` of a line that opens a field, `None` for any other line.
    pub tag_line: fn(&str) -> Option<(&str, &str)>,
    /// Whether a line without a tag continues the field before it (else it
    /// is outside any field: Web of Science and MEDLINE indent theirs).
    pub continues: fn(&str) -> bool,
    /// The tag that opens a record (`%0`, `PT`, `PMID`).
    pub opens: &'static str,
    /// Whether any tag opens a record when none is open (EndNote's refer
    /// files have no `%0`; a MEDLINE record may lack its `PMID`).
    pub any_tag_opens: bool,
    /// The tag that closes a record (`ER`), if records have one.
    pub closes: Option<&'static str>,
    /// Whether a blank line ends a record (the next tag then opens another).
    pub blank_line_ends: bool,
    /// Tags of the file's header and end, outside records (`FN`, `VR`, `EF`).
    pub file_tags: &'static [&'static str],
}

/// One field: its tag and its lines (the tag line's value, then each line
/// that continues it), trimmed, blank ones left out.
pub(super) struct Field<'t> {
    pub tag: &'t str,
    pub lines: Vec<&'t str>,
}

/// One record: where it starts (1-based line) and its fields in order.
pub(super) struct Tagged<'t> {
    pub line: usize,
    pub fields: Vec<Field<'t>>,
}

impl<'t> Tagged<'t> {
    /// The fields named by any of `tags`, in the record's order.
    fn named<'a>(&'a self, tags: &'a [&str]) -> impl Iterator<Item = &'a Field<'t>> + 'a {
        self.fields.iter().filter(move |f| tags.contains(&f.tag))
    }

    /// Each field named by any of `tags`, its lines joined by a space (a
    /// title or abstract wrapped over several lines).
    pub fn values<'a>(&'a self, tags: &'a [&str]) -> impl Iterator<Item = String> + 'a {
        self.named(tags).map(|f| f.lines.join(" ")).filter(|v| !v.is_empty())
    }

    /// The value of the first field named by `tags[0]`, else by `tags[1]`, ...
    pub fn first(&self, tags: &[&str]) -> Option<String> {
        tags.iter().find_map(|tag| self.values(&[tag]).next())
    }

    /// Every line of the fields named by any of `tags`: a list written one
    /// item a line (Web of Science's authors, EndNote's keywords).
    pub fn lines<'a>(&'a self, tags: &'a [&str]) -> impl Iterator<Item = &'t str> + 'a {
        self.named(tags).flat_map(|f| f.lines.iter().copied())
    }
}

/// Reads `text` as `syntax` writes it, each record's fields made a paper's
/// by `record_of`: every record with a title comes in; one without is
/// skipped with a warning, the rest of the file still read. Diagnostics in
/// line order.
pub(super) fn read(
    file: &str,
    text: &str,
    syntax: &Syntax,
    record_of: fn(&Tagged<'_>) -> Record,
) -> (Vec<Record>, Vec<Diagnostic>) {
    let (tagged, mut diagnostics) = records(file, text, syntax);
    let records = tagged.iter().filter_map(|t| finish(file, record_of(t), &mut diagnostics)).collect();
    diagnostics.sort_by_key(|d| d.line);
    (records, diagnostics)
}

/// Cuts `text` into records as `syntax` writes them. A record left open by
/// the next opening tag or the end of the file, when records have a closing
/// tag, is read with a warning; lines outside any record are counted in one
/// warning at the first of them.
fn records<'t>(file: &str, text: &'t str, syntax: &Syntax) -> (Vec<Tagged<'t>>, Vec<Diagnostic>) {
    let mut records = Vec::new();
    let mut diagnostics = Vec::new();
    let mut open: Option<Tagged<'t>> = None;
    let mut after_blank = false;
    let mut stray: Option<(usize, usize)> = None;
    let unclosed = |open: &Tagged<'_>, until: &str| {
        let closes = syntax.closes?;
        Some(Diagnostic::warning(
            file,
            open.line,
            format!("{} record has no {closes} line: read up to {until}", syntax.name),
        ))
    };
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = if index == 0 { line.trim_start_matches('\u{feff}') } else { line };
        if line.trim().is_empty() {
            after_blank = true;
            continue;
        }
        let blank_before = std::mem::take(&mut after_blank);
        let Some((tag, value)) = (syntax.tag_line)(line) else {
            match open.as_mut().and_then(|record| record.fields.last_mut()) {
                Some(field) if (syntax.continues)(line) => field.lines.push(line.trim()),
                _ => stray.get_or_insert((number, 0)).1 += 1,
            }
            continue;
        };
        if blank_before && syntax.blank_line_ends {
            records.extend(open.take());
        }
        if syntax.file_tags.contains(&tag) {
            if let Some(record) = open.take() {
                diagnostics.extend(unclosed(&record, &format!("the {tag} line")));
                records.push(record);
            }
            continue;
        }
        if Some(tag) == syntax.closes {
            match open.take() {
                Some(record) => records.push(record),
                None => stray.get_or_insert((number, 0)).1 += 1,
            }
            continue;
        }
        if tag == syntax.opens || (open.is_none() && syntax.any_tag_opens) {
            if let Some(record) = open.take() {
                diagnostics.extend(unclosed(&record, &format!("the next {}", syntax.opens)));
                records.push(record);
            }
            open = Some(Tagged { line: number, fields: Vec::new() });
        }
        match open.as_mut() {
            Some(record) => {
                let lines = if value.is_empty() { Vec::new() } else { vec![value] };
                record.fields.push(Field { tag, lines });
            }
            None => stray.get_or_insert((number, 0)).1 += 1,
        }
    }
    if let Some(record) = open.take() {
        diagnostics.extend(unclosed(&record, "the end of the file"));
        records.push(record);
    }
    if let Some((first, count)) = stray {
        diagnostics.push(Diagnostic::warning(
            file,
            first,
            format!("{count} line(s) outside any {} record ignored (the first is here)", syntax.name),
        ));
    }
    (records, diagnostics)
}
