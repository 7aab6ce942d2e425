//! `wasec collect` and `wasec iam-policy`: evidence from AWS.
//! OWNER: evidence work (issue 6). Placeholder until evidence lands.

use super::Ctx;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CollectArgs {
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct IamPolicyArgs {}

pub fn collect(_ctx: &Ctx, _args: CollectArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("evidence collection is not built yet")
}

pub fn iam_policy(_ctx: &Ctx, _args: IamPolicyArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("evidence collection is not built yet")
}
