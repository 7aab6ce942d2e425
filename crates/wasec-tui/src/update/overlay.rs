//! Keys and text for the open overlay: pickers, editors, forms, help.

use super::{keep_focus_after, keep_focus_while, mutate, step, undo_redo};
use crate::action::{Action, Effect, InputKey};
use crate::app::{
    App, Choice, FILTER_OPTIONS, FollowUpForm, LinePurpose, NaTarget, NotesTarget, Overlay, Pane,
    Prompt,
};
use wasec_core::review::{FollowUp, ParkingItem};

pub(super) fn overlay(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(mut ov) = app.overlay.take() else {
        return vec![];
    };
    let mut keep = true;
    let mut fx = vec![];
    match (&mut ov, action) {
        (
            Overlay::Choose {
                prompt,
                options,
                sel,
                resume,
            },
            a,
        ) => {
            let picked = match a {
                Action::MoveDown => {
                    *sel = step(*sel, 1, options.len());
                    None
                }
                Action::MoveUp => {
                    *sel = step(*sel, -1, options.len());
                    None
                }
                Action::Submit => options.get(*sel).copied(),
                Action::Pick(i) => options.get(i).copied(),
                Action::Cancel | Action::Quit => Some(match prompt {
                    Prompt::DiscardEdit => Choice::KeepEditing,
                    _ => Choice::Stay,
                }),
                _ => None,
            };
            if let Some(choice) = picked {
                let resume = resume.take();
                return match choice {
                    Choice::KeepEditing => {
                        app.overlay = resume.map(|b| *b);
                        vec![]
                    }
                    Choice::SaveEdit => {
                        app.overlay = resume.map(|b| *b);
                        overlay(app, Action::Submit)
                    }
                    Choice::Discard => {
                        app.overlay = resume.and_then(|b| close_editor(app, *b));
                        vec![]
                    }
                    other => super::saving::chosen(app, *prompt, other),
                };
            }
        }
        (Overlay::SaveAs { input, quit_after }, a) => match a {
            Action::Input(k) => {
                input.key(&k);
            }
            Action::Paste(s) => input.insert_str(&s),
            Action::Submit => {
                let path = input.text.trim().to_string();
                if !path.is_empty() {
                    keep = false;
                    app.quitting = *quit_after;
                    fx = vec![Effect::SaveAs(path.into())];
                }
            }
            Action::Cancel | Action::Quit => {
                keep = false;
                app.quitting = false;
            }
            _ => {}
        },
        (_, Action::Cancel | Action::Quit) => {
            if has_typed_text(&ov) {
                // Typed text is work: never drop it without asking.
                ov = Overlay::Choose {
                    prompt: Prompt::DiscardEdit,
                    options: vec![Choice::KeepEditing, Choice::SaveEdit, Choice::Discard],
                    sel: 0,
                    resume: Some(Box::new(ov)),
                };
            } else {
                match close_editor(app, ov) {
                    Some(next) => ov = next,
                    None => return vec![],
                }
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
        (Overlay::Notes { target, editor, .. }, a) => match a {
            Action::Input(k) => {
                editor.key(&k);
            }
            Action::Paste(s) => editor.insert_str(&s),
            Action::Submit => {
                keep = false;
                let text = editor.text.clone();
                fx = match target.clone() {
                    NotesTarget::Question(q) => mutate(app, |r, b| r.set_notes(b, &q, &text)),
                    NotesTarget::Bp(bp) => mutate(app, |r, b| r.set_bp_notes(b, &bp, &text)),
                };
            }
            _ => {}
        },
        (Overlay::FollowUps { bp, sel }, a) => {
            let bp = bp.clone();
            let count = app.review.follow_ups.get(&bp).map_or(0, Vec::len);
            match a {
                Action::MoveDown => *sel = step(*sel, 1, count),
                Action::MoveUp => *sel = step(*sel, -1, count),
                Action::OpenFollowUp => {
                    ov = Overlay::FollowUp {
                        bp: bp.clone(),
                        index: None,
                        from_list: true,
                        form: FollowUpForm::default(),
                        original: Box::default(),
                    }
                }
                Action::Submit if *sel < count => {
                    let form = FollowUpForm::from_action(&app.review.follow_ups[&bp][*sel]);
                    ov = Overlay::FollowUp {
                        original: Box::new(form.clone()),
                        form,
                        index: Some(*sel),
                        from_list: true,
                        bp: bp.clone(),
                    }
                }
                Action::CycleStatus if *sel < count => {
                    let i = *sel;
                    fx = mutate(app, |r, b| {
                        let mut f = r.follow_ups[&bp][i].clone();
                        f.status = f.status.cycle();
                        r.set_follow_up(b, &bp, i, f)
                    });
                }
                Action::DeleteSelected if *sel < count => {
                    let i = *sel;
                    fx = mutate(app, |r, b| r.remove_follow_up(b, &bp, i).map(|_| ()));
                }
                Action::Undo => fx = undo_redo(app, true),
                _ => {}
            }
            // Deletes and undo change the length under the cursor.
            if let Overlay::FollowUps { sel, .. } = &mut ov {
                let now = app.review.follow_ups.get(&bp).map_or(0, Vec::len);
                *sel = (*sel).min(now.saturating_sub(1));
            }
        }
        (
            Overlay::FollowUp {
                bp,
                index,
                from_list,
                form,
                ..
            },
            a,
        ) => match a {
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
                Ok(mut f) => {
                    let bp = bp.clone();
                    fx = match *index {
                        None => mutate(app, |r, b| r.add_follow_up(b, &bp, f).map(|_| ())),
                        Some(i) => mutate(app, |r, b| {
                            // An edit keeps the status the list set.
                            f.status = r.follow_ups[&bp][i].status;
                            r.set_follow_up(b, &bp, i, f)
                        }),
                    };
                    if *from_list {
                        // Back to the list, on the action just written.
                        let count = app.review.follow_ups.get(&bp).map_or(0, Vec::len);
                        let sel = index.unwrap_or(count.saturating_sub(1));
                        ov = Overlay::FollowUps { bp, sel };
                    } else {
                        keep = false;
                    }
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

/// An editor holds text that is not in the review yet.
fn has_typed_text(ov: &Overlay) -> bool {
    match ov {
        Overlay::Notes {
            editor, original, ..
        } => editor.text != *original,
        Overlay::FollowUp { form, original, .. } => form
            .fields
            .iter()
            .zip(&original.fields)
            .any(|(a, b)| a.text != b.text),
        Overlay::Line { input, .. } => !input.text.trim().is_empty(),
        _ => false,
    }
}

/// Leave an overlay without applying it; returns what to show next (the
/// follow-up list a form came from), if anything.
fn close_editor(app: &mut App, ov: Overlay) -> Option<Overlay> {
    match ov {
        Overlay::Search { .. } => {
            keep_focus_while(app, |app| app.filter.text.clear());
            None
        }
        Overlay::FollowUp {
            bp,
            index,
            from_list: true,
            ..
        } => Some(Overlay::FollowUps {
            bp,
            sel: index.unwrap_or(0),
        }),
        _ => None,
    }
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
        id: String::new(),
        text: text.to_string(),
        owner: form.fields[1].text.trim().to_string(),
        due,
        status: Default::default(),
    })
}
