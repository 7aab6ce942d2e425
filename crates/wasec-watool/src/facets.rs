//! Facets: a question (or a workload) cut into the small parts a
//! three-way sync compares one by one, keyed by WA Tool ids.
//!
//! | key | value (default first) |
//! |---|---|
//! | `applicable` | `yes`, `no:<reason>` |
//! | `choice/<choice id>` | `unselected`, `selected`, `na:<reason>` |
//! | `note/<choice id>`, `evidence/<choice id>` | per-choice reviewer text and evidence line |
//! | `notes`, `evidence` | question notes: reviewer text and evidence summary |
//! | `description`, `environment`, `review_owner`, `account_ids`, `aws_regions`, `non_aws_regions` | workload fields |
//!
//! A Tool or base map leaves defaults out. A *wanted* map (what the review
//! says) holds exactly the keys the review has an opinion on, defaults
//! included; a key it leaves out is the Tool's to keep.

use crate::mapping::{self, WaState};
use crate::notes;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use wasec_core::bank::Question;
use wasec_core::review::NaReason;
pub use wasec_core::review::sync::Facets;

pub const APPLICABLE: &str = "applicable";
pub const NOTES: &str = "notes";
pub const EVIDENCE: &str = "evidence";
pub const SELECTED: &str = "selected";
pub const UNSELECTED: &str = "unselected";
/// Workload fields that are free text (kept as fingerprints in a base).
const TEXT_FIELDS: [&str; 2] = ["description", "review_owner"];

pub fn choice_key(id: &str) -> String {
    format!("choice/{id}")
}

pub fn note_key(id: &str) -> String {
    format!("note/{id}")
}

pub fn evidence_key(id: &str) -> String {
    format!("evidence/{id}")
}

/// The choice id of a `choice/`, `note/` or `evidence/` key.
pub fn choice_of(key: &str) -> Option<&str> {
    key.strip_prefix("choice/")
        .or_else(|| key.strip_prefix("note/"))
        .or_else(|| key.strip_prefix("evidence/"))
}

pub fn default_of(key: &str) -> &'static str {
    if key == APPLICABLE {
        "yes"
    } else if key.starts_with("choice/") {
        UNSELECTED
    } else {
        ""
    }
}

fn is_text(key: &str) -> bool {
    key == NOTES
        || key == EVIDENCE
        || key.starts_with("note/")
        || key.starts_with("evidence/")
        || TEXT_FIELDS.contains(&key)
}

/// A value of a map where absent means default.
pub fn get<'a>(f: &'a Facets, key: &str) -> &'a str {
    f.get(key).map(String::as_str).unwrap_or(default_of(key))
}

