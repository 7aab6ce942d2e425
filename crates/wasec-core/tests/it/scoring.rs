//! Risk rules, scores and the improvement plan on small hand-built reviews.

use time::macros::{date, datetime};
use wasec_core::review::{EvidenceItem, EvidenceStatus, NaReason, QuestionRisk, Review};
use wasec_core::scoring::{self, BpEvidence, Level, PlanKind};
use wasec_core::{Bank, demo};

fn bank() -> Bank {
    Bank::embedded().unwrap()
}

fn review() -> Review {
    Review::new("test", date!(2026 - 11 - 23))
}

fn evidence(check: &str, status: EvidenceStatus, public: bool) -> EvidenceItem {
    EvidenceItem {
        check: check.into(),
        status,
        summary: "s".into(),
        account: "111122223333".into(),
        region: "us-east-1".into(),
        collected_at: datetime!(2026-11-23 00:00 UTC),
        public,
        ..Default::default()
    }
}

fn risk(bank: &Bank, r: &Review, q: &str) -> QuestionRisk {
    scoring::score(bank, r).question(q).unwrap().risk
}

#[test]
fn unanswered_until_the_reviewer_says_something() {
    let (b, mut r) = (bank(), review());
    assert_eq!(risk(&b, &r, "SEC09"), QuestionRisk::Unanswered);
    r.set_notes(&b, "SEC09", "talked about it").unwrap();
    assert_eq!(
        risk(&b, &r, "SEC09"),
        QuestionRisk::Unanswered,
        "notes alone do not answer"
    );
    r.set_selected(&b, "SEC09-BP01", true).unwrap();
    assert_ne!(risk(&b, &r, "SEC09"), QuestionRisk::Unanswered);
    r.set_selected(&b, "SEC09-BP01", false).unwrap();
    assert_eq!(
        risk(&b, &r, "SEC09"),
        QuestionRisk::Unanswered,
        "unselecting everything un-answers"
    );
}

#[test]
fn high_if_any_applicable_unselected_bp_is_high() {
    // SEC09: BP01 High, BP02 High, BP03 Low.
    let (b, mut r) = (bank(), review());
    r.set_selected(&b, "SEC09-BP01", true).unwrap();
    assert_eq!(risk(&b, &r, "SEC09"), QuestionRisk::High);
    r.set_selected(&b, "SEC09-BP02", true).unwrap();
    assert_eq!(
        risk(&b, &r, "SEC09"),
        QuestionRisk::None,
        "only a Low BP is missing"
    );
}

#[test]
fn medium_when_only_medium_bps_are_missing_and_na_bps_do_not_count() {
    // SEC04: BP01 High, BP02 Medium, BP03 Low, BP04 Medium.
    let (b, mut r) = (bank(), review());
    r.set_selected(&b, "SEC04-BP01", true).unwrap();
    assert_eq!(risk(&b, &r, "SEC04"), QuestionRisk::Medium);
    r.set_bp_na(&b, "SEC04-BP02", Some(NaReason::OutOfScope))
        .unwrap();
    r.set_bp_na(&b, "SEC04-BP04", Some(NaReason::BusinessPriorities))
        .unwrap();
    assert_eq!(risk(&b, &r, "SEC04"), QuestionRisk::None);
}

#[test]
fn none_of_these_answers_with_everything_unselected() {
    let (b, mut r) = (bank(), review());
    r.set_selected(&b, "SEC07-BP01", true).unwrap();
    r.set_none_of_these(&b, "SEC07", true).unwrap();
    assert!(r.answer("SEC07").unwrap().selected.is_empty());
    let card = scoring::score(&b, &r);
    let q = card.question("SEC07").unwrap();
    assert_eq!(q.risk, QuestionRisk::High);
    assert_eq!(q.score, Some(0.0));
}

#[test]
fn question_not_applicable() {
    let (b, mut r) = (bank(), review());
    r.set_question_na(&b, "SEC11", Some(NaReason::OutOfScope))
        .unwrap();
    let card = scoring::score(&b, &r);
    assert_eq!(
        card.question("SEC11").unwrap().risk,
        QuestionRisk::NotApplicable
    );
    assert_eq!(card.question("SEC11").unwrap().score, None);
    assert_eq!(card.declared.counts.not_applicable, 1);
    assert_eq!(card.declared.counts.unanswered, 10);
}

