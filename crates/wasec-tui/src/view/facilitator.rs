//! Facilitator mode: meeting timer, time per question, participants and
//! the parking lot of open points.

use super::block;
use crate::app::{App, FacilPane};
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let l = app.lang;
    let th = app.theme;
    let f = &app.review.facilitation;
    let [top, rest] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let b = block(app, format!(" {} ", l.pick("Meeting", "会議")), false);
    let inner = b.inner(top);
    frame.render_widget(b, top);
    let state = if app.timer_running {
        Span::styled(
            format!("▶ {}", l.pick("running", "計測中")),
            th.fg(Color::Green).add_modifier(Modifier::BOLD),
        )
    } else {
        Span::styled(
            format!("⏸ {}", l.pick("paused", "停止中")),
            th.fg(Color::Yellow),
        )
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!(
                    "{} {}  ",
                    l.pick("Meeting time", "会議時間"),
                    text::hms(f.meeting_seconds)
                ),
                th.bold(),
            ),
            state,
            Span::styled(
                format!(
                    "   t {} · p {} · P {} · x {} · D {}",
                    l.pick("timer", "タイマー"),
                    l.pick("participant", "参加者"),
                    l.pick("park", "保留"),
                    l.pick("resolve", "解決"),
                    l.pick("delete", "削除")
                ),
                th.dim(),
            ),
        ])),
        inner,
    );

    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(rest);
    // Time per question, the current question marked.
    let b = block(
        app,
        format!(" {} ", l.pick("Time per question", "質問ごとの時間")),
        false,
    );
    let inner = b.inner(left);
    frame.render_widget(b, left);
    let max = f.time_spent.values().copied().max().unwrap_or(0).max(1);
    let bar_cols = (inner.width as usize).saturating_sub(8 + 9).max(1);
    let rows: Vec<Line> = app
        .bank
        .questions()
        .iter()
        .map(|q| {
            let secs = f.time_spent.get(&q.id).copied().unwrap_or(0);
            let n = (secs as usize * bar_cols)
                .div_ceil(max as usize)
                .min(bar_cols);
            let cur = if q.id == app.question().id {
                "▸"
            } else {
                " "
            };
            Line::from(vec![
                Span::raw(format!("{cur}{} ", q.id)),
                Span::styled("█".repeat(n), th.fg(Color::Cyan)),
                Span::raw(" ".repeat(bar_cols - n)),
                Span::raw(format!(" {:>8}", text::hms(secs))),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), inner);

    let [pa, pl] =
        Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(right);
    let focused_p = app.facil_pane == FacilPane::Participants;
    let items: Vec<ListItem> = f
        .participants
        .iter()
        .map(|p| ListItem::new(p.clone()))
        .collect();
    let title = format!(
        " {} ({}) ",
        l.pick("Participants", "参加者"),
        f.participants.len()
    );
    list_or_hint(
        frame,
        app,
        pa,
        title,
        items,
        focused_p,
        l.pick("p adds a participant", "p で参加者を追加"),
    );

    let w = pl.width.saturating_sub(2) as usize;
    let items: Vec<ListItem> = f
        .parking_lot
        .iter()
        .map(|p| {
            let mark = if p.resolved { "[x]" } else { "[ ]" };
            let head = format!(
                "{mark} {} ",
                if p.question.is_empty() {
                    "-"
                } else {
                    &p.question
                }
            );
            let body = text::truncate(&p.text, w.saturating_sub(text::width(&head)));
            let style = if p.resolved {
                th.dim()
            } else {
                ratatui::style::Style::new()
            };
            ListItem::new(Line::styled(format!("{head}{body}"), style))
        })
        .collect();
    let open = f.parking_lot.iter().filter(|p| !p.resolved).count();
    let title = format!(
        " {} ({} {}) ",
        l.pick("Parking lot", "パーキングロット"),
        open,
        l.pick("open", "未解決")
    );
    list_or_hint(
        frame,
        app,
        pl,
        title,
        items,
        !focused_p,
        l.pick("P parks an open point", "P で保留事項を追加"),
    );
}

fn list_or_hint(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    title: String,
    items: Vec<ListItem>,
    focused: bool,
    hint: &str,
) {
    let b = block(app, title, focused);
    if items.is_empty() {
        let inner = b.inner(area);
        frame.render_widget(b, area);
        frame.render_widget(
            Paragraph::new(Line::styled(hint.to_string(), app.theme.dim())),
            inner,
        );
        return;
    }
    let list = List::new(items)
        .block(b)
        .highlight_style(app.theme.cursor(focused));
    let mut state = ListState::default().with_selected(focused.then_some(app.facil_idx));
    frame.render_stateful_widget(list, area, &mut state);
}
