//! Scores, question risks and the improvement plan. Pure functions: the
//! same review and bank always give the same numbers, so every front end
//! (CLI, TUI, reports, WA Tool sync) shows the same result.

mod diff;
mod matrix;
mod plan;

pub use diff::{QuestionDiff, ReviewDiff, diff};
pub use matrix::{Level, Likelihood, Priority, Severity, priority};
pub use plan::{PlanItem, PlanKind, plan};

use crate::bank::{Bank, Question, Risk};
use crate::review::{
    Answer, EvidenceCounts, EvidenceStatus, Milestone, QuestionRisk, Review, RiskCounts,
};
use serde::Serialize;
use time::OffsetDateTime;

/// The scores of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionScore {
    pub id: String,
    pub risk: QuestionRisk,
    /// 0-100 over the question's applicable BPs; `None` when nothing applies.
    pub score: Option<f64>,
    pub selected: usize,
    pub applicable: usize,
    pub total: usize,
    /// Selected BPs whose evidence fails.
    pub contradictions: usize,
}

/// The scores of a whole review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    pub score: f64,
    pub counts: RiskCounts,
    pub questions: Vec<QuestionScore>,
}

impl Scorecard {
    pub fn question(&self, id: &str) -> Option<&QuestionScore> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// How a BP stands on evidence, all its items taken together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BpEvidence {
    /// At least one item fails.
    Fail,
    /// Some item is unknown (and none fails).
    Unknown,
    /// Every item passes (not-applicable items aside).
    Pass,
    /// No evidence.
    None,
}

/// Evidence counts for one BP plus whether a failing resource is public.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EvidenceSummary {
    pub counts: EvidenceCounts,
    pub public_failure: bool,
}

impl EvidenceSummary {
    pub fn status(&self) -> BpEvidence {
        let c = &self.counts;
        if c.fail > 0 {
            BpEvidence::Fail
        } else if c.unknown > 0 {
            BpEvidence::Unknown
        } else if c.pass > 0 {
            BpEvidence::Pass
        } else {
            BpEvidence::None
        }
    }

    /// Likelihood from evidence: public failure Critical, failure High,
    /// passing Low, otherwise (none or unknown) Medium.
    pub fn likelihood(&self) -> Likelihood {
        match self.status() {
            BpEvidence::Fail if self.public_failure => Level::Critical,
            BpEvidence::Fail => Level::High,
            BpEvidence::Pass => Level::Low,
            BpEvidence::Unknown | BpEvidence::None => Level::Medium,
        }
    }
}

pub fn evidence_summary(bank: &Bank, review: &Review, bp: &str) -> EvidenceSummary {
    let mut s = EvidenceSummary::default();
    for e in review.evidence_for(bank, bp) {
        s.counts.add(e.status);
        if e.status == EvidenceStatus::Fail && e.public {
            s.public_failure = true;
        }
    }
    s
}

/// Severity follows the BP's risk level.
pub fn severity(risk: Risk) -> Severity {
    match risk {
        Risk::High => Level::High,
        Risk::Medium => Level::Medium,
        Risk::Low => Level::Low,
    }
}

/// The risk of one question under the WA Tool's rule: high if any
/// applicable, unselected BP is High; else medium if any is Medium; else none.
pub fn question_risk(question: &Question, answer: Option<&Answer>) -> QuestionRisk {
    let Some(a) = answer else {
        return QuestionRisk::Unanswered;
    };
    if a.question_not_applicable.is_some() {
        return QuestionRisk::NotApplicable;
    }
    if !a.is_answered(question.best_practices.len()) {
        return QuestionRisk::Unanswered;
    }
    let missing = question
        .best_practices
        .iter()
        .filter(|b| !a.is_bp_na(&b.id) && !a.is_selected(&b.id))
        .map(|b| b.risk)
        .max();
    match missing {
        Some(Risk::High) => QuestionRisk::High,
        Some(Risk::Medium) => QuestionRisk::Medium,
        Some(Risk::Low) | None => QuestionRisk::None,
    }
}

