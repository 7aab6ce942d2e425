//! Amazon Inspector: EC2/ECR/Lambda scanning on, Lambda code scanning on,
//! and no CRITICAL/HIGH findings left open past a remediation window.
//!
//! Calls per Region: `BatchGetAccountStatus` for the scanned account, then
//! (only when Inspector is on) `ListFindings` filtered to ACTIVE
//! CRITICAL/HIGH, paginated and capped at [`MAX_PAGES`].

use aws_sdk_inspector2::Client;
use aws_sdk_inspector2::types::{FilterCriteria, Status, StringComparison, StringFilter};

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;

const A_STATUS: &str = "inspector2:BatchGetAccountStatus";
const A_FINDINGS: &str = "inspector2:ListFindings";

const MAX_PAGES: usize = 10;
/// Days a finding may stay open, by severity.
const CRITICAL_SLA_DAYS: i64 = 15;
const HIGH_SLA_DAYS: i64 = 30;
const DAY: i64 = 86_400;

/// Scan types by name ("EC2", "ECR", "Lambda", "Lambda code") and whether on.
#[derive(Debug, Clone, PartialEq)]
struct AccountStatus {
    enabled: bool,
    scans: Vec<(&'static str, bool)>,
}

#[derive(Debug, Clone, PartialEq)]
struct Vuln {
    resource: String,
    critical: bool,
    first_observed: i64,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let status = match client
        .batch_get_account_status()
        .account_ids(&cx.account)
        .send()
        .await
    {
        Err(e) => return Err(Failure::from_sdk(A_STATUS, &e)),
        Ok(out) => {
            let acct = out
                .accounts()
                .iter()
                .find(|a| a.account_id() == cx.account)
                .or(out.accounts().first());
            let on = |s: Option<&aws_sdk_inspector2::types::State>| {
                s.is_some_and(|s| *s.status() == Status::Enabled)
            };
            let rs = acct.and_then(|a| a.resource_state());
            AccountStatus {
                enabled: on(acct.and_then(|a| a.state())),
                scans: vec![
                    ("EC2", on(rs.and_then(|r| r.ec2()))),
                    ("ECR", on(rs.and_then(|r| r.ecr()))),
                    ("Lambda", on(rs.and_then(|r| r.lambda()))),
                    ("Lambda code", on(rs.and_then(|r| r.lambda_code()))),
                ],
            }
        }
    };
    let findings = if status.enabled {
        Some(fetch_findings(&client).await)
    } else {
        None
    };
    Ok(evaluate(
        &status,
        findings.as_ref(),
        time::OffsetDateTime::now_utc().unix_timestamp(),
    ))
}

async fn fetch_findings(client: &Client) -> Result<(Vec<Vuln>, bool), Failure> {
    let eq = |v: &str| {
        StringFilter::builder()
            .comparison(StringComparison::Equals)
            .value(v)
            .build()
            .ok()
    };
    let mut criteria = FilterCriteria::builder();
    for f in [eq("ACTIVE")].into_iter().flatten() {
        criteria = criteria.finding_status(f);
    }
    for f in [eq("CRITICAL"), eq("HIGH")].into_iter().flatten() {
        criteria = criteria.severity(f);
    }
    let mut pages = client
        .list_findings()
        .filter_criteria(criteria.build())
        .max_results(100)
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
                .filter_map(|f| {
                    let sev = f.severity().as_str();
                    (sev == "CRITICAL" || sev == "HIGH").then(|| Vuln {
                        resource: f
                            .resources()
                            .first()
                            .map(|r| r.id().to_string())
                            .unwrap_or_else(|| f.finding_arn().into()),
                        critical: sev == "CRITICAL",
                        first_observed: f.first_observed_at().secs(),
                    })
                }),
        );
        n += 1;
        if n >= MAX_PAGES {
            return Ok((out, page.next_token().is_some()));
        }
    }
    Ok((out, false))
}

fn evaluate(
    status: &AccountStatus,
    findings: Option<&Result<(Vec<Vuln>, bool), Failure>>,
    now: i64,
) -> Vec<Finding> {
    use CheckId::*;
    let off = |names: &[&str]| -> Vec<&'static str> {
        status
            .scans
            .iter()
            .filter(|(n, on)| names.contains(n) && (!on || !status.enabled))
            .map(|(n, _)| *n)
            .collect()
    };
    let scan_off = off(&["EC2", "ECR", "Lambda"]);
    let scanning = if scan_off.is_empty() {
        Finding::pass(
            InspectorScanningEnabled,
            tr!(
                "Inspector scans EC2, ECR and Lambda",
                "Inspector が EC2・ECR・Lambda をスキャンしています"
            ),
        )
    } else if !status.enabled {
        Finding::fail(
            InspectorScanningEnabled,
            tr!(
                "Amazon Inspector is not enabled in this region",
                "このリージョンで Amazon Inspector が有効ではありません"
            ),
        )
    } else {
        let list = scan_off.join(", ");
        Finding::fail(
            InspectorScanningEnabled,
            tr!(
                "Inspector scanning is off for: {list}",
                "Inspector のスキャンが無効: {list}"
            ),
        )
    };
    let code = if off(&["Lambda code"]).is_empty() {
        Finding::pass(
            AppsecCodeScanning,
            tr!(
                "Inspector Lambda code scanning is on",
                "Inspector の Lambda コードスキャンは有効です"
            ),
        )
    } else {
        Finding::fail(
            AppsecCodeScanning,
            tr!(
                "Inspector Lambda code scanning is off",
                "Inspector の Lambda コードスキャンが無効です"
            ),
        )
    };
    let open = match findings {
        None => Finding::not_applicable(
            InspectorOpenCriticalFindings,
            tr!(
                "Amazon Inspector is not enabled, no findings to judge",
                "Amazon Inspector が有効ではないため、判定する検出結果がありません"
            ),
        ),
        Some(Err(f)) => f.finding(InspectorOpenCriticalFindings),
        Some(Ok((list, truncated))) => overdue(list, *truncated, now),
    };
    vec![scanning, code, open]
}

