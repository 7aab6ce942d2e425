//! `update(app, action)`: the one place state changes. No I/O happens
//! here; saving and evidence collection are returned as [`Effect`]s for
//! the runtime, and the time arrives as data (`Tick`, `Saved`), so every
//! path can be unit tested without a terminal.

use crate::action::{Action, Effect};
use crate::app::{
    App, Derived, FILTER_OPTIONS, FacilPane, FollowUpForm, LinePurpose, NaTarget, NotesTarget,
    Overlay, Pane, SaveState, UNDO_LIMIT, View,
};
use crate::editor::TextEditor;
use wasec_core::review::{AnswerError, NaReason};
use wasec_core::{Bank, Review};

/// Unsaved timer seconds after which the meeting time is written out.
const TIMER_SAVE_SECS: u64 = 30;
/// Plan items the dashboard lists.
pub const DASHBOARD_PLAN_ROWS: usize = 10;

mod overlay;
mod saving;

/// An editor or form is open (its text is work not yet in the review).
fn is_editing(app: &App) -> bool {
    matches!(
        app.overlay,
        Some(Overlay::Notes { .. } | Overlay::FollowUp { .. } | Overlay::Line { .. })
    )
}

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    // Events from outside the keyboard are handled whatever is open.
    match action {
        Action::Tick { secs } => return tick(app, secs),
        Action::Background(msg) => return background(app, msg),
        Action::Saved { .. }
        | Action::SaveFailed(_)
        | Action::ChangedOnDisk
        | Action::Reloaded(_)
        | Action::SavedAs { .. }
        | Action::Rescued(_) => return saving::outcome(app, action),
        Action::ForceQuit => return saving::force_quit(app),
        Action::Quit if !is_editing(app) => return saving::quit(app),
        _ => {}
    }
    app.message = None;
    if app.overlay.is_some() {
        return overlay::overlay(app, action);
    }
    match action {
        Action::MoveUp => move_by(app, -1),
        Action::MoveDown => move_by(app, 1),
        Action::PageUp => move_by(app, -10),
        Action::PageDown => move_by(app, 10),
        Action::Top => move_by(app, -10_000),
        Action::Bottom => move_by(app, 10_000),
        Action::FocusNext | Action::FocusPrev => {
            let fwd = action == Action::FocusNext;
            match app.view {
                View::Review => {
                    app.focus = match (app.focus, fwd) {
                        (Pane::Questions, true) | (Pane::Detail, false) => Pane::Bps,
                        (Pane::Bps, true) | (Pane::Questions, false) => Pane::Detail,
                        (Pane::Detail, true) | (Pane::Bps, false) => Pane::Questions,
                    }
                }
                View::Facilitator => {
                    app.facil_pane = match app.facil_pane {
                        FacilPane::Participants => FacilPane::Parking,
                        FacilPane::Parking => FacilPane::Participants,
                    };
                    app.facil_idx = 0;
                }
                View::Dashboard | View::Accounts => {}
            }
        }
        Action::Activate => return activate(app),
        Action::ToggleBp => return toggle_bp(app),
        Action::OpenBpNaPicker => {
            if let Some((q, b)) = app.focused_bp() {
                let id = b.id.clone();
                let marked = app.review.answer(&q.id).is_some_and(|a| a.is_bp_na(&id));
                app.overlay = Some(na_picker(NaTarget::Bp(id), marked));
            }
        }
        Action::OpenQuestionNaPicker => {
            let id = app.question().id.clone();
            let marked = app
                .review
                .answer(&id)
                .is_some_and(|a| a.question_not_applicable.is_some());
            app.overlay = Some(na_picker(NaTarget::Question(id), marked));
        }
        Action::ToggleNoneOfThese => {
            let id = app.question().id.clone();
            let on = !app.review.answer(&id).is_some_and(|a| a.none_of_these);
            return mutate(app, |r, b| r.set_none_of_these(b, &id, on));
        }
        Action::OpenNotes => {
            let q = app.question().id.clone();
            let notes = app
                .review
                .answer(&q)
                .map(|a| a.notes.clone())
                .unwrap_or_default();
            app.overlay = Some(Overlay::Notes {
                target: NotesTarget::Question(q),
                editor: TextEditor::new(&notes, true),
                original: notes,
            });
        }
        Action::OpenBpNotes => {
            if let Some((q, b)) = app.focused_bp() {
                let notes = app
                    .review
                    .answer(&q.id)
                    .and_then(|a| a.bp_notes.get(&b.id))
                    .cloned()
                    .unwrap_or_default();
                app.overlay = Some(Overlay::Notes {
                    target: NotesTarget::Bp(b.id.clone()),
                    editor: TextEditor::new(&notes, true),
                    original: notes,
                });
            }
        }
        Action::OpenFollowUp => {
            if let Some((_, b)) = app.focused_bp() {
                app.overlay = Some(Overlay::FollowUp {
                    bp: b.id.clone(),
                    index: None,
                    from_list: false,
                    form: FollowUpForm::default(),
                    original: Box::default(),
                });
            }
        }
        Action::OpenFollowUps => {
            if let Some((_, b)) = app.focused_bp() {
                app.overlay = Some(Overlay::FollowUps {
                    bp: b.id.clone(),
                    sel: 0,
                });
            }
        }
        Action::Undo => return undo_redo(app, true),
        Action::Redo => return undo_redo(app, false),
        Action::SaveNow => return saving::save_now(app),
        Action::NextUnanswered => next_unanswered(app),
        Action::OpenSearch => {
            app.overlay = Some(Overlay::Search {
                input: TextEditor::new(&app.filter.text, false),
            });
            app.view = View::Review;
        }
        Action::OpenFilter => {
            let sel = FILTER_OPTIONS
                .iter()
                .position(|o| *o == app.filter.kind)
                .unwrap_or(0);
            app.overlay = Some(Overlay::FilterPicker { sel });
            app.view = View::Review;
        }
        Action::ClearFilter => {
            if app.filter.is_active() {
                keep_focus_while(app, |app| app.filter = Default::default());
            } else if app.view != View::Review {
                app.view = View::Review;
            }
        }
        Action::ToggleDashboard => app.view = toggle_view(app.view, View::Dashboard),
        Action::ToggleFacilitator => app.view = toggle_view(app.view, View::Facilitator),
        Action::ToggleAccounts => {
            app.view = toggle_view(app.view, View::Accounts);
            refresh_accounts(app);
        }
        Action::ToggleLanguage => app.lang = app.lang.toggle(),
        Action::ToggleHelp => app.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::ScrollDetail(d) => {
            app.detail_scroll = (i64::from(app.detail_scroll) + i64::from(d)).clamp(0, 500) as u16;
        }
        Action::CollectEvidence => return collect(app),
        Action::ToggleTimer => app.timer_running = !app.timer_running,
        Action::AddParticipant => {
            app.overlay = Some(Overlay::Line {
                purpose: LinePurpose::Participant,
                input: TextEditor::new("", false),
            })
        }
        Action::AddParkingItem => {
            app.overlay = Some(Overlay::Line {
                purpose: LinePurpose::Parking,
                input: TextEditor::new("", false),
            })
        }
        Action::ToggleParkingResolved
            if app.view == View::Facilitator && app.facil_pane == FacilPane::Parking =>
        {
            let i = app.facil_idx;
            return mutate(app, |r, _| {
                if let Some(p) = r.facilitation.parking_lot.get_mut(i) {
                    p.resolved = !p.resolved;
                }
                Ok(())
            });
        }
        Action::DeleteFacilItem if app.view == View::Facilitator => {
            let (i, pane) = (app.facil_idx, app.facil_pane);
            let fx = mutate(app, |r, _| {
                let f = &mut r.facilitation;
                match pane {
                    FacilPane::Participants if i < f.participants.len() => {
                        f.participants.remove(i);
                    }
                    FacilPane::Parking if i < f.parking_lot.len() => {
                        f.parking_lot.remove(i);
                    }
                    _ => {}
                }
                Ok(())
            });
            app.facil_idx = app.facil_idx.min(facil_len(app).saturating_sub(1));
            return fx;
        }
        // Overlay-only and runtime actions: nothing to do without an overlay.
        _ => {}
    }
    vec![]
}

