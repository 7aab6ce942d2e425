//! The dashboard: overall score and risk counts, a bar per question, the
//! likelihood x severity heat map of the plan, and the top of the plan.

use super::{block, level_style, risk_badge};
use crate::app::{App, level_index};
use crate::text;
use crate::update::DASHBOARD_PLAN_ROWS;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use wasec_core::scoring::{Level, PlanKind, View};

fn bar(frac: f64, cols: usize) -> (String, String) {
    let full = ((frac.clamp(0.0, 1.0) * cols as f64).round() as usize).min(cols);
    ("█".repeat(full), "░".repeat(cols - full))
}

/// One view's score bar and risk counts, named when both views show.
fn overall_line(app: &App, view: View, named: bool, width: u16) -> Line<'static> {
    let l = app.lang;
    let th = app.theme;
    let v = app.derived.card.view(view);
    let c = &v.counts;
    let counts = format!(
        "  {} {}  {} {}  {} {}  {} {}  {} {}",
        l.pick("HRI", "高リスク"),
        c.high,
        l.pick("MRI", "中リスク"),
        c.medium,
        l.pick("none", "なし"),
        c.none,
        l.pick("unanswered", "未回答"),
        c.unanswered,
        l.pick("n/a", "該当なし"),
        c.not_applicable
    );
    let name = if named {
        text::pad(view.label(l), 18)
    } else {
        l.pick("Score", "スコア").to_string()
    };
    let score = v
        .score
        .map(|s| format!("{s:>5.1}/100"))
        .unwrap_or_else(|| format!("{:>9}", "-"));
    let head = format!("{name} {score} ");
    let bar_w = (width as usize)
        .saturating_sub(text::width(&head) + text::width(&counts))
        .clamp(0, 40);
    let (f, e) = bar(v.score.unwrap_or(0.0) / 100.0, bar_w);
    Line::from(vec![
        Span::styled(head, th.bold()),
        Span::styled(f, th.fg(Color::Green)),
        Span::styled(e, th.dim()),
        Span::raw(counts),
    ])
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let l = app.lang;
    let th = app.theme;
    let c = &app.derived.card;
    let differ = c.views_differ();
    let [top, mid, bottom] = Layout::vertical([
        Constraint::Length(if differ { 4 } else { 3 }),
        Constraint::Length(13),
        Constraint::Min(3),
    ])
    .areas(area);

    // Score and counts: one line, or one per view when evidence moves them.
    let b = block(app, format!(" {} ", l.pick("Overall", "全体")), false);
    let inner = b.inner(top);
    frame.render_widget(b, top);
    let mut lines = vec![overall_line(app, View::Declared, differ, inner.width)];
    if differ {
        lines.push(overall_line(
            app,
            View::EvidenceAdjusted,
            differ,
            inner.width,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);

    // Bars per question and the heat map.
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(mid);
    let title = if differ {
        format!(
            " {} ({}) ",
            l.pick("Questions", "質問別"),
            l.pick(
                "declared risk → with evidence",
                "申告リスク → エビデンス反映"
            )
        )
    } else {
        format!(" {} ", l.pick("Questions", "質問別"))
    };
    let b = block(app, title, false);
    let inner = b.inner(left);
    frame.render_widget(b, left);
    let w = inner.width as usize;
    let arrow_cols = if differ { 6 } else { 0 };
    let bar_cols = w.saturating_sub(6 + 4 + 7 + arrow_cols).max(1);
    let rows: Vec<Line> = c
        .questions
        .iter()
        .map(|q| {
            let (pct, frac) = match q.score {
                Some(s) => (format!("{s:>5.0}%"), s / 100.0),
                None => ("    - ".to_string(), 0.0),
            };
            let (f, e) = bar(frac, bar_cols);
            let adjusted = q.evidence_adjusted.risk;
            let arrow = if !differ {
                vec![]
            } else if adjusted == q.risk {
                vec![Span::raw(" ".repeat(arrow_cols))]
            } else {
                vec![
                    Span::styled(" → ", th.fg(Color::Red)),
                    risk_badge(app, adjusted),
                ]
            };
            let mut spans = vec![Span::raw(format!("{} ", q.id)), risk_badge(app, q.risk)];
            spans.extend(arrow);
            spans.extend([
                Span::raw(" "),
                Span::styled(f, th.fg(Color::Green)),
                Span::styled(e, th.dim()),
                Span::raw(pct),
            ]);
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), inner);

    heat_map(frame, app, right);

    // The top of the improvement plan.
    let b = block(
        app,
        format!(
            " {} ({}) — {} ",
            l.pick("Improvement plan", "改善計画"),
            app.derived.plan.len(),
            l.pick(
                "j/k · enter opens the best practice",
                "j/k · Enter で該当項目へ"
            )
        ),
        true,
    );
    let inner_w = b.inner(bottom).width as usize;
    let items: Vec<ListItem> = app
        .derived
        .plan
        .iter()
        .take(DASHBOARD_PLAN_ROWS)
        .map(|p| {
            let title = app
                .bank
                .bp(&p.bp_id)
                .map(|(_, b)| b.title.get(l))
                .unwrap_or("");
            let kind = match p.kind {
                PlanKind::Gap => " ",
                PlanKind::Contradiction => "!",
            };
            let prio = text::pad(p.priority.label(l), 9);
            let head = format!("{:>2}. ", p.rank);
            let id = format!(" {kind} {} ", p.bp_id);
            let used = text::width(&head) + 9 + text::width(&id);
            Line::from(vec![
                Span::raw(head),
                Span::styled(prio, level_style(app, p.priority)),
                Span::raw(id),
                Span::raw(text::truncate(title, inner_w.saturating_sub(used))),
            ])
            .into()
        })
        .collect();
    if items.is_empty() {
        let msg = l.pick(
            "nothing to improve yet (answer some questions)",
            "改善項目はまだありません（質問に回答してください）",
        );
        let inner = b.inner(bottom);
        frame.render_widget(b, bottom);
        frame.render_widget(Paragraph::new(Line::styled(msg, th.dim())), inner);
        return;
    }
    let list = List::new(items).block(b).highlight_style(th.cursor(true));
    let mut state = ListState::default().with_selected(Some(app.dash_idx));
    frame.render_stateful_widget(list, bottom, &mut state);
}

fn heat_map(frame: &mut Frame, app: &App, area: Rect) {
    let l = app.lang;
    let th = app.theme;
    let b = block(
        app,
        format!(
            " {} ",
            l.pick("Likelihood × severity", "発生可能性 × 影響度")
        ),
        false,
    );
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let label_w = 10usize;
    let cell_w = ((inner.width as usize).saturating_sub(label_w) / 4).clamp(4, 12);
    let mut lines = Vec::new();
    let mut header = vec![Span::styled(
        text::pad(l.pick("L \\ S", "可能性＼影響"), label_w),
        th.dim(),
    )];
    for s in Level::ALL {
        header.push(Span::styled(
            text::pad(&format!(" {}", s.label(l)), cell_w),
            th.bold(),
        ));
    }
    lines.push(Line::from(header));
    for lk in Level::ALL.into_iter().rev() {
        let mut row = vec![Span::styled(text::pad(lk.label(l), label_w), th.bold())];
        for s in Level::ALL {
            let n = app.derived.matrix[level_index(lk)][level_index(s)];
            let prio = wasec_core::scoring::priority(lk, s);
            let style = if th.color {
                let bg = match prio {
                    Level::Critical => Color::Red,
                    Level::High => Color::LightRed,
                    Level::Medium => Color::Yellow,
                    Level::Low => Color::Green,
                };
                Style::new().bg(bg).fg(Color::Black)
            } else if prio >= Level::High {
                Style::new().add_modifier(Modifier::BOLD)
            } else {
                Style::new()
            };
            // The priority's initial keeps the map readable without colour.
            let initial: String = prio
                .label(l)
                .chars()
                .next()
                .map(String::from)
                .unwrap_or_default();
            let cell = text::pad(&format!("{n:>3} {initial}"), cell_w.saturating_sub(1));
            row.push(Span::styled(cell, style));
            row.push(Span::raw(" "));
        }
        lines.push(Line::from(row));
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        l.pick(
            "rows: likelihood · columns: severity · n = plan items",
            "行: 発生可能性 · 列: 影響度 · 数値 = 改善項目数",
        ),
        th.dim(),
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
