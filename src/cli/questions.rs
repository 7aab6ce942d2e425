//! `wasec questions list | show | validate`.

use super::{Ctx, output};
use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use wasec_core::Bank;
use wasec_core::bank::{BestPractice, Question};

#[derive(Debug, Subcommand)]
pub enum QuestionsCmd {
    /// List every question and best practice.
    List {
        /// Machine-readable output (both languages, all ids).
        #[arg(long)]
        json: bool,
    },
    /// Show one question (SEC01) or best practice (SEC01-BP02) in full.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Validate a question directory (default: the bank in use).
    Validate { dir: Option<PathBuf> },
}

pub fn run(ctx: &Ctx, cmd: QuestionsCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        QuestionsCmd::List { json } => list(ctx, json),
        QuestionsCmd::Show { id, json } => show(ctx, &id, json),
        QuestionsCmd::Validate { dir } => validate(ctx, dir),
    }
}

#[derive(Serialize)]
struct ListJson<'a> {
    framework_version: &'a str,
    lens_alias: &'a str,
    pillar_id: &'a str,
    question_count: usize,
    best_practice_count: usize,
    questions: &'a [Question],
}

fn list(ctx: &Ctx, json: bool) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    if json {
        output::json(&ListJson {
            framework_version: &bank.lens().framework_version,
            lens_alias: &bank.lens().lens_alias,
            pillar_id: &bank.lens().pillar_id,
            question_count: bank.questions().len(),
            best_practice_count: bank.bp_count(),
            questions: bank.questions(),
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let lang = ctx.lang;
    for q in bank.questions() {
        outln!("{}  {}", q.id, q.title.get(lang))?;
        for b in &q.best_practices {
            outln!(
                "  {}  {}  {}",
                b.id,
                output::pad(b.risk.label(lang), 6),
                b.title.get(lang)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(ctx: &Ctx, id: &str, json: bool) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let id = id.to_ascii_uppercase();
    if let Some((q, b)) = bank.bp(&id) {
        if json {
            output::json(b)?;
        } else {
            out!("{}", show_bp(ctx, q, b))?;
        }
    } else if let Some(q) = bank.question(&id) {
        if json {
            output::json(q)?;
        } else {
            outln!(
                "{}  {}\n{}\n",
                q.id,
                q.title.get(ctx.lang),
                q.description.get(ctx.lang)
            )?;
            for b in &q.best_practices {
                outln!(
                    "  {}  {}  {}",
                    b.id,
                    output::pad(b.risk.label(ctx.lang), 6),
                    b.title.get(ctx.lang)
                )?;
            }
        }
    } else {
        anyhow::bail!("no question or best practice '{id}' (try `wasec questions list`)");
    }
    Ok(ExitCode::SUCCESS)
}

fn show_bp(ctx: &Ctx, q: &Question, b: &BestPractice) -> String {
    let l = ctx.lang;
    let mut out = format!(
        "{}  {}\n{}: {}  |  {}: {}  |  {}: {}\n{}: {} ({} {})\n\n",
        b.id,
        b.title.get(l),
        l.pick("Question", "質問"),
        q.id,
        l.pick("Risk", "リスク"),
        b.risk.label(l),
        l.pick("Automation", "自動化"),
        b.automation.label(l),
        l.pick("WA Tool choice", "WA Tool 選択肢"),
        b.wa_choice_id,
        l.pick("confidence", "確度"),
        b.wa_choice_id_confidence.as_str()
    );
    out.push_str(&format!(
        "{}\n  {}\n\n",
        l.pick("What good looks like", "あるべき姿"),
        b.good.get(l)
    ));
    out.push_str(&format!("{}\n", l.pick("How to improve", "改善方法")));
    for (i, step) in b.improve.get(l).iter().enumerate() {
        out.push_str(&format!("  {}. {step}\n", i + 1));
    }
    let join = |v: &[String]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(", ")
        }
    };
    out.push_str(&format!(
        "\n{}: {}\n{}: {}\nSecurity Hub controls: {}\nCIS AWS Foundations v3.0: {}\nCyber Trust: {}\n",
        l.pick("Services", "関連サービス"),
        join(&b.services),
        l.pick("Evidence checks", "エビデンスチェック"),
        join(&b.checks),
        join(&b.mappings.security_hub),
        join(&b.mappings.cis_v3),
        join(&b.mappings.cyber_trust)
    ));
    out.push_str(&format!(
        "{}: {}\n",
        l.pick("AWS guidance", "AWS のガイダンス"),
        b.url.get(l)
    ));
    out
}

fn validate(ctx: &Ctx, dir: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let dir = dir.or_else(|| ctx.questions_dir().map(PathBuf::from));
    match Bank::load(dir.as_deref()) {
        // The loader checks every listed check against the catalogue.
        Ok(bank) => {
            outln!(
                "ok: {} questions, {} best practices ({})",
                bank.questions().len(),
                bank.bp_count(),
                dir.map(|d| d.display().to_string())
                    .unwrap_or_else(|| "built-in bank".into())
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            errln!("{e}");
            Ok(ExitCode::from(2))
        }
    }
}
