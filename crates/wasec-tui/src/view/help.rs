//! The help overlay: every key, from the keymap's own table. Wide
//! terminals get two columns; otherwise it scrolls.

use crate::app::App;
use crate::keymap::HELP;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

fn lines(app: &App, entries: &[(&str, &str, &str)], width: usize) -> Vec<Line<'static>> {
    let l = app.lang;
    let key_w = 11;
    let mut out = Vec::new();
    for (keys, en, ja) in entries {
        if keys.is_empty() {
            if !out.is_empty() {
                out.push(Line::raw(""));
            }
            out.push(Line::styled(l.pick(en, ja).to_string(), app.theme.bold()));
            continue;
        }
        let desc = text::truncate(l.pick(en, ja), width.saturating_sub(key_w + 2));
        out.push(Line::raw(format!("  {}{desc}", text::pad(keys, key_w))));
    }
    out
}

/// Split at the section heading nearest the middle (for two columns).
fn split_point() -> usize {
    HELP.iter()
        .enumerate()
        .filter(|(_, e)| e.0.is_empty())
        .map(|(i, _)| i)
        .min_by_key(|i| i.abs_diff(HELP.len() / 2))
        .unwrap_or(0)
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect, scroll: u16) {
    let l = app.lang;
    let two = area.width >= 110;
    let mid = split_point();
    // Tall enough for the content (width does not change line counts: the
    // descriptions are cut, not wrapped), never taller than the screen.
    let rows = if two {
        lines(app, &HELP[..mid], 80)
            .len()
            .max(lines(app, &HELP[mid..], 80).len())
    } else {
        lines(app, HELP, 80).len()
    };
    let popup = super::centered(
        area,
        if two { 112 } else { 76 },
        (rows as u16 + 2).min(area.height.saturating_sub(2)),
    );
    super::clear(frame, popup);
    let title = format!(
        " {} — j/k {} · {} ",
        l.pick("Keys", "キー一覧"),
        l.pick("scroll", "スクロール"),
        l.pick("any other key closes", "他のキーで閉じる")
    );
    let b = super::block(app, title, true);
    let inner = b.inner(popup);
    frame.render_widget(b, popup);
    let skip = scroll as usize;
    if two {
        let [a, b] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(inner);
        for (part, rect) in [(&HELP[..mid], a), (&HELP[mid..], b)] {
            let ls: Vec<Line> = lines(app, part, rect.width as usize)
                .into_iter()
                .skip(skip)
                .collect();
            frame.render_widget(Paragraph::new(ls), rect);
        }
    } else {
        let ls: Vec<Line> = lines(app, HELP, inner.width as usize)
            .into_iter()
            .skip(skip)
            .collect();
        frame.render_widget(Paragraph::new(ls), inner);
    }
}
