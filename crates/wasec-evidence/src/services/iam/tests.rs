//! Pure evaluation tests with recorded-style inputs, including the paths
//! moto cannot produce (root MFA on, root keys, a `<root_account>` row,
//! credentials and roles older than the thresholds).

use super::*;
use crate::check::{CheckId, FailureKind};
use time::macros::datetime;
use wasec_core::review::EvidenceStatus;

const NOW: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);
const ACCOUNT: &str = "123456789012";

/// Header and rows as IAM writes them (columns abridged at the end).
const REPORT: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-20T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
alice,arn:aws:iam::123456789012:user/alice,2025-01-01T00:00:00+00:00,true,2026-11-22T08:00:00+00:00,2025-01-01T00:00:00+00:00,N/A,true,true,2026-10-01T00:00:00+00:00,2026-11-22T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
bob,arn:aws:iam::123456789012:user/bob,2025-01-01T00:00:00+00:00,true,no_information,2025-01-01T00:00:00+00:00,N/A,false,true,2025-02-01T00:00:00+00:00,N/A,N/A,N/A,true,2026-11-01T00:00:00+00:00,2026-11-21T00:00:00+00:00,us-east-1,ec2,false,N/A,false,N/A
\"ci,bot\",arn:aws:iam::123456789012:user/ci-bot,2026-11-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
";

fn report(text: &str) -> Vec<CredRow> {
    parse_credential_report(text).expect("a valid report")
}

fn finding(f: &[Finding], id: CheckId) -> &Finding {
    f.iter()
        .find(|x| x.check == id)
        .unwrap_or_else(|| panic!("no finding for {id}"))
}

fn status(f: &[Finding], id: CheckId) -> EvidenceStatus {
    finding(f, id).status
}

fn principal(kind: Kind, name: &str) -> Principal {
    let k = match kind {
        Kind::User => "user",
        Kind::Group => "group",
        Kind::Role => "role",
    };
    Principal {
        kind,
        name: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:{k}/{name}"),
        path: "/".into(),
        inline: vec![],
        attached: vec![],
        groups: vec![],
        trust: None,
        created: Some(datetime!(2025-01-01 0:00 UTC)),
        last_used: None,
    }
}

fn user(name: &str, attached: &[&str], inline: Vec<(String, Value)>, groups: &[&str]) -> Principal {
    Principal {
        inline,
        attached: attached.iter().map(|s| s.to_string()).collect(),
        groups: groups.iter().map(|s| s.to_string()).collect(),
        ..principal(Kind::User, name)
    }
}

fn role(name: &str, attached: &[&str], trust: Value) -> Principal {
    Principal {
        attached: attached.iter().map(|s| s.to_string()).collect(),
        trust: Some(trust),
        ..principal(Kind::Role, name)
    }
}

fn data() -> IamData {
    IamData {
        summary: Ok(RootSummary {
            mfa_enabled: true,
            access_keys_present: false,
        }),
        root_virtual_mfa: Ok(false),
        report: Ok(report(REPORT)),
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
    let rows = report(REPORT);
    assert_eq!(rows.len(), 4);
    assert!(rows[0].is_root());
    assert_eq!(rows[3].user, "ci,bot");
    assert!(rows[2].keys[0].active && rows[2].keys[1].active);
    assert_eq!(rows[2].keys[0].last_used, None);
    assert_eq!(
        rows[1].password_last_used,
        Some(datetime!(2026-11-22 08:00 UTC))
    );
    assert_eq!(
        rows[1].password_last_changed,
        Some(datetime!(2025-01-01 00:00 UTC))
    );
    // A quoted field may hold a line break; columns may come in any order.
    let odd = "arn,user,mfa_active\n\"arn:aws:iam::1:user/x\",\"two\nlines\",true\n";
    let rows = report(odd);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].user, "two\nlines");
    assert!(rows[0].mfa_active);
}

