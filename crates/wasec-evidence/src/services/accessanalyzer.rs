//! IAM Access Analyzer: an external-access analyzer is active, and it has
//! no ACTIVE external-access findings.
//!
//! Calls per Region: `ListAnalyzers` (paginated) and `ListFindingsV2`
//! (paginated, status=ACTIVE, capped) per active external-access analyzer.
//!
//! This file also holds [`policy_is_public`], the small local policy
//! analyzer used by the KMS, Lambda, ECR and Secrets Manager modules where
//! they read resource policies directly.

use aws_sdk_accessanalyzer::Client;
use aws_sdk_accessanalyzer::types::{AnalyzerStatus, Criterion, FindingType, Type};
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
use futures::StreamExt;
use serde_json::Value;

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};

const EXTERNAL: &str = "accessanalyzer.external_enabled";
const FINDINGS: &str = "accessanalyzer.active_findings";

const A_ANALYZERS: &str = "access-analyzer:ListAnalyzers";
const A_FINDINGS: &str = "access-analyzer:ListFindingsV2";

/// Pages of findings read per analyzer (100 each by default).
const MAX_PAGES: usize = 10;

pub const CHECKS: &[CheckMeta] = &[
    CheckMeta {
        id: EXTERNAL,
        title_en: "IAM Access Analyzer for external access enabled",
        title_ja: "IAM Access Analyzer（外部アクセス）の有効化",
        bps: &["SEC03-BP07"],
        service: "access-analyzer",
        actions: &[A_ANALYZERS],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: FINDINGS,
        title_en: "No active external-access findings",
        title_ja: "未対応の外部アクセス検出結果がないこと",
        bps: &["SEC03-BP07", "SEC03-BP08"],
        service: "access-analyzer",
        actions: &[A_ANALYZERS, A_FINDINGS],
        scope: Scope::Regional,
    },
];

#[derive(Debug, Clone, PartialEq)]
struct Analyzer {
    arn: String,
    /// Account or organization external-access analyzer (not unused/internal).
    external: bool,
    active: bool,
}

/// One ACTIVE finding of an analyzer.
#[derive(Debug, Clone, PartialEq)]
struct AaFinding {
    resource: String,
    external: bool,
}

/// Findings per active external analyzer: (analyzer ARN, findings, truncated).
type AnalyzerFindings = Result<(String, Vec<AaFinding>, bool), ErrorMetadata>;

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let analyzers: Vec<Analyzer> = match client
        .list_analyzers()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
    {
        Ok(list) => list
            .iter()
            .map(|a| Analyzer {
                arn: a.arn().to_string(),
                external: matches!(a.r#type(), Type::Account | Type::Organization),
                active: a.status() == &AnalyzerStatus::Active,
            })
            .collect(),
        Err(e) => {
            return vec![
                Finding::unknown_from(EXTERNAL, A_ANALYZERS, &e),
                Finding::unknown_from(FINDINGS, A_ANALYZERS, &e),
            ];
        }
    };
    // Owned ARNs and a cloned client keep the future `Send` for the runner.
    let active: Vec<String> = analyzers
        .iter()
        .filter(|a| a.external && a.active)
        .map(|a| a.arn.clone())
        .collect();
    let findings: Vec<AnalyzerFindings> = futures::stream::iter(active)
        .map(|arn| fetch_findings(client.clone(), arn))
        .buffered(2)
        .collect()
        .await;
    vec![
        eval_external(&analyzers),
        eval_findings(&analyzers, &findings),
    ]
}

async fn fetch_findings(client: Client, arn: String) -> AnalyzerFindings {
    let mut pages = client
        .list_findings_v2()
        .analyzer_arn(&arn)
        .filter("status", Criterion::builder().eq("ACTIVE").build())
        .into_paginator()
        .send();
    let mut out = Vec::new();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| e.meta().clone())?;
        out.extend(
            page.findings()
                .iter()
                .filter(|f| f.status().as_str() == "ACTIVE")
                .map(|f| AaFinding {
                    resource: f.resource().unwrap_or(f.id()).to_string(),
                    // Older findings carry no type; those are external-access findings.
                    external: f
                        .finding_type()
                        .is_none_or(|t| *t == FindingType::ExternalAccess),
                }),
        );
        n += 1;
        if n >= MAX_PAGES {
            return Ok((arn, out, page.next_token().is_some()));
        }
    }
    Ok((arn, out, false))
}

fn eval_external(analyzers: &[Analyzer]) -> Finding {
    let active: Vec<String> = analyzers
        .iter()
        .filter(|a| a.external && a.active)
        .map(|a| a.arn.clone())
        .collect();
    if !active.is_empty() {
        return Finding::pass(
            EXTERNAL,
            format!("{} active external-access analyzer(s)", active.len()),
        )
        .with_resources(active);
    }
    let inactive: Vec<String> = analyzers
        .iter()
        .filter(|a| a.external)
        .map(|a| a.arn.clone())
        .collect();
    if inactive.is_empty() {
        Finding::fail(EXTERNAL, "no external-access analyzer in this Region")
    } else {
        Finding::fail(
            EXTERNAL,
            "external-access analyzer exists but is not active",
        )
        .with_resources(inactive)
    }
}

