//! Security Hub: hub enabled with FSBP/CIS standards, and import of the
//! control results Security Hub already computed (ACTIVE + FAILED), keyed by
//! control id (e.g. `IAM.4`), instead of re-checking them ourselves.
//!
//! Calls per Region: `DescribeHub`; if subscribed, `GetEnabledStandards`
//! (paginated) and `GetFindings` (paginated, server-side filtered, capped at
//! [`MAX_PAGES`] pages of 100).
//!
//! Findings of `sechub.failed_controls_import` carry the control id twice:
//! as the start of the summary (`"IAM.4: ..."`) and as the first entry of
//! `resources`; the remaining resources are the failing resource ids. The
//! evidence layer maps the control id to BPs with `Bank::bps_for_control`.

use std::collections::BTreeMap;

use aws_sdk_securityhub::Client;
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, AwsSecurityFindingFilters, ComplianceStatus, RecordState, StandardsStatus,
    StringFilter, StringFilterComparison, WorkflowStatus,
};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;

const STANDARDS: CheckId = CheckId::SechubStandardsEnabled;
const IMPORT: CheckId = CheckId::SechubFailedControlsImport;

const A_HUB: &str = "securityhub:DescribeHub";
const A_STANDARDS: &str = "securityhub:GetEnabledStandards";
const A_FINDINGS: &str = "securityhub:GetFindings";

/// Upper bound on GetFindings pages (100 findings each) per region.
const MAX_PAGES: usize = 20;
/// Resources listed per control; the count in the summary stays exact.
const MAX_RESOURCES: usize = 100;

/// A standard subscription: ARN and whether it is usable.
#[derive(Debug, Clone, PartialEq)]
struct Standard {
    arn: String,
    ready: bool,
}

/// The fields of a Security Hub finding this module reads.
#[derive(Debug, Clone, PartialEq)]
struct ControlResult {
    control: Option<String>,
    title: String,
    severity: Option<String>,
    failed: bool,
    active: bool,
    /// Not suppressed or resolved by a person.
    open: bool,
    resources: Vec<String>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let hub = match client.describe_hub().send().await {
        Ok(h) => h.hub_arn().unwrap_or("hub").to_string(),
        Err(e) if e.code() == Some("InvalidAccessException") => {
            // The documented answer for "not subscribed".
            let off = tr!(
                "Security Hub CSPM is not enabled in this region",
                "このリージョンで Security Hub CSPM が有効ではありません"
            );
            return Ok(vec![
                Finding::fail(STANDARDS, off.clone()),
                Finding::not_applicable(IMPORT, off),
            ]);
        }
        Err(e) => return Err(Failure::from_sdk(A_HUB, &e)),
    };
    let standards_fut = async {
        client
            .get_enabled_standards()
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map(|subs| {
                subs.iter()
                    .map(|s| Standard {
                        arn: s.standards_arn().unwrap_or_default().to_string(),
                        ready: s.standards_status() == Some(&StandardsStatus::Ready),
                    })
                    .collect::<Vec<_>>()
            })
            .map_err(|e| Failure::from_sdk(A_STANDARDS, &e))
    };
    let findings_fut = fetch_failed_controls(&client);
    let (standards, findings) = futures::join!(standards_fut, findings_fut);
    let mut out = vec![eval_standards(&hub, &standards)];
    out.extend(eval_import(&findings));
    Ok(out)
}

async fn fetch_failed_controls(client: &Client) -> Result<(Vec<ControlResult>, bool), Failure> {
    let eq = |v: &str| {
        StringFilter::builder()
            .value(v)
            .comparison(StringFilterComparison::Equals)
            .build()
    };
    let filters = AwsSecurityFindingFilters::builder()
        .record_state(eq("ACTIVE"))
        .compliance_status(eq("FAILED"))
        .workflow_status(eq("NEW"))
        .workflow_status(eq("NOTIFIED"))
        .build();
    let mut pages = client
        .get_findings()
        .filters(filters)
        .max_results(100)
        .into_paginator()
        .send();
    let mut out = Vec::new();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk(A_FINDINGS, &e))?;
        out.extend(page.findings().iter().map(control_result));
        n += 1;
        if n >= MAX_PAGES {
            let truncated = page.next_token().is_some_and(|t| !t.is_empty());
            return Ok((out, truncated));
        }
    }
    Ok((out, false))
}