#[test]
fn root_paths_moto_cannot_produce() {
    let f = evaluate(&data(), ACCOUNT, NOW);
    assert_eq!(status(&f, CheckId::IamRootMfa), EvidenceStatus::Pass);
    assert_eq!(
        status(&f, CheckId::IamRootHardwareMfa),
        EvidenceStatus::Pass
    );
    assert_eq!(
        status(&f, CheckId::IamRootNoAccessKeys),
        EvidenceStatus::Pass
    );
    // Root signed in 3 days ago.
    let recent = finding(&f, CheckId::IamRootNotUsedRecently);
    assert_eq!(recent.status, EvidenceStatus::Fail);
    assert!(recent.summary.en.contains("2026-11-20") && recent.summary.ja.contains("2026-11-20"));

    let mut d = data();
    d.summary = Ok(RootSummary {
        mfa_enabled: true,
        access_keys_present: true,
    });
    d.root_virtual_mfa = Ok(true);
    d.report = Ok(report(
        &REPORT.replace("2026-11-20T10:00:00+00:00", "2026-01-20T10:00:00+00:00"),
    ));
    let f = evaluate(&d, ACCOUNT, NOW);
    assert_eq!(
        status(&f, CheckId::IamRootNoAccessKeys),
        EvidenceStatus::Fail
    );
    assert_eq!(
        status(&f, CheckId::IamRootHardwareMfa),
        EvidenceStatus::Fail
    );
    assert_eq!(
        status(&f, CheckId::IamRootNotUsedRecently),
        EvidenceStatus::Pass
    );

    // No root row (as in moto): unknown, not a guess.
    d.report = Ok(report(
        &REPORT
            .lines()
            .filter(|l| !l.starts_with("<root"))
            .collect::<Vec<_>>()
            .join("\n"),
    ));
    let f = evaluate(&d, ACCOUNT, NOW);
    assert_eq!(
        status(&f, CheckId::IamRootNotUsedRecently),
        EvidenceStatus::Unknown
    );
}

const REPORT_CHECKS: [CheckId; 6] = [
    CheckId::IamConsoleUsersMfa,
    CheckId::IamAccessKeysRotated,
    CheckId::IamSingleActiveKey,
    CheckId::IamUnusedCredentials,
    CheckId::IamNoInitialAccessKeys,
    CheckId::IamLongTermKeysInventory,
];

