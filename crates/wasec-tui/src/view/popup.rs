//! Overlays drawn over the body: help, reason and filter pickers, the
//! notes editor, the follow-up form and one-line inputs.

use super::{bps::filter_label, centered};
use crate::app::{
    App, Choice, FILTER_OPTIONS, LinePurpose, NaTarget, NotesTarget, Overlay, Prompt, SaveState,
};
use crate::editor::TextEditor;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Color;
use ratatui::text::Line;
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use wasec_core::review::FollowUp;

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let Some(ov) = &app.overlay else { return };
    let l = app.lang;
    match ov {
        Overlay::Help { scroll } => super::help::draw(frame, app, body, *scroll),
        Overlay::NaPicker {
            target,
            options,
            sel,
        } => {
            let title = match target {
                NaTarget::Bp(b) => format!(
                    " {b}: {} ",
                    l.pick("not applicable because", "該当なしの理由")
                ),
                NaTarget::Question(q) => format!(
                    " {q}: {} ",
                    l.pick("question not applicable because", "質問が該当しない理由")
                ),
            };
            let items: Vec<String> = options
                .iter()
                .map(|o| match o {
                    Some(r) => r.label(l).to_string(),
                    None => l
                        .pick("clear: applicable again", "解除（該当ありに戻す）")
                        .to_string(),
                })
                .collect();
            picker(frame, app, body, title, items, *sel);
        }
        Overlay::FilterPicker { sel } => {
            let items = FILTER_OPTIONS
                .iter()
                .map(|o| filter_label(app, *o))
                .collect();
            picker(
                frame,
                app,
                body,
                format!(" {} ", l.pick("Filter", "絞り込み")),
                items,
                *sel,
            );
        }
        Overlay::Notes { target, editor, .. } => {
            let area = centered(body, 76, 14);
            let id = match target {
                NotesTarget::Question(q) | NotesTarget::Bp(q) => q,
            };
            let title = format!(
                " {} {id} — C-s {} · Esc {} · Enter {} ",
                l.pick("Notes", "メモ"),
                l.pick("save", "保存"),
                l.pick("cancel", "取消"),
                l.pick("newline", "改行"),
            );
            editor_box(frame, app, area, title, editor);
        }
        Overlay::FollowUps { bp, sel } => {
            let title = format!(
                " {} {bp} — s {} · enter {} · a {} · D {} · esc ",
                l.pick("Follow-ups", "フォローアップ"),
                l.pick("status", "状況"),
                l.pick("edit", "編集"),
                l.pick("add", "追加"),
                l.pick("delete", "削除"),
            );
            let items = match app.review.follow_ups.get(bp).filter(|v| !v.is_empty()) {
                Some(list) => list.iter().map(|f| follow_up_row(app, f)).collect(),
                None => vec![
                    l.pick("(none yet: a adds one)", "（まだありません：a で追加）")
                        .to_string(),
                ],
            };
            picker(frame, app, body, title, items, *sel);
        }
        Overlay::FollowUp { bp, form, .. } => {
            let area = centered(body, 70, 12);
            super::clear(frame, area);
            let b = super::block(
                app,
                format!(
                    " {} {bp} — Tab · Enter · Esc ",
                    l.pick("Follow-up", "フォローアップ")
                ),
                true,
            );
            let inner = b.inner(area);
            frame.render_widget(b, area);
            let labels = [
                l.pick("Action", "内容"),
                l.pick("Owner", "担当者"),
                l.pick("Due (YYYY-MM-DD)", "期限（YYYY-MM-DD）"),
            ];
            for (i, (label, field)) in labels.iter().zip(form.fields.iter()).enumerate() {
                let y = inner.y + (i as u16) * 3;
                if y + 1 >= inner.y + inner.height {
                    break;
                }
                let style = if i == form.focus {
                    app.theme.bold()
                } else {
                    app.theme.dim()
                };
                frame.render_widget(
                    Paragraph::new(Line::styled(label.to_string(), style)),
                    Rect {
                        x: inner.x,
                        y,
                        width: inner.width,
                        height: 1,
                    },
                );
                let row = Rect {
                    x: inner.x + 2,
                    y: y + 1,
                    width: inner.width.saturating_sub(2),
                    height: 1,
                };
                single_line(frame, row, field, i == form.focus);
            }
            if let Some(e) = &form.error {
                let y = inner.y + inner.height.saturating_sub(1);
                frame.render_widget(
                    Paragraph::new(Line::styled(e.clone(), app.theme.fg(Color::Red))),
                    Rect {
                        x: inner.x,
                        y,
                        width: inner.width,
                        height: 1,
                    },
                );
            }
        }
        Overlay::Search { input } => {
            let title = format!(
                " / {} — Enter {} · Esc {} ",
                l.pick("search", "検索"),
                l.pick("keep", "確定"),
                l.pick("clear", "解除")
            );
            line_box(frame, app, body, title, input);
        }
        Overlay::Choose {
            prompt,
            options,
            sel,
            ..
        } => choose(frame, app, body, *prompt, options, *sel),
        Overlay::SaveAs { input, .. } => {
            let title = format!(
                " {} — Enter {} · Esc {} ",
                l.pick("Save as", "別名で保存"),
                l.pick("save", "保存"),
                l.pick("cancel", "取消")
            );
            line_box(frame, app, body, title, input);
        }
        Overlay::Line { purpose, input } => {
            let title = match purpose {
                LinePurpose::Participant => l.pick(
                    " Add a participant — Enter · Esc ",
                    " 参加者を追加 — Enter · Esc ",
                ),
                LinePurpose::Parking => l.pick(
                    " Park an open point — Enter · Esc ",
                    " 保留事項を追加 — Enter · Esc ",
                ),
            };
            line_box(frame, app, body, title.to_string(), input);
        }
    }
}