/// What a base keeps of a value: nothing for the default, a short hash
/// for free text, the value itself otherwise.
pub fn fingerprint(key: &str, value: &str) -> Option<String> {
    if value == default_of(key) {
        return None;
    }
    if !is_text(key) {
        return Some(value.to_string());
    }
    let digest = Sha256::digest(value.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    Some(format!("h:{hex}"))
}

pub fn fingerprints(values: &Facets) -> Facets {
    values
        .iter()
        .filter_map(|(k, v)| fingerprint(k, v).map(|f| (k.clone(), f)))
        .collect()
}

/// Whether `value` is what a base recorded for `key`.
pub fn same_as_base(base: &Facets, key: &str, value: &str) -> bool {
    fingerprint(key, value).as_deref() == base.get(key).map(String::as_str)
}

pub fn status_value(status: Option<NaReason>, selected: bool) -> String {
    match (selected, status) {
        (true, _) => SELECTED.into(),
        (false, Some(r)) => format!("na:{}", r.as_str()),
        (false, None) => UNSELECTED.into(),
    }
}

/// `na:<reason>` -> the reason.
pub fn na_reason(value: &str) -> Option<NaReason> {
    value.strip_prefix("na:").and_then(NaReason::parse)
}

/// `no:<reason>` -> the reason (None while the question applies).
pub fn not_applicable_reason(value: &str) -> Option<NaReason> {
    value
        .strip_prefix("no:")
        .map(|r| NaReason::parse(r).unwrap_or(NaReason::None))
}

fn insert(f: &mut Facets, key: String, value: String) {
    if value != default_of(&key) {
        f.insert(key, value);
    }
}

/// The Tool's state of a question as facets (full texts, defaults left out).
pub fn from_tool(st: &WaState) -> Facets {
    let mut f = Facets::new();
    if !st.is_applicable {
        let r = st.reason.unwrap_or(NaReason::None);
        insert(&mut f, APPLICABLE.into(), format!("no:{}", r.as_str()));
    }
    let ids: BTreeSet<&String> = st.selected.iter().chain(st.not_applicable.keys()).collect();
    for c in ids {
        let v = status_value(st.not_applicable.get(c).copied(), st.selected.contains(c));
        insert(&mut f, choice_key(c), v);
    }
    let (text, ev) = notes::split(&st.notes);
    insert(&mut f, NOTES.into(), text);
    insert(&mut f, EVIDENCE.into(), ev);
    for (c, n) in &st.choice_notes {
        let (text, ev) = notes::split(n);
        insert(&mut f, note_key(c), text);
        insert(&mut f, evidence_key(c), ev);
    }
    f
}

/// The selected choice ids of a facet map.
pub fn selected(f: &Facets) -> BTreeSet<String> {
    f.iter()
        .filter(|(k, v)| k.starts_with("choice/") && v.as_str() == SELECTED)
        .filter_map(|(k, _)| choice_of(k).map(str::to_string))
        .collect()
}

/// Every choice id a map mentions.
pub fn choice_ids(f: &Facets) -> BTreeSet<String> {
    f.keys()
        .filter_map(|k| choice_of(k).map(str::to_string))
        .collect()
}

/// Whether `choice` is one of the question's bank choices (a BP or "none of these").
pub fn is_bank_choice(q: &Question, choice: &str) -> bool {
    mapping::bank_choice_ids(q).contains(&choice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_state_round_trips_through_facets() {
        let mut st = WaState::empty();
        st.selected.insert("a".into());
        st.not_applicable.insert("b".into(), NaReason::OutOfScope);
        st.choice_notes
            .insert("a".into(), format!("mine {} 1 pass", notes::EVIDENCE_MARK));
        st.notes = "q notes".into();
        let f = from_tool(&st);
        assert_eq!(get(&f, "choice/a"), "selected");
        assert_eq!(get(&f, "choice/b"), "na:out_of_scope");
        assert_eq!(get(&f, "choice/c"), "unselected");
        assert_eq!(get(&f, "note/a"), "mine");
        assert_eq!(get(&f, "evidence/a"), "1 pass");
        assert_eq!(get(&f, APPLICABLE), "yes");
        assert_eq!(selected(&f), BTreeSet::from(["a".to_string()]));
        assert_eq!(na_reason(get(&f, "choice/b")), Some(NaReason::OutOfScope));
    }

    #[test]
    fn fingerprints_hide_texts_and_drop_defaults() {
        assert_eq!(fingerprint(NOTES, ""), None);
        assert_eq!(fingerprint("choice/x", UNSELECTED), None);
        assert_eq!(
            fingerprint("choice/x", "na:other").as_deref(),
            Some("na:other")
        );
        let h = fingerprint(NOTES, "secret plan").unwrap();
        assert!(h.starts_with("h:") && !h.contains("secret") && h.len() == 14);
        assert_ne!(fingerprint(NOTES, "a"), fingerprint(NOTES, "b"));
        let mut base = Facets::new();
        base.insert(NOTES.into(), h);
        assert!(same_as_base(&base, NOTES, "secret plan"));
        assert!(!same_as_base(&base, NOTES, "other"));
        assert!(same_as_base(&base, "choice/x", UNSELECTED));
        assert_eq!(
            not_applicable_reason("no:business_priorities"),
            Some(NaReason::BusinessPriorities)
        );
        assert_eq!(not_applicable_reason("yes"), None);
    }
}
