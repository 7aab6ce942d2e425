//! Operations on answers. The TUI and the CLI both go through these so the
//! rules (a selected BP is not also not-applicable, "none of these" clears
//! selections, ...) live in one place.

use super::model::*;
use crate::bank::Bank;
use std::fmt;
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    UnknownQuestion(String),
    UnknownBp(String),
    /// The BP exists but belongs to another question.
    WrongQuestion {
        bp: String,
        question: String,
    },
    /// No follow-up action at this position of the BP's list.
    NoFollowUp {
        bp: String,
        index: usize,
    },
    /// No follow-up action has this id.
    NoFollowUpId(String),
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerError::UnknownQuestion(q) => write!(f, "unknown question '{q}'"),
            AnswerError::UnknownBp(b) => write!(f, "unknown best practice '{b}'"),
            AnswerError::WrongQuestion { bp, question } => {
                write!(f, "best practice {bp} does not belong to {question}")
            }
            AnswerError::NoFollowUp { bp, index } => {
                write!(f, "{bp} has no follow-up action number {}", index + 1)
            }
            AnswerError::NoFollowUpId(id) => write!(f, "no follow-up action has the id '{id}'"),
        }
    }
}

impl std::error::Error for AnswerError {}

impl Review {
    /// A new, empty review of a workload.
    pub fn new(name: impl Into<String>, today: Date) -> Review {
        Review {
            schema_version: SCHEMA_VERSION,
            workload: Workload {
                name: name.into(),
                description: String::new(),
                environment: Environment::Production,
                owner: String::new(),
                reviewers: Vec::new(),
                accounts: Vec::new(),
                regions: Vec::new(),
                created: today,
                review_date: None,
                updated: None,
            },
            framework_version: String::new(),
            answers: Default::default(),
            follow_ups: Default::default(),
            evidence: Vec::new(),
            evidence_runs: Vec::new(),
            milestones: Vec::new(),
            facilitation: Facilitation::default(),
            wa_tool: None,
        }
    }

    pub fn answer(&self, question: &str) -> Option<&Answer> {
        self.answers.get(question)
    }

    fn answer_mut(&mut self, question: &str) -> &mut Answer {
        self.answers.entry(question.to_string()).or_default()
    }

    /// Drop answers that say nothing, so files stay small and diffs clean.
    fn tidy(&mut self, question: &str) {
        if self.answers.get(question) == Some(&Answer::default()) {
            self.answers.remove(question);
        }
    }

    pub fn is_answered(&self, bank: &Bank, question: &str) -> bool {
        let count = bank
            .question(question)
            .map(|q| q.best_practices.len())
            .unwrap_or(0);
        self.answer(question).is_some_and(|a| a.is_answered(count))
    }

    /// Select or unselect a BP. Selecting clears "none of these" and the
    /// BP's not-applicable mark.
    pub fn set_selected(&mut self, bank: &Bank, bp: &str, on: bool) -> Result<(), AnswerError> {
        let qid = question_of(bank, bp)?;
        let a = self.answer_mut(&qid);
        a.selected.retain(|s| s != bp);
        if on {
            a.selected.push(bp.to_string());
            sort_like_bank(bank, &qid, &mut a.selected);
            a.not_applicable.remove(bp);
            a.none_of_these = false;
            a.question_not_applicable = None;
        }
        self.tidy(&qid);
        Ok(())
    }

    /// Mark a BP not applicable (with a reason), or clear the mark.
    pub fn set_bp_na(
        &mut self,
        bank: &Bank,
        bp: &str,
        reason: Option<NaReason>,
    ) -> Result<(), AnswerError> {
        let qid = question_of(bank, bp)?;
        let a = self.answer_mut(&qid);
        match reason {
            Some(r) => {
                a.selected.retain(|s| s != bp);
                a.not_applicable.insert(bp.to_string(), r);
            }
            None => {
                a.not_applicable.remove(bp);
            }
        }
        self.tidy(&qid);
        Ok(())
    }

    /// "None of these": reviewed, nothing in place. Clears selections.
    pub fn set_none_of_these(
        &mut self,
        bank: &Bank,
        question: &str,
        on: bool,
    ) -> Result<(), AnswerError> {
        let qid = known_question(bank, question)?;
        let a = self.answer_mut(&qid);
        a.none_of_these = on;
        if on {
            a.selected.clear();
            a.question_not_applicable = None;
        }
        self.tidy(&qid);
        Ok(())
    }

    /// Mark the whole question not applicable, or clear the mark.
    pub fn set_question_na(
        &mut self,
        bank: &Bank,
        question: &str,
        reason: Option<NaReason>,
    ) -> Result<(), AnswerError> {
        let qid = known_question(bank, question)?;
        let a = self.answer_mut(&qid);
        a.question_not_applicable = reason;
        self.tidy(&qid);
        Ok(())
    }

