//! Three-way sync: what the Tool holds that wasec did not write stays;
//! edits on both sides are conflicts; `--prefer` settles them.

use crate::common::*;
use serde_json::json;
use wasec_core::bank::Question;
use wasec_core::review::{Answer, NaReason};
use wasec_core::{Bank, Review};
use wasec_watool::Error;
use wasec_watool::merge::Prefer;
use wasec_watool::notes::EVIDENCE_MARK;

/// A question the demo answers with one BP selected and two open.
fn open_question<'b>(bank: &'b Bank, review: &Review) -> (&'b Question, Answer) {
    bank.questions()
        .iter()
        .filter_map(|q| review.answer(&q.id).map(|a| (q, a.clone())))
        .find(|(q, a)| {
            let open = q
                .best_practices
                .iter()
                .filter(|b| !a.is_selected(&b.id) && !a.is_bp_na(&b.id))
                .count();
            a.question_not_applicable.is_none() && !a.selected.is_empty() && open >= 2
        })
        .expect("the demo has such a question")
}

/// Why: SelectedChoices replace the set and empty choice Notes wiped console notes.
#[test]
fn tool_only_choice_and_console_note_survive_a_push() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "survive shop");
    let (q, a) = open_question(&bank, &review);
    let wq = q.wa_question_id.as_str();
    let open: Vec<_> = q
        .best_practices
        .iter()
        .filter(|b| !a.is_selected(&b.id) && !a.is_bp_na(&b.id))
        .collect();
    let (extra, other) = (open[0], open[1]);
    let noted = q
        .best_practices
        .iter()
        .find(|b| a.is_selected(&b.id))
        .unwrap();
    // In the console: select a choice wasec does not have, note another.
    let mut sel = selected(&d, &id, wq);
    sel.push(extra.wa_choice_id.clone());
    let update = json!({
        "SelectedChoices": sel,
        "ChoiceUpdates": { noted.wa_choice_id.clone(): { "Status": "SELECTED", "Notes": "console note" } },
    });
    d.console_update_answer(&id, wq, &update).unwrap();
    // wasec changes the same question.
    review.set_selected(&bank, &other.id, true).unwrap();
    let pushed = run_push(&bank, &d, &mut review, &by_id(&id));
    let out = pushed.out.clone();
    let o = pushed.ok();
    assert_eq!(o.written, 1, "{out}");
    let now = selected(&d, &id, wq);
    assert!(
        now.contains(&extra.wa_choice_id),
        "Tool-only choice unselected: {now:?}"
    );
    assert!(now.contains(&other.wa_choice_id));
    assert_eq!(
        choice_note(&d, &id, wq, &noted.wa_choice_id),
        "console note"
    );
    assert!(out.contains(&format!("+ select   {}", other.id)), "{out}");
    assert!(out.contains("the Tool keeps selected"), "{out}");
    // The next push has nothing to do: the kept choice is no change of wasec's.
    let before = writes(&d);
    let again = run_push(&bank, &d, &mut review, &by_id(&id));
    assert!(
        again.out.contains("No differences to write"),
        "{}",
        again.out
    );
    again.ok();
    assert_eq!(writes(&d), before);
}

/// Why: nothing detected edits made in the Tool since the last sync.
#[test]
fn concurrent_edit_is_reported_and_prefer_settles_it() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "concurrent shop");
    d.console_update_answer(
        &id,
        "permissions",
        &json!({ "Notes": "changed in the console" }),
    )
    .unwrap();
    review
        .set_notes(&bank, "SEC03", "changed in wasec")
        .unwrap();
    let before = writes(&d);
    let p = run_push(&bank, &d, &mut review, &by_id(&id));
    assert!(matches!(p.result, Err(Error::Conflicts(1))), "{}", p.out);
    assert!(p.out.contains("conflict on question notes"), "{}", p.out);
    assert!(p.err_text().contains("--prefer"));
    assert_eq!(
        writes(&d),
        before,
        "a conflict stops the push before any write"
    );
    assert_eq!(
        d.answer(&id, "permissions")["Notes"],
        "changed in the console"
    );
    // --prefer tool keeps the console's text, and the review's stays local.
    let mut o = by_id(&id);
    o.prefer = Some(Prefer::Tool);
    run_push(&bank, &d, &mut review, &o).ok();
    assert_eq!(
        d.answer(&id, "permissions")["Notes"],
        "changed in the console"
    );
    // After that, wasec's text is settled as "not pushed": a new wasec edit wins.
    review
        .set_notes(&bank, "SEC03", "wasec, second edit")
        .unwrap();
    run_push(&bank, &d, &mut review, &by_id(&id)).ok();
    assert!(
        d.answer(&id, "permissions")["Notes"]
            .as_str()
            .unwrap()
            .starts_with("wasec, second edit")
    );
    // Both edit again; --prefer wasec writes the review's.
    d.console_update_answer(&id, "permissions", &json!({ "Notes": "console again" }))
        .unwrap();
    review.set_notes(&bank, "SEC03", "wasec again").unwrap();
    o.prefer = Some(Prefer::Wasec);
    let p = run_push(&bank, &d, &mut review, &o);
    assert!(p.out.contains("--prefer wasec"), "{}", p.out);
    assert_eq!(p.ok().settled, 1);
    assert!(
        d.answer(&id, "permissions")["Notes"]
            .as_str()
            .unwrap()
            .starts_with("wasec again")
    );
}

