//! `wasec push`, `wasec pull` and `wasec lens export`: the AWS
//! Well-Architected Tool (issue 5). The work happens in `wasec-watool`;
//! this file maps flags to options and keeps the review file in step.

use super::Ctx;
use anyhow::Context;
use clap::{ArgGroup, Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wasec_core::review::{ReviewFile, WaToolLink, write_atomic};
use wasec_watool::pull::PullOptions;
use wasec_watool::push::{PushOptions, Target};
use wasec_watool::{ConnectOptions, Out, block_on};

/// Where and how to reach the WA Tool.
#[derive(Debug, Args)]
pub struct AwsArgs {
    /// AWS Region of the workload (WA Tool workloads are regional).
    #[arg(long, env = "AWS_REGION")]
    pub region: String,
    /// Named profile from the AWS config (SSO, assume-role, credential_process ...).
    #[arg(long)]
    pub profile: Option<String>,
    /// Send requests to this endpoint instead of AWS (tests, emulators).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

impl AwsArgs {
    fn connect(&self) -> ConnectOptions {
        ConnectOptions {
            region: self.region.clone(),
            profile: self.profile.clone(),
            endpoint_url: self.endpoint_url.clone(),
            test_credentials: false,
        }
    }
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("target").args(["workload_id", "workload_name"])))]
pub struct PushArgs {
    /// The review file.
    pub file: PathBuf,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Write to this workload. Default: the workload the review was last
    /// pushed to or pulled from in this region.
    #[arg(long, value_name = "ID")]
    pub workload_id: Option<String>,
    /// Find the workload by name (case and spaces ignored).
    #[arg(long, value_name = "NAME")]
    pub workload_name: Option<String>,
    /// Create the workload when no workload has that name.
    #[arg(long, requires = "workload_name")]
    pub create: bool,
    /// Record a milestone with this name after writing (unique per workload).
    #[arg(long, value_name = "NAME")]
    pub milestone: Option<String>,
    /// Show the differences and stop: nothing is written.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct PullArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    #[arg(long, value_name = "ID")]
    pub workload_id: String,
    /// Read a milestone (number or name) instead of the current answers.
    #[arg(long, value_name = "N")]
    pub milestone: Option<String>,
    /// The new review file (never overwritten).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
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

fn stdio<T>(f: impl FnOnce(&mut Out<'_>) -> T) -> T {
    let (mut o, mut e) = (std::io::stdout().lock(), std::io::stderr().lock());
    let mut out = Out::new(&mut o, &mut e);
    f(&mut out)
}

pub fn push(ctx: &Ctx, args: PushArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    // Hold the review's lock for the whole push: one writer per review.
    let (file, mut review) = if args.dry_run {
        (None, ctx.load(&args.file)?)
    } else {
        let (f, r) = ctx.open(&args.file)?;
        (Some(f), r)
    };
    let target = match (&args.workload_id, &args.workload_name) {
        (Some(id), _) => Target::Id(id.clone()),
        (None, Some(name)) => Target::Name(name.clone()),
        (None, None) => match &review.wa_tool {
            Some(link) if link.region == args.aws.region => Target::Id(link.workload_id.clone()),
            Some(link) => anyhow::bail!(
                "the review is linked to workload {} in {}, not {}; pass --workload-id or --workload-name",
                link.workload_id,
                link.region,
                args.aws.region
            ),
            None => anyhow::bail!("pass --workload-id ID or --workload-name NAME [--create]"),
        },
    };
    let opts = PushOptions {
        connect: args.aws.connect(),
        target,
        create: args.create,
        milestone: args.milestone.clone(),
        dry_run: args.dry_run,
    };
    let outcome = stdio(|out| block_on(wasec_watool::push::push(bank, &review, &opts, out)))?;
    if let (Some(mut file), Some(id)) = (file, outcome.workload_id.as_ref()) {
        let link = WaToolLink {
            workload_id: id.clone(),
            region: args.aws.region.clone(),
            lens_version: outcome.lens_version.clone(),
        };
        if review.wa_tool.as_ref() != Some(&link) {
            review.wa_tool = Some(link);
            ctx.save(&mut file, &mut review)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn pull(ctx: &Ctx, args: PullArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    if args.output.exists() {
        anyhow::bail!(
            "{} already exists; not overwriting it",
            args.output.display()
        );
    }
    let opts = PullOptions {
        connect: args.aws.connect(),
        workload_id: args.workload_id.clone(),
        milestone: args.milestone.clone(),
    };
    let mut review = stdio(|out| block_on(wasec_watool::pull::pull(bank, &opts, out)))?;
    review.touch(wasec_core::now());
    ReviewFile::create(&args.output, &review).map_err(|e| anyhow::anyhow!("{e}"))?;
    outln!("Wrote {}", args.output.display())?;
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