fn eval_findings(analyzers: &[Analyzer], findings: &[AnalyzerFindings]) -> Finding {
    if !analyzers.iter().any(|a| a.external && a.active) {
        return Finding::not_applicable(
            FINDINGS,
            "no active external-access analyzer to report findings",
        );
    }
    let mut resources: Vec<String> = Vec::new();
    let mut truncated = false;
    let mut error = None;
    for f in findings {
        match f {
            Ok((_, list, more)) => {
                truncated |= *more;
                resources.extend(
                    list.iter()
                        .filter(|x| x.external)
                        .map(|x| x.resource.clone()),
                );
            }
            Err(e) => error = error.or(Some(e)),
        }
    }
    resources.sort();
    resources.dedup();
    let note = if truncated { " (first pages only)" } else { "" };
    if !resources.is_empty() {
        return Finding::fail(
            FINDINGS,
            format!(
                "{} resource(s) shared outside the zone of trust{note}",
                resources.len()
            ),
        )
        .with_resources(resources);
    }
    match error {
        Some(e) => Finding::unknown_from(FINDINGS, A_FINDINGS, e),
        None => Finding::pass(FINDINGS, "no active external-access findings"),
    }
}

/// Whether a resource-based policy document lets anyone (any AWS account or
/// anonymous callers) in: an `Allow` statement with a wildcard principal (or
/// `NotPrincipal`) and no condition that pins callers to an account,
/// organization, network or source. `None` when the document is not JSON.
pub(crate) fn policy_is_public(doc: &str) -> Option<bool> {
    let v: Value = serde_json::from_str(doc).ok()?;
    let statements = match v.get("Statement")? {
        Value::Array(a) => a.clone(),
        one @ Value::Object(_) => vec![one.clone()],
        _ => return Some(false),
    };
    Some(statements.iter().any(statement_is_public))
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
    "lambda:functionurlauthtype",
];

fn statement_is_public(s: &Value) -> bool {
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
                // A bare `Bool`/`Null` test (e.g. aws:SecureTransport) limits nobody;
                // `lambda:FunctionUrlAuthType = NONE` opens rather than limits.
                let opens = keys.get("lambda:FunctionUrlAuthType").is_some_and(|v| {
                    v.as_str() == Some("NONE")
                        || v.as_array().is_some_and(|a| a.iter().any(|x| x == "NONE"))
                });
                !opens
                    && !op.ends_with("IfExists")
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
    use wasec_core::review::EvidenceStatus;

    fn analyzer(arn: &str, external: bool, active: bool) -> Analyzer {
        Analyzer {
            arn: arn.into(),
            external,
            active,
        }
    }

    #[test]
    fn external_analyzer_must_be_active() {
        assert_eq!(
            eval_external(&[analyzer("a", true, true)]).status,
            EvidenceStatus::Pass
        );
        assert_eq!(
            eval_external(&[analyzer("a", true, false)]).status,
            EvidenceStatus::Fail
        );
        // An unused-access analyzer does not cover external access.
        assert_eq!(
            eval_external(&[analyzer("u", false, true)]).status,
            EvidenceStatus::Fail
        );
        assert_eq!(eval_external(&[]).status, EvidenceStatus::Fail);
    }

    #[test]
    fn findings_fail_pass_and_not_applicable() {
        let a = [analyzer("a", true, true)];
        let shared = AaFinding {
            resource: "arn:aws:s3:::open".into(),
            external: true,
        };
        let unused = AaFinding {
            resource: "arn:aws:iam::1:role/old".into(),
            external: false,
        };
        let f = eval_findings(&a, &[Ok(("a".into(), vec![shared, unused.clone()], false))]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["arn:aws:s3:::open".to_string()]);
        assert_eq!(
            eval_findings(&a, &[Ok(("a".into(), vec![unused], false))]).status,
            EvidenceStatus::Pass
        );
        assert_eq!(
            eval_findings(&[], &[]).status,
            EvidenceStatus::NotApplicable
        );
    }

    #[test]
    fn findings_error_is_unknown_unless_something_failed() {
        let a = [analyzer("a", true, true), analyzer("b", true, true)];
        let e = ErrorMetadata::builder()
            .code("AccessDeniedException")
            .build();
        assert_eq!(
            eval_findings(&a, &[Err(e.clone())]).status,
            EvidenceStatus::Unknown
        );
        let bad = AaFinding {
            resource: "r".into(),
            external: true,
        };
        assert_eq!(
            eval_findings(&a, &[Err(e), Ok(("b".into(), vec![bad], true))]).status,
            EvidenceStatus::Fail
        );
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
            assert_eq!(policy_is_public(&doc), Some(true), "{p}");
        }
    }

    #[test]
    fn account_principals_deny_and_limiting_conditions_are_not_public() {
        let account = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"*"}}"#;
        assert_eq!(policy_is_public(account), Some(false));
        let deny = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*"}]}"#;
        assert_eq!(policy_is_public(deny), Some(false));
        let org = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
            "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-123"}}}]}"#;
        assert_eq!(policy_is_public(org), Some(false));
        let kms = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt",
            "Condition":{"StringEquals":{"kms:CallerAccount":"1","kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}"#;
        assert_eq!(policy_is_public(kms), Some(false));
        assert_eq!(policy_is_public("not json"), None);
    }

    #[test]
    fn non_limiting_conditions_stay_public() {
        let tls = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
            "Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#;
        assert_eq!(policy_is_public(tls), Some(true));
        let url = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl",
            "Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}}]}"#;
        assert_eq!(policy_is_public(url), Some(true));
        let if_exists = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:*",
            "Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"1"}}}]}"#;
        assert_eq!(policy_is_public(if_exists), Some(true));
    }
}
