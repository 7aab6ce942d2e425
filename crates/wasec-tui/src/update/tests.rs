use super::*;
use crate::action::Action as A;
use crate::action::InputKey;
use crate::app::{Choice, FilterKind, Overlay, Prompt, View};
use crate::fixture;
use crate::msg::Msg;
use std::sync::mpsc::Sender;
use wasec_core::review::{ActionStatus, EvidenceItem, EvidenceRun, EvidenceStatus};
use wasec_core::scoring::BpEvidence;

fn app(persistent: bool) -> App {
    let bank = Bank::embedded().expect("embedded bank");
    let review = Review::new("t", time::macros::date!(2026 - 11 - 01));
    App::new(bank, review, wasec_core::Lang::En, "t.yaml", persistent)
}

fn run(app: &mut App, actions: impl IntoIterator<Item = Action>) -> Vec<Effect> {
    actions.into_iter().flat_map(|a| update(app, a)).collect()
}

fn typed(s: &str) -> Vec<Action> {
    s.chars().map(|c| A::Input(InputKey::Char(c))).collect()
}

#[test]
fn toggle_saves_and_undo_redo_restore_snapshots() {
    let mut a = app(true);
    let bp0 = a.bank.questions()[0].best_practices[0].id.clone();
    let fx = run(&mut a, [A::ToggleBp]);
    assert_eq!(fx, vec![Effect::Save]);
    assert_eq!(a.save, SaveState::Pending);
    assert!(a.review.answer("SEC01").unwrap().is_selected(&bp0));
    run(&mut a, [A::MoveDown, A::ToggleBp]);
    assert_eq!(a.review.answer("SEC01").unwrap().selected.len(), 2);
    run(&mut a, [A::Undo]);
    assert_eq!(
        a.review.answer("SEC01").unwrap().selected,
        vec![bp0.clone()]
    );
    run(&mut a, [A::Undo]);
    assert!(a.review.answer("SEC01").is_none());
    assert_eq!(run(&mut a, [A::Undo]), vec![], "nothing left to undo");
    run(&mut a, [A::Redo, A::Redo]);
    assert_eq!(a.review.answer("SEC01").unwrap().selected.len(), 2);
    // A new change drops the redo history.
    run(&mut a, [A::Undo, A::ToggleBp]);
    assert!(a.redo.is_empty());
}

#[test]
fn demo_changes_are_never_saved() {
    let mut a = app(false);
    assert_eq!(run(&mut a, [A::ToggleBp, A::Quit]), vec![]);
    assert_eq!(a.save, SaveState::Memory);
    assert!(a.quit);
}

#[test]
fn na_picker_marks_and_clears_with_reason() {
    let mut a = app(true);
    let bp = a.bank.questions()[0].best_practices[0].id.clone();
    run(
        &mut a,
        [A::ToggleBp, A::OpenBpNaPicker, A::MoveDown, A::Submit],
    );
    let ans = a.review.answer("SEC01").unwrap();
    assert_eq!(
        ans.not_applicable.get(&bp),
        Some(&NaReason::BusinessPriorities)
    );
    assert!(!ans.is_selected(&bp), "n/a unselects");
    // Open again: the first option now clears the mark.
    run(&mut a, [A::OpenBpNaPicker, A::Submit]);
    assert!(a.review.answer("SEC01").is_none());
    // Cancel changes nothing.
    run(&mut a, [A::OpenBpNaPicker, A::Cancel]);
    assert!(a.review.answer("SEC01").is_none() && a.overlay.is_none());
}

#[test]
fn none_of_these_and_question_na() {
    let mut a = app(true);
    run(&mut a, [A::ToggleBp, A::ToggleNoneOfThese]);
    let ans = a.review.answer("SEC01").unwrap();
    assert!(ans.none_of_these && ans.selected.is_empty());
    run(&mut a, [A::OpenQuestionNaPicker, A::Submit]);
    assert_eq!(
        a.review.answer("SEC01").unwrap().question_not_applicable,
        Some(NaReason::OutOfScope)
    );
    assert_eq!(
        a.derived.card.questions[0].risk,
        wasec_core::review::QuestionRisk::NotApplicable
    );
}

