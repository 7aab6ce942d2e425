//! The three-way merge: per facet, compare what the review wants, what the
//! Tool holds and what both had at the last sync (the base).
//!
//! * The review has no opinion, or did not change it since the base: the
//!   Tool's value stays (a choice selected or a note written only in the
//!   console is never undone).
//! * Only the review changed it: the review's value is written.
//! * Both changed it, differently: a conflict, settled by `--prefer`.
//!
//! Without a base (first sync) everything counts as changed from the
//! default, so a value only one side has is taken from that side and two
//! different values conflict.

use crate::facets::{self, APPLICABLE, Facets};
use crate::mapping::{ChoiceStatus, ChoiceUpdate, UpdateRequest};
use crate::notes;
use std::collections::BTreeSet;
use wasec_core::review::sync::SyncSide;

/// Which side wins a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefer {
    Wasec,
    Tool,
}

/// How a facet's value was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Both sides hold the same value.
    Same,
    /// The review's change goes to the Tool.
    Take,
    /// The Tool's value stays.
    Keep,
    /// Both changed it; `Some` when `--prefer` settled it.
    Conflict(Option<Prefer>),
}

/// One facet's merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub key: String,
    /// The review's value (None: no opinion).
    pub wasec: Option<String>,
    pub tool: String,
    pub result: String,
    pub how: How,
    /// The Tool's value changed since the base (someone edited it there).
    pub tool_changed: bool,
}

impl Merged {
    pub fn is_conflict(&self) -> bool {
        matches!(self.how, How::Conflict(_))
    }

    pub fn unsettled(&self) -> bool {
        self.how == How::Conflict(None)
    }
}

/// The base of one question or workload: (wasec side, Tool side).
pub type Base<'a> = (Option<&'a Facets>, Option<&'a Facets>);

/// The base entries of a question in a stored base.
pub fn question_base<'a>(w: Option<&'a SyncSide>, t: Option<&'a SyncSide>, qid: &str) -> Base<'a> {
    (
        w.and_then(|s| s.questions.get(qid)),
        t.and_then(|s| s.questions.get(qid)),
    )
}

/// Merge every facet either side mentions.
pub fn merge(want: &Facets, tool: &Facets, base: Base, prefer: Option<Prefer>) -> Vec<Merged> {
    let empty = Facets::new();
    let (bw, bt) = (base.0.unwrap_or(&empty), base.1.unwrap_or(&empty));
    let keys: BTreeSet<&String> = want.keys().chain(tool.keys()).collect();
    keys.into_iter()
        .map(|k| merge_one(k, want.get(k), facets::get(tool, k), bw, bt, prefer))
        .collect()
}

fn merge_one(
    key: &str,
    w: Option<&String>,
    t: &str,
    bw: &Facets,
    bt: &Facets,
    prefer: Option<Prefer>,
) -> Merged {
    let tool_changed = !facets::same_as_base(bt, key, t);
    let (result, how) = match w {
        None => (t.to_string(), How::Keep),
        Some(w) if w == t => (t.to_string(), How::Same),
        Some(w) => {
            let wasec_changed = !facets::same_as_base(bw, key, w);
            match (wasec_changed, tool_changed, prefer) {
                (false, _, _) => (t.to_string(), How::Keep),
                (true, false, _) => (w.clone(), How::Take),
                (true, true, Some(Prefer::Wasec)) => (w.clone(), How::Conflict(prefer)),
                (true, true, Some(Prefer::Tool)) => (t.to_string(), How::Conflict(prefer)),
                (true, true, None) => (t.to_string(), How::Conflict(None)),
            }
        }
    };
    Merged {
        key: key.to_string(),
        wasec: w.cloned(),
        tool: t.to_string(),
        result,
        how,
        tool_changed,
    }
}

/// "None of these" selected beside a choice the other side selected is a
/// contradiction the per-facet merge cannot see: make it a conflict of
/// every facet involved, settled the same way as any other.
pub fn check_none_of_these(merged: &mut [Merged], none_id: &str, prefer: Option<Prefer>) {
    let none_key = facets::choice_key(none_id);
    let selected = |m: &Merged| m.key.starts_with("choice/") && m.result == facets::SELECTED;
    let Some(none) = merged.iter().find(|m| m.key == none_key && selected(m)) else {
        return;
    };
    let none_from_wasec = none.how == How::Take || (none.how == How::Same && none.wasec.is_some());
    let involved: Vec<usize> = merged
        .iter()
        .enumerate()
        .filter(|(_, m)| m.key != none_key && selected(m))
        .filter(|(_, m)| {
            // A choice selected by the other side than "none of these".
            let from_tool = m.how == How::Keep && m.wasec.as_deref() != Some(facets::SELECTED);
            let from_wasec = m.how == How::Take;
            (none_from_wasec && from_tool) || (!none_from_wasec && from_wasec)
        })
        .map(|(i, _)| i)
        .collect();
    if involved.is_empty() {
        return;
    }
    let settle = |m: &mut Merged| {
        m.how = How::Conflict(prefer);
        m.result = match prefer {
            Some(Prefer::Wasec) => m.wasec.clone().unwrap_or_else(|| facets::UNSELECTED.into()),
            _ => m.tool.clone(),
        };
    };
    for i in involved {
        settle(&mut merged[i]);
    }
    if let Some(n) = merged.iter_mut().find(|m| m.key == none_key) {
        settle(n);
    }
}

