//! `folio stats` (not yet implemented).

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

#[derive(Args)]
pub struct StatsArgs {}

pub fn run(_args: StatsArgs) -> Result<ExitCode> {
    anyhow::bail!("folio stats is not implemented yet")
}
