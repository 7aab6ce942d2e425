//! Text output helpers shared by the commands.

use std::fmt::Arguments;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once stdout's reader has gone away; later output is skipped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Write to stdout; a closed pipe ends the output quietly (see `outln!`).
pub fn write_stdout(args: Arguments<'_>) -> io::Result<()> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    match io::stdout().lock().write_fmt(args) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        other => other,
    }
}

/// Write to stderr, ignoring failure: there is nowhere left to report it.
pub fn write_stderr(args: Arguments<'_>) {
    let _ = io::stderr().lock().write_fmt(args);
}

use wasec_core::Lang;
use wasec_core::bank::Bank;
use wasec_core::review::{NaReason, QuestionRisk, RiskCounts};
use wasec_core::scoring::{ReviewDiff, Scorecard, View};

/// Pad `s` with spaces to `width` terminal columns (Japanese characters
/// take two columns, so `format!("{:<14}")` would misalign them).
pub fn pad(s: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Print a value as pretty JSON on stdout.
pub fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?)?;
    Ok(())
}

fn fmt_score(s: Option<f64>) -> String {
    s.map(|s| format!("{s:5.1}"))
        .unwrap_or_else(|| "    -".into())
}

fn counts_text(c: &RiskCounts, lang: Lang) -> String {
    format!(
        "{} {}  {} {}  {} {}  {} {}  {} {}",
        lang.pick("high", "高"),
        c.high,
        lang.pick("medium", "中"),
        c.medium,
        lang.pick("none", "なし"),
        c.none,
        lang.pick("unanswered", "未回答"),
        c.unanswered,
        lang.pick("n/a", "該当なし"),
        c.not_applicable
    )
}

fn score_100(s: Option<f64>) -> String {
    s.map(|s| format!("{s:.1}/100"))
        .unwrap_or_else(|| "-".into())
}

/// The score table: overall, then one line per question. When evidence
/// changes the result, both views are shown and named.
pub fn scorecard(bank: &Bank, card: &Scorecard, lang: Lang) -> String {
    let (d, e) = (&card.declared, &card.evidence_adjusted);
    let differ = card.views_differ();
    let mut out = if differ {
        let name = |v: View| pad(v.label(lang), 18);
        format!(
            "{}\n  {} {:>9}   {}\n  {} {:>9}   {}\n\n",
            lang.pick("Score", "スコア"),
            name(View::Declared),
            score_100(d.score),
            counts_text(&d.counts, lang),
            name(View::EvidenceAdjusted),
            score_100(e.score),
            counts_text(&e.counts, lang),
        )
    } else {
        format!(
            "{} {}   {}\n\n",
            lang.pick("Score", "スコア"),
            score_100(d.score),
            counts_text(&d.counts, lang)
        )
    };
    for q in &card.questions {
        let title = bank
            .question(&q.id)
            .map(|x| x.title.get(lang))
            .unwrap_or("");
        let a = q.evidence_adjusted;
        let (risk, score) = if a.risk != q.risk || a.score != q.score {
            (
                format!(
                    "{} → {}",
                    pad(risk_label(q.risk, lang), 14),
                    pad(risk_label(a.risk, lang), 14)
                ),
                format!("{} → {}", fmt_score(q.score), fmt_score(a.score)),
            )
        } else if differ {
            (
                pad(risk_label(q.risk, lang), 31),
                pad(&fmt_score(q.score), 13),
            )
        } else {
            (pad(risk_label(q.risk, lang), 14), fmt_score(q.score))
        };
        out.push_str(&format!(
            "{}  {risk} {score}  {}/{}  {title}\n",
            q.id, q.selected, q.applicable,
        ));
    }
    if differ {
        out.push_str(&format!(
            "\n{}\n",
            lang.pick(
                "→ with evidence: a best practice marked in place whose evidence fails counts as not in place.",
                "→ エビデンス反映: 実施済みとされたベストプラクティスでも、エビデンスが不合格なら未実施として扱います。"
            )
        ));
    }
    out
}

