//! The IAM API calls, run concurrently, each into its own `Result` so that
//! one denied call only makes its own checks unknown.

use super::{AuthDetails, CredRow, IamData, Kind, PasswordPolicy, Principal, RootSummary};
use crate::check::{Failure, FailureKind};
use crate::util;
use aws_sdk_iam::Client;
use aws_sdk_iam::types::{AssignmentStatusType, EntityType, ReportStateType, SummaryKeyType};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde_json::Value;
use time::OffsetDateTime;

pub(super) const SUPPORT_POLICY: &str = "arn:aws:iam::aws:policy/AWSSupportAccess";

pub(super) async fn all(iam: &Client) -> IamData {
    let (
        summary,
        root_virtual_mfa,
        report,
        password_policy,
        auth,
        federation,
        server_certs,
        support_entities,
    ) = tokio::join!(
        root_summary(iam),
        root_virtual_mfa(iam),
        credential_report(iam),
        password_policy(iam),
        auth_details(iam),
        federation(iam),
        server_certs(iam),
        support_entities(iam),
    );
    IamData {
        summary,
        root_virtual_mfa,
        report,
        password_policy,
        auth,
        federation,
        server_certs,
        support_entities,
    }
}

fn time_of(d: &aws_smithy_types::DateTime) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(d.secs()).ok()
}

async fn root_summary(iam: &Client) -> Result<RootSummary, Failure> {
    let out = iam
        .get_account_summary()
        .send()
        .await
        .map_err(|e| Failure::from_sdk("iam:GetAccountSummary", &e))?;
    let map = out.summary_map();
    let get = |k: SummaryKeyType| map.and_then(|m| m.get(&k)).copied().unwrap_or(0);
    Ok(RootSummary {
        mfa_enabled: get(SummaryKeyType::AccountMfaEnabled) > 0,
        access_keys_present: get(SummaryKeyType::AccountAccessKeysPresent) > 0,
    })
}

