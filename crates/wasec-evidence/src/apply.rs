//! Turning a run into review evidence, and what the new evidence implies
//! for the answers. Nothing here changes an answer unless asked to.

use crate::collect::Outcome;
use crate::registry;
use crate::runner::GLOBAL;
use std::collections::{BTreeMap, BTreeSet};
use wasec_core::bank::Automation;
use wasec_core::review::{EvidenceCounts, EvidenceItem, EvidenceRun, EvidenceStatus};
use wasec_core::scoring::{self, PlanKind};
use wasec_core::{Bank, Review};

/// How many runs the review keeps.
pub const KEEP_RUNS: usize = 20;

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
            status: l.finding.status,
            summary: l.finding.summary.clone(),
            resources: l.finding.resources.clone(),
            account: outcome.account.clone(),
            region: l.region.clone(),
            collected_at: outcome.finished_at,
            public: l.finding.public,
            bps: item_bps(bank, l),
        })
        .collect()
}

/// Replace the evidence of the scope the run covered (same account, its
/// regions and `global`; only checks wasec knows, so evidence from other
/// sources survives), then record the run.
pub fn apply(bank: &Bank, review: &mut Review, outcome: &Outcome) -> Vec<EvidenceItem> {
    let new = items(bank, outcome);
    let covered = |e: &EvidenceItem| {
        e.account == outcome.account
            && (e.region == GLOBAL || outcome.regions.contains(&e.region))
            && registry::check(&e.check).is_some()
    };
    review.evidence.retain(|e| !covered(e));
    review.evidence.extend(new.iter().cloned());
    let mut counts = EvidenceCounts::default();
    for e in &new {
        counts.add(e.status);
    }
    review.evidence_runs.push(EvidenceRun {
        started_at: outcome.started_at,
        finished_at: outcome.finished_at,
        by: outcome.caller_arn.clone(),
        account: outcome.account.clone(),
        regions: outcome.regions.clone(),
        counts,
    });
    let extra = review.evidence_runs.len().saturating_sub(KEEP_RUNS);
    review.evidence_runs.drain(..extra);
    new
}

/// BPs the evidence says are in place but the answers do not select, and
/// which of them `--auto-answer` may select (automatable ones only).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Suggestions {
    pub in_place: Vec<String>,
    pub auto: Vec<String>,
}

pub fn suggestions(bank: &Bank, review: &Review) -> Suggestions {
    let in_place = scoring::suggested_in_place(bank, review);
    let auto = in_place
        .iter()
        .filter(|bp| {
            bank.bp(bp)
                .is_some_and(|(_, b)| b.automation == Automation::Automatable)
        })
        .cloned()
        .collect();
    Suggestions { in_place, auto }
}

/// Select the given BPs; returns those actually changed.
pub fn auto_answer(bank: &Bank, review: &mut Review, bps: &[String]) -> Vec<String> {
    bps.iter()
        .filter(|bp| review.set_selected(bank, bp, true).is_ok())
        .cloned()
        .collect()
}

/// Selected BPs whose evidence fails.
pub fn contradictions(bank: &Bank, review: &Review) -> Vec<String> {
    scoring::plan(bank, review)
        .into_iter()
        .filter(|p| p.kind == PlanKind::Contradiction)
        .map(|p| p.bp_id)
        .collect()
}

/// Pass/fail/unknown/n.a. per question over the given items (an item that
/// informs several BPs of a question counts once for that question).
pub fn per_question(bank: &Bank, items: &[EvidenceItem]) -> BTreeMap<String, EvidenceCounts> {
    let mut out: BTreeMap<String, EvidenceCounts> = BTreeMap::new();
    for e in items {
        let questions: BTreeSet<&str> = bps_of(bank, e)
            .iter()
            .filter_map(|bp| bank.bp(bp).map(|(q, _)| q.id.as_str()))
            .collect();
        for q in questions {
            out.entry(q.to_string()).or_default().add(e.status);
        }
    }
    out
}

fn bps_of<'a>(bank: &'a Bank, e: &'a EvidenceItem) -> &'a [String] {
    if e.bps.is_empty() {
        bank.bps_for_check(&e.check)
    } else {
        &e.bps
    }
}