#[test]
fn notes_take_japanese_and_paste_and_submit_saves() {
    let mut a = app(true);
    run(&mut a, [A::OpenNotes]);
    run(&mut a, typed("多要素認証"));
    run(
        &mut a,
        [
            A::Input(InputKey::Backspace),
            A::Input(InputKey::Enter),
            A::Paste("済み".into()),
            A::Submit,
        ],
    );
    assert_eq!(a.review.answer("SEC01").unwrap().notes, "多要素認\n済み");
    assert!(a.overlay.is_none());
}

#[test]
fn follow_up_validates_due_date() {
    let mut a = app(true);
    run(&mut a, [A::OpenFollowUp]);
    run(&mut a, typed("Enable MFA"));
    run(&mut a, [A::Input(InputKey::Tab)]);
    run(&mut a, typed("佐藤"));
    run(&mut a, [A::Input(InputKey::Tab)]);
    run(&mut a, typed("2026-13-01"));
    assert_eq!(run(&mut a, [A::Submit]), vec![]);
    match &a.overlay {
        Some(Overlay::FollowUp { form, .. }) => {
            assert!(form.error.as_deref().unwrap().contains("YYYY-MM-DD"))
        }
        other => panic!("form should stay open, got {other:?}"),
    }
    run(&mut a, [A::Input(InputKey::ClearLine)]);
    run(&mut a, typed("2026-12-01"));
    assert_eq!(run(&mut a, [A::Submit]), vec![Effect::Save]);
    let bp = a.bank.questions()[0].best_practices[0].id.clone();
    let f = &a.review.follow_ups[&bp][0];
    assert_eq!((f.text.as_str(), f.owner.as_str()), ("Enable MFA", "佐藤"));
    assert_eq!(f.due.unwrap().to_string(), "2026-12-01");
}

/// Add a follow-up from the list overlay (which the form returns to).
fn add_from_list(a: &mut App, text: &str) -> Vec<Effect> {
    let mut fx = run(a, [A::OpenFollowUp]);
    fx.extend(run(a, typed(text)));
    fx.extend(run(a, [A::Submit]));
    fx
}

#[test]
fn follow_up_list_edits_cycles_and_deletes_with_undo() {
    let mut a = app(true);
    let bp = a.bank.questions()[0].best_practices[0].id.clone();
    run(&mut a, [A::OpenFollowUps]);
    assert_eq!(add_from_list(&mut a, "one"), vec![Effect::Save]);
    add_from_list(&mut a, "two");
    assert!(
        matches!(a.overlay, Some(Overlay::FollowUps { sel: 1, .. })),
        "back on the list, on the new action: {:?}",
        a.overlay
    );
    // Status of "two": open -> in progress -> done.
    assert_eq!(run(&mut a, [A::CycleStatus, A::CycleStatus]).len(), 2);
    assert_eq!(a.review.follow_ups[&bp][1].status, ActionStatus::Done);
    // Edit "one": new text, status kept; Esc in the form goes back to the list.
    run(&mut a, [A::MoveUp, A::CycleStatus, A::Submit]);
    assert!(matches!(
        a.overlay,
        Some(Overlay::FollowUp { index: Some(0), .. })
    ));
    run(&mut a, [A::Input(InputKey::ClearLine)]);
    run(&mut a, typed("one, reworded"));
    run(&mut a, [A::Submit]);
    let first = &a.review.follow_ups[&bp][0];
    assert_eq!(first.text, "one, reworded");
    assert_eq!(first.status, ActionStatus::InProgress);
    run(&mut a, [A::Submit, A::Cancel]);
    assert!(matches!(a.overlay, Some(Overlay::FollowUps { sel: 0, .. })));
    // Delete both; the cursor stays on a real row; undo brings one back.
    run(&mut a, [A::MoveDown, A::DeleteSelected]);
    assert!(matches!(a.overlay, Some(Overlay::FollowUps { sel: 0, .. })));
    run(&mut a, [A::DeleteSelected]);
    assert!(!a.review.follow_ups.contains_key(&bp));
    assert_eq!(
        run(&mut a, [A::DeleteSelected]),
        vec![],
        "nothing to delete"
    );
    run(&mut a, [A::Undo]);
    assert_eq!(a.review.follow_ups[&bp].len(), 1);
    run(&mut a, [A::Cancel]);
    assert!(a.overlay.is_none());
}

