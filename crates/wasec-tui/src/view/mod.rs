//! Drawing: a pure function of the app state. One module per pane or
//! overlay; `draw` lays them out for the current view and terminal size.

mod accounts;
mod bps;
mod dashboard;
mod detail;
mod facilitator;
mod help;
mod popup;
mod questions;
mod status;

use crate::app::{App, View};
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use wasec_core::bank::Risk;
use wasec_core::review::QuestionRisk;
use wasec_core::scoring::{BpEvidence, Level};

/// Below this the layout cannot show a question and its BPs.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// From this width the detail pane sits beside the BP list.
const WIDE: u16 = 120;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, app, area);
        return;
    }
    let [title, body, status_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    status::title(frame, app, title);
    match app.view {
        View::Review => review(frame, app, body),
        View::Dashboard => dashboard::draw(frame, app, body),
        View::Facilitator => facilitator::draw(frame, app, body),
        View::Accounts => accounts::draw(frame, app, body),
    }
    status::draw(frame, app, status_area);
    popup::draw(frame, app, body);
}

fn review(frame: &mut Frame, app: &App, body: Rect) {
    if body.width >= WIDE {
        let [q, b, d] = Layout::horizontal([
            Constraint::Length(30),
            Constraint::Percentage(42),
            Constraint::Min(30),
        ])
        .areas(body);
        questions::draw(frame, app, q);
        bps::draw(frame, app, b);
        detail::draw(frame, app, d);
    } else {
        let qw = if body.width >= 100 { 30 } else { 22 };
        let [q, right] =
            Layout::horizontal([Constraint::Length(qw), Constraint::Min(20)]).areas(body);
        let [b, d] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
        questions::draw(frame, app, q);
        bps::draw(frame, app, b);
        detail::draw(frame, app, d);
    }
}

fn too_small(frame: &mut Frame, app: &App, area: Rect) {
    let msg = format!(
        "{} ({}x{}, {} {MIN_WIDTH}x{MIN_HEIGHT})",
        app.lang.pick("Terminal too small", "端末が小さすぎます"),
        area.width,
        area.height,
        app.lang.pick("need", "必要:"),
    );
    let lines: Vec<Line> = text::wrap(&msg, area.width as usize)
        .into_iter()
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// A bordered block whose border shows focus.
pub(crate) fn block<'a>(app: &App, title: impl Into<Line<'a>>, focused: bool) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_style(app.theme.border(focused))
        .title(title)
}

pub(crate) fn risk_badge(app: &App, risk: QuestionRisk) -> Span<'static> {
    let l = app.lang;
    let (txt, color) = match risk {
        QuestionRisk::High => (l.pick("HRI", "高"), Color::Red),
        QuestionRisk::Medium => (l.pick("MRI", "中"), Color::Yellow),
        QuestionRisk::None => (l.pick("ok ", "無"), Color::Green),
        QuestionRisk::Unanswered => (l.pick(" - ", "未"), Color::DarkGray),
        QuestionRisk::NotApplicable => (l.pick("n/a", "外"), Color::Blue),
    };
    // Japanese badges are one double-width character; pad to 3 columns.
    let txt = text::pad(txt, 3);
    Span::styled(txt, app.theme.fg(color))
}

pub(crate) fn bp_risk(app: &App, risk: Risk) -> Span<'static> {
    let (txt, color) = match risk {
        Risk::High => (app.lang.pick("H", "高"), Color::Red),
        Risk::Medium => (app.lang.pick("M", "中"), Color::Yellow),
        Risk::Low => (app.lang.pick("L", "低"), Color::Green),
    };
    Span::styled(format!("{txt} "), app.theme.fg(color))
}

pub(crate) fn evidence_mark(app: &App, e: BpEvidence) -> Span<'static> {
    let (txt, color) = match e {
        BpEvidence::Pass => ("✓", Color::Green),
        BpEvidence::Fail => ("✗", Color::Red),
        BpEvidence::Unknown => ("?", Color::Yellow),
        BpEvidence::None => ("·", Color::DarkGray),
    };
    Span::styled(txt, app.theme.fg(color))
}

pub(crate) fn evidence_label(app: &App, e: BpEvidence) -> &'static str {
    match e {
        BpEvidence::Pass => app.lang.pick("pass", "合格"),
        BpEvidence::Fail => app.lang.pick("fail", "不合格"),
        BpEvidence::Unknown => app.lang.pick("unknown", "不明"),
        BpEvidence::None => app.lang.pick("none", "なし"),
    }
}

pub(crate) fn level_style(app: &App, l: Level) -> Style {
    let c = match l {
        Level::Critical => Color::Red,
        Level::High => Color::LightRed,
        Level::Medium => Color::Yellow,
        Level::Low => Color::Green,
    };
    app.theme.fg(c)
}

/// Wrapped paragraph lines with a style.
pub(crate) fn wrapped(text_: &str, cols: usize, style: Style) -> Vec<Line<'static>> {
    text::wrap(text_, cols)
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect()
}

/// Blank `area` for a popup. A double-width character just left of it
/// would still be drawn two columns wide and eat the popup's left border,
/// so such a character is blanked too.
pub(crate) fn clear(frame: &mut Frame, area: Rect) {
    frame.render_widget(ratatui::widgets::Clear, area);
    if area.x == 0 {
        return;
    }
    let buf = frame.buffer_mut();
    for y in area.y..area.bottom() {
        if let Some(cell) = buf.cell_mut((area.x - 1, y))
            && text::width(cell.symbol()) > 1
        {
            cell.set_symbol(" ");
        }
    }
}

