//! Systems Manager: running EC2 instances are managed nodes that answer
//! (so they can be patched and reached without SSH), and managed nodes are
//! compliant with their patch baseline after a recent scan.
//!
//! Calls per region: `ec2:DescribeInstances` for running instances; only
//! when there are some, `DescribeInstanceInformation` (paginated) and, when
//! some nodes are managed, `ListResourceComplianceSummaries` filtered to
//! the `Patch` compliance type (paginated).
//!
//! Instances launched in the last [`GRACE_MINUTES`] minutes are not judged
//! for management (the agent registers a few minutes after boot). A patch
//! scan older than [`MAX_SCAN_AGE_DAYS`] days says little about today's
//! missing patches, so it fails too.
//!
//! moto 5.2.5 does not implement `DescribeInstanceInformation` or the
//! compliance APIs: against moto both checks are `unknown` (or
//! `not_applicable` without running instances); pass and fail are tested on
//! recorded-style data below.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::Filter;
use aws_sdk_ssm::Client;
use aws_sdk_ssm::types::{ComplianceQueryOperatorType, ComplianceStatus, ComplianceStringFilter};
use time::OffsetDateTime;

use super::ServiceCtx;
use super::tally::{Noun, Tally};
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use wasec_core::Text;

const A_INSTANCES: &str = "ec2:DescribeInstances";
const A_INFO: &str = "ssm:DescribeInstanceInformation";
const A_COMPLIANCE: &str = "ssm:ListResourceComplianceSummaries";

const INSTANCES: Noun = Noun {
    en: "running instances",
    ja: "実行中のインスタンス",
};
const NODES: Noun = Noun {
    en: "managed nodes",
    ja: "マネージドノード",
};
pub const GRACE_MINUTES: i64 = 30;
pub const MAX_SCAN_AGE_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq)]
struct Instance {
    id: String,
    launched: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq)]
struct Patch {
    compliant: bool,
    critical: i32,
    high: i32,
    missing: i32,
    scanned: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Inventory {
    account: String,
    region: String,
    running: Vec<Instance>,
    /// Managed node id → ping status (`Online`, `ConnectionLost` ...).
    managed: BTreeMap<String, String>,
    /// Node id → its patch compliance summary.
    patches: BTreeMap<String, Patch>,
}

fn datetime(t: &aws_smithy_types::DateTime) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(t.secs()).ok()
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let mut inv = Inventory {
        account: cx.account.clone(),
        region: cx.region.clone(),
        ..Inventory::default()
    };
    inv.running = running_instances(&cx.client()).await?;
    if !inv.running.is_empty() {
        let client: Client = cx.client();
        inv.managed = managed_nodes(&client).await?;
        if !inv.managed.is_empty() {
            inv.patches = patch_summaries(&client).await?;
        }
    }
    Ok(evaluate(&inv, wasec_core::now()))
}

async fn running_instances(ec2: &aws_sdk_ec2::Client) -> Result<Vec<Instance>, Failure> {
    let reservations = ec2
        .describe_instances()
        .filters(
            Filter::builder()
                .name("instance-state-name")
                .values("running")
                .build(),
        )
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_INSTANCES, &e))?;
    let mut out: Vec<Instance> = reservations
        .iter()
        .flat_map(|r| r.instances())
        .map(|i| Instance {
            id: i.instance_id().unwrap_or_default().to_string(),
            launched: i.launch_time().and_then(datetime),
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

async fn managed_nodes(client: &Client) -> Result<BTreeMap<String, String>, Failure> {
    let nodes = client
        .describe_instance_information()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_INFO, &e))?;
    Ok(nodes
        .iter()
        .filter_map(|n| {
            let ping = n.ping_status().map(|p| p.as_str()).unwrap_or("Unknown");
            Some((n.instance_id()?.to_string(), ping.to_string()))
        })
        .collect())
}

