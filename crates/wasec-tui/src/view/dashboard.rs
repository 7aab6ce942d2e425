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
use wasec_core::scoring::{Level, PlanKind};

fn bar(frac: f64, cols: usize) -> (String, String) {
    let full = ((frac.clamp(0.0, 1.0) * cols as f64).round() as usize).min(cols);
    ("█".repeat(full), "░".repeat(cols - full))
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let l = app.lang;
    let th = app.theme;
    let c = &app.derived.card;
    let [top, mid, bottom] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(13),
        Constraint::Min(3),
    ])
    .areas(area);

    // Score and counts.
    let b = block(app, format!(" {} ", l.pick("Overall", "全体")), false);
    let inner = b.inner(top);
    frame.render_widget(b, top);
    let counts = format!(
        "  {} {}  {} {}  {} {}  {} {}  {} {}",
        l.pick("HRI", "高リスク"),
        c.counts.high,
        l.pick("MRI", "中リスク"),
        c.counts.medium,
        l.pick("none", "なし"),
        c.counts.none,
        l.pick("unanswered", "未回答"),
        c.counts.unanswered,
        l.pick("n/a", "該当なし"),
        c.counts.not_applicable
    );
    let head = format!("{} {:>5.1}/100 ", l.pick("Score", "スコア"), c.score);
    let bar_w = (inner.width as usize)
        .saturating_sub(text::width(&head) + text::width(&counts))
        .clamp(0, 40);
    let (f, e) = bar(c.score / 100.0, bar_w);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(head, th.bold()),
            Span::styled(f, th.fg(Color::Green)),
            Span::styled(e, th.dim()),
            Span::raw(counts),
        ])),
        inner,
    );

    // Bars per question and the heat map.
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(mid);
    let b = block(app, format!(" {} ", l.pick("Questions", "質問別")), false);
    let inner = b.inner(left);
    frame.render_widget(b, left);
    let w = inner.width as usize;
    let bar_cols = w.saturating_sub(6 + 4 + 7).max(1);
    let rows: Vec<Line> = c
        .questions
        .iter()
        .map(|q| {
            let (pct, frac) = match q.score {
                Some(s) => (format!("{s:>5.0}%"), s / 100.0),
                None => ("    - ".to_string(), 0.0),
            };
            let (f, e) = bar(frac, bar_cols);
            Line::from(vec![
                Span::raw(format!("{} ", q.id)),
                risk_badge(app, q.risk),
                Span::raw(" "),
                Span::styled(f, th.fg(Color::Green)),
                Span::styled(e, th.dim()),
                Span::raw(pct),
            ])
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