fn control_result(f: &AwsSecurityFinding) -> ControlResult {
    let compliance = f.compliance();
    ControlResult {
        control: compliance
            .and_then(|c| c.security_control_id())
            .map(str::to_string),
        title: f.title().unwrap_or_default().to_string(),
        severity: f
            .severity()
            .and_then(|s| s.label())
            .map(|l| l.as_str().to_string()),
        failed: compliance.and_then(|c| c.status()) == Some(&ComplianceStatus::Failed),
        active: f.record_state() == Some(&RecordState::Active),
        open: !matches!(
            f.workflow().and_then(|w| w.status()),
            Some(WorkflowStatus::Suppressed | WorkflowStatus::Resolved)
        ),
        resources: f
            .resources()
            .iter()
            .filter_map(|r| r.id().map(str::to_string))
            .collect(),
    }
}

fn is_baseline(arn: &str) -> bool {
    arn.contains("aws-foundational-security-best-practices")
        || arn.contains("cis-aws-foundations-benchmark")
}

fn eval_standards(hub: &str, standards: &Result<Vec<Standard>, Failure>) -> Finding {
    let subs = match standards {
        Ok(s) => s,
        Err(f) => {
            let u = f.summary();
            let (en, ja) = (u.en, u.ja);
            return Finding::unknown(
                STANDARDS,
                tr!(
                    "Security Hub CSPM is enabled; {en}",
                    "Security Hub CSPM は有効です。{ja}"
                ),
            )
            .with_resources([hub.to_string()]);
        }
    };
    let baseline: Vec<String> = subs
        .iter()
        .filter(|s| s.ready && is_baseline(&s.arn))
        .map(|s| s.arn.clone())
        .collect();
    let res = std::iter::once(hub.to_string());
    if baseline.is_empty() {
        let n = subs.len();
        Finding::fail(
            STANDARDS,
            tr!(
                "Security Hub CSPM is enabled but neither the FSBP nor the CIS standard is active ({n} standards subscribed)",
                "Security Hub CSPM は有効ですが、FSBP 標準も CIS 標準も有効ではありません（適用中の標準 {n} 件）"
            ),
        )
        .with_resources(res)
    } else {
        let n = baseline.len();
        Finding::pass(
            STANDARDS,
            tr!(
                "Security Hub CSPM is enabled with {n} baseline standards",
                "Security Hub CSPM が有効で、ベースラインの標準 {n} 件が適用されています"
            ),
        )
        .with_resources(res.chain(baseline))
    }
}