/// A question and its answers, each with the key that picks it.
fn choose(
    frame: &mut Frame,
    app: &App,
    body: Rect,
    prompt: Prompt,
    options: &[Choice],
    sel: usize,
) {
    let l = app.lang;
    let (title, message) = match prompt {
        Prompt::UnsavedQuit => (
            l.pick(" Changes are not saved ", " 変更が保存されていません "),
            match &app.save {
                SaveState::Failed(e) => format!("{}: {e}", l.pick("The last save failed", "直前の保存に失敗しました")),
                _ => l.pick("Some changes are not on disk.", "ディスクに書かれていない変更があります。").to_string(),
            },
        ),
        Prompt::ChangedOnDisk => (
            l.pick(" The file changed on disk ", " ファイルがディスク上で変更されました "),
            format!(
                "{} {}",
                app.label,
                l.pick(
                    "was changed by someone or something else since wasec read it. Nothing was overwritten.",
                    "は wasec が読み込んだ後に別の手段で変更されました。何も上書きしていません。"
                )
            ),
        ),
        Prompt::DiscardEdit => (
            l.pick(" Keep the typed text? ", " 入力内容をどうしますか？ "),
            l.pick(
                "The editor holds text that is not saved yet.",
                "エディタに保存していない入力があります。",
            )
            .to_string(),
        ),
    };
    let width = 72.min(body.width.saturating_sub(2) as usize).max(20);
    let mut lines: Vec<Line> = text::wrap(&message, width - 4)
        .into_iter()
        .map(Line::raw)
        .collect();
    lines.push(Line::raw(""));
    for (i, o) in options.iter().enumerate() {
        let row = format!(
            "{} {}  {}",
            if i == sel { "▸" } else { " " },
            o.key(),
            o.label(l)
        );
        let style = if i == sel {
            app.theme.cursor(true)
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::styled(row, style));
    }
    let area = centered(body, width as u16, lines.len() as u16 + 2);
    super::clear(frame, area);
    let block = super::block(app, title.to_string(), true);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// One follow-up as a list row: status, text, owner, due date.
fn follow_up_row(app: &App, f: &FollowUp) -> String {
    let due = f.due.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
    let owner = if f.owner.is_empty() { "-" } else { &f.owner };
    let overdue = if f.is_overdue(app.today) {
        app.lang.pick(", overdue", "、期限超過")
    } else {
        ""
    };
    let row = format!(
        "[{}{overdue}] {} · {owner} · {due} · {}",
        f.status.label(app.lang),
        f.text,
        f.id
    );
    // Keep rows inside a projector-width popup; the form shows all of it.
    text::truncate(&row, 90)
}

fn picker(frame: &mut Frame, app: &App, body: Rect, title: String, items: Vec<String>, sel: usize) {
    let w = items
        .iter()
        .map(|s| text::width(s))
        .max()
        .unwrap_or(10)
        .max(text::width(&title))
        + 6;
    let area = centered(body, w as u16, items.len() as u16 + 2);
    super::clear(frame, area);
    let list = List::new(items.into_iter().map(ListItem::new).collect::<Vec<_>>())
        .block(super::block(app, title, true))
        .highlight_symbol("▸ ")
        .highlight_style(app.theme.cursor(true));
    let mut state = ListState::default().with_selected(Some(sel));
    frame.render_stateful_widget(list, area, &mut state);
}

fn line_box(frame: &mut Frame, app: &App, body: Rect, title: String, input: &TextEditor) {
    let w = body.width.saturating_sub(4).min(80);
    let area = Rect {
        x: body.x + (body.width - w) / 2,
        y: body.y + body.height.saturating_sub(4),
        width: w,
        height: 3.min(body.height),
    };
    super::clear(frame, area);
    let b = super::block(app, title, true);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    single_line(frame, inner, input, true);
}

/// A one-line field that scrolls horizontally to keep the cursor visible.
fn single_line(frame: &mut Frame, row: Rect, input: &TextEditor, cursor: bool) {
    let before = text::width(&input.text[..input.cursor]);
    let w = row.width as usize;
    // Drop characters from the left until the cursor fits.
    let mut shown = input.text.as_str();
    let mut skipped = 0;
    while before - skipped >= w.max(1) && !shown.is_empty() {
        let c = shown.chars().next().unwrap_or(' ');
        skipped += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        shown = &shown[c.len_utf8()..];
    }
    frame.render_widget(Paragraph::new(Line::raw(text::truncate(shown, w))), row);
    if cursor && row.width > 0 {
        let x = row.x + ((before - skipped) as u16).min(row.width - 1);
        frame.set_cursor_position(Position { x, y: row.y });
    }
}

fn editor_box(frame: &mut Frame, app: &App, area: Rect, title: String, editor: &TextEditor) {
    super::clear(frame, area);
    let b = super::block(app, title, true);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if inner.width < 2 || inner.height == 0 {
        return;
    }
    let (rows, (cr, cc)) = editor.layout(inner.width as usize - 1);
    // Scroll so the cursor row stays visible.
    let h = inner.height as usize;
    let first = (cr + 1).saturating_sub(h);
    let shown: Vec<Line> = rows
        .into_iter()
        .skip(first)
        .take(h)
        .map(Line::raw)
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
    frame.set_cursor_position(Position {
        x: inner.x + (cc as u16).min(inner.width - 1),
        y: inner.y + (cr - first) as u16,
    });
}
