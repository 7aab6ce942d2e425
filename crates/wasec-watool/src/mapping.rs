//! Pure mapping between a wasec answer and the WA Tool's view of a
//! question: choice ids, per-choice status, applicability and notes, by
//! WA Tool choice id (never by BP number). No I/O and no SDK types.

use crate::facets::{self, APPLICABLE, EVIDENCE, Facets, NOTES};
use crate::notes;
use crate::text;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use wasec_core::bank::Question;
use wasec_core::review::sync::ToolChoice;
use wasec_core::review::{Answer, NaReason, QuestionRisk};
use wasec_core::scoring::{self, BpEvidence};
use wasec_core::{Bank, Review};

/// Status of one choice in the Tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChoiceStatus {
    Selected,
    Unselected,
    NotApplicable,
}

impl ChoiceStatus {
    pub fn api(self) -> &'static str {
        match self {
            ChoiceStatus::Selected => "SELECTED",
            ChoiceStatus::Unselected => "UNSELECTED",
            ChoiceStatus::NotApplicable => "NOT_APPLICABLE",
        }
    }
}

/// A reason as the API spells it (OUT_OF_SCOPE, ...).
pub fn reason_api(r: NaReason) -> &'static str {
    match r {
        NaReason::OutOfScope => "OUT_OF_SCOPE",
        NaReason::BusinessPriorities => "BUSINESS_PRIORITIES",
        NaReason::ArchitectureConstraints => "ARCHITECTURE_CONSTRAINTS",
        NaReason::Other => "OTHER",
        NaReason::None => "NONE",
    }
}

pub fn reason_from_api(s: &str) -> Option<NaReason> {
    NaReason::parse(s)
}

/// A question risk as the API spells it.
pub fn risk_from_api(s: &str) -> Option<QuestionRisk> {
    match s {
        "HIGH" => Some(QuestionRisk::High),
        "MEDIUM" => Some(QuestionRisk::Medium),
        "NONE" => Some(QuestionRisk::None),
        "UNANSWERED" => Some(QuestionRisk::Unanswered),
        "NOT_APPLICABLE" => Some(QuestionRisk::NotApplicable),
        _ => None,
    }
}

pub fn risk_api(r: QuestionRisk) -> &'static str {
    match r {
        QuestionRisk::High => "HIGH",
        QuestionRisk::Medium => "MEDIUM",
        QuestionRisk::None => "NONE",
        QuestionRisk::Unanswered => "UNANSWERED",
        QuestionRisk::NotApplicable => "NOT_APPLICABLE",
    }
}

/// One question as the Tool holds it (GetAnswer).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaState {
    /// Selected choice ids (including a "none of these" choice).
    pub selected: BTreeSet<String>,
    /// Choice ids marked not applicable, with the reason.
    pub not_applicable: BTreeMap<String, NaReason>,
    /// Non-empty per-choice notes.
    pub choice_notes: BTreeMap<String, String>,
    pub is_applicable: bool,
    /// Why the question does not apply (only when `is_applicable` is false).
    pub reason: Option<NaReason>,
    pub notes: String,
}

impl WaState {
    pub fn empty() -> WaState {
        WaState {
            is_applicable: true,
            ..Default::default()
        }
    }
}

/// One entry of UpdateAnswer's ChoiceUpdates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceUpdate {
    pub status: ChoiceStatus,
    pub reason: Option<NaReason>,
    /// None leaves the choice's notes out of the request.
    pub notes: Option<String>,
}

/// The body of an UpdateAnswer call, still free of SDK types. Every field
/// is optional: what is left out, the Tool keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateRequest {
    pub selected_choices: Option<Vec<String>>,
    pub choice_updates: BTreeMap<String, ChoiceUpdate>,
    pub is_applicable: Option<bool>,
    pub reason: Option<NaReason>,
    pub notes: Option<String>,
}

/// Something the user should know about (printed as a warning).
pub type Warning = String;