#[test]
fn scores_weigh_high_3_medium_2_low_1() {
    // SEC04 weights: 3 + 2 + 1 + 2 = 8. Selecting BP01 (3) and BP03 (1) = 4/8.
    let (b, mut r) = (bank(), review());
    r.set_selected(&b, "SEC04-BP01", true).unwrap();
    r.set_selected(&b, "SEC04-BP03", true).unwrap();
    let card = scoring::score(&b, &r);
    assert_eq!(card.question("SEC04").unwrap().score, Some(50.0));
    // N/A BP04 removes 2 from the weight: 4/6.
    r.set_bp_na(&b, "SEC04-BP04", Some(NaReason::Other))
        .unwrap();
    assert_eq!(
        scoring::score(&b, &r).question("SEC04").unwrap().score,
        Some(66.7)
    );
    // Overall: every other question counts with nothing selected.
    let total: u32 = b.bps().map(|(_, bp)| bp.risk.weight()).sum::<u32>() - 2;
    let expected = (4.0 * 1000.0 / f64::from(total)).round() / 10.0;
    assert_eq!(scoring::score(&b, &r).declared.score, Some(expected));
}

#[test]
fn everything_in_place_scores_100() {
    let (b, mut r) = (bank(), review());
    for (_, bp) in b.bps() {
        r.set_selected(&b, &bp.id, true).unwrap();
    }
    let card = scoring::score(&b, &r);
    assert_eq!(card.declared.score, Some(100.0));
    assert_eq!(card.declared.counts.none, 11);
    assert!(scoring::plan(&b, &r).is_empty());
}

#[test]
fn plan_likelihood_follows_evidence() {
    // SEC05-BP02 (High) is informed by ec2.sg_no_admin_ports_open.
    let (b, mut r) = (bank(), review());
    r.set_selected(&b, "SEC05-BP01", true).unwrap();
    let item = |r: &Review| {
        scoring::plan(&b, r)
            .into_iter()
            .find(|i| i.bp_id == "SEC05-BP02")
            .unwrap()
    };
    assert_eq!(item(&r).likelihood, Level::Medium, "no evidence");
    assert_eq!(item(&r).priority, Level::High);

    r.evidence.push(evidence(
        "ec2.sg_no_admin_ports_open",
        EvidenceStatus::Pass,
        false,
    ));
    assert_eq!(item(&r).likelihood, Level::Low);
    assert_eq!(item(&r).priority, Level::Medium);

    r.evidence.push(evidence(
        "ec2.sg_no_admin_ports_open",
        EvidenceStatus::Fail,
        false,
    ));
    assert_eq!(item(&r).likelihood, Level::High);
    assert_eq!(item(&r).priority, Level::High);

    r.evidence.push(evidence(
        "ec2.sg_no_admin_ports_open",
        EvidenceStatus::Fail,
        true,
    ));
    assert_eq!(item(&r).likelihood, Level::Critical);
    assert_eq!(item(&r).priority, Level::Critical);
    assert_eq!(item(&r).rank, 1);
}

#[test]
fn selected_bp_with_failing_evidence_is_a_contradiction() {
    let (b, mut r) = (bank(), review());
    r.set_selected(&b, "SEC08-BP02", true).unwrap();
    assert!(
        scoring::plan(&b, &r)
            .iter()
            .all(|i| i.bp_id != "SEC08-BP02")
    );
    r.evidence.push(evidence(
        "ebs.volumes_encrypted",
        EvidenceStatus::Fail,
        false,
    ));
    let plan = scoring::plan(&b, &r);
    let item = plan.iter().find(|i| i.bp_id == "SEC08-BP02").unwrap();
    assert_eq!(item.kind, PlanKind::Contradiction);
    assert_eq!(
        scoring::score(&b, &r)
            .question("SEC08")
            .unwrap()
            .contradictions,
        1
    );
    assert_eq!(
        scoring::evidence_summary(&b, &r, "SEC08-BP02").status(),
        BpEvidence::Fail
    );
}

#[test]
fn plan_is_ordered_by_priority_and_unanswered_questions_are_left_out() {
    let (b, mut r) = (bank(), review());
    r.set_none_of_these(&b, "SEC09", true).unwrap();
    r.set_none_of_these(&b, "SEC04", true).unwrap();
    let plan = scoring::plan(&b, &r);
    assert!(
        plan.iter()
            .all(|i| i.question_id == "SEC09" || i.question_id == "SEC04")
    );
    assert_eq!(plan.len(), 3 + 4);
    assert!(plan.windows(2).all(|w| w[0].priority >= w[1].priority));
    assert_eq!(
        plan.iter().map(|i| i.rank).collect::<Vec<_>>(),
        (1..=7).collect::<Vec<_>>()
    );
}

