//! Keys to actions. The help overlay is generated from [`HELP`], and a
//! test checks that every key listed there really maps to an action.

use crate::action::{Action, InputKey};
use crate::app::{App, Overlay, View};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// (keys, English, Japanese) for the help overlay, grouped by section
/// (a row with empty keys is a section heading).
pub const HELP: &[(&str, &str, &str)] = &[
    ("", "Move", "移動"),
    ("j k ↓ ↑", "move down / up", "下 / 上へ移動"),
    ("J K", "scroll the detail pane", "詳細ペインをスクロール"),
    (
        "PgDn PgUp",
        "move by 10 (scroll the detail pane)",
        "10 行移動（詳細はスクロール）",
    ),
    ("g G", "first / last", "先頭 / 末尾"),
    ("Tab S-Tab", "next / previous pane", "次 / 前のペイン"),
    ("]", "next unanswered question", "次の未回答の質問"),
    ("", "Answer", "回答"),
    (
        "space",
        "toggle the best practice (in place)",
        "ベストプラクティスの選択を切り替え",
    ),
    ("enter", "toggle / open / jump", "切り替え / 開く / 移動"),
    (
        "n",
        "best practice not applicable (reason)",
        "ベストプラクティスを該当なしにする（理由）",
    ),
    ("0", "none of these", "いずれも該当しない"),
    (
        "N",
        "question not applicable (reason)",
        "質問を該当なしにする（理由）",
    ),
    (
        "e",
        "edit question notes (C-s saves)",
        "質問のメモを編集（C-s で保存）",
    ),
    (
        "E",
        "edit notes on the best practice",
        "ベストプラクティスのメモを編集",
    ),
    (
        "a",
        "add a follow-up action (text, owner, due)",
        "フォローアップを追加（内容・担当・期限）",
    ),
    (
        "A",
        "follow-up list (status, edit, delete)",
        "フォローアップ一覧（状況・編集・削除）",
    ),
    ("u", "undo", "元に戻す"),
    ("C-r", "redo", "やり直す"),
    ("c", "collect evidence from AWS", "AWS からエビデンスを収集"),
    ("", "Find", "検索"),
    (
        "/",
        "search titles, services, guidance (all questions)",
        "タイトル・サービス・説明を検索（全質問）",
    ),
    (
        "f",
        "filter by risk or evidence status",
        "リスク・エビデンス状況で絞り込み",
    ),
    ("esc", "clear search and filter", "検索・絞り込みを解除"),
    ("", "Views", "画面"),
    (
        "d",
        "dashboard (enter jumps to the item)",
        "ダッシュボード（Enter で該当項目へ）",
    ),
    ("F", "facilitator mode", "ファシリテーターモード"),
    (
        "o",
        "accounts: results per AWS account",
        "アカウント別の結果",
    ),
    (
        "t",
        "start / pause the meeting timer",
        "会議タイマーの開始 / 一時停止",
    ),
    ("p", "add a participant", "参加者を追加"),
    (
        "P",
        "park an open point",
        "保留事項（パーキングロット）を追加",
    ),
    (
        "x",
        "resolve a parked point (facilitator)",
        "保留事項を解決済みにする",
    ),
    (
        "D",
        "delete the selected entry (facilitator)",
        "選択中の項目を削除",
    ),
    (
        "L",
        "switch language (English / 日本語)",
        "言語を切り替え（English / 日本語）",
    ),
    ("?", "this help", "このヘルプ"),
    (
        "C-s",
        "save now (resolves a file changed on disk)",
        "今すぐ保存（ディスク上の変更を解決）",
    ),
    (
        "q C-c",
        "quit (asks when changes are not on disk)",
        "終了（未保存の変更があれば確認）",
    ),
];

fn input_key(code: KeyCode, mods: KeyModifiers) -> Option<InputKey> {
    Some(match code {
        KeyCode::Char('u') if mods.contains(KeyModifiers::CONTROL) => InputKey::ClearLine,
        KeyCode::Char(_) if mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
            return None;
        }
        KeyCode::Char(c) => InputKey::Char(c),
        KeyCode::Enter => InputKey::Enter,
        KeyCode::Backspace => InputKey::Backspace,
        KeyCode::Delete => InputKey::Delete,
        KeyCode::Left => InputKey::Left,
        KeyCode::Right => InputKey::Right,
        KeyCode::Up => InputKey::Up,
        KeyCode::Down => InputKey::Down,
        KeyCode::Home => InputKey::Home,
        KeyCode::End => InputKey::End,
        KeyCode::Tab => InputKey::Tab,
        KeyCode::BackTab => InputKey::BackTab,
        _ => return None,
    })
}

/// The action for a key press in the app's current state, if any.
pub fn map(app: &App, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        // Inside an editor or a question, Ctrl-C backs out (asking before
        // typed text is dropped); elsewhere it quits (asking when changes
        // are not on disk).
        return Some(match &app.overlay {
            Some(
                Overlay::Notes { .. }
                | Overlay::FollowUp { .. }
                | Overlay::Line { .. }
                | Overlay::Search { .. }
                | Overlay::Choose { .. }
                | Overlay::SaveAs { .. },
            ) => Action::Cancel,
            _ => Action::Quit,
        });
    }
    match &app.overlay {
        Some(ov) => overlay_key(ov, key),
        None => normal_key(app, key),
    }
}

