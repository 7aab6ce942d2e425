//! `wasec merge TARGET SHARD...`: combine evidence collected in several
//! runs (a CI matrix or batch array job, each with `collect --shard I/N`)
//! into one review. Per account, the newer collection wins; answers,
//! notes and follow-ups of TARGET are never touched.

use super::Ctx;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use wasec_core::evidence;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The review to merge into (its answers stay as they are).
    pub target: PathBuf,
    /// Review files whose evidence to take (the shards' outputs).
    #[arg(required = true)]
    pub sources: Vec<PathBuf>,
    /// Print what was taken as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Ctx, a: MergeArgs) -> anyhow::Result<ExitCode> {
    // Read every source first: a bad file stops the merge before the
    // target is touched.
    let sources = a
        .sources
        .iter()
        .map(|p| ctx.load(p).map(|r| (p, r)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let (mut file, mut review) = ctx.open(&a.target)?;
    let mut report = Vec::new();
    for (path, source) in &sources {
        for t in evidence::merge_from(&mut review, source) {
            report.push(serde_json::json!({
                "source": path.display().to_string(),
                "account": t.account,
                "taken": t.taken,
                "items": t.items,
            }));
        }
    }
    ctx.save(&mut file, &mut review)?;
    if a.json {
        super::output::json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let l = ctx.lang;
    for r in &report {
        let what = if r["taken"] == true {
            l.pick("taken", "取り込み")
        } else {
            l.pick("kept ours (newer)", "既存を維持（こちらが新しい）")
        };
        outln!(
            "{}  {}  {} {}  {what}",
            r["source"].as_str().unwrap_or(""),
            r["account"].as_str().unwrap_or(""),
            r["items"],
            l.pick("items", "件"),
        )?;
    }
    outln!(
        "{} {} ({} {})",
        l.pick("merged into", "マージ先:"),
        a.target.display(),
        evidence::accounts(&review).len(),
        l.pick("accounts", "アカウント")
    )?;
    Ok(ExitCode::SUCCESS)
}