/// One `fail` finding per failed control; `pass` when none fail.
fn eval_import(findings: &Result<(Vec<ControlResult>, bool), Failure>) -> Vec<Finding> {
    let (list, truncated) = match findings {
        Ok(x) => x,
        Err(f) => return vec![f.finding(IMPORT)],
    };
    // Filters are applied again here: some endpoints ignore them.
    let mut by_control: BTreeMap<&str, (&str, Option<&str>, Vec<&str>)> = BTreeMap::new();
    for r in list.iter().filter(|r| r.failed && r.active && r.open) {
        let Some(control) = r.control.as_deref() else {
            continue;
        };
        let entry = by_control.entry(control).or_insert((
            r.title.as_str(),
            r.severity.as_deref(),
            Vec::new(),
        ));
        entry.2.extend(r.resources.iter().map(String::as_str));
    }
    let (note_en, note_ja) = if *truncated {
        (" (first pages only)", "（先頭ページのみ）")
    } else {
        ("", "")
    };
    if by_control.is_empty() {
        return vec![Finding::pass(
            IMPORT,
            tr!(
                "no active FAILED Security Hub CSPM control findings{note_en}",
                "Security Hub CSPM で不合格の有効なコントロールの検出結果はありません{note_ja}"
            ),
        )];
    }
    by_control
        .into_iter()
        .map(|(control, (title, severity, mut resources))| {
            resources.sort_unstable();
            resources.dedup();
            let n = resources.len();
            let sev = severity.map(|s| format!(" [{s}]")).unwrap_or_default();
            let mut f = Finding::fail(
                IMPORT,
                tr!(
                    "{control}: FAILED for {n} resources{sev}: {title}{note_en}",
                    "{control}: {n} 件のリソースで不合格{sev}: {title}{note_ja}"
                ),
            );
            // The control id leads: the evidence layer maps it to BPs.
            f.resources = std::iter::once(control.to_string())
                .chain(
                    resources
                        .into_iter()
                        .take(MAX_RESOURCES)
                        .map(str::to_string),
                )
                .collect();
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    const FSBP: &str =
        "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0";

    fn failed(control: &str, resource: &str) -> ControlResult {
        ControlResult {
            control: Some(control.into()),
            title: format!("{control} title"),
            severity: Some("HIGH".into()),
            failed: true,
            active: true,
            open: true,
            resources: vec![resource.into()],
        }
    }

    #[test]
    fn standards_pass_only_with_ready_baseline() {
        let ok = Ok(vec![Standard {
            arn: FSBP.into(),
            ready: true,
        }]);
        assert_eq!(eval_standards("hub", &ok).status, EvidenceStatus::Pass);
        let pending = Ok(vec![Standard {
            arn: FSBP.into(),
            ready: false,
        }]);
        assert_eq!(eval_standards("hub", &pending).status, EvidenceStatus::Fail);
        let other = Ok(vec![Standard {
            arn: "arn:aws:securityhub:::standards/pci-dss/v/3.2.1".into(),
            ready: true,
        }]);
        assert_eq!(eval_standards("hub", &other).status, EvidenceStatus::Fail);
    }

    #[test]
    fn standards_error_is_unknown_but_mentions_hub() {
        let e = Failure::new(
            A_STANDARDS,
            crate::check::FailureKind::Other,
            "NotImplemented",
        );
        let f = eval_standards("hub", &Err(e));
        assert_eq!(f.status, EvidenceStatus::Unknown);
        assert!(f.summary.en.starts_with("Security Hub CSPM is enabled"));
    }

    #[test]
    fn failed_controls_grouped_by_control_id() {
        let list = vec![
            failed("IAM.4", "AWS::::Account:1"),
            failed("S3.1", "arn:aws:s3:::a"),
            failed("S3.1", "arn:aws:s3:::b"),
            failed("S3.1", "arn:aws:s3:::a"),
        ];
        let f = eval_import(&Ok((list, false)));
        assert_eq!(f.len(), 2);
        assert!(
            f.iter()
                .all(|x| x.status == EvidenceStatus::Fail && x.check == IMPORT)
        );
        let s3 = f.iter().find(|x| x.resources[0] == "S3.1").unwrap();
        assert_eq!(
            s3.resources,
            vec!["S3.1", "arn:aws:s3:::a", "arn:aws:s3:::b"]
        );
        assert!(
            s3.summary
                .en
                .starts_with("S3.1: FAILED for 2 resources [HIGH]")
        );
    }

    #[test]
    fn passed_suppressed_archived_and_unmapped_are_ignored() {
        let mut passed = failed("IAM.4", "x");
        passed.failed = false;
        let mut suppressed = failed("IAM.5", "x");
        suppressed.open = false;
        let mut archived = failed("IAM.6", "x");
        archived.active = false;
        let mut no_control = failed("IAM.7", "x");
        no_control.control = None;
        let f = eval_import(&Ok((vec![passed, suppressed, archived, no_control], false)));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].status, EvidenceStatus::Pass);
    }

    #[test]
    fn truncation_is_reported_and_errors_are_unknown() {
        let f = eval_import(&Ok((vec![failed("EC2.2", "sg")], true)));
        assert!(f[0].summary.en.ends_with("(first pages only)"));
        let e = Failure::new(
            A_FINDINGS,
            crate::check::FailureKind::AccessDenied,
            "AccessDeniedException",
        );
        assert_eq!(eval_import(&Err(e))[0].status, EvidenceStatus::Unknown);
    }
}
