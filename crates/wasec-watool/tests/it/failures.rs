//! Retries, partial failures that resume, paging.

use crate::common::*;
use wasec_watool::{ApiFailure, Error};

#[test]
fn throttling_5xx_and_conflicts_are_retried() {
    let (bank, d, mut review) = setup();
    review.workload.regions = vec![REGION.into()];
    d.throttle("ListWorkloads", 2);
    d.throttle("UpdateAnswer", 3);
    d.fault("GetAnswer", 500, 0, 2);
    d.fault("GetLensReview", 503, 0, 1);
    d.fault("UpdateAnswer", 409, 0, 2);
    let p = run_push(&bank, &d, &mut review, &by_name("busy shop"));
    let err = p.err.clone();
    let o = p.ok();
    // Two throttled attempts, then the first-word search and the full listing.
    assert_eq!(d.calls("ListWorkloads"), 4, "{err}");
    assert_eq!(d.calls("UpdateAnswer"), o.written + 5);
}

/// Why: the first error aborted with no "k of n written" and no link saved.
#[test]
fn a_failure_mid_push_reports_k_of_n_and_a_rerun_resumes() {
    let (bank, d, mut review) = setup();
    d.fault("UpdateAnswer", 500, 3, usize::MAX);
    let p = run_push(&bank, &d, &mut review, &by_name("partial shop"));
    let msg = p.err_text();
    let Err(Error::Partial {
        written,
        planned,
        source,
    }) = p.result
    else {
        unreachable!()
    };
    assert_eq!(written, 3);
    assert!(planned > 3);
    assert_eq!(source.kind(), Some(&ApiFailure::Server));
    assert!(
        msg.starts_with(&format!("3 of {planned} questions written"))
            && msg.contains("run the same push again"),
        "{msg}"
    );
    let link = review
        .wa_tool
        .clone()
        .expect("the link is saved even though the push failed");
    let base = link.sync.unwrap().bases.remove(0);
    assert_eq!(base.workload_id, link.workload_id);
    // The re-run writes only what is left, to the same workload.
    d.clear_faults();
    let rerun = run_push(&bank, &d, &mut review, &by_name("partial shop")).ok();
    assert!(!rerun.created);
    assert_eq!((rerun.planned, rerun.written), (planned - 3, planned - 3));
    assert_eq!(d.calls("CreateWorkload"), 1);
    assert_eq!(
        run_push(&bank, &d, &mut review, &by_name("partial shop"))
            .ok()
            .planned,
        0
    );
}

#[test]
fn lists_are_paged_with_a_small_page_size() {
    let (bank, d, mut review) = setup();
    d.set_page_size(4);
    let mut o = by_name("paged shop");
    o.milestone = Some("ms-1".into());
    let id = run_push(&bank, &d, &mut review, &o)
        .ok()
        .workload_id
        .unwrap();
    // One read after the create: 11 questions at 4 a page.
    assert_eq!(d.calls("ListAnswers"), 3);
    let before = d.calls("ListAnswers");
    let (pulled, _, _) = run_pull(&bank, &d, &id, None);
    assert_eq!(d.calls("ListAnswers") - before, 3);
    assert_eq!(pulled.unwrap().answers.len(), review.answers.len());
    // Milestones and workloads page too.
    for n in 2..=6 {
        let mut o = by_id(&id);
        o.milestone = Some(format!("ms-{n}"));
        run_push(&bank, &d, &mut review, &o).ok();
    }
    let before = d.calls("ListMilestones");
    let (m6, _, _) = run_pull(&bank, &d, &id, Some("ms-6"));
    m6.unwrap();
    assert_eq!(
        d.calls("ListMilestones") - before,
        2,
        "6 milestones at 4 a page"
    );
    for n in 0..5 {
        let mut r = review.clone();
        r.wa_tool = None;
        run_push(&bank, &d, &mut r, &by_name(&format!("paged shop {n}"))).ok();
    }
    let before = d.calls("ListWorkloads");
    let mut o = by_name("paged shop 4");
    o.create = false;
    let mut r = review.clone();
    r.wa_tool = None;
    run_push(&bank, &d, &mut r, &o).ok();
    assert_eq!(
        d.calls("ListWorkloads") - before,
        2,
        "6 workloads named \"paged ...\" at 4 a page"
    );
}

#[test]
fn access_denied_names_the_action() {
    let (bank, d, mut review) = setup();
    d.deny("UpdateAnswer");
    let msg = run_push(&bank, &d, &mut review, &by_name("denied shop")).err_text();
    assert!(
        msg.contains("0 of ") && msg.contains("wellarchitected:UpdateAnswer"),
        "{msg}"
    );
}

/// A push that finds nothing to write makes only reads, and few.
#[test]
fn a_push_without_changes_reads_little_and_writes_nothing() {
    let (bank, d, mut review) = setup();
    let id = first_push(&bank, &d, &mut review, "quiet shop");
    let before = d.all_calls();
    let o = run_push(&bank, &d, &mut review, &by_id(&id)).ok();
    assert_eq!(o.planned, 0);
    let mut delta: Vec<(String, usize)> = d
        .all_calls()
        .into_iter()
        .map(|(op, n)| {
            let b = before.get(&op).copied().unwrap_or(0);
            (op, n - b)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    delta.sort();
    let expect = [
        ("GetAnswer", 11),
        ("GetLensReview", 1),
        ("GetWorkload", 1),
        ("ListAnswers", 1),
        ("ListLensReviewImprovements", 1),
    ];
    let expect: Vec<(String, usize)> = expect.iter().map(|(o, n)| (o.to_string(), *n)).collect();
    assert_eq!(delta, expect);
}
