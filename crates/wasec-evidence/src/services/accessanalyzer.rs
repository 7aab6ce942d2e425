//! IAM Access Analyzer, per region: an external-access analyzer is active,
//! and it has no ACTIVE external-access findings.
//!
//! Calls per region: `ListAnalyzers` (paginated) and `ListFindingsV2`
//! (paginated, status=ACTIVE, capped) per active external-access analyzer.
//! Unused access is judged account-wide in `accessanalyzer_unused`.

use aws_sdk_accessanalyzer::Client;
use aws_sdk_accessanalyzer::types::{AnalyzerStatus, Criterion, FindingType, Type};
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;

const A_ANALYZERS: &str = "access-analyzer:ListAnalyzers";
const A_FINDINGS: &str = "access-analyzer:ListFindingsV2";

/// Pages of findings read per analyzer (100 each by default).
const MAX_PAGES: usize = 10;

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

/// Findings of one active external analyzer: (findings, truncated).
type AnalyzerFindings = Result<(Vec<AaFinding>, bool), Failure>;

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let list = client
        .list_analyzers()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_ANALYZERS, &e))?;
    let analyzers: Vec<Analyzer> = list
        .iter()
        .map(|a| Analyzer {
            arn: a.arn().to_string(),
            external: matches!(a.r#type(), Type::Account | Type::Organization),
            active: a.status() == &AnalyzerStatus::Active,
        })
        .collect();
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
    Ok(vec![
        eval_external(&analyzers),
        eval_findings(&analyzers, &findings),
    ])
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
        let page = page.map_err(|e| Failure::from_sdk(A_FINDINGS, &e))?;
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
            return Ok((out, page.next_token().is_some()));
        }
    }
    Ok((out, false))
}

fn eval_external(analyzers: &[Analyzer]) -> Finding {
    let id = CheckId::AccessAnalyzerExternalEnabled;
    let active: Vec<String> = analyzers
        .iter()
        .filter(|a| a.external && a.active)
        .map(|a| a.arn.clone())
        .collect();
    if !active.is_empty() {
        let n = active.len();
        return Finding::pass(
            id,
            tr!(
                "{n} active external-access analyzers",
                "外部アクセス用のアナライザー {n} 件が有効です"
            ),
        )
        .with_resources(active);
    }
    let inactive: Vec<String> = analyzers
        .iter()
        .filter(|a| a.external)
        .map(|a| a.arn.clone())
        .collect();
    if inactive.is_empty() {
        Finding::fail(
            id,
            tr!(
                "no external-access analyzer in this region",
                "このリージョンに外部アクセス用のアナライザーがありません"
            ),
        )
    } else {
        Finding::fail(
            id,
            tr!(
                "an external-access analyzer exists but is not active",
                "外部アクセス用のアナライザーはありますが有効ではありません"
            ),
        )
        .with_resources(inactive)
    }
}

fn eval_findings(analyzers: &[Analyzer], findings: &[AnalyzerFindings]) -> Finding {
    let id = CheckId::AccessAnalyzerActiveFindings;
    if !analyzers.iter().any(|a| a.external && a.active) {
        return Finding::not_applicable(
            id,
            tr!(
                "no active external-access analyzer to report findings",
                "検出結果を報告する有効な外部アクセス用アナライザーがありません"
            ),
        );
    }
    let mut resources: Vec<String> = Vec::new();
    let mut truncated = false;
    let mut error = None;
    for f in findings {
        match f {
            Ok((list, more)) => {
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
    let (note_en, note_ja) = if truncated {
        (" (first pages only)", "（先頭ページのみ）")
    } else {
        ("", "")
    };
    if !resources.is_empty() {
        let (n, list) = (resources.len(), sample(&resources, 5));
        return Finding::fail(
            id,
            tr!(
                "{n} resources are shared outside the zone of trust{note_en}: {list}",
                "{n} 件のリソースが信頼ゾーンの外に共有されています{note_ja}: {list}"
            ),
        )
        .with_resources(resources);
    }
    match error {
        Some(f) => f.finding(id),
        None => Finding::pass(
            id,
            tr!(
                "no active external-access findings{note_en}",
                "未対応の外部アクセスの検出結果はありません{note_ja}"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
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
        let f = eval_external(&[analyzer("a", true, false)]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["a"]);
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
        let f = eval_findings(&a, &[Ok((vec![shared, unused.clone()], false))]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["arn:aws:s3:::open".to_string()]);
        assert!(f.summary.en.contains("arn:aws:s3:::open"));
        assert_eq!(
            eval_findings(&a, &[Ok((vec![unused], false))]).status,
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
        let e = Failure::new(
            A_FINDINGS,
            FailureKind::AccessDenied,
            "AccessDeniedException",
        );
        assert_eq!(
            eval_findings(&a, &[Err(e.clone())]).status,
            EvidenceStatus::Unknown
        );
        let bad = AaFinding {
            resource: "r".into(),
            external: true,
        };
        let f = eval_findings(&a, &[Err(e), Ok((vec![bad], true))]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.summary.en.contains("(first pages only)"));
    }
}
