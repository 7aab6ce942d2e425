//! The improvement plan: what to fix, in which order.
//!
//! One item per applicable, unselected BP of an answered question (a gap)
//! and per selected BP whose evidence fails (a contradiction: the team says
//! it is in place, the account says otherwise). Priority comes from the
//! likelihood x severity matrix: severity is the BP's risk level, likelihood
//! comes from its evidence (see [`EvidenceSummary::likelihood`]).

use super::{
    EvidenceSummary, Level, QuestionRisk, evidence_summary, priority, question_risk, severity,
};
use crate::bank::{Bank, Risk};
use crate::review::{ActionStatus, FollowUp, Review};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// The BP is not in place.
    Gap,
    /// The BP is marked in place but its evidence fails.
    Contradiction,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    /// 1 is the most urgent.
    pub rank: usize,
    pub priority: Level,
    pub likelihood: Level,
    pub severity: Level,
    pub kind: PlanKind,
    pub question_id: String,
    pub bp_id: String,
    pub risk: Risk,
    pub evidence: EvidenceSummary,
    /// Follow-up actions agreed for the BP.
    pub actions: Vec<FollowUp>,
}

impl PlanItem {
    /// The action that drives the item: the first one not finished, else the last.
    pub fn current_action(&self) -> Option<&FollowUp> {
        self.actions
            .iter()
            .find(|a| matches!(a.status, ActionStatus::Open | ActionStatus::InProgress))
            .or(self.actions.last())
    }
}

pub fn plan(bank: &Bank, review: &Review) -> Vec<PlanItem> {
    let mut items = Vec::new();
    for (order, (q, b)) in bank.bps().enumerate() {
        let answer = review.answer(&q.id);
        let risk = question_risk(q, answer);
        if matches!(risk, QuestionRisk::Unanswered | QuestionRisk::NotApplicable) {
            continue;
        }
        let Some(a) = answer else { continue };
        if a.is_bp_na(&b.id) {
            continue;
        }
        let evidence: EvidenceSummary = evidence_summary(bank, review, &b.id);
        let kind = if !a.is_selected(&b.id) {
            PlanKind::Gap
        } else if evidence.counts.fail > 0 {
            PlanKind::Contradiction
        } else {
            continue;
        };
        let likelihood = evidence.likelihood();
        let severity = severity(b.risk);
        items.push((
            order,
            PlanItem {
                rank: 0,
                priority: priority(likelihood, severity),
                likelihood,
                severity,
                kind,
                question_id: q.id.clone(),
                bp_id: b.id.clone(),
                risk: b.risk,
                evidence,
                actions: review.follow_ups.get(&b.id).cloned().unwrap_or_default(),
            },
        ));
    }
    items.sort_by(|(oa, a), (ob, b)| {
        b.priority
            .cmp(&a.priority)
            .then((b.kind == PlanKind::Contradiction).cmp(&(a.kind == PlanKind::Contradiction)))
            .then(b.severity.cmp(&a.severity))
            .then(b.likelihood.cmp(&a.likelihood))
            .then(oa.cmp(ob))
    });
    items
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut item))| {
            item.rank = i + 1;
            item
        })
        .collect()
}
