//! `wasec review FILE` and the interactive `wasec demo`: the terminal UI.

use super::Ctx;
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use wasec_core::Review;
use wasec_core::review::ReviewFile;
use wasec_tui::App;

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The review file (created if it does not exist).
    pub file: PathBuf,
    /// Workload name for a new review (default: the file name).
    #[arg(long)]
    pub workload: Option<String>,
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
    let app = app.with_collector(Box::new(collector::new(bank.clone())));
    wasec_tui::run(app, Some(file))?;
    Ok(ExitCode::SUCCESS)
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
/// collect`, run on a worker thread, reporting progress through the UI's
/// message channel. Credentials and regions resolve like the AWS CLI; the
/// review's regions are scanned when it lists some.
#[cfg(feature = "aws")]
mod collector {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc::Sender;
    use wasec_core::{Bank, Review};
    use wasec_evidence::check::Scope;
    use wasec_evidence::clients::AwsOptions;
    use wasec_evidence::runner::{Progress, ProgressFn};
    use wasec_evidence::{CollectOptions, RegionChoice, apply, registry};
    use wasec_tui::Msg;

    pub fn new(bank: Bank) -> impl FnMut(Review, Sender<Msg>) + Send {
        move |review, tx| {
            let bank = bank.clone();
            std::thread::spawn(move || {
                let result = collect(&bank, review, &tx);
                let _ = tx.send(Msg::EvidenceDone(result));
            });
        }
    }

    fn collect(
        bank: &Bank,
        mut review: Review,
        tx: &Sender<Msg>,
    ) -> Result<
        (
            Vec<wasec_core::review::EvidenceItem>,
            wasec_core::review::EvidenceRun,
        ),
        String,
    > {
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
        let outcome = wasec_evidence::collect_blocking(&AwsOptions::default(), &run, progress)
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
        let items = apply::apply(bank, &mut review, &outcome);
        let run = review
            .evidence_runs
            .last()
            .cloned()
            .ok_or("the run was not recorded")?;
        Ok((items, run))
    }
}
