//! `wasec report`: export a review and its improvement plan as PDF,
//! Markdown, HTML, CSV or JSON.

use super::Ctx;
use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wasec_core::Lang;
use wasec_report::{Format, Options};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Pdf,
    Md,
    Html,
    Csv,
    Json,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Pdf => Format::Pdf,
            FormatArg::Md => Format::Markdown,
            FormatArg::Html => Format::Html,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
        }
    }
}

#[derive(Debug, Args)]
#[command(after_help = "The report language follows --lang (en or ja).\n\
Without -o the report goes to reports/<workload>-<YYYY-MM-DD>.<ext> \
(-ja before the extension for Japanese). -o - writes to standard output.\n\
SOURCE_DATE_EPOCH, when set, fixes the report date (reproducible output).")]
pub struct ReportArgs {
    /// The review file.
    #[arg(required_unless_present_any = ["demo", "consolidated"], conflicts_with_all = ["demo", "consolidated"])]
    pub file: Option<PathBuf>,
    /// One report over many reviews (workloads): each workload's score and
    /// risk per question, top actions and per-account standing, most at
    /// risk first. Default output: reports/portfolio-<date>.<ext>.
    #[arg(long, num_args = 1.., value_name = "FILE", conflicts_with = "demo")]
    pub consolidated: Vec<PathBuf>,
    /// Report on the embedded demo review instead of a file.
    #[arg(long)]
    pub demo: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "pdf")]
    pub format: FormatArg,
    /// Where to write the report ('-' for standard output).
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// A TrueType/OpenType font for the PDF instead of the bundled BIZ UDPGothic
    /// (it must cover Japanese for --lang ja).
    #[arg(long, value_name = "PATH")]
    pub font: Option<PathBuf>,
    /// CSV without the UTF-8 byte-order mark (by default it has one, so that
    /// Excel on Japanese Windows reads the file as UTF-8).
    #[arg(long)]
    pub no_bom: bool,
}

pub fn run(ctx: &Ctx, a: ReportArgs) -> anyhow::Result<ExitCode> {
    if !a.consolidated.is_empty() {
        return consolidated(ctx, a);
    }
    let bank = ctx.bank()?;
    let review = match (&a.file, a.demo) {
        (_, true) => wasec_core::demo::review(bank).map_err(|e| anyhow::anyhow!("{e}"))?,
        (Some(path), false) => ctx.load(path)?,
        (None, false) => bail!("give a review file or --demo"),
    };
    let opts = options(&a)?;
    let format = Format::from(a.format);
    let today = report_date()?;
    let report = wasec_report::build(bank, &review, ctx.lang, today);
    let bytes = wasec_report::render(&report, format, &opts).map_err(|e| anyhow::anyhow!("{e}"))?;
    let default = || default_path(&review.workload.name, today, ctx.lang, format);
    write(ctx, a.output, default, &bytes)
}

/// `--consolidated`: every file is read before anything is written, and a
/// file that cannot be read stops the run with its path and the cause.
fn consolidated(ctx: &Ctx, a: ReportArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let mut reviews = Vec::with_capacity(a.consolidated.len());
    for path in &a.consolidated {
        reviews.push((path.display().to_string(), ctx.load(path)?));
    }
    let format = Format::from(a.format);
    let today = report_date()?;
    let opts = options(&a)?;
    let portfolio = wasec_report::portfolio::build(bank, &reviews, ctx.lang, today);
    let bytes = wasec_report::portfolio::render(&portfolio, format, &opts)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let default = || default_path("portfolio", today, ctx.lang, format);
    write(ctx, a.output, default, &bytes)
}

fn options(a: &ReportArgs) -> anyhow::Result<Options> {
    let font = match &a.font {
        Some(p) => {
            Some(std::fs::read(p).with_context(|| format!("cannot read font {}", p.display()))?)
        }
        None => None,
    };
    Ok(Options {
        font,
        no_bom: a.no_bom,
    })
}

/// To standard output (`-o -`), the given path or the default one.
fn write(
    ctx: &Ctx,
    output: Option<PathBuf>,
    default: impl FnOnce() -> PathBuf,
    bytes: &[u8],
) -> anyhow::Result<ExitCode> {
    let path = match output {
        Some(p) if p.as_os_str() == "-" => {
            let mut out = std::io::stdout().lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                // A reader that stops early (`| head`) is not an error.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
                _ => return Ok(ExitCode::SUCCESS),
            }
        }
        Some(p) => p,
        None => default(),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    wasec_core::review::write_atomic(&path, bytes)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot write {}", path.display()))?;
    outln!(
        "{} {} ({} KB)",
        ctx.lang.pick("wrote", "書き出しました:"),
        path.display(),
        bytes.len().div_ceil(1024)
    )?;
    Ok(ExitCode::SUCCESS)
}

/// reports/<slug>-<date>[-ja].<ext>
fn default_path(workload: &str, date: time::Date, lang: Lang, format: Format) -> PathBuf {
    let suffix = if lang == Lang::Ja { "-ja" } else { "" };
    Path::new("reports").join(format!(
        "{}-{}{}.{}",
        wasec_report::slug(workload),
        date,
        suffix,
        format.extension()
    ))
}

/// Today (UTC), or the day of SOURCE_DATE_EPOCH when it is set.
pub fn report_date() -> anyhow::Result<time::Date> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => {
            let secs: i64 = v
                .trim()
                .parse()
                .context("SOURCE_DATE_EPOCH is not a number")?;
            Ok(time::OffsetDateTime::from_unix_timestamp(secs)
                .context("SOURCE_DATE_EPOCH is out of range")?
                .date())
        }
        _ => Ok(wasec_core::now().date()),
    }
}
