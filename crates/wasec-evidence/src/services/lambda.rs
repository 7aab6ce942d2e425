//! Lambda: no plaintext secrets in environment variables, no public
//! resource policies (this includes function URLs with auth type NONE, which
//! need a `Principal: *` statement to be reachable), no deprecated runtimes.
//!
//! Calls per Region: `ListFunctions` (paginated; carries environment and
//! runtime) and `GetPolicy` per function ("not found" means no policy).
//! Secret VALUES never leave this module: summaries name variables only.

use aws_sdk_lambda::Client;
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
use futures::StreamExt;

use super::ServiceCtx;
use super::accessanalyzer::policy_is_public;
use crate::check::{CheckMeta, Finding, Scope};

const PLAINTEXT: &str = "secrets.plaintext_lambda_env";
const POLICY: &str = "resource_policies.not_public";
const RUNTIME: &str = "runtime.supported_versions";

const A_LIST: &str = "lambda:ListFunctions";
const A_POLICY: &str = "lambda:GetPolicy";

/// Every check id this module reports; `resource_policies.not_public` is declared in `kms`.
const EMITS: &[&str] = &[PLAINTEXT, POLICY, RUNTIME];

pub const CHECKS: &[CheckMeta] = &[
    CheckMeta {
        id: PLAINTEXT,
        title_en: "No plaintext secrets in Lambda environment variables",
        title_ja: "Lambda 環境変数に平文のシークレットがないこと",
        bps: &["SEC02-BP03"],
        service: "lambda",
        actions: &[A_LIST],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: RUNTIME,
        title_en: "Supported runtimes and automatic minor version upgrades",
        title_ja: "サポート対象ランタイムとマイナーバージョンの自動更新",
        bps: &["SEC06-BP01"],
        service: "lambda",
        // RDS reports automatic minor upgrades under this id too.
        actions: &[A_LIST, "rds:DescribeDBInstances"],
        scope: Scope::Regional,
    },
];

/// Runtimes past their Lambda deprecation date (snapshot of the published
/// schedule as of late 2026; extend it as runtimes retire).
const DEPRECATED_RUNTIMES: &[&str] = &[
    "nodejs",
    "nodejs4.3",
    "nodejs4.3-edge",
    "nodejs6.10",
    "nodejs8.10",
    "nodejs10.x",
    "nodejs12.x",
    "nodejs14.x",
    "nodejs16.x",
    "nodejs18.x",
    "python2.7",
    "python3.6",
    "python3.7",
    "python3.8",
    "python3.9",
    "java8",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "dotnet5.0",
    "dotnet6",
    "ruby2.5",
    "ruby2.7",
    "ruby3.2",
    "go1.x",
    "provided",
];

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

