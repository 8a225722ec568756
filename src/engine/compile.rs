//! Compiles input files into a [`Bundle`]: decode, read (any format), clean,
//! assign stable ids, merge duplicates, enrich.
//!
//! The compiler never fails half-way: it returns the bundle only when no
//! input had an error (nor a warning, with [`CompileOptions::strict`]), and
//! always returns every diagnostic it found.
//!
//! Ids: `arxiv:<id>` when the paper has an arXiv id, else `doi:<doi>`, else
//! [`stable_id`] of the title; so the same paper keeps its id (and the user's
//! tags) across rebuilds and corpus formats.

use std::collections::HashMap;

use super::bundle::{stable_id, Bundle, Paper, SourceFile, SourceRef, SCHEMA_VERSION};
use super::diagnostic::{has_errors, Diagnostic};
use super::enrich::{enrich_reporting, Dictionaries};
use super::formats::{bibtex, read_with, Format, Record};
use super::progress::{Stage, Step};
use super::text::{decode_text, title_key};
use super::unicode::strip_marks;

/// One input file: its display name (used in diagnostics) and its bytes.
pub struct Input<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// One input file the compiler owns ([`compile_owned`]): its bytes are
/// freed as soon as its records are read, before the next input's and
/// before enrichment (a million papers' JSON Lines are 1.3 GB).
pub struct OwnedInput {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What the compiler reads an input through, borrowed or owned.
trait InputFile {
    fn name(&self) -> &str;
    fn bytes(&self) -> &[u8];
}

impl InputFile for &Input<'_> {
    fn name(&self) -> &str {
        self.name
    }
    fn bytes(&self) -> &[u8] {
        self.bytes
    }
}

impl InputFile for OwnedInput {
    fn name(&self) -> &str {
        &self.name
    }
    fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// The result of a compile: the bundle when there were no errors, and all
/// diagnostics (errors and warnings) in input order.
pub struct Compiled {
    pub bundle: Option<Bundle>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Compiled {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Records left out because they could not be read (each has a warning).
    pub fn skipped(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.skipped).count()
    }
}

/// How to compile.
#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    /// Entity aliases and taxonomy for enrichment (built in, plus `--entities`).
    pub dictionaries: Dictionaries,
    /// Read every input as this format instead of detecting it.
    pub format: Option<Format>,
    /// Field -> column or key name, for inputs with unusual names
    /// (`("title", "Paper Title")`); fields as in [`super::formats::FIELDS`].
    pub field_map: Vec<(String, String)>,
    /// Warnings withhold the bundle too (`--strict`).
    pub strict: bool,
}

/// The stable id of a record.
pub fn paper_id(record: &Record) -> String {
    match (&record.metadata.arxiv, &record.metadata.doi) {
        (Some(arxiv), _) => format!("arxiv:{arxiv}"),
        (None, Some(doi)) => format!("doi:{doi}"),
        (None, None) => stable_id(&record.title),
    }
}

