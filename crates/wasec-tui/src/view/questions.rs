//! The question list: id, risk badge, BPs in place / applicable, title.

use super::{block, risk_badge};
use crate::app::{App, Pane};
use crate::text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = app.focus == Pane::Questions;
    let title = format!(
        " {} {}/{} ",
        app.lang.pick("Questions", "質問"),
        app.derived.answered,
        app.bank.questions().len()
    );
    let inner_w = area.width.saturating_sub(2) as usize;
    let items: Vec<ListItem> = app
        .bank
        .questions()
        .iter()
        .map(|q| {
            let qs = app.derived.card.question(&q.id);
            let risk = qs
                .map(|s| s.risk)
                .unwrap_or(wasec_core::review::QuestionRisk::Unanswered);
            let count = qs
                .map(|s| format!("{}/{}", s.selected, s.applicable))
                .unwrap_or_default();
            let head = format!("{} ", q.id);
            let count = format!(" {count:>5}");
            // One fixed column for the contradiction marker keeps titles aligned.
            let mark = if qs.is_some_and(|s| s.contradictions > 0) {
                Span::styled("!", app.theme.fg(ratatui::style::Color::Red))
            } else {
                Span::raw(" ")
            };
            let used = text::width(&head) + 3 + text::width(&count) + 2;
            let title = text::truncate(q.area.get(app.lang), inner_w.saturating_sub(used));
            let spans = vec![
                Span::raw(head),
                risk_badge(app, risk),
                Span::raw(count),
                mark,
                Span::raw(" "),
                Span::raw(title),
            ];
            ListItem::new(Line::from(spans))
        })
        .collect();
    let list = List::new(items)
        .block(block(app, title, focused))
        .highlight_style(app.theme.cursor(focused));
    let mut state = ListState::default().with_selected(Some(app.q_idx));
    frame.render_stateful_widget(list, area, &mut state);
}
