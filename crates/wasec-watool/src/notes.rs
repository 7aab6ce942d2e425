//! Notes as the Tool stores them: the reviewer's text, then (after a
//! marker) the evidence summary wasec adds. Composing respects the Tool's
//! limits without ever cutting the marker; splitting gives the two parts
//! back, and also cleans the fragment an older wasec left when it cut a
//! note inside the marker.

/// Question-level notes limit (UTF-16 code units, see [`api_len`]).
pub const QUESTION_NOTES_MAX: usize = 2084;
/// Per-choice notes limit.
pub const CHOICE_NOTES_MAX: usize = 250;
/// Appended where wasec had to cut a text to fit.
pub const TRUNCATED_MARK: &str = "… [truncated by wasec]";
/// Separates the reviewer's text from the evidence summary wasec adds.
pub const EVIDENCE_MARK: &str = "[wasec evidence]";
/// Heads the block pull adds to a review's notes for Tool choices the
/// question bank does not know (never sent back to the Tool).
pub const UNKNOWN_MARK: &str = "[wasec: WA Tool choices not in the question bank]";

/// Length as the Tool may count it. Services often count UTF-16 code
/// units; that is never less than the character count, so counting it
/// keeps us inside the limit either way.
pub fn api_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Cut `s` to fit `max`, marking the cut. Returns the text and whether it was cut.
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

/// What composing had to cut.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cut {
    pub text: bool,
    pub evidence: bool,
}

/// Reviewer text plus evidence, within `max`. The evidence is cut first,
/// and dropped with its marker when even the marker does not fit; the
/// marker itself is never cut, so [`split`] always finds the boundary.
pub fn compose(text: &str, evidence: &str, sep: &str, max: usize) -> (String, Cut) {
    let text = text.trim();
    let evidence = evidence.trim();
    if evidence.is_empty() {
        let (t, cut) = truncate(text, max);
        return (
            t,
            Cut {
                text: cut,
                evidence: false,
            },
        );
    }
    let head = if text.is_empty() {
        format!("{EVIDENCE_MARK} ")
    } else {
        format!("{text}{sep}{EVIDENCE_MARK} ")
    };
    let full = format!("{head}{evidence}");
    if api_len(&full) <= max {
        return (full, Cut::default());
    }
    // Room for the head, some evidence and the cut mark?
    let room = max.saturating_sub(api_len(&head));
    if room > api_len(TRUNCATED_MARK) + 8 {
        let (ev, _) = truncate(evidence, room);
        return (
            format!("{head}{ev}"),
            Cut {
                text: false,
                evidence: true,
            },
        );
    }
    let (t, cut) = truncate(text, max);
    (
        t,
        Cut {
            text: cut,
            evidence: true,
        },
    )
}

/// (reviewer text, evidence) of notes read from the Tool.
pub fn split(notes: &str) -> (String, String) {
    match notes.find(EVIDENCE_MARK) {
        Some(i) => (
            notes[..i].trim_end().to_string(),
            notes[i + EVIDENCE_MARK.len()..].trim().to_string(),
        ),
        None => (
            drop_marker_fragment(notes).trim_end().to_string(),
            String::new(),
        ),
    }
}

/// An older wasec cut notes inside the marker, leaving for example
/// `text\n\n[wase… [truncated by wasec]`. Remove such a tail.
fn drop_marker_fragment(notes: &str) -> &str {
    let Some(head) = notes.strip_suffix(TRUNCATED_MARK) else {
        return notes;
    };
    let head_trim = head.trim_end();
    for k in (1..EVIDENCE_MARK.len()).rev() {
        if head_trim.ends_with(&EVIDENCE_MARK[..k]) {
            return &head_trim[..head_trim.len() - k];
        }
    }
    notes
}

/// The reviewer's own text of a review's notes: without the block pull
/// adds for choices the bank does not know.
pub fn reviewer_text(notes: &str) -> String {
    let head = match notes.find(UNKNOWN_MARK) {
        Some(i) => &notes[..i],
        None => notes,
    };
    head.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_marks_and_fits() {
        let (t, cut) = truncate(&"a".repeat(300), CHOICE_NOTES_MAX);
        assert!(cut && api_len(&t) <= CHOICE_NOTES_MAX && t.ends_with(TRUNCATED_MARK));
        assert_eq!(truncate("short", CHOICE_NOTES_MAX), ("short".into(), false));
        let (t, _) = truncate(&"監".repeat(2100), QUESTION_NOTES_MAX);
        assert!(api_len(&t) <= QUESTION_NOTES_MAX);
        let (t, cut) = truncate(&"🔒".repeat(200), CHOICE_NOTES_MAX);
        assert!(cut && api_len(&t) <= CHOICE_NOTES_MAX);
    }

    #[test]
    fn compose_never_cuts_the_marker() {
        let ev = "SEC02-BP01: 1 fail\nSEC02-BP02: 2 pass";
        // Every text length around the point where the marker would be cut.
        for n in 1990..2084 {
            let text = "n".repeat(n);
            let (notes, cut) = compose(&text, ev, "\n\n", QUESTION_NOTES_MAX);
            assert!(api_len(&notes) <= QUESTION_NOTES_MAX, "{n}");
            let (back, evidence) = split(&notes);
            let own = back.trim_end_matches(TRUNCATED_MARK);
            assert!(
                !own.contains('['),
                "{n}: fragment in {:?}",
                &back[back.len() - 30..]
            );
            if notes.contains(EVIDENCE_MARK) {
                assert_eq!(back, text, "{n}");
                assert!(cut.evidence || evidence == ev, "{n}");
            } else {
                assert!(cut.evidence);
                assert!(
                    text.starts_with(back.trim_end_matches(TRUNCATED_MARK)),
                    "{n}"
                );
            }
        }
        assert_eq!(compose("t", "", " ", 250).0, "t");
        assert_eq!(
            compose("", "1 pass", " ", 250).0,
            format!("{EVIDENCE_MARK} 1 pass")
        );
        assert_eq!(
            compose("CI keys", "1 fail", " ", 250).0,
            format!("CI keys {EVIDENCE_MARK} 1 fail")
        );
    }

    #[test]
    fn split_cleans_what_an_older_wasec_left() {
        let old = format!("{}\n\n[wase{TRUNCATED_MARK}", "n".repeat(40));
        assert_eq!(split(&old), ("n".repeat(40), String::new()));
        let whole = format!("kept\n\n{EVIDENCE_MARK} SEC01-BP01: 1 pass");
        assert_eq!(split(&whole), ("kept".into(), "SEC01-BP01: 1 pass".into()));
        // A reviewer's own bracket at the end stays.
        assert_eq!(split("see [link]").0, "see [link]");
        let cut_text = format!("{}{TRUNCATED_MARK}", "x".repeat(10));
        assert_eq!(split(&cut_text).0, cut_text);
    }

    #[test]
    fn reviewer_text_drops_the_unknown_choice_block() {
        let n = format!("mine\n\n{UNKNOWN_MARK} sec_x (selected)");
        assert_eq!(reviewer_text(&n), "mine");
        assert_eq!(reviewer_text("plain"), "plain");
    }
}
