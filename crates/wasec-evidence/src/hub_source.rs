//! Security Hub CSPM as an evidence source (`--source securityhub`): the
//! control results Security Hub already computed for every account,
//! read centrally from the calling account (the Security Hub
//! administrator) instead of scanning each account.
//!
//! Calls: `ListFindingAggregators` once (is there an aggregation region?),
//! then `GetFindings` pages of 100 from that region, or from the home
//! region when there is none. Requests grow with findings, not with
//! accounts x regions x services. With an account filter (an OU, a
//! shard, `--accounts`), ids go 20 to a request, the API's limit per
//! filter field.
//!
//! Every filter is applied again on the client: some endpoints (moto)
//! ignore some of them.

use crate::check::Failure;
use crate::clients::Clients;
use aws_sdk_securityhub::Client;
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, AwsSecurityFindingFilters, ComplianceStatus, RecordState, StringFilter,
    StringFilterComparison, WorkflowStatus,
};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::collections::{BTreeMap, BTreeSet};

pub const A_AGGREGATORS: &str = "securityhub:ListFindingAggregators";
pub const A_FINDINGS: &str = "securityhub:GetFindings";

/// What the calling account needs for this source.
pub const ACTIONS: &[&str] = &[A_AGGREGATORS, A_FINDINGS];

/// Values per filter field the API accepts.
const FILTER_VALUES: usize = 20;

/// One control's results in one account and region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub title: String,
    /// Resources with a FAILED result (a resource failing under one
    /// standard and passing under another counts as failed).
    pub failed: BTreeSet<String>,
    pub passed: BTreeSet<String>,
}

/// Control results of one account: (control id, region) -> tally.
pub type AccountControls = BTreeMap<(String, String), Tally>;

/// What a sweep read.
#[derive(Debug, Clone, Default)]
pub struct HubRead {
    /// Where GetFindings was called.
    pub region: String,
    /// An aggregation region answered for its linked regions.
    pub aggregated: bool,
    /// Findings kept, per account.
    pub accounts: BTreeMap<String, AccountControls>,
    /// Findings kept.
    pub findings: usize,
    /// Findings returned but dropped by the client-side filters (another
    /// account, no control id, suppressed, archived).
    pub dropped: usize,
}

impl HubRead {
    /// Whether Security Hub has control results for `account`.
    pub fn covers(&self, account: &str) -> bool {
        self.accounts.get(account).is_some_and(|c| !c.is_empty())
    }
}

/// The region to read from: the aggregation region when an aggregator
/// exists (its ARN names it), else `home`. "Not found" and "not
/// supported" answers (moto has no aggregators) mean "none".
pub async fn aggregation_region(aws: &Clients) -> Result<Option<String>, Failure> {
    let hub: Client = aws.client();
    match hub.list_finding_aggregators().send().await {
        Ok(out) => Ok(out
            .finding_aggregators()
            .iter()
            .filter_map(|a| a.finding_aggregator_arn())
            .filter_map(|arn| arn.split(':').nth(3).map(str::to_string))
            .find(|r| !r.is_empty())),
        Err(e) => {
            let status = e.raw_response().map(|r| r.status().as_u16());
            let code = e.code().unwrap_or_default();
            if status == Some(404)
                || code.contains("NotFound")
                || code == "InvalidAccessException"
                || code == "UnsupportedOperation"
            {
                Ok(None)
            } else {
                Err(Failure::from_sdk(A_AGGREGATORS, &e))
            }
        }
    }
}

/// Read every active, unsuppressed PASSED/FAILED control finding of
/// `accounts` (`None`: every account the caller administers).
pub async fn sweep(
    aws: &Clients,
    home: &str,
    accounts: Option<&[String]>,
) -> Result<HubRead, Failure> {
    let aggregator = aggregation_region(&aws.for_region(home)).await?;
    let region = aggregator.clone().unwrap_or_else(|| home.to_string());
    let client: Client = aws.for_region(&region).client();
    let mut read = HubRead {
        region,
        aggregated: aggregator.is_some(),
        ..HubRead::default()
    };
    let wanted: Option<BTreeSet<&str>> = accounts.map(|a| a.iter().map(String::as_str).collect());
    let chunks: Vec<Option<&[String]>> = match accounts {
        Some(list) => list.chunks(FILTER_VALUES).map(Some).collect(),
        None => vec![None],
    };
    for chunk in chunks {
        let mut pages = client
            .get_findings()
            .filters(filters(chunk))
            .max_results(100)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| Failure::from_sdk(A_FINDINGS, &e))?;
            for f in page.findings() {
                match keep(f, wanted.as_ref()) {
                    Some(k) => add(&mut read, k),
                    None => read.dropped += 1,
                }
            }
        }
    }
    Ok(read)
}

fn filters(accounts: Option<&[String]>) -> AwsSecurityFindingFilters {
    let f =
        |v: &str, c: StringFilterComparison| StringFilter::builder().value(v).comparison(c).build();
    let eq = |v: &str| f(v, StringFilterComparison::Equals);
    let mut b = AwsSecurityFindingFilters::builder()
        .compliance_status(eq("FAILED"))
        .compliance_status(eq("PASSED"))
        .record_state(eq("ACTIVE"))
        .workflow_status(f("SUPPRESSED", StringFilterComparison::NotEquals));
    for a in accounts.into_iter().flatten() {
        b = b.aws_account_id(eq(a));
    }
    b.build()
}