#[test]
fn bp_notes_editor_writes_the_focused_bp() {
    let mut a = app(true);
    run(&mut a, [A::FocusNext, A::MoveDown, A::OpenBpNotes]);
    let bp = a.focused_bp().unwrap().1.id.clone();
    run(&mut a, typed("SCP で制限"));
    assert_eq!(run(&mut a, [A::Submit]), vec![Effect::Save]);
    assert_eq!(
        a.review.answer("SEC01").unwrap().bp_notes[&bp],
        "SCP で制限"
    );
    assert_eq!(a.review.answer("SEC01").unwrap().notes, "");
    // Reopening shows the text; clearing it removes the note.
    run(&mut a, [A::OpenBpNotes]);
    match &a.overlay {
        Some(Overlay::Notes { editor, .. }) => assert_eq!(editor.text, "SCP で制限"),
        other => panic!("notes editor expected, got {other:?}"),
    }
    run(&mut a, [A::Input(InputKey::ClearLine), A::Submit]);
    assert!(a.review.answer("SEC01").is_none());
}

#[test]
fn next_unanswered_skips_answered_questions() {
    let mut a = app(true);
    run(&mut a, [A::ToggleBp]); // SEC01 answered
    a.q_idx = 0;
    run(&mut a, [A::NextUnanswered]);
    assert_eq!(a.question().id, "SEC02");
    a.q_idx = 10;
    run(&mut a, [A::NextUnanswered]);
    assert_eq!(a.question().id, "SEC02", "wraps around past SEC01");
}

#[test]
fn search_spans_questions_and_escape_clears() {
    let mut a = app(true);
    let needle = a.bank.questions()[4].best_practices[0].title.en.clone();
    run(&mut a, [A::OpenSearch]);
    run(&mut a, typed(&needle.to_lowercase()));
    run(&mut a, [A::Submit]);
    let (q, b) = a.focused_bp().expect("a match");
    assert_eq!(
        (q.id.as_str(), b.title.en.as_str()),
        ("SEC05", needle.as_str())
    );
    assert_eq!(a.question().id, "SEC05", "the question follows the match");
    run(&mut a, [A::ClearFilter]);
    assert!(!a.filter.is_active());
    assert_eq!(
        a.focused_bp().unwrap().1.title.en,
        needle,
        "focus kept on the BP"
    );
}

#[test]
fn filter_by_evidence_status() {
    let bank = Bank::embedded().unwrap();
    let review = fixture::review(&bank, 200);
    let mut a = App::new(bank, review, wasec_core::Lang::En, "x", false);
    // Option 4 is "evidence: fail".
    run(
        &mut a,
        [
            A::OpenFilter,
            A::MoveDown,
            A::MoveDown,
            A::MoveDown,
            A::MoveDown,
            A::Submit,
        ],
    );
    assert_eq!(a.filter.kind, Some(FilterKind::Evidence(BpEvidence::Fail)));
    let shown = a.visible_bps();
    assert!(!shown.is_empty());
    for (qi, bi) in shown {
        let id = &a.bank.questions()[qi].best_practices[bi].id;
        assert_eq!(a.derived.bp_evidence(id), BpEvidence::Fail, "{id}");
    }
}

#[test]
fn dashboard_enter_jumps_to_plan_item() {
    let bank = Bank::embedded().unwrap();
    let review = fixture::review(&bank, 50);
    let mut a = App::new(bank, review, wasec_core::Lang::En, "x", false);
    run(&mut a, [A::ToggleDashboard, A::MoveDown]);
    let target = a.derived.plan[1].bp_id.clone();
    run(&mut a, [A::Activate]);
    assert_eq!(a.view, View::Review);
    assert_eq!(a.focused_bp().unwrap().1.id, target);
}