fn overlay_key(ov: &Overlay, key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match ov {
        Overlay::Help { .. } => Some(match key.code {
            KeyCode::Char('j') | KeyCode::Down => Action::MoveDown,
            KeyCode::Char('k') | KeyCode::Up => Action::MoveUp,
            KeyCode::PageDown | KeyCode::Char(' ') => Action::PageDown,
            KeyCode::PageUp => Action::PageUp,
            _ => Action::Cancel,
        }),
        Overlay::NaPicker { .. } | Overlay::FilterPicker { .. } => Some(match key.code {
            KeyCode::Char('j') | KeyCode::Down | KeyCode::Tab => Action::MoveDown,
            KeyCode::Char('k') | KeyCode::Up | KeyCode::BackTab => Action::MoveUp,
            KeyCode::Enter | KeyCode::Char(' ') => Action::Submit,
            KeyCode::Esc | KeyCode::Char('q') => Action::Cancel,
            _ => return None,
        }),
        Overlay::FollowUps { .. } => Some(match key.code {
            KeyCode::Char('j') | KeyCode::Down => Action::MoveDown,
            KeyCode::Char('k') | KeyCode::Up => Action::MoveUp,
            KeyCode::Enter | KeyCode::Char('e') => Action::Submit,
            KeyCode::Char('s') | KeyCode::Char(' ') => Action::CycleStatus,
            KeyCode::Char('a') => Action::OpenFollowUp,
            KeyCode::Char('D') | KeyCode::Delete => Action::DeleteSelected,
            KeyCode::Char('u') => Action::Undo,
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('A') => Action::Cancel,
            _ => return None,
        }),
        // Notes: Enter is a newline, Ctrl-S saves, Esc cancels (and asks
        // before dropping typed text).
        Overlay::Notes { .. } => match key.code {
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Char('s') if ctrl => Some(Action::Submit),
            c => input_key(c, key.modifiers).map(Action::Input),
        },
        Overlay::Choose { options, .. } => Some(match key.code {
            KeyCode::Char('j') | KeyCode::Down | KeyCode::Tab => Action::MoveDown,
            KeyCode::Char('k') | KeyCode::Up | KeyCode::BackTab => Action::MoveUp,
            KeyCode::Enter | KeyCode::Char(' ') => Action::Submit,
            KeyCode::Esc | KeyCode::Char('q') => Action::Cancel,
            KeyCode::Char(c) => Action::Pick(options.iter().position(|o| o.key() == c)?),
            _ => return None,
        }),
        Overlay::FollowUp { .. }
        | Overlay::Search { .. }
        | Overlay::Line { .. }
        | Overlay::SaveAs { .. } => match key.code {
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Char('s') if ctrl => Some(Action::Submit),
            c => input_key(c, key.modifiers).map(Action::Input),
        },
    }
}

fn normal_key(app: &App, key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let facil = app.view == View::Facilitator;
    Some(match key.code {
        KeyCode::Char('r') if ctrl => Action::Redo,
        KeyCode::Char('z') if ctrl => Action::Undo,
        KeyCode::Char('s') if ctrl => Action::SaveNow,
        _ if ctrl => return None,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('j') | KeyCode::Down => Action::MoveDown,
        KeyCode::Char('k') | KeyCode::Up => Action::MoveUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Char('J') => Action::ScrollDetail(3),
        KeyCode::Char('K') => Action::ScrollDetail(-3),
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        KeyCode::Tab | KeyCode::Char('l') | KeyCode::Right => Action::FocusNext,
        KeyCode::BackTab | KeyCode::Char('h') | KeyCode::Left => Action::FocusPrev,
        KeyCode::Char(']') => Action::NextUnanswered,
        KeyCode::Char(' ') => Action::ToggleBp,
        KeyCode::Enter => Action::Activate,
        KeyCode::Char('n') => Action::OpenBpNaPicker,
        KeyCode::Char('0') => Action::ToggleNoneOfThese,
        KeyCode::Char('N') => Action::OpenQuestionNaPicker,
        KeyCode::Char('e') => Action::OpenNotes,
        KeyCode::Char('E') => Action::OpenBpNotes,
        KeyCode::Char('a') => Action::OpenFollowUp,
        KeyCode::Char('A') => Action::OpenFollowUps,
        KeyCode::Char('u') => Action::Undo,
        KeyCode::Char('c') => Action::CollectEvidence,
        KeyCode::Char('/') => Action::OpenSearch,
        KeyCode::Char('f') => Action::OpenFilter,
        KeyCode::Esc => Action::ClearFilter,
        KeyCode::Char('d') => Action::ToggleDashboard,
        KeyCode::Char('F') => Action::ToggleFacilitator,
        KeyCode::Char('o') => Action::ToggleAccounts,
        KeyCode::Char('t') => Action::ToggleTimer,
        KeyCode::Char('p') => Action::AddParticipant,
        KeyCode::Char('P') => Action::AddParkingItem,
        KeyCode::Char('x') if facil => Action::ToggleParkingResolved,
        KeyCode::Char('D') | KeyCode::Delete if facil => Action::DeleteFacilItem,
        KeyCode::Char('L') => Action::ToggleLanguage,
        KeyCode::Char('?') => Action::ToggleHelp,
        _ => return None,
    })
}