/// The parts of a finding this source keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Kept {
    account: String,
    region: String,
    control: String,
    title: String,
    failed: bool,
    resources: Vec<String>,
}

fn keep(f: &AwsSecurityFinding, wanted: Option<&BTreeSet<&str>>) -> Option<Kept> {
    let account = f.aws_account_id()?;
    if wanted.is_some_and(|w| !w.contains(account)) {
        return None;
    }
    let compliance = f.compliance()?;
    let control = compliance.security_control_id().filter(|c| !c.is_empty())?;
    let failed = match compliance.status()? {
        ComplianceStatus::Failed => true,
        ComplianceStatus::Passed => false,
        _ => return None,
    };
    if f.record_state() != Some(&RecordState::Active)
        || f.workflow().and_then(|w| w.status()) == Some(&WorkflowStatus::Suppressed)
    {
        return None;
    }
    Some(Kept {
        account: account.to_string(),
        region: f.region().unwrap_or_default().to_string(),
        control: control.to_string(),
        title: f.title().unwrap_or_default().to_string(),
        failed,
        resources: f
            .resources()
            .iter()
            .filter_map(|r| r.id().map(str::to_string))
            .collect(),
    })
}

fn add(read: &mut HubRead, k: Kept) {
    read.findings += 1;
    let tally = read
        .accounts
        .entry(k.account)
        .or_default()
        .entry((k.control, k.region))
        .or_default();
    if tally.title.is_empty() {
        tally.title = k.title;
    }
    for r in k.resources {
        if k.failed {
            tally.passed.remove(&r);
            tally.failed.insert(r);
        } else if !tally.failed.contains(&r) {
            tally.passed.insert(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_securityhub::types::{Compliance, Resource, Workflow};

    fn finding(
        account: &str,
        control: &str,
        status: ComplianceStatus,
        res: &str,
    ) -> AwsSecurityFinding {
        AwsSecurityFinding::builder()
            .aws_account_id(account)
            .region("us-east-1")
            .title(format!("{control} title"))
            .compliance(
                Compliance::builder()
                    .status(status)
                    .security_control_id(control)
                    .build(),
            )
            .record_state(RecordState::Active)
            .workflow(Workflow::builder().status(WorkflowStatus::New).build())
            .resources(Resource::builder().id(res).r#type("AwsS3Bucket").build())
            .build()
    }

    #[test]
    fn client_side_filters_drop_other_accounts_and_suppressed_or_archived_findings() {
        let wanted: BTreeSet<&str> = ["111122223333"].into();
        let ok = finding("111122223333", "S3.8", ComplianceStatus::Failed, "arn:a");
        assert!(keep(&ok, Some(&wanted)).is_some());
        let other = finding("444455556666", "S3.8", ComplianceStatus::Failed, "arn:a");
        assert!(keep(&other, Some(&wanted)).is_none());
        assert!(keep(&other, None).is_some());
        let mut suppressed = ok.clone();
        suppressed.workflow = Some(
            Workflow::builder()
                .status(WorkflowStatus::Suppressed)
                .build(),
        );
        assert!(keep(&suppressed, None).is_none());
        let mut archived = ok.clone();
        archived.record_state = Some(RecordState::Archived);
        assert!(keep(&archived, None).is_none());
        let mut no_control = ok.clone();
        no_control.compliance = Some(
            Compliance::builder()
                .status(ComplianceStatus::Failed)
                .build(),
        );
        assert!(keep(&no_control, None).is_none());
        let warning = finding("111122223333", "S3.8", ComplianceStatus::Warning, "arn:a");
        assert!(keep(&warning, None).is_none());
    }

    #[test]
    fn a_resource_failing_anywhere_counts_as_failed_once() {
        let mut read = HubRead::default();
        for (status, res) in [
            (ComplianceStatus::Passed, "arn:b"),
            (ComplianceStatus::Passed, "arn:a"),
            (ComplianceStatus::Failed, "arn:a"),
            (ComplianceStatus::Passed, "arn:a"),
        ] {
            add(
                &mut read,
                keep(&finding("1", "S3.8", status, res), None).unwrap(),
            );
        }
        let t = &read.accounts["1"][&("S3.8".to_string(), "us-east-1".to_string())];
        assert_eq!(t.failed.iter().collect::<Vec<_>>(), vec!["arn:a"]);
        assert_eq!(t.passed.iter().collect::<Vec<_>>(), vec!["arn:b"]);
        assert_eq!(read.findings, 4);
        assert!(read.covers("1") && !read.covers("2"));
    }

    #[test]
    fn account_filters_hold_at_most_twenty_values() {
        let accounts: Vec<String> = (0..45).map(|i| format!("{:012}", i)).collect();
        let chunks: Vec<_> = accounts.chunks(FILTER_VALUES).collect();
        assert_eq!(chunks.len(), 3);
        for c in chunks {
            assert!(filters(Some(c)).aws_account_id().len() <= 20);
        }
        assert!(filters(None).aws_account_id().is_empty());
    }
}
