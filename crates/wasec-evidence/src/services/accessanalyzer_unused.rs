//! IAM Access Analyzer, account-wide: unused access (roles, access keys,
//! passwords and permissions nobody used). An unused-access analyzer is
//! created in one region but covers IAM for the whole account, so this
//! module looks in every scanned region and gives one verdict.
//!
//! Calls: `ListAnalyzers` per scanned region, then `ListFindingsV2`
//! (status=ACTIVE, capped) for each active unused-access analyzer.
//! moto has no Access Analyzer: evaluation is tested on recorded data.

use aws_sdk_accessanalyzer::Client;
use aws_sdk_accessanalyzer::types::{AnalyzerStatus, Criterion, FindingType, Type};
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;
use wasec_core::Text;

const A_ANALYZERS: &str = "access-analyzer:ListAnalyzers";
const A_FINDINGS: &str = "access-analyzer:ListFindingsV2";
const MAX_PAGES: usize = 10;

/// One active unused-access finding: the resource and what is unused.
#[derive(Debug, Clone, PartialEq)]
struct Unused {
    resource: String,
    kind: Text,
}

/// An analyzer's active findings and whether the list was cut short.
type Findings = Result<(Vec<Unused>, bool), Failure>;

/// What the regions showed: analyzer ARNs with their findings.
#[derive(Debug, Clone, Default)]
struct Seen {
    analyzers: Vec<(String, Findings)>,
    /// A region whose analyzers could not be listed.
    failure: Option<Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let regions = cx.regions.clone();
    let listed: Vec<(String, Result<Vec<String>, Failure>)> = futures::stream::iter(regions)
        .map(|r| {
            let client: Client = cx.aws.for_region(&r).client();
            async move { (r, unused_analyzers(&client).await) }
        })
        .buffered(3)
        .collect()
        .await;
    let mut seen = Seen::default();
    for (region, got) in listed {
        match got {
            Err(f) => seen.failure = seen.failure.or(Some(f)),
            Ok(arns) => {
                let client: Client = cx.aws.for_region(&region).client();
                for arn in arns {
                    let findings = fetch_findings(&client, &arn).await;
                    seen.analyzers.push((arn, findings));
                }
            }
        }
    }
    Ok(vec![evaluate(&seen)])
}

async fn unused_analyzers(client: &Client) -> Result<Vec<String>, Failure> {
    let list = client
        .list_analyzers()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_ANALYZERS, &e))?;
    Ok(list
        .iter()
        .filter(|a| {
            matches!(
                a.r#type(),
                Type::AccountUnusedAccess | Type::OrganizationUnusedAccess
            ) && a.status() == &AnalyzerStatus::Active
        })
        .map(|a| a.arn().to_string())
        .collect())
}

fn kind_of(t: Option<&FindingType>) -> Option<Text> {
    Some(match t? {
        FindingType::UnusedIamRole => tr!("unused role", "未使用のロール"),
        FindingType::UnusedIamUserAccessKey => tr!("unused access key", "未使用のアクセスキー"),
        FindingType::UnusedIamUserPassword => tr!("unused password", "未使用のパスワード"),
        FindingType::UnusedPermission => tr!("unused permissions", "未使用の権限"),
        _ => return None,
    })
}

async fn fetch_findings(client: &Client, arn: &str) -> Findings {
    let mut pages = client
        .list_findings_v2()
        .analyzer_arn(arn)
        .filter("status", Criterion::builder().eq("ACTIVE").build())
        .into_paginator()
        .send();
    let mut out = Vec::new();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk(A_FINDINGS, &e))?;
        out.extend(page.findings().iter().filter_map(|f| {
            Some(Unused {
                resource: f.resource().unwrap_or(f.id()).to_string(),
                kind: kind_of(f.finding_type())?,
            })
        }));
        n += 1;
        if n >= MAX_PAGES {
            return Ok((out, page.next_token().is_some()));
        }
    }
    Ok((out, false))
}

