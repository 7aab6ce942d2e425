//! What changed between two versions of a review: answers, notes, reasons,
//! follow-ups, and the risk and score in both views.

use super::{QuestionRisk, score};
use crate::bank::Bank;
use crate::review::{Answer, FollowUp, NaReason, Review};
use serde::Serialize;
use std::collections::BTreeMap;

/// A value before and after (`None` on one side: absent there).
pub type Change<T> = (Option<T>, Option<T>);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionDiff {
    pub id: String,
    pub risk_before: QuestionRisk,
    pub risk_after: QuestionRisk,
    pub adjusted_risk_before: QuestionRisk,
    pub adjusted_risk_after: QuestionRisk,
    pub score_before: Option<f64>,
    pub score_after: Option<f64>,
    pub selected: Vec<String>,
    pub unselected: Vec<String>,
    /// BP id -> (before, after) not-applicable reason.
    pub not_applicable: BTreeMap<String, Change<NaReason>>,
    pub none_of_these: Option<(bool, bool)>,
    pub question_not_applicable: Option<Change<NaReason>>,
    /// The question's notes, before and after, when they changed.
    pub notes: Option<(String, String)>,
    /// BP id -> (before, after) notes on that BP.
    pub bp_notes: BTreeMap<String, Change<String>>,
}

impl QuestionDiff {
    fn is_empty(&self) -> bool {
        self.risk_before == self.risk_after
            && self.adjusted_risk_before == self.adjusted_risk_after
            && self.score_before == self.score_after
            && self.selected.is_empty()
            && self.unselected.is_empty()
            && self.not_applicable.is_empty()
            && self.none_of_these.is_none()
            && self.question_not_applicable.is_none()
            && self.notes.is_none()
            && self.bp_notes.is_empty()
    }
}

/// One follow-up action added, removed or changed (matched by id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUpDiff {
    pub bp: String,
    pub id: String,
    pub before: Option<FollowUp>,
    pub after: Option<FollowUp>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewDiff {
    pub score_before: Option<f64>,
    pub score_after: Option<f64>,
    pub adjusted_score_before: Option<f64>,
    pub adjusted_score_after: Option<f64>,
    pub questions: Vec<QuestionDiff>,
    pub follow_ups: Vec<FollowUpDiff>,
}

impl ReviewDiff {
    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
            && self.follow_ups.is_empty()
            && self.score_before == self.score_after
            && self.adjusted_score_before == self.adjusted_score_after
    }
}

/// Keys whose values differ between two maps, with both sides.
fn changed_entries<K: Ord + Clone, V: Clone + PartialEq>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
) -> BTreeMap<K, Change<V>> {
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| (k.clone(), (a.get(k).cloned(), b.get(k).cloned())))
        .collect()
}

fn minus(a: &[String], b: &Answer) -> Vec<String> {
    a.iter().filter(|s| !b.is_selected(s)).cloned().collect()
}

fn changed<T: PartialEq + Clone>(a: &T, b: &T) -> Option<(T, T)> {
    (a != b).then(|| (a.clone(), b.clone()))
}

pub fn diff(bank: &Bank, old: &Review, new: &Review) -> ReviewDiff {
    let (before, after) = (score(bank, old), score(bank, new));
    let empty = Answer::default();
    let questions = before
        .questions
        .iter()
        .zip(&after.questions)
        .map(|(qb, qa)| {
            let a = old.answer(&qb.id).unwrap_or(&empty);
            let b = new.answer(&qb.id).unwrap_or(&empty);
            QuestionDiff {
                id: qb.id.clone(),
                risk_before: qb.risk,
                risk_after: qa.risk,
                adjusted_risk_before: qb.evidence_adjusted.risk,
                adjusted_risk_after: qa.evidence_adjusted.risk,
                score_before: qb.score,
                score_after: qa.score,
                selected: minus(&b.selected, a),
                unselected: minus(&a.selected, b),
                not_applicable: changed_entries(&a.not_applicable, &b.not_applicable),
                none_of_these: changed(&a.none_of_these, &b.none_of_these),
                question_not_applicable: (a.question_not_applicable != b.question_not_applicable)
                    .then_some((a.question_not_applicable, b.question_not_applicable)),
                notes: changed(&a.notes, &b.notes),
                bp_notes: changed_entries(&a.bp_notes, &b.bp_notes),
            }
        })
        .filter(|d| !d.is_empty())
        .collect();
    ReviewDiff {
        score_before: before.declared.score,
        score_after: after.declared.score,
        adjusted_score_before: before.evidence_adjusted.score,
        adjusted_score_after: after.evidence_adjusted.score,
        questions,
        follow_ups: follow_up_diff(bank, old, new),
    }
}

/// Follow-ups matched by id, in bank order of their BP.
fn follow_up_diff(bank: &Bank, old: &Review, new: &Review) -> Vec<FollowUpDiff> {
    let index = |r: &Review| -> BTreeMap<(String, String), FollowUp> {
        r.follow_ups
            .iter()
            .flat_map(|(bp, list)| {
                list.iter()
                    .map(move |f| ((bp.clone(), f.id.clone()), f.clone()))
            })
            .collect()
    };
    let changes = changed_entries(&index(old), &index(new));
    let mut out: Vec<FollowUpDiff> = changes
        .into_iter()
        .map(|((bp, id), (before, after))| FollowUpDiff {
            bp,
            id,
            before,
            after,
        })
        .collect();
    let order = |bp: &str| bank.bps().position(|(_, b)| b.id == bp);
    out.sort_by_key(|d| order(&d.bp));
    out
}
