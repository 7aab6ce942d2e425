//! Editing the per-BP parts of a review: follow-up actions and BP notes.

use time::macros::date;
use wasec_core::review::{ActionStatus, AnswerError, FollowUp};
use wasec_core::{Bank, Review};

fn setup() -> (Bank, Review) {
    (
        Bank::embedded().unwrap(),
        Review::new("w", date!(2026 - 01 - 01)),
    )
}

fn action(text: &str) -> FollowUp {
    FollowUp {
        id: String::new(),
        text: text.into(),
        owner: "sre".into(),
        due: Some(date!(2026 - 03 - 31)),
        status: ActionStatus::Open,
    }
}

#[test]
fn follow_ups_can_be_edited_and_removed_by_position() {
    let (b, mut r) = setup();
    r.add_follow_up(&b, "SEC02-BP01", action("one")).unwrap();
    r.add_follow_up(&b, "SEC02-BP01", action("two")).unwrap();

    let mut edited = action("two, reworded");
    edited.status = ActionStatus::Done;
    r.set_follow_up(&b, "SEC02-BP01", 1, edited.clone())
        .unwrap();
    let texts: Vec<(&str, ActionStatus)> = r.follow_ups["SEC02-BP01"]
        .iter()
        .map(|f| (f.text.as_str(), f.status))
        .collect();
    assert_eq!(
        texts,
        vec![
            ("one", ActionStatus::Open),
            ("two, reworded", ActionStatus::Done)
        ]
    );

    let gone = r.remove_follow_up(&b, "SEC02-BP01", 0).unwrap();
    assert_eq!(gone.text, "one");
    assert_eq!(r.follow_ups["SEC02-BP01"].len(), 1);
    r.remove_follow_up(&b, "SEC02-BP01", 0).unwrap();
    assert!(
        !r.follow_ups.contains_key("SEC02-BP01"),
        "an emptied list leaves no entry behind"
    );
}

#[test]
fn a_stale_index_is_an_error_not_an_append() {
    let (b, mut r) = setup();
    r.add_follow_up(&b, "SEC02-BP01", action("one")).unwrap();
    let before = r.clone();
    assert_eq!(
        r.set_follow_up(&b, "SEC02-BP01", 1, action("x")),
        Err(AnswerError::NoFollowUp {
            bp: "SEC02-BP01".into(),
            index: 1
        })
    );
    assert!(r.remove_follow_up(&b, "SEC03-BP01", 0).is_err());
    assert!(matches!(
        r.remove_follow_up(&b, "SEC99-BP01", 0),
        Err(AnswerError::UnknownBp(_))
    ));
    assert_eq!(r, before);
    let msg = r
        .set_follow_up(&b, "SEC02-BP01", 4, action("x"))
        .unwrap_err()
        .to_string();
    assert_eq!(msg, "SEC02-BP01 has no follow-up action number 5");
}

#[test]
fn status_cycles_through_every_value_and_back() {
    let mut s = ActionStatus::Open;
    let mut seen = vec![s];
    for _ in 0..4 {
        s = s.cycle();
        seen.push(s);
    }
    assert_eq!(
        seen,
        [
            ActionStatus::Open,
            ActionStatus::InProgress,
            ActionStatus::Done,
            ActionStatus::WontDo,
            ActionStatus::Open
        ]
    );
}

#[test]
fn bp_notes_are_set_and_blank_text_removes_them() {
    let (b, mut r) = setup();
    r.set_bp_notes(&b, "SEC05-BP02", "WAF は ALB のみ\nCloudFront は未対応")
        .unwrap();
    assert_eq!(
        r.answer("SEC05").unwrap().bp_notes["SEC05-BP02"],
        "WAF は ALB のみ\nCloudFront は未対応"
    );
    r.set_bp_notes(&b, "SEC05-BP02", "  \n").unwrap();
    assert!(
        r.answer("SEC05").is_none(),
        "removing the only note leaves the question unanswered and untouched"
    );
    assert!(r.set_bp_notes(&b, "SEC05-BP99", "x").is_err());
}

#[test]
fn ids_are_stable_when_other_actions_go() {
    let (b, mut r) = setup();
    let one = r.add_follow_up(&b, "SEC02-BP01", action("one")).unwrap();
    let two = r.add_follow_up(&b, "SEC02-BP01", action("two")).unwrap();
    let three = r.add_follow_up(&b, "SEC02-BP01", action("three")).unwrap();
    assert_ne!(one, two);
    let (bp, i) = r.locate_follow_up(&one).unwrap();
    r.remove_follow_up(&b, &bp, i).unwrap();
    // Removing "one" again is an error, not a removal of "two".
    assert_eq!(
        r.locate_follow_up(&one),
        Err(AnswerError::NoFollowUpId(one.clone()))
    );
    assert_eq!(r.follow_up(&two).unwrap().2.text, "two");
    assert_eq!(r.follow_up(&three).unwrap().1, 1);
    // An edit by position keeps the id.
    r.set_follow_up(&b, "SEC02-BP01", 0, action("two, reworded"))
        .unwrap();
    assert_eq!(r.follow_up(&two).unwrap().2.text, "two, reworded");
}