fn evaluate(seen: &Seen) -> Finding {
    let id = CheckId::AccessAnalyzerUnusedAccess;
    if seen.analyzers.is_empty() {
        return match &seen.failure {
            Some(f) => f.finding(id),
            None => Finding::not_applicable(
                id,
                tr!(
                    "no active unused-access analyzer in the scanned regions (role last-used dates are judged on their own)",
                    "スキャンしたリージョンに有効な未使用アクセス用アナライザーがありません（ロールの最終使用日は別途判定します）"
                ),
            ),
        };
    }
    let mut unused: Vec<&Unused> = Vec::new();
    let mut truncated = false;
    let mut failure = None;
    for (_, got) in &seen.analyzers {
        match got {
            Ok((list, more)) => {
                unused.extend(list);
                truncated |= more;
            }
            Err(f) => failure = failure.or(Some(f)),
        }
    }
    let analyzers = seen.analyzers.len();
    let (note_en, note_ja) = if truncated {
        (" (first pages only)", "（先頭ページのみ）")
    } else {
        ("", "")
    };
    if !unused.is_empty() {
        unused.sort_by(|a, b| (&a.resource, &a.kind.en).cmp(&(&b.resource, &b.kind.en)));
        let n = unused.len();
        let en: Vec<String> = unused
            .iter()
            .map(|u| format!("{} ({})", u.resource, u.kind.en))
            .collect();
        let ja: Vec<String> = unused
            .iter()
            .map(|u| format!("{}({})", u.resource, u.kind.ja))
            .collect();
        let (list_en, list_ja) = (sample(&en, 5), sample(&ja, 5));
        return Finding::fail(
            id,
            tr!(
                "IAM Access Analyzer reports {n} active unused-access findings{note_en}: {list_en}",
                "IAM Access Analyzer が未対応の未使用アクセスの検出結果を {n} 件報告しています{note_ja}: {list_ja}"
            ),
        )
        .with_resources(unused.iter().map(|u| u.resource.clone()));
    }
    if let Some(f) = failure {
        return f.finding(id);
    }
    Finding::pass(
        id,
        tr!(
            "{analyzers} unused-access analyzers report no active finding{note_en}",
            "未使用アクセス用アナライザー {analyzers} 件に未対応の検出結果はありません{note_ja}"
        ),
    )
    .with_resources(seen.analyzers.iter().map(|(a, _)| a.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    fn unused(resource: &str, t: FindingType) -> Unused {
        Unused {
            resource: resource.into(),
            kind: kind_of(Some(&t)).unwrap(),
        }
    }

    #[test]
    fn unused_access_findings_fail_with_the_resource_and_kind() {
        let seen = Seen {
            analyzers: vec![(
                "arn:aws:access-analyzer:us-east-1:1:analyzer/unused".into(),
                Ok((
                    vec![
                        unused("arn:aws:iam::1:role/old", FindingType::UnusedIamRole),
                        unused(
                            "arn:aws:iam::1:user/bob",
                            FindingType::UnusedIamUserAccessKey,
                        ),
                    ],
                    false,
                )),
            )],
            failure: None,
        };
        let f = evaluate(&seen);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(
            f.resources,
            vec!["arn:aws:iam::1:role/old", "arn:aws:iam::1:user/bob"]
        );
        assert!(
            f.summary
                .en
                .contains("arn:aws:iam::1:role/old (unused role)")
        );
        assert!(f.summary.ja.contains("未使用のアクセスキー"));
        // External-access findings are not unused access.
        assert_eq!(kind_of(Some(&FindingType::ExternalAccess)), None);
    }

    #[test]
    fn no_analyzer_is_not_applicable_and_failures_are_unknown() {
        assert_eq!(
            evaluate(&Seen::default()).status,
            EvidenceStatus::NotApplicable
        );
        let denied = Failure::new(
            A_ANALYZERS,
            FailureKind::AccessDenied,
            "AccessDeniedException",
        );
        let seen = Seen {
            analyzers: vec![],
            failure: Some(denied.clone()),
        };
        assert_eq!(evaluate(&seen).status, EvidenceStatus::Unknown);
        // An analyzer found in another region still decides.
        let seen = Seen {
            analyzers: vec![("a".into(), Ok((vec![], false)))],
            failure: Some(denied),
        };
        assert_eq!(evaluate(&seen).status, EvidenceStatus::Pass);
    }
}
