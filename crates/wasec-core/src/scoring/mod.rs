//! Scores, question risks and the improvement plan. Pure functions: the
//! same review and bank always give the same numbers, so every front end
//! (CLI, TUI, reports, WA Tool sync) shows the same result.

mod actions;
mod diff;
mod matrix;
mod plan;
mod standing;

pub use actions::{Action, Cause, actions, actions_for, group, needs_also};

pub use diff::{QuestionDiff, ReviewDiff, diff};
pub use matrix::{Level, Likelihood, Priority, Severity, priority};
pub use plan::{PlanItem, PlanKind, plan};
pub use standing::{Standing, TopItem, by_account, standing};

use crate::bank::{Bank, Question, Risk};
use crate::review::{
    Answer, EvidenceCounts, EvidenceStatus, Milestone, QuestionRisk, Review, RiskCounts, ViewScore,
};
use serde::Serialize;
use time::OffsetDateTime;

/// Which reading of the answers a number comes from.
///
/// * `Declared`: the WA Tool's rule over what the team marked in place
///   (what the Tool itself would show).
/// * `EvidenceAdjusted`: the same rule, but a selected BP whose evidence
///   fails counts as not in place. Ticking boxes cannot hide a failing
///   account from this view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    Declared,
    EvidenceAdjusted,
}

impl View {
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            View::Declared => lang.pick("declared", "申告"),
            View::EvidenceAdjusted => lang.pick("evidence-adjusted", "エビデンス反映"),
        }
    }
}

/// One question under one view.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QuestionView {
    pub risk: QuestionRisk,
    /// 0-100 over the question's applicable BPs; `None` when nothing applies
    /// or the question is unanswered.
    pub score: Option<f64>,
}

/// The scores of one question. `risk` and `score` are the declared view
/// (the WA Tool's); `evidence_adjusted` the view that trusts evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionScore {
    pub id: String,
    pub risk: QuestionRisk,
    pub score: Option<f64>,
    pub selected: usize,
    pub applicable: usize,
    pub total: usize,
    /// Selected BPs whose evidence fails.
    pub contradictions: usize,
    pub evidence_adjusted: QuestionView,
}

impl QuestionScore {
    pub fn view(&self, view: View) -> QuestionView {
        match view {
            View::Declared => QuestionView {
                risk: self.risk,
                score: self.score,
            },
            View::EvidenceAdjusted => self.evidence_adjusted,
        }
    }
}

/// The scores of a whole review, in both views.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    pub declared: ViewScore,
    pub evidence_adjusted: ViewScore,
    pub questions: Vec<QuestionScore>,
}

impl Scorecard {
    pub fn question(&self, id: &str) -> Option<&QuestionScore> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn view(&self, view: View) -> &ViewScore {
        match view {
            View::Declared => &self.declared,
            View::EvidenceAdjusted => &self.evidence_adjusted,
        }
    }

    /// Evidence changes the result: a score, a count or a question's risk.
    pub fn views_differ(&self) -> bool {
        self.declared != self.evidence_adjusted
            || self
                .questions
                .iter()
                .any(|q| q.risk != q.evidence_adjusted.risk)
    }
}

/// JSON: the declared view at the top level (the shape scripts already
/// read), then `declared` and `evidence_adjusted`, each with its score,
/// counts and per-question risk.
impl Serialize for Scorecard {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        #[derive(Serialize)]
        struct Q<'a> {
            id: &'a str,
            risk: QuestionRisk,
            score: Option<f64>,
        }
        #[derive(Serialize)]
        struct V<'a> {
            score: Option<f64>,
            counts: &'a RiskCounts,
            questions: Vec<Q<'a>>,
        }
        let view = |v: View| V {
            score: self.view(v).score,
            counts: &self.view(v).counts,
            questions: self
                .questions
                .iter()
                .map(|q| {
                    let qv = q.view(v);
                    Q {
                        id: &q.id,
                        risk: qv.risk,
                        score: qv.score,
                    }
                })
                .collect(),
        };
        let mut st = s.serialize_struct("Scorecard", 5)?;
        st.serialize_field("score", &self.declared.score)?;
        st.serialize_field("counts", &self.declared.counts)?;
        st.serialize_field("questions", &self.questions)?;
        st.serialize_field("declared", &view(View::Declared))?;
        st.serialize_field("evidence_adjusted", &view(View::EvidenceAdjusted))?;
        st.end()
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
    question_risk_where(question, answer, |a, bp| a.is_selected(bp))
}

