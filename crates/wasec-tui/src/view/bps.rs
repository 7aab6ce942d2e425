//! The current question and its best practices as checkboxes, or with a
//! search or filter active, the matching BPs of every question.

use super::{block, bp_risk, evidence_mark, wrapped};
use crate::app::{App, FilterKind, Pane};
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use wasec_core::scoring::BpEvidence;

pub fn filter_label(app: &App, kind: Option<FilterKind>) -> String {
    let l = app.lang;
    match kind {
        None => l.pick("all best practices", "すべて").to_string(),
        Some(FilterKind::Risk(r)) => format!("{} {}", l.pick("risk", "リスク"), r.label(l)),
        Some(FilterKind::Evidence(e)) => {
            format!(
                "{} {}",
                l.pick("evidence", "エビデンス"),
                super::evidence_label(app, e)
            )
        }
    }
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = app.focus == Pane::Bps;
    let l = app.lang;
    let q = app.question();
    let answer = app.review.answer(&q.id);
    let filtered = app.filter.is_active();
    let title = if filtered {
        let mut parts = Vec::new();
        if !app.filter.text.trim().is_empty() {
            parts.push(format!("/{}", app.filter.text.trim()));
        }
        if app.filter.kind.is_some() {
            parts.push(filter_label(app, app.filter.kind));
        }
        format!(
            " {} ({}) — {} ",
            l.pick("Matches", "検索結果"),
            app.visible_bps().len(),
            parts.join(" · ")
        )
    } else {
        let risk = app
            .derived
            .card
            .question(&q.id)
            .map(|s| s.risk.label(l))
            .unwrap_or("");
        // In a running meeting, the time this question has taken so far.
        let spent = app
            .review
            .facilitation
            .time_spent
            .get(&q.id)
            .copied()
            .unwrap_or(0);
        if app.timer_running {
            format!(" {} · {} · ▶ {} ", q.id, risk, text::hms(spent))
        } else {
            format!(" {} · {} ", q.id, risk)
        }
    };
    let hints = l.pick(
        " space toggle · n n/a · 0 none · N question n/a · e notes · a action · ? keys ",
        " space 切替 · n 該当なし · 0 いずれもなし · N 質問該当なし · e メモ · a アクション · ? キー ",
    );
    let outer = block(app, title, focused).title_bottom(Line::styled(hints, app.theme.dim()));
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let w = inner.width as usize;

    // Header: the question (in the BP's question when filtered) and its state.
    let mut head: Vec<Line> = Vec::new();
    if !filtered {
        let mut t = wrapped(q.title.get(l), w, app.theme.bold());
        t.truncate(if inner.height > 14 { 3 } else { 2 });
        head.extend(t);
        let mut state: Vec<Span> = Vec::new();
        if let Some(a) = answer {
            if let Some(r) = a.question_not_applicable {
                state.push(Span::styled(
                    format!("{}: {}  ", l.pick("not applicable", "該当なし"), r.label(l)),
                    app.theme.fg(Color::Blue),
                ));
            }
            if a.none_of_these {
                state.push(Span::styled(
                    format!("[{}]  ", l.pick("none of these", "いずれも該当しない")),
                    app.theme.fg(Color::Red),
                ));
            }
            if !a.notes.is_empty() {
                let label = format!("{}: ", l.pick("notes", "メモ"));
                let used: usize = state.iter().map(|s| text::width(&s.content)).sum::<usize>()
                    + text::width(&label);
                let first = a.notes.lines().next().unwrap_or("");
                state.push(Span::styled(
                    format!("{label}{}", text::truncate(first, w.saturating_sub(used))),
                    app.theme.dim(),
                ));
            }
        }
        if state.is_empty() && !app.review.is_answered(&app.bank, &q.id) {
            state.push(Span::styled(
                l.pick("unanswered", "未回答"),
                app.theme.dim(),
            ));
        }
        head.push(Line::from(state));
    } else {
        let hint = l.pick(
            "Esc clears · / search · f filter",
            "Esc で解除 · / 検索 · f 絞り込み",
        );
        head.push(Line::styled(hint.to_string(), app.theme.dim()));
    }
    let [h, list_area] =
        Layout::vertical([Constraint::Length(head.len() as u16), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(head), h);

    let bps = app.visible_bps();
    let items: Vec<ListItem> = bps
        .iter()
        .map(|&(qi, bi)| {
            let bq = &app.bank.questions()[qi];
            let b = &bq.best_practices[bi];
            let a = app.review.answer(&bq.id);
            let selected = a.is_some_and(|a| a.is_selected(&b.id));
            let na = a.is_some_and(|a| a.is_bp_na(&b.id))
                || a.is_some_and(|a| a.question_not_applicable.is_some());
            let ev = app.derived.bp_evidence(&b.id);
            let cb = if na {
                Span::styled("[-]", app.theme.fg(Color::Blue))
            } else if selected {
                Span::styled("[x]", app.theme.fg(Color::Green))
            } else {
                Span::raw("[ ]")
            };
            let contradiction = selected && ev == BpEvidence::Fail;
            let id = if filtered {
                b.id.clone()
            } else {
                b.id.rsplit('-').next().unwrap_or(&b.id).to_string()
            };
            let has_note = a.is_some_and(|a| a.bp_notes.contains_key(&b.id));
            let fu = if app
                .review
                .follow_ups
                .get(&b.id)
                .is_some_and(|v| !v.is_empty())
            {
                "→"
            } else if has_note {
                "*"
            } else {
                " "
            };
            let prefix = format!(" {id} ");
            let title_style = if na {
                app.theme.dim()
            } else {
                ratatui::style::Style::new()
            };
            let mark = if contradiction {
                Span::styled(
                    "!",
                    app.theme
                        .fg(Color::Red)
                        .add_modifier(ratatui::style::Modifier::BOLD),
                )
            } else {
                Span::raw(" ")
            };
            let mut spans = vec![
                cb,
                Span::raw(prefix),
                bp_risk(app, b.risk),
                evidence_mark(app, ev),
                mark,
                Span::raw(fu),
                Span::raw(" "),
            ];
            let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
            let title = text::truncate(b.title.get(l), w.saturating_sub(used));
            spans.push(Span::styled(title, title_style));
            ListItem::new(Line::from(spans))
        })
        .collect();
    if items.is_empty() {
        let msg = l.pick(
            "no best practice matches",
            "一致するベストプラクティスはありません",
        );
        frame.render_widget(
            Paragraph::new(Line::styled(msg, app.theme.dim())),
            list_area,
        );
        return;
    }
    let n = items.len() as u16;
    let list = List::new(items).highlight_style(app.theme.cursor(focused));
    let mut state = ListState::default().with_selected(Some(app.bp_idx));
    let [list_area, rest] = Layout::vertical([
        Constraint::Length(n.min(list_area.height)),
        Constraint::Min(0),
    ])
    .areas(list_area);
    frame.render_stateful_widget(list, list_area, &mut state);
    extras(frame, app, rest, filtered);
}

/// Below the list, when there is room: a legend of the markers, the
/// question's notes in full and its description.
fn extras(frame: &mut Frame, app: &App, area: Rect, filtered: bool) {
    if area.height < 2 {
        return;
    }
    let l = app.lang;
    let w = area.width as usize;
    let mut lines = vec![Line::raw("")];
    lines.extend(wrapped(
        l.pick(
            "[x] in place  [-] n/a  ✓ pass ✗ fail ? unknown · none  ! contradiction  → follow-up  * note",
            "[x] 実施済み [-] 該当なし ✓ 合格 ✗ 不合格 ? 不明 · なし ! 矛盾 → フォローアップ * メモ",
        ),
        w,
        app.theme.dim(),
    ));
    if !filtered {
        let q = app.question();
        if let Some(notes) = app
            .review
            .answer(&q.id)
            .map(|a| a.notes.as_str())
            .filter(|n| !n.is_empty())
        {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                l.pick("Notes (e edits)", "メモ（e で編集）"),
                app.theme.bold(),
            ));
            lines.extend(wrapped(notes, w, ratatui::style::Style::new()));
        }
        lines.push(Line::raw(""));
        lines.extend(wrapped(q.description.get(l), w, app.theme.dim()));
    }
    lines.truncate(area.height as usize);
    frame.render_widget(Paragraph::new(lines), area);
}
