//! Review file commands: new, score, plan, diff, milestone, demo.

use super::{Ctx, output};
use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use wasec_core::Review;
use wasec_core::review::{Environment, ReviewFile};
use wasec_core::scoring;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EnvArg {
    Production,
    Preproduction,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Path of the review file to create (refuses to overwrite).
    pub file: PathBuf,
    /// Workload name.
    #[arg(long)]
    pub workload: String,
    #[arg(long, value_enum, default_value = "production")]
    pub environment: EnvArg,
    /// Review owner (the WA Tool requires one to create a workload).
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// Reviewers (comma separated).
    #[arg(long, value_delimiter = ',')]
    pub reviewers: Vec<String>,
    /// AWS account ids (comma separated).
    #[arg(long, value_delimiter = ',')]
    pub accounts: Vec<String>,
    /// AWS regions (comma separated).
    #[arg(long, value_delimiter = ',')]
    pub regions: Vec<String>,
}

pub fn new(ctx: &Ctx, a: NewArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    if a.workload.trim().is_empty() {
        bail!("--workload must not be empty");
    }
    for acc in &a.accounts {
        if acc.len() != 12 || !acc.bytes().all(|b| b.is_ascii_digit()) {
            bail!("'{acc}' is not a 12-digit AWS account id");
        }
    }
    let now = wasec_core::now();
    let mut review = Review::new(a.workload.trim(), now.date());
    review.framework_version = bank.lens().framework_version.clone();
    let w = &mut review.workload;
    w.environment = match a.environment {
        EnvArg::Production => Environment::Production,
        EnvArg::Preproduction => Environment::Preproduction,
    };
    w.owner = a.owner.unwrap_or_default();
    w.description = a.description.unwrap_or_default();
    w.reviewers = a.reviewers;
    w.accounts = a.accounts;
    w.regions = a.regions;
    w.updated = Some(now);
    ReviewFile::create(&a.file, &review).map_err(|e| anyhow::anyhow!("{e}"))?;
    outln!(
        "{} {}",
        ctx.lang.pick("created", "作成しました:"),
        a.file.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    pub file: PathBuf,
    /// Machine-readable output: score, counts, questions[{id, risk, score}].
    #[arg(long)]
    pub json: bool,
}

pub fn score(ctx: &Ctx, a: ScoreArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let review = ctx.load(&a.file)?;
    let card = scoring::score(bank, &review);
    if a.json {
        output::json(&card)?;
    } else {
        out!("{}", output::scorecard(bank, &card, ctx.lang))?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    pub file: PathBuf,
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    #[arg(long)]
    pub markdown: bool,
}

pub fn plan(ctx: &Ctx, a: PlanArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let review = ctx.load(&a.file)?;
    if a.json {
        output::json(&scoring::plan(bank, &review))?;
        return Ok(ExitCode::SUCCESS);
    }
    // Text and Markdown come from the report's document, so the terminal
    // shows the same grouped actions, follow-ups and overdue flags.
    let report = wasec_report::build(bank, &review, ctx.lang, super::report::report_date()?);
    if a.markdown {
        out!("{}", output::plan_markdown(&report))?;
    } else {
        out!("{}", output::plan_text(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    pub old: PathBuf,
    /// The newer review file; leave it out with --milestone.
    pub new: Option<PathBuf>,
    /// Compare the answers OLD had at this milestone with OLD now.
    #[arg(long, value_name = "NAME", conflicts_with = "new")]
    pub milestone: Option<String>,
    #[arg(long)]
    pub json: bool,
    /// Exit with 1 when anything changed, 0 when nothing did (like
    /// `git diff --exit-code`).
    #[arg(long)]
    pub exit_code: bool,
}

pub fn diff(ctx: &Ctx, a: DiffArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let (old, new) =
        super::milestones::diff_pair(ctx, &a.old, a.new.as_deref(), a.milestone.as_deref())?;
    let d = scoring::diff(bank, &old, &new);
    let code = ExitCode::from(u8::from(a.exit_code && !d.is_empty()));
    if a.json {
        output::json(&d)?;
    } else {
        out!("{}", output::diff_text(&d, ctx.lang))?;
    }
    Ok(code)
}

#[derive(Debug, Args)]
pub struct MilestoneArgs {
    pub file: PathBuf,
    /// Milestone name (unique within the review).
    pub name: String,
}

pub fn milestone(ctx: &Ctx, a: MilestoneArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let name = a.name.trim();
    if name.is_empty() {
        bail!("milestone name must not be empty");
    }
    let (mut file, mut review) = ctx.open(&a.file)?;
    if review.milestones.iter().any(|m| m.name == name) {
        bail!(
            "a milestone named '{name}' already exists in {}",
            a.file.display()
        );
    }
    let m = scoring::milestone(bank, &review, name, wasec_core::now());
    let summary = format!(
        "{}: {}, high {}, medium {}",
        m.name,
        m.score
            .map(|s| format!("{s:.1}/100"))
            .unwrap_or_else(|| "-".into()),
        m.counts.high,
        m.counts.medium
    );
    review.milestones.push(m);
    ctx.save(&mut file, &mut review)?;
    outln!("{} {summary}", ctx.lang.pick("milestone", "マイルストーン"))?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Print the demo's score and plan instead of opening it.
    #[arg(long)]
    pub print: bool,
    /// Write the demo review to PATH (to try the other commands on it).
    #[arg(long, value_name = "PATH")]
    pub export: Option<PathBuf>,
}

pub fn demo(ctx: &Ctx, a: DemoArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let review = wasec_core::demo::review(bank).map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(path) = a.export {
        ReviewFile::create(&path, &review)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("cannot write {}", path.display()))?;
        outln!(
            "{} {}",
            ctx.lang.pick("wrote", "書き出しました:"),
            path.display()
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    // A pipe or CI log gets the text summary; a terminal gets the TUI.
    if a.print || !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return print_summary(ctx, &review);
    }
    super::review_tui::open_demo(ctx, review)
}

/// The demo as text: workload, score table and plan.
pub fn print_summary(ctx: &Ctx, review: &Review) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let l = ctx.lang;
    outln!(
        "{}: {} ({})\n",
        l.pick("Workload", "ワークロード"),
        review.workload.name,
        review.workload.environment.as_str()
    )?;
    out!(
        "{}",
        output::scorecard(bank, &scoring::score(bank, review), l)
    )?;
    outln!("\n{}", l.pick("Improvement plan", "改善計画"))?;
    let report = wasec_report::build(bank, review, l, super::report::report_date()?);
    out!("{}", output::plan_text(&report))?;
    Ok(ExitCode::SUCCESS)
}
