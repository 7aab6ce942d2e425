//! `wasec push`, `wasec pull` and `wasec lens export`: the AWS
//! Well-Architected Tool. The work happens in `wasec-watool`; this file
//! maps flags to options and keeps the review files in step (the link and
//! the sync base are saved even when a push fails part way).

use super::Ctx;
use anyhow::{Context, bail};
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use wasec_core::review::{ReviewFile, write_atomic};
use wasec_core::{Bank, Review, scoring};
use wasec_watool::pull::{MergeOptions, PullOptions};
use wasec_watool::push::{LensAction, PushOptions, PushOutcome};
use wasec_watool::resolve::Target;
use wasec_watool::{ConnectOptions, Out, Prefer, WaClient, block_on, text};

/// Where and how to reach the WA Tool.
#[derive(Debug, Args)]
pub struct AwsArgs {
    /// AWS Region of the workload (WA Tool workloads are regional).
    /// Default: the Region of the workload the review is linked to.
    #[arg(long, env = "AWS_REGION")]
    pub region: Option<String>,
    /// Named profile from the AWS config (SSO, assume-role, credential_process ...).
    #[arg(long)]
    pub profile: Option<String>,
    /// Send requests to this endpoint instead of AWS (tests, emulators).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

impl AwsArgs {
    /// The Region given, else the review's link's.
    pub fn region_for(&self, review: Option<&Review>) -> anyhow::Result<String> {
        let linked = review
            .and_then(|r| r.wa_tool.as_ref())
            .map(|l| l.region.clone());
        match self.region.clone().or(linked) {
            Some(r) => Ok(r),
            None => bail!(
                "pass --region (or set AWS_REGION): the review is not linked to a workload yet"
            ),
        }
    }

    pub fn connect(&self, region: &str) -> ConnectOptions {
        let mut c = ConnectOptions::new(region);
        c.profile = self.profile.clone();
        c.endpoint_url = self.endpoint_url.clone();
        c.backoff = backoff(c.backoff);
        c
    }
}

/// The base delay between retries: `WASEC_WATOOL_BACKOFF_MS` when set
/// (scripts against a local endpoint shorten it), else `default`.
fn backoff(default: Duration) -> Duration {
    std::env::var("WASEC_WATOOL_BACKOFF_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(default)
}

/// Which side wins a conflict.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PreferArg {
    /// Write the review's value.
    Wasec,
    /// Keep the WA Tool's value.
    Tool,
}

impl From<PreferArg> for Prefer {
    fn from(p: PreferArg) -> Prefer {
        match p {
            PreferArg::Wasec => Prefer::Wasec,
            PreferArg::Tool => Prefer::Tool,
        }
    }
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("target").args(["workload_id", "workload_name"])))]
pub struct PushArgs {
    /// Review files. Each goes to the workload it is linked to; with
    /// several files, an unlinked review needs --create (a workload named
    /// like the review's workload).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Write to this workload (one file only).
    #[arg(long, value_name = "ID")]
    pub workload_id: Option<String>,
    /// Find the workload by name, case and spaces ignored (one file only).
    /// Only workloads of the caller's own account match.
    #[arg(long, value_name = "NAME")]
    pub workload_name: Option<String>,
    /// Create the workload when none has the name.
    #[arg(long)]
    pub create: bool,
    /// Let --create make a new workload although the review is linked to
    /// another one (for example in another Region).
    #[arg(long, requires = "create")]
    pub relink: bool,
    /// Record a milestone with this name after writing (in the Tool and in
    /// the review; names are unique per workload).
    #[arg(long, value_name = "NAME")]
    pub milestone: Option<String>,
    /// Show every change and conflict in full, and stop: nothing is written.
    #[arg(long)]
    pub dry_run: bool,
    /// Settle conflicts (both sides changed the same thing since the last sync).
    #[arg(long, value_enum, value_name = "SIDE")]
    pub prefer: Option<PreferArg>,
    /// When the workload's lens review is not on the current lens version,
    /// upgrade it first (UpgradeLensReview records a milestone).
    #[arg(long, conflicts_with = "keep_lens_version")]
    pub upgrade_lens: bool,
    /// Name of the milestone the lens upgrade records.
    #[arg(long, value_name = "NAME", requires = "upgrade_lens")]
    pub upgrade_milestone: Option<String>,
    /// Write to a NOT_CURRENT lens version as it is.
    #[arg(long)]
    pub keep_lens_version: bool,
    /// Profile ARN for the new workload (with --create).
    #[arg(long, value_name = "ARN", requires = "create")]
    pub profile_arn: Option<String>,
    /// Review template ARN for the new workload (with --create); the new
    /// workload starts with the template's answers.
    #[arg(long, value_name = "ARN", requires = "create")]
    pub review_template_arn: Option<String>,
}

