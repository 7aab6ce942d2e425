//! EC2 and VPC: network exposure of admin ports, default security groups,
//! flow logs, EBS encryption and public snapshots, instance metadata and
//! roles. One list call per resource type per region, evaluated purely.

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};
use crate::util::{Unknown, sample};
use std::collections::BTreeSet;
use wasec_core::review::EvidenceStatus;

const fn meta(
    id: &'static str,
    title_en: &'static str,
    title_ja: &'static str,
    bps: &'static [&'static str],
    actions: &'static [&'static str],
) -> CheckMeta {
    CheckMeta {
        id,
        title_en,
        title_ja,
        bps,
        service: "ec2",
        actions,
        scope: Scope::Regional,
    }
}

pub const CHECKS: &[CheckMeta] = &[
    meta(
        "ec2.sg_no_admin_ports_open",
        "No security group opens SSH/RDP to the internet",
        "SSH/RDP をインターネットに開放しているセキュリティグループがない",
        &["SEC05-BP02", "SEC06-BP03"],
        &["ec2:DescribeSecurityGroups"],
    ),
    meta(
        "ec2.nacl_no_admin_ports_open",
        "No network ACL allows SSH/RDP from the internet",
        "SSH/RDP をインターネットから許可するネットワーク ACL がない",
        &["SEC05-BP02"],
        &["ec2:DescribeNetworkAcls"],
    ),
    meta(
        "ec2.default_sg_closed",
        "Default security groups allow no traffic",
        "デフォルトセキュリティグループが通信を許可していない",
        &["SEC05-BP02"],
        &["ec2:DescribeSecurityGroups"],
    ),
    meta(
        "vpc.flow_logs",
        "Every VPC has flow logs",
        "すべての VPC でフローログが有効",
        &["SEC04-BP01", "SEC05-BP03"],
        &["ec2:DescribeVpcs", "ec2:DescribeFlowLogs"],
    ),
    meta(
        "ebs.default_encryption",
        "EBS encryption by default is on",
        "EBS のデフォルト暗号化が有効",
        &["SEC08-BP02", "SEC08-BP03"],
        &["ec2:GetEbsEncryptionByDefault"],
    ),
    meta(
        "ebs.volumes_encrypted",
        "EBS volumes are encrypted",
        "EBS ボリュームが暗号化されている",
        &["SEC08-BP02"],
        &["ec2:DescribeVolumes"],
    ),
    meta(
        "ec2.ebs_snapshots_not_public",
        "No EBS snapshot is public",
        "公開されている EBS スナップショットがない",
        &["SEC03-BP07"],
        &["ec2:DescribeSnapshots", "ec2:DescribeSnapshotAttribute"],
    ),
    meta(
        "ec2.imdsv2_required",
        "Instances require IMDSv2",
        "インスタンスが IMDSv2 を必須にしている",
        &["SEC03-BP01", "SEC06-BP02"],
        &["ec2:DescribeInstances"],
    ),
    meta(
        "ec2.instance_profile_attached",
        "Instances use an instance profile (IAM role)",
        "インスタンスがインスタンスプロファイル（IAM ロール）を使用",
        &["SEC02-BP02", "SEC03-BP01"],
        &["ec2:DescribeInstances"],
    ),
    meta(
        "ec2.no_public_ip_by_default",
        "Subnets do not auto-assign public IPs",
        "サブネットがパブリック IP を自動割り当てしない",
        &["SEC05-BP02"],
        &["ec2:DescribeSubnets"],
    ),
    meta(
        "ec2.no_interactive_access",
        "Instances have no SSH key pair and no internet SSH/RDP",
        "インスタンスに SSH キーペアやインターネットからの SSH/RDP がない",
        &["SEC06-BP03"],
        &["ec2:DescribeInstances", "ec2:DescribeSecurityGroups"],
    ),
];

const ADMIN_PORTS: [i32; 2] = [22, 3389];
const ANYWHERE: [&str; 2] = ["0.0.0.0/0", "::/0"];

