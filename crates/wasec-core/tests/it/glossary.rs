//! The Japanese wording rules of questions/glossary.yaml hold everywhere
//! wasec shows Japanese: the question bank and every Japanese string
//! literal in the workspace's Rust sources (check titles, TUI, CLI and
//! report labels).

use serde::Deserialize;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Glossary {
    schema: u32,
    brackets: Brackets,
    terms: Vec<Term>,
    retired: Vec<Retired>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Brackets {
    rule: String,
    exempt: Vec<Exempt>,
}

/// A file, or one literal in it, that the bracket rule does not apply to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exempt {
    path: String,
    #[serde(default)]
    literal: Option<String>,
    why: String,
}

impl Exempt {
    fn covers(&self, path: &str, text: &str) -> bool {
        self.path == path && self.literal.as_deref().is_none_or(|l| l == text)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Term {
    concept: String,
    ja: String,
    rejected: Vec<String>,
    #[serde(default)]
    allowed_in: Vec<String>,
    note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Retired {
    name: String,
    note: String,
}

impl Term {
    /// The rejected variants `text` contains, outside the allowed phrases.
    fn violations(&self, text: &str) -> Vec<&str> {
        let mut masked = text.to_string();
        for phrase in &self.allowed_in {
            masked = masked.replace(phrase.as_str(), "\u{0}");
        }
        self.rejected
            .iter()
            .filter(|r| masked.contains(r.as_str()))
            .map(String::as_str)
            .collect()
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn glossary() -> Glossary {
    let path = root().join("questions/glossary.yaml");
    let text = fs::read_to_string(&path).unwrap();
    wasec_core::yaml::from_str(&text, "questions/glossary.yaml").unwrap()
}

/// Text with kana or kanji is Japanese text (a label may be kanji only,
/// such as 矛盾).
fn is_japanese(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
    })
}

/// A piece of text to check, with where it came from.
struct Piece {
    at: String,
    text: String,
}

/// Every line of the question files (lens.yaml, sec*.yaml).
fn bank_lines() -> Vec<Piece> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("questions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter(|p| p.file_stem().is_some_and(|s| s != "glossary"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "question files not found");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for (i, line) in fs::read_to_string(&path).unwrap().lines().enumerate() {
            out.push(Piece {
                at: format!("questions/{name}:{}", i + 1),
                text: line.to_string(),
            });
        }
    }
    out
}

/// Every Japanese string literal in crates/*/src and src, as
/// (workspace-relative path, piece).
fn rust_japanese_literals() -> Vec<(String, Piece)> {
    let mut dirs = vec![root().join("src")];
    for krate in fs::read_dir(root().join("crates")).unwrap() {
        dirs.push(krate.unwrap().path().join("src"));
    }
    let mut files = Vec::new();
    for dir in dirs {
        collect_rs(&dir, &mut files);
    }
    files.sort();
    assert!(files.len() > 50, "Rust sources not found");
    let mut out = Vec::new();
    for path in files {
        let rel = path
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let rel = rel.trim_start_matches("./").to_string();
        let src = fs::read_to_string(&path).unwrap();
        for (line, text) in string_literals(&src) {
            if is_japanese(&text) {
                let at = format!("{rel}:{line}");
                out.push((rel.clone(), Piece { at, text }));
            }
        }
    }
    out
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let path = e.unwrap().path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The string literals of a Rust source file with the line each starts on:
/// plain, byte and raw strings; comments and char literals are skipped.
/// Escapes are kept as written (a rule never needs them decoded).
fn string_literals(src: &str) -> Vec<(usize, String)> {
    let c: Vec<char> = src.chars().collect();
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < c.len() {
        let prev_ident = i > 0 && ident(c[i - 1]);
        match c[i] {
            '\n' => {
                line += 1;
                i += 1;
            }
            '/' if c.get(i + 1) == Some(&'/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        line += usize::from(c[i] == '\n');
                        i += 1;
                    }
                }
            }
            '\'' => {
                // A char literal ('x', '\n', '"') or a lifetime ('a).
                if c.get(i + 1) == Some(&'\\') {
                    i += 2;
                    while i < c.len() && c[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                } else if c.get(i + 2) == Some(&'\'') {
                    i += 3;
                } else {
                    i += 1;
                }
            }
            'r' if !prev_ident || (i > 0 && c[i - 1] == 'b' && (i < 2 || !ident(c[i - 2]))) => {
                let mut j = i + 1;
                while c.get(j) == Some(&'#') {
                    j += 1;
                }
                if c.get(j) != Some(&'"') {
                    i += 1;
                    continue;
                }
                let hashes = j - i - 1;
                let (start, start_line) = (j + 1, line);
                let mut k = start;
                loop {
                    if k >= c.len() {
                        break;
                    }
                    if c[k] == '"' && (0..hashes).all(|h| c.get(k + 1 + h) == Some(&'#')) {
                        break;
                    }
                    line += usize::from(c[k] == '\n');
                    k += 1;
                }
                out.push((start_line, c[start..k.min(c.len())].iter().collect()));
                i = k + 1 + hashes;
            }
            '"' => {
                let (start, start_line) = (i + 1, line);
                let mut k = start;
                while k < c.len() && c[k] != '"' {
                    if c[k] == '\\' {
                        k += 1;
                    }
                    line += usize::from(c.get(k) == Some(&'\n'));
                    k += 1;
                }
                out.push((start_line, c[start..k.min(c.len())].iter().collect()));
                i = k + 1;
            }
            _ => i += 1,
        }
    }
    out
}

#[test]
fn the_lexer_finds_string_literals_and_skips_the_rest() {
    let src = r####"
// "in a line comment"
/* "in a /* nested */ block comment" */
let a = "plain \"quoted\" 日本語";
let b = '"'; let c = '\''; fn f<'a>(x: &'a str) {}
let d = r#"raw "inside" raw"#;
let e = b"bytes";
let g = br##"raw bytes"##;
let h = "two
lines";
"####;
    let found = string_literals(src);
    let texts: Vec<&str> = found.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        texts,
        [
            r#"plain \"quoted\" 日本語"#,
            r#"raw "inside" raw"#,
            "bytes",
            "raw bytes",
            "two\nlines",
        ]
    );
    let lines: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [4, 6, 7, 8, 9]);
}

