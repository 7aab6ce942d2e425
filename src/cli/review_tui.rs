//! `wasec review FILE` and the interactive `wasec demo`: the terminal UI.
//! OWNER: TUI work (issue 3). Placeholder until the TUI lands.

use super::Ctx;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use wasec_core::Review;

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The review file (created if it does not exist).
    pub file: PathBuf,
}

pub fn run(_ctx: &Ctx, _args: ReviewArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the terminal UI is not built yet")
}

/// Open the embedded demo review in the TUI (nothing is written to disk).
pub fn open_demo(ctx: &Ctx, review: Review) -> anyhow::Result<ExitCode> {
    super::review_cmds::print_summary(ctx, &review)
}