#[test]
fn dry_run_shows_each_conflict_and_note_change_in_full() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "dry shop");
    d.console_update_answer(
        &id,
        "permissions",
        &json!({ "Notes": "console line one\nconsole line two" }),
    )
    .unwrap();
    review
        .set_notes(&bank, "SEC03", "wasec line one\nwasec line two")
        .unwrap();
    review
        .set_notes(&bank, "SEC02", "first new line\nsecond new line")
        .unwrap();
    let before = writes(&d);
    let mut o = by_id(&id);
    o.dry_run = true;
    let p = run_push(&bank, &d, &mut review, &o);
    for line in [
        "console line two",
        "wasec line two",
        "first new line",
        "second new line",
    ] {
        assert!(
            p.out.contains(&format!("| {line}")),
            "{line} missing:\n{}",
            p.out
        );
    }
    assert!(matches!(p.result, Err(Error::Conflicts(1))));
    assert_eq!(writes(&d), before);
    // With the conflict settled, the dry run still writes nothing.
    o.prefer = Some(Prefer::Wasec);
    let p = run_push(&bank, &d, &mut review, &o);
    assert!(p.out.contains("Dry run"), "{}", p.out);
    assert_eq!(p.ok().planned, 2);
    assert_eq!(writes(&d), before);
}

/// Why: a pull then push turned Tool choices into note prose.
#[test]
fn pull_then_push_keeps_tool_choices() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "retired shop");
    let mut lens = wasec_testkit::LensSetup::previous(&bank);
    lens.status = "CURRENT".into();
    d.set_lens(&id, &lens).unwrap();
    let mut sel = selected(&d, &id, "protect-compute");
    sel.push("sec_protect_compute_reduce_surface".into());
    d.console_update_answer(&id, "protect-compute", &json!({ "SelectedChoices": sel }))
        .unwrap();
    let (pulled, _, _) = run_pull(&bank, &d, &id, None);
    let mut pulled = pulled.unwrap();
    let a = pulled.answer("SEC06").unwrap().clone();
    assert!(a.notes.contains("Reduce attack surface"), "{}", a.notes);
    let q = bank.question("SEC06").unwrap();
    let add = q
        .best_practices
        .iter()
        .find(|b| !a.is_selected(&b.id) && !a.is_bp_na(&b.id))
        .unwrap();
    pulled.set_selected(&bank, &add.id, true).unwrap();
    run_push(&bank, &d, &mut pulled, &by_id(&id)).ok();
    let now = selected(&d, &id, "protect-compute");
    assert!(
        now.contains(&"sec_protect_compute_reduce_surface".to_string()),
        "{now:?}"
    );
    assert!(now.contains(&add.wa_choice_id));
    let notes = d.answer(&id, "protect-compute")["Notes"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!notes.contains("[wasec:"), "{notes}");
}

/// Why: notes on unanswered questions were silently dropped on push.
#[test]
fn notes_on_an_unanswered_question_are_pushed() {
    let (bank, d, mut review) = setup();
    review.answers.remove("SEC01");
    review
        .set_notes(&bank, "SEC01", "ask the platform team")
        .unwrap();
    let id = first_push(&bank, &d, &mut review, "unanswered notes shop");
    let a = d.answer(&id, "securely-operate");
    assert!(
        a["Notes"]
            .as_str()
            .unwrap()
            .starts_with("ask the platform team"),
        "{a}"
    );
    assert_eq!(a["Risk"], "UNANSWERED", "notes do not answer the question");
    assert_eq!(a["SelectedChoices"], json!([]));
}

