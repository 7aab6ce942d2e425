//! Small helpers shared by the service modules: policy-document parsing,
//! wildcard matching, short resource lists for summaries.

use serde_json::Value;

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

/// Up to `max` names for a summary, in both languages alike:
/// `a, b, c (+2)`. The caller passes a sorted list, so the text is the same
/// on every run.
pub fn sample(names: &[String], max: usize) -> String {
    let mut s = names
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > max {
        s.push_str(&format!(" (+{})", names.len() - max));
    }
    s
}

/// Sort and de-duplicate a list of names.
pub fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names.dedup();
    names
}

/// Name fragments that suggest a variable holds a credential.
const SECRET_NAMES: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];
/// Name endings for variables that only point at a secret.
const REFERENCE_SUFFIXES: &[&str] = &[
    "_ARN",
    "_NAME",
    "_ID",
    "_PARAM",
    "_PARAMETER",
    "_PATH",
    "_URL",
    "_REF",
];

/// `AKIA`/`ASIA` followed by 16 upper-case letters or digits, anywhere.
pub fn contains_access_key_id(value: &str) -> bool {
    let b = value.as_bytes();
    // `i` runs over every start with 20 bytes left.
    (0..b.len().saturating_sub(19)).any(|i| {
        (b[i..].starts_with(b"AKIA") || b[i..].starts_with(b"ASIA"))
            && b[i + 4..i + 20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    })
}

/// A variable that probably carries a credential in clear text: a
/// secret-like name with a literal value (not a reference such as an ARN,
/// a `{{resolve:...}}` or a shell expansion), or an AWS access key id.
pub fn looks_secret(name: &str, value: &str) -> bool {
    if contains_access_key_id(value) {
        return true;
    }
    let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
    let upper = name.to_ascii_uppercase();
    let secret_name = SECRET_NAMES.iter().any(|s| upper.contains(s));
    let reference = REFERENCE_SUFFIXES.iter().any(|s| upper.ends_with(s))
        || value.starts_with("arn:")
        || value.starts_with("{{resolve:")
        || value.starts_with('$');
    secret_name && !reference && !value.is_empty()
}

/// Where a script or config text holds secrets: (line number from 1, what
/// is there). Only names and kinds are returned, never values.
pub fn secret_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim().trim_start_matches("export ").trim();
        if t.starts_with('#') && !t.contains("PRIVATE KEY") {
            continue;
        }
        if t.contains("-----BEGIN") && t.contains("PRIVATE KEY-----") {
            out.push((i + 1, "private key".to_string()));
            continue;
        }
        let pair = t
            .split_once('=')
            .or_else(|| t.split_once(": "))
            .filter(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
        match pair {
            Some((k, v)) if looks_secret(k, v) => out.push((i + 1, k.to_string())),
            _ if contains_access_key_id(t) => out.push((i + 1, "access key id".to_string())),
            _ => {}
        }
    }
    out
}

/// Whether a resource-based policy document lets anyone (any AWS account or
/// anonymous callers) in: an `Allow` statement with a wildcard principal (or
/// `NotPrincipal`) and no condition that pins callers to an account,
/// organization, network or source. `None` when the document is not JSON.
pub fn policy_text_is_public(doc: &str) -> Option<bool> {
    let v: Value = serde_json::from_str(doc).ok()?;
    Some(policy_is_public(&v))
}

/// [`policy_text_is_public`] for a parsed document.
pub fn policy_is_public(doc: &Value) -> bool {
    statements(doc).into_iter().any(statement_is_public)
}

/// Condition keys that restrict who can use a wildcard principal.
const LIMITING_KEYS: &[&str] = &[
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceip",
    "aws:userid",
    "aws:username",
    "kms:calleraccount",
];

/// One statement of [`policy_is_public`].
pub fn statement_is_public(s: &Value) -> bool {
    if s.get("Effect").and_then(Value::as_str) != Some("Allow") {
        return false;
    }
    let open =
        s.get("NotPrincipal").is_some() || s.get("Principal").is_some_and(principal_is_wildcard);
    if !open {
        return false;
    }
    let limited = s
        .get("Condition")
        .and_then(Value::as_object)
        .is_some_and(|ops| {
            ops.iter().any(|(op, keys)| {
                // A bare `Bool`/`Null` test (e.g. aws:SecureTransport) limits
                // nobody, and neither does `lambda:FunctionUrlAuthType` (with
                // AWS_IAM any AWS account may call, with NONE anyone may).
                !op.ends_with("IfExists")
                    && keys.as_object().is_some_and(|k| {
                        k.keys()
                            .any(|key| LIMITING_KEYS.contains(&key.to_ascii_lowercase().as_str()))
                    })
            })
        });
    !limited
}

