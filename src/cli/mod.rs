//! The `wasec` command line. Each command group lives in its own module;
//! this file holds the global options and the dispatch.
//!
//! Exit codes are part of the interface: 0 success, 1 a gate failed
//! (`check`), 2 usage, file or data errors.

/// `println!` for command output. A reader that went away (`wasec plan |
/// head`) is not an error of ours: the rest of the output is dropped and
/// the command still finishes and returns its real exit code (a failing
/// gate stays 1). Other write errors are returned.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` counterpart of [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::output::write_stdout(format_args!($($arg)*))
    };
}

/// `eprintln!` that never panics: with stderr closed the message is lost,
/// but the exit code is still the command's.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::output::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod answer;
#[cfg(feature = "aws")]
mod collect_org;
mod ctx;
#[cfg(feature = "aws")]
mod evidence;
mod follow_up;
mod gate;
mod merge;
mod milestones;
mod output;
mod questions;
mod report;
mod review_cmds;
mod review_tui;
#[cfg(feature = "aws")]
mod watool;

pub use ctx::Ctx;

use clap::{CommandFactory, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use wasec_core::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "wasec",
    version,
    about = "AWS Well-Architected Security pillar reviews: question bank, evidence, scoring, reports",
    long_about = "wasec walks a team through the 11 questions and 63 best practices of the AWS \
Well-Architected Security pillar, attaches evidence gathered from AWS, scores the result and \
turns it into a prioritised improvement plan.\n\nStart with `wasec demo`."
)]
pub struct Cli {
    /// Language for text output (en or ja). Default: from LANG.
    #[arg(long, global = true, env = "WASEC_LANG", value_parser = parse_lang)]
    pub lang: Option<Lang>,

    /// Show underlying errors (such as the AWS SDK's) besides the plain-words message.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Use the question files in DIR: with a lens.yaml they replace the
    /// built-in bank, without one they extend it.
    #[arg(long, global = true, value_name = "DIR", env = "WASEC_QUESTIONS")]
    pub questions: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new review file.
    New(review_cmds::NewArgs),
    /// Answer a question from a script (self-assessment).
    Answer(answer::AnswerArgs),
    /// List, show and validate the question bank.
    #[command(subcommand)]
    Questions(questions::QuestionsCmd),
    /// Score a review: overall 0-100 and the risk of each question.
    Score(review_cmds::ScoreArgs),
    /// Print the prioritised improvement plan.
    Plan(review_cmds::PlanArgs),
    /// Gate for CI: fail when a question is at or above a risk level.
    Check(gate::CheckArgs),
    /// Show what changed between two review files.
    Diff(review_cmds::DiffArgs),
    /// Record a named snapshot of answers and scores.
    Milestone(review_cmds::MilestoneArgs),
    /// Merge the evidence of other review files (sharded runs) into one.
    Merge(merge::MergeArgs),
    /// List a review's milestones (and, with --tool, its WA Tool workload's).
    Milestones(milestones::MilestonesArgs),
    /// Follow-up actions per best practice: add, list, set, remove.
    #[command(subcommand, name = "follow-up")]
    FollowUp(follow_up::FollowUpCmd),
    /// Open the embedded demo review (no AWS account needed).
    Demo(review_cmds::DemoArgs),
    /// Open (or create) a review in the terminal UI.
    Review(review_tui::ReviewArgs),
    /// Export the review and improvement plan (PDF, Markdown, HTML, CSV, JSON).
    Report(report::ReportArgs),
    /// Gather evidence from AWS (read-only) and attach it to best practices.
    #[cfg(feature = "aws")]
    Collect(evidence::CollectArgs),
    /// Print the least-privilege, read-only IAM policy wasec needs.
    #[cfg(feature = "aws")]
    IamPolicy(evidence::IamPolicyArgs),
    /// Write reviews into the AWS Well-Architected Tool (three-way: work done
    /// in the Tool is kept; conflicts are shown and settled with --prefer).
    #[cfg(feature = "aws")]
    Push(watool::PushArgs),
    /// Read a workload from the AWS Well-Architected Tool into a new review,
    /// or merge the Tool's changes into a linked review.
    #[cfg(feature = "aws")]
    Pull(watool::PullArgs),
    /// Custom lens tools for the AWS Well-Architected Tool.
    #[cfg(feature = "aws")]
    #[command(subcommand)]
    Lens(watool::LensCmd),
    /// Print shell completions.
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
}

/// Parse the command line, run it and map the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Ctx::new(cli.lang, cli.questions.clone()).with_verbose(cli.verbose);
    match run(&ctx, cli.command) {
        Ok(code) => code,
        // Only output that bypasses `outln!` can end here; none of it is a
        // verdict, so a reader that went away is not a failure.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            errln!("wasec: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

pub fn run(ctx: &Ctx, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::New(a) => review_cmds::new(ctx, a),
        Command::Answer(a) => answer::run(ctx, a),
        Command::Questions(c) => questions::run(ctx, c),
        Command::Score(a) => review_cmds::score(ctx, a),
        Command::Plan(a) => review_cmds::plan(ctx, a),
        Command::Check(a) => gate::run(ctx, a),
        Command::Diff(a) => review_cmds::diff(ctx, a),
        Command::Milestone(a) => review_cmds::milestone(ctx, a),
        Command::Merge(a) => merge::run(ctx, a),
        Command::Milestones(a) => milestones::run(ctx, a),
        Command::FollowUp(c) => follow_up::run(ctx, c),
        Command::Demo(a) => review_cmds::demo(ctx, a),
        Command::Review(a) => review_tui::run(ctx, a),
        Command::Report(a) => report::run(ctx, a),
        #[cfg(feature = "aws")]
        Command::Collect(a) => evidence::collect(ctx, a),
        #[cfg(feature = "aws")]
        Command::IamPolicy(a) => evidence::iam_policy(ctx, a),
        #[cfg(feature = "aws")]
        Command::Push(a) => watool::push(ctx, a),
        #[cfg(feature = "aws")]
        Command::Pull(a) => watool::pull(ctx, a),
        #[cfg(feature = "aws")]
        Command::Lens(c) => watool::lens(ctx, c),
        Command::Completions { shell } => {
            // Generated into memory first: clap_complete panics when it
            // writes to a closed pipe (`wasec completions bash | head`).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "wasec", &mut script);
            out!("{}", String::from_utf8_lossy(&script))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
