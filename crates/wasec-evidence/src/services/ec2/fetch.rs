//! The EC2 API calls, run concurrently, each into its own `Result`.

use super::{AclEntry, Ec2Data, Instance, NetworkAcl, Rule, SecurityGroup, Snapshot, UserData};
use crate::check::Failure;
use crate::util;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{
    HttpTokensState, InstanceAttributeName, InstanceStateName, PermissionGroup,
    SnapshotAttributeName,
};
use futures::StreamExt;
use std::collections::BTreeSet;

/// Concurrent per-resource reads (snapshot attributes, user data).
const PER_RESOURCE: usize = 8;

pub(super) async fn all(ec2: &Client) -> Ec2Data {
    let (
        groups,
        acls,
        vpcs,
        flow_log_targets,
        ebs_default,
        volumes,
        snapshots,
        public_snapshots,
        instances,
        subnets,
    ) = tokio::join!(
        security_groups(ec2),
        network_acls(ec2),
        vpcs(ec2),
        flow_logs(ec2),
        ebs_default(ec2),
        volumes(ec2),
        snapshots(ec2),
        public_snapshots(ec2),
        instances(ec2),
        subnets(ec2),
    );
    let user_data = match &instances {
        Ok(list) => Ok(user_data(ec2, list).await),
        Err(f) => Err(f.clone()),
    };
    Ec2Data {
        groups,
        acls,
        vpcs,
        flow_log_targets,
        ebs_default,
        volumes,
        snapshots,
        public_snapshots,
        instances,
        user_data,
        subnets,
    }
}

async fn security_groups(ec2: &Client) -> Result<Vec<SecurityGroup>, Failure> {
    let mut pages = ec2.describe_security_groups().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk("ec2:DescribeSecurityGroups", &e))?;
        for g in page.security_groups() {
            out.push(SecurityGroup {
                id: g.group_id().unwrap_or_default().to_string(),
                name: g.group_name().unwrap_or_default().to_string(),
                ingress: g
                    .ip_permissions()
                    .iter()
                    .map(|p| Rule {
                        protocol: p.ip_protocol().unwrap_or("-1").to_string(),
                        from: p.from_port(),
                        to: p.to_port(),
                        sources: p
                            .ip_ranges()
                            .iter()
                            .filter_map(|r| r.cidr_ip().map(str::to_string))
                            .chain(
                                p.ipv6_ranges()
                                    .iter()
                                    .filter_map(|r| r.cidr_ipv6().map(str::to_string)),
                            )
                            .collect(),
                    })
                    .collect(),
                egress_rules: g.ip_permissions_egress().len(),
            });
        }
    }
    Ok(out)
}

async fn network_acls(ec2: &Client) -> Result<Vec<NetworkAcl>, Failure> {
    let mut pages = ec2.describe_network_acls().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk("ec2:DescribeNetworkAcls", &e))?;
        for a in page.network_acls() {
            out.push(NetworkAcl {
                id: a.network_acl_id().unwrap_or_default().to_string(),
                entries: a
                    .entries()
                    .iter()
                    .map(|e| AclEntry {
                        number: e.rule_number().unwrap_or(i32::MAX),
                        egress: e.egress().unwrap_or(false),
                        allow: e.rule_action() == Some(&aws_sdk_ec2::types::RuleAction::Allow),
                        protocol: e.protocol().unwrap_or("-1").to_string(),
                        from: e.port_range().and_then(|p| p.from()),
                        to: e.port_range().and_then(|p| p.to()),
                        cidr: e
                            .cidr_block()
                            .or(e.ipv6_cidr_block())
                            .unwrap_or_default()
                            .to_string(),
                    })
                    .collect(),
            });
        }
    }
    Ok(out)
}

async fn vpcs(ec2: &Client) -> Result<Vec<String>, Failure> {
    let mut pages = ec2.describe_vpcs().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk("ec2:DescribeVpcs", &e))?;
        out.extend(
            page.vpcs()
                .iter()
                .filter_map(|v| v.vpc_id().map(str::to_string)),
        );
    }
    Ok(out)
}

async fn flow_logs(ec2: &Client) -> Result<BTreeSet<String>, Failure> {
    let mut pages = ec2.describe_flow_logs().into_paginator().send();
    let mut out = BTreeSet::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk("ec2:DescribeFlowLogs", &e))?;
        out.extend(
            page.flow_logs()
                .iter()
                .filter(|f| f.flow_log_status().is_none_or(|s| s == "ACTIVE"))
                .filter_map(|f| f.resource_id().map(str::to_string)),
        );
    }
    Ok(out)
}

async fn ebs_default(ec2: &Client) -> Result<bool, Failure> {
    ec2.get_ebs_encryption_by_default()
        .send()
        .await
        .map(|o| o.ebs_encryption_by_default().unwrap_or(false))
        .map_err(|e| Failure::from_sdk("ec2:GetEbsEncryptionByDefault", &e))
}

async fn volumes(ec2: &Client) -> Result<Vec<(String, bool)>, Failure> {
    let mut pages = ec2
        .describe_volumes()
        .max_results(500)
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk("ec2:DescribeVolumes", &e))?;
        out.extend(page.volumes().iter().map(|v| {
            (
                v.volume_id().unwrap_or_default().to_string(),
                v.encrypted().unwrap_or(false),
            )
        }));
    }
    Ok(out)
}

