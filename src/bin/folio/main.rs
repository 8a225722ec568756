//! `folio`: the native command line. Each subcommand lives in its own module
//! and calls the engine; this file only parses arguments and maps errors to
//! exit codes (0 success, 1 bad input, 2 usage or IO error).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod atomic_write;
mod compile;
mod pack;
mod packed;
mod progress;
mod recommend;
mod search;
mod similar;
mod stats;

/// mimalloc returns the pages it frees to the system: a large compile's
/// resident memory follows what it holds as stages free their inputs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status when the input has problems (usage and IO errors exit 2).
pub const EXIT_BAD_INPUT: u8 = 1;

#[derive(Parser)]
#[command(name = "folio", version, about = "Folio: compile and explore collections of research papers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile corpus files into one JSON bundle for the explorer.
    Compile(compile::CompileArgs),
    /// Search a bundle from the command line (same engine as the browser).
    Search(search::SearchArgs),
    /// Print counts per field and facet of a bundle.
    Stats(stats::StatsArgs),
    /// Write the app pack of a bundle (indexes precomputed for the browser).
    Pack(pack::PackArgs),
    /// The papers most like one paper (paper vectors: docs/discovery.md).
    Similar(similar::SimilarArgs),
    /// The papers to read next for a list of liked papers (a tag's).
    Recommend(recommend::RecommendArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compile(args) => compile::run(args),
        Command::Search(args) => search::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Pack(args) => pack::run(args),
        Command::Similar(args) => similar::run(args),
        Command::Recommend(args) => recommend::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("folio: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