/// What changed between two reviews, as text.
pub fn diff_text(d: &ReviewDiff, l: Lang) -> String {
    let mut out = format!(
        "{} {} -> {}",
        l.pick("score", "スコア"),
        score_100(d.score_before),
        score_100(d.score_after)
    );
    if (d.adjusted_score_before, d.adjusted_score_after) != (d.score_before, d.score_after) {
        out.push_str(&format!(
            "  ({} {} -> {})",
            l.pick("with evidence", "エビデンス反映"),
            score_100(d.adjusted_score_before),
            score_100(d.adjusted_score_after)
        ));
    }
    out.push('\n');
    if d.is_empty() {
        out.push_str(l.pick("no change\n", "変更はありません\n"));
    }
    let na = |r: &Option<NaReason>| r.map(|r| r.as_str()).unwrap_or("applicable");
    for q in &d.questions {
        let mut risk = if q.risk_before == q.risk_after {
            q.risk_after.label(l).to_string()
        } else {
            format!("{} -> {}", q.risk_before.label(l), q.risk_after.label(l))
        };
        if (q.adjusted_risk_before, q.adjusted_risk_after) != (q.risk_before, q.risk_after) {
            risk.push_str(&format!(
                "  ({} {} -> {})",
                l.pick("with evidence", "エビデンス反映"),
                q.adjusted_risk_before.label(l),
                q.adjusted_risk_after.label(l)
            ));
        }
        out.push_str(&format!("{}  {risk}\n", q.id));
        for bp in &q.selected {
            out.push_str(&format!("  + {bp}\n"));
        }
        for bp in &q.unselected {
            out.push_str(&format!("  - {bp}\n"));
        }
        for (bp, (before, after)) in &q.not_applicable {
            out.push_str(&format!(
                "  ~ {bp} {}: {} -> {}\n",
                l.pick("not applicable", "該当なし"),
                na(before),
                na(after)
            ));
        }
        if let Some((b, a)) = q.none_of_these {
            out.push_str(&format!(
                "  ~ {}: {b} -> {a}\n",
                l.pick("none of these", "いずれも該当しない")
            ));
        }
        if let Some((b, a)) = &q.question_not_applicable {
            out.push_str(&format!(
                "  ~ {}: {} -> {}\n",
                l.pick("question not applicable", "質問の該当なし"),
                na(b),
                na(a)
            ));
        }
        if let Some((_, after)) = &q.notes {
            out.push_str(&format!("  ~ {}:\n", l.pick("notes", "メモ")));
            out.push_str(&indent(after, "      "));
        }
        for (bp, (_, after)) in &q.bp_notes {
            out.push_str(&format!("  ~ {bp} {}:\n", l.pick("notes", "メモ")));
            out.push_str(&indent(after.as_deref().unwrap_or("-"), "      "));
        }
    }
    for f in &d.follow_ups {
        let (mark, action) = match (&f.before, &f.after) {
            (None, Some(a)) => ("+", a),
            (Some(b), None) => ("-", b),
            (_, Some(a)) => ("~", a),
            (None, None) => continue,
        };
        out.push_str(&format!(
            "{mark} {} {} {} [{}]: {}\n",
            l.pick("follow-up", "フォローアップ"),
            f.id,
            f.bp,
            action.status.label(l),
            action.text
        ));
    }
    out
}

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|line| format!("{by}{line}\n")).collect()
}

pub fn risk_label(risk: QuestionRisk, lang: Lang) -> &'static str {
    risk.label(lang)
}

/// The plan section of the report document: its tables in order (the
/// actions, then the items per BP), or `None` when the plan is empty.
fn plan_tables(d: &wasec_report::doc::Document) -> Vec<&wasec_report::doc::Table> {
    d.sections
        .iter()
        .filter(|s| s.id == wasec_report::doc::id::PLAN)
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            wasec_report::doc::Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// The plan as text, from the same document the reports write: one block
/// per action (rank, priority, what to fix, what was agreed, the BPs it
/// closes, the next step, owner / due / status).
pub fn plan_text(report: &wasec_report::Report) -> String {
    let d = wasec_report::doc::build(report);
    let tables = plan_tables(&d);
    let Some(actions) = tables.first() else {
        return format!("{}\n", wasec_report::labels::empty_plan(report));
    };
    let mut out = String::new();
    for row in &actions.rows {
        let cells: Vec<Vec<String>> = row
            .cells
            .iter()
            .map(|c| c.lines.iter().map(|l| l.flat()).collect())
            .collect();
        let rank = cells[0].join(" ");
        let priority = cells[1].join(" ");
        let mut what = cells[2].iter();
        out.push_str(&format!(
            "{:>3}. {} {}\n",
            rank,
            pad(&priority, 9),
            what.next().map(String::as_str).unwrap_or("")
        ));
        for line in what {
            out.push_str(&format!("     {line}\n"));
        }
        let who: Vec<&str> = cells[3]
            .iter()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        out.push_str(&format!("     {}\n", who.join(" · ")));
    }
    if report.contradictions > 0 {
        out.push_str(report.lang.pick(
            "\n▲ contradiction: marked in place, but the evidence fails.\n",
            "\n▲ 矛盾: 実施済みとされているが、エビデンスが不合格。\n",
        ));
    }
    out
}

/// The plan as Markdown, from the same document and Markdown writer as
/// the reports: the items per BP, then the actions that group them.
pub fn plan_markdown(report: &wasec_report::Report) -> String {
    let d = wasec_report::doc::build(report);
    let tables = plan_tables(&d);
    match tables.as_slice() {
        [actions, items] => format!(
            "{}#### {}\n\n{}",
            wasec_report::markdown::table_markdown(items),
            report.lang.pick("Actions", "対応"),
            wasec_report::markdown::table_markdown(actions)
        ),
        _ => format!("{}\n", wasec_report::labels::empty_plan(report)),
    }
}