/// Every snapshot the account owns, with its encryption flag.
async fn snapshots(ec2: &Client) -> Result<Vec<Snapshot>, Failure> {
    let mut pages = ec2
        .describe_snapshots()
        .owner_ids("self")
        .max_results(1000)
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk("ec2:DescribeSnapshots", &e))?;
        out.extend(page.snapshots().iter().map(|s| Snapshot {
            id: s.snapshot_id().unwrap_or_default().to_string(),
            encrypted: s.encrypted().unwrap_or(false),
        }));
    }
    Ok(out)
}

/// Own snapshots that anyone can restore. The `RestorableByUserIds=all`
/// filter makes this one call on AWS; each candidate is then confirmed with
/// its `createVolumePermission` attribute, because emulators (moto) ignore
/// the filter and would otherwise report every snapshot as public.
async fn public_snapshots(ec2: &Client) -> Result<Vec<String>, Failure> {
    let mut pages = ec2
        .describe_snapshots()
        .owner_ids("self")
        .restorable_by_user_ids("all")
        .into_paginator()
        .send();
    let mut candidates = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk("ec2:DescribeSnapshots", &e))?;
        candidates.extend(
            page.snapshots()
                .iter()
                .filter_map(|s| s.snapshot_id().map(str::to_string)),
        );
    }
    let checks = candidates.into_iter().map(|id| async move {
        let out = ec2
            .describe_snapshot_attribute()
            .snapshot_id(&id)
            .attribute(SnapshotAttributeName::CreateVolumePermission)
            .send()
            .await
            .map_err(|e| Failure::from_sdk("ec2:DescribeSnapshotAttribute", &e))?;
        let public = out
            .create_volume_permissions()
            .iter()
            .any(|p| p.group() == Some(&PermissionGroup::All));
        Ok::<_, Failure>(public.then_some(id))
    });
    let results: Vec<Result<Option<String>, Failure>> = futures::stream::iter(checks)
        .buffer_unordered(PER_RESOURCE)
        .collect()
        .await;
    let mut out = Vec::new();
    for r in results {
        out.extend(r?);
    }
    out.sort();
    Ok(out)
}

async fn instances(ec2: &Client) -> Result<Vec<Instance>, Failure> {
    let mut pages = ec2
        .describe_instances()
        .max_results(1000)
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk("ec2:DescribeInstances", &e))?;
        for i in page.reservations().iter().flat_map(|r| r.instances()) {
            let gone = i.state().and_then(|s| s.name()).is_some_and(|n| {
                matches!(
                    n,
                    InstanceStateName::Terminated | InstanceStateName::ShuttingDown
                )
            });
            if gone {
                continue;
            }
            out.push(Instance {
                id: i.instance_id().unwrap_or_default().to_string(),
                imdsv2_required: i
                    .metadata_options()
                    .and_then(|m| m.http_tokens())
                    .is_some_and(|t| *t == HttpTokensState::Required),
                profile: i.iam_instance_profile().is_some(),
                key_pair: i.key_name().is_some_and(|k| !k.is_empty()),
                groups: i
                    .security_groups()
                    .iter()
                    .filter_map(|g| g.group_id().map(str::to_string))
                    .collect(),
            });
        }
    }
    Ok(out)
}

/// Each instance's user data, scanned for secrets here so that the text
/// itself is dropped at once. There is no batch API for user data.
async fn user_data(
    ec2: &Client,
    instances: &[Instance],
) -> Vec<(String, Result<UserData, Failure>)> {
    let ids: Vec<String> = instances.iter().map(|i| i.id.clone()).collect();
    let reads = ids.into_iter().map(|id| {
        let ec2 = ec2.clone();
        async move {
            let got = ec2
                .describe_instance_attribute()
                .instance_id(&id)
                .attribute(InstanceAttributeName::UserData)
                .send()
                .await
                .map(|o| scan_user_data(o.user_data().and_then(|u| u.value())))
                .map_err(|e| Failure::from_sdk("ec2:DescribeInstanceAttribute", &e));
            (id, got)
        }
    });
    let mut out: super::UserDataReads = futures::stream::iter(reads)
        .buffer_unordered(PER_RESOURCE)
        .collect()
        .await;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Decode (base64) and scan user data; gzip or binary data is not read.
pub(super) fn scan_user_data(encoded: Option<&str>) -> UserData {
    let Some(encoded) = encoded.filter(|e| !e.trim().is_empty()) else {
        return UserData::Clean;
    };
    let Ok(bytes) = aws_smithy_types::base64::decode(encoded.trim()) else {
        return UserData::Opaque;
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let found = util::secret_lines(&text);
            if found.is_empty() {
                UserData::Clean
            } else {
                UserData::Secrets(found)
            }
        }
        Err(_) => UserData::Opaque,
    }
}

async fn subnets(ec2: &Client) -> Result<Vec<(String, bool)>, Failure> {
    let mut pages = ec2.describe_subnets().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk("ec2:DescribeSubnets", &e))?;
        out.extend(page.subnets().iter().map(|s| {
            (
                s.subnet_id().unwrap_or_default().to_string(),
                s.map_public_ip_on_launch().unwrap_or(false),
            )
        }));
    }
    Ok(out)
}
