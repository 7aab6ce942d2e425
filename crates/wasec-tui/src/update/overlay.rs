//! Keys and text for the open overlay: pickers, editors, forms, help.

use super::{keep_focus_after, keep_focus_while, mutate, step};
use crate::action::{Action, Effect, InputKey};
use crate::app::{App, FILTER_OPTIONS, FollowUpForm, LinePurpose, NaTarget, Overlay, Pane};
use wasec_core::review::{FollowUp, ParkingItem};

pub(super) fn overlay(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(mut ov) = app.overlay.take() else {
        return vec![];
    };
    let mut keep = true;
    let mut fx = vec![];
    match (&mut ov, action) {
        (_, Action::Cancel) => {
            keep = false;
            if let Overlay::Search { .. } = ov {
                keep_focus_while(app, |app| app.filter.text.clear());
            }
        }
        (Overlay::Help { scroll }, a) => match a {
            Action::MoveDown => *scroll = scroll.saturating_add(1),
            Action::MoveUp => *scroll = scroll.saturating_sub(1),
            Action::PageDown => *scroll = scroll.saturating_add(10),
            Action::PageUp => *scroll = scroll.saturating_sub(10),
            _ => keep = false,
        },
        (
            Overlay::NaPicker {
                target,
                options,
                sel,
            },
            a,
        ) => match a {
            Action::MoveDown => *sel = step(*sel, 1, options.len()),
            Action::MoveUp => *sel = step(*sel, -1, options.len()),
            Action::Submit => {
                keep = false;
                let reason = options[*sel];
                fx = match target.clone() {
                    NaTarget::Bp(bp) => {
                        keep_focus_after(app, |app| mutate(app, |r, b| r.set_bp_na(b, &bp, reason)))
                    }
                    NaTarget::Question(q) => mutate(app, |r, b| r.set_question_na(b, &q, reason)),
                };
            }
            _ => {}
        },
        (Overlay::FilterPicker { sel }, a) => match a {
            Action::MoveDown => *sel = step(*sel, 1, FILTER_OPTIONS.len()),
            Action::MoveUp => *sel = step(*sel, -1, FILTER_OPTIONS.len()),
            Action::Submit => {
                keep = false;
                let kind = FILTER_OPTIONS[*sel];
                keep_focus_while(app, |app| app.filter.kind = kind);
                app.focus = Pane::Bps;
            }
            _ => {}
        },
        (Overlay::Notes { question, editor }, a) => match a {
            Action::Input(k) => {
                editor.key(&k);
            }
            Action::Paste(s) => editor.insert_str(&s),
            Action::Submit => {
                keep = false;
                let (q, text) = (question.clone(), editor.text.clone());
                fx = mutate(app, |r, b| r.set_notes(b, &q, &text));
            }
            _ => {}
        },
        (Overlay::FollowUp { bp, form }, a) => match a {
            Action::Input(InputKey::Tab) | Action::Input(InputKey::Down) => {
                form.focus = (form.focus + 1) % 3
            }
            Action::Input(InputKey::BackTab) | Action::Input(InputKey::Up) => {
                form.focus = (form.focus + 2) % 3
            }
            Action::Input(k) => {
                form.fields[form.focus].key(&k);
            }
            Action::Paste(s) => form.fields[form.focus].insert_str(&s),
            Action::Submit => match parse_follow_up(form, app.lang) {
                Ok(f) => {
                    keep = false;
                    let bp = bp.clone();
                    fx = mutate(app, |r, b| r.add_follow_up(b, &bp, f));
                }
                Err(e) => form.error = Some(e),
            },
            _ => {}
        },
        (Overlay::Search { input }, a) => match a {
            Action::Input(k) => {
                input.key(&k);
                let text = input.text.clone();
                app.filter.text = text;
                app.bp_idx = 0;
                app.focus = Pane::Bps;
            }
            Action::Paste(s) => {
                input.insert_str(&s);
                app.filter.text = input.text.clone();
                app.bp_idx = 0;
            }
            Action::Submit => {
                keep = false;
                app.focus = Pane::Bps;
                if let Some((qi, _)) = app.visible_bps().get(app.bp_idx) {
                    app.q_idx = *qi;
                }
            }
            _ => {}
        },
        (Overlay::Line { purpose, input }, a) => match a {
            Action::Input(k) => {
                input.key(&k);
            }
            Action::Paste(s) => input.insert_str(&s),
            Action::Submit => {
                keep = false;
                let text = input.text.trim().to_string();
                if !text.is_empty() {
                    let qid = app.question().id.clone();
                    let purpose = *purpose;
                    fx = mutate(app, move |r, _| {
                        match purpose {
                            LinePurpose::Participant => r.facilitation.participants.push(text),
                            LinePurpose::Parking => r.facilitation.parking_lot.push(ParkingItem {
                                text,
                                question: qid,
                                resolved: false,
                            }),
                        }
                        Ok(())
                    });
                }
            }
            _ => {}
        },
    }
    if keep {
        app.overlay = Some(ov);
    }
    fx
}

fn parse_follow_up(form: &FollowUpForm, lang: wasec_core::Lang) -> Result<FollowUp, String> {
    let text = form.fields[0].text.trim();
    if text.is_empty() {
        return Err(lang
            .pick("the action text is empty", "アクションの内容が空です")
            .to_string());
    }
    let due_text = form.fields[2].text.trim();
    let due = if due_text.is_empty() {
        None
    } else {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        Some(time::Date::parse(due_text, fmt).map_err(|_| {
            format!(
                "{}: {due_text}",
                lang.pick(
                    "due date must be YYYY-MM-DD",
                    "期限は YYYY-MM-DD 形式で入力してください"
                )
            )
        })?)
    };
    Ok(FollowUp {
        text: text.to_string(),
        owner: form.fields[1].text.trim().to_string(),
        due,
        status: Default::default(),
    })
}
