//! Key press -> finished frame, with all 63 BPs and 2,000 evidence items
//! loaded, at 120x40 through ratatui's TestBackend (target: < 16 ms).
//! The key benches press two keys per iteration (so the state does not
//! drift): halve the time for one key press. Also the cost of a first
//! frame (building the app and drawing once).

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use wasec_core::{Bank, Lang};
use wasec_tui::app::App;
use wasec_tui::{fixture, keymap, update, view};

fn press(app: &mut App, term: &mut Terminal<TestBackend>, code: KeyCode) {
    if let Some(a) = keymap::map(app, KeyEvent::new(code, KeyModifiers::NONE)) {
        black_box(update(app, a));
    }
    term.draw(|f| view::draw(f, app)).unwrap();
}

fn bench(c: &mut Criterion) {
    let bank = Bank::embedded().unwrap();
    let review = fixture::review(&bank, 2000);
    assert_eq!(bank.bp_count(), 63);

    let mut app = App::new(bank.clone(), review.clone(), Lang::En, "bench.yaml", true);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    // Space toggles the focused BP: a review change (undo snapshot,
    // rescoring, plan) and a redraw. Pressed twice per iteration so the
    // state does not drift.
    c.bench_function(
        "two_presses_space_toggle_each_to_frame_2000_evidence",
        |b| {
            b.iter(|| {
                press(&mut app, &mut term, KeyCode::Char(' '));
                press(&mut app, &mut term, KeyCode::Char(' '));
            })
        },
    );
    // The undo stack is capped, so it does not grow without bound above.
    app.undo.clear();

    c.bench_function("two_presses_j_then_k_each_to_frame_2000_evidence", |b| {
        b.iter(|| {
            press(&mut app, &mut term, KeyCode::Char('j'));
            press(&mut app, &mut term, KeyCode::Char('k'));
        })
    });

    let mut ja = App::new(bank.clone(), review.clone(), Lang::Ja, "bench.yaml", true);
    ja.view = wasec_tui::app::View::Dashboard;
    c.bench_function("dashboard_ja_frame_2000_evidence", |b| {
        b.iter(|| {
            term.draw(|f| view::draw(f, &ja)).unwrap();
        })
    });

    c.bench_function("first_frame_app_new_and_draw_2000_evidence", |b| {
        b.iter(|| {
            let app = App::new(bank.clone(), review.clone(), Lang::En, "bench.yaml", true);
            let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
            t.draw(|f| view::draw(f, &app)).unwrap();
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
