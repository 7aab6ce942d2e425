//! What changed between two versions of a review.

use super::{QuestionRisk, score};
use crate::bank::Bank;
use crate::review::{NaReason, Review};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionDiff {
    pub id: String,
    pub risk_before: QuestionRisk,
    pub risk_after: QuestionRisk,
    pub score_before: Option<f64>,
    pub score_after: Option<f64>,
    pub selected: Vec<String>,
    pub unselected: Vec<String>,
    /// BP id -> (before, after) not-applicable reason.
    pub not_applicable: BTreeMap<String, (Option<NaReason>, Option<NaReason>)>,
    pub none_of_these: Option<(bool, bool)>,
    pub question_not_applicable: Option<(Option<NaReason>, Option<NaReason>)>,
    pub notes_changed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewDiff {
    pub score_before: f64,
    pub score_after: f64,
    pub questions: Vec<QuestionDiff>,
}

impl ReviewDiff {
    pub fn is_empty(&self) -> bool {
        self.questions.is_empty() && self.score_before == self.score_after
    }
}

pub fn diff(bank: &Bank, old: &Review, new: &Review) -> ReviewDiff {
    let (before, after) = (score(bank, old), score(bank, new));
    let mut questions = Vec::new();
    for (qb, qa) in before.questions.iter().zip(&after.questions) {
        let empty = Default::default();
        let a = old.answer(&qb.id).unwrap_or(&empty);
        let b = new.answer(&qb.id).unwrap_or(&empty);
        let selected: Vec<String> = b
            .selected
            .iter()
            .filter(|s| !a.is_selected(s))
            .cloned()
            .collect();
        let unselected: Vec<String> = a
            .selected
            .iter()
            .filter(|s| !b.is_selected(s))
            .cloned()
            .collect();
        let mut not_applicable = BTreeMap::new();
        for id in a.not_applicable.keys().chain(b.not_applicable.keys()) {
            let pair = (
                a.not_applicable.get(id).copied(),
                b.not_applicable.get(id).copied(),
            );
            if pair.0 != pair.1 {
                not_applicable.insert(id.clone(), pair);
            }
        }
        let d = QuestionDiff {
            id: qb.id.clone(),
            risk_before: qb.risk,
            risk_after: qa.risk,
            score_before: qb.score,
            score_after: qa.score,
            selected,
            unselected,
            not_applicable,
            none_of_these: (a.none_of_these != b.none_of_these)
                .then_some((a.none_of_these, b.none_of_these)),
            question_not_applicable: (a.question_not_applicable != b.question_not_applicable)
                .then_some((a.question_not_applicable, b.question_not_applicable)),
            notes_changed: a.notes != b.notes,
        };
        let changed = d.risk_before != d.risk_after
            || d.score_before != d.score_after
            || !d.selected.is_empty()
            || !d.unselected.is_empty()
            || !d.not_applicable.is_empty()
            || d.none_of_these.is_some()
            || d.question_not_applicable.is_some()
            || d.notes_changed;
        if changed {
            questions.push(d);
        }
    }
    ReviewDiff {
        score_before: before.score,
        score_after: after.score,
        questions,
    }
}
