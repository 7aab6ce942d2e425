//! Pure mapping between a wasec answer and the WA Tool's view of a
//! question: choice ids, per-choice status, applicability and notes.
//! No I/O and no SDK types, so every rule here is unit tested.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use wasec_core::bank::Question;
use wasec_core::review::{Answer, NaReason, QuestionRisk};
use wasec_core::scoring::{self, BpEvidence};
use wasec_core::{Bank, Review};

/// Question-level notes limit (characters).
pub const QUESTION_NOTES_MAX: usize = 2084;
/// Per-choice notes limit (characters).
pub const CHOICE_NOTES_MAX: usize = 250;
/// Appended where wasec had to cut notes to fit the Tool's limits.
pub const TRUNCATED_MARK: &str = "… [truncated by wasec]";
/// Separates reviewer notes from the evidence summary wasec adds, so a
/// pull can strip the summary again and a round trip keeps notes intact.
pub const EVIDENCE_MARK: &str = "[wasec evidence]";
/// Heads the line that keeps choice ids the bank does not know (pull).
pub const UNKNOWN_MARK: &str = "[wasec: WA Tool choices not in the question bank]";

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

/// One question as the Tool holds it (read with GetAnswer) or as wasec
/// wants it to be (computed from the review).
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

/// Something the user should know about (printed as a warning).
pub type Warning = String;

/// Length as the Tool may count it. Services often count UTF-16 code
/// units; that is never less than the character count, so counting it
/// keeps us inside the limit either way.
pub fn api_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Cut `s` so that it fits `max` (in [`api_len`] units), marking the cut.
/// Returns the text and whether it was cut.
pub fn truncate(s: &str, max: usize) -> (String, bool) {
    if api_len(s) <= max {
        return (s.to_string(), false);
    }
    let budget = max.saturating_sub(api_len(TRUNCATED_MARK));
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        if used + c.len_utf16() > budget {
            break;
        }
        used += c.len_utf16();
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    out.push_str(TRUNCATED_MARK);
    (out, true)
}

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

/// Join reviewer text and an evidence summary with the marker.
fn with_evidence(text: &str, evidence: &str, sep: &str) -> String {
    let text = text.trim();
    if evidence.is_empty() {
        text.to_string()
    } else if text.is_empty() {
        format!("{EVIDENCE_MARK} {evidence}")
    } else {
        format!("{text}{sep}{EVIDENCE_MARK} {evidence}")
    }
}

/// Remove what wasec added (evidence summary) so the reviewer's own text
/// comes back on pull.
pub fn strip_generated(notes: &str) -> String {
    let head = match notes.find(EVIDENCE_MARK) {
        Some(i) => &notes[..i],
        None => notes,
    };
    head.trim_end().to_string()
}

/// Map a review answer to the state the Tool should have. `None` when the
/// review leaves the question unanswered: wasec then leaves the Tool's
/// answer alone instead of wiping work done in the console.
pub fn desired_state(
    bank: &Bank,
    review: &Review,
    q: &Question,
) -> (Option<WaState>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let Some(a) = review.answer(&q.id) else {
        return (None, warnings);
    };
    if !a.is_answered(q.best_practices.len()) {
        return (None, warnings);
    }
    let mut st = WaState::empty();

    // Question notes: reviewer notes plus one evidence line per BP with evidence.
    let mut ev = String::new();
    for b in &q.best_practices {
        if let Some(line) = evidence_line(bank, review, &b.id) {
            let _ = write!(ev, "\n{}: {line}", b.id);
        }
    }
    let notes = with_evidence(&a.notes, ev.trim_start(), "\n\n");
    let (notes, cut) = truncate(&notes, QUESTION_NOTES_MAX);
    if cut {
        warnings.push(format!(
            "{}: notes are longer than the WA Tool's {QUESTION_NOTES_MAX} characters; truncated",
            q.id
        ));
    }
    st.notes = notes;

    if let Some(r) = a.question_not_applicable {
        st.is_applicable = false;
        st.reason = Some(r);
        return (Some(st), warnings);
    }

    if a.none_of_these {
        st.selected.insert(q.none_of_these_choice_id.clone());
    }
    for b in &q.best_practices {
        if a.is_selected(&b.id) {
            st.selected.insert(b.wa_choice_id.clone());
        } else if let Some(r) = a.not_applicable.get(&b.id) {
            st.not_applicable.insert(b.wa_choice_id.clone(), *r);
        }
        let note = a.bp_notes.get(&b.id).map(String::as_str).unwrap_or("");
        let ev = evidence_line(bank, review, &b.id).unwrap_or_default();
        let text = with_evidence(note, &ev, " ");
        if text.is_empty() {
            continue;
        }
        let (text, cut) = truncate(&text, CHOICE_NOTES_MAX);
        if cut {
            warnings.push(format!(
                "{}: notes for {} are longer than the WA Tool's {CHOICE_NOTES_MAX} characters per choice; truncated",
                q.id, b.id
            ));
        }
        st.choice_notes.insert(b.wa_choice_id.clone(), text);
    }
    (Some(st), warnings)
}

