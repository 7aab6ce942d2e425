//! A realistic review built in code, for tests, snapshots and benches
//! (the embedded demo review may change; these numbers must not).

use time::macros::{date, datetime};
use wasec_core::review::{
    ActionStatus, EvidenceItem, EvidenceStatus, FollowUp, NaReason, ParkingItem,
};
use wasec_core::{Bank, Review};

/// A review with answers of every kind, notes in Japanese, follow-ups,
/// facilitation data and `evidence` generated evidence items spread over
/// the checks of the bank.
pub fn review(bank: &Bank, evidence: usize) -> Review {
    let mut r = Review::new("Online shop", date!(2026 - 11 - 01));
    r.framework_version = bank.lens().framework_version.clone();
    r.workload.accounts = vec!["111122223333".into()];
    r.workload.regions = vec!["ap-northeast-1".into()];
    let qs = bank.questions();
    let bp = |qi: usize, bi: usize| qs[qi].best_practices[bi].id.clone();
    let q = |qi: usize| qs[qi].id.clone();
    // SEC01: two in place (the first with failing evidence), one n/a.
    r.set_selected(bank, &bp(0, 0), true).unwrap();
    r.set_selected(bank, &bp(0, 1), true).unwrap();
    r.set_bp_na(bank, &bp(0, 2), Some(NaReason::OutOfScope))
        .unwrap();
    r.set_notes(
        bank,
        &q(0),
        "ルートユーザーの MFA は来月までに対応予定。\nOrganizations is in place.",
    )
    .unwrap();
    // SEC02: none of these. SEC03: question not applicable.
    r.set_none_of_these(bank, &q(1), true).unwrap();
    r.set_question_na(bank, &q(2), Some(NaReason::ArchitectureConstraints))
        .unwrap();
    // SEC04: everything in place.
    for b in &qs[3].best_practices {
        r.set_selected(bank, &b.id, true).unwrap();
    }
    r.add_follow_up(
        bank,
        &bp(0, 3),
        FollowUp {
            id: "5e1f".into(),
            text: "脅威インテリジェンスの購読を開始する".into(),
            owner: "sec-team".into(),
            due: Some(date!(2026 - 12 - 15)),
            status: ActionStatus::Open,
        },
    )
    .unwrap();
    let f = &mut r.facilitation;
    f.participants = vec![
        "Aiko (owner)".into(),
        "Ben (SRE)".into(),
        "佐藤 (セキュリティ)".into(),
    ];
    f.parking_lot = vec![
        ParkingItem {
            text: "Who owns the break-glass procedure?".into(),
            question: q(1),
            resolved: false,
        },
        ParkingItem {
            text: "ログ保管期間を法務に確認".into(),
            question: q(3),
            resolved: true,
        },
    ];
    f.time_spent.insert(q(0), 754);
    f.time_spent.insert(q(1), 320);
    f.meeting_seconds = 1074;

    // Evidence: the first BP's checks fail (a contradiction, public), the
    // rest cycle through pass / fail / unknown.
    let checks: Vec<&str> = bank
        .bps()
        .flat_map(|(_, b)| b.checks.iter().map(String::as_str))
        .collect();
    let first: Vec<&str> = qs[0].best_practices[0]
        .checks
        .iter()
        .map(String::as_str)
        .collect();
    let regions = ["ap-northeast-1", "us-east-1", "global"];
    for i in 0..evidence {
        let check = if i < first.len() {
            first[i]
        } else {
            checks[i % checks.len().max(1)]
        };
        let status = if i < first.len() {
            EvidenceStatus::Fail
        } else {
            [
                EvidenceStatus::Pass,
                EvidenceStatus::Fail,
                EvidenceStatus::Unknown,
            ][i % 3]
        };
        r.evidence.push(EvidenceItem {
            check: check.to_string(),
            status,
            summary: format!("{check}: finding {i}"),
            resources: vec![format!("arn:aws:iam::111122223333:resource/item-{i}")],
            account: "111122223333".into(),
            region: regions[i % 3].into(),
            collected_at: datetime!(2026-11-20 09:30:00 UTC),
            public: i == 0,
            ..Default::default()
        });
    }
    r
}
