//! Pull: the Tool's answers, lens version, risks and improvement items.

use crate::common::*;
use serde_json::json;
use wasec_core::review::{NaReason, QuestionRisk};
use wasec_testkit::LensSetup;

/// Why: a not-applicable question brought stale Tool selections into `selected`.
#[test]
fn pull_drops_stale_selections_of_a_not_applicable_question() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "stale shop");
    let c = choice(&bank, "SEC05-BP01");
    d.console_update_answer(
        &id,
        "network-protection",
        &json!({ "SelectedChoices": [c] }),
    )
    .unwrap();
    let na = json!({ "IsApplicable": false, "Reason": "OUT_OF_SCOPE" });
    d.console_update_answer(&id, "network-protection", &na)
        .unwrap();
    let (r, _, warnings) = run_pull(&bank, &d, &id, None);
    let a = r.unwrap().answer("SEC05").unwrap().clone();
    assert_eq!(a.question_not_applicable, Some(NaReason::OutOfScope));
    assert!(
        a.selected.is_empty() && a.not_applicable.is_empty(),
        "{a:?}"
    );
    assert!(
        warnings.contains("SEC05: the question does not apply in the WA Tool"),
        "{warnings}"
    );
}

/// Why: framework_version came from the bank, not the Tool.
#[test]
fn pull_records_the_tools_lens_version() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "version shop");
    d.set_lens(&id, &LensSetup::previous(&bank)).unwrap();
    let (r, out, _) = run_pull(&bank, &d, &id, None);
    let pulled = r.unwrap();
    assert_eq!(pulled.framework_version, "2023-10-03");
    let link = pulled.wa_tool.unwrap();
    assert_eq!(link.lens_version, "2023-10-03");
    assert_eq!(link.sync.unwrap().tool.unwrap().lens_status, "NOT_CURRENT");
    assert!(
        out.contains("lens version 2023-10-03 (NOT_CURRENT)"),
        "{out}"
    );
}

/// Why: the Tool's own risk and improvement items were not imported.
#[test]
fn pull_imports_the_tools_risks_and_improvements() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "import shop");
    d.force_risk("identities", "NONE");
    let (r, out, _) = run_pull(&bank, &d, &id, None);
    let pulled = r.unwrap();
    let view = pulled.wa_tool.unwrap().sync.unwrap().tool.unwrap();
    let c = view.risk_counts;
    assert_eq!(
        c.high + c.medium + c.none + c.unanswered + c.not_applicable,
        11
    );
    assert_eq!(view.risks["SEC02"], QuestionRisk::None);
    let at_risk = view
        .risks
        .values()
        .filter(|r| matches!(r, QuestionRisk::High | QuestionRisk::Medium))
        .count();
    assert_eq!(view.improvements.len(), at_risk);
    assert!(
        view.improvements
            .iter()
            .all(|i| i.url.starts_with("https://") && i.question.starts_with("SEC"))
    );
    assert!(out.contains("The WA Tool's own risks:"), "{out}");
    assert!(out.contains("SEC02: the Tool says No risk"), "{out}");
    // The view is stored in the review file beside wasec's own data.
    let text = wasec_core::review::render(&pulled_again(&bank, &d, &id));
    assert!(
        text.contains("risk_counts:") && text.contains("improvements:"),
        "{text}"
    );
}

fn pulled_again(
    bank: &wasec_core::Bank,
    d: &wasec_testkit::Double,
    id: &str,
) -> wasec_core::Review {
    run_pull(bank, d, id, None).0.unwrap()
}

#[test]
fn milestones_pull_by_name_or_number_without_a_base() {
    let (bank, d, mut review) = setup();
    let mut o = by_name("milestone pull shop");
    o.milestone = Some("baseline".into());
    let id = run_push(&bank, &d, &mut review, &o)
        .ok()
        .workload_id
        .unwrap();
    review.set_selected(&bank, "SEC04-BP03", true).unwrap();
    run_push(&bank, &d, &mut review, &by_id(&id)).ok();
    let (now, _, _) = run_pull(&bank, &d, &id, None);
    let (by_name_m, _, _) = run_pull(&bank, &d, &id, Some("baseline"));
    let (by_number, _, _) = run_pull(&bank, &d, &id, Some("1"));
    let (m1, m2, now) = (by_name_m.unwrap(), by_number.unwrap(), now.unwrap());
    assert_eq!(m1.answers, m2.answers);
    assert_ne!(
        m1.answers, now.answers,
        "the milestone keeps the older answers"
    );
    assert!(
        m1.wa_tool.unwrap().sync.unwrap().bases.is_empty(),
        "history is no base for the live workload"
    );
    assert_eq!(now.wa_tool.unwrap().sync.unwrap().bases.len(), 1);
}

/// Why: every 404 blamed the region.
#[test]
fn not_found_says_what_was_not_found() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "404 shop");
    let msg = run_pull(&bank, &d, &id, Some("7"))
        .0
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("milestone 7 not found") && !msg.contains("regional"),
        "{msg}"
    );
    let msg = run_pull(&bank, &d, &"f".repeat(32), None)
        .0
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains(&format!(
            "workload {} not found in {REGION}",
            "f".repeat(32)
        )) && msg.contains("regional"),
        "{msg}"
    );
    let msg = run_pull(&bank, &d, &id, Some("nope"))
        .0
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("no milestone \"nope\"") && msg.contains("none"),
        "{msg}"
    );
}

#[test]
fn unknown_tool_choices_are_named_and_kept() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "unknown choices shop");
    let mut lens = LensSetup::previous(&bank);
    lens.status = "CURRENT".into();
    d.set_lens(&id, &lens).unwrap();
    let body = json!({ "SelectedChoices": ["sec_incident_response_auto_contain"], "Notes": "from the console" });
    d.console_update_answer(&id, "incident-response", &body)
        .unwrap();
    let (r, _, warnings) = run_pull(&bank, &d, &id, None);
    let pulled = r.unwrap();
    assert!(
        warnings.contains("sec_incident_response_auto_contain"),
        "{warnings}"
    );
    let a = pulled.answer("SEC10").unwrap();
    assert!(
        a.notes.starts_with("from the console")
            && a.notes.contains("Automate containment capability")
    );
    let others = pulled
        .wa_tool
        .unwrap()
        .sync
        .unwrap()
        .tool
        .unwrap()
        .other_choices;
    assert_eq!(others.len(), 1);
    assert_eq!(
        (others[0].question.as_str(), others[0].status.as_str()),
        ("SEC10", "selected")
    );
}
