//! Pure evaluation tests with recorded-style inputs.

use super::*;
use crate::check::{CheckId, FailureKind, Service};
use wasec_core::review::EvidenceStatus;

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

fn weak() -> Ec2Data {
    Ec2Data {
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
            SecurityGroup {
                id: "sg-web".into(),
                name: "web".into(),
                ingress: vec![rule("tcp", 443, 443, "0.0.0.0/0")],
                egress_rules: 1,
            },
        ]),
        acls: Ok(vec![]),
        vpcs: Ok(vec!["vpc-1".into(), "vpc-2".into()]),
        flow_log_targets: Ok(BTreeSet::from(["vpc-1".to_string()])),
        ebs_default: Ok(false),
        volumes: Ok(vec![("vol-1".into(), true), ("vol-2".into(), false)]),
        snapshots: Ok(vec![
            Snapshot {
                id: "snap-1".into(),
                encrypted: false,
            },
            Snapshot {
                id: "snap-2".into(),
                encrypted: true,
            },
        ]),
        public_snapshots: Ok(vec!["snap-1".into()]),
        instances: Ok(vec![
            Instance {
                id: "i-1".into(),
                imdsv2_required: false,
                profile: false,
                key_pair: false,
                groups: vec!["sg-ssh".into()],
            },
            Instance {
                id: "i-2".into(),
                imdsv2_required: true,
                profile: true,
                key_pair: false,
                groups: vec!["sg-web".into()],
            },
        ]),
        user_data: Ok(vec![
            (
                "i-1".into(),
                Ok(UserData::Secrets(vec![(3, "DB_PASSWORD".into())])),
            ),
            ("i-2".into(), Ok(UserData::Clean)),
        ]),
        subnets: Ok(vec![("subnet-1".into(), true), ("subnet-2".into(), false)]),
    }
}

#[test]
fn weak_resources_fail_by_name_and_compliant_twins_are_not_listed() {
    let f = evaluate(&weak(), "123456789012", "us-east-1");
    let get = |id: CheckId| f.iter().find(|x| x.check == id).unwrap();
    let arn = |kind: &str, id: &str| format!("arn:aws:ec2:us-east-1:123456789012:{kind}/{id}");
    let want: &[(CheckId, Vec<String>)] = &[
        (
            CheckId::Ec2SgNoAdminPortsOpen,
            vec![arn("security-group", "sg-ssh")],
        ),
        (
            CheckId::Ec2DefaultSgClosed,
            vec![arn("security-group", "sg-default")],
        ),
        (CheckId::VpcFlowLogs, vec![arn("vpc", "vpc-2")]),
        (CheckId::EbsDefaultEncryption, vec![]),
        (CheckId::EbsVolumesEncrypted, vec![arn("volume", "vol-2")]),
        (
            CheckId::EbsSnapshotsEncrypted,
            vec!["arn:aws:ec2:us-east-1::snapshot/snap-1".into()],
        ),
        (
            CheckId::Ec2EbsSnapshotsNotPublic,
            vec!["arn:aws:ec2:us-east-1::snapshot/snap-1".into()],
        ),
        (CheckId::Ec2Imdsv2Required, vec![arn("instance", "i-1")]),
        (
            CheckId::Ec2InstanceProfileAttached,
            vec![arn("instance", "i-1")],
        ),
        (
            CheckId::Ec2NoInteractiveAccess,
            vec![arn("instance", "i-1")],
        ),
        (
            CheckId::SecretsPlaintextEc2Userdata,
            vec![arn("instance", "i-1")],
        ),
        (
            CheckId::Ec2NoPublicIpByDefault,
            vec![arn("subnet", "subnet-1")],
        ),
    ];
    for (id, resources) in want {
        assert_eq!(get(*id).status, EvidenceStatus::Fail, "{id}");
        assert_eq!(&get(*id).resources, resources, "{id}");
    }
    assert_eq!(
        get(CheckId::Ec2NaclNoAdminPortsOpen).status,
        EvidenceStatus::NotApplicable
    );
    // The exact property is named.
    assert!(
        get(CheckId::Ec2SgNoAdminPortsOpen)
            .summary
            .en
            .contains("sg-ssh (22/SSH)")
    );
    assert!(get(CheckId::Ec2SgNoAdminPortsOpen).public);
    let ud = get(CheckId::SecretsPlaintextEc2Userdata);
    assert!(
        ud.summary.en.contains("i-1 (line 3 DB_PASSWORD)"),
        "{}",
        ud.summary.en
    );
    assert!(
        ud.summary.ja.contains("i-1（行 3 DB_PASSWORD）"),
        "{}",
        ud.summary.ja
    );
    assert!(
        get(CheckId::Ec2NoInteractiveAccess)
            .summary
            .ja
            .contains("SSH/RDP 開放")
    );
    for c in Service::Ec2.checks() {
        assert_eq!(f.iter().filter(|x| x.check == c).count(), 1, "{c}");
    }
    assert_eq!(f.len(), Service::Ec2.checks().count());
}

#[test]
fn user_data_is_scanned_without_keeping_values() {
    let enc = |s: &str| aws_smithy_types::base64::encode(s);
    assert_eq!(fetch::scan_user_data(None), UserData::Clean);
    assert_eq!(
        fetch::scan_user_data(Some(&enc("#!/bin/sh\nyum -y update\n"))),
        UserData::Clean
    );
    let got = fetch::scan_user_data(Some(&enc("#!/bin/sh\nexport API_TOKEN=abc123\n")));
    assert_eq!(got, UserData::Secrets(vec![(2, "API_TOKEN".into())]));
    assert!(!format!("{got:?}").contains("abc123"));
    // gzip magic: not text, not inspected.
    let gz = aws_smithy_types::base64::encode([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe]);
    assert_eq!(fetch::scan_user_data(Some(&gz)), UserData::Opaque);
}

#[test]
fn a_failed_call_makes_only_its_checks_unknown() {
    let mut d = weak();
    d.instances = Err(Failure::new(
        "ec2:DescribeInstances",
        FailureKind::AccessDenied,
        "UnauthorizedOperation",
    ));
    d.user_data = Err(Failure::new(
        "ec2:DescribeInstances",
        FailureKind::AccessDenied,
        "UnauthorizedOperation",
    ));
    let f = evaluate(&d, "123456789012", "us-east-1");
    let get = |id: CheckId| f.iter().find(|x| x.check == id).unwrap();
    for id in [
        CheckId::Ec2Imdsv2Required,
        CheckId::Ec2InstanceProfileAttached,
        CheckId::Ec2NoInteractiveAccess,
        CheckId::SecretsPlaintextEc2Userdata,
    ] {
        assert_eq!(get(id).status, EvidenceStatus::Unknown, "{id}");
    }
    assert_eq!(get(CheckId::VpcFlowLogs).status, EvidenceStatus::Fail);
    assert_eq!(f.len(), Service::Ec2.checks().count());
}
