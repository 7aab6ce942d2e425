//! Pure evaluation tests with recorded-style inputs, including the paths
//! moto cannot produce (root MFA on, root keys, a `<root_account>` row).

use super::*;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);

/// Header and rows as IAM writes them (columns abridged at the end).
const REPORT: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-20T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
alice,arn:aws:iam::123456789012:user/alice,2025-01-01T00:00:00+00:00,true,2026-11-22T08:00:00+00:00,2025-01-01T00:00:00+00:00,N/A,true,true,2026-10-01T00:00:00+00:00,2026-11-22T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
bob,arn:aws:iam::123456789012:user/bob,2025-01-01T00:00:00+00:00,true,no_information,2025-01-01T00:00:00+00:00,N/A,false,true,2025-02-01T00:00:00+00:00,N/A,N/A,N/A,true,2026-11-01T00:00:00+00:00,2026-11-21T00:00:00+00:00,us-east-1,ec2,false,N/A,false,N/A
\"ci,bot\",arn:aws:iam::123456789012:user/ci-bot,2026-11-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
";

fn status(f: &[Finding], id: &str) -> EvidenceStatus {
    f.iter()
        .find(|x| x.check == id)
        .unwrap_or_else(|| panic!("no finding for {id}"))
        .status
}

fn user(name: &str, attached: &[&str], inline: Vec<(String, Value)>, groups: &[&str]) -> Principal {
    Principal {
        kind: Kind::User,
        name: name.into(),
        arn: format!("arn:aws:iam::123456789012:user/{name}"),
        inline,
        attached: attached.iter().map(|s| s.to_string()).collect(),
        groups: groups.iter().map(|s| s.to_string()).collect(),
        trust: None,
    }
}

fn role(name: &str, attached: &[&str], trust: Value) -> Principal {
    Principal {
        kind: Kind::Role,
        name: name.into(),
        arn: format!("arn:aws:iam::123456789012:role/{name}"),
        inline: vec![],
        attached: attached.iter().map(|s| s.to_string()).collect(),
        groups: vec![],
        trust: Some(trust),
    }
}

fn data() -> IamData {
    IamData {
        summary: Ok(RootSummary {
            mfa_enabled: true,
            access_keys_present: false,
        }),
        root_virtual_mfa: Ok(false),
        report: Ok(parse_credential_report(REPORT)),
        password_policy: Ok(Some(PasswordPolicy {
            min_length: Some(14),
            symbols: true,
            numbers: true,
            upper: true,
            lower: true,
            reuse_prevention: Some(24),
        })),
        auth: Ok(AuthDetails::default()),
        federation: Ok(1),
        server_certs: Ok(vec![]),
        support_entities: Ok(vec!["role/support".into()]),
    }
}

#[test]
fn credential_report_parses_by_header_with_quotes() {
    let rows = parse_credential_report(REPORT);
    assert_eq!(rows.len(), 4);
    assert!(rows[0].is_root());
    assert_eq!(rows[3].user, "ci,bot");
    assert!(rows[2].keys[0].active && rows[2].keys[1].active);
    assert_eq!(rows[2].keys[0].last_used, None);
    assert_eq!(
        rows[1].password_last_used,
        Some(datetime!(2026-11-22 08:00 UTC))
    );
}

#[test]
fn root_paths_moto_cannot_produce() {
    let f = evaluate(&data(), "123456789012", NOW);
    assert_eq!(status(&f, "iam.root_mfa"), EvidenceStatus::Pass);
    assert_eq!(status(&f, "iam.root_hardware_mfa"), EvidenceStatus::Pass);
    assert_eq!(status(&f, "iam.root_no_access_keys"), EvidenceStatus::Pass);
    // Root signed in 3 days ago.
    assert_eq!(
        status(&f, "iam.root_not_used_recently"),
        EvidenceStatus::Fail
    );

    let mut d = data();
    d.summary = Ok(RootSummary {
        mfa_enabled: true,
        access_keys_present: true,
    });
    d.root_virtual_mfa = Ok(true);
    d.report = Ok(parse_credential_report(
        &REPORT.replace("2026-11-20T10:00:00+00:00", "2026-01-20T10:00:00+00:00"),
    ));
    let f = evaluate(&d, "123456789012", NOW);
    assert_eq!(status(&f, "iam.root_no_access_keys"), EvidenceStatus::Fail);
    assert_eq!(status(&f, "iam.root_hardware_mfa"), EvidenceStatus::Fail);
    assert_eq!(
        status(&f, "iam.root_not_used_recently"),
        EvidenceStatus::Pass
    );

    // No root row (as in moto): unknown, not a guess.
    d.report = Ok(parse_credential_report(
        &REPORT
            .lines()
            .filter(|l| !l.starts_with("<root"))
            .collect::<Vec<_>>()
            .join("\n"),
    ));
    let f = evaluate(&d, "123456789012", NOW);
    assert_eq!(
        status(&f, "iam.root_not_used_recently"),
        EvidenceStatus::Unknown
    );
}

