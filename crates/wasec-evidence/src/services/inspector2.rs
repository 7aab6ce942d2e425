//! Amazon Inspector: EC2/ECR/Lambda scanning on, Lambda code scanning on,
//! and no CRITICAL/HIGH findings left open past a remediation window.
//!
//! Calls per Region: `BatchGetAccountStatus` for the scanned account, then
//! (only when Inspector is on) `ListFindings` filtered to ACTIVE
//! CRITICAL/HIGH, paginated and capped at [`MAX_PAGES`].

use aws_sdk_inspector2::Client;
use aws_sdk_inspector2::types::{FilterCriteria, Status, StringComparison, StringFilter};
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};

const SCANNING: &str = "inspector.scanning_enabled";
const CODE: &str = "appsec.code_scanning";
const OPEN: &str = "inspector.open_critical_findings";

const A_STATUS: &str = "inspector2:BatchGetAccountStatus";
const A_FINDINGS: &str = "inspector2:ListFindings";

const MAX_PAGES: usize = 10;
/// Days a finding may stay open, by severity.
const CRITICAL_SLA_DAYS: i64 = 15;
const HIGH_SLA_DAYS: i64 = 30;
const DAY: i64 = 86_400;

pub const CHECKS: &[CheckMeta] = &[
    CheckMeta {
        id: SCANNING,
        title_en: "Amazon Inspector scanning for EC2, ECR and Lambda",
        title_ja: "Amazon Inspector による EC2・ECR・Lambda のスキャン",
        bps: &["SEC06-BP01", "SEC06-BP05", "SEC11-BP02"],
        service: "inspector2",
        actions: &[A_STATUS],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: CODE,
        title_en: "Automated code scanning (Inspector Lambda code scanning)",
        title_ja: "コードの自動スキャン（Inspector の Lambda コードスキャン）",
        bps: &["SEC11-BP02"],
        service: "inspector2",
        actions: &[A_STATUS],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: OPEN,
        title_en: "No overdue critical or high Inspector findings",
        title_ja: "期限を過ぎた重大・高リスクの Inspector 検出結果がないこと",
        bps: &["SEC06-BP01"],
        service: "inspector2",
        actions: &[A_STATUS, A_FINDINGS],
        scope: Scope::Regional,
    },
];

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

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let status = match client
        .batch_get_account_status()
        .account_ids(&cx.account)
        .send()
        .await
    {
        Err(e) => {
            return CHECKS
                .iter()
                .map(|c| Finding::unknown_from(c.id, A_STATUS, &e))
                .collect();
        }
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
    evaluate(
        &status,
        findings.as_ref(),
        time::OffsetDateTime::now_utc().unix_timestamp(),
    )
}

async fn fetch_findings(client: &Client) -> Result<(Vec<Vuln>, bool), ErrorMetadata> {
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
        let page = page.map_err(|e| e.meta().clone())?;
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
    findings: Option<&Result<(Vec<Vuln>, bool), ErrorMetadata>>,
    now: i64,
) -> Vec<Finding> {
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
        Finding::pass(SCANNING, "Inspector scans EC2, ECR and Lambda")
    } else if !status.enabled {
        Finding::fail(SCANNING, "Amazon Inspector is not enabled in this Region")
    } else {
        Finding::fail(
            SCANNING,
            format!("Inspector scanning off for: {}", scan_off.join(", ")),
        )
    };
    let code = if off(&["Lambda code"]).is_empty() {
        Finding::pass(CODE, "Inspector Lambda code scanning is on")
    } else {
        Finding::fail(CODE, "Inspector Lambda code scanning is off")
    };
    let open = match findings {
        None => Finding::not_applicable(
            OPEN,
            "Amazon Inspector is not enabled, no findings to judge",
        ),
        Some(Err(e)) => Finding::unknown_from(OPEN, A_FINDINGS, e),
        Some(Ok((list, truncated))) => {
            let overdue: Vec<&Vuln> = list
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
            let note = if *truncated {
                " (first pages only)"
            } else {
                ""
            };
            if overdue.is_empty() {
                Finding::pass(
                    OPEN,
                    format!(
                        "no CRITICAL finding open over {CRITICAL_SLA_DAYS} days or HIGH over {HIGH_SLA_DAYS} days{note}"
                    ),
                )
            } else {
                let crit = overdue.iter().filter(|v| v.critical).count();
                let mut res: Vec<String> = overdue.iter().map(|v| v.resource.clone()).collect();
                res.sort();
                res.dedup();
                Finding::fail(
                    OPEN,
                    format!(
                        "{crit} CRITICAL (>{CRITICAL_SLA_DAYS}d) and {} HIGH (>{HIGH_SLA_DAYS}d) findings open on {} resource(s){note}",
                        overdue.len() - crit,
                        res.len()
                    ),
                )
                .with_resources(res)
            }
        }
    };
    vec![scanning, code, open]
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
        assert!(f[0].summary.ends_with("ECR"));
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
        assert!(f[2].summary.starts_with("1 CRITICAL"));
        assert!(f[2].summary.ends_with("(first pages only)"));
    }

    #[test]
    fn findings_error_is_unknown() {
        let e = ErrorMetadata::builder()
            .code("AccessDeniedException")
            .build();
        let f = evaluate(&status(true, [true; 4]), Some(&Err(e)), NOW);
        assert_eq!(f[2].status, EvidenceStatus::Unknown);
    }
}
