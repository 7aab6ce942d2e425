//! Every user intent and every outside event as plain data. The keymap
//! turns keys into actions, `update` applies them, and the runtime turns
//! the returned effects into I/O.

use crate::msg::Msg;

/// A key as text inputs see it (independent of the terminal library).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKey {
    Char(char),
    Enter,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    Tab,
    BackTab,
    /// Ctrl-U: clear the current line.
    ClearLine,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    /// Quit now, without asking (SIGTERM, SIGHUP: nobody is there to
    /// answer). Unsaved changes are saved, or else written to a rescue copy.
    ForceQuit,
    /// Save now (Ctrl-S), and ask again if the file changed on disk.
    SaveNow,
    /// Pick option `n` of the open choice.
    Pick(usize),
    MoveUp,
    MoveDown,
    PageUp,
    PageDown,
    Top,
    Bottom,
    FocusNext,
    FocusPrev,
    /// Enter on a list: toggle a BP, open a plan item, ...
    Activate,
    ToggleBp,
    OpenBpNaPicker,
    OpenQuestionNaPicker,
    ToggleNoneOfThese,
    OpenNotes,
    /// Notes on the focused BP (the WA Tool's per-choice notes).
    OpenBpNotes,
    OpenFollowUp,
    /// The focused BP's follow-up list (status, edit, delete).
    OpenFollowUps,
    /// In the follow-up list: next status of the selected action.
    CycleStatus,
    /// In the follow-up list: delete the selected action.
    DeleteSelected,
    Undo,
    Redo,
    NextUnanswered,
    OpenSearch,
    OpenFilter,
    ClearFilter,
    ToggleDashboard,
    ToggleFacilitator,
    /// Per-account results (a review whose evidence spans accounts).
    ToggleAccounts,
    ToggleLanguage,
    ToggleHelp,
    /// Scroll the detail pane by this many lines, whatever has focus.
    ScrollDetail(i16),
    CollectEvidence,
    ToggleTimer,
    AddParticipant,
    AddParkingItem,
    ToggleParkingResolved,
    DeleteFacilItem,
    /// A key typed into the open editor, picker or input.
    Input(InputKey),
    /// Pasted text (bracketed paste; also how some IMEs deliver text).
    Paste(String),
    /// Confirm the open overlay (Enter, or Ctrl-S in the notes editor).
    Submit,
    /// Close the open overlay without applying it.
    Cancel,
    /// Wall-clock seconds passed (drives the meeting timer).
    Tick {
        secs: u64,
    },
    /// The runtime saved the review at this local time (`HH:MM:SS`).
    Saved {
        at: String,
    },
    SaveFailed(String),
    /// The save found the file changed on disk and wrote nothing.
    ChangedOnDisk,
    /// The file was read again from disk.
    Reloaded(Result<Box<wasec_core::Review>, String>),
    /// The review now lives at this path (a save-as succeeded).
    SavedAs {
        label: String,
        at: String,
    },
    /// A rescue copy of unsaved changes was written here (or not).
    Rescued(Result<String, String>),
    Background(Msg),
}

/// Side effects `update` asks the runtime to perform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write the review through the store (atomic save), unless the file
    /// changed on disk.
    Save,
    /// Write it even though the file changed on disk ("keep mine").
    Overwrite,
    /// Read the file again from disk.
    Reload,
    /// Write the review to a new file and keep working there.
    SaveAs(std::path::PathBuf),
    /// Write the review to a rescue copy (quitting with a failing save).
    Rescue,
    /// Hand the review to the evidence collector.
    StartCollect,
}