/// A one-line evidence summary for a BP, or None without evidence.
pub fn evidence_line(bank: &Bank, review: &Review, bp: &str) -> Option<String> {
    let s = scoring::evidence_summary(bank, review, bp);
    if s.counts.total() == 0 {
        return None;
    }
    let c = s.counts;
    let mut parts = Vec::new();
    for (n, label) in [
        (c.pass, "pass"),
        (c.fail, "fail"),
        (c.unknown, "unknown"),
        (c.not_applicable, "n/a"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {label}"));
        }
    }
    let mut line = parts.join(", ");
    if s.status() == BpEvidence::Fail && s.public_failure {
        line.push_str(", public failure");
    }
    Some(line)
}

/// Bank choice ids (BPs and "none of these") of a question.
pub fn bank_choice_ids(q: &Question) -> Vec<&str> {
    q.best_practices
        .iter()
        .map(|b| b.wa_choice_id.as_str())
        .chain([q.none_of_these_choice_id.as_str()])
        .collect()
}

/// What the review says about a question, as facets (see [`facets`]):
/// notes and evidence always; applicability and choices once the question
/// is answered; choices not at all while it does not apply. `listed` are
/// the choice ids the Tool's lens version has for the question: bank
/// choices it lacks cannot be written (the caller reports them).
pub fn wanted(
    bank: &Bank,
    review: &Review,
    q: &Question,
    listed: &BTreeSet<String>,
) -> (Facets, Vec<Warning>) {
    let mut f = Facets::new();
    let mut warnings = Vec::new();
    let empty = Answer::default();
    let a = review.answer(&q.id).unwrap_or(&empty);
    f.insert(NOTES.into(), notes::reviewer_text(&a.notes));
    let mut ev = String::new();
    for b in &q.best_practices {
        if let Some(line) = evidence_line(bank, review, &b.id) {
            let _ = write!(ev, "\n{}: {line}", b.id);
        }
    }
    f.insert(EVIDENCE.into(), ev.trim().to_string());
    let answered = a.is_answered(q.best_practices.len());
    if let Some(r) = a.question_not_applicable {
        f.insert(APPLICABLE.into(), format!("no:{}", r.as_str()));
        if let Some(w) = text::na_question_marks_not_sent(q, a) {
            warnings.push(w);
        }
        return (f, warnings);
    }
    if answered {
        f.insert(APPLICABLE.into(), "yes".into());
    } else if !a.not_applicable.is_empty() {
        warnings.push(text::unanswered_na_marks_not_sent(q, a));
    }
    let listed_bank = |c: &str| listed.is_empty() || listed.contains(c);
    if answered && listed_bank(&q.none_of_these_choice_id) {
        let v = facets::status_value(None, a.none_of_these);
        f.insert(facets::choice_key(&q.none_of_these_choice_id), v);
    }
    for b in q
        .best_practices
        .iter()
        .filter(|b| listed_bank(&b.wa_choice_id))
    {
        let c = &b.wa_choice_id;
        if answered {
            let v =
                facets::status_value(a.not_applicable.get(&b.id).copied(), a.is_selected(&b.id));
            f.insert(facets::choice_key(c), v);
        }
        let note = a
            .bp_notes
            .get(&b.id)
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        f.insert(facets::note_key(c), note);
        let ev = evidence_line(bank, review, &b.id).unwrap_or_default();
        f.insert(facets::evidence_key(c), ev);
    }
    (f, warnings)
}

/// A Tool answer (as facets) back into a wasec answer. Choices the bank
/// does not know come back as [`ToolChoice`]s and, so a reviewer sees
/// them, in a block of the notes that push never sends back.
pub fn to_answer(
    q: &Question,
    f: &Facets,
    titles: &BTreeMap<String, String>,
) -> (Answer, Vec<ToolChoice>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let mut a = Answer {
        notes: facets::get(f, NOTES).to_string(),
        question_not_applicable: facets::not_applicable_reason(facets::get(f, APPLICABLE)),
        ..Default::default()
    };
    let mut others = Vec::new();
    let mut stale = Vec::new();
    for c in facets::choice_ids(f) {
        let status = facets::get(f, &facets::choice_key(&c));
        let note = facets::get(f, &facets::note_key(&c));
        if a.question_not_applicable.is_some() && status != facets::UNSELECTED {
            // Not imported as a mark; a BP's notes still come along.
            apply_choice(q, &mut a, &c, facets::UNSELECTED, note);
            stale.push(c);
        } else if !apply_choice(q, &mut a, &c, status, note) {
            others.push(other_choice(q, &c, status, note, titles));
        }
    }
    if !stale.is_empty() {
        warnings.push(text::stale_choices_dropped(q, &stale));
    }
    a.selected
        .sort_by_key(|id| q.best_practices.iter().position(|b| &b.id == id));
    if a.none_of_these && !a.selected.is_empty() {
        warnings.push(text::none_with_others(q));
        a.none_of_these = false;
    }
    warnings.extend(list_others(q, &mut a, &others));
    (a, others, warnings)
}

