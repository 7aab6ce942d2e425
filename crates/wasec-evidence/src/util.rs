//! Small helpers shared by the service modules: API failures that become
//! `unknown` findings, policy-document parsing, wildcard matching.

use crate::check::Finding;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde_json::Value;
use wasec_core::review::EvidenceStatus;

/// A failed API call, kept until it is known which checks depended on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown(pub String);

impl Unknown {
    pub fn from<E>(action: &str, err: &E) -> Unknown
    where
        E: ProvideErrorMetadata + std::fmt::Display,
    {
        Unknown(Finding::unknown_from("", action, err).summary)
    }

    /// The `unknown` finding of `check` caused by this failure.
    pub fn finding(&self, check: &'static str) -> Finding {
        Finding::new(check, EvidenceStatus::Unknown, self.0.clone())
    }
}

/// The service error code of an SDK error, if any (e.g. `NoSuchEntity`).
pub fn code<E: ProvideErrorMetadata>(err: &E) -> Option<&str> {
    err.code()
}

/// IAM returns policy documents URL-encoded; other APIs return plain JSON.
pub fn decode_policy(text: &str) -> Option<Value> {
    let t = text.trim_start();
    if t.starts_with('{') {
        return serde_json::from_str(t).ok();
    }
    serde_json::from_str(&percent_decode(t)).ok()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The statements of a policy document (`Statement` may be one object or a list).
pub fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

/// A string-or-list field as a list of strings.
pub fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

pub fn is_allow(stmt: &Value) -> bool {
    stmt.get("Effect").and_then(Value::as_str) == Some("Allow")
}

/// Case-insensitive glob match with `*` and `?`, as IAM matches actions.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// "N of M" wording used in summaries, with up to `max` names listed.
pub fn sample(names: &[String], max: usize) -> String {
    let mut s = names
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > max {
        s.push_str(&format!(" and {} more", names.len() - max));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_like_iam() {
        assert!(glob("*", "kms:Decrypt"));
        assert!(glob("kms:*", "kms:Decrypt"));
        assert!(glob("KMS:De*", "kms:Decrypt"));
        assert!(glob("kms:?ecrypt", "kms:Decrypt"));
        assert!(!glob("kms:Encrypt", "kms:Decrypt"));
        assert!(!glob("s3:*", "kms:Decrypt"));
    }

    #[test]
    fn policies_decode_from_url_encoding() {
        let enc = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D";
        let doc = decode_policy(enc).unwrap();
        assert_eq!(statements(&doc).len(), 1);
        assert!(is_allow(statements(&doc)[0]));
        assert_eq!(strings(statements(&doc)[0].get("Action")), vec!["*"]);
        let plain = decode_policy(r#"{"Statement":{"Effect":"Deny","Action":["a","b"]}}"#).unwrap();
        assert_eq!(strings(statements(&plain)[0].get("Action")), vec!["a", "b"]);
        assert!(decode_policy("%zz").is_none());
    }
}