/// A rectangle centred in `area`, `w` x `h` cells at most.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Action;
    use crate::app::App;
    use crate::update::update;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use wasec_core::{Bank, Lang};

    /// Every view and overlay, at every size from nothing to roomy, in
    /// both languages: drawing must never panic.
    #[test]
    fn never_panics_at_any_size() {
        let bank = Bank::embedded().unwrap();
        let review = crate::fixture::review(&bank, 40);
        let setups: Vec<Vec<Action>> = vec![
            vec![],
            vec![Action::ToggleDashboard],
            vec![Action::ToggleFacilitator],
            vec![Action::ToggleHelp],
            vec![Action::OpenBpNaPicker],
            vec![Action::OpenFilter],
            vec![Action::OpenNotes],
            vec![Action::OpenFollowUp, Action::Submit],
            vec![Action::OpenFollowUps],
            vec![Action::OpenBpNotes],
            vec![Action::OpenSearch],
            vec![Action::AddParkingItem],
        ];
        for lang in [Lang::En, Lang::Ja] {
            for setup in &setups {
                let mut app = App::new(bank.clone(), review.clone(), lang, "f.yaml", false);
                for a in setup {
                    update(&mut app, a.clone());
                }
                for (w, h) in [
                    (0, 0),
                    (1, 1),
                    (10, 3),
                    (59, 15),
                    (60, 16),
                    (61, 17),
                    (80, 24),
                    (100, 30),
                    (200, 60),
                ] {
                    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                    t.draw(|f| draw(f, &app)).unwrap();
                }
            }
        }
    }

    #[test]
    fn popup_clear_blanks_a_wide_char_cut_by_its_left_edge() {
        let mut t = Terminal::new(TestBackend::new(12, 2)).unwrap();
        t.draw(|f| {
            f.render_widget(Paragraph::new("日本語日本語"), f.area());
            clear(f, Rect::new(3, 0, 4, 1));
        })
        .unwrap();
        let buf = t.backend().buffer();
        assert_eq!(buf[(0, 0)].symbol(), "日");
        assert_eq!(buf[(2, 0)].symbol(), " ", "本 at x=2 would cover x=3");
        assert_eq!(buf[(3, 0)].symbol(), " ");
    }

    #[test]
    fn bp_rows_mark_notes_and_follow_ups() {
        let bank = Bank::embedded().unwrap();
        let mut review = wasec_core::Review::new("t", time::macros::date!(2026 - 01 - 01));
        review.set_bp_notes(&bank, "SEC01-BP02", "why").unwrap();
        review
            .add_follow_up(
                &bank,
                "SEC01-BP03",
                wasec_core::review::FollowUp {
                    text: "x".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let app = App::new(bank, review, Lang::En, "f", false);
        let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
        t.draw(|f| draw(f, &app)).unwrap();
        let screen = format!("{}", t.backend());
        let row = |bp: &str| {
            screen
                .lines()
                .find(|l| l.contains(&format!("] {bp} ")))
                .unwrap_or_else(|| panic!("no row for {bp}:\n{screen}"))
                .to_string()
        };
        // Risk letter, evidence mark, then the note / follow-up column.
        assert!(row("BP02").contains(" H · * "), "{}", row("BP02"));
        assert!(row("BP03").contains(" H · → "), "{}", row("BP03"));
        assert!(row("BP01").contains(" H ·   "), "{}", row("BP01"));
    }

    #[test]
    fn the_follow_up_list_flags_overdue_actions_and_shows_ids() {
        let bank = Bank::embedded().unwrap();
        let mut review = wasec_core::Review::new("t", time::macros::date!(2026 - 01 - 01));
        let due = |d| wasec_core::review::FollowUp {
            text: "rotate keys".into(),
            due: Some(d),
            ..Default::default()
        };
        let late = review
            .add_follow_up(
                &bank,
                "SEC01-BP01",
                due(time::macros::date!(2026 - 03 - 01)),
            )
            .unwrap();
        review
            .add_follow_up(
                &bank,
                "SEC01-BP01",
                due(time::macros::date!(2026 - 09 - 01)),
            )
            .unwrap();
        let mut app = App::new(bank, review, Lang::En, "f", false);
        app.today = time::macros::date!(2026 - 06 - 01);
        app.overlay = Some(crate::app::Overlay::FollowUps {
            bp: "SEC01-BP01".into(),
            sel: 0,
        });
        let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
        t.draw(|f| draw(f, &app)).unwrap();
        let screen = format!("{}", t.backend());
        assert_eq!(screen.matches("[Open, overdue]").count(), 1, "{screen}");
        assert!(screen.contains(&late), "{screen}");
    }

    #[test]
    fn tiny_terminal_says_so() {
        let bank = Bank::embedded().unwrap();
        let app = App::new(
            bank.clone(),
            crate::fixture::review(&bank, 0),
            Lang::En,
            "f",
            false,
        );
        let mut t = Terminal::new(TestBackend::new(40, 10)).unwrap();
        t.draw(|f| draw(f, &app)).unwrap();
        let screen = format!("{}", t.backend());
        assert!(screen.contains("Terminal too small"), "{screen}");
    }
}