async fn patch_summaries(client: &Client) -> Result<BTreeMap<String, Patch>, Failure> {
    let patch_only = ComplianceStringFilter::builder()
        .key("ComplianceType")
        .values("Patch")
        .r#type(ComplianceQueryOperatorType::Equal)
        .build();
    let items = client
        .list_resource_compliance_summaries()
        .filters(patch_only)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_COMPLIANCE, &e))?;
    Ok(items
        .iter()
        .filter(|i| i.compliance_type().is_none_or(|t| t == "Patch"))
        .filter_map(|i| {
            let severity = i.non_compliant_summary().and_then(|n| n.severity_summary());
            Some((
                i.resource_id()?.to_string(),
                Patch {
                    compliant: i.status() == Some(&ComplianceStatus::Compliant),
                    critical: severity.map(|s| s.critical_count()).unwrap_or(0),
                    high: severity.map(|s| s.high_count()).unwrap_or(0),
                    missing: i
                        .non_compliant_summary()
                        .map(|n| n.non_compliant_count())
                        .unwrap_or(0),
                    scanned: i
                        .execution_summary()
                        .and_then(|e| datetime(e.execution_time())),
                },
            ))
        })
        .collect())
}

fn evaluate(inv: &Inventory, now: OffsetDateTime) -> Vec<Finding> {
    vec![eval_managed(inv, now), eval_patches(inv, now)]
}

fn node_arn(inv: &Inventory, id: &str) -> String {
    let (region, account) = (&inv.region, &inv.account);
    if id.starts_with("i-") {
        format!("arn:aws:ec2:{region}:{account}:instance/{id}")
    } else {
        format!("arn:aws:ssm:{region}:{account}:managed-instance/{id}")
    }
}

fn eval_managed(inv: &Inventory, now: OffsetDateTime) -> Finding {
    let mut t = Tally::new(INSTANCES);
    let grace = time::Duration::minutes(GRACE_MINUTES);
    for i in &inv.running {
        if i.launched.is_some_and(|l| now - l < grace) {
            continue;
        }
        let problem = match inv.managed.get(&i.id).map(String::as_str) {
            None => Some(tr!(
                "not a Systems Manager managed node",
                "Systems Manager のマネージドノードではありません"
            )),
            Some("Online") => None,
            Some(ping) => Some(tr!("PingStatus {ping}", "PingStatus が {ping}")),
        };
        t.judge(&node_arn(inv, &i.id), &i.id, problem, false);
    }
    t.finish(
        CheckId::SsmInstancesManaged,
        (
            "are not managed by Systems Manager or do not answer",
            "Systems Manager で管理されていないか応答していません",
        ),
        (
            "are managed by Systems Manager and online",
            "Systems Manager で管理され、オンラインです",
        ),
        tr!(
            "no EC2 instance running for more than {GRACE_MINUTES} minutes in this region",
            "このリージョンに {GRACE_MINUTES} 分を超えて実行中の EC2 インスタンスはありません"
        ),
    )
}

fn patch_problem(p: Option<&Patch>, now: OffsetDateTime) -> Option<Text> {
    let Some(p) = p else {
        return Some(tr!(
            "no patch compliance data (never scanned)",
            "パッチコンプライアンスのデータなし（未スキャン）"
        ));
    };
    if !p.compliant {
        let (missing, critical, high) = (p.missing, p.critical, p.high);
        return Some(tr!(
            "NON_COMPLIANT, {missing} patches missing ({critical} critical, {high} high)",
            "NON_COMPLIANT、未適用のパッチ {missing} 件（重大 {critical} 件、高 {high} 件）"
        ));
    }
    let age = p.scanned.map(|s| (now - s).whole_days());
    match age {
        Some(days) if days > MAX_SCAN_AGE_DAYS => Some(tr!(
            "COMPLIANT at the last scan {days} days ago",
            "最後のスキャン（{days} 日前）時点で COMPLIANT"
        )),
        _ => None,
    }
}

fn eval_patches(inv: &Inventory, now: OffsetDateTime) -> Finding {
    let mut t = Tally::new(NODES);
    for id in inv.managed.keys() {
        t.judge(
            &node_arn(inv, id),
            id,
            patch_problem(inv.patches.get(id), now),
            false,
        );
    }
    t.finish(
        CheckId::SsmPatchCompliance,
        (
            "are missing patches or were not scanned recently",
            "パッチが未適用か、最近スキャンされていません",
        ),
        (
            "were compliant with their patch baseline at a scan within 30 days",
            "30 日以内のスキャンでパッチベースラインに準拠しています",
        ),
        tr!(
            "no Systems Manager managed node in this region",
            "このリージョンに Systems Manager のマネージドノードはありません"
        ),
    )
}

