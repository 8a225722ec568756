//! `folio`: the native command line: compiles corpora into bundles.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use folio::engine::compile::{compile, Input};
use folio::engine::diagnostic::Severity;

#[derive(Parser)]
#[command(name = "folio", version, about = "Folio: compile and explore collections of research papers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile corpus files into one JSON bundle for the explorer.
    Compile {
        /// Corpus files (paper-listing text: a title line, then an abstract line).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Where to write the bundle (written atomically: all or nothing).
        #[arg(long, short)]
        out: PathBuf,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
}

/// Exit status when the input has problems (usage and IO errors exit 2).
const EXIT_BAD_INPUT: u8 = 1;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compile { inputs, out, strict } => run_compile(&inputs, &out, strict),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("folio: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run_compile(paths: &[PathBuf], out: &Path, strict: bool) -> Result<ExitCode> {
    let mut contents = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
        contents.push((path.display().to_string(), bytes));
    }
    let inputs: Vec<Input<'_>> = contents.iter().map(|(name, bytes)| Input { name, bytes }).collect();
    let compiled = compile(&inputs);

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
            return Ok(ExitCode::from(EXIT_BAD_INPUT));
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