/// What changes in one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionChange {
    /// Bank question id (SEC01).
    pub question: String,
    pub wa_question_id: String,
    pub select: Vec<String>,
    pub unselect: Vec<String>,
    /// Choices newly marked (or re-marked) not applicable.
    pub mark_na: Vec<(String, NaReason)>,
    /// Choices that stop being not applicable (and are not selected).
    pub clear_na: Vec<String>,
    pub choice_notes: Vec<String>,
    /// Some(false) when the question becomes not applicable, Some(true) when it applies again.
    pub applicability: Option<bool>,
    pub reason_changed: bool,
    pub notes_changed: bool,
    /// The state to write.
    pub desired: WaState,
}

/// Compare what the Tool has with what the review wants. `None` = same.
pub fn diff_question(q: &Question, current: &WaState, desired: &WaState) -> Option<QuestionChange> {
    let mut ch = QuestionChange {
        question: q.id.clone(),
        wa_question_id: q.wa_question_id.clone(),
        select: Vec::new(),
        unselect: Vec::new(),
        mark_na: Vec::new(),
        clear_na: Vec::new(),
        choice_notes: Vec::new(),
        applicability: None,
        reason_changed: false,
        notes_changed: current.notes.trim_end() != desired.notes.trim_end(),
        desired: desired.clone(),
    };
    if current.is_applicable != desired.is_applicable {
        ch.applicability = Some(desired.is_applicable);
    }
    if !desired.is_applicable {
        // Choices of a question that does not apply are not written.
        ch.reason_changed = current.reason != desired.reason;
    } else {
        ch.select = desired
            .selected
            .difference(&current.selected)
            .cloned()
            .collect();
        ch.unselect = current
            .selected
            .difference(&desired.selected)
            .cloned()
            .collect();
        for (c, r) in &desired.not_applicable {
            if current.not_applicable.get(c) != Some(r) {
                ch.mark_na.push((c.clone(), *r));
            }
        }
        for c in current.not_applicable.keys() {
            if !desired.not_applicable.contains_key(c) && !desired.selected.contains(c) {
                ch.clear_na.push(c.clone());
            }
        }
        let keys: BTreeSet<&String> = current
            .choice_notes
            .keys()
            .chain(desired.choice_notes.keys())
            .collect();
        for k in keys {
            let a = current
                .choice_notes
                .get(k)
                .map(|s| s.trim_end())
                .unwrap_or("");
            let b = desired
                .choice_notes
                .get(k)
                .map(|s| s.trim_end())
                .unwrap_or("");
            if a != b {
                ch.choice_notes.push(k.clone());
            }
        }
    }
    // Print choices in the bank's order (the order reviewers know).
    let order = bank_choice_ids(q);
    let pos = |c: &String| order.iter().position(|o| o == c).unwrap_or(usize::MAX);
    ch.select.sort_by_key(pos);
    ch.unselect.sort_by_key(pos);
    ch.mark_na.sort_by_key(|(c, _)| pos(c));
    ch.clear_na.sort_by_key(pos);
    let same = ch.select.is_empty()
        && ch.unselect.is_empty()
        && ch.mark_na.is_empty()
        && ch.clear_na.is_empty()
        && ch.choice_notes.is_empty()
        && ch.applicability.is_none()
        && !ch.reason_changed
        && !ch.notes_changed;
    (!same).then_some(ch)
}