/// Parse one key name as written in [`HELP`] (for tests and docs).
pub fn parse_key_name(name: &str) -> Option<KeyEvent> {
    let (code, mods) = match name {
        "space" => (KeyCode::Char(' '), KeyModifiers::NONE),
        "enter" => (KeyCode::Enter, KeyModifiers::NONE),
        "esc" => (KeyCode::Esc, KeyModifiers::NONE),
        "Tab" => (KeyCode::Tab, KeyModifiers::NONE),
        "S-Tab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
        "PgDn" => (KeyCode::PageDown, KeyModifiers::NONE),
        "PgUp" => (KeyCode::PageUp, KeyModifiers::NONE),
        "↓" => (KeyCode::Down, KeyModifiers::NONE),
        "↑" => (KeyCode::Up, KeyModifiers::NONE),
        n if n.starts_with("C-") => (KeyCode::Char(n.chars().nth(2)?), KeyModifiers::CONTROL),
        n if n.chars().count() == 1 => (KeyCode::Char(n.chars().next()?), KeyModifiers::NONE),
        _ => return None,
    };
    Some(KeyEvent::new(code, mods))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::App;
    use wasec_core::{Bank, Lang, Review};

    fn app() -> App {
        let bank = Bank::embedded().unwrap();
        App::new(
            bank,
            Review::new("t", time::macros::date!(2026 - 01 - 01)),
            Lang::En,
            "t",
            false,
        )
    }

    #[test]
    fn every_key_in_help_does_something() {
        let mut a = app();
        for (keys, en, _) in HELP.iter().filter(|h| !h.0.is_empty()) {
            // Facilitator-only keys are checked in the facilitator view.
            a.view = if en.contains("facilitator") {
                View::Facilitator
            } else {
                View::Review
            };
            for name in keys.split(' ') {
                let key =
                    parse_key_name(name).unwrap_or_else(|| panic!("unparsable key name {name:?}"));
                assert!(map(&a, key).is_some(), "{name:?} ({en}) maps to nothing");
            }
        }
    }

    #[test]
    fn issue_keys_map_to_their_actions() {
        let a = app();
        let k = |c: char| map(&a, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        assert_eq!(k(' '), Some(Action::ToggleBp));
        assert_eq!(k('n'), Some(Action::OpenBpNaPicker));
        assert_eq!(k('0'), Some(Action::ToggleNoneOfThese));
        assert_eq!(k('N'), Some(Action::OpenQuestionNaPicker));
        assert_eq!(k('u'), Some(Action::Undo));
        assert_eq!(
            map(&a, KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
            Some(Action::Redo)
        );
        assert_eq!(
            map(&a, KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(k('L'), Some(Action::ToggleLanguage));
    }

    #[test]
    fn every_choice_key_picks_its_choice() {
        use crate::app::Choice::*;
        let mut a = app();
        let options = vec![
            RetrySave,
            SaveAs,
            QuitAnyway,
            Reload,
            KeepMine,
            SaveEdit,
            Discard,
            KeepEditing,
            Stay,
        ];
        a.overlay = Some(Overlay::Choose {
            prompt: crate::app::Prompt::UnsavedQuit,
            options: options.clone(),
            sel: 0,
            resume: None,
        });
        for (i, o) in options.iter().enumerate() {
            let key = KeyEvent::new(KeyCode::Char(o.key()), KeyModifiers::NONE);
            assert_eq!(map(&a, key), Some(Action::Pick(i)), "{o:?}");
        }
    }

    #[test]
    fn editors_get_letters_not_commands() {
        let mut a = app();
        a.overlay = Some(Overlay::Notes {
            target: crate::app::NotesTarget::Question("SEC01".into()),
            editor: Default::default(),
            original: String::new(),
        });
        let k = |c: char| map(&a, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        assert_eq!(k('q'), Some(Action::Input(InputKey::Char('q'))));
        assert_eq!(k('あ'), Some(Action::Input(InputKey::Char('あ'))));
        assert_eq!(
            map(&a, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            Some(Action::Input(InputKey::Enter))
        );
        assert_eq!(
            map(&a, KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
            Some(Action::Cancel),
            "Esc cancels; it never saves"
        );
        assert_eq!(
            map(&a, KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            Some(Action::Submit)
        );
        assert_eq!(
            map(&a, KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Cancel),
            "Ctrl-C in an editor backs out instead of quitting"
        );
    }
}
