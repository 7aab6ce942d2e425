//! `wasec check FILE`: a pipeline gate that ticking boxes cannot fool.
//!
//! By default it judges the evidence-adjusted view (a selected best
//! practice whose evidence fails counts as not in place); `--declared-only`
//! gives the WA Tool's rule. A review with nothing answered, or in which
//! nothing applies, never passes. The exit code is the verdict: 0 pass,
//! 1 fail, 2 error, whatever happens to stdout or stderr.

use super::{Ctx, output};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use wasec_core::review::{QuestionRisk, Review};
use wasec_core::scoring::{self, Level, QuestionScore, Scorecard, View};
use wasec_core::{Bank, Lang};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Threshold {
    High,
    Medium,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PriorityArg {
    Critical,
    High,
    Medium,
}

impl PriorityArg {
    fn level(self) -> Level {
        match self {
            PriorityArg::Critical => Level::Critical,
            PriorityArg::High => Level::High,
            PriorityArg::Medium => Level::Medium,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The review file.
    pub file: PathBuf,
    /// Fail when any question's risk is at or above this level.
    #[arg(long, value_enum, default_value = "high")]
    pub fail_on: Threshold,
    /// Also fail when the plan has an item at or above this priority.
    #[arg(long, value_enum, value_name = "critical|high|medium")]
    pub fail_on_priority: Option<PriorityArg>,
    /// Also fail when the score is below N (0-100).
    #[arg(long, value_name = "N", value_parser = parse_score)]
    pub min_score: Option<f64>,
    /// Judge what the team declared (the WA Tool's rule) and ignore
    /// failing evidence under selected best practices.
    #[arg(long)]
    pub declared_only: bool,
    /// Do not count unanswered questions as failing. A review with nothing
    /// answered still fails.
    #[arg(long)]
    pub allow_unanswered: bool,
    /// Fail when a question is marked not applicable without a written
    /// reason in its notes (they are listed either way).
    #[arg(long)]
    pub strict: bool,
    /// Judge each AWS account on its own evidence (a review of a workload
    /// spread over accounts): the gate passes only when every account does.
    #[arg(long)]
    pub per_account: bool,
    /// Print the verdict as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Also write the result as JUnit XML (one test case per question and
    /// one per extra gate).
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
}

fn parse_score(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(n) if (0.0..=100.0).contains(&n) => Ok(n),
        _ => Err(format!("'{s}' is not a score between 0 and 100")),
    }
}

/// Why a review fails (or, for unexplained n/a without `--strict`, a warning).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    NothingAnswered,
    NothingApplies,
    QuestionRisk {
        question: String,
        risk: QuestionRisk,
    },
    Unanswered {
        question: String,
    },
    PlanPriority {
        rank: usize,
        bp: String,
        priority: Level,
    },
    MinScore {
        score: Option<f64>,
        min: f64,
    },
    UnexplainedNotApplicable {
        question: String,
    },
}

#[derive(Debug, Serialize)]
pub struct Verdict {
    pub pass: bool,
    pub view: View,
    pub score: Option<f64>,
    pub declared_score: Option<f64>,
    pub evidence_adjusted_score: Option<f64>,
    /// Reasons the gate fails.
    pub failures: Vec<Reason>,
    /// Listed, but not failing under these options.
    pub warnings: Vec<Reason>,
}

/// Judge a review under the given options.
pub fn judge(bank: &Bank, review: &Review, args: &CheckArgs) -> Verdict {
    let card = scoring::score(bank, review);
    let view = if args.declared_only {
        View::Declared
    } else {
        View::EvidenceAdjusted
    };
    let mut failures = Vec::new();
    let mut warnings = Vec::new();
    let answered = card
        .questions
        .iter()
        .filter(|q| q.risk != QuestionRisk::Unanswered)
        .count();
    if answered == 0 {
        failures.push(Reason::NothingAnswered);
    } else if card.view(view).score.is_none() {
        failures.push(Reason::NothingApplies);
    }
    for q in &card.questions {
        if let Some(r) = question_reason(q, view, args) {
            failures.push(r);
        }
    }
    for id in unexplained_na(review, &card) {
        let r = Reason::UnexplainedNotApplicable { question: id };
        if args.strict {
            failures.push(r);
        } else {
            warnings.push(r);
        }
    }
    if let Some(p) = args.fail_on_priority {
        failures.extend(plan_reasons(bank, review, view, p.level()));
    }
    if let Some(min) = args.min_score {
        let score = card.view(view).score;
        if score.is_none_or(|s| s < min) {
            failures.push(Reason::MinScore { score, min });
        }
    }
    Verdict {
        pass: failures.is_empty(),
        view,
        score: card.view(view).score,
        declared_score: card.declared.score,
        evidence_adjusted_score: card.evidence_adjusted.score,
        failures,
        warnings,
    }
}

fn question_reason(q: &QuestionScore, view: View, args: &CheckArgs) -> Option<Reason> {
    let risk = q.view(view).risk;
    let fails = match risk {
        QuestionRisk::High => true,
        QuestionRisk::Medium => args.fail_on == Threshold::Medium,
        QuestionRisk::Unanswered => !args.allow_unanswered,
        QuestionRisk::None | QuestionRisk::NotApplicable => false,
    };
    let question = q.id.clone();
    let reason = match risk {
        QuestionRisk::Unanswered => Reason::Unanswered { question },
        risk => Reason::QuestionRisk { question, risk },
    };
    fails.then_some(reason)
}

/// Questions marked not applicable with no written reason in their notes.
fn unexplained_na(review: &Review, card: &Scorecard) -> Vec<String> {
    card.questions
        .iter()
        .filter(|q| q.risk == QuestionRisk::NotApplicable)
        .filter(|q| {
            review
                .answer(&q.id)
                .is_none_or(|a| a.notes.trim().is_empty())
        })
        .map(|q| q.id.clone())
        .collect()
}

/// Plan items at or above `level`. In the declared view a contradiction
/// (a selected BP whose evidence fails) is not a failure: that view
/// deliberately believes the team.
fn plan_reasons(bank: &Bank, review: &Review, view: View, level: Level) -> Vec<Reason> {
    scoring::plan(bank, review)
        .into_iter()
        .filter(|p| p.priority >= level)
        .filter(|p| view == View::EvidenceAdjusted || p.kind == scoring::PlanKind::Gap)
        .map(|p| Reason::PlanPriority {
            rank: p.rank,
            bp: p.bp_id,
            priority: p.priority,
        })
        .collect()
}

/// One account's verdict (`--per-account`).
#[derive(Debug, Serialize)]
pub struct AccountVerdict {
    pub account: String,
    #[serde(flatten)]
    pub verdict: Verdict,
}

fn run_per_account(
    ctx: &Ctx,
    bank: &Bank,
    review: &Review,
    args: &CheckArgs,
) -> anyhow::Result<ExitCode> {
    let accounts = wasec_core::evidence::accounts(review);
    if accounts.is_empty() {
        anyhow::bail!(
            "{}: no evidence from any account yet (run `wasec collect` first, or check without --per-account)",
            args.file.display()
        );
    }
    let verdicts: Vec<AccountVerdict> = accounts
        .into_iter()
        .map(|account| AccountVerdict {
            verdict: judge(
                bank,
                &wasec_core::evidence::for_account(review, &account),
                args,
            ),
            account,
        })
        .collect();
    let pass = verdicts.iter().all(|v| v.verdict.pass);
    let code = ExitCode::from(if pass { 0 } else { 1 });
    if args.json {
        output::json(&serde_json::json!({ "pass": pass, "accounts": verdicts }))?;
        return Ok(code);
    }
    let l = ctx.lang;
    for v in &verdicts {
        out!(
            "{} {}: {}",
            l.pick("account", "アカウント"),
            v.account,
            text(bank, &v.verdict, l)
        )?;
    }
    let failing = verdicts.iter().filter(|v| !v.verdict.pass).count();
    outln!(
        "{} {failing}/{} {}",
        if pass {
            l.pick("PASS", "合格")
        } else {
            l.pick("FAIL", "不合格")
        },
        verdicts.len(),
        l.pick("accounts fail the gate", "アカウントが不合格")
    )?;
    Ok(code)
}

pub fn run(ctx: &Ctx, args: CheckArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let review = ctx.load(&args.file)?;
    if args.per_account {
        return run_per_account(ctx, bank, &review, &args);
    }
    let verdict = judge(bank, &review, &args);
    // The verdict is decided before anything is written: whatever happens
    // to the output below, the exit code stays the verdict.
    let code = ExitCode::from(if verdict.pass { 0 } else { 1 });
    if let Some(path) = &args.junit {
        let xml = junit(bank, &verdict, &args)?;
        wasec_core::review::write_atomic(path, xml.as_bytes())?;
    }
    if args.json {
        output::json(&verdict)?;
    } else {
        out!("{}", text(bank, &verdict, ctx.lang))?;
    }
    Ok(code)
}

fn fmt_score(s: Option<f64>) -> String {
    s.map(|s| format!("{s:.1}/100"))
        .unwrap_or_else(|| "-".into())
}

/// The verdict as text: one headline, then one line per reason.
pub fn text(bank: &Bank, v: &Verdict, l: Lang) -> String {
    let head = if v.pass {
        l.pick("PASS", "合格")
    } else {
        l.pick("FAIL", "不合格")
    };
    let other = match v.view {
        View::EvidenceAdjusted => format!(
            "{} {}",
            View::Declared.label(l),
            fmt_score(v.declared_score)
        ),
        View::Declared => format!(
            "{} {}",
            View::EvidenceAdjusted.label(l),
            fmt_score(v.evidence_adjusted_score)
        ),
    };
    let mut out = format!(
        "{head}  {} {} {} ({other})\n",
        v.view.label(l),
        l.pick("score", "スコア"),
        fmt_score(v.score),
    );
    for r in &v.failures {
        out.push_str(&format!("  ✗ {}\n", reason_text(bank, r, l)));
    }
    for r in &v.warnings {
        out.push_str(&format!("  ! {}\n", reason_text(bank, r, l)));
    }
    if v.pass && v.failures.is_empty() {
        out.push_str(&format!(
            "  {}\n",
            l.pick(
                "no question or plan item at or above the thresholds",
                "しきい値以上の質問・改善項目はありません"
            )
        ));
    }
    out
}

fn question_title<'a>(bank: &'a Bank, id: &str, l: Lang) -> &'a str {
    bank.question(id).map(|q| q.title.get(l)).unwrap_or("")
}