fn toggle_view(current: View, target: View) -> View {
    if current == target {
        View::Review
    } else {
        target
    }
}

fn na_picker(target: NaTarget, marked: bool) -> Overlay {
    let mut options: Vec<Option<NaReason>> = Vec::new();
    if marked {
        options.push(None);
    }
    options.extend(NaReason::ALL.into_iter().map(Some));
    Overlay::NaPicker {
        target,
        options,
        sel: 0,
    }
}

/// Apply a change to the review: on success with a real difference, keep
/// an undo snapshot, refresh derived numbers and ask for a save.
pub fn mutate(
    app: &mut App,
    f: impl FnOnce(&mut Review, &Bank) -> Result<(), AnswerError>,
) -> Vec<Effect> {
    let before = app.review.clone();
    if let Err(e) = f(&mut app.review, &app.bank) {
        app.review = before;
        app.message = Some(e.to_string());
        return vec![];
    }
    if app.review == before {
        return vec![];
    }
    app.undo.push(before);
    if app.undo.len() > UNDO_LIMIT {
        app.undo.remove(0);
    }
    app.redo.clear();
    changed(app)
}

/// Recompute the accounts view's rows when it is on screen.
fn refresh_accounts(app: &mut App) {
    if app.view == View::Accounts {
        app.accounts = crate::app::AccountRow::all(&app.bank, &app.review);
        app.acc_idx = app.acc_idx.min(app.accounts.len().saturating_sub(1));
    }
}

