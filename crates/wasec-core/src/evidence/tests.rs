use super::*;
use crate::review::{EvidenceCounts, Review};
use time::macros::{date, datetime};

const A: &str = "111122223333";
const B: &str = "444455556666";

fn item(account: &str, region: &str, check: &str, status: EvidenceStatus) -> EvidenceItem {
    EvidenceItem {
        check: check.into(),
        status,
        summary: format!("{check} {status:?}"),
        account: account.into(),
        region: region.into(),
        collected_at: datetime!(2026-11-23 09:00 UTC),
        ..Default::default()
    }
}

fn run(account: &str, regions: &[&str], checks: &[&str], items: Vec<EvidenceItem>) -> Run {
    Run {
        scopes: vec![RunScope {
            source: EvidenceSource::Scan,
            account: account.into(),
            regions: regions.iter().map(|r| r.to_string()).collect(),
            checks: checks.iter().map(|c| c.to_string()).collect(),
        }],
        items,
        record: EvidenceRun {
            started_at: datetime!(2026-11-23 09:00 UTC),
            finished_at: datetime!(2026-11-23 09:01 UTC),
            by: String::new(),
            account: account.into(),
            accounts: Vec::new(),
            regions: regions.iter().map(|r| r.to_string()).collect(),
            source: EvidenceSource::Scan,
            counts: EvidenceCounts::default(),
        },
    }
}

const CHECKS: &[&str] = &["iam.root_mfa", "ec2.default_sg_closed"];

#[test]
fn a_second_account_keeps_the_first_accounts_evidence() {
    let mut review = Review::new("w", date!(2026 - 11 - 23));
    merge(
        &mut review,
        run(
            A,
            &["us-east-1"],
            CHECKS,
            vec![
                item(A, GLOBAL, "iam.root_mfa", EvidenceStatus::Fail),
                item(
                    A,
                    "us-east-1",
                    "ec2.default_sg_closed",
                    EvidenceStatus::Fail,
                ),
            ],
        ),
    );
    merge(
        &mut review,
        run(
            B,
            &["us-east-1"],
            CHECKS,
            vec![item(B, GLOBAL, "iam.root_mfa", EvidenceStatus::Pass)],
        ),
    );
    let of = |acc: &str| review.evidence.iter().filter(|e| e.account == acc).count();
    assert_eq!(of(A), 2, "{:#?}", review.evidence);
    assert_eq!(of(B), 1);
    assert_eq!(review.workload.accounts, vec![A.to_string(), B.to_string()]);
}

#[test]
fn a_run_replaces_exactly_its_scope() {
    let mut review = Review::new("w", date!(2026 - 11 - 23));
    let mut imported = item(
        A,
        "us-east-1",
        "ec2.default_sg_closed",
        EvidenceStatus::Fail,
    );
    imported.source = EvidenceSource::SecurityHub;
    review.evidence = vec![
        item(A, GLOBAL, "iam.root_mfa", EvidenceStatus::Fail),
        item(
            A,
            "us-east-1",
            "ec2.default_sg_closed",
            EvidenceStatus::Fail,
        ),
        item(
            A,
            "eu-west-1",
            "ec2.default_sg_closed",
            EvidenceStatus::Fail,
        ),
        item(A, "us-east-1", "manual.note", EvidenceStatus::Pass),
        imported,
    ];
    // The check now finds nothing in us-east-1: its old item still goes.
    let m = merge(
        &mut review,
        run(
            A,
            &["us-east-1"],
            CHECKS,
            vec![item(A, GLOBAL, "iam.root_mfa", EvidenceStatus::Pass)],
        ),
    );
    assert_eq!(
        m,
        Merged {
            removed: 2,
            added: 1
        }
    );
    let left: Vec<_> = review
        .evidence
        .iter()
        .map(|e| (e.region.as_str(), e.check.as_str(), e.source, e.status))
        .collect();
    assert!(left.contains(&(
        GLOBAL,
        "iam.root_mfa",
        EvidenceSource::Scan,
        EvidenceStatus::Pass
    )));
    assert!(left.contains(&(
        "eu-west-1",
        "ec2.default_sg_closed",
        EvidenceSource::Scan,
        EvidenceStatus::Fail
    )));
    assert!(left.contains(&(
        "us-east-1",
        "manual.note",
        EvidenceSource::Scan,
        EvidenceStatus::Pass
    )));
    assert!(left.contains(&(
        "us-east-1",
        "ec2.default_sg_closed",
        EvidenceSource::SecurityHub,
        EvidenceStatus::Fail
    )));
    assert_eq!(left.len(), 4);
}

