//! `folio pack`: the app pack of a bundle (its indexes precomputed, what the
//! browser app loads instead of indexing `bundle.json` itself).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use folio::engine::bundle::Bundle;
use folio::engine::explorer::Explorer;

use crate::atomic_write::write_atomically;

/// `folio pack BUNDLE --out FILE`.
#[derive(Args)]
pub struct PackArgs {
    /// A bundle written by `folio compile`.
    bundle: PathBuf,
    /// Where to write the pack (atomically); the app looks for `bundle.pack`
    /// beside `bundle.json`.
    #[arg(long, short)]
    out: PathBuf,
}

pub fn run(args: PackArgs) -> Result<ExitCode> {
    let path = args.bundle.display();
    let json = std::fs::read_to_string(&args.bundle).with_context(|| format!("{path}: cannot read"))?;
    let bundle = Bundle::from_json(&json).with_context(|| format!("{path}: not a readable bundle"))?;
    let bytes = pack_of(bundle)?;
    write_atomically(&args.out, &bytes)?;
    eprintln!("folio: wrote the app pack {} ({:.1} MB)", args.out.display(), bytes.len() as f64 / 1e6);
    Ok(ExitCode::SUCCESS)
}

/// The pack's bytes.
pub fn pack_of(bundle: Bundle) -> Result<Vec<u8>> {
    Ok(Explorer::new(bundle).into_pack()?)
}