#[test]
fn suggestions_need_every_check_to_pass() {
    let (b, mut r) = (bank(), review());
    let bp = b.bp("SEC02-BP06").unwrap().1; // one check: iam.users_no_direct_policies
    assert_eq!(bp.checks.len(), 1);
    r.evidence
        .push(evidence(&bp.checks[0], EvidenceStatus::Pass, false));
    assert!(
        wasec_core::evidence::suggestions(&b, &r)
            .in_place
            .contains(&"SEC02-BP06".to_string())
    );
    r.set_selected(&b, "SEC02-BP06", true).unwrap();
    assert!(
        !wasec_core::evidence::suggestions(&b, &r)
            .in_place
            .contains(&"SEC02-BP06".to_string())
    );
}

#[test]
fn demo_review_is_valid_and_tells_a_story() {
    let b = bank();
    let r = demo::review(&b).expect("demo parses and matches the bank");
    let card = scoring::score(&b, &r);
    assert!(
        card.declared.counts.high >= 3 && card.declared.counts.medium >= 2,
        "{:?}",
        card.declared.counts
    );
    assert_eq!(card.declared.counts.unanswered, 1);
    let plan = scoring::plan(&b, &r);
    assert_eq!(
        plan[0].priority,
        Level::Critical,
        "the open SSH port on a public SG leads the plan"
    );
    assert!(plan.iter().any(|i| i.kind == PlanKind::Contradiction));
}

#[test]
fn diff_reports_changed_answers() {
    let b = bank();
    let old = demo::review(&b).unwrap();
    let mut new = old.clone();
    new.set_selected(&b, "SEC10-BP02", true).unwrap();
    new.set_question_na(&b, "SEC11", Some(NaReason::OutOfScope))
        .unwrap();
    let d = scoring::diff(&b, &old, &new);
    assert_eq!(d.questions.len(), 2);
    assert_eq!(d.questions[0].selected, vec!["SEC10-BP02".to_string()]);
    assert_eq!(d.questions[1].risk_after, QuestionRisk::NotApplicable);
    assert!(d.score_after > d.score_before);
    assert!(scoring::diff(&b, &old, &old).is_empty());
}

#[test]
fn failing_evidence_under_a_selected_bp_counts_as_not_in_place_in_the_adjusted_view() {
    let (b, mut r) = (bank(), review());
    for (_, bp) in b.bps() {
        r.set_selected(&b, &bp.id, true).unwrap();
    }
    let check = b.bp("SEC05-BP02").unwrap().1.checks[0].clone();
    r.evidence
        .push(evidence(&check, EvidenceStatus::Fail, true));
    let card = scoring::score(&b, &r);
    // Declared: every box ticked, the WA Tool's rule says no risk.
    assert_eq!(card.declared.score, Some(100.0));
    assert_eq!(card.question("SEC05").unwrap().risk, QuestionRisk::None);
    // Evidence-adjusted: the failing BP is not in place.
    let q = card.question("SEC05").unwrap();
    assert_eq!(q.evidence_adjusted.risk, QuestionRisk::High);
    assert!(q.evidence_adjusted.score.unwrap() < 100.0);
    assert!(card.evidence_adjusted.score.unwrap() < 100.0);
    assert_eq!(card.evidence_adjusted.counts.high, 1);
    assert!(card.views_differ());
    // Every other BP informed by that check is contradicted too.
    let informed = b.bps_for_check(&check);
    assert_eq!(
        q.contradictions,
        informed.iter().filter(|bp| bp.starts_with("SEC05")).count()
    );
}

#[test]
fn without_evidence_both_views_agree() {
    let (b, mut r) = (bank(), review());
    r.set_selected(&b, "SEC04-BP01", true).unwrap();
    let card = scoring::score(&b, &r);
    assert_eq!(card.declared, card.evidence_adjusted);
    assert!(!card.views_differ());
}