#[test]
fn run_history_is_bounded_and_order_is_stable() {
    let mut review = Review::new("w", date!(2026 - 11 - 23));
    let mut items = vec![
        item(
            A,
            "us-east-1",
            "ec2.default_sg_closed",
            EvidenceStatus::Fail,
        ),
        item(A, GLOBAL, "iam.root_mfa", EvidenceStatus::Fail),
    ];
    items[0].resources = vec!["sg-b".into(), "sg-a".into(), "sg-b".into()];
    for _ in 0..25 {
        merge(&mut review, run(A, &["us-east-1"], CHECKS, items.clone()));
        items.reverse();
    }
    assert_eq!(review.evidence_runs.len(), KEEP_RUNS);
    let first = review.clone();
    merge(&mut review, run(A, &["us-east-1"], CHECKS, items.clone()));
    assert_eq!(review.evidence, first.evidence, "same findings, same file");
    assert_eq!(review.evidence[0].region, GLOBAL);
    assert_eq!(review.evidence[1].resources, vec!["sg-a", "sg-b"]);
}

#[test]
fn suggestions_need_every_check_passing_and_auto_only_takes_automatable() {
    let bank = Bank::embedded().unwrap();
    let mut review = Review::new("w", date!(2026 - 11 - 23));
    review.evidence = bank
        .check_ids()
        .into_iter()
        .map(|c| item(A, GLOBAL, c, EvidenceStatus::Pass))
        .collect();
    let s = suggestions(&bank, &review);
    assert!(!s.in_place.is_empty());
    for bp in &s.auto {
        assert!(s.in_place.contains(bp));
        assert_eq!(bank.bp(bp).unwrap().1.automation, Automation::Automatable);
    }
    let changed = auto_answer(&bank, &mut review, &s.auto);
    assert_eq!(changed, s.auto);
    assert!(auto_answer(&bank, &mut review, &s.auto).is_empty());
    // One failing item of one check takes its BPs out of the suggestions
    // and makes the selected ones contradictions.
    let bp = s.auto.first().expect("some BP is automatable").clone();
    let check = bank.bp(&bp).unwrap().1.checks[0].clone();
    review
        .evidence
        .push(item(B, GLOBAL, &check, EvidenceStatus::Fail));
    assert!(!suggestions(&bank, &review).in_place.contains(&bp));
    assert!(contradictions(&bank, &review).contains(&bp));
}

#[test]
fn shards_are_disjoint_stable_and_cover_every_account() {
    let accounts: Vec<String> = (0..10).map(|i| format!("{:012}", 900 - i)).collect();
    let mut seen = Vec::new();
    for i in 1..=3 {
        let s = shard(&accounts, i, 3);
        assert_eq!(s, shard(&accounts, i, 3));
        seen.extend(s);
    }
    seen.sort();
    let mut all = accounts.clone();
    all.sort();
    assert_eq!(seen, all);
    assert!(shard(&accounts, 0, 3).is_empty() && shard(&accounts, 1, 0).is_empty());
}

#[test]
fn merging_shard_files_takes_the_newer_collection_per_account() {
    let mut target = Review::new("w", date!(2026 - 11 - 23));
    merge(
        &mut target,
        run(
            A,
            &["us-east-1"],
            CHECKS,
            vec![item(A, GLOBAL, "iam.root_mfa", EvidenceStatus::Fail)],
        ),
    );
    let mut shard_file = Review::new("w", date!(2026 - 11 - 23));
    let mut newer_a = item(A, GLOBAL, "iam.root_mfa", EvidenceStatus::Pass);
    newer_a.collected_at = datetime!(2026-11-24 09:00 UTC);
    let mut run_a = run(A, &["us-east-1"], CHECKS, vec![newer_a]);
    run_a.record.finished_at = datetime!(2026-11-24 09:01 UTC);
    merge(&mut shard_file, run_a);
    merge(
        &mut shard_file,
        run(
            B,
            &["us-east-1"],
            CHECKS,
            vec![item(B, GLOBAL, "iam.root_mfa", EvidenceStatus::Fail)],
        ),
    );
    target
        .set_notes(&Bank::embedded().unwrap(), "SEC01", "kept")
        .unwrap();
    let taken = merge_from(&mut target, &shard_file);
    assert_eq!(taken.len(), 2);
    assert!(taken.iter().all(|t| t.taken));
    assert_eq!(accounts(&target), vec![A.to_string(), B.to_string()]);
    let a_items: Vec<_> = target.evidence.iter().filter(|e| e.account == A).collect();
    assert_eq!(a_items.len(), 1);
    assert_eq!(
        a_items[0].status,
        EvidenceStatus::Pass,
        "the newer run wins"
    );
    assert_eq!(target.answer("SEC01").unwrap().notes, "kept");
    assert_eq!(target.evidence_runs.len(), 3);
    // Merging an older file back changes nothing.
    let before = target.clone();
    let mut old = Review::new("w", date!(2026 - 11 - 23));
    merge(
        &mut old,
        run(
            A,
            &["us-east-1"],
            CHECKS,
            vec![item(A, GLOBAL, "iam.root_mfa", EvidenceStatus::Fail)],
        ),
    );
    old.evidence_runs.clear();
    let taken = merge_from(&mut target, &old);
    assert!(!taken[0].taken);
    assert_eq!(target.evidence, before.evidence);
    // One account's view keeps the answers and only its evidence.
    let b_view = for_account(&target, B);
    assert!(b_view.evidence.iter().all(|e| e.account == B));
    assert_eq!(b_view.answers, target.answers);
}

