//! The focused BP in full: state, what good looks like, how to improve,
//! services, follow-up actions and every evidence item.

use super::{block, evidence_label, evidence_mark, wrapped};
use crate::app::{App, Pane};
use crate::text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use wasec_core::scoring::BpEvidence;

/// Time format for evidence items (UTC, as collected).
fn stamp(t: time::OffsetDateTime) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]Z");
    t.format(fmt).unwrap_or_default()
}

pub fn lines(app: &App, w: usize) -> Vec<Line<'static>> {
    let l = app.lang;
    let th = app.theme;
    let Some((q, b)) = app.focused_bp() else {
        return vec![Line::styled(
            l.pick("nothing selected", "選択されていません"),
            th.dim(),
        )];
    };
    let a = app.review.answer(&q.id);
    let mut out: Vec<Line<'static>> = Vec::new();
    out.extend(wrapped(
        &format!("{} {}", b.id, b.title.get(l)),
        w,
        th.bold(),
    ));
    let state = if let Some(r) = a.and_then(|a| a.not_applicable.get(&b.id)) {
        format!("{} ({})", l.pick("not applicable", "該当なし"), r.label(l))
    } else if a.is_some_and(|a| a.is_selected(&b.id)) {
        l.pick("in place", "実施済み").to_string()
    } else {
        l.pick("not in place", "未実施").to_string()
    };
    let summary = app.derived.evidence.get(&b.id).copied().unwrap_or_default();
    let ev = summary.status();
    let mut status = vec![
        Span::raw(format!(
            "{}: {}  ",
            l.pick("risk", "リスク"),
            b.risk.label(l)
        )),
        Span::raw(format!("{}  ", state)),
        evidence_mark(app, ev),
        Span::raw(format!(
            " {} {} ({}✓ {}✗ {}?)",
            l.pick("evidence", "エビデンス"),
            evidence_label(app, ev),
            summary.counts.pass,
            summary.counts.fail,
            summary.counts.unknown
        )),
    ];
    if ev == BpEvidence::Fail && a.is_some_and(|a| a.is_selected(&b.id)) {
        status.push(Span::styled(
            format!(
                "  ! {}",
                l.pick(
                    "contradiction: marked in place, evidence fails",
                    "矛盾: 実施済みだがエビデンスは不合格"
                )
            ),
            th.fg(Color::Red),
        ));
    }
    // Keep the status on one line when it fits; otherwise give each part
    // (risk and state, evidence, contradiction) its own line so no word is
    // split across lines.
    let plain: String = status.iter().map(|s| s.content.as_ref()).collect();
    if text::width(&plain) <= w {
        out.push(Line::from(status));
    } else {
        let mut parts = vec![Line::from(status[..2].to_vec())];
        parts.push(Line::from(status[2..4].to_vec()));
        if let Some(c) = status.get(4) {
            let t = c.content.trim_start().to_string();
            parts.push(Line::styled(t, c.style));
        }
        for line in parts {
            let p: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            if text::width(&p) <= w {
                out.push(line);
            } else {
                out.extend(wrapped(
                    p.trim(),
                    w,
                    line.spans.last().map(|s| s.style).unwrap_or_default(),
                ));
            }
        }
    }
    // The team's own note comes before the bank's guidance: in a meeting
    // it is what people look for first.
    if let Some(note) = a.and_then(|a| a.bp_notes.get(&b.id)) {
        out.push(Line::raw(""));
        out.push(Line::styled(
            l.pick("Notes (E edits)", "メモ（E で編集）").to_string(),
            th.heading(),
        ));
        for para in note.lines() {
            out.extend(wrapped(para, w, Style::new()));
        }
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        l.pick("What good looks like", "あるべき姿").to_string(),
        th.heading(),
    ));
    out.extend(wrapped(b.good.get(l), w, Style::new()));
    let steps = b.improve.get(l);
    if !steps.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled(
            l.pick("How to improve", "改善方法").to_string(),
            th.heading(),
        ));
        for (i, s) in steps.iter().enumerate() {
            let head = format!("{}. ", i + 1);
            for (j, line) in text::wrap(s, w.saturating_sub(3)).into_iter().enumerate() {
                let lead = if j == 0 {
                    head.clone()
                } else {
                    "   ".to_string()
                };
                out.push(Line::raw(format!("{lead}{line}")));
            }
        }
    }
    if !b.services.is_empty() {
        out.push(Line::raw(""));
        out.extend(wrapped(
            &format!(
                "{}: {}",
                l.pick("Related services", "関連サービス"),
                b.services.join(", ")
            ),
            w,
            th.dim(),
        ));
    }
    // Cross-references help teams that also answer to other frameworks.
    let m = &b.mappings;
    let refs: Vec<String> = [
        (
            l.pick("Security Hub controls", "Security Hub コントロール"),
            &m.security_hub,
        ),
        ("CIS v3", &m.cis_v3),
        ("Cyber Trust", &m.cyber_trust),
    ]
    .into_iter()
    .filter(|(_, ids)| !ids.is_empty())
    .map(|(name, ids)| format!("{name} {}", ids.join(" ")))
    .collect();
    if !refs.is_empty() {
        out.extend(wrapped(
            &format!("{}: {}", l.pick("Mappings", "対応付け"), refs.join(" · ")),
            w,
            th.dim(),
        ));
    }
    out.extend(wrapped(
        &format!(
            "{}: {}",
            l.pick("AWS guidance", "AWS のガイダンス"),
            b.url.get(l)
        ),
        w,
        th.dim(),
    ));
    if let Some(actions) = app.review.follow_ups.get(&b.id).filter(|v| !v.is_empty()) {
        out.push(Line::raw(""));
        out.push(Line::styled(
            l.pick(
                "Follow-up actions (A manages)",
                "フォローアップ（A で管理）",
            )
            .to_string(),
            th.heading(),
        ));
        for f in actions {
            let due = f.due.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
            let owner = if f.owner.is_empty() {
                "-"
            } else {
                f.owner.as_str()
            };
            let overdue = if f.is_overdue(app.today) {
                l.pick(", OVERDUE", "、期限超過")
            } else {
                ""
            };
            out.extend(wrapped(
                &format!(
                    "→ {} ({}: {owner}, {}: {due}, {}{overdue})",
                    f.text,
                    l.pick("owner", "担当"),
                    l.pick("due", "期限"),
                    f.status.label(l)
                ),
                w,
                Style::new(),
            ));
        }
    }
    let items: Vec<_> = app.review.evidence_for(&app.bank, &b.id).collect();
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!("{} ({})", l.pick("Evidence", "エビデンス"), items.len()),
        th.heading(),
    ));
    if items.is_empty() {
        let hint = if b.checks.is_empty() {
            l.pick(
                "no automated check: confirm with the team",
                "自動チェックなし: チームに確認してください",
            )
        } else {
            l.pick("none collected yet (c collects)", "未収集（c で収集）")
        };
        out.push(Line::styled(hint.to_string(), th.dim()));
    }
    for e in items {
        let st = match e.status {
            wasec_core::review::EvidenceStatus::Pass => BpEvidence::Pass,
            wasec_core::review::EvidenceStatus::Fail => BpEvidence::Fail,
            wasec_core::review::EvidenceStatus::Unknown => BpEvidence::Unknown,
            wasec_core::review::EvidenceStatus::NotApplicable => BpEvidence::None,
        };
        let public = if e.public {
            l.pick(" [public]", " [公開]")
        } else {
            ""
        };
        let account = if e.account.is_empty() {
            String::new()
        } else {
            format!(" {}", e.account)
        };
        let first = format!(
            "{} {}{account} {} — {}{public}",
            e.status.as_str(),
            e.check,
            e.region,
            e.summary(l)
        );
        let mut wl = wrapped(&first, w.saturating_sub(2), Style::new()).into_iter();
        if let Some(head) = wl.next() {
            let mut spans = vec![evidence_mark(app, st), Span::raw(" ")];
            spans.extend(head.spans);
            out.push(Line::from(spans));
        }
        out.extend(wl.map(|x| {
            let mut spans = vec![Span::raw("  ")];
            spans.extend(x.spans);
            Line::from(spans)
        }));
        let mut meta = Vec::new();
        if !e.account.is_empty() {
            meta.push(e.account.clone());
        }
        if !e.region.is_empty() {
            meta.push(e.region.clone());
        }
        meta.push(stamp(e.collected_at));
        out.push(Line::styled(format!("  {}", meta.join(" · ")), th.dim()));
        for r in &e.resources {
            out.push(Line::styled(
                format!("  {}", text::truncate(r, w.saturating_sub(2))),
                th.dim(),
            ));
        }
    }
    out
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = app.focus == Pane::Detail;
    let outer = block(
        app,
        format!(" {} ", app.lang.pick("Detail", "詳細")),
        focused,
    );
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let all = lines(app, inner.width as usize);
    // Scroll by slicing: the lines are already wrapped to the width.
    let max = all.len().saturating_sub(1);
    let from = (app.detail_scroll as usize).min(max);
    let shown: Vec<Line> = all
        .into_iter()
        .skip(from)
        .take(inner.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