#[test]
fn a_review_where_nothing_applies_has_no_score() {
    let (b, mut r) = (bank(), review());
    for q in b.questions() {
        r.set_question_na(&b, &q.id, Some(NaReason::Other)).unwrap();
    }
    let card = scoring::score(&b, &r);
    assert_eq!(
        card.declared.score, None,
        "nothing applies: no score, not 0.0"
    );
    assert_eq!(card.evidence_adjusted.score, None);
    assert_eq!(card.declared.counts.not_applicable, 11);
}

#[test]
fn an_unanswered_question_has_no_score() {
    let card = scoring::score(&bank(), &review());
    assert!(card.questions.iter().all(|q| q.score.is_none()));
    // The review as a whole still counts every BP as missing.
    assert_eq!(card.declared.score, Some(0.0));
}

#[test]
fn the_demo_shows_its_critical_contradiction_in_the_adjusted_view() {
    let b = bank();
    let r = demo::review(&b).unwrap();
    let card = scoring::score(&b, &r);
    let sec05 = card.question("SEC05").unwrap();
    assert_eq!(
        sec05.risk,
        QuestionRisk::Medium,
        "declared, as the WA Tool shows it"
    );
    assert_eq!(sec05.evidence_adjusted.risk, QuestionRisk::High);
    assert!(card.evidence_adjusted.score < card.declared.score);
}

#[test]
fn score_json_has_both_views_and_keeps_the_old_fields() {
    let b = bank();
    let r = demo::review(&b).unwrap();
    let json = serde_json::to_value(scoring::score(&b, &r)).unwrap();
    for key in [
        "score",
        "counts",
        "questions",
        "declared",
        "evidence_adjusted",
    ] {
        assert!(json.get(key).is_some(), "{key} missing: {json}");
    }
    assert_eq!(json["score"], json["declared"]["score"]);
    assert_eq!(json["counts"], json["declared"]["counts"]);
    let q5 = |view: &str| {
        json[view]["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == "SEC05")
            .unwrap()["risk"]
            .clone()
    };
    assert_eq!(q5("declared"), "medium");
    assert_eq!(q5("evidence_adjusted"), "high");
}

#[test]
fn diff_covers_notes_reasons_follow_ups_and_the_adjusted_view() {
    use wasec_core::review::FollowUp;
    let b = bank();
    let old = demo::review(&b).unwrap();
    let mut new = old.clone();
    new.set_notes(&b, "SEC01", "rewritten").unwrap();
    new.set_bp_notes(&b, "SEC02-BP01", "hardware keys for admins")
        .unwrap();
    new.set_bp_na(&b, "SEC03-BP09", Some(NaReason::BusinessPriorities))
        .unwrap();
    let (bp, i) = {
        let (bp, i, _) = new.follow_up(&old.follow_ups["SEC05-BP02"][0].id).unwrap();
        (bp.to_string(), i)
    };
    let mut f = new.follow_ups[&bp][i].clone();
    f.status = wasec_core::review::ActionStatus::Done;
    new.set_follow_up(&b, &bp, i, f).unwrap();
    new.add_follow_up(
        &b,
        "SEC11-BP01",
        FollowUp {
            text: "new".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let d = scoring::diff(&b, &old, &new);
    let q = |id: &str| d.questions.iter().find(|q| q.id == id).unwrap();
    assert_eq!(q("SEC01").notes.as_ref().unwrap().1, "rewritten");
    assert_eq!(
        q("SEC02").bp_notes["SEC02-BP01"],
        (None, Some("hardware keys for admins".to_string()))
    );
    assert_eq!(
        q("SEC03").not_applicable["SEC03-BP09"],
        (
            Some(NaReason::OutOfScope),
            Some(NaReason::BusinessPriorities)
        )
    );
    assert_eq!(d.follow_ups.len(), 2, "{:#?}", d.follow_ups);
    assert!(d.follow_ups[0].before.is_some() && d.follow_ups[0].after.is_some());
    assert!(d.follow_ups[1].before.is_none());
    assert!(!d.is_empty());
    // Evidence alone moves the adjusted view, and the diff shows it.
    let mut fixed = old.clone();
    for e in fixed.evidence.iter_mut() {
        e.status = EvidenceStatus::Pass;
    }
    let d = scoring::diff(&b, &old, &fixed);
    assert!(d.adjusted_score_after > d.adjusted_score_before, "{d:#?}");
    assert_eq!(d.score_after, d.score_before);
    assert!(!d.is_empty());
}
