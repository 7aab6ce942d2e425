//! `wasec milestones FILE`: the milestones recorded in a review and, with
//! `--tool`, those of its linked WA Tool workload; and the milestone side
//! of `wasec diff FILE --milestone NAME`.

use super::Ctx;
use anyhow::bail;
use clap::Args;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wasec_core::Review;
use wasec_core::review::Milestone;

#[derive(Debug, Args)]
pub struct MilestonesArgs {
    /// The review file.
    pub file: PathBuf,
    /// Also list the linked workload's milestones in the WA Tool (needs AWS access).
    #[cfg(feature = "aws")]
    #[arg(long)]
    pub tool: bool,
    #[cfg(feature = "aws")]
    #[command(flatten)]
    pub aws: super::watool::AwsArgs,
    /// Machine-readable output: {"review": [...], "tool": [...]}.
    #[arg(long)]
    pub json: bool,
}

/// A review milestone as JSON (read through serde, so the shape of scores
/// can change without this file).
fn review_row(m: &Milestone) -> Value {
    let v = serde_json::to_value(m).unwrap_or(Value::Null);
    json!({
        "name": m.name,
        "created_at": v["created_at"],
        "score": v["score"],
        "high": v["counts"]["high"],
        "medium": v["counts"]["medium"],
    })
}

fn score_text(v: &Value) -> String {
    v.as_f64()
        .map(|s| format!("{s:.1}"))
        .unwrap_or_else(|| "-".into())
}

pub fn run(ctx: &Ctx, a: MilestonesArgs) -> anyhow::Result<ExitCode> {
    let review = ctx.load(&a.file)?;
    let rows: Vec<Value> = review.milestones.iter().map(review_row).collect();
    let tool = tool_rows(&a, &review)?;
    if a.json {
        super::output::json(&json!({ "review": rows, "tool": tool.as_ref().map(|t| &t.2) }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let l = ctx.lang;
    outln!(
        "{} ({})",
        l.pick("Milestones in the review", "レビュー内のマイルストーン"),
        a.file.display()
    )?;
    if rows.is_empty() {
        outln!("  {}", l.pick("none", "なし"))?;
    }
    for r in &rows {
        let when = r["created_at"].as_str().unwrap_or_default();
        outln!(
            "  {:<32} {:<25} {} {:>6}  {} {}  {} {}",
            r["name"].as_str().unwrap_or_default(),
            when,
            l.pick("score", "スコア"),
            score_text(&r["score"]),
            l.pick("high", "高"),
            r["high"],
            l.pick("medium", "中"),
            r["medium"]
        )?;
    }
    if let Some((id, region, list)) = tool {
        outln!(
            "{} ({id}, {region})",
            l.pick("Milestones in the WA Tool", "WA Tool のマイルストーン")
        )?;
        if list.is_empty() {
            outln!("  {}", l.pick("none", "なし"))?;
        }
        for m in list {
            let both = if review
                .milestones
                .iter()
                .any(|r| r.name == m["name"].as_str().unwrap_or_default())
            {
                l.pick("  (also in the review)", "（レビューにもあり）")
            } else {
                ""
            };
            outln!(
                "  {:>3} {:<32} {}{both}",
                m["number"],
                m["name"].as_str().unwrap_or_default(),
                m["recorded_at"].as_str().unwrap_or("-")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

type ToolRows = Option<(String, String, Vec<Value>)>;

#[cfg(feature = "aws")]
fn tool_rows(a: &MilestonesArgs, review: &Review) -> anyhow::Result<ToolRows> {
    if !a.tool {
        return Ok(None);
    }
    let (id, region, list) = super::watool::tool_milestones(&a.aws, review)?;
    let rows = list
        .iter()
        .map(|m| {
            let at = m.recorded_at.and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            });
            json!({ "number": m.number, "name": m.name, "recorded_at": at })
        })
        .collect();
    Ok(Some((id, region, rows)))
}

#[cfg(not(feature = "aws"))]
fn tool_rows(_a: &MilestonesArgs, _review: &Review) -> anyhow::Result<ToolRows> {
    Ok(None)
}

/// The two reviews `wasec diff` compares: OLD and NEW, or (with a
/// milestone) the review's answers at that milestone and the review now.
pub fn diff_pair(
    ctx: &Ctx,
    old: &Path,
    new: Option<&Path>,
    milestone: Option<&str>,
) -> anyhow::Result<(Review, Review)> {
    match (new, milestone) {
        (Some(new), None) => Ok((ctx.load(old)?, ctx.load(new)?)),
        (None, Some(name)) => {
            let now = ctx.load(old)?;
            let Some(m) = now.milestones.iter().find(|m| m.name == name) else {
                let names: Vec<&str> = now.milestones.iter().map(|m| m.name.as_str()).collect();
                bail!(
                    "{} has no milestone {name:?} (it has: {}); `wasec milestones {}` lists them",
                    old.display(),
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    },
                    old.display()
                );
            };
            let mut then = now.clone();
            then.answers = m.answers.clone();
            Ok((then, now))
        }
        _ => bail!("pass NEW (a second review file) or --milestone NAME"),
    }
}
