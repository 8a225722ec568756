//! `folio compile`: reads corpus files, writes a bundle atomically.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use folio::engine::compile::{compile_owned, CompileOptions, OwnedInput};
use folio::engine::formats::{Format, FIELDS};

use crate::atomic_write::write_pending;
use crate::pack::Layout;
use crate::progress::{summarised, Bar};

/// `folio compile`: compile corpus files into one JSON bundle for the explorer.
#[derive(Args)]
pub struct CompileArgs {
    /// Corpus files: listing text, JSON Lines, JSON, BibTeX, CSV or TSV
    /// (detected from the extension, then the content; `.gz` is read too).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Read every input as this format: listing, jsonl, json, bibtex, ris, endnote, endnote-xml, wos, medline, csv, tsv.
    #[arg(long, value_parser = parse_format)]
    format: Option<Format>,
    /// Map a field to a column or key name, e.g. `--map title="Paper Title"`; repeatable.
    #[arg(long = "map", value_name = "FIELD=NAME", value_parser = parse_mapping)]
    map: Vec<(String, String)>,
    /// Where to write the bundle (written atomically: all or nothing).
    #[arg(long, short)]
    out: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// Extra entity/taxonomy dictionary (JSON, format in data/README.md); repeatable.
    #[arg(long = "entities", value_name = "FILE")]
    entities: Vec<PathBuf>,
    /// Also write the app pack (the bundle with its indexes precomputed, what
    /// the browser app loads first) to this file; see `folio pack`.
    #[arg(long, value_name = "FILE")]
    pack: Option<PathBuf>,
    /// The pack in one file, or a head and shards (`auto`: sharded above
    /// 8 MB; shards go to `shards/` beside the pack); see `folio pack`.
    #[arg(long, value_enum, default_value_t = Layout::Auto)]
    pack_layout: Layout,
    #[command(flatten)]
    shard_size: crate::pack::ShardSize,
    /// With `--pack`: the paper vectors and map it ships, and the blended
    /// similar papers (in the bundle too).
    #[command(flatten)]
    discovery: crate::pack::DiscoveryArgs,
    /// No progress bar (it is drawn only on a terminal anyway).
    #[arg(long, short)]
    quiet: bool,
    /// Every warning, not the first few of each kind.
    #[arg(long, short)]
    verbose: bool,
}

fn parse_format(text: &str) -> Result<Format, String> {
    Format::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        format!("unknown format {text:?}: use one of {}", names.join(", "))
    })
}

fn parse_mapping(text: &str) -> Result<(String, String), String> {
    let (field, name) = text.split_once('=').ok_or_else(|| format!("expected FIELD=NAME, got {text:?}"))?;
    let field = field.trim().to_ascii_lowercase();
    if !FIELDS.contains(&field.as_str()) {
        return Err(format!("unknown field {field:?}: use one of {}", FIELDS.join(", ")));
    }
    Ok((field, name.trim().trim_matches('"').to_owned()))
}

/// Reads a file, decompressing `.gz`.
fn read_input(path: &Path) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_end(&mut out)
            .with_context(|| format!("{}: not a valid gzip file", path.display()))?;
        return Ok(out);
    }
    Ok(bytes)
}

pub fn run(args: CompileArgs) -> Result<ExitCode> {
    let mut options = CompileOptions {
        format: args.format,
        field_map: args.map.clone(),
        strict: args.strict,
        ..Default::default()
    };
    for path in &args.entities {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
        if let Err(diagnostic) = options.dictionaries.extend_from_json(&path.display().to_string(), &text) {
            eprintln!("{diagnostic}");
            return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
        }
    }
    run_compile(&args, &options)
}

fn run_compile(args: &CompileArgs, options: &CompileOptions) -> Result<ExitCode> {
    let (paths, out, pack) = (&args.inputs, args.out.as_path(), args.pack.as_deref());
    let mut inputs = Vec::with_capacity(paths.len());
    for path in paths {
        inputs.push(OwnedInput { name: path.display().to_string(), bytes: read_input(path)? });
    }
    let mut bar = Bar::new(args.quiet);
    // The compiler drops each input once it is read.
    let compiled = compile_owned(inputs, options, &mut |step| bar.step(step));
    bar.finish();

    let (errors, warnings, skipped) = (compiled.errors(), compiled.warnings(), compiled.skipped());
    for line in summarised(&compiled.diagnostics, args.verbose) {
        eprintln!("{line}");
    }
    let Some(mut bundle) = compiled.bundle else {
        eprintln!(
            "folio: {errors} error(s), {warnings} warning(s){}; no bundle written",
            if options.strict && errors == 0 { " (--strict)" } else { "" }
        );
        return Ok(ExitCode::from(crate::EXIT_BAD_INPUT));
    };
    drop(compiled.diagnostics);
    // Before the bundle is written: it lists the blended similar papers the
    // pack ships (and says so, so that `folio pack` of it keeps them).
    let shipped = match pack {
        Some(_) => {
            let shipped = args.discovery.ship(&mut bundle, |what| bar.message(&format!("computing {what}")));
            bar.finish();
            shipped
        }
        None => None,
    };
    let papers = bundle.papers.len();
    let without_abstract = bundle.papers.iter().filter(|p| p.abstract_text.is_empty()).count();
    // Both files are made before either is put in place (an error while
    // making them leaves the old ones), then put in place one after the other.
    // The bundle is written as it is serialized, never held whole.
    bar.message("writing the bundle");
    let (json, records_bytes) = write_pending(out, |file| bundle.write_json(file))?;
    bar.finish();
    let pack = match pack {
        Some(path) => {
            bar.message("building the app pack");
            let layout = args.pack_layout.for_bundle(records_bytes);
            let files = crate::pack::pack_of(bundle, shipped, layout, args.shard_size.sizes());
            bar.finish();
            Some((path, files?))
        }
        None => None,
    };
    json.persist()?;
    let without_abstract = if without_abstract > 0 {
        format!(" ({without_abstract} without an abstract)")
    } else {
        String::new()
    };
    let skipped = if skipped > 0 { format!(", {skipped} record(s) skipped") } else { String::new() };
    eprintln!(
        "folio: compiled {papers} papers{without_abstract} from {} file(s) into {} ({warnings} warning(s){skipped})",
        paths.len(),
        out.display()
    );
    if let Some((path, files)) = pack {
        crate::pack::write_pack(path, &files)?;
    }
    Ok(ExitCode::SUCCESS)
}
