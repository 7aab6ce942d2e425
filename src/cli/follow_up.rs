//! `wasec follow-up`: the follow-up actions of a review from a script
//! (add, list, change, remove), the same operations the TUI's `a` and `A`
//! keys perform. Actions are named by their short id (`list` shows it),
//! which stays the same when other actions are added or removed.

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
    /// JSON: [{id, bp, text, owner, due, status, overdue}].
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The review file.
    pub file: PathBuf,
    /// The action's id, as `list` shows it (e.g. 3f9a).
    pub id: String,
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
    /// The action's id, as `list` shows it (e.g. 3f9a).
    pub id: String,
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

/// Where the action with this id is, with a hint when the user typed the
/// old `BP N` form or an id that does not exist.
fn locate(review: &wasec_core::Review, id: &str) -> anyhow::Result<(String, usize)> {
    review.locate_follow_up(id.trim()).map_err(|e| {
        let hint = if id.to_ascii_uppercase().starts_with("SEC") {
            " (actions are named by id now, not BP and position: see `wasec follow-up list`)"
        } else {
            " (see `wasec follow-up list` for the ids)"
        };
        anyhow::anyhow!("{e}{hint}")
    })
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
    let (mut file, mut review) = ctx.open(&a.file)?;
    let action = FollowUp {
        id: String::new(),
        text: a.text.trim().to_string(),
        owner: a.owner.trim().to_string(),
        due: a.due,
        status: a.status,
    };
    let id = review.add_follow_up(bank, &bp, action)?;
    ctx.save(&mut file, &mut review)?;
    outln!("{id}")?;
    Ok(ExitCode::SUCCESS)
}

fn set(ctx: &Ctx, a: SetArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let due = match a.due.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(d) => Some(Some(parse_date(d).map_err(anyhow::Error::msg)?)),
    };
    let (mut file, mut review) = ctx.open(&a.file)?;
    let (bp, i) = locate(&review, &a.id)?;
    let mut action = review.follow_ups[&bp][i].clone();
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
    ctx.save(&mut file, &mut review)?;
    Ok(ExitCode::SUCCESS)
}

fn remove(ctx: &Ctx, a: RemoveArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let (mut file, mut review) = ctx.open(&a.file)?;
    let (bp, i) = locate(&review, &a.id)?;
    let gone = review.remove_follow_up(bank, &bp, i)?;
    ctx.save(&mut file, &mut review)?;
    outln!(
        "{} {} ({bp}): {}",
        ctx.lang.pick("removed", "削除しました:"),
        gone.id,
        gone.text
    )?;
    Ok(ExitCode::SUCCESS)
}

/// One row of `list --json` (a stable interface for scripts).
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    bp: &'a str,
    text: &'a str,
    owner: &'a str,
    due: Option<String>,
    status: ActionStatus,
    /// Not done, not dropped, and the due date has passed.
    overdue: bool,
}

fn list(ctx: &Ctx, a: ListArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let only = a.bp.map(|b| b.trim().to_ascii_uppercase());
    if let Some(bp) = &only {
        bank.bp(bp)
            .with_context(|| format!("unknown best practice '{bp}'"))?;
    }
    let review = ctx.load(&a.file)?;
    let today = wasec_core::now().date();
    let rows: Vec<Row> = review
        .follow_ups
        .iter()
        .filter(|(bp, _)| only.as_ref().is_none_or(|o| o == *bp))
        .flat_map(|(bp, list)| {
            list.iter().map(move |f| Row {
                id: &f.id,
                bp,
                text: &f.text,
                owner: &f.owner,
                due: f.due.map(|d| d.to_string()),
                status: f.status,
                overdue: f.is_overdue(today),
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
        let overdue = if r.overdue {
            l.pick(" OVERDUE", " 期限超過")
        } else {
            ""
        };
        outln!(
            "{}  {} [{status}{overdue}] {} · {} · {}",
            r.id,
            r.bp,
            r.text,
            if r.owner.is_empty() { "-" } else { r.owner },
            r.due.as_deref().unwrap_or("-")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