/// The merged values as a facet map (defaults left out).
pub fn results(merged: &[Merged]) -> Facets {
    merged
        .iter()
        .filter(|m| m.result != facets::default_of(&m.key))
        .map(|m| (m.key.clone(), m.result.clone()))
        .collect()
}

/// The Tool's raw notes, so an unchanged text is sent back byte for byte.
#[derive(Debug, Clone, Default)]
pub struct RawNotes {
    pub question: String,
    pub choices: std::collections::BTreeMap<String, String>,
}

/// Texts composing had to cut: (choice id or None for the question, what).
pub type Cuts = Vec<(Option<String>, notes::Cut)>;

fn composed(
    f: &Facets,
    text_key: &str,
    ev_key: &str,
    sep: &str,
    max: usize,
) -> (String, notes::Cut) {
    notes::compose(facets::get(f, text_key), facets::get(f, ev_key), sep, max)
}

/// Notes to send: the new text when it changed (even empty: a deliberate
/// clear), the current one when the call is made for other reasons and it
/// is not empty (so the call can never wipe it), otherwise nothing.
fn notes_field(new: Option<String>, current: &str) -> Option<String> {
    match new {
        Some(n) => Some(n),
        None if !current.is_empty() => Some(current.to_string()),
        None => None,
    }
}

/// The UpdateAnswer body that moves the Tool from `tool` to `result`, or
/// None when nothing changes. `raw` are the Tool's notes as stored.
pub fn request(tool: &Facets, result: &Facets, raw: &RawNotes) -> Option<(UpdateRequest, Cuts)> {
    if tool == result {
        return None;
    }
    let mut req = UpdateRequest::default();
    let mut cuts = Cuts::new();
    let (ra, ta) = (
        facets::get(result, APPLICABLE),
        facets::get(tool, APPLICABLE),
    );
    if ra != ta {
        req.is_applicable = Some(ra == "yes");
        req.reason = facets::not_applicable_reason(ra);
    }
    let text_changed = [facets::NOTES, facets::EVIDENCE]
        .iter()
        .any(|k| facets::get(tool, k) != facets::get(result, k));
    let new_notes = text_changed.then(|| {
        let (n, cut) = composed(
            result,
            facets::NOTES,
            facets::EVIDENCE,
            "\n\n",
            notes::QUESTION_NOTES_MAX,
        );
        cuts.push((None, cut));
        n
    });
    req.notes = notes_field(new_notes, &raw.question);
    if ra == "yes" {
        choice_changes(tool, result, raw, &mut req, &mut cuts);
    }
    cuts.retain(|(_, c)| c.text || c.evidence);
    Some((req, cuts))
}