impl PushArgs {
    fn options(&self, target: Target) -> PushOptions {
        let mut o = PushOptions::new(target);
        o.create = self.create;
        o.relink = self.relink;
        o.milestone = self.milestone.clone();
        o.dry_run = self.dry_run;
        o.prefer = self.prefer.map(Prefer::from);
        o.lens = if self.upgrade_lens {
            LensAction::Upgrade {
                milestone: self.upgrade_milestone.clone(),
            }
        } else if self.keep_lens_version {
            LensAction::Keep
        } else {
            LensAction::Refuse
        };
        o.profile_arns = self.profile_arn.iter().cloned().collect();
        o.review_template_arns = self.review_template_arn.iter().cloned().collect();
        o.backoff = backoff(o.backoff);
        o
    }

    fn target(&self, review: &Review, several: bool) -> anyhow::Result<Target> {
        Ok(match (&self.workload_id, &self.workload_name) {
            (Some(id), _) => Target::Id(id.clone()),
            (None, Some(name)) => Target::Name(name.clone()),
            (None, None) if review.wa_tool.is_some() => Target::Linked,
            (None, None) if self.create => Target::Name(review.workload.name.clone()),
            (None, None) if several => bail!(
                "not linked to a workload yet; add --create to create one named {:?}",
                review.workload.name
            ),
            (None, None) => bail!("{}", text::no_target()),
        })
    }
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").args(["file", "workload_id"]).required(true)))]
pub struct PullArgs {
    /// A review linked to a workload: merge what changed in the Tool since
    /// the last sync into it (its own unpushed changes stay).
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Read this workload into a new review file (with -o).
    #[arg(long, value_name = "ID", requires = "output")]
    pub workload_id: Option<String>,
    /// Read a milestone (number or name) instead of the current answers.
    #[arg(long, value_name = "N", requires = "workload_id")]
    pub milestone: Option<String>,
    /// The new review file (never overwritten).
    #[arg(short, long, value_name = "FILE", requires = "workload_id")]
    pub output: Option<PathBuf>,
    /// Settle conflicts when merging into FILE.
    #[arg(long, value_enum, value_name = "SIDE", requires = "file")]
    pub prefer: Option<PreferArg>,
    /// Show what would change in FILE and stop.
    #[arg(long, requires = "file")]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum LensCmd {
    /// Export the question set as a WA Tool custom lens JSON (for ImportLens),
    /// in the --lang language.
    Export {
        /// Output file, or - for standard output.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

/// stdout and stderr for the library's progress lines.
fn out_err() -> (std::io::Stdout, std::io::Stderr) {
    (std::io::stdout(), std::io::stderr())
}

/// One client per Region, made on first use.
#[derive(Default)]
struct Clients(BTreeMap<String, WaClient>);

impl Clients {
    async fn get(&mut self, aws: &AwsArgs, region: &str) -> &WaClient {
        if !self.0.contains_key(region) {
            let c = WaClient::connect(&aws.connect(region)).await;
            self.0.insert(region.to_string(), c);
        }
        &self.0[region]
    }
}

pub fn push(ctx: &Ctx, args: PushArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let several = args.files.len() > 1;
    if several && (args.workload_id.is_some() || args.workload_name.is_some()) {
        bail!(
            "--workload-id and --workload-name name one workload; with several files each review goes to its own linked workload (or, with --create, one named like its workload)"
        );
    }
    let results = block_on(async {
        let mut clients = Clients::default();
        let mut results = Vec::new();
        for file in &args.files {
            if several {
                let _ = outln!("\n== {}", file.display());
            }
            let r = push_one(ctx, bank, &mut clients, &args, file, several).await;
            if let (true, Err(e)) = (several, &r) {
                errln!("wasec: {e:#}");
            }
            results.push(r);
        }
        results
    });
    if !several {
        return results
            .into_iter()
            .next()
            .expect("one file")
            .map(|_| ExitCode::SUCCESS);
    }
    summary(ctx, &args.files, &results)
}

async fn push_one(
    ctx: &Ctx,
    bank: &Bank,
    clients: &mut Clients,
    args: &PushArgs,
    file: &Path,
    several: bool,
) -> anyhow::Result<PushOutcome> {
    // Hold the review's lock for the whole push: one writer per review.
    let (handle, mut review) = if args.dry_run {
        (None, ctx.load(file)?)
    } else {
        let (f, r) = ctx.open(file)?;
        (Some(f), r)
    };
    let target = args.target(&review, several)?;
    let region = args.aws.region_for(Some(&review))?;
    let client = clients.get(&args.aws, &region).await;
    let opts = args.options(target);
    let mut link = review.wa_tool.clone();
    let (mut o, mut e) = out_err();
    let result = {
        let mut out = Out::new(&mut o, &mut e).with_lang(ctx.lang);
        wasec_watool::push::push(client, bank, &review, &mut link, &opts, &mut out).await
    };
    if let Some(mut handle) = handle {
        let milestone = result.as_ref().ok().and(args.milestone.as_deref());
        save_after_push(ctx, bank, &mut handle, &mut review, link, milestone)?;
    }
    result.map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))
}

/// Keep the link and sync base (even after a failure) and, after a new
/// Tool milestone, the same snapshot in the review.
fn save_after_push(
    ctx: &Ctx,
    bank: &Bank,
    handle: &mut ReviewFile,
    review: &mut Review,
    link: Option<wasec_core::review::WaToolLink>,
    milestone: Option<&str>,
) -> anyhow::Result<()> {
    let mut changed = review.wa_tool != link;
    review.wa_tool = link;
    if let Some(name) = milestone.filter(|n| !review.milestones.iter().any(|m| m.name == *n)) {
        let m = scoring::milestone(bank, review, name, wasec_core::now());
        review.milestones.push(m);
        changed = true;
    }
    if changed {
        ctx.save(handle, review)?;
    }
    Ok(())
}

fn summary(
    ctx: &Ctx,
    files: &[PathBuf],
    results: &[anyhow::Result<PushOutcome>],
) -> anyhow::Result<ExitCode> {
    let l = ctx.lang;
    outln!("\n{}", text::push_summary_header(l))?;
    let mut failed = 0;
    for (file, r) in files.iter().zip(results) {
        let name = file.display().to_string();
        match r {
            Ok(o) => outln!(
                "{}",
                text::push_summary_row(
                    &name,
                    o.workload_id.as_deref(),
                    o.written,
                    o.planned,
                    o.kept,
                    None,
                    l
                )
            )?,
            Err(e) => {
                failed += 1;
                let msg = format!("{e:#}");
                outln!(
                    "{}",
                    text::push_summary_row(&name, None, 0, 0, 0, Some(&msg), l)
                )?
            }
        }
    }
    if failed > 0 {
        bail!(
            "{failed} of {} reviews were not pushed completely (see above)",
            files.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn pull(ctx: &Ctx, args: PullArgs) -> anyhow::Result<ExitCode> {
    match (&args.file, &args.output) {
        (Some(file), None) => pull_into(ctx, &args, file),
        (None, Some(output)) => pull_new(ctx, &args, output),
        _ => bail!("pass either FILE (merge into a linked review) or --workload-id ID -o NEW.yaml"),
    }
}

fn pull_new(ctx: &Ctx, args: &PullArgs, output: &Path) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    if output.exists() {
        bail!(
            "{} already exists; not overwriting it (to merge the Tool's changes into it, run `wasec pull {}`)",
            output.display(),
            output.display()
        );
    }
    let opts = PullOptions {
        workload_id: args.workload_id.clone().unwrap_or_default(),
        milestone: args.milestone.clone(),
    };
    let region = args.aws.region_for(None)?;
    let mut review = block_on(async {
        let client = WaClient::connect(&args.aws.connect(&region)).await;
        let (mut o, mut e) = out_err();
        let mut out = Out::new(&mut o, &mut e).with_lang(ctx.lang);
        wasec_watool::pull::pull(&client, bank, &opts, &mut out).await
    })?;
    review.touch(wasec_core::now());
    ReviewFile::create(output, &review).map_err(|e| anyhow::anyhow!("{e}"))?;
    outln!(
        "{} {}",
        ctx.lang.pick("Wrote", "書き出しました:"),
        output.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn pull_into(ctx: &Ctx, args: &PullArgs, file: &Path) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let (mut handle, mut review) = ctx.open(file)?;
    let region = args.aws.region_for(Some(&review))?;
    let opts = MergeOptions {
        prefer: args.prefer.map(Prefer::from),
        dry_run: args.dry_run,
    };
    block_on(async {
        let client = WaClient::connect(&args.aws.connect(&region)).await;
        let (mut o, mut e) = out_err();
        let mut out = Out::new(&mut o, &mut e).with_lang(ctx.lang);
        wasec_watool::pull::pull_into(&client, bank, &mut review, &opts, &mut out).await
    })?;
    if !args.dry_run {
        ctx.save(&mut handle, &mut review)?;
        outln!(
            "{} {}",
            ctx.lang.pick("Updated", "更新しました:"),
            file.display()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn lens(ctx: &Ctx, cmd: LensCmd) -> anyhow::Result<ExitCode> {
    let LensCmd::Export { output } = cmd;
    let text = wasec_watool::lens::export(ctx.bank()?, ctx.lang)?;
    if output == Path::new("-") {
        let mut o = std::io::stdout().lock();
        o.write_all(text.as_bytes())?;
        o.write_all(b"\n")?;
    } else {
        write_atomic(&output, text.as_bytes())
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("cannot write {}", output.display()))?;
        errln!(
            "Wrote {} ({} characters; the WA Tool accepts up to {}). Import it with `aws wellarchitected import-lens --json-string file://{}`.",
            output.display(),
            text.chars().count(),
            wasec_watool::lens::LENS_JSON_MAX,
            output.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The linked workload's milestones in the Tool (for `wasec milestones --tool`).
pub fn tool_milestones(
    aws: &AwsArgs,
    review: &Review,
) -> anyhow::Result<(String, String, Vec<wasec_watool::client::MilestoneInfo>)> {
    let Some(link) = &review.wa_tool else {
        bail!("the review is not linked to a WA Tool workload (push or pull it first)");
    };
    let region = aws.region_for(Some(review))?;
    let list = block_on(async {
        let client = WaClient::connect(&aws.connect(&region)).await;
        client.list_milestones(&link.workload_id).await
    })?;
    Ok((link.workload_id.clone(), region, list))
}
