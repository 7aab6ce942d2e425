//! Pure evaluation of collected EC2 data.

use super::{AclEntry, Ec2Data, Instance, NetworkAcl, SecurityGroup, UserData};
use crate::check::{CheckId, Finding};
use crate::tr;
use crate::util::sample;
use std::collections::BTreeSet;
use wasec_core::Text;

const ADMIN_PORTS: [i32; 2] = [22, 3389];
const ANYWHERE: [&str; 2] = ["0.0.0.0/0", "::/0"];

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

/// One finding over a resource type of the region.
struct Listing<'a> {
    id: CheckId,
    /// ARN resource type, e.g. `security-group`.
    kind: &'a str,
    /// The resource type in words: (en, ja).
    what: (&'a str, &'a str),
    total: usize,
    /// Failing resources: (id, the failing property, if worth saying).
    failing: Vec<(String, Option<Text>)>,
    /// What failing means: (en, ja).
    fail: (&'a str, &'a str),
    /// What passing means: (en, ja).
    pass: (&'a str, &'a str),
}

impl Listing<'_> {
    fn finding(self, arn: &dyn Fn(&str, &str) -> String) -> Finding {
        let (what_en, what_ja) = self.what;
        let n = self.total;
        if n == 0 {
            return Finding::not_applicable(
                self.id,
                tr!(
                    "no {what_en} in this region",
                    "このリージョンに{what_ja}はありません"
                ),
            );
        }
        if self.failing.is_empty() {
            let (en, ja) = self.pass;
            return Finding::pass(
                self.id,
                tr!("{en} ({n} {what_en})", "{ja}（{what_ja} {n} 件）"),
            );
        }
        let mut failing = self.failing;
        failing.sort_by(|a, b| a.0.cmp(&b.0));
        let bad = failing.len();
        let label = |ja: bool| -> Vec<String> {
            failing
                .iter()
                .map(|(id, d)| match (d, ja) {
                    (Some(d), false) => format!("{id} ({})", d.en),
                    (Some(d), true) => format!("{id}({})", d.ja),
                    (None, _) => id.clone(),
                })
                .collect()
        };
        let (list_en, list_ja) = (sample(&label(false), 5), sample(&label(true), 5));
        let (en, ja) = self.fail;
        Finding::fail(
            self.id,
            tr!(
                "{bad} of {n} {what_en} {en}: {list_en}",
                "{what_ja} {n} 件中 {bad} 件が{ja}: {list_ja}"
            ),
        )
        .with_resources(failing.iter().map(|(id, _)| arn(self.kind, id)))
    }
}

pub fn evaluate(d: &Ec2Data, account: &str, region: &str) -> Vec<Finding> {
    let arn = |kind: &str, id: &str| format!("arn:aws:ec2:{region}:{account}:{kind}/{id}");
    let mut out = Vec::new();
    out.extend(group_checks(d, &arn));
    out.push(nacl_check(d, &arn));
    out.push(flow_log_check(d, &arn));
    out.extend(storage_checks(d, region, &arn));
    out.extend(instance_checks(d, &arn));
    out.push(subnet_check(d, &arn));
    out
}

type Arn<'a> = &'a dyn Fn(&str, &str) -> String;

/// A property name that reads the same in both languages.
fn same(s: String) -> Text {
    Text::new(s.clone(), s)
}

