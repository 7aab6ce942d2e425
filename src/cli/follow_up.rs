//! `wasec follow-up`: the follow-up actions of a review from a script
//! (add, list, change, remove), the same operations the TUI's `a` and `A`
//! keys perform. Positions are 1-based, as `list` prints them.

use super::Ctx;
use super::output;
use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use time::Date;
use wasec_core::review::{ActionStatus, FollowUp};

#[derive(Debug, Subcommand)]
pub enum FollowUpCmd {
    /// Add a follow-up action to a best practice.
    Add(AddArgs),
    /// List follow-up actions (all, or one best practice's).
    List(ListArgs),
    /// Change a follow-up action (status, text, owner, due date).
    Set(SetArgs),
    /// Remove a follow-up action.
    Remove(RemoveArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The review file.
    pub file: PathBuf,
    /// Best practice id, e.g. SEC02-BP05.
    pub bp: String,
    /// What is to be done.
    pub text: String,
    /// Who does it.
    #[arg(long, default_value = "")]
    pub owner: String,
    /// Due date, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    pub due: Option<Date>,
    /// open, in_progress, done or wont_do.
    #[arg(long, value_parser = parse_status, default_value = "open")]
    pub status: ActionStatus,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The review file.
    pub file: PathBuf,
    /// Only this best practice's actions.
    #[arg(long)]
    pub bp: Option<String>,
    /// JSON: [{bp, n, text, owner, due, status}].
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The review file.
    pub file: PathBuf,
    /// Best practice id, e.g. SEC02-BP05.
    pub bp: String,
    /// Position in the best practice's list (1 = first), as `list` shows.
    pub n: usize,
    /// New status: open, in_progress, done or wont_do.
    #[arg(long, value_parser = parse_status)]
    pub status: Option<ActionStatus>,
    /// New text.
    #[arg(long)]
    pub text: Option<String>,
    /// New owner.
    #[arg(long)]
    pub owner: Option<String>,
    /// Due date, YYYY-MM-DD; an empty string clears it.
    #[arg(long)]
    pub due: Option<String>,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The review file.
    pub file: PathBuf,
    /// Best practice id, e.g. SEC02-BP05.
    pub bp: String,
    /// Position in the best practice's list (1 = first), as `list` shows.
    pub n: usize,
}

fn parse_date(s: &str) -> Result<Date, String> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), fmt).map_err(|_| format!("'{s}' is not a date (expected YYYY-MM-DD)"))
}

fn parse_status(s: &str) -> Result<ActionStatus, String> {
    ActionStatus::parse(s.trim()).ok_or_else(|| {
        format!("unknown status '{s}' (expected open, in_progress, done or wont_do)")
    })
}

/// 1-based position from the command line to a list index.
fn index(n: usize) -> anyhow::Result<usize> {
    n.checked_sub(1)
        .context("positions start at 1 (see `wasec follow-up list`)")
}

pub fn run(ctx: &Ctx, cmd: FollowUpCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        FollowUpCmd::Add(a) => add(ctx, a),
        FollowUpCmd::List(a) => list(ctx, a),
        FollowUpCmd::Set(a) => set(ctx, a),
        FollowUpCmd::Remove(a) => remove(ctx, a),
    }
}

fn add(ctx: &Ctx, a: AddArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let bp = a.bp.trim().to_ascii_uppercase();
    if a.text.trim().is_empty() {
        bail!("the action text is empty");
    }
    let (file, mut review) = ctx.open(&a.file)?;
    let action = FollowUp {
        text: a.text.trim().to_string(),
        owner: a.owner.trim().to_string(),
        due: a.due,
        status: a.status,
    };
    review.add_follow_up(bank, &bp, action)?;
    ctx.save(&file, &mut review)?;
    outln!("{bp} #{}", review.follow_ups[&bp].len())?;
    Ok(ExitCode::SUCCESS)
}

fn set(ctx: &Ctx, a: SetArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let bp = a.bp.trim().to_ascii_uppercase();
    let i = index(a.n)?;
    let due = match a.due.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(d) => Some(Some(parse_date(d).map_err(anyhow::Error::msg)?)),
    };
    let (file, mut review) = ctx.open(&a.file)?;
    let mut action = review
        .follow_ups
        .get(&bp)
        .and_then(|v| v.get(i))
        .cloned()
        .with_context(|| format!("{bp} has no follow-up action number {}", a.n))?;
    if let Some(s) = a.status {
        action.status = s;
    }
    if let Some(t) = a.text {
        if t.trim().is_empty() {
            bail!("the action text is empty");
        }
        action.text = t.trim().to_string();
    }
    if let Some(o) = a.owner {
        action.owner = o.trim().to_string();
    }
    if let Some(d) = due {
        action.due = d;
    }
    review.set_follow_up(bank, &bp, i, action)?;
    ctx.save(&file, &mut review)?;
    Ok(ExitCode::SUCCESS)
}

fn remove(ctx: &Ctx, a: RemoveArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let bp = a.bp.trim().to_ascii_uppercase();
    let i = index(a.n)?;
    let (file, mut review) = ctx.open(&a.file)?;
    let gone = review.remove_follow_up(bank, &bp, i)?;
    ctx.save(&file, &mut review)?;
    outln!("removed {bp} #{}: {}", a.n, gone.text)?;
    Ok(ExitCode::SUCCESS)
}

/// One row of `list --json` (a stable interface for scripts).
#[derive(Serialize)]
struct Row<'a> {
    bp: &'a str,
    n: usize,
    text: &'a str,
    owner: &'a str,
    due: Option<String>,
    status: ActionStatus,
}

fn list(ctx: &Ctx, a: ListArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let only = a.bp.map(|b| b.trim().to_ascii_uppercase());
    if let Some(bp) = &only {
        bank.bp(bp)
            .with_context(|| format!("unknown best practice '{bp}'"))?;
    }
    let review = ctx.load(&a.file)?;
    let rows: Vec<Row> = review
        .follow_ups
        .iter()
        .filter(|(bp, _)| only.as_ref().is_none_or(|o| o == *bp))
        .flat_map(|(bp, list)| {
            list.iter().enumerate().map(move |(i, f)| Row {
                bp,
                n: i + 1,
                text: &f.text,
                owner: &f.owner,
                due: f.due.map(|d| d.to_string()),
                status: f.status,
            })
        })
        .collect();
    if a.json {
        output::json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let l = ctx.lang;
    if rows.is_empty() {
        outln!(
            "{}",
            l.pick("no follow-up actions", "フォローアップはありません")
        )?;
    }
    for r in &rows {
        let status = r.status.label(l);
        outln!(
            "{} #{} [{status}] {} · {} · {}",
            r.bp,
            r.n,
            r.text,
            if r.owner.is_empty() { "-" } else { r.owner },
            r.due.as_deref().unwrap_or("-")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