impl QuestionChange {
    /// A readable multi-line description of the change.
    pub fn describe(&self, label: &dyn Fn(&str) -> String) -> String {
        let mut out = format!("~ {} ({})\n", self.question, self.wa_question_id);
        match self.applicability {
            Some(false) => {
                let r = self.desired.reason.map(reason_api).unwrap_or("NONE");
                let _ = writeln!(out, "    question -> not applicable ({r})");
            }
            Some(true) => out.push_str("    question -> applicable again\n"),
            None => {}
        }
        if self.reason_changed && self.applicability.is_none() {
            let r = self.desired.reason.map(reason_api).unwrap_or("NONE");
            let _ = writeln!(out, "    not-applicable reason -> {r}");
        }
        for c in &self.select {
            let _ = writeln!(out, "    + select   {}", label(c));
        }
        for c in &self.unselect {
            let _ = writeln!(out, "    - unselect {}", label(c));
        }
        for (c, r) in &self.mark_na {
            let _ = writeln!(out, "    ! n/a      {} ({})", label(c), reason_api(*r));
        }
        for c in &self.clear_na {
            let _ = writeln!(out, "    . applies  {}", label(c));
        }
        if !self.choice_notes.is_empty() {
            let _ = writeln!(out, "    notes on {} choice(s)", self.choice_notes.len());
        }
        if self.notes_changed {
            out.push_str("    question notes\n");
        }
        out
    }
}

/// The body of an UpdateAnswer call, still free of SDK types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateRequest {
    pub selected_choices: Option<Vec<String>>,
    /// Choice id -> (status, reason, notes).
    pub choice_updates: BTreeMap<String, (ChoiceStatus, Option<NaReason>, String)>,
    pub is_applicable: bool,
    pub reason: Option<NaReason>,
    pub notes: String,
}

/// Build the UpdateAnswer body for a desired state. Every choice the bank
/// knows for the question gets an explicit status, so a re-run converges
/// even when the Tool had other marks.
pub fn update_request(q: &Question, desired: &WaState) -> UpdateRequest {
    if !desired.is_applicable {
        return UpdateRequest {
            selected_choices: None,
            choice_updates: BTreeMap::new(),
            is_applicable: false,
            reason: desired.reason,
            notes: desired.notes.clone(),
        };
    }
    let mut updates = BTreeMap::new();
    let ids = q
        .best_practices
        .iter()
        .map(|b| b.wa_choice_id.as_str())
        .chain([q.none_of_these_choice_id.as_str()]);
    for id in ids {
        let (status, reason) = if desired.selected.contains(id) {
            (ChoiceStatus::Selected, None)
        } else if let Some(r) = desired.not_applicable.get(id) {
            (ChoiceStatus::NotApplicable, Some(*r))
        } else {
            (ChoiceStatus::Unselected, None)
        };
        let notes = desired.choice_notes.get(id).cloned().unwrap_or_default();
        updates.insert(id.to_string(), (status, reason, notes));
    }
    UpdateRequest {
        selected_choices: Some(desired.selected.iter().cloned().collect()),
        choice_updates: updates,
        is_applicable: true,
        reason: None,
        notes: desired.notes.clone(),
    }
}