async fn root_virtual_mfa(iam: &Client) -> Result<bool, Failure> {
    let mut pages = iam
        .list_virtual_mfa_devices()
        .assignment_status(AssignmentStatusType::Assigned)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk("iam:ListVirtualMFADevices", &e))?;
        for d in page.virtual_mfa_devices() {
            let user_is_root = d.user().is_some_and(|u| u.arn().ends_with(":root"));
            if user_is_root || d.serial_number().ends_with(":mfa/root-account-mfa-device") {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

async fn credential_report(iam: &Client) -> Result<Vec<CredRow>, Failure> {
    // Generation is asynchronous on AWS: ask until it reports COMPLETE.
    let mut wait = std::time::Duration::from_millis(250);
    for _ in 0..12 {
        let out = iam
            .generate_credential_report()
            .send()
            .await
            .map_err(|e| Failure::from_sdk("iam:GenerateCredentialReport", &e))?;
        if out.state() == Some(&ReportStateType::Complete) {
            break;
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(std::time::Duration::from_secs(3));
    }
    let out = iam
        .get_credential_report()
        .send()
        .await
        .map_err(|e| Failure::from_sdk("iam:GetCredentialReport", &e))?;
    let bytes = out.content().map(|b| b.as_ref()).unwrap_or_default();
    super::parse_credential_report(&String::from_utf8_lossy(bytes)).map_err(|e| {
        Failure::new(
            "iam:GetCredentialReport",
            FailureKind::Other,
            format!("unreadable report: {e}"),
        )
    })
}

async fn password_policy(iam: &Client) -> Result<Option<PasswordPolicy>, Failure> {
    match iam.get_account_password_policy().send().await {
        Ok(out) => Ok(out.password_policy().map(|p| PasswordPolicy {
            min_length: p.minimum_password_length(),
            symbols: p.require_symbols(),
            numbers: p.require_numbers(),
            upper: p.require_uppercase_characters(),
            lower: p.require_lowercase_characters(),
            reuse_prevention: p.password_reuse_prevention(),
        })),
        Err(e) if e.code() == Some("NoSuchEntity") => Ok(None),
        Err(e) => Err(Failure::from_sdk("iam:GetAccountPasswordPolicy", &e)),
    }
}

fn docs(list: impl Iterator<Item = (Option<String>, Option<String>)>) -> Vec<(String, Value)> {
    list.filter_map(|(n, d)| Some((n.unwrap_or_default(), util::decode_policy(&d?)?)))
        .collect()
}

async fn auth_details(iam: &Client) -> Result<AuthDetails, Failure> {
    let mut pages = iam
        .get_account_authorization_details()
        .filter(EntityType::User)
        .filter(EntityType::Group)
        .filter(EntityType::Role)
        .filter(EntityType::LocalManagedPolicy)
        .into_paginator()
        .send();
    let mut out = AuthDetails::default();
    let arns = |a: &[aws_sdk_iam::types::AttachedPolicy]| {
        a.iter()
            .filter_map(|p| p.policy_arn().map(str::to_string))
            .collect::<Vec<_>>()
    };
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk("iam:GetAccountAuthorizationDetails", &e))?;
        for u in page.user_detail_list() {
            out.principals.push(Principal {
                kind: Kind::User,
                name: u.user_name().unwrap_or_default().to_string(),
                arn: u.arn().unwrap_or_default().to_string(),
                path: u.path().unwrap_or("/").to_string(),
                inline: docs(u.user_policy_list().iter().map(|p| {
                    (
                        p.policy_name().map(str::to_string),
                        p.policy_document().map(str::to_string),
                    )
                })),
                attached: arns(u.attached_managed_policies()),
                groups: u.group_list().to_vec(),
                trust: None,
                created: u.create_date().and_then(time_of),
                last_used: None,
            });
        }
        for g in page.group_detail_list() {
            out.principals.push(Principal {
                kind: Kind::Group,
                name: g.group_name().unwrap_or_default().to_string(),
                arn: g.arn().unwrap_or_default().to_string(),
                path: g.path().unwrap_or("/").to_string(),
                inline: docs(g.group_policy_list().iter().map(|p| {
                    (
                        p.policy_name().map(str::to_string),
                        p.policy_document().map(str::to_string),
                    )
                })),
                attached: arns(g.attached_managed_policies()),
                groups: Vec::new(),
                trust: None,
                created: g.create_date().and_then(time_of),
                last_used: None,
            });
        }
        for r in page.role_detail_list() {
            out.principals.push(Principal {
                kind: Kind::Role,
                name: r.role_name().unwrap_or_default().to_string(),
                arn: r.arn().unwrap_or_default().to_string(),
                path: r.path().unwrap_or("/").to_string(),
                inline: docs(r.role_policy_list().iter().map(|p| {
                    (
                        p.policy_name().map(str::to_string),
                        p.policy_document().map(str::to_string),
                    )
                })),
                attached: arns(r.attached_managed_policies()),
                groups: Vec::new(),
                trust: r
                    .assume_role_policy_document()
                    .and_then(util::decode_policy),
                created: r.create_date().and_then(time_of),
                last_used: r
                    .role_last_used()
                    .and_then(|u| u.last_used_date())
                    .and_then(time_of),
            });
        }
        for p in page.policies() {
            let default = p
                .policy_version_list()
                .iter()
                .find(|v| v.is_default_version())
                .and_then(|v| v.document())
                .and_then(util::decode_policy);
            if let (Some(arn), Some(doc)) = (p.arn(), default) {
                out.local_policies.insert(arn.to_string(), doc);
            }
        }
    }
    Ok(out)
}

async fn federation(iam: &Client) -> Result<usize, Failure> {
    let (saml, oidc) = tokio::join!(
        iam.list_saml_providers().send(),
        iam.list_open_id_connect_providers().send()
    );
    let saml = saml.map_err(|e| Failure::from_sdk("iam:ListSAMLProviders", &e))?;
    let oidc = oidc.map_err(|e| Failure::from_sdk("iam:ListOpenIDConnectProviders", &e))?;
    Ok(saml.saml_provider_list().len() + oidc.open_id_connect_provider_list().len())
}

async fn server_certs(iam: &Client) -> Result<Vec<(String, OffsetDateTime)>, Failure> {
    let mut pages = iam.list_server_certificates().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk("iam:ListServerCertificates", &e))?;
        for c in page.server_certificate_metadata_list() {
            if let Some(t) = c.expiration().and_then(time_of) {
                out.push((c.server_certificate_name().to_string(), t));
            }
        }
    }
    Ok(out)
}

async fn support_entities(iam: &Client) -> Result<Vec<String>, Failure> {
    let out = iam
        .list_entities_for_policy()
        .policy_arn(SUPPORT_POLICY)
        .send()
        .await
        .map_err(|e| Failure::from_sdk("iam:ListEntitiesForPolicy", &e))?;
    let mut names: Vec<String> = Vec::new();
    names.extend(
        out.policy_roles()
            .iter()
            .filter_map(|r| r.role_name().map(|n| format!("role/{n}"))),
    );
    names.extend(
        out.policy_groups()
            .iter()
            .filter_map(|g| g.group_name().map(|n| format!("group/{n}"))),
    );
    names.extend(
        out.policy_users()
            .iter()
            .filter_map(|u| u.user_name().map(|n| format!("user/{n}"))),
    );
    names.sort();
    Ok(names)
}