    pub fn set_notes(
        &mut self,
        bank: &Bank,
        question: &str,
        notes: &str,
    ) -> Result<(), AnswerError> {
        let qid = known_question(bank, question)?;
        self.answer_mut(&qid).notes = notes.to_string();
        self.tidy(&qid);
        Ok(())
    }

    /// Add a follow-up action to a BP. It gets a fresh id unless it has
    /// one already; returns the id.
    pub fn add_follow_up(
        &mut self,
        bank: &Bank,
        bp: &str,
        mut action: FollowUp,
    ) -> Result<String, AnswerError> {
        question_of(bank, bp)?;
        if action.id.is_empty() || self.follow_up(&action.id).is_some() {
            let n = self.follow_ups.values().map(Vec::len).sum::<usize>();
            let seed = format!("{bp}\0{}\0{n}\0{}", action.text, unique_nanos());
            action.id = self.fresh_follow_up_id(&seed);
        }
        let id = action.id.clone();
        self.follow_ups
            .entry(bp.to_string())
            .or_default()
            .push(action);
        Ok(id)
    }

    /// The follow-up with this id: its BP, position and the action.
    pub fn follow_up(&self, id: &str) -> Option<(&str, usize, &FollowUp)> {
        self.follow_ups.iter().find_map(|(bp, list)| {
            list.iter()
                .position(|f| f.id.eq_ignore_ascii_case(id))
                .map(|i| (bp.as_str(), i, &list[i]))
        })
    }

    /// Give every follow-up without an id one. Files written before schema
    /// 2 have none; the ids depend only on the file's content, so reading
    /// the same old file twice gives the same ids.
    pub fn assign_follow_up_ids(&mut self) {
        let missing: Vec<(String, usize)> = self
            .follow_ups
            .iter()
            .flat_map(|(bp, list)| {
                list.iter()
                    .enumerate()
                    .filter(|(_, f)| f.id.is_empty())
                    .map(move |(i, _)| (bp.clone(), i))
            })
            .collect();
        for (bp, i) in missing {
            let seed = format!("{bp}\0{i}\0{}", self.follow_ups[&bp][i].text);
            let id = self.fresh_follow_up_id(&seed);
            self.follow_ups.get_mut(&bp).expect("listed above")[i].id = id;
        }
    }

    /// A short id not used by any follow-up of this review.
    fn fresh_follow_up_id(&self, seed: &str) -> String {
        let hash = format!("{:016x}", fnv1a(seed.as_bytes()));
        [4, 6, 8, 16]
            .into_iter()
            .map(|len| hash[..len].to_string())
            .chain((1..).map(|n| format!("{hash}{n}")))
            .find(|id| self.follow_up(id).is_none())
            .expect("an unbounded list of candidates")
    }

    /// Replace follow-up `index` of a BP (an edit in the TUI). An index
    /// past the end is an error rather than an append, so a stale editor
    /// never adds a duplicate. The action keeps its id.
    pub fn set_follow_up(
        &mut self,
        bank: &Bank,
        bp: &str,
        index: usize,
        mut action: FollowUp,
    ) -> Result<(), AnswerError> {
        question_of(bank, bp)?;
        let slot = self
            .follow_ups
            .get_mut(bp)
            .and_then(|v| v.get_mut(index))
            .ok_or_else(|| AnswerError::NoFollowUp {
                bp: bp.to_string(),
                index,
            })?;
        action.id = slot.id.clone();
        *slot = action;
        Ok(())
    }

    /// Remove follow-up `index` of a BP; the BP's entry goes when empty so
    /// the file stays free of `SEC01-BP01: []` noise.
    pub fn remove_follow_up(
        &mut self,
        bank: &Bank,
        bp: &str,
        index: usize,
    ) -> Result<FollowUp, AnswerError> {
        question_of(bank, bp)?;
        let list = self
            .follow_ups
            .get_mut(bp)
            .filter(|v| index < v.len())
            .ok_or_else(|| AnswerError::NoFollowUp {
                bp: bp.to_string(),
                index,
            })?;
        let removed = list.remove(index);
        if list.is_empty() {
            self.follow_ups.remove(bp);
        }
        Ok(removed)
    }

    /// The BP and position of the follow-up with this id, for the
    /// index-based operations above.
    pub fn locate_follow_up(&self, id: &str) -> Result<(String, usize), AnswerError> {
        self.follow_up(id)
            .map(|(bp, i, _)| (bp.to_string(), i))
            .ok_or_else(|| AnswerError::NoFollowUpId(id.to_string()))
    }

