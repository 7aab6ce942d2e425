//! Display-width aware text helpers.
//!
//! Japanese characters take two terminal columns. ratatui's own wrapping
//! counts them correctly but may break before small kana or closing
//! punctuation, so paragraphs are pre-wrapped here with textwrap's
//! UAX #14 line breaking and handed to ratatui as ready-made lines.

use textwrap::{Options, WordSeparator};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `s` occupies in a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Wrap `text` to `cols` columns (at least 1), keeping explicit newlines.
pub fn wrap(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let opts = Options::new(cols).word_separator(WordSeparator::UnicodeBreakProperties);
    textwrap::wrap(text, opts)
        .into_iter()
        .map(|l| l.into_owned())
        .collect()
}

/// Cut `s` to at most `cols` columns, ending with `…` when something was cut.
pub fn truncate(s: &str, cols: usize) -> String {
    if width(s) <= cols {
        return s.to_string();
    }
    if cols == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > cols - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pad `s` with spaces on the right to `cols` columns (no cutting).
pub fn pad(s: &str, cols: usize) -> String {
    let w = width(s);
    if w >= cols {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(cols - w))
    }
}

/// `h:mm:ss` for a number of seconds.
pub fn hms(secs: u64) -> String {
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_counts_two_columns() {
        assert_eq!(width("セキュリティ"), 12);
        assert_eq!(width("IAM ロール"), 10);
    }

    #[test]
    fn wrap_never_exceeds_width_and_keeps_small_kana_attached() {
        let text = "セキュリティイベントに備えて、インシデント対応の手順を文書化し、定期的に訓練を実施します。";
        for cols in [10, 15, 21, 30] {
            let lines = wrap(text, cols);
            assert!(lines.len() > 1);
            for l in &lines {
                assert!(width(l) <= cols, "{l:?} wider than {cols}");
                let first = l.chars().next().unwrap();
                assert!(
                    !"ィェュョッ、。".contains(first),
                    "line starts with {first}: {l:?}"
                );
            }
            assert_eq!(lines.concat(), text);
        }
    }

    #[test]
    fn truncate_respects_double_width() {
        assert_eq!(truncate("日本語テキスト", 7), "日本語…");
        assert_eq!(width(&truncate("日本語テキスト", 8)), 7);
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(hms(3725), "1:02:05");
    }
}