#[test]
fn the_glossary_is_consistent() {
    let g = glossary();
    assert_eq!(g.schema, 1);
    assert!(!g.brackets.rule.is_empty());
    let literals = rust_japanese_literals();
    for e in &g.brackets.exempt {
        assert!(root().join(&e.path).is_file(), "exempt path {}", e.path);
        assert!(!e.why.is_empty(), "{}", e.path);
        if let Some(l) = &e.literal {
            let found = literals.iter().any(|(path, p)| e.covers(path, &p.text));
            assert!(found, "exempt literal {l:?} is not in {}", e.path);
        }
    }
    for t in &g.terms {
        assert!(!t.rejected.is_empty(), "{} rejects nothing", t.concept);
        assert!(!t.note.is_empty(), "{} has no note", t.concept);
        // No term's preferred wording is rejected by any rule.
        for other in &g.terms {
            let v = other.violations(&t.ja);
            assert!(
                v.is_empty(),
                "{}: {} rejects {v:?}",
                t.concept,
                other.concept
            );
        }
    }
    for r in &g.retired {
        assert!(!r.name.is_empty() && !r.note.is_empty());
    }
}

#[test]
fn the_rules_catch_what_they_are_meant_to() {
    let g = glossary();
    let rejects = |text: &str| g.terms.iter().any(|t| !t.violations(text).is_empty());
    for bad in [
        "IAM Identity Center の権限セット",
        "カスタマーマネージド型の AWS KMS キー",
        "カスタマー管理 KMS キー",
        "AWSSupportAccess マネージドポリシー",
        "カスタマーポリシーが *:* を許可していない",
        "セキュリティイベントを検知する",
        "AWS Config 適合パック",
        "証跡を収集しています",
        "データストアの保存時暗号化",
    ] {
        assert!(rejects(bad), "{bad}");
    }
    for good in [
        "CloudTrail の証跡",
        "マルチリージョン CloudTrail 証跡",
        "組織の証跡を作成します",
        "カスタマーマネージドキー",
        "AWS 管理ポリシーとカスタマー管理ポリシー",
        "既知の誤検出を抑制します",
    ] {
        assert!(!rejects(good), "{good}");
    }
}

fn report(what: &str, problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{what} ({}):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

fn term_problems<'a>(g: &Glossary, pieces: impl Iterator<Item = &'a Piece>) -> Vec<String> {
    let mut problems = Vec::new();
    for p in pieces {
        for t in &g.terms {
            for v in t.violations(&p.text) {
                problems.push(format!("{}: '{v}' instead of '{}'", p.at, t.ja));
            }
        }
    }
    problems
}

#[test]
fn the_bank_uses_one_japanese_term_per_concept() {
    let g = glossary();
    let lines = bank_lines();
    report(
        "rejected terms in the question bank",
        term_problems(&g, lines.iter()),
    );
}

#[test]
fn rust_japanese_literals_use_one_term_per_concept() {
    let g = glossary();
    let literals = rust_japanese_literals();
    report(
        "rejected terms in Japanese string literals",
        term_problems(&g, literals.iter().map(|(_, p)| p)),
    );
}

#[test]
fn japanese_text_uses_full_width_brackets() {
    let g = glossary();
    let mut problems = Vec::new();
    for p in bank_lines() {
        if is_japanese(&p.text) && p.text.contains(['(', ')']) {
            problems.push(format!("{}: ASCII brackets in Japanese text", p.at));
        }
        if !is_japanese(&p.text) && p.text.contains(['（', '）']) {
            problems.push(format!("{}: full-width brackets in English text", p.at));
        }
    }
    for (path, p) in rust_japanese_literals() {
        let exempt = g.brackets.exempt.iter().any(|e| e.covers(&path, &p.text));
        if !exempt && p.text.contains(['(', ')']) {
            problems.push(format!("{}: ASCII brackets in {:?}", p.at, p.text));
        }
    }
    report("bracket convention (questions/glossary.yaml)", problems);
}

#[test]
fn the_bank_recommends_no_retired_service() {
    let g = glossary();
    let mut problems = Vec::new();
    for p in bank_lines() {
        for r in &g.retired {
            if p.text.contains(r.name.as_str()) {
                problems.push(format!("{}: {} ({})", p.at, r.name, r.note));
            }
        }
    }
    report("retired services in the question bank", problems);
}
