//! `wasec check FILE --fail-on high|medium`: a pipeline gate.

use super::Ctx;
use clap::{Args, ValueEnum};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use wasec_core::review::QuestionRisk;
use wasec_core::scoring::{self, QuestionScore};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Threshold {
    High,
    Medium,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The review file.
    pub file: PathBuf,
    /// Fail when any question is at or above this risk.
    #[arg(long, value_enum, default_value = "high")]
    pub fail_on: Threshold,
    /// Do not count unanswered questions as failing.
    #[arg(long)]
    pub allow_unanswered: bool,
    /// Also write the result as JUnit XML (one test case per question).
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
}

fn fails(q: &QuestionScore, args: &CheckArgs) -> bool {
    match q.risk {
        QuestionRisk::High => true,
        QuestionRisk::Medium => args.fail_on == Threshold::Medium,
        QuestionRisk::Unanswered => !args.allow_unanswered,
        QuestionRisk::None | QuestionRisk::NotApplicable => false,
    }
}

pub fn run(ctx: &Ctx, args: CheckArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let review = ctx.load(&args.file)?;
    let card = scoring::score(bank, &review);
    let failing: Vec<&QuestionScore> = card.questions.iter().filter(|q| fails(q, &args)).collect();
    if let Some(path) = &args.junit {
        let xml = junit(ctx, &card.questions, &args);
        wasec_core::review::write_atomic(path, xml.as_bytes())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    if failing.is_empty() {
        outln!(
            "{} {:.1}/100: {}",
            ctx.lang.pick("PASS  score", "合格  スコア"),
            card.score,
            ctx.lang.pick(
                "no question at or above the threshold",
                "しきい値以上のリスクの質問はありません"
            )
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "{} {:.1}/100: {} {}",
        ctx.lang.pick("FAIL  score", "不合格  スコア"),
        card.score,
        failing.len(),
        ctx.lang.pick(
            "question(s) at or above the threshold",
            "件の質問がしきい値以上です"
        )
    )?;
    for q in failing {
        let title = bank
            .question(&q.id)
            .map(|x| x.title.get(ctx.lang))
            .unwrap_or("");
        outln!(
            "  {}  {} {}",
            q.id,
            super::output::pad(q.risk.label(ctx.lang), 14),
            title
        )?;
    }
    Ok(ExitCode::from(1))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn junit(ctx: &Ctx, questions: &[QuestionScore], args: &CheckArgs) -> String {
    let failures = questions.iter().filter(|q| fails(q, args)).count();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuite name=\"wasec security review\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
        questions.len()
    );
    for q in questions {
        let title = ctx
            .bank()
            .ok()
            .and_then(|b| b.question(&q.id))
            .map(|x| x.title.en.clone())
            .unwrap_or_default();
        let _ = write!(
            xml,
            "  <testcase classname=\"wasec.security\" name=\"{} {}\"",
            q.id,
            escape(&title)
        );
        if fails(q, args) {
            let _ = writeln!(
                xml,
                ">\n    <failure message=\"{} risk: {}\"/>\n  </testcase>",
                q.id,
                q.risk.as_str()
            );
        } else {
            let _ = writeln!(xml, "/>");
        }
    }
    xml.push_str("</testsuite>\n");
    xml
}