/// A security group rule reduced to what exposure checks need.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// `-1` (all), `tcp`, `udp`, `6`, ...
    pub protocol: String,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub ingress: Vec<Rule>,
    pub egress_rules: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AclEntry {
    pub number: i32,
    pub egress: bool,
    pub allow: bool,
    pub protocol: String,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub cidr: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkAcl {
    pub id: String,
    pub entries: Vec<AclEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub id: String,
    pub imdsv2_required: bool,
    pub profile: bool,
    pub key_pair: bool,
    pub groups: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Ec2Data {
    pub groups: Result<Vec<SecurityGroup>, Unknown>,
    pub acls: Result<Vec<NetworkAcl>, Unknown>,
    pub vpcs: Result<Vec<String>, Unknown>,
    pub flow_log_targets: Result<BTreeSet<String>, Unknown>,
    pub ebs_default: Result<bool, Unknown>,
    /// (volume id, encrypted)
    pub volumes: Result<Vec<(String, bool)>, Unknown>,
    pub public_snapshots: Result<Vec<String>, Unknown>,
    /// Instances that are not terminated.
    pub instances: Result<Vec<Instance>, Unknown>,
    /// (subnet id, auto-assigns public IPv4)
    pub subnets: Result<Vec<(String, bool)>, Unknown>,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let ec2 = aws_sdk_ec2::Client::new(&cx.sdk);
    let (
        groups,
        acls,
        vpcs,
        flow_log_targets,
        ebs_default,
        volumes,
        public_snapshots,
        instances,
        subnets,
    ) = tokio::join!(
        security_groups(&ec2),
        network_acls(&ec2),
        vpcs(&ec2),
        flow_logs(&ec2),
        ebs_default(&ec2),
        volumes(&ec2),
        public_snapshots(&ec2),
        instances(&ec2),
        subnets(&ec2),
    );
    let data = Ec2Data {
        groups,
        acls,
        vpcs,
        flow_log_targets,
        ebs_default,
        volumes,
        public_snapshots,
        instances,
        subnets,
    };
    evaluate(&data, &cx.account, &cx.region)
}

async fn security_groups(ec2: &aws_sdk_ec2::Client) -> Result<Vec<SecurityGroup>, Unknown> {
    let mut pages = ec2.describe_security_groups().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Unknown::from("ec2:DescribeSecurityGroups", &e))?;
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

async fn network_acls(ec2: &aws_sdk_ec2::Client) -> Result<Vec<NetworkAcl>, Unknown> {
    let mut pages = ec2.describe_network_acls().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Unknown::from("ec2:DescribeNetworkAcls", &e))?;
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

async fn vpcs(ec2: &aws_sdk_ec2::Client) -> Result<Vec<String>, Unknown> {
    let mut pages = ec2.describe_vpcs().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Unknown::from("ec2:DescribeVpcs", &e))?;
        out.extend(
            page.vpcs()
                .iter()
                .filter_map(|v| v.vpc_id().map(str::to_string)),
        );
    }
    Ok(out)
}

async fn flow_logs(ec2: &aws_sdk_ec2::Client) -> Result<BTreeSet<String>, Unknown> {
    let mut pages = ec2.describe_flow_logs().into_paginator().send();
    let mut out = BTreeSet::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Unknown::from("ec2:DescribeFlowLogs", &e))?;
        out.extend(
            page.flow_logs()
                .iter()
                .filter(|f| f.flow_log_status().is_none_or(|s| s == "ACTIVE"))
                .filter_map(|f| f.resource_id().map(str::to_string)),
        );
    }
    Ok(out)
}

async fn ebs_default(ec2: &aws_sdk_ec2::Client) -> Result<bool, Unknown> {
    ec2.get_ebs_encryption_by_default()
        .send()
        .await
        .map(|o| o.ebs_encryption_by_default().unwrap_or(false))
        .map_err(|e| Unknown::from("ec2:GetEbsEncryptionByDefault", &e))
}

async fn volumes(ec2: &aws_sdk_ec2::Client) -> Result<Vec<(String, bool)>, Unknown> {
    let mut pages = ec2
        .describe_volumes()
        .max_results(500)
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Unknown::from("ec2:DescribeVolumes", &e))?;
        out.extend(page.volumes().iter().map(|v| {
            (
                v.volume_id().unwrap_or_default().to_string(),
                v.encrypted().unwrap_or(false),
            )
        }));
    }
    Ok(out)
}