pub fn compile(inputs: &[Input<'_>], options: &CompileOptions) -> Compiled {
    compile_reporting(inputs, options, &mut |_| {})
}

/// [`compile`], reporting its progress to `report` (see [`super::progress`]).
pub fn compile_reporting(
    inputs: &[Input<'_>],
    options: &CompileOptions,
    report: &mut dyn FnMut(Step),
) -> Compiled {
    compile_onto(Vec::new(), Vec::new(), inputs, options, report)
}

/// [`compile_reporting`] of inputs the compiler owns: each one's bytes are
/// dropped once it is read (the CLI's way: the peak memory of a large
/// compile is in enrichment, which then no longer holds the inputs).
pub fn compile_owned(
    inputs: Vec<OwnedInput>,
    options: &CompileOptions,
    report: &mut dyn FnMut(Step),
) -> Compiled {
    compile_files(Vec::new(), Vec::new(), inputs, options, report)
}

/// [`compile_reporting`] of `inputs` added to an already compiled corpus
/// (the `papers` and `sources` of a bundle): its papers come first, and a
/// new record that is one of them merges into it exactly as a duplicate
/// between two inputs does. The whole corpus is enriched again.
pub fn compile_onto(
    papers: Vec<Paper>,
    sources: Vec<SourceFile>,
    inputs: &[Input<'_>],
    options: &CompileOptions,
    report: &mut dyn FnMut(Step),
) -> Compiled {
    compile_files(papers, sources, inputs.iter().collect(), options, report)
}

fn compile_files<I: InputFile>(
    mut papers: Vec<Paper>,
    mut sources: Vec<SourceFile>,
    inputs: Vec<I>,
    options: &CompileOptions,
    report: &mut dyn FnMut(Step),
) -> Compiled {
    let total_bytes: u64 = inputs.iter().map(|i| i.bytes().len() as u64).sum();
    let mut bytes_read = 0u64;
    let mut diagnostics = Vec::new();
    // Id -> index in `papers`; title key -> the indexes of the papers with that title.
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, paper) in papers.iter().enumerate() {
        let alternate = paper.metadata.doi.iter().filter(|_| paper.metadata.arxiv.is_some());
        for id in std::iter::once(paper.id.clone()).chain(alternate.map(|doi| format!("doi:{doi}"))) {
            by_id.entry(id).or_insert(index);
        }
        let key = title_key(&paper.title);
        if !key.is_empty() {
            by_title.entry(key).or_default().push(index);
        }
    }

    // Each input's text and format, known before reading any: every
    // BibTeX input sees what the others share, their `@string`s (journal
    // and author macros often live in files of their own, `abbrev.bib`)
    // and their `crossref` parents (`crossref.bib`). (Decoding checks the
    // bytes and borrows them: cheap to do again as each is read.)
    let bibtex_texts = inputs
        .iter()
        .filter_map(|input| decoded(input, options).ok())
        .filter(|(_, format)| *format == Format::BibTex)
        .map(|(text, _)| text);
    let shared = bibtex::Shared::of(bibtex_texts);
    for input in inputs {
        report(Step { stage: Stage::Read, done: bytes_read, total: total_bytes, papers: papers.len() });
        bytes_read += input.bytes().len() as u64;
        let (text, format) = match decoded(&input, options) {
            Ok(decoded) => decoded,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        let name = input.name();
        let (records, found) = read_with(format, name, text, &options.field_map, &shared);
        let name = name.to_owned();
        // The records own their text: the input's bytes are not needed any more.
        drop(input);
        let skipped = found.iter().filter(|d| d.skipped).count();
        // Nothing read at all is the input's failure, not its records': a
        // file that is not what its name says, or not a corpus. (A BibTeX
        // file that yields no paper and skips no entry holds `@string`s or
        // `crossref` volumes for the others.)
        let for_others = format == Format::BibTex && records.is_empty() && skipped == 0;
        let unreadable = records.is_empty() && !has_errors(&found) && !for_others;
        diagnostics.extend(found);
        if unreadable {
            diagnostics.push(Diagnostic::error(
                &name,
                0,
                format!(
                    "no paper could be read from this file as {} ({skipped} record(s) skipped)",
                    format.name()
                ),
            ));
        }
        let mut count = 0;
        for record in records {
            let key = title_key(&record.title);
            let source = SourceRef { file: name.clone(), line: record.line };
            // A title-hash id is the title: say so.
            let id_kind =
                if record.metadata.arxiv.is_none() && record.metadata.doi.is_none() { "title" } else { "id" };
            // A paper known by its arXiv id is the same paper as one known
            // only by its DOI when they share that DOI: look up every id. A
            // title alone makes the same paper only with the same people.
            let same = |i: &usize| same_people(&papers[*i].metadata.authors, &record.metadata.authors);
            let duplicate = std::iter::once(paper_id(&record))
                .chain(alternate_ids(&record))
                .find_map(|id| by_id.get(&id).copied())
                .filter(|i| id_kind == "id" || same(i))
                .map(|i| (i, id_kind))
                .or_else(|| by_title.get(&key)?.iter().copied().find(same).map(|i| (i, "title")));
            if let Some((index, why)) = duplicate {
                let first = &mut papers[index];
                diagnostics.push(Diagnostic::warning(
                    &name,
                    record.line,
                    format!(
                        "duplicate of the paper at {}:{} (same {why}): merged into it",
                        first.source.file, first.source.line
                    ),
                ));
                let ids: Vec<String> = alternate_ids(&record).collect();
                merge_into(first, record);
                for id in ids {
                    by_id.entry(id).or_insert(index);
                }
                continue;
            }
            let id = unused_id(&record, &source, &by_id);
            by_id.insert(id.clone(), papers.len());
            for alternate in alternate_ids(&record) {
                by_id.entry(alternate).or_insert(papers.len());
            }
            // A title of only punctuation has an empty key: no basis to merge.
            if !key.is_empty() {
                by_title.entry(key).or_default().push(papers.len());
            }
            papers.push(paper_of(id, record, source));
            count += 1;
        }
        sources.push(SourceFile { file: name.clone(), format: format.name().to_owned(), papers: count });
    }

    // Errors always withhold the bundle; with --strict, so does any warning.
    let usable = |diagnostics: &[Diagnostic]| {
        if options.strict {
            diagnostics.is_empty()
        } else {
            !has_errors(diagnostics)
        }
    };
    if !usable(&diagnostics) {
        return Compiled { bundle: None, diagnostics };
    }
    report(Step { stage: Stage::Read, done: total_bytes, total: total_bytes, papers: papers.len() });
    let corpus = enrich_reporting(&mut papers, &options.dictionaries, report);
    let bundle = Bundle {
        schema_version: SCHEMA_VERSION,
        generator: format!("folio {}", env!("CARGO_PKG_VERSION")),
        sources,
        similar_blended: false,
        papers,
        corpus,
    };
    Compiled { bundle: Some(bundle), diagnostics }
}

/// An input's text and format (as `options` force it, else detected).
fn decoded<'i, I: InputFile>(
    input: &'i I,
    options: &CompileOptions,
) -> Result<(&'i str, Format), Diagnostic> {
    let text = decode_text(input.name(), input.bytes())?;
    Ok((text, options.format.unwrap_or_else(|| Format::detect(input.name(), text))))
}

/// Whether two author lists may name the same people: one of them is
/// empty, or their first authors share a name (`A. Vaswani` and `Vaswani,
/// Ashish`; `Zhang Wei` and `Wei Zhang`). Records that share only a title
/// are different papers: reviews of one book by several reviewers, a
/// reference manager's "Online reference" entries.
fn same_people(a: &[String], b: &[String]) -> bool {
    let names = |authors: &[String]| -> Vec<String> {
        let first = authors.first().map(|name| strip_marks(&title_key(name))).unwrap_or_default();
        first.split(' ').filter(|word| word.chars().count() > 1).map(str::to_owned).collect()
    };
    let (a, b) = (names(a), names(b));
    a.is_empty() || b.is_empty() || a.iter().any(|name| b.contains(name))
}

/// The record's id ([`paper_id`]) unless another paper has it (two papers
/// with one title and neither arXiv id nor DOI): then the hash of its
/// title and first author, else of its title, first author and year, else
/// of its title and place in the input.
fn unused_id(record: &Record, source: &SourceRef, by_id: &HashMap<String, usize>) -> String {
    let id = paper_id(record);
    if !by_id.contains_key(&id) {
        return id;
    }
    let author = record.metadata.authors.first().map(String::as_str).unwrap_or_default();
    let year = record.metadata.year.map(|y| y.to_string()).unwrap_or_default();
    let candidates = [
        format!("{} {author}", record.title),
        format!("{} {author} {year}", record.title),
        format!("{} {}:{}", record.title, source.file, source.line),
    ];
    candidates.iter().map(|text| stable_id(text)).find(|id| !by_id.contains_key(id)).unwrap_or(id)
}

/// The ids a record could also be known by: `doi:` when its id is `arxiv:`.
fn alternate_ids(record: &Record) -> impl Iterator<Item = String> + '_ {
    record.metadata.doi.iter().filter(|_| record.metadata.arxiv.is_some()).map(|doi| format!("doi:{doi}"))
}

fn paper_of(id: String, r: Record, source: SourceRef) -> Paper {
    Paper {
        id,
        title: r.title,
        abstract_text: r.abstract_text,
        metadata: r.metadata,
        source,
        enrichment: Default::default(),
    }
}

/// Fills the first record's missing metadata from a duplicate (see
/// [`super::bundle::metadata::Metadata::merge`]), and takes its abstract
/// when the first one's is under half as long: a placeholder or a cut-off.
fn merge_into(paper: &mut Paper, r: Record) {
    if paper.abstract_text.len() < r.abstract_text.len() / 2 {
        paper.abstract_text = r.abstract_text;
    }
    paper.metadata.merge(r.metadata);
}