fn changed(app: &mut App) -> Vec<Effect> {
    app.derived = Derived::compute(&app.bank, &app.review);
    refresh_accounts(app);
    clamp(app);
    if app.persistent {
        // Keep saying "changed on disk" until the user decides; the save
        // below then refuses quietly instead of asking after every change.
        if app.save != SaveState::Conflict {
            app.save = SaveState::Pending;
        }
        vec![Effect::Save]
    } else {
        vec![]
    }
}

fn undo_redo(app: &mut App, undo: bool) -> Vec<Effect> {
    let (from, to) = if undo {
        (&mut app.undo, &mut app.redo)
    } else {
        (&mut app.redo, &mut app.undo)
    };
    let Some(mut snapshot) = from.pop() else {
        app.message = Some(
            app.lang
                .pick(
                    if undo {
                        "nothing to undo"
                    } else {
                        "nothing to redo"
                    },
                    if undo {
                        "元に戻す操作はありません"
                    } else {
                        "やり直す操作はありません"
                    },
                )
                .to_string(),
        );
        return vec![];
    };
    // Meeting time keeps counting: undo restores answers, not the clock.
    snapshot.facilitation.meeting_seconds = app.review.facilitation.meeting_seconds;
    snapshot.facilitation.time_spent = app.review.facilitation.time_spent.clone();
    let current = std::mem::replace(&mut app.review, snapshot);
    to.push(current);
    app.message = Some(
        app.lang
            .pick(
                if undo { "undone" } else { "redone" },
                if undo {
                    "元に戻しました"
                } else {
                    "やり直しました"
                },
            )
            .to_string(),
    );
    changed(app)
}

fn clamp(app: &mut App) {
    let n = app.visible_bps().len();
    app.bp_idx = app.bp_idx.min(n.saturating_sub(1));
    app.dash_idx = app.dash_idx.min(
        app.derived
            .plan
            .len()
            .min(DASHBOARD_PLAN_ROWS)
            .saturating_sub(1),
    );
    app.facil_idx = app.facil_idx.min(facil_len(app).saturating_sub(1));
}

