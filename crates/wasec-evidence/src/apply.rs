//! A finished collection as a [`wasec_core::evidence::Run`]: the findings
//! stamped as review evidence (summary in both languages, the service),
//! and the scope the run covered. Merging, suggestions and contradictions
//! live in `wasec_core::evidence`, the one place every front end calls.

use crate::check::CheckId;
use crate::collect::Outcome;
use crate::hub_source::AccountControls;
use crate::multi::{AccountDone, AccountResult, Caller};
use crate::tr;
use std::collections::BTreeMap;
use wasec_core::Bank;
use wasec_core::catalog::{ACCOUNT_ACCESS, RETIRED, SECHUB_CONTROL};
use wasec_core::evidence::{ANY_REGION, GLOBAL, Run, RunScope};
use wasec_core::review::{
    EvidenceCounts, EvidenceItem, EvidenceRun, EvidenceSource, EvidenceStatus,
};

/// Check whose findings name a Security Hub control (first resource)
/// instead of informing fixed BPs.
const SECHUB_IMPORT: CheckId = CheckId::SechubFailedControlsImport;

/// BPs an item informs when they differ from its check's usual set: an
/// imported Security Hub control maps through the bank's control mappings.
fn item_bps(bank: &Bank, l: &crate::runner::Located) -> Vec<String> {
    if l.finding.check != SECHUB_IMPORT {
        return Vec::new();
    }
    l.finding
        .resources
        .first()
        .map(|control| {
            bank.bps_for_control(control)
                .into_iter()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The run's findings as evidence items.
pub fn items(bank: &Bank, outcome: &Outcome) -> Vec<EvidenceItem> {
    outcome
        .findings
        .iter()
        .map(|l| EvidenceItem {
            check: l.finding.check.to_string(),
            service: l.finding.check.service().id().to_string(),
            source: EvidenceSource::Scan,
            status: l.finding.status,
            summary: l.finding.summary.en.clone(),
            summary_ja: l.finding.summary.ja.clone(),
            resources: l.finding.resources.clone(),
            account: outcome.account.clone(),
            region: l.region.clone(),
            collected_at: outcome.finished_at,
            public: l.finding.public,
            bps: item_bps(bank, l),
        })
        .collect()
}

/// Every check id a run covers: the whole catalogue (the runner reports
/// each check of each module it ran, `unknown` when it could not look),
/// and the ids earlier versions emitted, so their stale items go too.
/// A scan that got in also clears the account's old "could not get in" item.
fn scope_checks() -> std::collections::BTreeSet<String> {
    CheckId::ALL
        .iter()
        .map(|c| c.to_string())
        .chain(RETIRED.iter().map(|(old, _)| (*old).to_string()))
        .chain([ACCOUNT_ACCESS.to_string()])
        .collect()
}

/// The run ready to merge: its items, the scope it covered (its account,
/// the regions it scanned, every check it ran) and its record.
pub fn run(bank: &Bank, outcome: &Outcome) -> Run {
    let items = items(bank, outcome);
    let mut counts = EvidenceCounts::default();
    for e in &items {
        counts.add(e.status);
    }
    Run {
        scopes: vec![RunScope {
            source: EvidenceSource::Scan,
            account: outcome.account.clone(),
            regions: outcome.regions.clone(),
            checks: scope_checks(),
        }],
        items,
        record: EvidenceRun {
            started_at: outcome.started_at,
            finished_at: outcome.finished_at,
            by: outcome.caller_arn.clone(),
            account: outcome.account.clone(),
            accounts: Vec::new(),
            regions: outcome.regions.clone(),
            source: EvidenceSource::Scan,
            counts,
        },
    }
}

/// Resources listed per Security Hub control item; the counts in the
/// summary stay exact.
const MAX_HUB_RESOURCES: usize = 100;

/// What one account of an organization run adds to the review, and the
/// Security Hub controls no BP maps (control id -> items not written).
pub fn account_run(
    bank: &Bank,
    caller: &Caller,
    done: &AccountDone,
) -> (Run, BTreeMap<String, usize>) {
    let mut unmapped = BTreeMap::new();
    let at = done.finished_at;
    let (scope, items) = match &done.result {
        AccountResult::Scanned(outcome) => {
            let run = run(bank, outcome);
            return (run, unmapped);
        }
        AccountResult::SecurityHub {
            controls,
            region,
            aggregated,
        } => {
            let items = hub_items(bank, &done.account, controls, at, &mut unmapped);
            let regions = if *aggregated {
                vec![ANY_REGION.to_string()]
            } else {
                vec![region.clone()]
            };
            (hub_scope(&done.account, regions), items)
        }
        AccountResult::NoHubData { region, why } => {
            let item = EvidenceItem {
                check: SECHUB_CONTROL.to_string(),
                service: "securityhub".to_string(),
                source: EvidenceSource::SecurityHub,
                status: EvidenceStatus::Unknown,
                summary: why.en.clone(),
                summary_ja: why.ja.clone(),
                account: done.account.clone(),
                region: region.clone(),
                collected_at: at,
                ..Default::default()
            };
            (hub_scope(&done.account, vec![region.clone()]), vec![item])
        }
        AccountResult::Unreachable(refusal) => {
            let item = EvidenceItem {
                check: ACCOUNT_ACCESS.to_string(),
                service: "sts".to_string(),
                source: EvidenceSource::Scan,
                status: EvidenceStatus::Unknown,
                summary: refusal.summary.en.clone(),
                summary_ja: refusal.summary.ja.clone(),
                resources: vec![refusal.role_arn.clone()],
                account: done.account.clone(),
                region: GLOBAL.to_string(),
                collected_at: at,
                ..Default::default()
            };
            // Only the access item is replaced: evidence collected before
            // the role broke stays, with its date.
            let scope = RunScope {
                source: EvidenceSource::Scan,
                account: done.account.clone(),
                regions: Vec::new(),
                checks: [ACCOUNT_ACCESS.to_string()].into(),
            };
            (scope, vec![item])
        }
    };
    let mut counts = EvidenceCounts::default();
    for e in &items {
        counts.add(e.status);
    }
    let record = EvidenceRun {
        started_at: at,
        finished_at: at,
        by: caller.arn.clone(),
        account: done.account.clone(),
        accounts: Vec::new(),
        regions: scope.regions.clone(),
        source: scope.source,
        counts,
    };
    let run = Run {
        scopes: vec![scope],
        items,
        record,
    };
    (run, unmapped)
}

fn hub_scope(account: &str, regions: Vec<String>) -> RunScope {
    RunScope {
        source: EvidenceSource::SecurityHub,
        account: account.to_string(),
        regions,
        checks: [SECHUB_CONTROL.to_string()].into(),
    }
}

/// One item per control and region, informing the BPs the bank maps the
/// control to; a control no BP maps is counted in `unmapped` instead.
pub fn hub_items(
    bank: &Bank,
    account: &str,
    controls: &AccountControls,
    at: time::OffsetDateTime,
    unmapped: &mut BTreeMap<String, usize>,
) -> Vec<EvidenceItem> {
    let mut out = Vec::new();
    for ((control, region), tally) in controls {
        let bps: Vec<String> = bank
            .bps_for_control(control)
            .into_iter()
            .map(str::to_string)
            .collect();
        if bps.is_empty() {
            *unmapped.entry(control.clone()).or_default() += 1;
            continue;
        }
        let (failed, passed) = (tally.failed.len(), tally.passed.len());
        let total = failed + passed;
        let title = &tally.title;
        let (status, summary, listed) = if failed > 0 {
            (
                EvidenceStatus::Fail,
                tr!(
                    "{control}: FAILED for {failed} of {total} resources: {title}",
                    "{control}: {total} 件中 {failed} 件のリソースで不合格: {title}"
                ),
                &tally.failed,
            )
        } else {
            (
                EvidenceStatus::Pass,
                tr!(
                    "{control}: PASSED for all {total} resources: {title}",
                    "{control}: {total} 件すべてのリソースで合格: {title}"
                ),
                &tally.passed,
            )
        };
        out.push(EvidenceItem {
            check: SECHUB_CONTROL.to_string(),
            service: "securityhub".to_string(),
            source: EvidenceSource::SecurityHub,
            status,
            summary: summary.en,
            summary_ja: summary.ja,
            resources: listed.iter().take(MAX_HUB_RESOURCES).cloned().collect(),
            account: account.to_string(),
            region: region.clone(),
            collected_at: at,
            public: false,
            bps,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Finding;
    use crate::runner::{GLOBAL, Located};
    use crate::tr;
    use time::macros::datetime;
    use wasec_core::Review;
    use wasec_core::evidence::{merge, suggestions};
    use wasec_core::review::EvidenceStatus;

    fn outcome(account: &str, regions: &[&str], findings: Vec<Located>) -> Outcome {
        Outcome {
            account: account.into(),
            caller_arn: "arn:aws:iam::111122223333:user/auditor".into(),
            regions: regions.iter().map(|r| r.to_string()).collect(),
            skipped: vec![],
            warnings: vec![],
            findings,
            requests: 3,
            started_at: datetime!(2026-11-23 09:00 UTC),
            finished_at: datetime!(2026-11-23 09:01 UTC),
            elapsed: std::time::Duration::from_secs(60),
        }
    }

    fn at(region: &str, f: Finding) -> Located {
        Located {
            region: region.into(),
            finding: f,
        }
    }

    #[test]
    fn a_run_covers_its_account_regions_and_every_catalogue_check() {
        let bank = Bank::embedded().unwrap();
        let r = run(
            &bank,
            &outcome(
                "111122223333",
                &["us-east-1"],
                vec![
                    at(
                        GLOBAL,
                        Finding::fail(CheckId::IamRootMfa, tr!("no MFA", "MFA なし")),
                    ),
                    at(
                        "us-east-1",
                        Finding::pass(CheckId::Ec2DefaultSgClosed, tr!("closed", "閉鎖")),
                    ),
                ],
            ),
        );
        assert_eq!(r.items.len(), 2);
        assert_eq!(r.items[0].account, "111122223333");
        assert_eq!(r.items[0].service, "iam");
        assert_eq!(r.items[0].summary, "no MFA");
        assert_eq!(r.items[0].summary_ja, "MFA なし");
        assert_eq!(r.items[1].service, "ec2");
        assert_eq!(r.record.counts.fail, 1);
        assert_eq!(r.record.counts.pass, 1);
        for c in CheckId::ALL {
            assert!(r.scopes[0].checks.contains(c.as_str()), "{c}");
        }
        assert_eq!(r.scopes[0].regions, vec!["us-east-1"]);
        assert!(r.items.iter().all(|i| r.covers(i)));
        assert_eq!(r.items[0].status, EvidenceStatus::Fail);
    }

    #[test]
    fn a_run_clears_items_of_retired_shared_ids() {
        let bank = Bank::embedded().unwrap();
        let mut review = Review::new("w", time::macros::date!(2026 - 11 - 23));
        // An item an older wasec wrote under a shared id.
        review.evidence.push(EvidenceItem {
            check: "resource_policies.not_public".into(),
            status: EvidenceStatus::Fail,
            summary: "KMS key policy public".into(),
            account: "111122223333".into(),
            region: "us-east-1".into(),
            collected_at: datetime!(2026-01-01 00:00 UTC),
            ..Default::default()
        });
        let r = run(
            &bank,
            &outcome(
                "111122223333",
                &["us-east-1"],
                vec![at(
                    "us-east-1",
                    Finding::pass(CheckId::KmsKeyPolicyNotPublic, tr!("ok", "問題なし")),
                )],
            ),
        );
        merge(&mut review, r);
        let checks: Vec<&str> = review.evidence.iter().map(|e| e.check.as_str()).collect();
        assert_eq!(checks, vec!["kms.key_policy_not_public"]);
    }

    #[test]
    fn imported_security_hub_controls_map_to_bps() {
        let bank = Bank::embedded().unwrap();
        let control = bank
            .bps()
            .find_map(|(_, b)| b.mappings.security_hub.first().cloned())
            .expect("the bank maps some Security Hub control");
        let mut f = Finding::fail(
            SECHUB_IMPORT,
            tr!("{control}: failing", "{control}: 不合格"),
        );
        f.resources = vec![control.clone(), "arn:x".to_string()];
        let items = items(
            &bank,
            &outcome("1", &["us-east-1"], vec![at("us-east-1", f)]),
        );
        assert!(!items[0].bps.is_empty());
        assert_eq!(items[0].service, "securityhub");
        for bp in &items[0].bps {
            let mapped = &bank.bp(bp).unwrap().1.mappings.security_hub;
            assert!(mapped.contains(&control));
        }
    }

    fn tally(failed: &[&str], passed: &[&str]) -> crate::hub_source::Tally {
        crate::hub_source::Tally {
            title: "a title".into(),
            failed: failed.iter().map(|s| s.to_string()).collect(),
            passed: passed.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn security_hub_controls_map_to_the_banks_bps_and_unmapped_ones_are_counted() {
        let bank = Bank::embedded().unwrap();
        let mut controls = AccountControls::new();
        let key = |c: &str| (c.to_string(), "eu-west-1".to_string());
        controls.insert(key("S3.8"), tally(&["arn:b", "arn:a"], &["arn:c"]));
        controls.insert(key("IAM.5"), tally(&[], &["arn:u"]));
        controls.insert(key("Nope.1"), tally(&["arn:x"], &[]));
        let mut unmapped = BTreeMap::new();
        let at = datetime!(2026-11-23 09:00 UTC);
        let items = hub_items(&bank, "111122223333", &controls, at, &mut unmapped);
        assert_eq!(unmapped, BTreeMap::from([("Nope.1".to_string(), 1)]));
        assert_eq!(items.len(), 2);
        let s3 = items
            .iter()
            .find(|e| e.summary.starts_with("S3.8:"))
            .unwrap();
        assert_eq!(s3.status, EvidenceStatus::Fail);
        assert_eq!(s3.resources, vec!["arn:a", "arn:b"]);
        assert!(s3.summary.contains("2 of 3"), "{}", s3.summary);
        assert!(s3.summary_ja.contains("3 件中 2 件"), "{}", s3.summary_ja);
        let want: Vec<&str> = bank.bps_for_control("S3.8");
        assert!(!want.is_empty());
        assert_eq!(s3.bps, want);
        assert_eq!(s3.source, EvidenceSource::SecurityHub);
        assert_eq!(
            (s3.account.as_str(), s3.region.as_str()),
            ("111122223333", "eu-west-1")
        );
        let iam = items
            .iter()
            .find(|e| e.summary.starts_with("IAM.5:"))
            .unwrap();
        assert_eq!(iam.status, EvidenceStatus::Pass);
        assert_eq!(iam.resources, vec!["arn:u"]);
    }

    #[test]
    fn an_unreachable_account_replaces_only_its_access_item() {
        let bank = Bank::embedded().unwrap();
        let caller = Caller {
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/a".into(),
        };
        let done = |result| AccountDone {
            account: "111122223333".into(),
            name: String::new(),
            result,
            requests: 0,
            elapsed: std::time::Duration::ZERO,
            finished_at: datetime!(2026-11-24 09:00 UTC),
        };
        let mut review = Review::new("w", time::macros::date!(2026 - 11 - 23));
        // Evidence from an earlier run that got in.
        merge(
            &mut review,
            run(
                &bank,
                &outcome(
                    "111122223333",
                    &["us-east-1"],
                    vec![at(
                        GLOBAL,
                        Finding::fail(CheckId::IamRootMfa, tr!("no MFA", "MFA なし")),
                    )],
                ),
            ),
        );
        let arn = "arn:aws:iam::111122223333:role/WasecReadOnly";
        let refusal = crate::org::Refusal::assume_failed(arn, "AccessDenied");
        let (r, _) = account_run(&bank, &caller, &done(AccountResult::Unreachable(refusal)));
        merge(&mut review, r);
        let checks: Vec<&str> = review.evidence.iter().map(|e| e.check.as_str()).collect();
        assert_eq!(checks, vec!["iam.root_mfa", ACCOUNT_ACCESS]);
        let access = &review.evidence[1];
        assert_eq!(access.status, EvidenceStatus::Unknown);
        assert_eq!(access.resources, vec![arn]);
        // Getting in again clears the access item.
        let back = outcome("111122223333", &["us-east-1"], vec![]);
        merge(&mut review, run(&bank, &back));
        assert!(review.evidence.iter().all(|e| e.check != ACCOUNT_ACCESS));
    }

    #[test]
    fn auto_answer_never_rests_on_one_thin_check() {
        let bank = Bank::embedded().unwrap();
        let mut review = Review::new("w", time::macros::date!(2026 - 11 - 23));
        // Pass every check of every BP, then see what would be selected.
        let all: Vec<Located> = CheckId::ALL
            .iter()
            .map(|c| at(GLOBAL, Finding::pass(*c, tr!("ok", "問題なし"))))
            .collect();
        merge(
            &mut review,
            run(&bank, &outcome("111122223333", &["us-east-1"], all)),
        );
        let s = suggestions(&bank, &review);
        assert!(!s.auto.is_empty());
        for bp in &s.auto {
            let b = bank.bp(bp).unwrap().1;
            assert_eq!(b.automation, wasec_core::bank::Automation::Automatable);
            assert!(b.checks.len() >= 2, "{bp} auto-selected on {:?}", b.checks);
        }
    }
}
