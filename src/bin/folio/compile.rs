//! `folio compile`: reads corpus files, writes a bundle atomically.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::diagnostic::Severity;

/// `folio compile`: compile corpus files into one JSON bundle for the explorer.
#[derive(Args)]
pub struct CompileArgs {
    /// Corpus files (paper-listing text: a title line, then an abstract line).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Where to write the bundle (written atomically: all or nothing).
    #[arg(long, short)]
    out: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// Extra entity/taxonomy dictionary (JSON, format in data/README.md); repeatable.
    #[arg(long = "entities", value_name = "FILE")]
    entities: Vec<PathBuf>,
}

pub fn run(args: CompileArgs) -> Result<ExitCode> {
    let mut options = CompileOptions::default();
    for path in &args.entities {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
        if let Err(diagnostic) = options.dictionaries.extend_from_json(&path.display().to_string(), &text) {
            eprintln!("{diagnostic}");
            return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
        }
    }
    run_compile(&args.inputs, &args.out, args.strict, &options)
}

fn run_compile(paths: &[PathBuf], out: &Path, strict: bool, options: &CompileOptions) -> Result<ExitCode> {
    let mut contents = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
        contents.push((path.display().to_string(), bytes));
    }
    let inputs: Vec<Input<'_>> = contents.iter().map(|(name, bytes)| Input { name, bytes }).collect();
    let compiled = compile(&inputs, options);

    let errors = compiled.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = compiled.diagnostics.len() - errors;
    for diagnostic in &compiled.diagnostics {
        eprintln!("{diagnostic}");
    }
    let bundle = match compiled.bundle {
        Some(bundle) if !(strict && warnings > 0) => bundle,
        _ => {
            eprintln!(
                "folio: {errors} error(s), {warnings} warning(s){}; no bundle written",
                if strict && errors == 0 { " (--strict)" } else { "" }
            );
            return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
        }
    };
    write_atomically(out, bundle.to_json().as_bytes())?;
    eprintln!(
        "folio: compiled {} papers from {} file(s) into {} ({warnings} warning(s))",
        bundle.papers.len(),
        paths.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes to a temporary file beside `path`, then renames it into place, so a
/// reader never sees a half-written bundle.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("{}: cannot create a file in this folder", dir.display()))?;
    file.write_all(bytes).with_context(|| format!("{}: cannot write", path.display()))?;
    file.persist(path).with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}
