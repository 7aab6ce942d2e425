//! `wasec answer FILE SEC01 ...`: scriptable self-assessment.

use super::Ctx;
use anyhow::{Context, bail};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use wasec_core::review::{NaReason, check_bp_in_question};

#[derive(Debug, Args)]
pub struct AnswerArgs {
    /// The review file.
    pub file: PathBuf,
    /// Question id, e.g. SEC01.
    pub question: String,
    /// Best practices in place (comma separated), e.g. SEC01-BP01,SEC01-BP02.
    /// Replaces the question's current selection.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Mark best practices not applicable: BP=REASON, where REASON is
    /// out_of_scope, business_priorities, architecture_constraints, other or none.
    #[arg(long, value_name = "BP=REASON")]
    pub na: Vec<String>,
    /// Reviewed: none of the best practices is in place.
    #[arg(long, conflicts_with = "select")]
    pub none: bool,
    /// The whole question does not apply (with a reason).
    #[arg(long, value_name = "REASON", value_parser = parse_reason)]
    pub question_na: Option<NaReason>,
    /// Question notes (replaces existing notes).
    #[arg(long)]
    pub notes: Option<String>,
    /// Notes on one best practice: BP=TEXT (repeatable; empty TEXT removes
    /// them). Pushed to the WA Tool as the choice's notes.
    #[arg(long, value_name = "BP=TEXT")]
    pub bp_note: Vec<String>,
    /// Print the question's answer and risk (both views) as JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_reason(s: &str) -> Result<NaReason, String> {
    NaReason::parse(s).ok_or_else(|| {
        format!("unknown reason '{s}' (expected out_of_scope, business_priorities, architecture_constraints, other or none)")
    })
}

/// Split a `BP=VALUE` argument; the BP must belong to the question.
fn bp_pair<'a>(
    bank: &wasec_core::Bank,
    question: &str,
    spec: &'a str,
    usage: &str,
) -> anyhow::Result<(String, &'a str)> {
    let (bp, value) = spec
        .split_once('=')
        .with_context(|| format!("{usage}, got '{spec}'"))?;
    let bp = bp.trim().to_ascii_uppercase();
    check_bp_in_question(bank, question, &bp)?;
    Ok((bp, value))
}

pub fn run(ctx: &Ctx, args: AnswerArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let q = bank.question(&args.question).with_context(|| {
        format!(
            "unknown question '{}' (expected SEC01..SEC11)",
            args.question
        )
    })?;
    let qid = q.id.clone();
    // Parse and check every input before touching the file.
    let select: Vec<String> = args
        .select
        .iter()
        .map(|s| s.trim().to_ascii_uppercase())
        .filter(|s| !s.is_empty())
        .collect();
    for bp in &select {
        check_bp_in_question(bank, &qid, bp)?;
    }
    let mut na = Vec::new();
    for spec in &args.na {
        let (bp, reason) = bp_pair(bank, &qid, spec, "--na expects BP=REASON")?;
        if select.contains(&bp) {
            bail!("{bp} cannot be both selected and not applicable");
        }
        na.push((bp, parse_reason(reason.trim()).map_err(anyhow::Error::msg)?));
    }
    let bp_notes = args
        .bp_note
        .iter()
        .map(|spec| bp_pair(bank, &qid, spec, "--bp-note expects BP=TEXT"))
        .collect::<anyhow::Result<Vec<_>>>()?;

    let (mut file, mut review) = ctx.open(&args.file)?;
    if !args.select.is_empty() || args.none {
        for b in &q.best_practices {
            review.set_selected(bank, &b.id, select.contains(&b.id))?;
        }
    }
    for (bp, reason) in na {
        review.set_bp_na(bank, &bp, Some(reason))?;
    }
    if args.none {
        review.set_none_of_these(bank, &qid, true)?;
    }
    if let Some(reason) = args.question_na {
        review.set_question_na(bank, &qid, Some(reason))?;
    }
    if let Some(notes) = &args.notes {
        review.set_notes(bank, &qid, notes)?;
    }
    for (bp, text) in &bp_notes {
        review.set_bp_notes(bank, bp, text)?;
    }
    ctx.save(&mut file, &mut review)?;
    let card = wasec_core::scoring::score(bank, &review);
    let qs = card.question(&qid).context("the bank has this question")?;
    if args.json {
        super::output::json(&serde_json::json!({
            "question": qid,
            "risk": qs.risk,
            "score": qs.score,
            "evidence_adjusted": qs.evidence_adjusted,
            "contradictions": qs.contradictions,
            "answer": review.answer(&qid).cloned().unwrap_or_default(),
        }))?;
    } else if qs.risk == qs.evidence_adjusted.risk {
        outln!("{qid}: {}", qs.risk.label(ctx.lang))?;
    } else {
        outln!(
            "{qid}: {} ({}: {})",
            qs.risk.label(ctx.lang),
            ctx.lang.pick("with evidence", "エビデンス反映"),
            qs.evidence_adjusted.risk.label(ctx.lang)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
