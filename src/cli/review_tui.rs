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