pub fn reason_text(bank: &Bank, r: &Reason, l: Lang) -> String {
    match r {
        Reason::NothingAnswered => l
            .pick(
                "nothing is answered: an empty review never passes",
                "回答がありません。空のレビューは合格になりません",
            )
            .to_string(),
        Reason::NothingApplies => l
            .pick(
                "every question is marked not applicable: the review assesses nothing",
                "すべての質問が該当なしです。何も評価されていません",
            )
            .to_string(),
        Reason::QuestionRisk { question, risk } => format!(
            "{question}  {} {}",
            output::pad(risk.label(l), 12),
            question_title(bank, question, l)
        ),
        Reason::Unanswered { question } => format!(
            "{question}  {} {}",
            output::pad(QuestionRisk::Unanswered.label(l), 12),
            question_title(bank, question, l)
        ),
        Reason::PlanPriority { rank, bp, priority } => format!(
            "{} #{rank} {} {bp} {}",
            l.pick("plan item", "改善項目"),
            priority.label(l),
            bank.bp(bp).map(|(_, b)| b.title.get(l)).unwrap_or("")
        ),
        Reason::MinScore { score, min } => format!(
            "{} {} < {min:.1}",
            l.pick("score", "スコア"),
            fmt_score(*score)
        ),
        Reason::UnexplainedNotApplicable { question } => format!(
            "{question}  {}",
            l.pick(
                "marked not applicable without a written reason (write it in the notes)",
                "理由の記載なしで該当なしになっています（メモに理由を記載してください）"
            )
        ),
    }
}