#[test]
fn collect_without_collector_explains_and_with_one_merges_results() {
    let mut a = app(true);
    run(&mut a, [A::CollectEvidence]);
    assert!(
        a.message
            .as_deref()
            .unwrap()
            .contains("not available in this build")
    );

    let started = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let s2 = started.clone();
    let collector = move |_r: Review, _tx: Sender<Msg>| {
        s2.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    };
    let mut a = app(true).with_collector(Box::new(collector));
    assert_eq!(
        run(&mut a, [A::CollectEvidence]),
        vec![Effect::StartCollect]
    );
    assert!(a.progress.is_some());
    run(
        &mut a,
        [A::Background(Msg::EvidenceProgress {
            done: 1,
            total: 3,
            label: "iam".into(),
        })],
    );
    assert!(a.progress.as_deref().unwrap().contains("1/3"));
    let check = a.bank.questions()[0].best_practices[0].checks[0].clone();
    let t = time::macros::datetime!(2026-11-20 00:00 UTC);
    let mut item = EvidenceItem {
        check: check.clone(),
        status: EvidenceStatus::Pass,
        summary: "ok".into(),
        account: "111122223333".into(),
        region: "global".into(),
        collected_at: t,
        ..Default::default()
    };
    // Evidence of another account is already stored: the TUI's merge
    // must keep it (it used to drop every item of the same check).
    let mut other = item.clone();
    other.account = "444455556666".into();
    other.status = EvidenceStatus::Fail;
    a.review.evidence.push(other);
    let run_rec = EvidenceRun {
        started_at: t,
        finished_at: t,
        by: String::new(),
        account: "111122223333".into(),
        accounts: Vec::new(),
        regions: vec!["us-east-1".into()],
        source: Default::default(),
        counts: Default::default(),
    };
    let first = item.clone();
    item.resources = vec!["arn:aws:iam::111122223333:root".into()];
    let scan = wasec_core::evidence::Run {
        scopes: vec![wasec_core::evidence::RunScope {
            source: Default::default(),
            account: "111122223333".into(),
            regions: vec!["us-east-1".into()],
            checks: [check].into_iter().collect(),
        }],
        items: vec![first, item],
        record: run_rec,
    };
    let fx = run(
        &mut a,
        [A::Background(Msg::EvidenceDone(Ok(Box::new(scan))))],
    );
    assert_eq!(fx, vec![Effect::Save]);
    assert_eq!(a.review.evidence.len(), 3, "{:#?}", a.review.evidence);
    assert!(
        a.review
            .evidence
            .iter()
            .any(|e| e.account == "444455556666")
    );
    assert!(a.progress.is_none());
    let bp = a.bank.questions()[0].best_practices[0].id.clone();
    // The other account's failing item still counts.
    assert_eq!(a.derived.bp_evidence(&bp), BpEvidence::Fail);
    assert_eq!(
        started.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "update itself does no I/O"
    );
}

#[test]
fn meeting_timer_counts_per_question_and_survives_undo() {
    let mut a = app(true);
    assert_eq!(
        run(&mut a, [A::Tick { secs: 5 }]),
        vec![],
        "paused timer does nothing"
    );
    run(
        &mut a,
        [
            A::ToggleTimer,
            A::Tick { secs: 5 },
            A::ToggleBp,
            A::Tick { secs: 3 },
        ],
    );
    let f = &a.review.facilitation;
    assert_eq!((f.meeting_seconds, f.time_spent["SEC01"]), (8, 8));
    run(&mut a, [A::Undo]);
    assert_eq!(
        a.review.facilitation.meeting_seconds, 8,
        "undo keeps the clock"
    );
    assert_eq!(
        run(&mut a, [A::Tick { secs: 30 }]),
        vec![Effect::Save],
        "saved every 30 s"
    );
    run(
        &mut a,
        [A::Saved {
            at: "12:00:00".into(),
        }],
    );
    assert_eq!(a.unsaved_secs, 0);
}

#[test]
fn participants_and_parking_lot_are_review_changes() {
    let mut a = app(true);
    run(&mut a, [A::ToggleFacilitator, A::AddParticipant]);
    run(&mut a, typed("山田"));
    run(&mut a, [A::Submit, A::AddParkingItem]);
    run(&mut a, typed("check SCPs"));
    run(&mut a, [A::Submit]);
    let f = &a.review.facilitation;
    assert_eq!(f.participants, vec!["山田"]);
    assert_eq!(f.parking_lot[0].question, "SEC01");
    run(&mut a, [A::ToggleParkingResolved]);
    assert!(a.review.facilitation.parking_lot[0].resolved);
    run(&mut a, [A::DeleteFacilItem]);
    assert!(a.review.facilitation.parking_lot.is_empty());
    run(&mut a, [A::Undo]);
    assert_eq!(a.review.facilitation.parking_lot.len(), 1);
}

