//! `wasec report`: PDF, Markdown, HTML, CSV and JSON exports.
//! OWNER: report work (issue 4). Placeholder until reports land.

use super::Ctx;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The review file (or --demo).
    pub file: Option<PathBuf>,
}

pub fn run(_ctx: &Ctx, _args: ReportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("reports are not built yet")
}