#[test]
fn credential_report_checks_name_the_user_and_the_property() {
    let f = evaluate(&data(), ACCOUNT, NOW);
    // bob: console password without MFA, key 1 from Feb 2025 never used,
    // two active keys. alice (MFA, a recent key in use) fails only the
    // inventory of long-term keys.
    for id in REPORT_CHECKS {
        let x = finding(&f, id);
        assert_eq!(x.status, EvidenceStatus::Fail, "{id}");
        let mut want = vec!["arn:aws:iam::123456789012:user/bob"];
        if id == CheckId::IamLongTermKeysInventory {
            want.insert(0, "arn:aws:iam::123456789012:user/alice");
        }
        assert_eq!(x.resources, want, "{id}");
        assert!(
            x.summary.en.contains("bob (") && x.summary.ja.contains("bob("),
            "{id}"
        );
    }
    let rotated = finding(&f, CheckId::IamAccessKeysRotated);
    assert!(
        rotated.summary.en.contains("key 1 is 660 days old"),
        "{}",
        rotated.summary.en
    );
    assert!(
        rotated.summary.ja.contains("キー 1 は作成から 660 日"),
        "{}",
        rotated.summary.ja
    );
    let unused = finding(&f, CheckId::IamUnusedCredentials);
    assert!(
        unused.summary.en.contains("password never used"),
        "{}",
        unused.summary.en
    );
    assert!(unused.summary.en.contains("key 1 never used"));
    // alice's password and key are in use, so she is not listed.
    assert!(!unused.summary.en.contains("alice"));

    // Only the root and a keyless, passwordless user: nothing fails.
    let only_bot: String = REPORT
        .lines()
        .filter(|l| !l.starts_with("alice") && !l.starts_with("bob"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut d = data();
    d.report = Ok(report(&only_bot));
    let f = evaluate(&d, ACCOUNT, NOW);
    for id in REPORT_CHECKS {
        let want = if id == CheckId::IamUnusedCredentials {
            EvidenceStatus::NotApplicable
        } else {
            EvidenceStatus::Pass
        };
        assert_eq!(status(&f, id), want, "{id}");
    }
}

/// Why SEC03-BP06 must not be suggested on a new account: credentials that
/// are minutes old cannot have gone unused for 45 days, so their absence of
/// staleness proves nothing about removing unused access.
#[test]
fn fresh_credentials_are_not_evidence_of_lifecycle_management() {
    let fresh = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date
carol,arn:aws:iam::123456789012:user/carol,2026-11-23T08:55:00+00:00,true,N/A,2026-11-23T08:55:00+00:00,true,true,2026-11-23T08:56:00+00:00,N/A
";
    let mut d = data();
    d.report = Ok(report(fresh));
    let f = evaluate(&d, ACCOUNT, NOW);
    let x = finding(&f, CheckId::IamUnusedCredentials);
    assert_eq!(x.status, EvidenceStatus::NotApplicable, "{}", x.summary.en);
    // The same credentials 60 days later, still unused: fail.
    let later = NOW + time::Duration::days(60);
    let f = evaluate(&d, ACCOUNT, later);
    assert_eq!(
        status(&f, CheckId::IamUnusedCredentials),
        EvidenceStatus::Fail
    );
}

#[test]
fn password_policy_paths() {
    let f = evaluate(&data(), "1", NOW);
    assert_eq!(
        status(&f, CheckId::IamPasswordPolicyStrong),
        EvidenceStatus::Pass
    );
    let mut d = data();
    d.password_policy = Ok(Some(PasswordPolicy {
        min_length: Some(8),
        ..PasswordPolicy::default()
    }));
    let f = evaluate(&d, "1", NOW);
    let x = finding(&f, CheckId::IamPasswordPolicyStrong);
    assert_eq!(x.status, EvidenceStatus::Fail);
    assert!(x.summary.en.contains("minimum length 8 < 14"));
    assert!(x.summary.ja.contains("最小文字数 8 < 14"));
    d.password_policy = Ok(None);
    assert_eq!(
        status(&evaluate(&d, "1", NOW), CheckId::IamPasswordPolicyStrong),
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
                attached: vec!["arn:aws:iam::aws:policy/AdministratorAccess".into()],
                ..principal(Kind::Group, "admins")
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
    let f = evaluate(&d, ACCOUNT, NOW);
    let admin_star = finding(&f, CheckId::IamNoAdminStarPolicies);
    assert_eq!(admin_star.status, EvidenceStatus::Fail);
    assert_eq!(
        admin_star.resources,
        vec!["arn:aws:iam::123456789012:user/bob"]
    );
    let wildcards = finding(&f, CheckId::IamNoServiceWildcards);
    assert_eq!(wildcards.status, EvidenceStatus::Fail);
    assert!(
        wildcards.summary.en.contains("[s3:*]"),
        "{}",
        wildcards.summary.en
    );
    assert_eq!(
        wildcards.resources,
        vec!["arn:aws:iam::123456789012:policy/wild"]
    );
    assert_eq!(
        status(&f, CheckId::IamKmsDecryptScoped),
        EvidenceStatus::Fail
    );
    assert_eq!(
        status(&f, CheckId::IamUsersNoDirectPolicies),
        EvidenceStatus::Fail
    );
    // bob (inline admin) has no MFA; alice (admin via group) has MFA.
    let admins = finding(&f, CheckId::IamAdminsHaveMfa);
    assert_eq!(admins.status, EvidenceStatus::Fail);
    assert_eq!(admins.resources, vec!["arn:aws:iam::123456789012:user/bob"]);
    let ext = finding(&f, CheckId::IamThirdPartyRolesExternalId);
    assert_eq!(ext.status, EvidenceStatus::Fail);
    assert_eq!(ext.resources, vec!["arn:aws:iam::123456789012:role/vendor"]);
    assert_eq!(
        status(&f, CheckId::IrPreprovisionedRoles),
        EvidenceStatus::Pass
    );

    let f = evaluate(&data(), ACCOUNT, NOW);
    for id in [
        CheckId::IamNoAdminStarPolicies,
        CheckId::IamNoServiceWildcards,
        CheckId::IamKmsDecryptScoped,
        CheckId::IamUsersNoDirectPolicies,
        CheckId::IamAdminsHaveMfa,
        CheckId::IamThirdPartyRolesExternalId,
    ] {
        assert_eq!(status(&f, id), EvidenceStatus::Pass, "{id}");
    }
    assert_eq!(
        status(&f, CheckId::IrPreprovisionedRoles),
        EvidenceStatus::Fail
    );
}

#[test]
fn role_last_used_dates() {
    let used = |name: &str, created: OffsetDateTime, last: Option<OffsetDateTime>| Principal {
        created: Some(created),
        last_used: last,
        ..principal(Kind::Role, name)
    };
    let old = datetime!(2025-06-01 0:00 UTC);
    let mut linked = used("AWSServiceRoleForSupport", old, None);
    linked.path = "/aws-service-role/support.amazonaws.com/".into();
    let mut sso = used("AWSReservedSSO_Admin_0123", old, None);
    sso.path = "/aws-reserved/sso.amazonaws.com/".into();
    let mut d = data();
    d.auth = Ok(AuthDetails {
        principals: vec![
            used("busy", old, Some(datetime!(2026-11-20 0:00 UTC))),
            used("forgotten", old, Some(datetime!(2026-03-01 0:00 UTC))),
            used("never", old, None),
            // Created last week: too new to judge.
            used("new", datetime!(2026-11-16 0:00 UTC), None),
            linked,
            sso,
        ],
        local_policies: BTreeMap::new(),
    });
    let f = evaluate(&d, ACCOUNT, NOW);
    let x = finding(&f, CheckId::IamUnusedRoles);
    assert_eq!(x.status, EvidenceStatus::Fail);
    assert_eq!(
        x.resources,
        vec![
            "arn:aws:iam::123456789012:role/forgotten",
            "arn:aws:iam::123456789012:role/never"
        ]
    );
    assert!(x.summary.en.starts_with("2 of 3 roles"), "{}", x.summary.en);
    assert!(x.summary.en.contains("forgotten (last used 2026-03-01)"));
    assert!(x.summary.ja.contains("never（使用記録なし）"));
    // Only recent roles: nothing to judge yet.
    d.auth = Ok(AuthDetails {
        principals: vec![used("new", datetime!(2026-11-16 0:00 UTC), None)],
        local_policies: BTreeMap::new(),
    });
    let f = evaluate(&d, ACCOUNT, NOW);
    assert_eq!(
        status(&f, CheckId::IamUnusedRoles),
        EvidenceStatus::NotApplicable
    );
    d.auth = Ok(AuthDetails {
        principals: vec![used("busy", old, Some(datetime!(2026-11-20 0:00 UTC)))],
        local_policies: BTreeMap::new(),
    });
    let f = evaluate(&d, ACCOUNT, NOW);
    assert_eq!(status(&f, CheckId::IamUnusedRoles), EvidenceStatus::Pass);
}

#[test]
fn failures_become_unknown_for_every_dependent_check() {
    let mut d = data();
    d.report = Err(Failure::new(
        "iam:GetCredentialReport",
        FailureKind::AccessDenied,
        "AccessDenied",
    ));
    d.auth = Err(Failure::new(
        "iam:GetAccountAuthorizationDetails",
        FailureKind::AccessDenied,
        "AccessDenied",
    ));
    let f = evaluate(&d, "1", NOW);
    for id in [
        CheckId::IamConsoleUsersMfa,
        CheckId::IamRootNotUsedRecently,
        CheckId::IamAdminsHaveMfa,
        CheckId::IamNoAdminStarPolicies,
        CheckId::IamUnusedRoles,
    ] {
        let x = finding(&f, id);
        assert_eq!(x.status, EvidenceStatus::Unknown, "{id}");
        assert!(x.summary.en.contains("iam:Get"), "{id}: {}", x.summary.en);
    }
    // Every IAM check yields exactly one finding.
    for c in crate::check::Service::Iam.checks() {
        assert_eq!(f.iter().filter(|x| x.check == c).count(), 1, "{c}");
    }
    assert_eq!(f.len(), crate::check::Service::Iam.checks().count());
}

#[test]
fn expired_certs_and_federation() {
    let mut d = data();
    d.server_certs = Ok(vec![
        ("old".into(), datetime!(2025-01-01 0:00 UTC)),
        ("new".into(), datetime!(2027-01-01 0:00 UTC)),
    ]);
    let f = evaluate(&d, "1", NOW);
    let x = finding(&f, CheckId::IamNoExpiredServerCerts);
    assert_eq!(x.status, EvidenceStatus::Fail);
    assert_eq!(x.resources, vec!["server-certificate/old"]);
    assert!(x.summary.en.contains("old (2025-01-01)"));
    assert_eq!(
        status(&f, CheckId::IdpCentralizedIdentity),
        EvidenceStatus::Pass
    );
    d.federation = Ok(0);
    assert_eq!(
        status(&evaluate(&d, "1", NOW), CheckId::IdpCentralizedIdentity),
        EvidenceStatus::Fail
    );
}
