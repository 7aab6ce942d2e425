//! A finished collection as a [`wasec_core::evidence::Run`]: the findings
//! stamped as review evidence, and the scope the run covered. Merging,
//! suggestions and contradictions live in `wasec_core::evidence`, the one
//! place every front end calls.

use crate::collect::Outcome;
use crate::registry;
use wasec_core::Bank;
use wasec_core::evidence::{Run, RunScope};
use wasec_core::review::{EvidenceCounts, EvidenceItem, EvidenceRun, EvidenceSource};

/// Check whose findings name a Security Hub control (first resource)
/// instead of informing fixed BPs.
const SECHUB_IMPORT: &str = "sechub.failed_controls_import";

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
            service: registry::check(l.finding.check)
                .map(|c| c.service.to_string())
                .unwrap_or_default(),
            status: l.finding.status,
            summary: l.finding.summary.clone(),
            resources: l.finding.resources.clone(),
            account: outcome.account.clone(),
            region: l.region.clone(),
            collected_at: outcome.finished_at,
            public: l.finding.public,
            bps: item_bps(bank, l),
            ..Default::default()
        })
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
            checks: registry::checks().map(|c| c.id.to_string()).collect(),
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
    use time::macros::datetime;
    use wasec_core::review::EvidenceStatus;

    fn outcome(account: &str, regions: &[&str], findings: Vec<Located>) -> Outcome {
        Outcome {
            account: account.into(),
            caller_arn: "arn:aws:iam::111122223333:user/auditor".into(),
            regions: regions.iter().map(|r| r.to_string()).collect(),
            skipped: vec![],
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
    fn a_run_covers_its_account_regions_and_every_registered_check() {
        let bank = Bank::embedded().unwrap();
        let r = run(
            &bank,
            &outcome(
                "111122223333",
                &["us-east-1"],
                vec![
                    at(GLOBAL, Finding::fail("iam.root_mfa", "no MFA")),
                    at(
                        "us-east-1",
                        Finding::pass("ec2.default_sg_closed", "closed"),
                    ),
                ],
            ),
        );
        assert_eq!(r.items.len(), 2);
        assert_eq!(r.items[0].account, "111122223333");
        assert_eq!(r.items[0].service, "iam");
        assert_eq!(r.record.counts.fail, 1);
        assert_eq!(r.record.counts.pass, 1);
        assert!(
            r.scopes[0]
                .checks
                .contains("s3.account_public_access_block")
        );
        assert_eq!(r.scopes[0].regions, vec!["us-east-1"]);
        assert!(r.items.iter().all(|i| r.covers(i)));
        assert_eq!(r.items[0].status, EvidenceStatus::Fail);
    }

    #[test]
    fn imported_security_hub_controls_map_to_bps() {
        let bank = Bank::embedded().unwrap();
        let control = bank
            .bps()
            .find_map(|(_, b)| b.mappings.security_hub.first().cloned())
            .expect("the bank maps some Security Hub control");
        let f = Finding::fail(SECHUB_IMPORT, format!("{control}: failing"))
            .with_resources([control.clone(), "arn:x".to_string()]);
        let items = items(
            &bank,
            &outcome("1", &["us-east-1"], vec![at("us-east-1", f)]),
        );
        assert!(!items[0].bps.is_empty());
        for bp in &items[0].bps {
            let mapped = &bank.bp(bp).unwrap().1.mappings.security_hub;
            assert!(mapped.contains(&control));
        }
    }
}