/// Score one question; also returns its (possible, achieved) weights so
/// the overall score is the same sum over every question.
fn question_score(bank: &Bank, review: &Review, q: &Question) -> (QuestionScore, u32, u32) {
    let risk = question_risk(q, review.answer(&q.id));
    // An unanswered question's leftovers (notes, partial marks) do not count.
    let answer = review
        .answer(&q.id)
        .filter(|_| !matches!(risk, QuestionRisk::Unanswered | QuestionRisk::NotApplicable));
    let (mut weight, mut got, mut selected, mut applicable, mut contradictions) = (0, 0, 0, 0, 0);
    if risk != QuestionRisk::NotApplicable {
        for b in &q.best_practices {
            if answer.is_some_and(|a| a.is_bp_na(&b.id)) {
                continue;
            }
            applicable += 1;
            weight += b.risk.weight();
            if answer.is_some_and(|a| a.is_selected(&b.id)) {
                selected += 1;
                got += b.risk.weight();
                if evidence_summary(bank, review, &b.id).status() == BpEvidence::Fail {
                    contradictions += 1;
                }
            }
        }
    }
    let qs = QuestionScore {
        id: q.id.clone(),
        risk,
        score: (weight > 0).then(|| percent(got, weight)),
        selected,
        applicable,
        total: q.best_practices.len(),
        contradictions,
    };
    (qs, weight, got)
}

fn percent(got: u32, weight: u32) -> f64 {
    (f64::from(got) * 1000.0 / f64::from(weight)).round() / 10.0
}

/// Score every question and the review. The overall score weighs every
/// applicable BP (High 3, Medium 2, Low 1); unanswered questions count
/// with nothing selected, because nothing about them is shown yet.
pub fn score(bank: &Bank, review: &Review) -> Scorecard {
    let mut counts = RiskCounts::default();
    let mut questions = Vec::with_capacity(bank.questions().len());
    let (mut weight, mut got) = (0u32, 0u32);
    for q in bank.questions() {
        let (qs, w, g) = question_score(bank, review, q);
        counts.add(qs.risk);
        weight += w;
        got += g;
        questions.push(qs);
    }
    Scorecard {
        score: if weight == 0 {
            0.0
        } else {
            percent(got, weight)
        },
        counts,
        questions,
    }
}

/// A BP the evidence suggests is in place: applicable, not selected, in a
/// question that applies, and every one of its checks has evidence that passes.
pub fn suggested_in_place(bank: &Bank, review: &Review) -> Vec<String> {
    bank.bps()
        .filter(|(q, b)| {
            let a = review.answer(&q.id);
            !b.checks.is_empty()
                && a.is_none_or(|a| {
                    a.question_not_applicable.is_none()
                        && !a.is_selected(&b.id)
                        && !a.is_bp_na(&b.id)
                })
                && b.checks.iter().all(|c| {
                    let mut items = review
                        .evidence
                        .iter()
                        .filter(|e| &e.check == c && e.bps.is_empty());
                    let mut any = false;
                    let all_pass = items.all(|e| {
                        any = true;
                        matches!(
                            e.status,
                            EvidenceStatus::Pass | EvidenceStatus::NotApplicable
                        )
                    });
                    any && all_pass
                })
                && evidence_summary(bank, review, &b.id).status() == BpEvidence::Pass
        })
        .map(|(_, b)| b.id.clone())
        .collect()
}

/// A snapshot of the review's answers and scores under `name`.
pub fn milestone(bank: &Bank, review: &Review, name: &str, now: OffsetDateTime) -> Milestone {
    let card = score(bank, review);
    Milestone {
        name: name.to_string(),
        created_at: now,
        score: card.score,
        counts: card.counts,
        risks: card
            .questions
            .iter()
            .map(|q| (q.id.clone(), q.risk))
            .collect(),
        answers: review.answers.clone(),
    }
}