/// Own snapshots that anyone can restore. The `RestorableByUserIds=all`
/// filter makes this one call on AWS; each candidate is then confirmed with
/// its `createVolumePermission` attribute, because emulators (moto) ignore
/// the filter and would otherwise report every snapshot as public.
async fn public_snapshots(ec2: &aws_sdk_ec2::Client) -> Result<Vec<String>, Unknown> {
    use futures::StreamExt;
    let mut pages = ec2
        .describe_snapshots()
        .owner_ids("self")
        .restorable_by_user_ids("all")
        .into_paginator()
        .send();
    let mut candidates = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Unknown::from("ec2:DescribeSnapshots", &e))?;
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
            .attribute(aws_sdk_ec2::types::SnapshotAttributeName::CreateVolumePermission)
            .send()
            .await
            .map_err(|e| Unknown::from("ec2:DescribeSnapshotAttribute", &e))?;
        let public = out
            .create_volume_permissions()
            .iter()
            .any(|p| p.group() == Some(&aws_sdk_ec2::types::PermissionGroup::All));
        Ok::<_, Unknown>(public.then_some(id))
    });
    let results: Vec<Result<Option<String>, Unknown>> = futures::stream::iter(checks)
        .buffer_unordered(8)
        .collect()
        .await;
    let mut out = Vec::new();
    for r in results {
        out.extend(r?);
    }
    out.sort();
    Ok(out)
}

async fn instances(ec2: &aws_sdk_ec2::Client) -> Result<Vec<Instance>, Unknown> {
    use aws_sdk_ec2::types::{HttpTokensState, InstanceStateName};
    let mut pages = ec2
        .describe_instances()
        .max_results(1000)
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Unknown::from("ec2:DescribeInstances", &e))?;
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

async fn subnets(ec2: &aws_sdk_ec2::Client) -> Result<Vec<(String, bool)>, Unknown> {
    let mut pages = ec2.describe_subnets().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Unknown::from("ec2:DescribeSubnets", &e))?;
        out.extend(page.subnets().iter().map(|s| {
            (
                s.subnet_id().unwrap_or_default().to_string(),
                s.map_public_ip_on_launch().unwrap_or(false),
            )
        }));
    }
    Ok(out)
}

// ------------------------------------------------------------ evaluate ----

fn covers(protocol: &str, from: Option<i32>, to: Option<i32>, port: i32) -> bool {
    match protocol {
        "-1" | "all" => true,
        "tcp" | "6" => {
            let (f, t) = (from.unwrap_or(0), to.unwrap_or(65535));
            // -1 as a port bound means "all ports" for some protocols.
            (f == -1 && t == -1) || (f <= port && port <= t)
        }
        _ => false,
    }
}

/// The admin ports a group opens to anywhere.
pub fn open_admin_ports(g: &SecurityGroup) -> Vec<i32> {
    ADMIN_PORTS
        .into_iter()
        .filter(|p| {
            g.ingress.iter().any(|r| {
                r.sources.iter().any(|s| ANYWHERE.contains(&s.as_str()))
                    && covers(&r.protocol, r.from, r.to, *p)
            })
        })
        .collect()
}

/// Network ACLs are evaluated in rule order: the first rule matching
/// internet-wide traffic to the port decides.
pub fn acl_allows_admin_port(acl: &NetworkAcl, port: i32) -> bool {
    let mut entries: Vec<&AclEntry> = acl.entries.iter().filter(|e| !e.egress).collect();
    entries.sort_by_key(|e| e.number);
    entries
        .into_iter()
        .find(|e| ANYWHERE.contains(&e.cidr.as_str()) && covers(&e.protocol, e.from, e.to, port))
        .is_some_and(|e| e.allow)
}

