//! Lens versions: NOT_CURRENT and DEPRECATED are never written silently;
//! `--upgrade-lens` upgrades only when asked; choice ids are the key.

use crate::common::*;
use wasec_core::{Bank, Review};
use wasec_testkit::{Double, LensSetup};
use wasec_watool::push::LensAction;

fn old_lens_workload(status: &str) -> (Bank, Double, Review, String) {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, &format!("{status} lens shop"));
    let mut lens = LensSetup::previous(&bank);
    lens.status = status.into();
    d.set_lens(&id, &lens).unwrap();
    review.set_selected(&bank, "SEC04-BP03", true).unwrap();
    (bank, d, review, id)
}

/// Why: a workload on an older lens was pushed anyway.
#[test]
fn not_current_lens_is_not_written_without_a_decision() {
    let (bank, d, mut review, id) = old_lens_workload("NOT_CURRENT");
    let before = writes(&d);
    let p = run_push(&bank, &d, &mut review, &by_id(&id));
    let msg = p.err_text();
    assert!(
        msg.contains("NOT_CURRENT")
            && msg.contains("--upgrade-lens")
            && msg.contains("--keep-lens-version"),
        "{msg}"
    );
    assert_eq!(writes(&d), before);
    // --keep-lens-version writes to the old version as it is.
    let mut o = by_id(&id);
    o.lens = LensAction::Keep;
    let out = run_push(&bank, &d, &mut review, &o).ok();
    assert_eq!(out.written, 1);
    assert_eq!(out.lens_version, "2023-10-03");
    assert_eq!(d.calls("UpgradeLensReview"), 0);
}

#[test]
fn upgrade_lens_records_a_milestone_and_runs_only_when_asked() {
    let (bank, d, mut review, id) = old_lens_workload("NOT_CURRENT");
    // A dry run only says what it would do.
    let mut o = by_id(&id);
    o.lens = LensAction::Upgrade { milestone: None };
    o.dry_run = true;
    let p = run_push(&bank, &d, &mut review, &o);
    assert!(
        p.out
            .contains("Would upgrade the lens review from 2023-10-03"),
        "{}",
        p.out
    );
    p.ok();
    assert_eq!(d.calls("UpgradeLensReview"), 0);
    o.dry_run = false;
    let p = run_push(&bank, &d, &mut review, &o);
    let out = p.out.clone();
    let done = p.ok();
    assert!(done.lens_upgraded && done.written == 1, "{out}");
    assert_eq!(d.calls("UpgradeLensReview"), 1);
    assert_eq!(done.lens_version, bank.lens().framework_version);
    assert_eq!(
        d.milestones(&id),
        vec!["Before lens upgrade from 2023-10-03 (wasec)".to_string()]
    );
    assert_eq!(
        review.wa_tool.as_ref().unwrap().lens_version,
        bank.lens().framework_version
    );
    // Now CURRENT: asking again upgrades nothing.
    run_push(&bank, &d, &mut review, &o).ok();
    assert_eq!(d.calls("UpgradeLensReview"), 1);
}

#[test]
fn upgrade_milestone_name_clash_is_refused_before_any_write() {
    let (bank, d, mut review, id) = old_lens_workload("NOT_CURRENT");
    let mut o = by_id(&id);
    o.lens = LensAction::Upgrade {
        milestone: Some("Q4".into()),
    };
    o.milestone = Some("Q4".into());
    let before = writes(&d);
    let msg = run_push(&bank, &d, &mut review, &o).err_text();
    assert!(msg.contains("need different names"), "{msg}");
    assert_eq!(writes(&d), before);
}

/// Why: DEPRECATED was read and unused.
#[test]
fn deprecated_lens_is_refused_with_an_explanation() {
    let (bank, d, mut review, id) = old_lens_workload("DEPRECATED");
    let before = writes(&d);
    let mut o = by_id(&id);
    o.lens = LensAction::Keep;
    let msg = run_push(&bank, &d, &mut review, &o).err_text();
    assert!(
        msg.contains("deprecated") && msg.contains("--upgrade-lens"),
        "{msg}"
    );
    assert_eq!(writes(&d), before);
    o.lens = LensAction::Upgrade { milestone: None };
    assert!(run_push(&bank, &d, &mut review, &o).ok().lens_upgraded);
}

/// The framework renumbers BPs; the Tool's choice ids stay. A bank whose
/// SEC01 numbers differ still maps every answer by choice id.
#[test]
fn a_renumbered_bp_maps_by_choice_id() {
    let tool_bank = Bank::embedded().unwrap();
    let d = Double::start(&tool_bank).unwrap();
    let sec01 = include_str!("../../../../questions/sec01.yaml")
        .replace("id: SEC01-BP02", "id: SEC01-BPXX")
        .replace("id: SEC01-BP06", "id: SEC01-BP02")
        .replace("id: SEC01-BPXX", "id: SEC01-BP06");
    let files: Vec<(String, String)> = (1..=11)
        .map(|n| {
            let name = format!("sec{n:02}.yaml");
            let text = if n == 1 {
                sec01.clone()
            } else {
                std::fs::read_to_string(format!("../../questions/{name}")).unwrap()
            };
            (name, text)
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let bank = Bank::from_sources(include_str!("../../../../questions/lens.yaml"), &refs).unwrap();
    let root = bank.bp("SEC01-BP06").unwrap().1.wa_choice_id.clone();
    assert_eq!(root, tool_bank.bp("SEC01-BP02").unwrap().1.wa_choice_id);
    let mut review = Review::new("renumbered", time::macros::date!(2026 - 11 - 01));
    review.workload.owner = "Aiko".into();
    review.set_selected(&bank, "SEC01-BP06", true).unwrap();
    let id = run_push(&bank, &d, &mut review, &by_name("renumbered"))
        .ok()
        .workload_id
        .unwrap();
    assert_eq!(selected(&d, &id, "securely-operate"), vec![root]);
    let (pulled, _, _) = run_pull(&bank, &d, &id, None);
    assert_eq!(
        pulled.unwrap().answer("SEC01").unwrap().selected,
        vec!["SEC01-BP06".to_string()]
    );
    let (by_tool_bank, _, _) = run_pull(&tool_bank, &d, &id, None);
    assert_eq!(
        by_tool_bank.unwrap().answer("SEC01").unwrap().selected,
        vec!["SEC01-BP02".to_string()]
    );
}
