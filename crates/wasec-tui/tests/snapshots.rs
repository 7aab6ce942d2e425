//! Snapshots of the main views in English and Japanese, drawn through
//! ratatui's TestBackend from a review built in code. Review changes with
//! `cargo insta review` (or INSTA_UPDATE=always) and read the diff.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use wasec_core::{Bank, Lang};
use wasec_tui::action::Action;
use wasec_tui::app::App;
use wasec_tui::theme::Theme;
use wasec_tui::{fixture, update, view};

fn app(lang: Lang, actions: &[Action]) -> App {
    let bank = Bank::embedded().expect("embedded bank");
    let review = fixture::review(&bank, 12);
    let mut app =
        App::new(bank, review, lang, "shop-review.yaml", true).with_theme(Theme { color: false });
    // A fixed day: the fixture's follow-up (due 2026-12-15) is overdue.
    app.today = time::macros::date!(2026 - 12 - 20);
    for a in actions {
        update(&mut app, a.clone());
    }
    app
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    format!("{}", t.backend())
}

#[test]
fn question_and_detail_en() {
    let a = app(Lang::En, &[]);
    insta::assert_snapshot!(screen(&a, 120, 40));
}

#[test]
fn question_and_detail_ja() {
    let a = app(Lang::Ja, &[]);
    insta::assert_snapshot!(screen(&a, 120, 40));
}

#[test]
fn question_80x24_en() {
    let a = app(
        Lang::En,
        &[Action::MoveDown, Action::MoveDown, Action::MoveDown],
    );
    insta::assert_snapshot!(screen(&a, 80, 24));
}

#[test]
fn question_80x24_ja() {
    let a = app(
        Lang::Ja,
        &[Action::MoveDown, Action::MoveDown, Action::MoveDown],
    );
    insta::assert_snapshot!(screen(&a, 80, 24));
}

#[test]
fn dashboard_en() {
    let a = app(Lang::En, &[Action::ToggleDashboard]);
    insta::assert_snapshot!(screen(&a, 120, 40));
}

#[test]
fn dashboard_ja() {
    let a = app(Lang::Ja, &[Action::ToggleDashboard]);
    insta::assert_snapshot!(screen(&a, 120, 40));
}

#[test]
fn help_en() {
    let a = app(Lang::En, &[Action::ToggleHelp]);
    insta::assert_snapshot!(screen(&a, 120, 40));
}

#[test]
fn help_ja() {
    let a = app(Lang::Ja, &[Action::ToggleHelp]);
    insta::assert_snapshot!(screen(&a, 120, 40));
}

#[test]
fn facilitator_en() {
    let a = app(Lang::En, &[Action::ToggleFacilitator]);
    insta::assert_snapshot!(screen(&a, 100, 30));
}

#[test]
fn facilitator_ja() {
    let a = app(Lang::Ja, &[Action::ToggleFacilitator]);
    insta::assert_snapshot!(screen(&a, 100, 30));
}

#[test]
fn na_picker_and_notes_editor_ja() {
    let a = app(Lang::Ja, &[Action::OpenBpNaPicker]);
    insta::assert_snapshot!("na_picker_ja", screen(&a, 100, 30));
    let a = app(Lang::Ja, &[Action::OpenNotes]);
    insta::assert_snapshot!("notes_editor_ja", screen(&a, 100, 30));
}

#[test]
fn accounts_en() {
    let mut a = app(Lang::En, &[]);
    // A second account whose evidence all passes, beside the fixture's.
    let mut more: Vec<_> = a.review.evidence.clone();
    for e in &mut more {
        e.account = "444455556666".into();
        e.status = wasec_core::review::EvidenceStatus::Pass;
    }
    a.review.evidence.extend(more);
    update(&mut a, Action::ToggleAccounts);
    assert_eq!(a.accounts.len(), 2);
    let shown = screen(&a, 120, 20);
    assert!(shown.contains("111122223333") && shown.contains("444455556666"));
    insta::assert_snapshot!(shown);
}
