//! `wasec push`, `wasec pull` and `wasec lens export`: the AWS
//! Well-Architected Tool. OWNER: WA Tool work (issue 5). Placeholder.

use super::Ctx;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct PushArgs {
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct PullArgs {}

#[derive(Debug, Subcommand)]
pub enum LensCmd {
    /// Export the question set as a WA Tool custom lens JSON.
    Export {},
}

pub fn push(_ctx: &Ctx, _args: PushArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("WA Tool sync is not built yet")
}

pub fn pull(_ctx: &Ctx, _args: PullArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("WA Tool sync is not built yet")
}

pub fn lens(_ctx: &Ctx, _cmd: LensCmd) -> anyhow::Result<ExitCode> {
    anyhow::bail!("WA Tool sync is not built yet")
}