/// Map what the Tool holds back to a wasec answer. Choice ids the bank
/// does not know are kept in the notes (and reported), never dropped.
pub fn answer_from_state(q: &Question, st: &WaState) -> (Answer, Vec<Warning>) {
    let mut warnings = Vec::new();
    let mut a = Answer {
        notes: strip_generated(&st.notes),
        ..Default::default()
    };
    if !st.is_applicable {
        a.question_not_applicable = Some(st.reason.unwrap_or(NaReason::None));
    }
    let mut unknown = Vec::new();
    for c in &st.selected {
        if *c == q.none_of_these_choice_id {
            a.none_of_these = true;
        } else if let Some(b) = q.best_practices.iter().find(|b| b.wa_choice_id == *c) {
            a.selected.push(b.id.clone());
        } else {
            unknown.push(format!("{c} (selected)"));
        }
    }
    for (c, r) in &st.not_applicable {
        if let Some(b) = q.best_practices.iter().find(|b| b.wa_choice_id == *c) {
            a.not_applicable.insert(b.id.clone(), *r);
        } else if *c != q.none_of_these_choice_id {
            unknown.push(format!("{c} (not applicable: {})", reason_api(*r)));
        }
    }
    for (c, n) in &st.choice_notes {
        let text = strip_generated(n);
        if text.is_empty() {
            continue;
        }
        match q.best_practices.iter().find(|b| b.wa_choice_id == *c) {
            Some(b) => {
                a.bp_notes.insert(b.id.clone(), text);
            }
            None => unknown.push(format!("{c} (notes: {text})")),
        }
    }
    // Keep bank order, the order `Review::set_selected` uses.
    a.selected
        .sort_by_key(|id| q.best_practices.iter().position(|b| &b.id == id));
    if a.none_of_these && !a.selected.is_empty() {
        warnings.push(format!(
            "{}: the WA Tool has \"none of these\" together with other choices; kept the other choices",
            q.id
        ));
        a.none_of_these = false;
    }
    if !unknown.is_empty() {
        warnings.push(format!(
            "{}: choice ids not in the question bank kept in the question notes: {}",
            q.id,
            unknown.join(", ")
        ));
        if !a.notes.is_empty() {
            a.notes.push_str("\n\n");
        }
        let _ = write!(a.notes, "{UNKNOWN_MARK} {}", unknown.join("; "));
    }
    (a, warnings)
}

/// Bank choice ids (BPs and "none of these") of a question.
pub fn bank_choice_ids(q: &Question) -> Vec<&str> {
    q.best_practices
        .iter()
        .map(|b| b.wa_choice_id.as_str())
        .chain([q.none_of_these_choice_id.as_str()])
        .collect()
}

/// How the Tool's lens version compares with the bank's framework version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LensDrift {
    Same,
    /// The Tool's lens review is older than the bank.
    Behind,
    /// The Tool's lens review is newer than the bank.
    Ahead,
    /// The versions cannot be compared (not both dates).
    Unknown,
}

/// Compare `YYYY-MM-DD` versions; anything else is `Unknown`.
pub fn lens_drift(tool: &str, bank: &str) -> LensDrift {
    fn is_date(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    }
    if !is_date(tool) || !is_date(bank) {
        return LensDrift::Unknown;
    }
    match tool.cmp(bank) {
        std::cmp::Ordering::Equal => LensDrift::Same,
        std::cmp::Ordering::Less => LensDrift::Behind,
        std::cmp::Ordering::Greater => LensDrift::Ahead,
    }
}