#[derive(Debug, Clone, PartialEq)]
struct Function {
    arn: String,
    name: String,
    runtime: Option<String>,
    /// Names of variables that look like plaintext secrets (values dropped).
    suspicious_vars: Vec<String>,
    /// `Ok(None)`: no policy.
    policy_public: Result<Option<bool>, ErrorMetadata>,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let list = match client
        .list_functions()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
    {
        Ok(l) => l,
        Err(e) => {
            return EMITS
                .iter()
                .map(|id| Finding::unknown_from(id, A_LIST, &e))
                .collect();
        }
    };
    let functions: Vec<Function> = futures::stream::iter(list)
        .map(|f| {
            let client = client.clone();
            async move {
                let name = f.function_name().unwrap_or_default().to_string();
                let policy_public = match client.get_policy().function_name(&name).send().await {
                    Ok(p) => Ok(p.policy().and_then(policy_is_public)),
                    Err(e) if e.code() == Some("ResourceNotFoundException") => Ok(None),
                    Err(e) => Err(e.meta().clone()),
                };
                let mut suspicious_vars: Vec<String> = f
                    .environment()
                    .and_then(|e| e.variables())
                    .map(|vars| {
                        vars.iter()
                            .filter(|(k, v)| looks_secret(k, v))
                            .map(|(k, _)| k.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                suspicious_vars.sort();
                Function {
                    arn: f.function_arn().unwrap_or_default().to_string(),
                    name,
                    runtime: f.runtime().map(|r| r.as_str().to_string()),
                    suspicious_vars,
                    policy_public,
                }
            }
        })
        .buffered(4)
        .collect()
        .await;
    evaluate(&functions)
}

/// `AKIA`/`ASIA` followed by 16 upper-case letters or digits, anywhere.
fn contains_access_key_id(value: &str) -> bool {
    let b = value.as_bytes();
    // `i` runs over every start with 20 bytes left.
    (0..b.len().saturating_sub(19)).any(|i| {
        (b[i..].starts_with(b"AKIA") || b[i..].starts_with(b"ASIA"))
            && b[i + 4..i + 20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    })
}

/// A variable that probably carries a credential in clear text.
fn looks_secret(name: &str, value: &str) -> bool {
    if contains_access_key_id(value) {
        return true;
    }
    let value = value.trim();
    let upper = name.to_ascii_uppercase();
    let secret_name = SECRET_NAMES.iter().any(|s| upper.contains(s));
    let reference = REFERENCE_SUFFIXES.iter().any(|s| upper.ends_with(s))
        || value.starts_with("arn:")
        || value.starts_with("{{resolve:");
    secret_name && !reference && !value.is_empty()
}

fn evaluate(functions: &[Function]) -> Vec<Finding> {
    if functions.is_empty() {
        return EMITS
            .iter()
            .map(|id| Finding::not_applicable(id, "no Lambda function in this Region"))
            .collect();
    }
    vec![
        eval_plaintext(functions),
        eval_policy(functions),
        eval_runtime(functions),
    ]
}

fn eval_plaintext(functions: &[Function]) -> Finding {
    let bad: Vec<&Function> = functions
        .iter()
        .filter(|f| !f.suspicious_vars.is_empty())
        .collect();
    let n = functions.len();
    if bad.is_empty() {
        return Finding::pass(
            PLAINTEXT,
            format!("no secret-like environment variable in {n} function(s)"),
        );
    }
    let names: Vec<String> = bad
        .iter()
        .map(|f| format!("{}: {}", f.name, f.suspicious_vars.join(", ")))
        .collect();
    Finding::fail(
        PLAINTEXT,
        format!(
            "{} of {n} function(s) hold secret-like variables ({})",
            bad.len(),
            names.join("; ")
        ),
    )
    .with_resources(bad.iter().map(|f| f.arn.clone()))
}

fn eval_policy(functions: &[Function]) -> Finding {
    let bad: Vec<String> = functions
        .iter()
        .filter(|f| matches!(f.policy_public, Ok(Some(true))))
        .map(|f| f.arn.clone())
        .collect();
    let n = functions.len();
    if !bad.is_empty() {
        return Finding::fail(
            POLICY,
            format!(
                "{} of {n} function(s) invocable by anyone (public policy or open function URL)",
                bad.len()
            ),
        )
        .with_resources(bad)
        .public(true);
    }
    match functions
        .iter()
        .find_map(|f| f.policy_public.as_ref().err())
    {
        Some(e) => Finding::unknown_from(POLICY, A_POLICY, e),
        None => Finding::pass(
            POLICY,
            format!("none of {n} function policy(ies) is public"),
        ),
    }
}

fn eval_runtime(functions: &[Function]) -> Finding {
    // Container-image functions have no managed runtime.
    let managed: Vec<&Function> = functions.iter().filter(|f| f.runtime.is_some()).collect();
    if managed.is_empty() {
        return Finding::not_applicable(RUNTIME, "no Lambda function with a managed runtime");
    }
    let bad: Vec<&Function> = managed
        .iter()
        .copied()
        .filter(|f| {
            f.runtime
                .as_deref()
                .is_some_and(|r| DEPRECATED_RUNTIMES.contains(&r))
        })
        .collect();
    let n = managed.len();
    if bad.is_empty() {
        return Finding::pass(
            RUNTIME,
            format!("all {n} function(s) use supported runtimes"),
        );
    }
    let mut runtimes: Vec<&str> = bad.iter().filter_map(|f| f.runtime.as_deref()).collect();
    runtimes.sort_unstable();
    runtimes.dedup();
    Finding::fail(
        RUNTIME,
        format!(
            "{} of {n} function(s) on deprecated runtimes ({})",
            bad.len(),
            runtimes.join(", ")
        ),
    )
    .with_resources(bad.iter().map(|f| f.arn.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn function(name: &str) -> Function {
        Function {
            arn: format!("arn:aws:lambda:us-east-1:1:function:{name}"),
            name: name.into(),
            runtime: Some("python3.12".into()),
            suspicious_vars: vec![],
            policy_public: Ok(None),
        }
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
    fn plaintext_finding_names_variables_never_values() {
        let mut f = function("api");
        f.suspicious_vars = vec!["DB_PASSWORD".into()];
        let out = eval_plaintext(&[f, function("ok")]);
        assert_eq!(out.status, EvidenceStatus::Fail);
        assert!(out.summary.contains("api: DB_PASSWORD"));
        assert_eq!(out.resources.len(), 1);
        assert_eq!(
            eval_plaintext(&[function("ok")]).status,
            EvidenceStatus::Pass
        );
    }

    #[test]
    fn public_policy_fails_public_and_errors_are_unknown() {
        let mut f = function("open");
        f.policy_public = Ok(Some(true));
        let out = eval_policy(&[f]);
        assert_eq!(out.status, EvidenceStatus::Fail);
        assert!(out.public);
        let mut e = function("e");
        e.policy_public = Err(ErrorMetadata::builder()
            .code("AccessDeniedException")
            .build());
        assert_eq!(eval_policy(&[e]).status, EvidenceStatus::Unknown);
        assert_eq!(eval_policy(&[function("a")]).status, EvidenceStatus::Pass);
    }

    #[test]
    fn deprecated_runtimes_fail_and_images_are_skipped() {
        let mut old = function("old");
        old.runtime = Some("python3.7".into());
        let out = eval_runtime(&[old, function("new")]);
        assert_eq!(out.status, EvidenceStatus::Fail);
        assert!(out.summary.contains("python3.7"));
        let mut image = function("img");
        image.runtime = None;
        assert_eq!(eval_runtime(&[image]).status, EvidenceStatus::NotApplicable);
        assert!(
            evaluate(&[])
                .iter()
                .all(|f| f.status == EvidenceStatus::NotApplicable)
        );
    }
}
