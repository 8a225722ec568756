//! Compiles input files into a [`Bundle`]: decode, read, clean, assign ids.
//!
//! The compiler never fails half-way: it returns the bundle only when no
//! input had an error, and always returns every diagnostic it found.

use std::collections::HashMap;

use super::bundle::{stable_id, Bundle, Paper, SourceFile, SourceRef, SCHEMA_VERSION};
use super::diagnostic::{has_errors, Diagnostic};
use super::enrich::{enrich, Dictionaries};
use super::listing::parse_listing;
use super::text::decode_text;

/// One input file: its display name (used in diagnostics) and its bytes.
pub struct Input<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// The result of a compile: the bundle when there were no errors, and all
/// diagnostics (errors and warnings) in input order.
pub struct Compiled {
    pub bundle: Option<Bundle>,
    pub diagnostics: Vec<Diagnostic>,
}

/// How to compile.
#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    pub dictionaries: Dictionaries,
}

pub fn compile(inputs: &[Input<'_>], options: &CompileOptions) -> Compiled {
    let mut diagnostics = Vec::new();
    let mut sources = Vec::new();
    let mut papers: Vec<Paper> = Vec::new();
    let mut seen: HashMap<String, SourceRef> = HashMap::new();

    for input in inputs {
        let text = match decode_text(input.name, input.bytes) {
            Ok(text) => text,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        let (records, found) = parse_listing(input.name, &text);
        diagnostics.extend(found);
        let mut count = 0;
        for record in records {
            let id = stable_id(&record.title);
            let source = SourceRef { file: input.name.to_owned(), line: record.line };
            if let Some(first) = seen.get(&id) {
                diagnostics.push(Diagnostic::warning(
                    input.name,
                    record.line,
                    format!(
                        "duplicate of the paper at {}:{} (same title); kept the first",
                        first.file, first.line
                    ),
                ));
                continue;
            }
            seen.insert(id.clone(), source.clone());
            papers.push(Paper {
                id,
                title: record.title,
                abstract_text: record.abstract_text,
                authors: Vec::new(),
                year: None,
                source,
                enrichment: Default::default(),
            });
            count += 1;
        }
        sources.push(SourceFile { file: input.name.to_owned(), format: "listing".to_owned(), papers: count });
    }

    let (corpus, found) = enrich(&mut papers, &options.dictionaries);
    diagnostics.extend(found);
    let bundle = (!has_errors(&diagnostics)).then(|| Bundle {
        schema_version: SCHEMA_VERSION,
        generator: format!("folio {}", env!("CARGO_PKG_VERSION")),
        sources,
        papers,
        corpus,
    });
    Compiled { bundle, diagnostics }
}
