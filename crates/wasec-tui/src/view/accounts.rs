//! The accounts view: one row per AWS account with evidence, scored on
//! that account's evidence alone (the evidence-adjusted view): score, HRI
//! and MRI, a risk badge per question, failing items and the most urgent
//! action. Enter jumps to that action's best practice.

use super::{block, level_style, risk_badge};
use crate::app::App;
use crate::text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let l = app.lang;
    let title = format!(
        " {} ({}) — {} ",
        l.pick("Accounts", "アカウント"),
        app.accounts.len(),
        l.pick(
            "evidence-adjusted, each on its own evidence · enter opens the top action",
            "エビデンス反映、アカウントごとのエビデンスで評価 · Enter で最優先の項目へ"
        )
    );
    let b = block(app, title, true);
    if app.accounts.is_empty() {
        let inner = b.inner(area);
        frame.render_widget(b, area);
        let msg = l.pick(
            "No evidence yet: collect evidence (c, or wasec collect) to see results per account.",
            "エビデンスがまだありません。c（または wasec collect）で収集するとアカウント別の結果が表示されます。",
        );
        frame.render_widget(
            Paragraph::new(super::wrapped(msg, inner.width as usize, app.theme.dim())),
            inner,
        );
        return;
    }
    let qs = app.bank.questions();
    // Header: question numbers over their badge columns.
    let lead = format!(
        "{:<12}  {:>6}  {:>3} {:>3}  ",
        "",
        l.pick("score", "スコア"),
        "H",
        "M"
    );
    let head: String = qs
        .iter()
        .map(|q| format!("{:<4}", q.id.trim_start_matches("SEC")))
        .collect();
    let mut items = vec![ListItem::new(Line::styled(
        format!(
            "{lead}{head} {}",
            l.pick("fail  top action", "不合格 最優先")
        ),
        app.theme.heading(),
    ))];
    let width = area.width.saturating_sub(2) as usize;
    for r in &app.accounts {
        let score = r
            .score
            .map(|s| format!("{s:>5.1}"))
            .unwrap_or_else(|| format!("{:>5}", "-"));
        let mut spans = vec![Span::raw(format!(
            "{:<12}  {score:>6}  {:>3} {:>3}  ",
            r.account, r.counts.high, r.counts.medium
        ))];
        for risk in &r.risks {
            spans.push(risk_badge(app, *risk));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::raw(format!(" {:>4}  ", r.failing)));
        if let Some((bp, priority)) = &r.top {
            let title = app.bank.bp(bp).map(|(_, b)| b.title.get(l)).unwrap_or("");
            spans.push(Span::styled(
                format!("{} ", priority.label(l)),
                level_style(app, *priority),
            ));
            let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
            spans.push(Span::raw(text::truncate(
                &format!("{bp} {title}"),
                width.saturating_sub(used),
            )));
        }
        items.push(ListItem::new(Line::from(spans)));
    }
    let list = List::new(items)
        .block(b)
        .highlight_style(app.theme.cursor(true));
    // Row 0 is the header.
    let mut state = ListState::default().with_selected(Some(app.acc_idx + 1));
    frame.render_stateful_widget(list, area, &mut state);
}