fn overdue(list: &[Vuln], truncated: bool, now: i64) -> Finding {
    let id = CheckId::InspectorOpenCriticalFindings;
    let late: Vec<&Vuln> = list
        .iter()
        .filter(|v| {
            let sla = if v.critical {
                CRITICAL_SLA_DAYS
            } else {
                HIGH_SLA_DAYS
            };
            now - v.first_observed > sla * DAY
        })
        .collect();
    let (note_en, note_ja) = if truncated {
        (" (first pages only)", "（先頭ページのみ）")
    } else {
        ("", "")
    };
    if late.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "no CRITICAL finding open over {CRITICAL_SLA_DAYS} days and no HIGH over {HIGH_SLA_DAYS} days{note_en}",
                "{CRITICAL_SLA_DAYS} 日を超えて未対応の重大な検出結果も {HIGH_SLA_DAYS} 日を超えて未対応の高リスクの検出結果もありません{note_ja}"
            ),
        );
    }
    let crit = late.iter().filter(|v| v.critical).count();
    let high = late.len() - crit;
    let mut res: Vec<String> = late.iter().map(|v| v.resource.clone()).collect();
    res.sort();
    res.dedup();
    let (n, list) = (res.len(), sample(&res, 5));
    Finding::fail(
        id,
        tr!(
            "{crit} CRITICAL (over {CRITICAL_SLA_DAYS} days) and {high} HIGH (over {HIGH_SLA_DAYS} days) findings open on {n} resources{note_en}: {list}",
            "{n} 件のリソースで重大 {crit} 件（{CRITICAL_SLA_DAYS} 日超）と高 {high} 件（{HIGH_SLA_DAYS} 日超）の検出結果が未対応です{note_ja}: {list}"
        ),
    )
    .with_resources(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    const NOW: i64 = 1_800_000_000;

    fn status(enabled: bool, on: [bool; 4]) -> AccountStatus {
        AccountStatus {
            enabled,
            scans: vec![
                ("EC2", on[0]),
                ("ECR", on[1]),
                ("Lambda", on[2]),
                ("Lambda code", on[3]),
            ],
        }
    }

    fn vuln(resource: &str, critical: bool, age_days: i64) -> Vuln {
        Vuln {
            resource: resource.into(),
            critical,
            first_observed: NOW - age_days * DAY,
        }
    }

    #[test]
    fn fully_enabled_without_findings_passes() {
        let f = evaluate(&status(true, [true; 4]), Some(&Ok((vec![], false))), NOW);
        assert!(f.iter().all(|x| x.status == EvidenceStatus::Pass), "{f:?}");
    }

    #[test]
    fn disabled_inspector_fails_scanning_and_skips_findings() {
        let f = evaluate(&status(false, [true; 4]), None, NOW);
        assert_eq!(f[0].status, EvidenceStatus::Fail);
        assert_eq!(f[1].status, EvidenceStatus::Fail);
        assert_eq!(f[2].status, EvidenceStatus::NotApplicable);
    }

    #[test]
    fn partial_scanning_names_the_gaps() {
        let f = evaluate(
            &status(true, [true, false, true, false]),
            Some(&Ok((vec![], false))),
            NOW,
        );
        assert_eq!(f[0].status, EvidenceStatus::Fail);
        assert!(f[0].summary.en.ends_with("ECR"));
        assert_eq!(f[1].status, EvidenceStatus::Fail);
    }

    #[test]
    fn only_overdue_findings_fail() {
        let fresh = vec![vuln("i-1", true, 3), vuln("i-2", false, 20)];
        let f = evaluate(&status(true, [true; 4]), Some(&Ok((fresh, false))), NOW);
        assert_eq!(f[2].status, EvidenceStatus::Pass);
        let old = vec![
            vuln("i-1", true, 16),
            vuln("i-2", false, 31),
            vuln("i-1", false, 40),
        ];
        let f = evaluate(&status(true, [true; 4]), Some(&Ok((old, true))), NOW);
        assert_eq!(f[2].status, EvidenceStatus::Fail);
        assert_eq!(f[2].resources, vec!["i-1".to_string(), "i-2".to_string()]);
        assert!(f[2].summary.en.starts_with("1 CRITICAL"));
        assert!(f[2].summary.en.contains("(first pages only)"));
    }

    #[test]
    fn findings_error_is_unknown() {
        let e = Failure::new(
            A_FINDINGS,
            crate::check::FailureKind::AccessDenied,
            "AccessDeniedException",
        );
        let f = evaluate(&status(true, [true; 4]), Some(&Err(e)), NOW);
        assert_eq!(f[2].status, EvidenceStatus::Unknown);
    }
}