fn choice_changes(
    tool: &Facets,
    result: &Facets,
    raw: &RawNotes,
    req: &mut UpdateRequest,
    cuts: &mut Cuts,
) {
    let (sel_r, sel_t) = (facets::selected(result), facets::selected(tool));
    if sel_r != sel_t {
        req.selected_choices = Some(sel_r.iter().cloned().collect());
    }
    let ids: BTreeSet<String> = facets::choice_ids(result)
        .union(&facets::choice_ids(tool))
        .cloned()
        .collect();
    for c in ids {
        let (ck, nk, ek) = (
            facets::choice_key(&c),
            facets::note_key(&c),
            facets::evidence_key(&c),
        );
        let status_changed = facets::get(result, &ck) != facets::get(tool, &ck);
        let note_changed = facets::get(result, &nk) != facets::get(tool, &nk)
            || facets::get(result, &ek) != facets::get(tool, &ek);
        if !status_changed && !note_changed {
            continue;
        }
        let new_note = note_changed.then(|| {
            let (n, cut) = composed(result, &nk, &ek, " ", notes::CHOICE_NOTES_MAX);
            cuts.push((Some(c.clone()), cut));
            n
        });
        let current = raw.choices.get(&c).map(String::as_str).unwrap_or_default();
        let status = facets::get(result, &ck);
        req.choice_updates.insert(
            c,
            ChoiceUpdate {
                status: match status {
                    facets::SELECTED => ChoiceStatus::Selected,
                    s if s.starts_with("na:") => ChoiceStatus::NotApplicable,
                    _ => ChoiceStatus::Unselected,
                },
                reason: facets::na_reason(status),
                notes: notes_field(new_note, current),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(pairs: &[(&str, &str)]) -> Facets {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn how(m: &[Merged], key: &str) -> How {
        m.iter().find(|x| x.key == key).unwrap().how
    }

    #[test]
    fn without_a_base_each_side_contributes_and_differences_conflict() {
        let want = f(&[
            ("choice/a", "selected"),
            ("choice/b", "unselected"),
            ("notes", "mine"),
        ]);
        let tool = f(&[
            ("choice/b", "selected"),
            ("choice/c", "selected"),
            ("notes", "theirs"),
        ]);
        let m = merge(&want, &tool, (None, None), None);
        assert_eq!(how(&m, "choice/a"), How::Take);
        assert_eq!(how(&m, "choice/b"), How::Keep, "the Tool-only choice stays");
        assert_eq!(how(&m, "choice/c"), How::Keep);
        assert_eq!(how(&m, "notes"), How::Conflict(None));
        let r = results(&m);
        assert_eq!(facets::selected(&r).len(), 3);
        assert_eq!(
            r["notes"], "theirs",
            "an unsettled conflict changes nothing"
        );
    }

    #[test]
    fn with_a_base_only_real_changes_count() {
        let base_w = facets::fingerprints(&f(&[("choice/a", "selected"), ("notes", "v1")]));
        let base_t = facets::fingerprints(&f(&[
            ("choice/a", "selected"),
            ("choice/x", "selected"),
            ("notes", "v1"),
        ]));
        // wasec unselected a; the console changed nothing; x is Tool-only.
        let want = f(&[("choice/a", "unselected"), ("notes", "v1")]);
        let tool = f(&[
            ("choice/a", "selected"),
            ("choice/x", "selected"),
            ("notes", "v1"),
        ]);
        let m = merge(&want, &tool, (Some(&base_w), Some(&base_t)), None);
        assert_eq!(how(&m, "choice/a"), How::Take);
        assert_eq!(how(&m, "choice/x"), How::Keep);
        assert!(!m.iter().any(Merged::is_conflict));
        // Both edited the notes since the base.
        let want = f(&[("notes", "wasec v2")]);
        let tool = f(&[("notes", "console v2")]);
        let m = merge(&want, &tool, (Some(&base_w), Some(&base_t)), None);
        let n = m.iter().find(|x| x.key == "notes").unwrap();
        assert!(n.unsettled() && n.tool_changed);
        for (p, expect) in [(Prefer::Wasec, "wasec v2"), (Prefer::Tool, "console v2")] {
            let m = merge(&want, &tool, (Some(&base_w), Some(&base_t)), Some(p));
            assert_eq!(results(&m)["notes"], expect);
        }
        // The console edited; wasec did not: the console's text stays.
        let want = f(&[("notes", "v1")]);
        let m = merge(&want, &tool, (Some(&base_w), Some(&base_t)), None);
        assert_eq!(how(&m, "notes"), How::Keep);
    }

    #[test]
    fn none_of_these_beside_a_tool_choice_is_a_conflict() {
        let want = f(&[("choice/q_no", "selected"), ("choice/a", "unselected")]);
        let tool = f(&[("choice/a", "selected")]);
        let mut m = merge(&want, &tool, (None, None), None);
        check_none_of_these(&mut m, "q_no", None);
        assert!(m.iter().filter(|x| x.unsettled()).count() == 2, "{m:?}");
        let mut m = merge(&want, &tool, (None, None), Some(Prefer::Wasec));
        check_none_of_these(&mut m, "q_no", Some(Prefer::Wasec));
        assert_eq!(
            facets::selected(&results(&m)),
            BTreeSet::from(["q_no".to_string()])
        );
    }

    #[test]
    fn requests_send_only_changes_and_never_wipe_notes() {
        let tool = f(&[
            ("choice/a", "selected"),
            ("note/a", "console note"),
            ("choice/x", "selected"),
            ("notes", "q"),
        ]);
        let mut result = tool.clone();
        result.insert("choice/b".into(), "selected".into());
        let raw = RawNotes {
            question: "q".into(),
            choices: [("a".to_string(), "console note".to_string())].into(),
        };
        let (req, cuts) = request(&tool, &result, &raw).unwrap();
        assert!(cuts.is_empty());
        assert_eq!(
            req.selected_choices.as_deref(),
            Some(&["a".to_string(), "b".into(), "x".into()][..])
        );
        assert_eq!(req.choice_updates.len(), 1, "only b changes: {req:?}");
        assert_eq!(req.choice_updates["b"].notes, None, "no empty notes sent");
        assert_eq!(
            req.notes.as_deref(),
            Some("q"),
            "unchanged notes are sent back as they are"
        );
        assert!(req.is_applicable.is_none());
        assert!(request(&tool, &tool, &raw).is_none());
        // A deliberate clear is sent.
        let mut cleared = tool.clone();
        cleared.remove("note/a");
        let (req, _) = request(&tool, &cleared, &raw).unwrap();
        assert_eq!(req.choice_updates["a"].notes.as_deref(), Some(""));
        assert_eq!(req.choice_updates["a"].status, ChoiceStatus::Selected);
    }
}
