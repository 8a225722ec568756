//! `folio search` (not yet implemented).

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

#[derive(Args)]
pub struct SearchArgs {}

pub fn run(_args: SearchArgs) -> Result<ExitCode> {
    anyhow::bail!("folio search is not implemented yet")
}