/// A bank choice's status and notes into the answer; false for a choice
/// the bank does not know.
fn apply_choice(q: &Question, a: &mut Answer, c: &str, status: &str, note: &str) -> bool {
    if c == q.none_of_these_choice_id {
        a.none_of_these = status == facets::SELECTED;
        return true;
    }
    let Some(b) = q.best_practices.iter().find(|b| b.wa_choice_id == c) else {
        return false;
    };
    if status == facets::SELECTED {
        a.selected.push(b.id.clone());
    } else if let Some(r) = facets::na_reason(status) {
        a.not_applicable.insert(b.id.clone(), r);
    }
    if !note.is_empty() {
        a.bp_notes.insert(b.id.clone(), note.to_string());
    }
    true
}

fn other_choice(
    q: &Question,
    c: &str,
    status: &str,
    note: &str,
    titles: &BTreeMap<String, String>,
) -> ToolChoice {
    ToolChoice {
        question: q.id.clone(),
        choice_id: c.to_string(),
        title: titles.get(c).cloned().unwrap_or_default(),
        status: status_word(status).into(),
        notes: note.to_string(),
    }
}

/// Choices the bank does not know, listed in a block of the notes (which
/// push never sends back) so a reviewer sees them.
fn list_others(q: &Question, a: &mut Answer, others: &[ToolChoice]) -> Option<Warning> {
    let shown: Vec<&ToolChoice> = others
        .iter()
        .filter(|o| o.status != "unselected" || !o.notes.is_empty())
        .collect();
    if shown.is_empty() {
        return None;
    }
    if !a.notes.is_empty() {
        a.notes.push_str("\n\n");
    }
    let list: Vec<String> = shown.iter().map(|o| text::tool_choice_line(o)).collect();
    let _ = write!(a.notes, "{} {}", notes::UNKNOWN_MARK, list.join("; "));
    Some(text::unknown_choices_kept(q, &shown))
}

fn status_word(v: &str) -> &'static str {
    match v {
        facets::SELECTED => "selected",
        v if v.starts_with("na:") => "not_applicable",
        _ => "unselected",
    }
}

