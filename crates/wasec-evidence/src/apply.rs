//! A finished collection as a [`wasec_core::evidence::Run`]: the findings
//! stamped as review evidence (summary in both languages, the service),
//! and the scope the run covered. Merging, suggestions and contradictions
//! live in `wasec_core::evidence`, the one place every front end calls.

use crate::check::CheckId;
use crate::collect::Outcome;
use wasec_core::Bank;
use wasec_core::catalog::RETIRED;
use wasec_core::evidence::{Run, RunScope};
use wasec_core::review::{EvidenceCounts, EvidenceItem, EvidenceRun, EvidenceSource};

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
fn scope_checks() -> std::collections::BTreeSet<String> {
    CheckId::ALL
        .iter()
        .map(|c| c.to_string())
        .chain(RETIRED.iter().map(|(old, _)| (*old).to_string()))
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
