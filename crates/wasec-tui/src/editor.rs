//! Small text inputs: a multi-line editor for notes and one-line fields.
//! Text is kept as a `String` with the cursor as a byte offset that always
//! sits on a char boundary, so Japanese (multi-byte, double-width) input
//! edits one character at a time.

use crate::action::InputKey;
use unicode_width::UnicodeWidthChar;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextEditor {
    pub text: String,
    /// Byte offset of the cursor.
    pub cursor: usize,
    /// One-line inputs ignore Enter (the caller treats it as submit).
    pub multiline: bool,
}

impl TextEditor {
    pub fn new(text: &str, multiline: bool) -> TextEditor {
        TextEditor {
            text: text.to_string(),
            cursor: text.len(),
            multiline,
        }
    }

    pub fn insert_str(&mut self, s: &str) {
        let s: String = if self.multiline {
            s.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            s.replace(['\r', '\n'], " ")
        };
        self.text.insert_str(self.cursor, &s);
        self.cursor += s.len();
    }

    fn prev_boundary(&self) -> Option<usize> {
        self.text[..self.cursor]
            .char_indices()
            .next_back()
            .map(|(i, _)| i)
    }

    fn next_boundary(&self) -> Option<usize> {
        self.text[self.cursor..]
            .chars()
            .next()
            .map(|c| self.cursor + c.len_utf8())
    }

    fn line_start(&self, at: usize) -> usize {
        self.text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0)
    }

    fn line_end(&self, at: usize) -> usize {
        self.text[at..]
            .find('\n')
            .map(|i| at + i)
            .unwrap_or(self.text.len())
    }

    /// Apply one key. Returns false for keys the editor does not use.
    pub fn key(&mut self, key: &InputKey) -> bool {
        match key {
            InputKey::Char(c) => {
                let mut buf = [0u8; 4];
                self.insert_str(c.encode_utf8(&mut buf));
            }
            InputKey::Enter if self.multiline => self.insert_str("\n"),
            InputKey::Backspace => {
                if let Some(p) = self.prev_boundary() {
                    self.text.replace_range(p..self.cursor, "");
                    self.cursor = p;
                }
            }
            InputKey::Delete => {
                if let Some(n) = self.next_boundary() {
                    self.text.replace_range(self.cursor..n, "");
                }
            }
            InputKey::Left => {
                if let Some(p) = self.prev_boundary() {
                    self.cursor = p;
                }
            }
            InputKey::Right => {
                if let Some(n) = self.next_boundary() {
                    self.cursor = n;
                }
            }
            InputKey::Home => self.cursor = self.line_start(self.cursor),
            InputKey::End => self.cursor = self.line_end(self.cursor),
            InputKey::Up | InputKey::Down => self.vertical(matches!(key, InputKey::Up)),
            InputKey::ClearLine => {
                let (s, e) = (self.line_start(self.cursor), self.line_end(self.cursor));
                self.text.replace_range(s..e, "");
                self.cursor = s;
            }
            _ => return false,
        }
        true
    }

    /// Move to the same column (in characters) on the line above or below.
    fn vertical(&mut self, up: bool) {
        let start = self.line_start(self.cursor);
        let col = self.text[start..self.cursor].chars().count();
        let target_start = if up {
            if start == 0 {
                return;
            }
            self.line_start(start - 1)
        } else {
            let end = self.line_end(self.cursor);
            if end == self.text.len() {
                return;
            }
            end + 1
        };
        let target_end = self.line_end(target_start);
        let line = &self.text[target_start..target_end];
        let offset = line
            .char_indices()
            .nth(col)
            .map(|(i, _)| i)
            .unwrap_or(line.len());
        self.cursor = target_start + offset;
    }

    /// Lay the text out in rows of at most `cols` columns, breaking at any
    /// character (an editor must show exactly what is typed), and return
    /// the rows plus the cursor's (row, column).
    pub fn layout(&self, cols: usize) -> (Vec<String>, (usize, usize)) {
        let cols = cols.max(2);
        let mut rows = vec![String::new()];
        let (mut w, mut cur) = (0usize, (0usize, 0usize));
        let mut found = false;
        for (i, c) in self.text.char_indices() {
            if i == self.cursor {
                cur = (rows.len() - 1, w);
                found = true;
            }
            if c == '\n' {
                rows.push(String::new());
                w = 0;
                continue;
            }
            let cw = c.width().unwrap_or(0);
            if w + cw > cols {
                rows.push(String::new());
                w = 0;
                if i == self.cursor {
                    cur = (rows.len() - 1, 0);
                }
            }
            rows.last_mut().expect("rows is never empty").push(c);
            w += cw;
        }
        if !found {
            if w >= cols {
                rows.push(String::new());
                w = 0;
            }
            cur = (rows.len() - 1, w);
        }
        (rows, cur)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_typing_and_backspace_work_per_character() {
        let mut e = TextEditor::new("", true);
        for c in "多要素認証".chars() {
            e.key(&InputKey::Char(c));
        }
        e.key(&InputKey::Backspace);
        e.key(&InputKey::Left);
        e.key(&InputKey::Char('X'));
        assert_eq!(e.text, "多要素X認");
        e.key(&InputKey::End);
        e.key(&InputKey::Enter);
        e.insert_str("second line");
        assert_eq!(e.text, "多要素X認\nsecond line");
        e.key(&InputKey::Up);
        assert_eq!(&e.text[e.cursor..], "\nsecond line");
    }

    #[test]
    fn single_line_input_turns_newlines_into_spaces() {
        let mut e = TextEditor::new("a", false);
        e.insert_str("b\nc");
        assert!(!e.key(&InputKey::Enter));
        assert_eq!(e.text, "ab c");
    }

    #[test]
    fn layout_wraps_double_width_and_tracks_cursor() {
        let e = TextEditor::new("日本語の文章", true);
        let (rows, cur) = e.layout(5);
        assert_eq!(rows, vec!["日本", "語の", "文章"]);
        assert_eq!(cur, (2, 4));
        let mut e2 = TextEditor::new("ab\ncd", true);
        e2.cursor = 1;
        assert_eq!(e2.layout(10), (vec!["ab".into(), "cd".into()], (0, 1)));
    }
}