/// Why: BP marks and notes on a not-applicable question were silently dropped.
#[test]
fn bp_marks_on_a_not_applicable_question_are_warned() {
    let (bank, d, mut review) = setup();
    review
        .set_question_na(&bank, "SEC11", Some(NaReason::OutOfScope))
        .unwrap();
    review
        .answers
        .get_mut("SEC11")
        .unwrap()
        .bp_notes
        .insert("SEC11-BP01".into(), "pentest yearly".into());
    let p = run_push(&bank, &d, &mut review, &by_name("na marks shop"));
    let err = p.err.clone();
    let id = p.ok().workload_id.unwrap();
    assert!(
        err.contains("SEC11: the question does not apply") && err.contains("SEC11-BP01 notes"),
        "{err}"
    );
    assert_eq!(d.answer(&id, "application-security")["IsApplicable"], false);
}

/// Why: a note cut inside the marker left a fragment pull took for reviewer text.
#[test]
fn truncation_never_leaves_a_marker_fragment() {
    let (bank, d, mut review) = setup();
    // Reviewer text that leaves room for only part of the marker.
    let text = "n".repeat(2084 - 2 - 22 - 5);
    review.set_notes(&bank, "SEC02", &text).unwrap();
    let p = run_push(&bank, &d, &mut review, &by_name("truncate shop"));
    assert!(p.err.contains("SEC02: notes are longer"), "{}", p.err);
    let id = p.ok().workload_id.unwrap();
    let stored = d.answer(&id, "identities")["Notes"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(wasec_watool::notes::api_len(&stored) <= 2084);
    let (pulled, _, _) = run_pull(&bank, &d, &id, None);
    let back = pulled.unwrap().answer("SEC02").unwrap().notes.clone();
    assert!(!back.contains("[was"), "{}", &back[back.len() - 60..]);
    assert!(text.starts_with(back.trim_end_matches(wasec_watool::notes::TRUNCATED_MARK)));
    // Whatever was kept of the evidence sits after a whole marker.
    assert!(!stored.contains("[wase") || stored.contains(EVIDENCE_MARK));
}

/// Why: workload field changes were never pushed (no UpdateWorkload).
#[test]
fn workload_fields_go_both_ways_without_undoing_console_edits() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "meta shop");
    d.console_update_workload(&id, &json!({ "ReviewOwner": "Console Owner" }))
        .unwrap();
    review.workload.description = "Checkout and payments, PCI scope".into();
    review.workload.accounts.push("999988887777".into());
    let p = run_push(&bank, &d, &mut review, &by_id(&id));
    let out = p.out.clone();
    assert!(p.ok().workload_updated, "{out}");
    let w = d.workload(&id);
    assert_eq!(w["Description"], "Checkout and payments, PCI scope");
    assert!(
        w["AccountIds"]
            .as_array()
            .unwrap()
            .contains(&json!("999988887777"))
    );
    assert_eq!(
        w["ReviewOwner"], "Console Owner",
        "a console edit wasec did not make stays"
    );
    assert!(
        out.contains("changed in the Tool since the last sync"),
        "{out}"
    );
    // Pull brings the Tool's fields into a new review.
    let (pulled, _, _) = run_pull(&bank, &d, &id, None);
    assert_eq!(pulled.unwrap().workload.owner, "Console Owner");
}

#[test]
fn push_then_pull_round_trips_and_a_second_push_writes_nothing() {
    let (bank, d, mut review) = setup();
    let mut o = by_name(&review.workload.name.clone());
    o.milestone = Some("first review".into());
    let first = run_push(&bank, &d, &mut review, &o).ok();
    assert!(first.created && first.planned > 0 && first.written == first.planned);
    let id = first.workload_id.clone().unwrap();
    assert_eq!(d.calls("UpdateAnswer"), first.written);
    assert_eq!(d.milestones(&id), vec!["first review".to_string()]);
    assert!(
        first
            .console_url
            .unwrap()
            .contains(&format!("#/workload/{id}/overview"))
    );
    assert!(
        first.risk_mismatches.is_empty(),
        "{:?}",
        first.risk_mismatches
    );
    let (pulled, _, warnings) = run_pull(&bank, &d, &id, None);
    let pulled = pulled.unwrap();
    assert!(warnings.is_empty(), "{warnings}");
    for q in bank.questions() {
        let (ours, theirs) = (review.answer(&q.id), pulled.answer(&q.id));
        match ours.filter(|a| a.question_not_applicable.is_none()) {
            Some(a) => assert_eq!(Some(a), theirs, "{}", q.id),
            None => assert_eq!(
                ours.and_then(|a| a.question_not_applicable),
                theirs.and_then(|a| a.question_not_applicable)
            ),
        }
    }
    assert_eq!(pulled.workload.owner, review.workload.owner);
    // By name again (case and spaces ignored): nothing to write.
    let before = writes(&d);
    let again = by_name(&review.workload.name.to_uppercase().replace(' ', "  "));
    let second = run_push(&bank, &d, &mut review, &again).ok();
    assert!(!second.created && second.planned == 0);
    assert_eq!(second.workload_id.as_deref(), Some(id.as_str()));
    assert_eq!(writes(&d), before);
    // A changed answer writes exactly that question.
    review.set_selected(&bank, "SEC04-BP03", true).unwrap();
    let p = run_push(&bank, &d, &mut review, &by_id(&id));
    assert!(p.out.contains("+ select   SEC04-BP03"), "{}", p.out);
    assert_eq!(p.ok().written, 1);
}