#[cfg(test)]
mod tests {
    //! Pure evaluation over data shaped like the API's answers (moto lacks
    //! these Systems Manager APIs).
    use super::*;
    use time::macros::datetime;
    use wasec_core::review::EvidenceStatus;

    const NOW: OffsetDateTime = datetime!(2026-12-01 12:00 UTC);

    fn instance(id: &str, minutes_ago: i64) -> Instance {
        Instance {
            id: id.into(),
            launched: Some(NOW - time::Duration::minutes(minutes_ago)),
        }
    }

    fn patch(compliant: bool, days_ago: i64) -> Patch {
        Patch {
            compliant,
            critical: if compliant { 0 } else { 2 },
            high: if compliant { 0 } else { 1 },
            missing: if compliant { 0 } else { 5 },
            scanned: Some(NOW - time::Duration::days(days_ago)),
        }
    }

    fn inventory() -> Inventory {
        Inventory {
            account: "123456789012".into(),
            region: "us-east-1".into(),
            running: vec![
                instance("i-managed", 600),
                instance("i-lost", 600),
                instance("i-unmanaged", 600),
                instance("i-booting", 5),
            ],
            managed: BTreeMap::from([
                ("i-managed".to_string(), "Online".to_string()),
                ("i-lost".to_string(), "ConnectionLost".to_string()),
                ("mi-onprem".to_string(), "Online".to_string()),
            ]),
            patches: BTreeMap::from([
                ("i-managed".to_string(), patch(true, 2)),
                ("i-lost".to_string(), patch(false, 2)),
                ("mi-onprem".to_string(), patch(true, 90)),
            ]),
        }
    }

    #[test]
    fn unmanaged_and_unreachable_instances_fail_by_name_and_new_ones_wait() {
        let f = eval_managed(&inventory(), NOW);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(
            f.resources,
            vec![
                "arn:aws:ec2:us-east-1:123456789012:instance/i-lost",
                "arn:aws:ec2:us-east-1:123456789012:instance/i-unmanaged"
            ]
        );
        assert!(
            f.summary.en.starts_with("2 of 3 running instances"),
            "{}",
            f.summary.en
        );
        assert!(f.summary.en.contains("i-lost (PingStatus ConnectionLost)"));
        assert!(
            f.summary
                .en
                .contains("i-unmanaged (not a Systems Manager managed node)")
        );
        let mut fine = inventory();
        fine.running
            .retain(|i| i.id == "i-managed" || i.id == "i-booting");
        assert_eq!(eval_managed(&fine, NOW).status, EvidenceStatus::Pass);
        fine.running.retain(|i| i.id == "i-booting");
        assert_eq!(
            eval_managed(&fine, NOW).status,
            EvidenceStatus::NotApplicable
        );
    }

    #[test]
    fn missing_patches_stale_scans_and_unscanned_nodes_fail() {
        let mut inv = inventory();
        inv.managed.insert("i-new".into(), "Online".into());
        let f = eval_patches(&inv, NOW);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources.len(), 3);
        assert!(f.resources.contains(
            &"arn:aws:ssm:us-east-1:123456789012:managed-instance/mi-onprem".to_string()
        ));
        assert!(
            f.summary
                .en
                .contains("i-lost (NON_COMPLIANT, 5 patches missing (2 critical, 1 high))"),
            "{}",
            f.summary.en
        );
        assert!(
            f.summary
                .en
                .contains("i-new (no patch compliance data (never scanned))")
        );
        assert!(
            f.summary
                .en
                .contains("mi-onprem (COMPLIANT at the last scan 90 days ago)")
        );
        assert!(
            f.summary
                .ja
                .contains("i-lost（NON_COMPLIANT、未適用のパッチ 5 件（重大 2 件、高 1 件））")
        );
        inv.managed.retain(|k, _| k == "i-managed");
        let f = eval_patches(&inv, NOW);
        assert_eq!(f.status, EvidenceStatus::Pass, "{}", f.summary.en);
    }

    #[test]
    fn nothing_running_is_not_applicable() {
        let f = evaluate(&Inventory::default(), NOW);
        assert_eq!(f.len(), crate::check::Service::Ssm.checks().count());
        assert!(f.iter().all(|f| f.status == EvidenceStatus::NotApplicable));
    }
}