/// Normalise a workload name the way the Tool checks uniqueness
/// ("spaces and capitalization are ignored").
pub fn normalize_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::{EvidenceItem, EvidenceStatus};

    fn bank() -> Bank {
        Bank::embedded().unwrap()
    }

    fn review() -> Review {
        Review::new("shop", time::macros::date!(2026 - 11 - 01))
    }

    fn all(q: &Question) -> BTreeSet<String> {
        bank_choice_ids(q).into_iter().map(str::to_string).collect()
    }

    #[test]
    fn answers_map_to_choice_facets_and_back() {
        let bank = bank();
        let mut r = review();
        r.set_selected(&bank, "SEC02-BP01", true).unwrap();
        r.set_bp_na(&bank, "SEC02-BP05", Some(NaReason::BusinessPriorities))
            .unwrap();
        r.set_notes(&bank, "SEC02", "Keys rotate quarterly.")
            .unwrap();
        r.answers
            .get_mut("SEC02")
            .unwrap()
            .bp_notes
            .insert("SEC02-BP01".into(), "SSO".into());
        let q = bank.question("SEC02").unwrap();
        let (f, w) = wanted(&bank, &r, q, &all(q));
        assert!(w.is_empty(), "{w:?}");
        let c1 = &q.bp("SEC02-BP01").unwrap().wa_choice_id;
        let c5 = &q.bp("SEC02-BP05").unwrap().wa_choice_id;
        assert_eq!(f[&facets::choice_key(c1)], "selected");
        assert_eq!(f[&facets::choice_key(c5)], "na:business_priorities");
        assert_eq!(
            f[&facets::choice_key(&q.none_of_these_choice_id)],
            "unselected"
        );
        assert_eq!(f[&facets::note_key(c1)], "SSO");
        assert_eq!(f[APPLICABLE], "yes");
        let (back, others, w) = to_answer(q, &f, &BTreeMap::new());
        assert!(others.is_empty() && w.is_empty());
        assert_eq!(back, *r.answer("SEC02").unwrap());
    }

    #[test]
    fn unanswered_and_not_applicable_questions_leave_choices_to_the_tool() {
        let bank = bank();
        let mut r = review();
        r.set_notes(&bank, "SEC01", "ask the platform team")
            .unwrap();
        let q1 = bank.question("SEC01").unwrap();
        let (f, _) = wanted(&bank, &r, q1, &all(q1));
        assert_eq!(f[NOTES], "ask the platform team");
        assert!(!f.contains_key(APPLICABLE));
        assert!(!f.keys().any(|k| k.starts_with("choice/")));
        r.set_question_na(&bank, "SEC11", Some(NaReason::OutOfScope))
            .unwrap();
        r.answers
            .get_mut("SEC11")
            .unwrap()
            .bp_notes
            .insert("SEC11-BP01".into(), "yearly".into());
        let q11 = bank.question("SEC11").unwrap();
        let (f, w) = wanted(&bank, &r, q11, &all(q11));
        assert_eq!(f[APPLICABLE], "no:out_of_scope");
        assert!(!f.keys().any(|k| facets::choice_of(k).is_some()));
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("SEC11-BP01"), "{w:?}");
    }

    #[test]
    fn evidence_goes_to_its_own_facets() {
        let bank = bank();
        let mut r = review();
        r.set_selected(&bank, "SEC02-BP02", true).unwrap();
        let (_, bp) = bank.bp("SEC02-BP02").unwrap();
        r.evidence.push(EvidenceItem {
            check: bp.checks[0].clone(),
            status: EvidenceStatus::Fail,
            summary: "2 old keys".into(),
            ..Default::default()
        });
        let q = bank.question("SEC02").unwrap();
        let (f, _) = wanted(&bank, &r, q, &all(q));
        assert_eq!(f[EVIDENCE], "SEC02-BP02: 1 fail");
        assert_eq!(f[&facets::evidence_key(&bp.wa_choice_id)], "1 fail");
        assert_eq!(f[NOTES], "");
    }

    #[test]
    fn stale_and_unknown_choices_do_not_become_answers() {
        let bank = bank();
        let q = bank.question("SEC06").unwrap();
        let c0 = q.best_practices[0].wa_choice_id.clone();
        let mut f = Facets::new();
        f.insert(facets::choice_key(&c0), "selected".into());
        f.insert(
            facets::choice_key("sec_protect_compute_reduce_surface"),
            "selected".into(),
        );
        f.insert(NOTES.into(), "from the console".into());
        let titles = BTreeMap::from([(
            "sec_protect_compute_reduce_surface".to_string(),
            "Reduce attack surface".to_string(),
        )]);
        let (a, others, w) = to_answer(q, &f, &titles);
        assert_eq!(a.selected, vec![q.best_practices[0].id.clone()]);
        assert_eq!(others.len(), 1);
        assert_eq!(others[0].status, "selected");
        assert!(a.notes.starts_with("from the console") && a.notes.contains(notes::UNKNOWN_MARK));
        assert!(a.notes.contains("Reduce attack surface"));
        assert_eq!(w.len(), 1);
        // The same selections on a question that does not apply are stale.
        f.insert(APPLICABLE.into(), "no:out_of_scope".into());
        let (a, _, w) = to_answer(q, &f, &titles);
        assert!(a.selected.is_empty());
        assert_eq!(a.question_not_applicable, Some(NaReason::OutOfScope));
        assert!(w.iter().any(|w| w.contains(&c0)), "{w:?}");
    }

    #[test]
    fn names_normalise_like_the_tool() {
        assert_eq!(normalize_name(" My  Shop "), normalize_name("myshop"));
    }
}