/// The same rule with "in place" decided by `in_place` (the evidence-adjusted
/// view passes "selected and its evidence does not fail"). Whether the
/// question is answered or not applicable is the team's call in both views.
fn question_risk_where(
    question: &Question,
    answer: Option<&Answer>,
    in_place: impl Fn(&Answer, &str) -> bool,
) -> QuestionRisk {
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
        .filter(|b| !a.is_bp_na(&b.id) && !in_place(a, &b.id))
        .map(|b| b.risk)
        .max();
    match missing {
        Some(Risk::High) => QuestionRisk::High,
        Some(Risk::Medium) => QuestionRisk::Medium,
        Some(Risk::Low) | None => QuestionRisk::None,
    }
}

/// A selected BP whose evidence fails.
pub fn is_contradicted(bank: &Bank, review: &Review, bp: &str) -> bool {
    evidence_summary(bank, review, bp).status() == BpEvidence::Fail
}

/// Weights of one question under both views: (possible, declared, adjusted).
#[derive(Default)]
struct Weights {
    possible: u32,
    declared: u32,
    adjusted: u32,
}

impl std::ops::AddAssign<&Weights> for Weights {
    fn add_assign(&mut self, o: &Weights) {
        self.possible += o.possible;
        self.declared += o.declared;
        self.adjusted += o.adjusted;
    }
}

/// Score one question in both views; also returns its weights so the
/// overall scores are the same sums over every question.
fn question_score(bank: &Bank, review: &Review, q: &Question) -> (QuestionScore, Weights) {
    let answer = review.answer(&q.id);
    let risk = question_risk(q, answer);
    let counted = !matches!(risk, QuestionRisk::Unanswered | QuestionRisk::NotApplicable);
    let contradicted: Vec<&str> = match answer {
        Some(a) if counted => a
            .selected
            .iter()
            .filter(|bp| is_contradicted(bank, review, bp))
            .map(String::as_str)
            .collect(),
        _ => Vec::new(),
    };
    let adjusted_risk = question_risk_where(q, answer, |a, bp| {
        a.is_selected(bp) && !contradicted.contains(&bp)
    });
    // An unanswered question's leftovers (notes, partial marks) do not
    // count; it weighs in with nothing selected.
    let answer = answer.filter(|_| counted);
    let (mut w, mut selected, mut applicable) = (Weights::default(), 0, 0);
    if risk != QuestionRisk::NotApplicable {
        for b in &q.best_practices {
            if answer.is_some_and(|a| a.is_bp_na(&b.id)) {
                continue;
            }
            applicable += 1;
            w.possible += b.risk.weight();
            if answer.is_some_and(|a| a.is_selected(&b.id)) {
                selected += 1;
                w.declared += b.risk.weight();
                if !contradicted.contains(&b.id.as_str()) {
                    w.adjusted += b.risk.weight();
                }
            }
        }
    }
    let shown = |got: u32| (counted && w.possible > 0).then(|| percent(got, w.possible));
    let qs = QuestionScore {
        id: q.id.clone(),
        risk,
        score: shown(w.declared),
        selected,
        applicable,
        total: q.best_practices.len(),
        contradictions: contradicted.len(),
        evidence_adjusted: QuestionView {
            risk: adjusted_risk,
            score: shown(w.adjusted),
        },
    };
    (qs, w)
}

fn percent(got: u32, weight: u32) -> f64 {
    (f64::from(got) * 1000.0 / f64::from(weight)).round() / 10.0
}

/// Score every question and the review, in both views. The overall score
/// weighs every applicable BP (High 3, Medium 2, Low 1); unanswered
/// questions count with nothing selected, because nothing about them is
/// shown yet. When no BP applies at all the score is `None`.
pub fn score(bank: &Bank, review: &Review) -> Scorecard {
    let mut declared = ViewScore::default();
    let mut adjusted = ViewScore::default();
    let mut questions = Vec::with_capacity(bank.questions().len());
    let mut total = Weights::default();
    for q in bank.questions() {
        let (qs, w) = question_score(bank, review, q);
        declared.counts.add(qs.risk);
        adjusted.counts.add(qs.evidence_adjusted.risk);
        total += &w;
        questions.push(qs);
    }
    let overall = |got: u32| (total.possible > 0).then(|| percent(got, total.possible));
    declared.score = overall(total.declared);
    adjusted.score = overall(total.adjusted);
    Scorecard {
        declared,
        evidence_adjusted: adjusted,
        questions,
    }
}

/// A snapshot of the review's answers and scores under `name`.
pub fn milestone(bank: &Bank, review: &Review, name: &str, now: OffsetDateTime) -> Milestone {
    let card = score(bank, review);
    let risks = |v: View| {
        card.questions
            .iter()
            .map(|q| (q.id.clone(), q.view(v).risk))
            .collect()
    };
    Milestone {
        name: name.to_string(),
        created_at: now,
        score: card.declared.score,
        counts: card.declared.counts,
        risks: risks(View::Declared),
        evidence_adjusted: Some(card.evidence_adjusted),
        adjusted_risks: risks(View::EvidenceAdjusted),
        answers: review.answers.clone(),
    }
}