    /// Notes on one BP (pushed to the WA Tool as the choice's notes).
    /// Blank text removes the entry.
    pub fn set_bp_notes(&mut self, bank: &Bank, bp: &str, notes: &str) -> Result<(), AnswerError> {
        let qid = question_of(bank, bp)?;
        let a = self.answer_mut(&qid);
        if notes.trim().is_empty() {
            a.bp_notes.remove(bp);
        } else {
            a.bp_notes.insert(bp.to_string(), notes.to_string());
        }
        self.tidy(&qid);
        Ok(())
    }

    /// Evidence items that inform a BP (see [`crate::evidence::bps_of`]).
    pub fn evidence_for<'a>(
        &'a self,
        bank: &'a Bank,
        bp: &'a str,
    ) -> impl Iterator<Item = &'a EvidenceItem> + 'a {
        self.evidence
            .iter()
            .filter(move |e| crate::evidence::informs(bank, e, bp))
    }

    /// Check the review against the bank: every id must be known, and a
    /// BP must be under its own question. Returns every problem found.
    pub fn validate(&self, bank: &Bank) -> Vec<String> {
        let mut problems = Vec::new();
        for (qid, a) in &self.answers {
            let Some(q) = bank.question(qid) else {
                problems.push(format!("answers.{qid}: unknown question id"));
                continue;
            };
            let ids = a
                .selected
                .iter()
                .chain(a.not_applicable.keys())
                .chain(a.bp_notes.keys());
            for bp in ids {
                if q.bp(bp).is_none() {
                    problems.push(match bank.bp(bp) {
                        Some((other, _)) => format!("answers.{qid}: {bp} belongs to {}", other.id),
                        None => format!("answers.{qid}: unknown best practice id '{bp}'"),
                    });
                }
            }
            for bp in &a.selected {
                if a.not_applicable.contains_key(bp) {
                    problems.push(format!(
                        "answers.{qid}: {bp} is both selected and not applicable"
                    ));
                }
            }
            if a.none_of_these && !a.selected.is_empty() {
                problems.push(format!(
                    "answers.{qid}: 'none of these' with selected best practices"
                ));
            }
        }
        let mut ids = std::collections::BTreeSet::new();
        for (bp, list) in &self.follow_ups {
            if bank.bp(bp).is_none() {
                problems.push(format!("follow_ups: unknown best practice id '{bp}'"));
            }
            for f in list.iter().filter(|f| !f.id.is_empty()) {
                if !ids.insert(f.id.to_ascii_lowercase()) {
                    problems.push(format!(
                        "follow_ups.{bp}: the id '{}' is used by two actions",
                        f.id
                    ));
                }
            }
        }
        for (i, e) in self.evidence.iter().enumerate() {
            for bp in &e.bps {
                if bank.bp(bp).is_none() {
                    problems.push(format!(
                        "evidence[{i}] ({}): unknown best practice id '{bp}'",
                        e.check
                    ));
                }
            }
        }
        problems
    }

    /// Stamp the last-change time.
    pub fn touch(&mut self, now: OffsetDateTime) {
        self.workload.updated = Some(now);
    }
}

/// FNV-1a: a small, stable hash for short ids (not for security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Nanoseconds since the epoch, never the same twice in one process, so
/// two actions added in the same instant still get different ids.
fn unique_nanos() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    now + u128::from(COUNTER.fetch_add(1, Ordering::Relaxed))
}

fn question_of(bank: &Bank, bp: &str) -> Result<String, AnswerError> {
    bank.bp(bp)
        .map(|(q, _)| q.id.clone())
        .ok_or_else(|| AnswerError::UnknownBp(bp.to_string()))
}

fn known_question(bank: &Bank, question: &str) -> Result<String, AnswerError> {
    bank.question(question)
        .map(|q| q.id.clone())
        .ok_or_else(|| AnswerError::UnknownQuestion(question.to_string()))
}

fn sort_like_bank(bank: &Bank, qid: &str, ids: &mut [String]) {
    if let Some(q) = bank.question(qid) {
        ids.sort_by_key(|id| q.best_practices.iter().position(|b| &b.id == id));
    }
}

/// Check that `bp` is a BP of `question` (for CLI input).
pub fn check_bp_in_question(bank: &Bank, question: &str, bp: &str) -> Result<(), AnswerError> {
    let owner = question_of(bank, bp)?;
    if owner.eq_ignore_ascii_case(question) {
        Ok(())
    } else {
        Err(AnswerError::WrongQuestion {
            bp: bp.to_string(),
            question: question.to_string(),
        })
    }
}