#[test]
fn quit_saves_pending_timer_seconds_and_waits_for_the_save() {
    let mut a = app(true);
    run(&mut a, [A::ToggleTimer, A::Tick { secs: 2 }]);
    assert_eq!(run(&mut a, [A::Quit]), vec![Effect::Save]);
    assert!(!a.quit, "not before the save succeeded");
    run(
        &mut a,
        [A::Saved {
            at: "10:00:00".into(),
        }],
    );
    assert!(a.quit);
}

#[test]
fn quit_after_a_failed_save_asks_instead_of_losing_the_answers() {
    let mut a = app(true);
    run(
        &mut a,
        [A::ToggleBp, A::SaveFailed("permission denied".into())],
    );
    // `q` used to quit at once with exit 0, and the answer was gone.
    assert_eq!(run(&mut a, [A::Quit]), vec![]);
    assert!(!a.quit);
    let Some(Overlay::Choose {
        prompt, options, ..
    }) = &a.overlay
    else {
        panic!("expected a question, got {:?}", a.overlay);
    };
    assert_eq!(*prompt, Prompt::UnsavedQuit);
    assert_eq!(
        options,
        &vec![
            Choice::RetrySave,
            Choice::SaveAs,
            Choice::QuitAnyway,
            Choice::Stay
        ]
    );
    // Retry: the save runs again, and a second failure asks again.
    assert_eq!(run(&mut a, [A::Pick(0)]), vec![Effect::Save]);
    run(&mut a, [A::SaveFailed("permission denied".into())]);
    assert!(!a.quit && matches!(a.overlay, Some(Overlay::Choose { .. })));
    // Save as: a path, then the quit completes once that file is written.
    run(&mut a, [A::Pick(1)]);
    assert!(matches!(
        a.overlay,
        Some(Overlay::SaveAs {
            quit_after: true,
            ..
        })
    ));
    run(&mut a, [A::Input(InputKey::ClearLine)]);
    run(&mut a, typed("/tmp/elsewhere.yaml"));
    assert_eq!(
        run(&mut a, [A::Submit]),
        vec![Effect::SaveAs("/tmp/elsewhere.yaml".into())]
    );
    assert!(!a.quit);
    run(
        &mut a,
        [A::SavedAs {
            label: "/tmp/elsewhere.yaml".into(),
            at: "10:00:01".into(),
        }],
    );
    assert!(a.quit);
    assert_eq!(a.label, "/tmp/elsewhere.yaml");
}

#[test]
fn quitting_anyway_writes_a_rescue_copy_and_signals_never_ask() {
    let mut a = app(true);
    run(
        &mut a,
        [A::ToggleBp, A::SaveFailed("disk full".into()), A::Quit],
    );
    assert_eq!(run(&mut a, [A::Pick(2)]), vec![Effect::Rescue]);
    assert!(a.quit);
    run(&mut a, [A::Rescued(Ok("/tmp/r.yaml".into()))]);
    assert_eq!(a.rescued.as_deref(), Some("/tmp/r.yaml"));
    // SIGTERM / SIGHUP: nobody to ask, so save, or else rescue.
    let mut b = app(true);
    run(&mut b, [A::ToggleBp]);
    assert_eq!(
        run(&mut b, [A::ForceQuit]),
        vec![Effect::Save, Effect::Rescue]
    );
    assert!(b.quit);
    let mut c = app(true);
    assert_eq!(run(&mut c, [A::ForceQuit]), vec![], "nothing unsaved");
}

