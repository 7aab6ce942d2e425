//! Everything is checked before the first write: milestone names, account
//! ids, regions, the owner of a workload found by name, duplicates.

use crate::common::*;
use serde_json::json;
use wasec_watool::block_on;

/// Why: the milestone name was checked only after the answers were written.
#[test]
fn milestone_name_clash_is_refused_before_any_write() {
    let (bank, d, mut review) = setup();
    let mut o = by_name("clash shop");
    o.milestone = Some("Q4 review".into());
    let id = run_push(&bank, &d, &mut review, &o)
        .ok()
        .workload_id
        .unwrap();
    review.set_selected(&bank, "SEC04-BP03", true).unwrap();
    let before = writes(&d);
    let p = run_push(&bank, &d, &mut review, &o);
    let msg = p.err_text();
    assert!(
        msg.contains("\"Q4 review\" is already used") && msg.contains("milestone 1"),
        "{msg}"
    );
    assert!(msg.contains("nothing was written"), "{msg}");
    assert!(!p.out.contains("created"), "{}", p.out);
    assert_eq!(writes(&d), before);
    assert_eq!(d.milestones(&id).len(), 1);
    // A dry run finds the clash too.
    o.dry_run = true;
    assert!(
        run_push(&bank, &d, &mut review, &o)
            .err_text()
            .contains("already used")
    );
}

/// Why: reusing a name returned the old milestone while wasec printed "created".
#[test]
fn a_reused_milestone_name_is_never_reported_as_created() {
    let (bank, d, mut review) = setup();
    let mut o = by_name("reuse shop");
    o.milestone = Some("baseline".into());
    let first = run_push(&bank, &d, &mut review, &o);
    assert!(
        first.out.contains("Milestone 1 \"baseline\" created."),
        "{}",
        first.out
    );
    let second = run_push(&bank, &d, &mut review, &o);
    assert!(second.err_text().contains("already used"));
    assert!(!second.out.contains("created"), "{}", second.out);
}

#[test]
fn a_full_milestone_list_is_refused_without_delete_advice() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "quota shop");
    block_on(async {
        let c = client(&d, REGION).await;
        for n in 0..100 {
            c.create_milestone(&id, &format!("m{n:03}"), &format!("t{n}"))
                .await
                .unwrap();
        }
    });
    let mut o = by_id(&id);
    o.milestone = Some("one more".into());
    let msg = run_push(&bank, &d, &mut review, &o).err_text();
    assert!(
        msg.contains("at most 100") && msg.contains("no API to delete"),
        "{msg}"
    );
    assert!(!msg.contains("delete old"), "{msg}");
}

/// Why: AccountIds and NonAwsRegions went out unvalidated.
#[test]
fn account_ids_and_regions_are_checked_before_create() {
    let (bank, d, mut review) = setup();
    review.workload.accounts = vec!["12345".into(), "111122223333".into()];
    review.workload.regions = vec![
        "ap-northeast-1".into(),
        "DC".into(),
        "A data centre with a long name".into(),
    ];
    let msg = run_push(&bank, &d, &mut review, &by_name("bad input shop")).err_text();
    assert!(msg.contains("\"12345\" is not a 12-digit"), "{msg}");
    assert!(
        msg.contains("\"DC\"") && msg.contains("\"A data centre with a long name\""),
        "{msg}"
    );
    assert!(msg.contains("3 problem(s)"), "{msg}");
    assert_eq!(d.calls("CreateWorkload"), 0);
    // Six non-AWS locations: refused, not cut to five.
    review.workload.accounts.clear();
    review.workload.regions = (1..=6).map(|n| format!("Site {n}")).collect();
    let msg = run_push(&bank, &d, &mut review, &by_name("bad input shop")).err_text();
    assert!(
        msg.contains("6 given, the WA Tool accepts at most 5"),
        "{msg}"
    );
    assert_eq!(d.calls("CreateWorkload"), 0);
}

/// Why: lookup by name took the first match and ignored the owner.
#[test]
fn name_lookup_skips_workloads_owned_by_other_accounts() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "shared shop");
    d.set_owner(&id, "999999999999").unwrap();
    review.wa_tool = None;
    review.set_selected(&bank, "SEC04-BP03", true).unwrap();
    let before = writes(&d);
    let mut o = by_name("Shared Shop");
    o.create = false;
    let msg = run_push(&bank, &d, &mut review, &o).err_text();
    assert!(
        msg.contains("999999999999") && msg.contains(&d.account()),
        "{msg}"
    );
    assert_eq!(writes(&d), before);
    // --create makes this account's own workload instead.
    let p = run_push(&bank, &d, &mut review, &by_name("Shared Shop"));
    assert!(p.err.contains("shared by other accounts"), "{}", p.err);
    let own = p.ok();
    assert!(own.created && own.workload_id.as_deref() != Some(id.as_str()));
}