/// The verdict as JUnit XML: a case per question, then a case per extra
/// gate (nothing answered, plan priority, minimum score, n/a reasons).
fn junit(bank: &Bank, v: &Verdict, args: &CheckArgs) -> anyhow::Result<String> {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut suite = TestSuite::new("wasec security review");
    let failing_question = |id: &str| {
        v.failures.iter().find(|r| {
            matches!(r, Reason::QuestionRisk { question, .. } | Reason::Unanswered { question }
                | Reason::UnexplainedNotApplicable { question } if question == id)
        })
    };
    for q in bank.questions() {
        let status = match failing_question(&q.id) {
            Some(r) => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(reason_text(bank, r, Lang::En));
                s
            }
            None => TestCaseStatus::success(),
        };
        let mut case = TestCase::new(format!("{} {}", q.id, q.title.en), status);
        case.set_classname("wasec.security");
        suite.add_test_case(case);
    }
    let gates = v.failures.iter().filter(|r| {
        !matches!(
            r,
            Reason::QuestionRisk { .. }
                | Reason::Unanswered { .. }
                | Reason::UnexplainedNotApplicable { .. }
        )
    });
    for r in gates {
        let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
        s.set_message(reason_text(bank, r, Lang::En));
        let mut case = TestCase::new(gate_name(r, args), s);
        case.set_classname("wasec.gate");
        suite.add_test_case(case);
    }
    let mut report = Report::new("wasec");
    report.add_test_suite(suite);
    Ok(report.to_string()?)
}

fn gate_name(r: &Reason, args: &CheckArgs) -> String {
    match r {
        Reason::NothingAnswered => "review has answers".into(),
        Reason::NothingApplies => "something applies".into(),
        Reason::PlanPriority { bp, .. } => format!(
            "no plan item at or above {:?} ({bp})",
            args.fail_on_priority
                .map(|p| p.level().as_str())
                .unwrap_or("-")
        ),
        Reason::MinScore { min, .. } => format!("score at least {min:.1}"),
        _ => "gate".into(),
    }
}