fn facil_len(app: &App) -> usize {
    match app.facil_pane {
        FacilPane::Participants => app.review.facilitation.participants.len(),
        FacilPane::Parking => app.review.facilitation.parking_lot.len(),
    }
}

fn step(i: usize, delta: i64, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (i as i64 + delta).clamp(0, len as i64 - 1) as usize
}

fn move_by(app: &mut App, delta: i64) {
    match app.view {
        View::Dashboard => {
            let n = app.derived.plan.len().min(DASHBOARD_PLAN_ROWS);
            app.dash_idx = step(app.dash_idx, delta, n);
        }
        View::Facilitator => app.facil_idx = step(app.facil_idx, delta, facil_len(app)),
        View::Accounts => app.acc_idx = step(app.acc_idx, delta, app.accounts.len()),
        View::Review => match app.focus {
            Pane::Questions => {
                let n = app.bank.questions().len();
                let q = step(app.q_idx, delta, n);
                if q != app.q_idx {
                    app.q_idx = q;
                    app.detail_scroll = 0;
                    if !app.filter.is_active() {
                        app.bp_idx = 0;
                    }
                }
            }
            Pane::Bps => {
                let bps = app.visible_bps();
                app.bp_idx = step(app.bp_idx, delta, bps.len());
                app.detail_scroll = 0;
                // With a filter the list spans questions: follow the BP.
                if let Some((qi, _)) = bps.get(app.bp_idx) {
                    app.q_idx = *qi;
                }
            }
            Pane::Detail => {
                app.detail_scroll = (app.detail_scroll as i64 + delta).clamp(0, 500) as u16;
            }
        },
    }
}

/// Change something that alters the visible BP list, keeping the focused BP.
fn keep_focus_while(app: &mut App, f: impl FnOnce(&mut App)) {
    let focused = app.visible_bps().get(app.bp_idx).copied();
    f(app);
    let bps = app.visible_bps();
    app.bp_idx = focused
        .and_then(|f| bps.iter().position(|x| *x == f))
        .unwrap_or(0);
    if let Some((qi, _)) = bps.get(app.bp_idx) {
        app.q_idx = *qi;
    }
}

fn activate(app: &mut App) -> Vec<Effect> {
    match app.view {
        View::Review => match app.focus {
            Pane::Questions => {
                app.focus = Pane::Bps;
                vec![]
            }
            _ => toggle_bp(app),
        },
        View::Dashboard => {
            if let Some(item) = app.derived.plan.get(app.dash_idx) {
                let bp = item.bp_id.clone();
                jump_to_bp(app, &bp);
            }
            vec![]
        }
        View::Accounts => {
            // Enter jumps to the account's most urgent best practice.
            if let Some((bp, _)) = app.accounts.get(app.acc_idx).and_then(|r| r.top.clone()) {
                jump_to_bp(app, &bp);
            }
            vec![]
        }
        View::Facilitator => {
            if app.facil_pane == FacilPane::Parking {
                // Enter on a parking item jumps to its question.
                let question = app
                    .review
                    .facilitation
                    .parking_lot
                    .get(app.facil_idx)
                    .map(|p| p.question.clone());
                if let Some(qi) =
                    question.and_then(|q| app.bank.questions().iter().position(|x| x.id == q))
                {
                    app.filter = Default::default();
                    app.q_idx = qi;
                    app.bp_idx = 0;
                    app.view = View::Review;
                    app.focus = Pane::Bps;
                }
            }
            vec![]
        }
    }
}

/// Show a BP in the review view: its question, focused, with no filter.
pub fn jump_to_bp(app: &mut App, bp: &str) {
    let Some(qi) = app.bank.questions().iter().position(|q| q.bp(bp).is_some()) else {
        return;
    };
    app.filter = Default::default();
    app.q_idx = qi;
    app.bp_idx = app.bank.questions()[qi]
        .best_practices
        .iter()
        .position(|b| b.id == bp)
        .unwrap_or(0);
    app.view = View::Review;
    app.focus = Pane::Bps;
    app.detail_scroll = 0;
}

