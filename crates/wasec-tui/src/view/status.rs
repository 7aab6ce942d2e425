//! The title bar (workload and views) and the status line (file,
//! autosave, score, HRI/MRI, language, messages).

use crate::app::{App, SaveState, View};
use crate::text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn title(frame: &mut Frame, app: &App, area: Rect) {
    let l = app.lang;
    let tab = |v: View, key: &str, name: &str| {
        let style = if app.view == v {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            app.theme.dim()
        };
        Span::styled(format!(" {key} {name} "), style)
    };
    let mut spans = vec![
        Span::styled(
            format!(" wasec · {} ", app.review.workload.name),
            app.theme.bold(),
        ),
        tab(View::Review, "", l.pick("Review", "レビュー")),
        tab(View::Dashboard, "d", l.pick("Dashboard", "ダッシュボード")),
        tab(
            View::Facilitator,
            "F",
            l.pick("Facilitator", "ファシリテーター"),
        ),
        tab(View::Accounts, "o", l.pick("Accounts", "アカウント")),
    ];
    let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    let help = format!("? {} ", l.pick("help", "ヘルプ"));
    let gap = (area.width as usize).saturating_sub(used + text::width(&help));
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(Span::styled(help, app.theme.dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn score_text(s: Option<f64>) -> String {
    s.map(|s| format!("{s:.1}")).unwrap_or_else(|| "-".into())
}

/// Score and HRI/MRI. When evidence changes them, both views, named:
/// `score 100.0 (with evidence 85.3) │ HRI 0 → 1 MRI 2 → 1`: the bare
/// numbers are the declared view, the WA Tool's.
fn score_spans(app: &App) -> Vec<Span<'static>> {
    let l = app.lang;
    let th = app.theme;
    let c = &app.derived.card;
    let (d, e) = (&c.declared, &c.evidence_adjusted);
    let count = |a: u32, b: u32| {
        if a == b {
            a.to_string()
        } else {
            format!("{a} → {b}")
        }
    };
    let score = if d.score == e.score {
        format!(" │ {} {}", l.pick("score", "スコア"), score_text(d.score))
    } else {
        format!(
            " │ {} {} ({} {})",
            l.pick("score", "スコア"),
            score_text(d.score),
            l.pick("with evidence", "エビデンス反映"),
            score_text(e.score),
        )
    };
    vec![
        Span::raw(score),
        Span::raw(" │ "),
        Span::styled(
            format!(
                "{} {}",
                l.pick("HRI", "高リスク"),
                count(d.counts.high, e.counts.high)
            ),
            th.fg(Color::Red),
        ),
        Span::raw(" "),
        Span::styled(
            format!(
                "{} {}",
                l.pick("MRI", "中リスク"),
                count(d.counts.medium, e.counts.medium)
            ),
            th.fg(Color::Yellow),
        ),
    ]
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let l = app.lang;
    let th = app.theme;
    let (save, save_style) = match &app.save {
        SaveState::Memory => (
            l.pick("not saved (demo)", "保存しません（デモ）")
                .to_string(),
            th.fg(Color::Yellow),
        ),
        SaveState::Clean => (l.pick("no changes", "変更なし").to_string(), th.dim()),
        SaveState::Pending => (
            l.pick("saving…", "保存中…").to_string(),
            th.fg(Color::Yellow),
        ),
        SaveState::Saved(t) => (
            format!("{} {t}", l.pick("saved", "保存済み")),
            th.fg(Color::Green),
        ),
        SaveState::Failed(e) => (
            format!("{}: {e}", l.pick("SAVE FAILED", "保存失敗")),
            th.fg(Color::Red).add_modifier(Modifier::BOLD),
        ),
        SaveState::Conflict => (
            l.pick(
                "CHANGED ON DISK: not saving (C-s to resolve)",
                "ディスク上で変更あり: 保存を停止中（C-s で解決）",
            )
            .to_string(),
            th.fg(Color::Red).add_modifier(Modifier::BOLD),
        ),
    };
    let mut spans = vec![
        Span::styled(format!(" {} │ ", app.label), th.bold()),
        Span::styled(save, save_style),
    ];
    spans.extend(score_spans(app));
    spans.push(Span::raw(format!(" │ {}", l.code().to_uppercase())));
    if app.timer_running || app.review.facilitation.meeting_seconds > 0 {
        let mark = if app.timer_running { "▶" } else { "⏸" };
        spans.push(Span::raw(format!(
            " │ {mark} {}",
            text::hms(app.review.facilitation.meeting_seconds)
        )));
    }
    if let Some(p) = &app.progress {
        spans.push(Span::styled(format!(" │ {p}"), th.fg(Color::Cyan)));
    }
    if let Some(m) = &app.message {
        spans.push(Span::styled(
            format!(" │ {m}"),
            th.fg(Color::Cyan).add_modifier(Modifier::BOLD),
        ));
    }
    // Keep the line within the width: cut from the right, cell by cell.
    let mut out = Vec::new();
    let mut left = area.width as usize;
    for s in spans {
        if left == 0 {
            break;
        }
        let t = text::truncate(&s.content, left);
        left -= text::width(&t);
        out.push(Span::styled(t, s.style));
    }
    let base = if th.color {
        Style::new().bg(Color::Indexed(236))
    } else {
        Style::new()
    };
    frame.render_widget(Paragraph::new(Line::from(out)).style(base), area);
}