fn principal_is_wildcard(p: &Value) -> bool {
    let star = |v: &Value| match v {
        Value::String(s) => s == "*",
        Value::Array(a) => a.iter().any(|x| x.as_str() == Some("*")),
        _ => false,
    };
    match p {
        Value::Object(m) => {
            m.get("AWS").is_some_and(star) || m.get("CanonicalUser").is_some_and(star)
        }
        other => star(other),
    }
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
    fn detects_access_key_ids_anywhere() {
        assert!(contains_access_key_id("AKIAIOSFODNN7EXAMPLE"));
        assert!(contains_access_key_id("key=ASIAIOSFODNN7EXAMPLE;x"));
        assert!(!contains_access_key_id("AKIAshort"));
        assert!(!contains_access_key_id("AKIAiosfodnn7example"));
        assert!(!contains_access_key_id(""));
    }

    #[test]
    fn secret_names_with_values_are_flagged_but_references_are_not() {
        assert!(looks_secret("DB_PASSWORD", "hunter2"));
        assert!(looks_secret("stripe_api_key", "sk_live_x"));
        assert!(looks_secret("ANY", "AKIAIOSFODNN7EXAMPLE"));
        assert!(!looks_secret("DB_PASSWORD", ""));
        assert!(!looks_secret(
            "DB_PASSWORD",
            "\"$(aws ssm get-parameter --name db)\""
        ));
        assert!(!looks_secret(
            "DB_SECRET_ARN",
            "arn:aws:secretsmanager:us-east-1:1:secret:x"
        ));
        assert!(!looks_secret(
            "TOKEN",
            "arn:aws:ssm:us-east-1:1:parameter/x"
        ));
        assert!(!looks_secret("TABLE_NAME", "orders"));
    }

    #[test]
    fn secret_lines_name_the_key_and_line_never_the_value() {
        let script = "#!/bin/bash\nexport DB_PASSWORD=hunter2\nAPP_NAME=shop\nTOKEN=$(cat /run/token)\nkey: AKIAIOSFODNN7EXAMPLE\n-----BEGIN RSA PRIVATE KEY-----\n";
        let found = secret_lines(script);
        assert_eq!(
            found,
            vec![
                (2, "DB_PASSWORD".to_string()),
                (5, "key".to_string()),
                (6, "private key".to_string())
            ]
        );
        assert!(found.iter().all(|(_, k)| !k.contains("hunter2")));
    }

    #[test]
    fn samples_are_short_and_language_neutral() {
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(sample(&names, 5), "a, b, c");
        assert_eq!(sample(&names, 2), "a, b (+1)");
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

    #[test]
    fn wildcard_principals_are_public() {
        for p in [
            r#""*""#,
            r#"{"AWS":"*"}"#,
            r#"{"AWS":["arn:aws:iam::1:root","*"]}"#,
        ] {
            let doc = format!(
                r#"{{"Statement":[{{"Effect":"Allow","Principal":{p},"Action":"kms:*"}}]}}"#
            );
            assert_eq!(policy_text_is_public(&doc), Some(true), "{p}");
        }
    }

    #[test]
    fn account_principals_deny_and_limiting_conditions_are_not_public() {
        let account = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"*"}}"#;
        assert_eq!(policy_text_is_public(account), Some(false));
        let deny = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*"}]}"#;
        assert_eq!(policy_text_is_public(deny), Some(false));
        let org = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
            "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-123"}}}]}"#;
        assert_eq!(policy_text_is_public(org), Some(false));
        let kms = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt",
            "Condition":{"StringEquals":{"kms:CallerAccount":"1","kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}"#;
        assert_eq!(policy_text_is_public(kms), Some(false));
        assert_eq!(policy_text_is_public("not json"), None);
    }

    #[test]
    fn non_limiting_conditions_stay_public() {
        let tls = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
            "Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#;
        assert_eq!(policy_text_is_public(tls), Some(true));
        let url = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl",
            "Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}}]}"#;
        assert_eq!(policy_text_is_public(url), Some(true));
        let if_exists = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:*",
            "Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"1"}}}]}"#;
        assert_eq!(policy_text_is_public(if_exists), Some(true));
    }
}