/// Distinct BPs the items inform.
pub fn bps_covered(bank: &Bank, items: &[EvidenceItem]) -> BTreeSet<String> {
    items
        .iter()
        .filter(|e| e.status != EvidenceStatus::NotApplicable)
        .flat_map(|e| bps_of(bank, e).to_vec())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Finding;
    use crate::runner::Located;
    use time::macros::datetime;

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
    fn a_run_replaces_only_its_scope_and_keeps_twenty_runs() {
        let bank = Bank::embedded().unwrap();
        let mut review = Review::new("w", time::macros::date!(2026 - 11 - 23));
        let first = outcome(
            "111122223333",
            &["us-east-1", "eu-west-1"],
            vec![
                at(GLOBAL, Finding::fail("iam.root_mfa", "no MFA")),
                at("us-east-1", Finding::fail("ec2.default_sg_closed", "open")),
                at("eu-west-1", Finding::fail("ec2.default_sg_closed", "open")),
            ],
        );
        apply(&bank, &mut review, &first);
        // Evidence from elsewhere survives: another account, an unknown check.
        let mut foreign = review.evidence[0].clone();
        foreign.account = "444455556666".into();
        review.evidence.push(foreign);
        let mut manual = review.evidence[0].clone();
        manual.check = "manual.note".into();
        review.evidence.push(manual);
        let second = outcome(
            "111122223333",
            &["us-east-1"],
            vec![
                at(GLOBAL, Finding::pass("iam.root_mfa", "MFA on")),
                at(
                    "us-east-1",
                    Finding::pass("ec2.default_sg_closed", "closed"),
                ),
            ],
        );
        for _ in 0..25 {
            apply(&bank, &mut review, &second);
        }
        let mine: Vec<_> = review
            .evidence
            .iter()
            .filter(|e| e.account == "111122223333" && e.check != "manual.note")
            .map(|e| (e.check.as_str(), e.region.as_str(), e.status))
            .collect();
        assert_eq!(mine.len(), 3, "{mine:?}");
        assert!(mine.contains(&("iam.root_mfa", GLOBAL, EvidenceStatus::Pass)));
        assert!(mine.contains(&("ec2.default_sg_closed", "us-east-1", EvidenceStatus::Pass)));
        // eu-west-1 was not covered by the second run: its item stays.
        assert!(mine.contains(&("ec2.default_sg_closed", "eu-west-1", EvidenceStatus::Fail)));
        assert!(review.evidence.iter().any(|e| e.account == "444455556666"));
        assert!(review.evidence.iter().any(|e| e.check == "manual.note"));
        assert_eq!(review.evidence_runs.len(), KEEP_RUNS);
        assert_eq!(review.evidence_runs.last().unwrap().counts.pass, 2);
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

    #[test]
    fn suggestions_only_auto_apply_automatable_bps_and_contradictions_show() {
        let bank = Bank::embedded().unwrap();
        let mut review = Review::new("w", time::macros::date!(2026 - 11 - 23));
        // Pass every check of every BP, then see what is suggested.
        let all: Vec<Located> = bank
            .check_ids()
            .into_iter()
            .filter_map(registry::check)
            .map(|c| at(GLOBAL, Finding::pass(c.id, "ok")))
            .collect();
        apply(
            &bank,
            &mut review,
            &outcome("111122223333", &["us-east-1"], all),
        );
        let s = suggestions(&bank, &review);
        for bp in &s.auto {
            assert!(s.in_place.contains(bp));
            assert_eq!(bank.bp(bp).unwrap().1.automation, Automation::Automatable);
        }
        let changed = auto_answer(&bank, &mut review, &s.auto);
        assert_eq!(changed, s.auto);
        for bp in &s.auto {
            let (q, _) = bank.bp(bp).unwrap();
            assert!(review.answer(&q.id).unwrap().is_selected(bp));
        }
        // A selected BP whose evidence then fails is a contradiction.
        if let Some(bp) = s.auto.first() {
            let check = bank.bp(bp).unwrap().1.checks[0].clone();
            for e in review.evidence.iter_mut().filter(|e| e.check == check) {
                e.status = EvidenceStatus::Fail;
            }
            assert!(contradictions(&bank, &review).contains(bp));
        }
    }
}
