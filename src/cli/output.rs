//! Text output helpers shared by the commands.

use wasec_core::Lang;
use wasec_core::bank::Bank;
use wasec_core::review::QuestionRisk;
use wasec_core::scoring::{PlanItem, PlanKind, Scorecard};

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

/// The score table: overall, then one line per question.
pub fn scorecard(bank: &Bank, card: &Scorecard, lang: Lang) -> String {
    let c = &card.counts;
    let mut out = format!(
        "{} {:.1}/100   {} {}  {} {}  {} {}  {} {}  {} {}\n\n",
        lang.pick("Score", "スコア"),
        card.score,
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
    );
    for q in &card.questions {
        let title = bank
            .question(&q.id)
            .map(|x| x.title.get(lang))
            .unwrap_or("");
        out.push_str(&format!(
            "{}  {} {}  {}/{}  {}\n",
            q.id,
            pad(risk_label(q.risk, lang), 14),
            fmt_score(q.score),
            q.selected,
            q.applicable,
            title
        ));
    }
    out
}

pub fn risk_label(risk: QuestionRisk, lang: Lang) -> &'static str {
    risk.label(lang)
}

/// The plan as a plain-text table.
pub fn plan_text(bank: &Bank, items: &[PlanItem], lang: Lang) -> String {
    if items.is_empty() {
        return lang
            .pick(
                "No improvement items: every applicable best practice is in place.\n",
                "改善項目はありません。該当するベストプラクティスはすべて実施済みです。\n",
            )
            .to_string();
    }
    let mut out = String::new();
    for item in items {
        let title = bank
            .bp(&item.bp_id)
            .map(|(_, b)| b.title.get(lang))
            .unwrap_or("");
        let mark = match item.kind {
            PlanKind::Contradiction => lang.pick(
                " [contradiction: selected but evidence fails]",
                " [矛盾: 実施済みだがエビデンスが失敗]",
            ),
            PlanKind::Gap => "",
        };
        out.push_str(&format!(
            "{:>3}. {} {}  {}{}\n",
            item.rank,
            pad(item.priority.label(lang), 8),
            item.bp_id,
            title,
            mark
        ));
        let e = &item.evidence.counts;
        let mut detail = format!(
            "     {} {} x {} {}",
            lang.pick("likelihood", "発生可能性"),
            item.likelihood.label(lang),
            lang.pick("severity", "重大度"),
            item.severity.label(lang)
        );
        if e.total() > 0 {
            detail.push_str(&format!(
                "; {} {} pass / {} fail / {} unknown",
                lang.pick("evidence", "エビデンス"),
                e.pass,
                e.fail,
                e.unknown
            ));
        }
        if let Some(a) = item.current_action() {
            detail.push_str(&format!("; {} {}", lang.pick("action:", "対応:"), a.text));
            if !a.owner.is_empty() {
                detail.push_str(&format!(" ({})", a.owner));
            }
            if let Some(d) = a.due {
                detail.push_str(&format!(" {} {d}", lang.pick("due", "期限")));
            }
        }
        out.push_str(&detail);
        out.push('\n');
    }
    out
}

/// The plan as Markdown.
pub fn plan_markdown(bank: &Bank, items: &[PlanItem], lang: Lang) -> String {
    let mut out = format!(
        "| # | {} | BP | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|\n",
        lang.pick("Priority", "優先度"),
        lang.pick("Title", "タイトル"),
        lang.pick("Risk", "リスク"),
        lang.pick("Evidence", "エビデンス"),
        lang.pick("Action", "対応")
    );
    for item in items {
        let title = bank
            .bp(&item.bp_id)
            .map(|(_, b)| b.title.get(lang))
            .unwrap_or("");
        let e = &item.evidence.counts;
        let evidence = if e.total() == 0 {
            "-".to_string()
        } else {
            format!("{} / {} / {}", e.pass, e.fail, e.unknown)
        };
        let kind = if item.kind == PlanKind::Contradiction {
            lang.pick(" (contradiction)", "（矛盾）")
        } else {
            ""
        };
        let action = item
            .current_action()
            .map(|a| a.text.replace('|', "\\|"))
            .unwrap_or_default();
        out.push_str(&format!(
            "| {} | {} | {} | {}{} | {} | {} | {} |\n",
            item.rank,
            item.priority.label(lang),
            item.bp_id,
            title.replace('|', "\\|"),
            kind,
            item.risk.label(lang),
            evidence,
            action
        ));
    }
    out
}