fn toggle_bp(app: &mut App) -> Vec<Effect> {
    let Some((q, b)) = app.focused_bp() else {
        return vec![];
    };
    let (qid, id) = (q.id.clone(), b.id.clone());
    let on = !app.review.answer(&qid).is_some_and(|a| a.is_selected(&id));
    keep_focus_after(app, |app| {
        mutate(app, |r, bank| r.set_selected(bank, &id, on))
    })
}

/// Changes can move a BP out of a filtered list (say "evidence: fail");
/// keep the cursor on the same row number rather than jumping to the top.
fn keep_focus_after(app: &mut App, f: impl FnOnce(&mut App) -> Vec<Effect>) -> Vec<Effect> {
    let idx = app.bp_idx;
    let fx = f(app);
    app.bp_idx = idx.min(app.visible_bps().len().saturating_sub(1));
    fx
}

fn next_unanswered(app: &mut App) {
    let qs = app.bank.questions();
    let n = qs.len();
    let found = (1..=n)
        .map(|d| (app.q_idx + d) % n)
        .find(|&i| !app.review.is_answered(&app.bank, &qs[i].id));
    match found {
        Some(i) => {
            app.filter = Default::default();
            app.q_idx = i;
            app.bp_idx = 0;
            app.detail_scroll = 0;
            app.view = View::Review;
            app.focus = Pane::Bps;
        }
        None => {
            app.message = Some(
                app.lang
                    .pick("every question is answered", "すべての質問に回答済みです")
                    .to_string(),
            )
        }
    }
}

fn collect(app: &mut App) -> Vec<Effect> {
    if app.collector.is_none() {
        app.message = Some(
            app.lang
                .pick(
                    "evidence collection not available in this build",
                    "このビルドではエビデンス収集を利用できません",
                )
                .to_string(),
        );
        return vec![];
    }
    if app.progress.is_some() {
        app.message = Some(
            app.lang
                .pick("collection already running", "収集中です")
                .to_string(),
        );
        return vec![];
    }
    app.progress = Some(
        app.lang
            .pick("collecting evidence…", "エビデンス収集中…")
            .to_string(),
    );
    vec![Effect::StartCollect]
}

fn background(app: &mut App, msg: crate::msg::Msg) -> Vec<Effect> {
    use crate::msg::Msg;
    match msg {
        Msg::EvidenceProgress { done, total, label } => {
            app.progress = Some(format!(
                "{} {done}/{total} {label}",
                app.lang.pick("evidence", "エビデンス")
            ));
            vec![]
        }
        Msg::EvidenceDone(Err(e)) => {
            app.progress = None;
            app.message = Some(format!(
                "{}: {e}",
                app.lang
                    .pick("evidence collection failed", "エビデンス収集に失敗")
            ));
            vec![]
        }
        Msg::EvidenceDone(Ok(run)) => {
            app.progress = None;
            let n = run.items.len();
            // The one merge every front end uses: it replaces exactly what
            // the run covered (its account, regions and checks).
            let fx = mutate(app, move |r, _| {
                wasec_core::evidence::merge(r, *run);
                Ok(())
            });
            app.message = Some(format!(
                "{n} {}",
                app.lang
                    .pick("evidence items collected", "件のエビデンスを収集しました")
            ));
            fx
        }
    }
}

fn tick(app: &mut App, secs: u64) -> Vec<Effect> {
    if !app.timer_running || secs == 0 {
        return vec![];
    }
    let qid = app.question().id.clone();
    let f = &mut app.review.facilitation;
    f.meeting_seconds += secs;
    *f.time_spent.entry(qid).or_default() += secs;
    app.unsaved_secs += secs;
    // The clock is not an undoable change and would flood the disk if
    // saved every second, so it is written out every so often.
    if app.persistent && app.unsaved_secs >= TIMER_SAVE_SECS {
        return vec![Effect::Save];
    }
    vec![]
}

#[cfg(test)]
mod tests;
