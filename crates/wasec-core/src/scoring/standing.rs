//! Where a review stands, in one line: the evidence-adjusted score, risk
//! counts and per-question risk, failing evidence and the first action.
//! The TUI's accounts view, the report's accounts section and the
//! consolidated report of many workloads all read it from here, so an
//! account or a workload is judged the same way everywhere.

use super::{Level, plan, score};
use crate::bank::Bank;
use crate::evidence;
use crate::review::{EvidenceStatus, QuestionRisk, Review, RiskCounts};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    /// Evidence-adjusted score; `None` when no BP applies (unanswered
    /// questions count with nothing in place).
    pub score: Option<f64>,
    /// The declared score, for "declared vs with evidence" columns.
    pub declared_score: Option<f64>,
    /// Evidence-adjusted risk counts.
    pub counts: RiskCounts,
    /// Evidence-adjusted risk per question, in bank order.
    pub risks: Vec<QuestionRisk>,
    /// Failing evidence items.
    pub failing: usize,
    /// The plan's first item: BP id and priority.
    pub top: Option<TopItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopItem {
    pub bp: String,
    pub priority: Level,
}

/// One review's standing.
pub fn standing(bank: &Bank, review: &Review) -> Standing {
    let card = score(bank, review);
    let top = plan(bank, review).into_iter().next().map(|p| TopItem {
        bp: p.bp_id,
        priority: p.priority,
    });
    Standing {
        score: card.evidence_adjusted.score,
        declared_score: card.declared.score,
        counts: card.evidence_adjusted.counts,
        risks: card
            .questions
            .iter()
            .map(|q| q.evidence_adjusted.risk)
            .collect(),
        failing: review
            .evidence
            .iter()
            .filter(|e| e.status == EvidenceStatus::Fail)
            .count(),
        top,
    }
}

/// Every account with evidence, each judged on its own evidence (the
/// answers are shared), sorted by account id.
pub fn by_account(bank: &Bank, review: &Review) -> Vec<(String, Standing)> {
    evidence::accounts(review)
        .into_iter()
        .map(|account| {
            let r = evidence::for_account(review, &account);
            (account, standing(bank, &r))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{EvidenceItem, Review};

    fn item(account: &str, check: &str, status: EvidenceStatus) -> EvidenceItem {
        EvidenceItem {
            check: check.into(),
            account: account.into(),
            region: "eu-west-1".into(),
            status,
            ..EvidenceItem::default()
        }
    }

    /// A review with every BP of SEC05 selected; account B's evidence
    /// contradicts one of them, account A's supports it.
    fn two_accounts(bank: &Bank) -> Review {
        let mut r = Review::new("w", time::macros::date!(2026 - 12 - 01));
        for b in &bank.questions()[4].best_practices {
            r.set_selected(bank, &b.id, true).unwrap();
        }
        let check = bank
            .bps()
            .find(|(_, b)| b.id.starts_with("SEC05") && !b.checks.is_empty())
            .map(|(_, b)| b.checks[0].clone())
            .expect("a SEC05 BP with a check");
        r.evidence
            .push(item("111111111111", &check, EvidenceStatus::Pass));
        r.evidence
            .push(item("222222222222", &check, EvidenceStatus::Fail));
        r
    }

    #[test]
    fn each_account_is_judged_on_its_own_evidence() {
        let bank = Bank::embedded().unwrap();
        let r = two_accounts(&bank);
        let rows = by_account(&bank, &r);
        let ids: Vec<&str> = rows.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(ids, ["111111111111", "222222222222"]);
        let (a, b) = (&rows[0].1, &rows[1].1);
        assert_eq!((a.failing, b.failing), (0, 1));
        assert_eq!(a.risks[4], QuestionRisk::None);
        assert_ne!(
            b.risks[4],
            QuestionRisk::None,
            "B's failing evidence raises SEC05"
        );
        assert!(b.score < a.score, "{:?} vs {:?}", b.score, a.score);
        assert_eq!(
            a.declared_score, b.declared_score,
            "declared ignores evidence"
        );
        assert!(b.top.as_ref().is_some_and(|t| t.bp.starts_with("SEC05")));
    }

    #[test]
    fn a_review_without_answers_scores_zero_and_has_no_accounts() {
        let bank = Bank::embedded().unwrap();
        let r = Review::new("w", time::macros::date!(2026 - 12 - 01));
        let s = standing(&bank, &r);
        assert_eq!(s.score, Some(0.0));
        assert_eq!(s.counts.unanswered as usize, bank.questions().len());
        assert!(s.risks.iter().all(|r| *r == QuestionRisk::Unanswered));
        assert_eq!(s.failing, 0);
        assert!(by_account(&bank, &r).is_empty());
    }
}
