//! The one place that knows which YAML library wasec uses.
//!
//! serde-saphyr replaces the archived serde_yaml: it is pure Rust with no
//! unsafe code, reports line and column for every error, and lets us cap
//! depth, aliases, node counts and scalar sizes so a hostile file fails
//! fast instead of hanging or exhausting memory.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::fmt;

/// Largest YAML input we accept, in bytes. A question file is ~40 KB and a
/// review with thousands of evidence items a few MB.
pub const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;

const MAX_DEPTH: usize = 32;
const MAX_ALIASES: usize = 1_000;
const MAX_ANCHORS: usize = 1_000;
const MAX_NODES: usize = 2_000_000;

/// A YAML error with the file it came from and, when known, a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{}:{}: {}", self.file, l, c, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for YamlError {}

/// Parse `text` (read from `file`) into `T`, with hardened limits.
pub fn from_str<T: DeserializeOwned>(text: &str, file: &str) -> Result<T, YamlError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(YamlError {
            file: file.to_string(),
            line: None,
            column: None,
            message: format!(
                "file is {} bytes, larger than the {} byte limit",
                text.len(),
                MAX_INPUT_BYTES
            ),
        });
    }
    // Limits sized for question and review files: far above what real
    // files need, far below what a hostile file would use.
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_aliases: MAX_ALIASES,
            max_anchors: MAX_ANCHORS,
            max_nodes: MAX_NODES,
            max_total_scalar_bytes: MAX_INPUT_BYTES,
        },
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 1_000,
        },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let location = e.location();
        YamlError {
            file: file.to_string(),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message: first_line(&e.without_snippet().render_with_formatter(&PlainMessages)),
        }
    })
}

/// Messages for hostile or broken input in plain words: which limit was
/// hit and what it is, instead of the parser's internal names.
struct PlainMessages;

impl serde_saphyr::MessageFormatter for PlainMessages {
    fn format_message<'a>(&self, err: &'a serde_saphyr::Error) -> Cow<'a, str> {
        use serde_saphyr::Error as E;
        use serde_saphyr::budget::BudgetBreach as B;
        let text = match err {
            E::WithSnippet { error, .. } => return self.format_message(error),
            E::Budget { breach, .. } => match breach {
                B::Depth { .. } => format!("nested more than {MAX_DEPTH} levels deep"),
                B::Aliases { .. } => format!("more than {MAX_ALIASES} aliases (*name)"),
                B::Anchors { .. } => format!("more than {MAX_ANCHORS} anchors (&name)"),
                B::Nodes { .. } | B::Events { .. } => {
                    format!("more than {MAX_NODES} values; the file is too large to be a review")
                }
                B::ScalarBytes { .. } => "more text than the size limit allows".to_string(),
                _ => "too large or too deeply nested to read safely".to_string(),
            },
            E::AliasReplayLimitExceeded { .. } | E::AliasExpansionLimitExceeded { .. } => {
                "aliases (*name) expand to too much data: the file looks like an alias bomb"
                    .to_string()
            }
            E::ExternalMessage { msg, .. } if msg == "recursion limit exceeded" => {
                "nested too deeply to read safely".to_string()
            }
            E::AliasReplayStackDepthExceeded { .. } => {
                "aliases (*name) nest too deeply".to_string()
            }
            _ => return serde_saphyr::UserMessageFormatter.format_message(err),
        };
        Cow::Owned(text)
    }
}

/// Serialize `value` as block-style YAML.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_saphyr::to_string(value).map_err(|e| e.to_string())
}

/// serde-saphyr's message may carry its own "at line X column Y" and a
/// snippet; we report the position ourselves, so keep the first line.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    match line.rfind(" at line ") {
        Some(i) => line[..i].to_string(),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        name: String,
        count: u32,
    }

    #[test]
    fn type_error_has_file_line_and_column() {
        let err = from_str::<Doc>("name: a\ncount: many\n", "x.yaml").unwrap_err();
        assert_eq!(err.file, "x.yaml");
        assert_eq!(err.line, Some(2));
        assert!(err.column.is_some());
        assert!(err.to_string().starts_with("x.yaml:2:"), "{err}");
    }

    #[test]
    fn unknown_field_is_rejected_with_position() {
        let err = from_str::<Doc>("name: a\ncount: 1\ncolour: red\n", "x.yaml").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.contains("colour"), "{err}");
    }

    #[test]
    fn syntax_error_has_position() {
        let err = from_str::<Doc>("name: [a\ncount: 1\n", "bad.yaml").unwrap_err();
        assert!(err.line.is_some(), "{err}");
    }

    #[test]
    fn deep_nesting_fails_fast() {
        // Fields a type ignores are still parsed: the depth limit applies.
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Version {
            schema_version: Option<u32>,
        }
        let deep = |n| format!("x: {}{}\n", "[".repeat(n), "]".repeat(n));
        let err = from_str::<Version>(&deep(40), "deep.yaml").unwrap_err();
        assert_eq!(err.message, "nested more than 32 levels deep", "{err}");
        assert!(err.line.is_some(), "{err}");
        let err = from_str::<Version>(&deep(10_000), "deep.yaml").unwrap_err();
        assert_eq!(err.message, "nested too deeply to read safely", "{err}");
    }

    #[test]
    fn alias_bomb_fails_fast() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            text.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                std::iter::repeat_n(prev.as_str(), 10)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let start = std::time::Instant::now();
        let err =
            from_str::<std::collections::BTreeMap<String, serde_json::Value>>(&text, "bomb.yaml")
                .unwrap_err();
        assert!(start.elapsed().as_secs() < 5);
        assert!(
            err.message.starts_with("aliases (*name)")
                || err.message.starts_with("more than 1000 aliases"),
            "{err}"
        );
        assert!(!err.message.contains("total_replayed_events"), "{err}");
    }

    #[test]
    fn huge_scalar_is_rejected() {
        let text = format!("name: \"{}\"\ncount: 1\n", "x".repeat(MAX_INPUT_BYTES + 1));
        assert!(from_str::<Doc>(&text, "big.yaml").is_err());
    }
}