#[test]
fn account_ids_are_twelve_digits() {
    assert!(valid_account_id("111122223333"));
    for bad in [
        "11112222333",
        "1111222233334",
        "11112222333a",
        "",
        "１１１１２２２２３３３３",
    ] {
        assert!(!valid_account_id(bad), "{bad}");
    }
    assert_eq!(
        parse_accounts(" 111122223333,444455556666,111122223333, ").unwrap(),
        vec![A.to_string(), B.to_string()]
    );
    let err = parse_accounts("111122223333,12345").unwrap_err();
    assert!(
        err.contains("\"12345\"") && err.contains("12 digits"),
        "{err}"
    );
    assert!(parse_accounts(" , ").is_err());
}

#[test]
fn shard_specs_parse_and_bad_ones_are_named() {
    assert_eq!(parse_shard("2/4"), Ok((2, 4)));
    assert_eq!(parse_shard("1/1"), Ok((1, 1)));
    for bad in ["0/3", "4/3", "2", "a/b", "1/0", "/"] {
        let err = parse_shard(bad).unwrap_err();
        assert!(err.contains(bad), "{err}");
    }
}

#[test]
fn shard_selection_does_not_depend_on_listing_order() {
    let accounts: Vec<String> = (0..7).map(|i| format!("{:012}", 100 + i)).collect();
    let mut reversed = accounts.clone();
    reversed.reverse();
    for i in 1..=3 {
        assert_eq!(shard(&accounts, i, 3), shard(&reversed, i, 3));
    }
    // Sorted, then every third: 100, 103, 106 go to shard 1.
    assert_eq!(
        shard(&accounts, 1, 3),
        vec!["000000000100", "000000000103", "000000000106"]
    );
}

#[test]
fn an_any_region_scope_covers_every_region_of_its_account_and_check() {
    let scope = RunScope {
        source: EvidenceSource::SecurityHub,
        account: A.into(),
        regions: vec![ANY_REGION.into()],
        checks: [crate::catalog::SECHUB_CONTROL.to_string()].into(),
    };
    let mut e = item(
        A,
        "eu-west-3",
        crate::catalog::SECHUB_CONTROL,
        EvidenceStatus::Fail,
    );
    e.source = EvidenceSource::SecurityHub;
    assert!(scope.covers(&e));
    e.account = B.into();
    assert!(!scope.covers(&e));
    e.account = A.into();
    e.source = EvidenceSource::Scan;
    assert!(!scope.covers(&e));
}

#[test]
fn parts_of_one_run_leave_one_growing_record() {
    let mut review = Review::new("w", date!(2026 - 11 - 23));
    let mut part_a = run(
        A,
        &["us-east-1"],
        CHECKS,
        vec![item(A, GLOBAL, "iam.root_mfa", EvidenceStatus::Fail)],
    );
    part_a.record.accounts = vec![A.into()];
    merge_part(&mut review, part_a.clone());
    let mut part_b = run(
        B,
        &["us-east-1"],
        CHECKS,
        vec![item(B, GLOBAL, "iam.root_mfa", EvidenceStatus::Pass)],
    );
    part_b.record.accounts = vec![A.into(), B.into()];
    merge_part(&mut review, part_b);
    assert_eq!(review.evidence_runs.len(), 1);
    assert_eq!(review.evidence_runs[0].accounts, vec![A, B]);
    assert_eq!(accounts(&review), vec![A.to_string(), B.to_string()]);
    // A later run is a new record.
    let mut later = part_a;
    later.record.started_at = datetime!(2026-11-24 09:00 UTC);
    merge_part(&mut review, later);
    assert_eq!(review.evidence_runs.len(), 2);
}