#[test]
fn a_file_changed_on_disk_is_never_overwritten_without_asking() {
    let mut a = app(true);
    run(&mut a, [A::ToggleBp]);
    run(&mut a, [A::ChangedOnDisk]);
    assert_eq!(a.save, SaveState::Conflict);
    let Some(Overlay::Choose {
        prompt, options, ..
    }) = a.overlay.clone()
    else {
        panic!("expected a question");
    };
    assert_eq!(prompt, Prompt::ChangedOnDisk);
    assert_eq!(
        options,
        vec![
            Choice::Reload,
            Choice::KeepMine,
            Choice::SaveAs,
            Choice::Stay
        ]
    );
    // Later changes do not ask again, and stay unsaved.
    run(
        &mut a,
        [A::Cancel, A::MoveDown, A::ToggleBp, A::ChangedOnDisk],
    );
    assert!(a.overlay.is_none());
    assert_eq!(a.save, SaveState::Conflict);
    // Ctrl-S asks again; "keep mine" overwrites on purpose.
    run(&mut a, [A::SaveNow]);
    assert_eq!(run(&mut a, [A::Pick(1)]), vec![Effect::Overwrite]);
    run(&mut a, [A::Saved { at: "t".into() }]);
    assert_eq!(a.save, SaveState::Saved("t".into()));
    // Reload: their version comes in, ours is one undo away.
    run(&mut a, [A::ChangedOnDisk]);
    assert_eq!(run(&mut a, [A::Pick(0)]), vec![Effect::Reload]);
    let mine = a.review.clone();
    let theirs = Review::new("edited by hand", time::macros::date!(2026 - 11 - 02));
    run(&mut a, [A::Reloaded(Ok(Box::new(theirs.clone())))]);
    assert_eq!(a.review, theirs);
    assert_eq!(a.save, SaveState::Clean);
    run(&mut a, [A::Undo]);
    assert_eq!(a.review.answers, mine.answers);
}

#[test]
fn editors_cancel_with_esc_and_ask_before_dropping_typed_text() {
    let mut a = app(true);
    run(&mut a, [A::OpenNotes]);
    run(&mut a, typed("half a thought"));
    // Cancel (Esc or Ctrl-C) asks; "keep editing" returns with the text.
    run(&mut a, [A::Cancel]);
    assert!(matches!(
        a.overlay,
        Some(Overlay::Choose {
            prompt: Prompt::DiscardEdit,
            ..
        })
    ));
    run(&mut a, [A::Cancel]);
    match &a.overlay {
        Some(Overlay::Notes { editor, .. }) => assert_eq!(editor.text, "half a thought"),
        other => panic!("{other:?}"),
    }
    // "Save" from the question saves the text.
    run(&mut a, [A::Cancel]);
    let fx = run(&mut a, [A::Pick(1)]);
    assert_eq!(fx, vec![Effect::Save]);
    assert_eq!(a.review.answer("SEC01").unwrap().notes, "half a thought");
    assert!(a.overlay.is_none());
    // "Discard" drops it; an untouched editor closes without asking.
    run(&mut a, [A::OpenNotes]);
    run(&mut a, typed(" more"));
    run(&mut a, [A::Cancel, A::Pick(2)]);
    assert!(a.overlay.is_none());
    assert_eq!(a.review.answer("SEC01").unwrap().notes, "half a thought");
    run(&mut a, [A::OpenNotes, A::Cancel]);
    assert!(a.overlay.is_none());
    // The follow-up form asks too.
    run(&mut a, [A::OpenFollowUp]);
    run(&mut a, typed("Enable MFA"));
    run(&mut a, [A::Cancel]);
    assert!(matches!(a.overlay, Some(Overlay::Choose { .. })));
    run(&mut a, [A::Cancel]);
    assert!(matches!(a.overlay, Some(Overlay::FollowUp { .. })));
}

#[test]
fn language_switch_and_save_failure_are_shown() {
    let mut a = app(true);
    run(&mut a, [A::ToggleLanguage]);
    assert_eq!(a.lang, wasec_core::Lang::Ja);
    run(&mut a, [A::SaveFailed("disk full".into())]);
    assert_eq!(a.save, SaveState::Failed("disk full".into()));
}

#[test]
fn search_finds_controls_named_only_in_the_guidance() {
    let mut a = app(true);
    run(&mut a, [A::OpenSearch]);
    run(&mut a, typed("mfa"));
    let hits = a.visible_bps();
    assert!(!hits.is_empty());
    for (qi, bi) in hits {
        let b = &a.bank.questions()[qi].best_practices[bi];
        let hay = format!("{} {} {}", b.id, b.title.en, b.good.en).to_lowercase();
        assert!(
            hay.contains("mfa") || b.services.iter().any(|s| s.to_lowercase().contains("mfa")),
            "{}",
            b.id
        );
    }
}

#[test]
fn keys_typed_fast_after_an_editor_opens_go_into_it() {
    // The runtime maps each key against the state left by the previous
    // one; here the same sequence through keymap + update.
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut a = app(true);
    for c in "/mfa".chars() {
        let k = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        let action = crate::keymap::map(&a, k).expect("mapped");
        update(&mut a, action);
    }
    assert_eq!(a.filter.text, "mfa");
}