/// Why: `--workload-name X --create` in the wrong region silently made a duplicate.
#[test]
fn create_that_would_duplicate_the_linked_workload_is_refused() {
    let (bank, d, mut review) = setup();
    let name = review.workload.name.clone();
    first_push(&bank, &d, &mut review, &name);
    let msg = run_push_in(&bank, &d, "eu-west-1", &mut review, &by_name(&name)).err_text();
    assert!(
        msg.contains("second copy")
            && msg.contains("--region ap-northeast-1")
            && msg.contains("--relink"),
        "{msg}"
    );
    assert_eq!(d.calls("CreateWorkload"), 1);
    // Another name in the same region is a second workload for the review.
    let msg = run_push(&bank, &d, &mut review, &by_name("another name")).err_text();
    assert!(msg.contains("second workload"), "{msg}");
    // On purpose.
    let mut o = by_name(&name);
    o.relink = true;
    let p = run_push_in(&bank, &d, "eu-west-1", &mut review, &o).ok();
    assert!(p.created);
    assert_eq!(review.wa_tool.as_ref().unwrap().region, "eu-west-1");
    let regions: Vec<String> = d.workloads().into_iter().map(|w| w.2).collect();
    assert_eq!(
        regions,
        vec!["ap-northeast-1".to_string(), "eu-west-1".into()]
    );
}

/// Why: an unlinked review pushed with --create in the wrong Region made a duplicate.
#[test]
fn create_refuses_a_name_that_exists_in_another_region_of_the_review() {
    let (bank, d, mut review) = setup();
    review.workload.regions = vec!["eu-west-1".into(), REGION.into()];
    let name = review.workload.name.clone();
    let mut first = review.clone();
    run_push_in(&bank, &d, "eu-west-1", &mut first, &by_name(&name)).ok();
    let msg = run_push(&bank, &d, &mut review, &by_name(&name)).err_text();
    assert!(
        msg.contains("already exists in eu-west-1") && msg.contains("--region eu-west-1"),
        "{msg}"
    );
    assert_eq!(d.calls("CreateWorkload"), 1);
    let mut o = by_name(&name);
    o.relink = true;
    assert!(run_push(&bank, &d, &mut review, &o).ok().created);
}

#[test]
fn profile_and_review_template_apply_on_create() {
    let (bank, d, mut review) = setup();
    let profile = "arn:aws:wellarchitected:ap-northeast-1:123456789012:profile/p1";
    let template = format!(
        "arn:aws:wellarchitected:ap-northeast-1:123456789012:review-template/{}",
        "ab".repeat(16)
    );
    d.register_profile(profile);
    // A BP the review leaves open in a question it answers.
    let (q, b) = bank
        .questions()
        .iter()
        .filter_map(|q| {
            review
                .answer(&q.id)
                .filter(|a| a.question_not_applicable.is_none() && !a.none_of_these)
                .map(|a| (q, a))
        })
        .find_map(|(q, a)| {
            q.best_practices
                .iter()
                .find(|b| !a.is_selected(&b.id) && !a.is_bp_na(&b.id))
                .map(|b| (q, b))
        })
        .unwrap();
    let from_template = b.wa_choice_id.clone();
    let answers = json!({ q.wa_question_id.clone(): { "SelectedChoices": [from_template] } });
    d.register_template(&template, &answers).unwrap();
    let mut o = by_name("template shop");
    o.profile_arns = vec![profile.into()];
    o.review_template_arns = vec![template.clone()];
    let id = run_push(&bank, &d, &mut review, &o)
        .ok()
        .workload_id
        .unwrap();
    assert_eq!(d.workload(&id)["Profiles"][0]["ProfileArn"], profile);
    assert!(
        selected(&d, &id, &q.wa_question_id).contains(&from_template),
        "the template's answer stays"
    );
    // Bad ARNs and ARNs without --create are refused before any write.
    let before = writes(&d);
    let mut o = by_id(&id);
    o.profile_arns = vec!["arn:aws:iam::123456789012:role/x".into()];
    let msg = run_push(&bank, &d, &mut review, &o).err_text();
    assert!(
        msg.contains("only when --create") && msg.contains("not a Well-Architected ARN"),
        "{msg}"
    );
    assert_eq!(writes(&d), before);
}

#[test]
fn unknown_workload_id_points_at_the_region() {
    let (bank, d, mut review) = setup();
    let msg = run_push(&bank, &d, &mut review, &by_id(&"0".repeat(32))).err_text();
    assert!(msg.contains("regional") && msg.contains(REGION), "{msg}");
    // No owner: refused before CreateWorkload.
    review.workload.owner.clear();
    let msg = run_push(&bank, &d, &mut review, &by_name("ownerless")).err_text();
    assert!(msg.contains("owner"), "{msg}");
    assert_eq!(d.calls("CreateWorkload"), 0);
}