#[test]
fn credential_report_checks() {
    let f = evaluate(&data(), "123456789012", NOW);
    // bob: console password without MFA, key 1 from Feb 2025 never used, two active keys.
    for id in [
        "iam.console_users_mfa",
        "iam.access_keys_rotated",
        "iam.single_active_key",
        "iam.unused_credentials",
        "iam.no_initial_access_keys",
        "iam.long_term_keys_inventory",
    ] {
        assert_eq!(status(&f, id), EvidenceStatus::Fail, "{id}");
        let finding = f.iter().find(|x| x.check == id).unwrap();
        assert!(
            finding.resources.iter().any(|r| r.ends_with("user/bob")),
            "{id}: {:?}",
            finding.resources
        );
    }
    // Only the root and a keyless, passwordless user: everything passes.
    let only_bot: String = REPORT
        .lines()
        .filter(|l| !l.starts_with("alice") && !l.starts_with("bob"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut d = data();
    d.report = Ok(parse_credential_report(&only_bot));
    let f = evaluate(&d, "123456789012", NOW);
    for id in [
        "iam.console_users_mfa",
        "iam.access_keys_rotated",
        "iam.single_active_key",
        "iam.unused_credentials",
        "iam.no_initial_access_keys",
        "iam.long_term_keys_inventory",
    ] {
        assert_eq!(status(&f, id), EvidenceStatus::Pass, "{id}");
    }
}

#[test]
fn password_policy_paths() {
    let f = evaluate(&data(), "1", NOW);
    assert_eq!(
        status(&f, "iam.password_policy_strong"),
        EvidenceStatus::Pass
    );
    let mut d = data();
    d.password_policy = Ok(Some(PasswordPolicy {
        min_length: Some(8),
        ..PasswordPolicy::default()
    }));
    let f = evaluate(&d, "1", NOW);
    assert_eq!(
        status(&f, "iam.password_policy_strong"),
        EvidenceStatus::Fail
    );
    d.password_policy = Ok(None);
    assert_eq!(
        status(&evaluate(&d, "1", NOW), "iam.password_policy_strong"),
        EvidenceStatus::Fail
    );
}

#[test]
fn policy_checks_and_external_ids() {
    let admin =
        serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
    let wild = serde_json::json!({"Statement": [{"Effect": "Allow", "Action": ["s3:*", "kms:Decrypt"], "Resource": "*"}]});
    let mut d = data();
    d.auth = Ok(AuthDetails {
        principals: vec![
            user(
                "bob",
                &[],
                vec![("inline-admin".into(), admin.clone())],
                &[],
            ),
            user("alice", &[], vec![], &["admins"]),
            Principal {
                kind: Kind::Group,
                name: "admins".into(),
                arn: "arn:aws:iam::123456789012:group/admins".into(),
                inline: vec![],
                attached: vec![ADMIN_POLICY.into()],
                groups: vec![],
                trust: None,
            },
            role(
                "vendor",
                &[],
                serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole"}]}),
            ),
            role(
                "audit",
                &["arn:aws:iam::aws:policy/SecurityAudit"],
                serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}]}),
            ),
        ],
        local_policies: BTreeMap::from([(
            "arn:aws:iam::123456789012:policy/wild".to_string(),
            wild,
        )]),
    });
    let f = evaluate(&d, "123456789012", NOW);
    assert_eq!(
        status(&f, "iam.no_admin_star_policies"),
        EvidenceStatus::Fail
    );
    assert_eq!(status(&f, "iam.no_service_wildcards"), EvidenceStatus::Fail);
    assert_eq!(status(&f, "iam.kms_decrypt_scoped"), EvidenceStatus::Fail);
    assert_eq!(
        status(&f, "iam.users_no_direct_policies"),
        EvidenceStatus::Fail
    );
    // bob (inline admin) has no MFA; alice (admin via group) has MFA.
    let admins = f.iter().find(|x| x.check == "iam.admins_have_mfa").unwrap();
    assert_eq!(admins.status, EvidenceStatus::Fail);
    assert_eq!(admins.resources, vec!["bob".to_string()]);
    let ext = f
        .iter()
        .find(|x| x.check == "iam.third_party_roles_external_id")
        .unwrap();
    assert_eq!(ext.status, EvidenceStatus::Fail);
    assert_eq!(ext.resources, vec!["vendor".to_string()]);
    assert_eq!(status(&f, "ir.preprovisioned_roles"), EvidenceStatus::Pass);

    let f = evaluate(&data(), "123456789012", NOW);
    for id in [
        "iam.no_admin_star_policies",
        "iam.no_service_wildcards",
        "iam.kms_decrypt_scoped",
        "iam.users_no_direct_policies",
        "iam.admins_have_mfa",
        "iam.third_party_roles_external_id",
    ] {
        assert_eq!(status(&f, id), EvidenceStatus::Pass, "{id}");
    }
    assert_eq!(status(&f, "ir.preprovisioned_roles"), EvidenceStatus::Fail);
}

#[test]
fn failures_become_unknown_for_every_dependent_check() {
    let mut d = data();
    let u = Unknown("cannot tell: access denied to iam:GetCredentialReport".into());
    d.report = Err(u.clone());
    d.auth = Err(Unknown(
        "cannot tell: access denied to iam:GetAccountAuthorizationDetails".into(),
    ));
    let f = evaluate(&d, "1", NOW);
    for id in [
        "iam.console_users_mfa",
        "iam.root_not_used_recently",
        "iam.admins_have_mfa",
        "iam.no_admin_star_policies",
    ] {
        assert_eq!(status(&f, id), EvidenceStatus::Unknown, "{id}");
    }
    // Every declared check yields exactly one finding.
    for c in CHECKS {
        assert_eq!(f.iter().filter(|x| x.check == c.id).count(), 1, "{}", c.id);
    }
}

#[test]
fn expired_certs_and_federation() {
    let mut d = data();
    d.server_certs = Ok(vec![
        ("old".into(), datetime!(2025-01-01 0:00 UTC)),
        ("new".into(), datetime!(2027-01-01 0:00 UTC)),
    ]);
    let f = evaluate(&d, "1", NOW);
    assert_eq!(
        status(&f, "iam.no_expired_server_certs"),
        EvidenceStatus::Fail
    );
    assert_eq!(status(&f, "idp.centralized_identity"), EvidenceStatus::Pass);
    d.federation = Ok(0);
    assert_eq!(
        status(&evaluate(&d, "1", NOW), "idp.centralized_identity"),
        EvidenceStatus::Fail
    );
}