#[allow(clippy::too_many_arguments)]
fn listing(
    id: &'static str,
    arn_kind: &str,
    all: usize,
    failing: Vec<String>,
    arn: &dyn Fn(&str, &str) -> String,
    what: &str,
    fail_text: &str,
    pass_text: &str,
) -> Finding {
    if all == 0 {
        return Finding::not_applicable(id, format!("no {what} in this region"));
    }
    if failing.is_empty() {
        Finding::pass(id, format!("{pass_text} ({all} {what})"))
    } else {
        let resources: Vec<String> = failing.iter().map(|x| arn(arn_kind, x)).collect();
        Finding::fail(
            id,
            format!(
                "{} of {all} {what} {fail_text}: {}",
                failing.len(),
                sample(&failing, 5)
            ),
        )
        .with_resources(resources)
    }
}

pub fn evaluate(d: &Ec2Data, account: &str, region: &str) -> Vec<Finding> {
    let arn = |kind: &str, id: &str| format!("arn:aws:ec2:{region}:{account}:{kind}/{id}");
    let mut out = Vec::new();

    match &d.groups {
        Err(u) => {
            out.push(u.finding("ec2.sg_no_admin_ports_open"));
            out.push(u.finding("ec2.default_sg_closed"));
        }
        Ok(groups) => {
            let open: Vec<String> = groups
                .iter()
                .filter_map(|g| {
                    let ports = open_admin_ports(g);
                    (!ports.is_empty()).then(|| {
                        format!(
                            "{} ({})",
                            g.id,
                            ports
                                .iter()
                                .map(i32::to_string)
                                .collect::<Vec<_>>()
                                .join("/")
                        )
                    })
                })
                .collect();
            let open_ids: Vec<String> = groups
                .iter()
                .filter(|g| !open_admin_ports(g).is_empty())
                .map(|g| g.id.clone())
                .collect();
            let mut f = listing(
                "ec2.sg_no_admin_ports_open",
                "security-group",
                groups.len(),
                open,
                &arn,
                "security groups",
                "open SSH/RDP to the internet",
                "no group opens SSH/RDP to the internet",
            );
            if f.status == EvidenceStatus::Fail {
                f.resources = open_ids.iter().map(|i| arn("security-group", i)).collect();
                f = f.public(true);
            }
            out.push(f);
            let defaults: Vec<&SecurityGroup> =
                groups.iter().filter(|g| g.name == "default").collect();
            let not_closed: Vec<String> = defaults
                .iter()
                .filter(|g| !g.ingress.is_empty() || g.egress_rules > 0)
                .map(|g| g.id.clone())
                .collect();
            out.push(listing(
                "ec2.default_sg_closed",
                "security-group",
                defaults.len(),
                not_closed,
                &arn,
                "default security groups",
                "allow traffic",
                "every default security group is closed",
            ));
        }
    }

    out.push(match &d.acls {
        Err(u) => u.finding("ec2.nacl_no_admin_ports_open"),
        Ok(acls) => {
            let open: Vec<String> = acls
                .iter()
                .filter(|a| ADMIN_PORTS.iter().any(|p| acl_allows_admin_port(a, *p)))
                .map(|a| a.id.clone())
                .collect();
            listing(
                "ec2.nacl_no_admin_ports_open",
                "network-acl",
                acls.len(),
                open,
                &arn,
                "network ACLs",
                "allow SSH/RDP from the internet",
                "no network ACL allows SSH/RDP from the internet",
            )
        }
    });

    out.push(match (&d.vpcs, &d.flow_log_targets) {
        (Err(u), _) | (_, Err(u)) => u.finding("vpc.flow_logs"),
        (Ok(vpcs), Ok(targets)) => {
            let missing: Vec<String> = vpcs
                .iter()
                .filter(|v| !targets.contains(*v))
                .cloned()
                .collect();
            listing(
                "vpc.flow_logs",
                "vpc",
                vpcs.len(),
                missing,
                &arn,
                "VPCs",
                "have no active flow log",
                "every VPC has flow logs",
            )
        }
    });

    out.push(match &d.ebs_default {
        Err(u) => u.finding("ebs.default_encryption"),
        Ok(true) => Finding::pass("ebs.default_encryption", "EBS encryption by default is on"),
        Ok(false) => Finding::fail("ebs.default_encryption", "EBS encryption by default is off"),
    });

    out.push(match &d.volumes {
        Err(u) => u.finding("ebs.volumes_encrypted"),
        Ok(v) => {
            let plain: Vec<String> = v
                .iter()
                .filter(|(_, enc)| !enc)
                .map(|(id, _)| id.clone())
                .collect();
            listing(
                "ebs.volumes_encrypted",
                "volume",
                v.len(),
                plain,
                &arn,
                "volumes",
                "are not encrypted",
                "every volume is encrypted",
            )
        }
    });

    out.push(match &d.public_snapshots {
        Err(u) => u.finding("ec2.ebs_snapshots_not_public"),
        Ok(s) if s.is_empty() => Finding::pass(
            "ec2.ebs_snapshots_not_public",
            "no snapshot owned by the account is public",
        ),
        Ok(s) => Finding::fail(
            "ec2.ebs_snapshots_not_public",
            format!(
                "{} snapshots can be restored by anyone: {}",
                s.len(),
                sample(s, 5)
            ),
        )
        .with_resources(
            s.iter()
                .map(|i| format!("arn:aws:ec2:{region}::snapshot/{i}")),
        )
        .public(true),
    });

    match &d.instances {
        Err(u) => {
            out.push(u.finding("ec2.imdsv2_required"));
            out.push(u.finding("ec2.instance_profile_attached"));
            out.push(u.finding("ec2.no_interactive_access"));
        }
        Ok(list) => {
            let ids = |f: &dyn Fn(&Instance) -> bool| {
                list.iter()
                    .filter(|i| f(i))
                    .map(|i| i.id.clone())
                    .collect::<Vec<_>>()
            };
            out.push(listing(
                "ec2.imdsv2_required",
                "instance",
                list.len(),
                ids(&|i| !i.imdsv2_required),
                &arn,
                "instances",
                "allow IMDSv1",
                "every instance requires IMDSv2",
            ));
            out.push(listing(
                "ec2.instance_profile_attached",
                "instance",
                list.len(),
                ids(&|i| !i.profile),
                &arn,
                "instances",
                "have no instance profile",
                "every instance has an instance profile",
            ));
            let open_groups: BTreeSet<String> = d
                .groups
                .as_ref()
                .map(|g| {
                    g.iter()
                        .filter(|g| !open_admin_ports(g).is_empty())
                        .map(|g| g.id.clone())
                        .collect()
                })
                .unwrap_or_default();
            let interactive =
                ids(&|i| i.key_pair || i.groups.iter().any(|g| open_groups.contains(g)));
            let mut f = listing(
                "ec2.no_interactive_access",
                "instance",
                list.len(),
                interactive,
                &arn,
                "instances",
                "have an SSH key pair or internet SSH/RDP",
                "no instance has a key pair or internet SSH/RDP",
            );
            let exposed = list
                .iter()
                .any(|i| i.groups.iter().any(|g| open_groups.contains(g)));
            if f.status == EvidenceStatus::Fail && exposed {
                f = f.public(true);
            }
            out.push(f);
        }
    }

    out.push(match &d.subnets {
        Err(u) => u.finding("ec2.no_public_ip_by_default"),
        Ok(s) => {
            let auto: Vec<String> = s
                .iter()
                .filter(|(_, on)| *on)
                .map(|(id, _)| id.clone())
                .collect();
            listing(
                "ec2.no_public_ip_by_default",
                "subnet",
                s.len(),
                auto,
                &arn,
                "subnets",
                "auto-assign public IPs",
                "no subnet auto-assigns public IPs",
            )
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(protocol: &str, from: i32, to: i32, src: &str) -> Rule {
        Rule {
            protocol: protocol.into(),
            from: Some(from),
            to: Some(to),
            sources: vec![src.into()],
        }
    }

    fn entry(number: i32, allow: bool, protocol: &str, port: Option<(i32, i32)>) -> AclEntry {
        AclEntry {
            number,
            egress: false,
            allow,
            protocol: protocol.into(),
            from: port.map(|p| p.0),
            to: port.map(|p| p.1),
            cidr: "0.0.0.0/0".into(),
        }
    }

    #[test]
    fn admin_port_exposure() {
        let g = |rules| SecurityGroup {
            id: "sg-1".into(),
            name: "web".into(),
            ingress: rules,
            egress_rules: 1,
        };
        assert_eq!(
            open_admin_ports(&g(vec![rule("tcp", 22, 22, "0.0.0.0/0")])),
            vec![22]
        );
        assert_eq!(
            open_admin_ports(&g(vec![rule("-1", 0, 0, "::/0")])),
            vec![22, 3389]
        );
        assert_eq!(
            open_admin_ports(&g(vec![rule("tcp", 3000, 4000, "0.0.0.0/0")])),
            vec![3389]
        );
        assert!(open_admin_ports(&g(vec![rule("tcp", 22, 22, "10.0.0.0/8")])).is_empty());
        assert!(open_admin_ports(&g(vec![rule("tcp", 443, 443, "0.0.0.0/0")])).is_empty());
        assert!(open_admin_ports(&g(vec![rule("udp", 22, 22, "0.0.0.0/0")])).is_empty());
    }

    #[test]
    fn acl_rule_order_decides() {
        let acl = |entries| NetworkAcl {
            id: "acl-1".into(),
            entries,
        };
        let open = acl(vec![
            entry(100, true, "-1", None),
            entry(32767, false, "-1", None),
        ]);
        assert!(acl_allows_admin_port(&open, 22));
        let denied_first = acl(vec![
            entry(50, false, "6", Some((22, 22))),
            entry(100, true, "-1", None),
        ]);
        assert!(!acl_allows_admin_port(&denied_first, 22));
        assert!(acl_allows_admin_port(&denied_first, 3389));
        let web_only = acl(vec![
            entry(100, true, "6", Some((443, 443))),
            entry(32767, false, "-1", None),
        ]);
        assert!(!acl_allows_admin_port(&web_only, 22));
    }

    #[test]
    fn failures_and_passes() {
        let data = Ec2Data {
            groups: Ok(vec![
                SecurityGroup {
                    id: "sg-default".into(),
                    name: "default".into(),
                    ingress: vec![],
                    egress_rules: 1,
                },
                SecurityGroup {
                    id: "sg-ssh".into(),
                    name: "ssh".into(),
                    ingress: vec![rule("tcp", 22, 22, "0.0.0.0/0")],
                    egress_rules: 0,
                },
            ]),
            acls: Ok(vec![]),
            vpcs: Ok(vec!["vpc-1".into(), "vpc-2".into()]),
            flow_log_targets: Ok(BTreeSet::from(["vpc-1".to_string()])),
            ebs_default: Ok(false),
            volumes: Ok(vec![("vol-1".into(), true), ("vol-2".into(), false)]),
            public_snapshots: Ok(vec!["snap-1".into()]),
            instances: Ok(vec![Instance {
                id: "i-1".into(),
                imdsv2_required: false,
                profile: false,
                key_pair: false,
                groups: vec!["sg-ssh".into()],
            }]),
            subnets: Ok(vec![("subnet-1".into(), true)]),
        };
        let f = evaluate(&data, "123456789012", "us-east-1");
        let get = |id: &str| f.iter().find(|x| x.check == id).unwrap();
        for id in [
            "ec2.sg_no_admin_ports_open",
            "ec2.default_sg_closed",
            "vpc.flow_logs",
            "ebs.default_encryption",
            "ebs.volumes_encrypted",
            "ec2.ebs_snapshots_not_public",
            "ec2.imdsv2_required",
            "ec2.instance_profile_attached",
            "ec2.no_interactive_access",
            "ec2.no_public_ip_by_default",
        ] {
            assert_eq!(get(id).status, EvidenceStatus::Fail, "{id}");
        }
        assert_eq!(
            get("ec2.nacl_no_admin_ports_open").status,
            EvidenceStatus::NotApplicable
        );
        assert!(get("ec2.sg_no_admin_ports_open").public);
        assert_eq!(
            get("ec2.sg_no_admin_ports_open").resources,
            vec!["arn:aws:ec2:us-east-1:123456789012:security-group/sg-ssh"]
        );
        assert_eq!(
            get("vpc.flow_logs").resources,
            vec!["arn:aws:ec2:us-east-1:123456789012:vpc/vpc-2"]
        );
        for c in CHECKS {
            assert_eq!(f.iter().filter(|x| x.check == c.id).count(), 1, "{}", c.id);
        }
    }
}
