//! `wasec review FILE` and the interactive `wasec demo`: the terminal UI.

use super::Ctx;
use anyhow::Context;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wasec_core::Review;
use wasec_core::review::ReviewFile;
use wasec_tui::App;

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The review file.
    pub file: PathBuf,
    /// Create FILE as a new review if it does not exist (without it, a
    /// missing file is only created after you confirm on the terminal).
    #[arg(long)]
    pub new: bool,
    /// Workload name for a new review (default: the file name).
    #[arg(long)]
    pub workload: Option<String>,
    /// Evidence collection (`c`): AWS profile (default: AWS_PROFILE).
    #[cfg(feature = "aws")]
    #[arg(long, help_heading = "Evidence collection (c)")]
    pub profile: Option<String>,
    /// Evidence collection (`c`): assume this role first.
    #[cfg(feature = "aws")]
    #[arg(long, value_name = "ARN", help_heading = "Evidence collection (c)")]
    pub role_arn: Option<String>,
    /// External id for --role-arn.
    #[cfg(feature = "aws")]
    #[arg(long, requires = "role_arn", help_heading = "Evidence collection (c)")]
    pub external_id: Option<String>,
    /// Evidence collection (`c`): send every API call to this endpoint
    /// (an emulator such as moto).
    #[cfg(feature = "aws")]
    #[arg(long, value_name = "URL", help_heading = "Evidence collection (c)")]
    pub endpoint_url: Option<String>,
}

#[cfg(feature = "aws")]
impl ReviewArgs {
    fn aws(&self) -> wasec_evidence::clients::AwsOptions {
        wasec_evidence::clients::AwsOptions {
            profile: self.profile.clone(),
            role_arn: self.role_arn.clone(),
            external_id: self.external_id.clone(),
            endpoint_url: self.endpoint_url.clone(),
            ..Default::default()
        }
    }
}

fn require_terminal() -> anyhow::Result<()> {
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        anyhow::bail!("the review UI needs a terminal; use `wasec answer` for scripts");
    }
    Ok(())
}

pub fn run(ctx: &Ctx, args: ReviewArgs) -> anyhow::Result<ExitCode> {
    require_terminal()?;
    let bank = ctx.bank()?;
    let (file, review) = if args.file.exists() {
        ctx.open(&args.file)?
    } else {
        if !args.new && !confirm_new(ctx, &args.file)? {
            return Ok(ExitCode::from(2));
        }
        let name = args.workload.clone().unwrap_or_else(|| {
            args.file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "workload".into())
        });
        let now = wasec_core::now();
        let mut review = Review::new(name, now.date());
        review.framework_version = bank.lens().framework_version.clone();
        review.workload.updated = Some(now);
        let file = ReviewFile::create(&args.file, &review)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("cannot create {}", args.file.display()))?;
        (file, review)
    };
    let label = args.file.display().to_string();
    let app = App::new(bank.clone(), review, ctx.lang, label, true);
    #[cfg(feature = "aws")]
    let app = app.with_collector(Box::new(collector::new(bank.clone(), args.aws())));
    let app = wasec_tui::run(app, Some(file))?;
    if let Some(path) = &app.rescued {
        errln!(
            "{} {path}",
            ctx.lang.pick(
                "wasec: changes that could not be saved were written to",
                "wasec: 保存できなかった変更を書き出しました:"
            )
        );
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// A missing file may be a typo (`r.ymal`): ask before starting an empty
/// review there, and point at a similarly named file if one exists.
fn confirm_new(ctx: &Ctx, path: &Path) -> anyhow::Result<bool> {
    let l = ctx.lang;
    if let Some(near) = similar_file(path) {
        errln!(
            "{} {} — {} {}?",
            path.display(),
            l.pick("does not exist", "は存在しません"),
            l.pick("did you mean", "もしかして"),
            near.display()
        );
    } else {
        errln!(
            "{} {}",
            path.display(),
            l.pick("does not exist.", "は存在しません。")
        );
    }
    let prompt = l.pick(
        "Create a new, empty review there? [y/N] ",
        "ここに新しい空のレビューを作成しますか？ [y/N] ",
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr(), prompt.as_bytes());
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    let yes = matches!(answer.trim(), "y" | "Y" | "yes" | "はい");
    if !yes {
        errln!(
            "{}",
            l.pick(
                "Nothing created. (wasec review FILE --new creates without asking.)",
                "何も作成していません。（wasec review FILE --new で確認なしに作成します）"
            )
        );
    }
    Ok(yes)
}

/// A YAML file in the same folder whose name is close to `path`'s.
fn similar_file(path: &Path) -> Option<PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let want = path.file_name()?.to_string_lossy().to_lowercase();
    let stem = |n: &str| {
        n.rsplit_once('.')
            .map(|(s, _)| s.to_string())
            .unwrap_or(n.to_string())
    };
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .find(|n| stem(&n.to_lowercase()) == stem(&want) || n.to_lowercase() == want)
        .map(|n| dir.join(n))
}

/// Open the embedded demo review in the TUI (nothing is written to disk).
pub fn open_demo(ctx: &Ctx, review: Review) -> anyhow::Result<ExitCode> {
    require_terminal()?;
    let bank = ctx.bank()?;
    let app = App::new(bank.clone(), review, ctx.lang, "demo", false);
    wasec_tui::run(app, None)?;
    Ok(ExitCode::SUCCESS)
}

/// Evidence collection from the TUI (`c`): the same collection as `wasec
/// collect` (same AWS options), run on a worker thread, reporting progress
/// through the UI's message channel; the UI merges the run through the
/// same core merge as the CLI. The review's regions are scanned when it
/// lists some, else the configured one.
#[cfg(feature = "aws")]
mod collector {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc::Sender;
    use wasec_core::evidence::Run;
    use wasec_core::{Bank, Review};
    use wasec_evidence::check::Scope;
    use wasec_evidence::clients::AwsOptions;
    use wasec_evidence::runner::{Progress, ProgressFn};
    use wasec_evidence::{CollectOptions, RegionChoice, apply, registry};
    use wasec_tui::Msg;

    pub fn new(bank: Bank, opts: AwsOptions) -> impl FnMut(Review, Sender<Msg>) + Send {
        move |review, tx| {
            let (bank, opts) = (bank.clone(), opts.clone());
            std::thread::spawn(move || {
                let result = collect(&bank, &opts, review, &tx);
                let _ = tx.send(Msg::EvidenceDone(result));
            });
        }
    }

    fn collect(
        bank: &Bank,
        opts: &AwsOptions,
        review: Review,
        tx: &Sender<Msg>,
    ) -> Result<Box<Run>, String> {
        let regions = match review.workload.regions.as_slice() {
            [] => RegionChoice::Configured,
            list => RegionChoice::List(list.to_vec()),
        };
        let region_count = review.workload.regions.len().max(1);
        let total: usize = registry::MODULES
            .iter()
            .map(|m| match m.scope {
                Scope::Global => 1,
                Scope::Regional => region_count,
            })
            .sum();
        let done = Arc::new(AtomicUsize::new(0));
        let progress_tx = tx.clone();
        let progress: ProgressFn = Arc::new(move |p| {
            if let Progress::Finished {
                service, region, ..
            } = p
            {
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                let _ = progress_tx.send(Msg::EvidenceProgress {
                    done: n,
                    total: total.max(n),
                    label: format!("{service} {region}"),
                });
            }
        });
        let run = CollectOptions {
            regions,
            ..CollectOptions::default()
        };
        let outcome = wasec_evidence::collect_blocking(opts, &run, progress)
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
        Ok(Box::new(apply::run(bank, &outcome)))
    }
}
