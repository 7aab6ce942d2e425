//! Line breaking with real glyph widths.
//!
//! Break opportunities come from textwrap's UAX #14 word separator (so
//! Japanese can break between characters and Latin at spaces). On top of
//! that, a small kinsoku rule keeps closing punctuation and small kana off
//! the start of a line and opening brackets off the end, whatever the
//! segmenter decides. Words wider than a line (ARNs, URLs) are split by
//! character. Widths come from the caller's measure function.

use textwrap::WordSeparator;
use textwrap::core::Fragment;
use textwrap::wrap_algorithms::wrap_first_fit;

/// Characters that must not begin a line (行頭禁則).
const NO_START: &str = "、。，．,.・：；:;？！?!ー―‐〜～）」』】〕〉》］｝)]}’”ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ%％";
/// Characters that must not end a line (行末禁則).
const NO_END: &str = "（「『【〔〈《［｛([{‘“";

#[derive(Debug)]
struct Frag {
    word: String,
    ws: String,
    w: f64,
    ws_w: f64,
}

impl Fragment for Frag {
    fn width(&self) -> f64 {
        self.w
    }
    fn whitespace_width(&self) -> f64 {
        self.ws_w
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// Wrap `text` into lines no wider than `max` (same unit as `measure`).
/// Explicit newlines start new lines. Never returns an empty vector.
pub fn wrap(text: &str, max: f32, measure: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        wrap_para(para.trim_end_matches('\r'), max, measure, &mut out);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

fn wrap_para(text: &str, max: f32, measure: &dyn Fn(&str) -> f32, out: &mut Vec<String>) {
    if text.is_empty() {
        out.push(String::new());
        return;
    }
    // (word, trailing whitespace), with kinsoku merges applied.
    let mut words: Vec<(String, String)> = Vec::new();
    for w in WordSeparator::UnicodeBreakProperties.find_words(text) {
        let first = w.word.chars().next();
        let starts_bad = first.is_some_and(|c| NO_START.contains(c));
        match words.last_mut() {
            Some(prev)
                if prev.1.is_empty()
                    && (starts_bad
                        || prev.0.chars().last().is_some_and(|c| NO_END.contains(c))
                        // Keep a number with the counter after it ("11問").
                        || (prev.0.ends_with(|c: char| c.is_ascii_digit())
                            && first.is_some_and(|c| !c.is_ascii()))) =>
            {
                prev.0.push_str(w.word);
                prev.1 = w.whitespace.to_string();
            }
            _ => words.push((w.word.to_string(), w.whitespace.to_string())),
        }
    }
    let mut frags = Vec::with_capacity(words.len());
    for (word, ws) in words {
        let ws_w = f64::from(measure(&ws));
        if measure(&word) <= max {
            frags.push(Frag {
                w: f64::from(measure(&word)),
                word,
                ws,
                ws_w,
            });
            continue;
        }
        // Too wide for any line: cut it into pieces that fit.
        let mut piece = String::new();
        for c in word.chars() {
            let mut next = piece.clone();
            next.push(c);
            if measure(&next) > max && !piece.is_empty() {
                let w = f64::from(measure(&piece));
                frags.push(Frag {
                    word: std::mem::take(&mut piece),
                    ws: String::new(),
                    w,
                    ws_w: 0.0,
                });
                piece.push(c);
            } else {
                piece = next;
            }
        }
        frags.push(Frag {
            w: f64::from(measure(&piece)),
            word: piece,
            ws,
            ws_w,
        });
    }
    let start = out.len();
    for line in wrap_first_fit(&frags, &[f64::from(max)]) {
        let mut s = String::new();
        for (i, f) in line.iter().enumerate() {
            s.push_str(&f.word);
            if i + 1 < line.len() {
                s.push_str(&f.ws);
            }
        }
        out.push(s);
    }
    no_orphan(&mut out[start..], max, measure);
}

/// A paragraph must not end with one Japanese character alone on its
/// line (a kana or 。 left over in a narrow cell): characters move down
/// from the line before, keeping the kinsoku rules.
fn no_orphan(lines: &mut [String], max: f32, measure: &dyn Fn(&str) -> f32) {
    let n = lines.len();
    if n < 2 {
        return;
    }
    let last: Vec<char> = lines[n - 1].chars().collect();
    let prev: Vec<char> = lines[n - 2].chars().collect();
    if last.len() != 1 || last[0].is_ascii() || prev.len() < 2 {
        return;
    }
    let mut k = 1;
    while k < prev.len() && NO_START.contains(prev[prev.len() - k]) {
        k += 1;
    }
    if k >= prev.len() {
        return;
    }
    let split = prev.len() - k;
    if prev[split - 1].is_ascii() || prev[split..].iter().any(|c| c.is_ascii()) {
        return;
    }
    if NO_END.contains(prev[split - 1]) {
        return;
    }
    let moved: String = prev[split..].iter().collect();
    let new_last = format!("{moved}{}", lines[n - 1]);
    if measure(&new_last) <= max {
        lines[n - 2] = prev[..split].iter().collect();
        lines[n - 1] = new_last;
    }
}

/// Cut `text` to fit `max`, ending with an ellipsis when something was cut.
pub fn ellipsize(text: &str, max: f32, measure: &dyn Fn(&str) -> f32) -> String {
    if measure(text) <= max {
        return text.to_string();
    }
    let mut s = String::new();
    for c in text.chars() {
        s.push(c);
        if measure(&format!("{s}…")) > max {
            s.pop();
            break;
        }
    }
    format!("{}…", s.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A monospace measure: one unit per character, two for wide ones.
    fn mono(s: &str) -> f32 {
        s.chars()
            .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
            .sum()
    }

    #[test]
    fn latin_breaks_at_spaces_and_fits() {
        let lines = wrap("the quick brown fox jumps over the lazy dog", 12.0, &mono);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(mono(l) <= 12.0, "{l:?}");
            assert!(!l.starts_with(' '));
        }
        assert_eq!(
            lines.join(" "),
            "the quick brown fox jumps over the lazy dog"
        );
    }

    #[test]
    fn japanese_never_starts_a_line_with_closing_punctuation_or_small_kana() {
        let text = "セキュリティの柱では、アイデンティティとアクセス管理、検出、インフラストラクチャ保護、データ保護、インシデント対応を扱います。「最小権限」を徹底してください。";
        for width in 6..40 {
            let lines = wrap(text, width as f32, &mono);
            assert_eq!(lines.concat(), text, "width {width}");
            for l in lines.iter().skip(1) {
                let first = l.chars().next().unwrap();
                assert!(
                    !NO_START.contains(first),
                    "width {width}: line starts with {first}: {lines:?}"
                );
            }
            for l in &lines {
                let last = l.chars().last().unwrap();
                assert!(
                    !NO_END.contains(last),
                    "width {width}: line ends with {last}"
                );
            }
        }
    }

    #[test]
    fn no_japanese_character_is_left_alone_on_the_last_line() {
        let text = "インターネットに公開されたセキュリティグループを閉じます";
        for width in 6..60 {
            let lines = wrap(text, width as f32, &mono);
            assert_eq!(lines.concat(), text, "width {width}");
            if lines.len() > 1 {
                assert!(
                    lines.last().unwrap().chars().count() > 1,
                    "width {width}: {lines:?}"
                );
            }
            assert!(lines.iter().all(|l| mono(l) <= width as f32), "{lines:?}");
        }
    }

    #[test]
    fn overlong_words_are_split_to_fit() {
        let arn = "arn:aws:iam::123456789012:role/service-role/very-long-role-name";
        let lines = wrap(arn, 20.0, &mono);
        assert!(lines.len() >= 3);
        assert!(lines.iter().all(|l| mono(l) <= 20.0));
        assert_eq!(lines.concat(), arn);
    }

    #[test]
    fn newlines_are_kept() {
        assert_eq!(wrap("a\nb", 10.0, &mono), vec!["a", "b"]);
        assert_eq!(wrap("", 10.0, &mono), vec![""]);
    }

    #[test]
    fn ellipsize_cuts_with_marker() {
        assert_eq!(ellipsize("short", 10.0, &mono), "short");
        let cut = ellipsize("a rather long label", 8.0, &mono);
        assert!(cut.ends_with('…') && mono(&cut) <= 8.0, "{cut}");
    }
}