fn ports_text(ports: &[i32]) -> String {
    ports
        .iter()
        .map(|p| match p {
            22 => "22/SSH".to_string(),
            3389 => "3389/RDP".to_string(),
            p => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn group_checks(d: &Ec2Data, arn: Arn) -> Vec<Finding> {
    let groups = match &d.groups {
        Err(f) => {
            return f.findings(&[CheckId::Ec2SgNoAdminPortsOpen, CheckId::Ec2DefaultSgClosed]);
        }
        Ok(g) => g,
    };
    let open: Vec<(String, Option<Text>)> = groups
        .iter()
        .filter_map(|g| {
            let ports = open_admin_ports(g);
            (!ports.is_empty()).then(|| (g.id.clone(), Some(same(ports_text(&ports)))))
        })
        .collect();
    let exposed = !open.is_empty();
    let sg = Listing {
        id: CheckId::Ec2SgNoAdminPortsOpen,
        kind: "security-group",
        what: ("security groups", "セキュリティグループ"),
        total: groups.len(),
        failing: open,
        fail: (
            "open SSH or RDP to the internet",
            "SSH や RDP をインターネットに開放しています",
        ),
        pass: (
            "no group opens SSH or RDP to the internet",
            "SSH や RDP をインターネットに開放しているグループはありません",
        ),
    }
    .finding(arn)
    .public(exposed);
    let defaults: Vec<&SecurityGroup> = groups.iter().filter(|g| g.name == "default").collect();
    let not_closed = defaults
        .iter()
        .filter(|g| !g.ingress.is_empty() || g.egress_rules > 0)
        .map(|g| {
            let (inbound, outbound) = (g.ingress.len(), g.egress_rules);
            let rules = tr!(
                "{inbound} inbound, {outbound} outbound rules",
                "インバウンド {inbound}・アウトバウンド {outbound} ルール"
            );
            (g.id.clone(), Some(rules))
        })
        .collect();
    let default = Listing {
        id: CheckId::Ec2DefaultSgClosed,
        kind: "security-group",
        what: ("default security groups", "デフォルトセキュリティグループ"),
        total: defaults.len(),
        failing: not_closed,
        fail: ("allow traffic", "通信を許可しています"),
        pass: (
            "every default security group is closed",
            "すべてのデフォルトセキュリティグループが閉じています",
        ),
    }
    .finding(arn);
    vec![sg, default]
}

fn nacl_check(d: &Ec2Data, arn: Arn) -> Finding {
    let acls = match &d.acls {
        Err(f) => return f.finding(CheckId::Ec2NaclNoAdminPortsOpen),
        Ok(a) => a,
    };
    let failing = acls
        .iter()
        .filter_map(|a| {
            let ports: Vec<i32> = ADMIN_PORTS
                .into_iter()
                .filter(|p| acl_allows_admin_port(a, *p))
                .collect();
            (!ports.is_empty()).then(|| (a.id.clone(), Some(same(ports_text(&ports)))))
        })
        .collect();
    Listing {
        id: CheckId::Ec2NaclNoAdminPortsOpen,
        kind: "network-acl",
        what: ("network ACLs", "ネットワーク ACL"),
        total: acls.len(),
        failing,
        fail: (
            "allow SSH or RDP from the internet",
            "インターネットからの SSH や RDP を許可しています",
        ),
        pass: (
            "no network ACL allows SSH or RDP from the internet",
            "インターネットからの SSH や RDP を許可するネットワーク ACL はありません",
        ),
    }
    .finding(arn)
}

fn flow_log_check(d: &Ec2Data, arn: Arn) -> Finding {
    let (vpcs, targets) = match (&d.vpcs, &d.flow_log_targets) {
        (Err(f), _) | (_, Err(f)) => return f.finding(CheckId::VpcFlowLogs),
        (Ok(v), Ok(t)) => (v, t),
    };
    Listing {
        id: CheckId::VpcFlowLogs,
        kind: "vpc",
        what: ("VPCs", "VPC"),
        total: vpcs.len(),
        failing: vpcs
            .iter()
            .filter(|v| !targets.contains(*v))
            .map(|v| (v.clone(), None))
            .collect(),
        fail: ("have no active flow log", "に有効なフローログがありません"),
        pass: (
            "every VPC has an active flow log",
            "すべての VPC に有効なフローログがあります",
        ),
    }
    .finding(arn)
}

fn storage_checks(d: &Ec2Data, region: &str, arn: Arn) -> Vec<Finding> {
    let mut out = Vec::new();
    out.push(match &d.ebs_default {
        Err(f) => f.finding(CheckId::EbsDefaultEncryption),
        Ok(true) => Finding::pass(
            CheckId::EbsDefaultEncryption,
            tr!("EBS encryption by default is on", "EBS のデフォルト暗号化は有効です"),
        ),
        Ok(false) => Finding::fail(
            CheckId::EbsDefaultEncryption,
            tr!(
                "EBS encryption by default is off: new volumes are created unencrypted unless asked",
                "EBS のデフォルト暗号化が無効です。指定しない限り新しいボリュームは暗号化されません"
            ),
        ),
    });
    out.push(match &d.volumes {
        Err(f) => f.finding(CheckId::EbsVolumesEncrypted),
        Ok(v) => Listing {
            id: CheckId::EbsVolumesEncrypted,
            kind: "volume",
            what: ("volumes", "ボリューム"),
            total: v.len(),
            failing: v
                .iter()
                .filter(|(_, enc)| !enc)
                .map(|(id, _)| (id.clone(), None))
                .collect(),
            fail: ("are not encrypted", "暗号化されていません"),
            pass: (
                "every volume is encrypted",
                "すべてのボリュームが暗号化されています",
            ),
        }
        .finding(arn),
    });
    // Snapshot ARNs carry no account id.
    let snap_arn = |_: &str, id: &str| format!("arn:aws:ec2:{region}::snapshot/{id}");
    out.push(match &d.snapshots {
        Err(f) => f.finding(CheckId::EbsSnapshotsEncrypted),
        Ok(s) => Listing {
            id: CheckId::EbsSnapshotsEncrypted,
            kind: "snapshot",
            what: (
                "snapshots owned by the account",
                "アカウント所有のスナップショット",
            ),
            total: s.len(),
            failing: s
                .iter()
                .filter(|s| !s.encrypted)
                .map(|s| (s.id.clone(), None))
                .collect(),
            fail: ("are not encrypted", "暗号化されていません"),
            pass: (
                "every snapshot is encrypted",
                "すべてのスナップショットが暗号化されています",
            ),
        }
        .finding(&snap_arn),
    });
    out.push(match &d.public_snapshots {
        Err(f) => f.finding(CheckId::Ec2EbsSnapshotsNotPublic),
        Ok(s) if s.is_empty() => Finding::pass(
            CheckId::Ec2EbsSnapshotsNotPublic,
            tr!(
                "no snapshot owned by the account can be restored by anyone",
                "アカウント所有のスナップショットで誰でも復元できるものはありません"
            ),
        ),
        Ok(s) => {
            let (n, list) = (s.len(), sample(s, 5));
            Finding::fail(
                CheckId::Ec2EbsSnapshotsNotPublic,
                tr!(
                    "{n} snapshots can be restored by anyone (create volume permission: all): {list}",
                    "{n} 件のスナップショットを誰でも復元できます（ボリューム作成のアクセス許可: all）: {list}"
                ),
            )
            .with_resources(s.iter().map(|i| snap_arn("snapshot", i)))
            .public(true)
        }
    });
    out
}

fn instance_checks(d: &Ec2Data, arn: Arn) -> Vec<Finding> {
    use CheckId::*;
    let list = match &d.instances {
        Err(f) => {
            return f.findings(&[
                Ec2Imdsv2Required,
                Ec2InstanceProfileAttached,
                Ec2NoInteractiveAccess,
                SecretsPlaintextEc2Userdata,
            ]);
        }
        Ok(l) => l,
    };
    let ids = |f: &dyn Fn(&Instance) -> Option<Option<Text>>| -> Vec<(String, Option<Text>)> {
        list.iter()
            .filter_map(|i| f(i).map(|d| (i.id.clone(), d)))
            .collect()
    };
    let what = ("instances", "インスタンス");
    let mut out = vec![
        Listing {
            id: Ec2Imdsv2Required,
            kind: "instance",
            what,
            total: list.len(),
            failing: ids(&|i| {
                (!i.imdsv2_required).then(|| Some(same("HttpTokens optional".to_string())))
            }),
            fail: ("allow IMDSv1", "IMDSv1 を許可しています"),
            pass: (
                "every instance requires IMDSv2",
                "すべてのインスタンスが IMDSv2 を必須にしています",
            ),
        }
        .finding(arn),
        Listing {
            id: Ec2InstanceProfileAttached,
            kind: "instance",
            what,
            total: list.len(),
            failing: ids(&|i| (!i.profile).then_some(None)),
            fail: (
                "have no instance profile",
                "インスタンスプロファイルがありません",
            ),
            pass: (
                "every instance has an instance profile",
                "すべてのインスタンスにインスタンスプロファイルがあります",
            ),
        }
        .finding(arn),
    ];
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
    let exposed = |i: &Instance| i.groups.iter().any(|g| open_groups.contains(g));
    let interactive = ids(&|i| match (i.key_pair, exposed(i)) {
        (true, true) => Some(Some(tr!(
            "key pair, SSH/RDP open",
            "キーペアあり、SSH/RDP 開放"
        ))),
        (true, false) => Some(Some(tr!("key pair", "キーペアあり"))),
        (false, true) => Some(Some(tr!("SSH/RDP open", "SSH/RDP 開放"))),
        (false, false) => None,
    });
    let public = list.iter().any(exposed);
    out.push(
        Listing {
            id: Ec2NoInteractiveAccess,
            kind: "instance",
            what,
            total: list.len(),
            failing: interactive,
            fail: (
                "have an SSH key pair or SSH/RDP open to the internet",
                "SSH キーペアを持つか、SSH/RDP がインターネットに開いています",
            ),
            pass: (
                "no instance has a key pair or SSH/RDP open to the internet",
                "キーペアを持つインスタンスや SSH/RDP がインターネットに開いたインスタンスはありません",
            ),
        }
        .finding(arn)
        .public(public),
    );
    out.push(user_data_check(d, list.len(), arn));
    out
}

/// Secrets in user data: the item names the instance, line and key, never
/// the value.
fn user_data_check(d: &Ec2Data, total: usize, arn: Arn) -> Finding {
    let id = CheckId::SecretsPlaintextEc2Userdata;
    let read = match &d.user_data {
        Err(f) => return f.finding(id),
        Ok(r) => r,
    };
    if total == 0 {
        return Finding::not_applicable(
            id,
            tr!(
                "no instances in this region",
                "このリージョンにインスタンスはありません"
            ),
        );
    }
    let mut bad: Vec<(String, String)> = Vec::new();
    let mut opaque = 0;
    let mut failure = None;
    for (instance, got) in read {
        match got {
            Ok(UserData::Secrets(found)) => {
                let places: Vec<String> = found
                    .iter()
                    .map(|(line, key)| format!("line {line} {key}"))
                    .collect();
                bad.push((instance.clone(), places.join(", ")));
            }
            Ok(UserData::Opaque) => opaque += 1,
            Ok(UserData::Clean) => {}
            Err(f) => failure = failure.or(Some(f)),
        }
    }
    if !bad.is_empty() {
        let n = bad.len();
        let en: Vec<String> = bad.iter().map(|(i, p)| format!("{i} ({p})")).collect();
        let ja: Vec<String> = bad
            .iter()
            .map(|(i, p)| format!("{i}（{}）", p.replace("line ", "行 ")))
            .collect();
        let (list_en, list_ja) = (sample(&en, 5), sample(&ja, 5));
        return Finding::fail(
            id,
            tr!(
                "{n} of {total} instances have secret-like values in their user data (names only): {list_en}",
                "インスタンス {total} 件中 {n} 件のユーザーデータにシークレットらしき値があります（名前のみ表示）: {list_ja}"
            ),
        )
        .with_resources(bad.iter().map(|(i, _)| arn("instance", i)));
    }
    if let Some(f) = failure {
        return f.finding(id);
    }
    let note = match opaque {
        0 => Text::default(),
        k => tr!(
            "; {k} with compressed or binary user data not inspected",
            "。圧縮またはバイナリのユーザーデータ {k} 件は未確認"
        ),
    };
    let (note_en, note_ja) = (note.en, note.ja);
    Finding::pass(
        id,
        tr!(
            "no secret-like value in the user data of {total} instances{note_en}",
            "インスタンス {total} 件のユーザーデータにシークレットらしき値はありません{note_ja}"
        ),
    )
}

fn subnet_check(d: &Ec2Data, arn: Arn) -> Finding {
    let subnets = match &d.subnets {
        Err(f) => return f.finding(CheckId::Ec2NoPublicIpByDefault),
        Ok(s) => s,
    };
    Listing {
        id: CheckId::Ec2NoPublicIpByDefault,
        kind: "subnet",
        what: ("subnets", "サブネット"),
        total: subnets.len(),
        failing: subnets
            .iter()
            .filter(|(_, on)| *on)
            .map(|(id, _)| (id.clone(), Some(same("MapPublicIpOnLaunch".to_string()))))
            .collect(),
        fail: (
            "give new instances a public IP address",
            "新しいインスタンスにパブリック IP アドレスを割り当てます",
        ),
        pass: (
            "no subnet gives new instances a public IP address",
            "新しいインスタンスにパブリック IP アドレスを割り当てるサブネットはありません",
        ),
    }
    .finding(arn)
}
