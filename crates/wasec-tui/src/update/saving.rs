//! Quitting and saving without losing work: a quit waits for the last
//! save; a failed save, or a file changed on disk, asks what to do instead
//! of quitting or overwriting; a forced quit (signal) saves or writes a
//! rescue copy. The runtime performs the effects and reports back with
//! `Saved`, `SaveFailed`, `ChangedOnDisk`, `Reloaded`, `SavedAs` or
//! `Rescued`.

use super::{Derived, clamp};
use crate::action::{Action, Effect};
use crate::app::{App, Choice, Overlay, Prompt, SaveState, UNDO_LIMIT};

/// Changes not on disk: an edit waiting, a failed or refused save, or
/// meeting time not yet written.
fn dirty(app: &App) -> bool {
    app.persistent && (app.save.unsaved() || app.unsaved_secs > 0)
}

/// `q`: quit at once when everything is on disk; otherwise save first and
/// quit when that succeeds, or ask when saving cannot work.
pub(super) fn quit(app: &mut App) -> Vec<Effect> {
    if !dirty(app) {
        app.quit = true;
        return vec![];
    }
    match app.save {
        SaveState::Failed(_) => {
            ask_unsaved_quit(app);
            vec![]
        }
        SaveState::Conflict => {
            ask(app, Prompt::ChangedOnDisk, conflict_choices(true), None);
            app.quitting = true;
            vec![]
        }
        _ => {
            app.quitting = true;
            vec![Effect::Save]
        }
    }
}

/// A signal: nobody can answer a question. Save, or if that fails write a
/// rescue copy; quit either way.
pub(super) fn force_quit(app: &mut App) -> Vec<Effect> {
    app.quit = true;
    if !dirty(app) {
        return vec![];
    }
    if app.save == SaveState::Conflict {
        return vec![Effect::Rescue];
    }
    vec![Effect::Save, Effect::Rescue]
}

/// Ctrl-S: save now; a conflict asks again.
pub(super) fn save_now(app: &mut App) -> Vec<Effect> {
    if !app.persistent {
        return vec![];
    }
    if app.save == SaveState::Conflict {
        ask(app, Prompt::ChangedOnDisk, conflict_choices(false), None);
        return vec![];
    }
    vec![Effect::Save]
}

fn ask(app: &mut App, prompt: Prompt, options: Vec<Choice>, resume: Option<Box<Overlay>>) {
    app.overlay = Some(Overlay::Choose {
        prompt,
        options,
        sel: 0,
        resume,
    });
}

fn ask_unsaved_quit(app: &mut App) {
    app.quitting = false;
    ask(
        app,
        Prompt::UnsavedQuit,
        vec![
            Choice::RetrySave,
            Choice::SaveAs,
            Choice::QuitAnyway,
            Choice::Stay,
        ],
        None,
    );
}

fn conflict_choices(quitting: bool) -> Vec<Choice> {
    let mut c = vec![Choice::Reload, Choice::KeepMine, Choice::SaveAs];
    if quitting {
        c.push(Choice::QuitAnyway);
    }
    c.push(Choice::Stay);
    c
}

/// What the runtime reports after a save, reload, save-as or rescue.
pub(super) fn outcome(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Saved { at } => {
            app.save = SaveState::Saved(at);
            app.unsaved_secs = 0;
            if app.quitting {
                app.quit = true;
            }
        }
        Action::SaveFailed(e) => {
            app.save = SaveState::Failed(e);
            if app.quitting && !app.quit {
                ask_unsaved_quit(app);
            }
        }
        Action::ChangedOnDisk => {
            let first = app.save != SaveState::Conflict;
            app.save = SaveState::Conflict;
            // Ask once when it happens (and on every quit or Ctrl-S), not
            // after every later change.
            if (first || app.quitting) && !app.quit {
                ask(
                    app,
                    Prompt::ChangedOnDisk,
                    conflict_choices(app.quitting),
                    None,
                );
            }
        }
        Action::Reloaded(Ok(review)) => {
            // Their version becomes the review; ours stays one undo away.
            let mine = std::mem::replace(&mut app.review, *review);
            app.undo.push(mine);
            if app.undo.len() > UNDO_LIMIT {
                app.undo.remove(0);
            }
            app.redo.clear();
            app.derived = Derived::compute(&app.bank, &app.review);
            clamp(app);
            app.save = SaveState::Clean;
            app.message = Some(
                app.lang
                    .pick(
                        "loaded the file from disk; u brings your version back",
                        "ディスクのファイルを読み込みました。u で自分の版に戻せます",
                    )
                    .to_string(),
            );
        }
        Action::Reloaded(Err(e)) => app.message = Some(e),
        Action::SavedAs { label, at } => {
            app.label = label;
            app.save = SaveState::Saved(at);
            app.unsaved_secs = 0;
            if app.quitting {
                app.quit = true;
            }
        }
        Action::Rescued(result) => {
            app.rescued = result.as_ref().ok().cloned();
            if let Err(e) = result {
                app.message = Some(e);
            }
        }
        _ => {}
    }
    vec![]
}

/// The user's answer to a [`Overlay::Choose`]. Answers to the quit
/// question finish the quit once they have saved.
pub(super) fn chosen(app: &mut App, prompt: Prompt, choice: Choice) -> Vec<Effect> {
    if prompt == Prompt::UnsavedQuit {
        app.quitting = true;
    }
    match choice {
        Choice::RetrySave => vec![Effect::Save],
        Choice::SaveAs => {
            app.overlay = Some(Overlay::SaveAs {
                input: crate::editor::TextEditor::new(&suggest_path(app), false),
                quit_after: app.quitting,
            });
            vec![]
        }
        Choice::QuitAnyway => {
            app.quit = true;
            vec![Effect::Rescue]
        }
        Choice::Reload => {
            app.quitting = false;
            vec![Effect::Reload]
        }
        Choice::KeepMine => vec![Effect::Overwrite],
        Choice::Stay => {
            app.quitting = false;
            vec![]
        }
        // Editor choices are handled where the editor is.
        Choice::SaveEdit | Choice::Discard | Choice::KeepEditing => vec![],
    }
}

/// A path beside the current file for "save as".
fn suggest_path(app: &App) -> String {
    let label = &app.label;
    match label.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}-copy.{ext}"),
        _ => format!("{label}-copy.yaml"),
    }
}