/// Normalise a workload name the way the Tool checks uniqueness.
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

    #[test]
    fn truncate_marks_and_fits() {
        let long = "a".repeat(300);
        let (t, cut) = truncate(&long, CHOICE_NOTES_MAX);
        assert!(cut);
        assert!(api_len(&t) <= CHOICE_NOTES_MAX);
        assert!(t.ends_with(TRUNCATED_MARK));
        let (t, cut) = truncate("short", CHOICE_NOTES_MAX);
        assert!(!cut);
        assert_eq!(t, "short");
        // Japanese: each char is one UTF-16 unit; astral chars are two.
        let ja = "監".repeat(2100);
        let (t, _) = truncate(&ja, QUESTION_NOTES_MAX);
        assert!(api_len(&t) <= QUESTION_NOTES_MAX);
        let emoji = "🔒".repeat(200);
        let (t, cut) = truncate(&emoji, CHOICE_NOTES_MAX);
        assert!(cut && api_len(&t) <= CHOICE_NOTES_MAX);
    }

    #[test]
    fn selected_na_and_none_map_to_choice_ids() {
        let bank = bank();
        let mut r = review();
        r.set_selected(&bank, "SEC02-BP01", true).unwrap();
        r.set_bp_na(&bank, "SEC02-BP05", Some(NaReason::BusinessPriorities))
            .unwrap();
        r.set_none_of_these(&bank, "SEC10", true).unwrap();
        r.set_question_na(&bank, "SEC11", Some(NaReason::OutOfScope))
            .unwrap();
        let q2 = bank.question("SEC02").unwrap();
        let (st, w) = desired_state(&bank, &r, q2);
        let st = st.unwrap();
        assert!(w.is_empty());
        assert_eq!(
            st.selected.iter().collect::<Vec<_>>(),
            vec![&q2.bp("SEC02-BP01").unwrap().wa_choice_id]
        );
        assert_eq!(
            st.not_applicable
                .get(&q2.bp("SEC02-BP05").unwrap().wa_choice_id),
            Some(&NaReason::BusinessPriorities)
        );
        let q10 = bank.question("SEC10").unwrap();
        let st10 = desired_state(&bank, &r, q10).0.unwrap();
        assert_eq!(
            st10.selected.iter().next().unwrap(),
            &q10.none_of_these_choice_id
        );
        let q11 = bank.question("SEC11").unwrap();
        let st11 = desired_state(&bank, &r, q11).0.unwrap();
        assert!(!st11.is_applicable);
        assert_eq!(st11.reason, Some(NaReason::OutOfScope));
        let req = update_request(q11, &st11);
        assert!(req.selected_choices.is_none() && !req.is_applicable);
        // Unanswered questions are left alone.
        assert!(
            desired_state(&bank, &r, bank.question("SEC01").unwrap())
                .0
                .is_none()
        );
    }

    #[test]
    fn update_request_gives_every_bank_choice_a_status() {
        let bank = bank();
        let mut r = review();
        r.set_selected(&bank, "SEC03-BP01", true).unwrap();
        r.set_bp_na(&bank, "SEC03-BP09", Some(NaReason::OutOfScope))
            .unwrap();
        let q = bank.question("SEC03").unwrap();
        let st = desired_state(&bank, &r, q).0.unwrap();
        let req = update_request(q, &st);
        assert_eq!(req.choice_updates.len(), q.best_practices.len() + 1);
        let bp1 = &q.bp("SEC03-BP01").unwrap().wa_choice_id;
        let bp9 = &q.bp("SEC03-BP09").unwrap().wa_choice_id;
        assert_eq!(req.choice_updates[bp1].0, ChoiceStatus::Selected);
        assert_eq!(req.choice_updates[bp9].0, ChoiceStatus::NotApplicable);
        assert_eq!(req.choice_updates[bp9].1, Some(NaReason::OutOfScope));
        assert_eq!(
            req.choice_updates[&q.none_of_these_choice_id].0,
            ChoiceStatus::Unselected
        );
        assert_eq!(req.selected_choices.as_deref(), Some(&[bp1.clone()][..]));
    }

    #[test]
    fn notes_carry_evidence_and_round_trip() {
        let bank = bank();
        let mut r = review();
        r.set_selected(&bank, "SEC02-BP02", true).unwrap();
        r.set_notes(&bank, "SEC02", "Keys rotate quarterly.")
            .unwrap();
        r.answers
            .get_mut("SEC02")
            .unwrap()
            .bp_notes
            .insert("SEC02-BP02".into(), "CI keys".into());
        let (_, bp) = bank.bp("SEC02-BP02").unwrap();
        let check = bp.checks.first().expect("SEC02-BP02 has a check").clone();
        r.evidence.push(EvidenceItem {
            check,
            status: EvidenceStatus::Fail,
            summary: "2 old keys".into(),
            ..Default::default()
        });
        let q = bank.question("SEC02").unwrap();
        let st = desired_state(&bank, &r, q).0.unwrap();
        assert!(st.notes.starts_with("Keys rotate quarterly."));
        assert!(st.notes.contains(EVIDENCE_MARK) && st.notes.contains("SEC02-BP02: 1 fail"));
        let n = &st.choice_notes[&bp.wa_choice_id];
        assert_eq!(n, &format!("CI keys {EVIDENCE_MARK} 1 fail"));
        let (back, w) = answer_from_state(q, &st);
        assert!(w.is_empty());
        assert_eq!(back, *r.answer("SEC02").unwrap());
    }

    #[test]
    fn long_notes_truncate_with_warning() {
        let bank = bank();
        let mut r = review();
        r.set_selected(&bank, "SEC01-BP01", true).unwrap();
        r.set_notes(&bank, "SEC01", &"x".repeat(3000)).unwrap();
        r.answers
            .get_mut("SEC01")
            .unwrap()
            .bp_notes
            .insert("SEC01-BP01".into(), "y".repeat(400));
        let q = bank.question("SEC01").unwrap();
        let (st, w) = desired_state(&bank, &r, q);
        let st = st.unwrap();
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(api_len(&st.notes) <= QUESTION_NOTES_MAX && st.notes.ends_with(TRUNCATED_MARK));
        assert!(
            st.choice_notes
                .values()
                .all(|n| api_len(n) <= CHOICE_NOTES_MAX)
        );
    }

    #[test]
    fn diff_is_empty_for_same_state_and_lists_changes() {
        let bank = bank();
        let q = bank.question("SEC04").unwrap();
        let mut want = WaState::empty();
        want.selected
            .insert(q.best_practices[0].wa_choice_id.clone());
        want.notes = "n".into();
        assert!(diff_question(q, &want, &want).is_none());
        let mut have = WaState::empty();
        have.selected
            .insert(q.best_practices[1].wa_choice_id.clone());
        let ch = diff_question(q, &have, &want).unwrap();
        assert_eq!(ch.select, vec![q.best_practices[0].wa_choice_id.clone()]);
        assert_eq!(ch.unselect, vec![q.best_practices[1].wa_choice_id.clone()]);
        assert!(ch.notes_changed);
        let text = ch.describe(&|c| c.to_string());
        assert!(text.contains("+ select") && text.contains("- unselect"));
        // A question that does not apply ignores stale choices in the Tool.
        let na = WaState {
            is_applicable: false,
            reason: Some(NaReason::Other),
            ..WaState::empty()
        };
        let mut have_na = na.clone();
        have_na.selected.insert("x".into());
        assert!(diff_question(q, &have_na, &na).is_none());
        assert_eq!(
            diff_question(q, &have, &na).unwrap().applicability,
            Some(false)
        );
    }

    #[test]
    fn unknown_choice_ids_are_kept_in_notes() {
        let bank = bank();
        let q = bank.question("SEC06").unwrap();
        let mut st = WaState::empty();
        st.selected
            .insert("sec_protect_compute_reduce_surface".into());
        st.selected.insert(q.best_practices[0].wa_choice_id.clone());
        let (a, w) = answer_from_state(q, &st);
        assert_eq!(a.selected, vec![q.best_practices[0].id.clone()]);
        assert_eq!(w.len(), 1);
        assert!(
            a.notes.contains("sec_protect_compute_reduce_surface")
                && a.notes.contains(UNKNOWN_MARK)
        );
    }

    #[test]
    fn lens_drift_and_names() {
        assert_eq!(lens_drift("2022-03-31", "2024-06-27"), LensDrift::Behind);
        assert_eq!(lens_drift("2025-01-01", "2024-06-27"), LensDrift::Ahead);
        assert_eq!(lens_drift("2024-06-27", "2024-06-27"), LensDrift::Same);
        assert_eq!(lens_drift("v3", "2024-06-27"), LensDrift::Unknown);
        assert_eq!(normalize_name(" My  Shop "), normalize_name("myshop"));
    }
}
