//! A realistic review built in code, for tests, benchmarks and layout
//! checks: every question answered differently (in place, gaps, not
//! applicable, "none of these", one question left open), follow-up actions,
//! notes in both languages and `evidence` generated evidence items spread
//! over the bank's checks, with failures, public failures and one
//! contradiction (a BP marked in place whose evidence fails).

use time::macros::{date, datetime};
use wasec_core::Bank;
use wasec_core::review::{ActionStatus, EvidenceItem, EvidenceStatus, FollowUp, NaReason, Review};

pub fn review(bank: &Bank, evidence: usize) -> Review {
    let mut r = Review::new("Payments API", date!(2026 - 11 - 01));
    r.framework_version = bank.lens().framework_version.clone();
    let w = &mut r.workload;
    w.description =
        "Card payment API on ECS Fargate behind CloudFront, Aurora PostgreSQL, SQS".into();
    w.owner = "Aiko Tanaka".into();
    w.reviewers = vec!["Aiko Tanaka".into(), "Ben Carter".into(), "佐藤 健".into()];
    w.accounts = vec!["123456789012".into(), "210987654321".into()];
    w.regions = vec!["ap-northeast-1".into(), "us-east-1".into()];
    w.review_date = Some(date!(2026 - 11 - 20));

    let questions: Vec<_> = bank.questions().to_vec();
    for (i, q) in questions.iter().enumerate() {
        let bps: Vec<&str> = q.best_practices.iter().map(|b| b.id.as_str()).collect();
        match i % 11 {
            // The last question is left unanswered.
            10 => continue,
            // One question that does not apply at all.
            9 => {
                r.set_question_na(bank, &q.id, Some(NaReason::OutOfScope))
                    .unwrap();
                continue;
            }
            // "None of these".
            7 => {
                r.set_none_of_these(bank, &q.id, true).unwrap();
            }
            _ => {
                // Select a varying share of the BPs, mark one not applicable.
                for (j, bp) in bps.iter().enumerate() {
                    if (j + i) % 3 != 0 {
                        r.set_selected(bank, bp, true).unwrap();
                    }
                }
                if i % 4 == 1 && bps.len() > 3 {
                    r.set_bp_na(
                        bank,
                        bps[bps.len() - 1],
                        Some(NaReason::ArchitectureConstraints),
                    )
                    .unwrap();
                }
            }
        }
        let notes = if i % 2 == 0 {
            "Discussed with the platform team; IAM Identity Center is the only human entry point. Break-glass users are reviewed monthly."
        } else {
            "本番アカウントでは、ルートユーザーのMFAを有効化済み。「最小権限」の見直しは四半期ごとに実施している。"
        };
        r.set_notes(bank, &q.id, notes).unwrap();
    }

    // Follow-up actions on the first gaps.
    let owners = ["Aiko Tanaka", "Ben Carter", "佐藤 健"];
    let mut n = 0;
    for q in &questions {
        for b in &q.best_practices {
            let a = r.answer(&q.id).cloned().unwrap_or_default();
            if a.question_not_applicable.is_some() || a.is_selected(&b.id) || n >= 14 {
                continue;
            }
            let status = [
                ActionStatus::Open,
                ActionStatus::InProgress,
                ActionStatus::Done,
            ][n % 3];
            r.add_follow_up(
                bank,
                &b.id,
                FollowUp {
                    text: format!(
                        "Implement {}: agree design, roll out, verify with evidence",
                        b.id
                    ),
                    owner: owners[n % 3].into(),
                    due: date!(2026 - 12 - 15).checked_add(time::Duration::days(7 * n as i64)),
                    status,
                    ..Default::default()
                },
            )
            .unwrap();
            n += 1;
        }
    }

    // Evidence: cycle over the bank's checks.
    let checks = bank.check_ids();
    for k in 0..evidence {
        let check = checks[k % checks.len()].to_string();
        let status = match k % 7 {
            0 | 3 => EvidenceStatus::Fail,
            5 => EvidenceStatus::Unknown,
            6 if k % 2 == 0 => EvidenceStatus::NotApplicable,
            _ => EvidenceStatus::Pass,
        };
        let region = ["ap-northeast-1", "us-east-1", "global"][k % 3].to_string();
        let resources = (0..(1 + k % 4))
            .map(|j| format!("arn:aws:s3:::payments-{k}-bucket-{j}"))
            .collect();
        r.evidence.push(EvidenceItem {
            summary: match status {
                EvidenceStatus::Fail => {
                    format!("{check} found a resource that does not meet the control (item {k})")
                }
                EvidenceStatus::Pass => format!("{check} passes for every resource in scope"),
                EvidenceStatus::Unknown => {
                    "AccessDenied: the collector role cannot read this".into()
                }
                EvidenceStatus::NotApplicable => "No resources of this type".into(),
            },
            check,
            status,
            resources,
            account: "123456789012".into(),
            region,
            collected_at: datetime!(2026-11-20 09:00 UTC),
            public: k % 21 == 0,
            bps: Vec::new(),
            ..Default::default()
        });
    }
    r
}