/// A console user rewrites a question's notes and leaves wasec's evidence summary as it is.
fn console_notes(d: &wasec_testkit::Double, id: &str, q: &str, text: &str) {
    let old = d.answer(id, q)["Notes"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let evidence = old
        .find(EVIDENCE_MARK)
        .map(|i| format!("\n\n{}", &old[i..]))
        .unwrap_or_default();
    d.console_update_answer(id, q, &json!({ "Notes": format!("{text}{evidence}") }))
        .unwrap();
}

#[test]
fn pull_into_a_review_takes_tool_changes_and_keeps_unpushed_ones() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "merge shop");
    let (q, a) = open_question(&bank, &review);
    let extra = q
        .best_practices
        .iter()
        .find(|b| !a.is_selected(&b.id) && !a.is_bp_na(&b.id))
        .unwrap();
    let mut sel = selected(&d, &id, &q.wa_question_id);
    sel.push(extra.wa_choice_id.clone());
    d.console_update_answer(&id, &q.wa_question_id, &json!({ "SelectedChoices": sel }))
        .unwrap();
    console_notes(&d, &id, "permissions", "written in the console");
    d.console_update_workload(&id, &json!({ "Description": "Described in the console" }))
        .unwrap();
    review.set_notes(&bank, "SEC08", "not pushed yet").unwrap();
    // A dry run changes nothing.
    let dry = wasec_watool::pull::MergeOptions {
        prefer: None,
        dry_run: true,
    };
    let before = review.clone();
    let (r, out) = run_pull_into(&bank, &d, &mut review, &dry);
    assert_eq!(r.unwrap().changed, 2, "{out}");
    assert_eq!(review, before);
    assert!(out.contains("| written in the console"), "{out}");
    let (r, out) = run_pull_into(&bank, &d, &mut review, &Default::default());
    let o = r.unwrap();
    assert_eq!((o.changed, o.fields, o.unpushed), (2, 1, 1), "{out}");
    assert!(review.answer(&q.id).unwrap().is_selected(&extra.id));
    assert_eq!(
        review.answer("SEC03").unwrap().notes,
        "written in the console"
    );
    assert_eq!(review.answer("SEC08").unwrap().notes, "not pushed yet");
    assert_eq!(review.workload.description, "Described in the console");
    // The next push sends only the review's own change.
    let p = run_push(&bank, &d, &mut review, &by_id(&id)).ok();
    assert_eq!((p.planned, p.written, p.kept), (1, 1, 0));
    assert!(
        d.answer(&id, "protect-data-rest")["Notes"]
            .as_str()
            .unwrap()
            .starts_with("not pushed yet")
    );
    // Both sides edit the same notes: a conflict, the review untouched.
    console_notes(&d, &id, "permissions", "console, later");
    review.set_notes(&bank, "SEC03", "wasec, later").unwrap();
    let (r, _) = run_pull_into(&bank, &d, &mut review, &Default::default());
    assert!(matches!(r, Err(Error::Conflicts(1))));
    assert_eq!(review.answer("SEC03").unwrap().notes, "wasec, later");
    let tool_wins = wasec_watool::pull::MergeOptions {
        prefer: Some(Prefer::Tool),
        dry_run: false,
    };
    run_pull_into(&bank, &d, &mut review, &tool_wins).0.unwrap();
    assert_eq!(review.answer("SEC03").unwrap().notes, "console, later");
    assert_eq!(
        run_push(&bank, &d, &mut review, &by_id(&id)).ok().planned,
        0
    );
}
