//! IAM: root user, credential report, password policy, policies and
//! federation. Each API is called once (the credential report and the
//! account authorization details feed many checks); evaluation is pure
//! (`evaluate`) so paths moto cannot produce (root MFA on, root keys, a
//! root row in the credential report) are unit-tested with recorded data.

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};
use crate::util::{self, Unknown, glob, is_allow, sample, statements, strings};
use aws_sdk_iam::types::{AssignmentStatusType, EntityType, ReportStateType, SummaryKeyType};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use time::{Duration, OffsetDateTime};
use wasec_core::review::EvidenceStatus;

const REPORT: &[&str] = &["iam:GenerateCredentialReport", "iam:GetCredentialReport"];
const AUTH: &[&str] = &["iam:GetAccountAuthorizationDetails"];

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
        service: "iam",
        actions,
        scope: Scope::Global,
    }
}

pub const CHECKS: &[CheckMeta] = &[
    meta(
        "iam.root_mfa",
        "Root user has MFA",
        "ルートユーザーに MFA が設定されている",
        &["SEC01-BP02"],
        &["iam:GetAccountSummary"],
    ),
    meta(
        "iam.root_no_access_keys",
        "Root user has no access keys",
        "ルートユーザーにアクセスキーがない",
        &["SEC01-BP02"],
        &["iam:GetAccountSummary"],
    ),
    meta(
        "iam.root_hardware_mfa",
        "Root user MFA is a hardware device",
        "ルートユーザーの MFA がハードウェアデバイス",
        &["SEC01-BP02"],
        &["iam:GetAccountSummary", "iam:ListVirtualMFADevices"],
    ),
    meta(
        "iam.root_not_used_recently",
        "Root user not used in the last 30 days",
        "ルートユーザーが過去 30 日間使われていない",
        &["SEC01-BP02"],
        REPORT,
    ),
    meta(
        "iam.console_users_mfa",
        "IAM users with a console password have MFA",
        "コンソールパスワードを持つ IAM ユーザーに MFA がある",
        &["SEC02-BP01"],
        REPORT,
    ),
    meta(
        "iam.access_keys_rotated",
        "Active access keys rotated within 90 days",
        "有効なアクセスキーが 90 日以内にローテーションされている",
        &["SEC02-BP05"],
        REPORT,
    ),
    meta(
        "iam.single_active_key",
        "At most one active access key per user",
        "ユーザーごとの有効なアクセスキーが 1 つ以下",
        &["SEC02-BP05"],
        REPORT,
    ),
    meta(
        "iam.unused_credentials",
        "Passwords and keys unused for 45 days are disabled",
        "45 日間使われていないパスワードとキーが無効化されている",
        &["SEC02-BP05", "SEC03-BP06"],
        REPORT,
    ),
    meta(
        "iam.no_initial_access_keys",
        "No access keys that were created and never used",
        "作成後一度も使われていないアクセスキーがない",
        &["SEC02-BP01"],
        REPORT,
    ),
    meta(
        "iam.long_term_keys_inventory",
        "No long-term IAM access keys (temporary credentials instead)",
        "長期の IAM アクセスキーがない（一時的な認証情報を使用）",
        &["SEC02-BP02"],
        REPORT,
    ),
    meta(
        "iam.password_policy_strong",
        "Password policy: 14+ characters, 24 reuse, complexity",
        "パスワードポリシー: 14 文字以上、再利用禁止 24、複雑性",
        &["SEC02-BP01"],
        &["iam:GetAccountPasswordPolicy"],
    ),
    meta(
        "iam.no_admin_star_policies",
        "No customer policy allows *:* (full admin)",
        "カスタマー管理ポリシーが *:*（完全な管理者権限）を許可していない",
        &["SEC03-BP02"],
        AUTH,
    ),
    meta(
        "iam.no_service_wildcards",
        "No customer policy allows service:* actions",
        "カスタマー管理ポリシーが service:* アクションを許可していない",
        &["SEC03-BP02"],
        AUTH,
    ),
    meta(
        "iam.users_no_direct_policies",
        "IAM users get permissions only through groups",
        "IAM ユーザーの権限はグループ経由のみ",
        &["SEC02-BP06"],
        AUTH,
    ),
    meta(
        "iam.admins_have_mfa",
        "Administrators have MFA",
        "管理者ユーザーに MFA がある",
        &["SEC02-BP01"],
        &[
            "iam:GetAccountAuthorizationDetails",
            "iam:GenerateCredentialReport",
            "iam:GetCredentialReport",
        ],
    ),
    meta(
        "iam.kms_decrypt_scoped",
        "No IAM policy allows kms:Decrypt on all keys",
        "IAM ポリシーがすべてのキーへの kms:Decrypt を許可していない",
        &["SEC03-BP02", "SEC08-BP01"],
        AUTH,
    ),
    meta(
        "iam.third_party_roles_external_id",
        "Cross-account roles require an external id",
        "クロスアカウントロールに外部 ID が必須",
        &["SEC03-BP09"],
        AUTH,
    ),
    meta(
        "idp.centralized_identity",
        "People sign in through a central identity provider",
        "人のサインインが一元的な ID プロバイダー経由",
        &["SEC02-BP04"],
        &[
            "iam:ListSAMLProviders",
            "iam:ListOpenIDConnectProviders",
            "iam:GetAccountAuthorizationDetails",
            "iam:GenerateCredentialReport",
            "iam:GetCredentialReport",
        ],
    ),
    meta(
        "iam.no_expired_server_certs",
        "No expired server certificates stored in IAM",
        "IAM に期限切れのサーバー証明書がない",
        &["SEC09-BP01"],
        &["iam:ListServerCertificates"],
    ),
    meta(
        "ir.support_role",
        "A role or group can open AWS Support cases",
        "AWS サポートケースを開けるロールまたはグループがある",
        &["SEC10-BP01", "SEC10-BP05"],
        &["iam:ListEntitiesForPolicy"],
    ),
    meta(
        "ir.preprovisioned_roles",
        "Incident-response (security audit) roles exist",
        "インシデント対応（セキュリティ監査）用ロールがある",
        &["SEC10-BP05"],
        AUTH,
    ),
];

/// Thresholds (days), as in CIS AWS Foundations v3.
const ROOT_RECENT_DAYS: i64 = 30;
const KEY_MAX_AGE_DAYS: i64 = 90;
const UNUSED_DAYS: i64 = 45;

const ADMIN_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const SUPPORT_POLICY: &str = "arn:aws:iam::aws:policy/AWSSupportAccess";
const AUDIT_POLICIES: &[&str] = &[
    "arn:aws:iam::aws:policy/SecurityAudit",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
];

// ---------------------------------------------------------------- data ----

/// Root fields of `GetAccountSummary`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RootSummary {
    pub mfa_enabled: bool,
    pub access_keys_present: bool,
}

/// One row of the credential report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CredRow {
    pub user: String,
    pub arn: String,
    pub created: Option<OffsetDateTime>,
    pub password_enabled: bool,
    pub password_last_used: Option<OffsetDateTime>,
    pub mfa_active: bool,
    pub keys: [AccessKey; 2],
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccessKey {
    pub active: bool,
    pub last_rotated: Option<OffsetDateTime>,
    pub last_used: Option<OffsetDateTime>,
}

impl CredRow {
    pub fn is_root(&self) -> bool {
        self.user == "<root_account>"
    }
    fn active_keys(&self) -> impl Iterator<Item = &AccessKey> {
        self.keys.iter().filter(|k| k.active)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PasswordPolicy {
    pub min_length: Option<i32>,
    pub symbols: bool,
    pub numbers: bool,
    pub upper: bool,
    pub lower: bool,
    pub reuse_prevention: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    User,
    Group,
    Role,
}

/// A user, group or role with its policies.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    pub kind: Kind,
    pub name: String,
    pub arn: String,
    /// Inline policies: (name, document).
    pub inline: Vec<(String, Value)>,
    pub attached: Vec<String>,
    /// Group names (users only).
    pub groups: Vec<String>,
    /// Trust policy (roles only).
    pub trust: Option<Value>,
}

/// The parts of `GetAccountAuthorizationDetails` the checks use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuthDetails {
    pub principals: Vec<Principal>,
    /// Customer-managed policies: ARN → default version document.
    pub local_policies: BTreeMap<String, Value>,
}

/// Everything collected; each part may have failed on its own.
#[derive(Debug, Clone)]
pub struct IamData {
    pub summary: Result<RootSummary, Unknown>,
    /// Whether the root user's MFA is a virtual device.
    pub root_virtual_mfa: Result<bool, Unknown>,
    pub report: Result<Vec<CredRow>, Unknown>,
    pub password_policy: Result<Option<PasswordPolicy>, Unknown>,
    pub auth: Result<AuthDetails, Unknown>,
    /// SAML + OIDC provider count.
    pub federation: Result<usize, Unknown>,
    /// (name, expiry) of IAM server certificates.
    pub server_certs: Result<Vec<(String, OffsetDateTime)>, Unknown>,
    /// Users, groups and roles with AWSSupportAccess attached.
    pub support_entities: Result<Vec<String>, Unknown>,
}

// ------------------------------------------------------------- collect ----

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let iam = aws_sdk_iam::Client::new(&cx.sdk);
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
        root_summary(&iam),
        root_virtual_mfa(&iam),
        credential_report(&iam),
        password_policy(&iam),
        auth_details(&iam),
        federation(&iam),
        server_certs(&iam),
        support_entities(&iam),
    );
    let data = IamData {
        summary,
        root_virtual_mfa,
        report,
        password_policy,
        auth,
        federation,
        server_certs,
        support_entities,
    };
    evaluate(&data, &cx.account, wasec_core::now())
}

async fn root_summary(iam: &aws_sdk_iam::Client) -> Result<RootSummary, Unknown> {
    let out = iam
        .get_account_summary()
        .send()
        .await
        .map_err(|e| Unknown::from("iam:GetAccountSummary", &e))?;
    let map = out.summary_map();
    let get = |k: SummaryKeyType| map.and_then(|m| m.get(&k)).copied().unwrap_or(0);
    Ok(RootSummary {
        mfa_enabled: get(SummaryKeyType::AccountMfaEnabled) > 0,
        access_keys_present: get(SummaryKeyType::AccountAccessKeysPresent) > 0,
    })
}

async fn root_virtual_mfa(iam: &aws_sdk_iam::Client) -> Result<bool, Unknown> {
    let mut pages = iam
        .list_virtual_mfa_devices()
        .assignment_status(AssignmentStatusType::Assigned)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Unknown::from("iam:ListVirtualMFADevices", &e))?;
        for d in page.virtual_mfa_devices() {
            let user_is_root = d.user().is_some_and(|u| u.arn().ends_with(":root"));
            if user_is_root || d.serial_number().ends_with(":mfa/root-account-mfa-device") {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

async fn credential_report(iam: &aws_sdk_iam::Client) -> Result<Vec<CredRow>, Unknown> {
    // Generation is asynchronous on AWS: ask until it reports COMPLETE.
    let mut wait = std::time::Duration::from_millis(250);
    for _ in 0..12 {
        let out = iam
            .generate_credential_report()
            .send()
            .await
            .map_err(|e| Unknown::from("iam:GenerateCredentialReport", &e))?;
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
        .map_err(|e| Unknown::from("iam:GetCredentialReport", &e))?;
    let bytes = out
        .content()
        .map(|b| b.as_ref().to_vec())
        .unwrap_or_default();
    Ok(parse_credential_report(&String::from_utf8_lossy(&bytes)))
}

async fn password_policy(iam: &aws_sdk_iam::Client) -> Result<Option<PasswordPolicy>, Unknown> {
    match iam.get_account_password_policy().send().await {
        Ok(out) => Ok(out.password_policy().map(|p| PasswordPolicy {
            min_length: p.minimum_password_length(),
            symbols: p.require_symbols(),
            numbers: p.require_numbers(),
            upper: p.require_uppercase_characters(),
            lower: p.require_lowercase_characters(),
            reuse_prevention: p.password_reuse_prevention(),
        })),
        Err(e) if util::code(&e) == Some("NoSuchEntity") => Ok(None),
        Err(e) => Err(Unknown::from("iam:GetAccountPasswordPolicy", &e)),
    }
}

fn docs(list: impl Iterator<Item = (Option<String>, Option<String>)>) -> Vec<(String, Value)> {
    list.filter_map(|(n, d)| Some((n.unwrap_or_default(), util::decode_policy(&d?)?)))
        .collect()
}

async fn auth_details(iam: &aws_sdk_iam::Client) -> Result<AuthDetails, Unknown> {
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
        let page = page.map_err(|e| Unknown::from("iam:GetAccountAuthorizationDetails", &e))?;
        for u in page.user_detail_list() {
            out.principals.push(Principal {
                kind: Kind::User,
                name: u.user_name().unwrap_or_default().to_string(),
                arn: u.arn().unwrap_or_default().to_string(),
                inline: docs(u.user_policy_list().iter().map(|p| {
                    (
                        p.policy_name().map(str::to_string),
                        p.policy_document().map(str::to_string),
                    )
                })),
                attached: arns(u.attached_managed_policies()),
                groups: u.group_list().to_vec(),
                trust: None,
            });
        }
        for g in page.group_detail_list() {
            out.principals.push(Principal {
                kind: Kind::Group,
                name: g.group_name().unwrap_or_default().to_string(),
                arn: g.arn().unwrap_or_default().to_string(),
                inline: docs(g.group_policy_list().iter().map(|p| {
                    (
                        p.policy_name().map(str::to_string),
                        p.policy_document().map(str::to_string),
                    )
                })),
                attached: arns(g.attached_managed_policies()),
                groups: Vec::new(),
                trust: None,
            });
        }
        for r in page.role_detail_list() {
            out.principals.push(Principal {
                kind: Kind::Role,
                name: r.role_name().unwrap_or_default().to_string(),
                arn: r.arn().unwrap_or_default().to_string(),
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

async fn federation(iam: &aws_sdk_iam::Client) -> Result<usize, Unknown> {
    let (saml, oidc) = tokio::join!(
        iam.list_saml_providers().send(),
        iam.list_open_id_connect_providers().send()
    );
    let saml = saml.map_err(|e| Unknown::from("iam:ListSAMLProviders", &e))?;
    let oidc = oidc.map_err(|e| Unknown::from("iam:ListOpenIDConnectProviders", &e))?;
    Ok(saml.saml_provider_list().len() + oidc.open_id_connect_provider_list().len())
}

async fn server_certs(iam: &aws_sdk_iam::Client) -> Result<Vec<(String, OffsetDateTime)>, Unknown> {
    let mut pages = iam.list_server_certificates().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Unknown::from("iam:ListServerCertificates", &e))?;
        for c in page.server_certificate_metadata_list() {
            if let Some(t) = c
                .expiration()
                .and_then(|d| OffsetDateTime::from_unix_timestamp(d.secs()).ok())
            {
                out.push((c.server_certificate_name().to_string(), t));
            }
        }
    }
    Ok(out)
}

async fn support_entities(iam: &aws_sdk_iam::Client) -> Result<Vec<String>, Unknown> {
    let out = iam
        .list_entities_for_policy()
        .policy_arn(SUPPORT_POLICY)
        .send()
        .await
        .map_err(|e| Unknown::from("iam:ListEntitiesForPolicy", &e))?;
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
    Ok(names)
}

// ------------------------------------------------------ credential CSV ----

/// Parse the credential report CSV by header name (columns have been added
/// over the years; positions are not stable). Quoted fields are honoured.
pub fn parse_credential_report(csv: &str) -> Vec<CredRow> {
    let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
    let Some(header) = lines.next() else {
        return Vec::new();
    };
    let header = split_csv(header);
    let idx = |name: &str| header.iter().position(|h| h == name);
    let (user, arn, created, pw, pw_used, mfa) = (
        idx("user"),
        idx("arn"),
        idx("user_creation_time"),
        idx("password_enabled"),
        idx("password_last_used"),
        idx("mfa_active"),
    );
    let key_cols = [1, 2].map(|n| {
        (
            idx(&format!("access_key_{n}_active")),
            idx(&format!("access_key_{n}_last_rotated")),
            idx(&format!("access_key_{n}_last_used_date")),
        )
    });
    lines
        .map(|line| {
            let f = split_csv(line);
            let get = |i: Option<usize>| i.and_then(|i| f.get(i)).map(String::as_str).unwrap_or("");
            let date = |i: Option<usize>| parse_time(get(i));
            let yes = |i: Option<usize>| get(i) == "true";
            CredRow {
                user: get(user).to_string(),
                arn: get(arn).to_string(),
                created: date(created),
                password_enabled: yes(pw),
                password_last_used: date(pw_used),
                mfa_active: yes(mfa),
                keys: key_cols.map(|(a, r, u)| AccessKey {
                    active: yes(a),
                    last_rotated: date(r),
                    last_used: date(u),
                }),
            }
        })
        .collect()
}

fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Report dates are ISO 8601; "N/A", "no_information", "not_supported" mean none.
fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339).ok()
}

// ------------------------------------------------------------ evaluate ----

/// Turn collected data into one finding per check.
pub fn evaluate(d: &IamData, account: &str, now: OffsetDateTime) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(root_checks(d, now));
    out.extend(report_checks(d, now));
    out.push(password_check(&d.password_policy));
    out.extend(policy_checks(d, account));
    out.push(federation_check(d));
    out.push(server_cert_check(&d.server_certs, now));
    out.push(match &d.support_entities {
        Err(u) => u.finding("ir.support_role"),
        Ok(v) if v.is_empty() => Finding::fail(
            "ir.support_role",
            "no user, group or role has AWSSupportAccess attached",
        ),
        Ok(v) => Finding::pass(
            "ir.support_role",
            format!("AWSSupportAccess is attached to {}", sample(v, 5)),
        )
        .with_resources(v.clone()),
    });
    out
}

fn root_checks(d: &IamData, now: OffsetDateTime) -> Vec<Finding> {
    let mut out = Vec::new();
    match &d.summary {
        Err(u) => {
            out.push(u.finding("iam.root_mfa"));
            out.push(u.finding("iam.root_no_access_keys"));
            out.push(u.finding("iam.root_hardware_mfa"));
        }
        Ok(s) => {
            out.push(if s.mfa_enabled {
                Finding::pass("iam.root_mfa", "the root user has MFA enabled")
            } else {
                Finding::fail("iam.root_mfa", "the root user has no MFA")
            });
            out.push(if s.access_keys_present {
                Finding::fail("iam.root_no_access_keys", "the root user has access keys")
            } else {
                Finding::pass(
                    "iam.root_no_access_keys",
                    "the root user has no access keys",
                )
            });
            out.push(match (&d.root_virtual_mfa, s.mfa_enabled) {
                (_, false) => {
                    Finding::fail("iam.root_hardware_mfa", "the root user has no MFA at all")
                }
                (Err(u), true) => u.finding("iam.root_hardware_mfa"),
                (Ok(true), true) => Finding::fail(
                    "iam.root_hardware_mfa",
                    "the root user's MFA is a virtual device",
                ),
                (Ok(false), true) => Finding::pass(
                    "iam.root_hardware_mfa",
                    "the root user's MFA is not a virtual device (hardware or security key)",
                ),
            });
        }
    }
    out.push(match &d.report {
        Err(u) => u.finding("iam.root_not_used_recently"),
        Ok(rows) => match rows.iter().find(|r| r.is_root()) {
            None => Finding::new(
                "iam.root_not_used_recently",
                EvidenceStatus::Unknown,
                "cannot tell: the credential report has no <root_account> row",
            ),
            Some(r) => {
                let last = [
                    r.password_last_used,
                    r.keys[0].last_used,
                    r.keys[1].last_used,
                ]
                .into_iter()
                .flatten()
                .max();
                match last {
                    Some(t) if now - t < Duration::days(ROOT_RECENT_DAYS) => Finding::fail(
                        "iam.root_not_used_recently",
                        format!(
                            "the root user was used on {} (within {ROOT_RECENT_DAYS} days)",
                            t.date()
                        ),
                    ),
                    Some(t) => Finding::pass(
                        "iam.root_not_used_recently",
                        format!("the root user was last used on {}", t.date()),
                    ),
                    None => Finding::pass(
                        "iam.root_not_used_recently",
                        "no recorded use of the root user",
                    ),
                }
            }
        },
    });
    out
}

/// A check over IAM users (root excluded): `bad` names the failing users.
fn user_check(
    id: &'static str,
    rows: &[CredRow],
    bad: impl Fn(&CredRow) -> bool,
    fail_text: &str,
    pass_text: &str,
) -> Finding {
    let users: Vec<&CredRow> = rows.iter().filter(|r| !r.is_root()).collect();
    let failing: Vec<String> = users
        .iter()
        .filter(|r| bad(r))
        .map(|r| r.user.clone())
        .collect();
    if failing.is_empty() {
        Finding::pass(
            id,
            format!("{pass_text} ({} IAM users checked)", users.len()),
        )
    } else {
        Finding::fail(
            id,
            format!(
                "{} of {} IAM users {fail_text}: {}",
                failing.len(),
                users.len(),
                sample(&failing, 5)
            ),
        )
        .with_resources(users.iter().filter(|r| bad(r)).map(|r| r.arn.clone()))
    }
}

fn report_checks(d: &IamData, now: OffsetDateTime) -> Vec<Finding> {
    let ids = [
        "iam.console_users_mfa",
        "iam.access_keys_rotated",
        "iam.single_active_key",
        "iam.unused_credentials",
        "iam.no_initial_access_keys",
        "iam.long_term_keys_inventory",
    ];
    let rows = match &d.report {
        Err(u) => return ids.iter().map(|&id| u.finding(id)).collect(),
        Ok(r) => r,
    };
    let older =
        |t: Option<OffsetDateTime>, days: i64| t.is_some_and(|t| now - t > Duration::days(days));
    vec![
        user_check(
            ids[0],
            rows,
            |r| r.password_enabled && !r.mfa_active,
            "have a console password without MFA",
            "every console user has MFA",
        ),
        user_check(
            ids[1],
            rows,
            |r| {
                r.active_keys()
                    .any(|k| older(k.last_rotated, KEY_MAX_AGE_DAYS))
            },
            &format!("have an active access key older than {KEY_MAX_AGE_DAYS} days"),
            "no active access key is older than 90 days",
        ),
        user_check(
            ids[2],
            rows,
            |r| r.active_keys().count() > 1,
            "have two active access keys",
            "no user has two active access keys",
        ),
        user_check(
            ids[3],
            rows,
            |r| {
                let pw_stale = r.password_enabled
                    && match r.password_last_used {
                        Some(t) => now - t > Duration::days(UNUSED_DAYS),
                        None => older(r.created, UNUSED_DAYS),
                    };
                let key_stale = r.active_keys().any(|k| match k.last_used {
                    Some(t) => now - t > Duration::days(UNUSED_DAYS),
                    None => older(k.last_rotated, UNUSED_DAYS),
                });
                pw_stale || key_stale
            },
            &format!("have a password or active key unused for {UNUSED_DAYS} days"),
            "no enabled credential is unused for 45 days",
        ),
        user_check(
            ids[4],
            rows,
            |r| r.active_keys().any(|k| k.last_used.is_none()),
            "have an active access key that was never used",
            "every active access key has been used",
        ),
        user_check(
            ids[5],
            rows,
            |r| r.active_keys().count() > 0,
            "have active long-term access keys",
            "no IAM user has an active access key",
        ),
    ]
}

fn password_check(p: &Result<Option<PasswordPolicy>, Unknown>) -> Finding {
    let id = "iam.password_policy_strong";
    let p = match p {
        Err(u) => return u.finding(id),
        Ok(None) => {
            return Finding::fail(id, "no account password policy is set (AWS defaults apply)");
        }
        Ok(Some(p)) => p,
    };
    let mut weak = Vec::new();
    if p.min_length.unwrap_or(0) < 14 {
        weak.push(format!("minimum length {} < 14", p.min_length.unwrap_or(0)));
    }
    if p.reuse_prevention.unwrap_or(0) < 24 {
        weak.push(format!(
            "reuse prevention {} < 24",
            p.reuse_prevention.unwrap_or(0)
        ));
    }
    for (on, what) in [
        (p.symbols, "symbols"),
        (p.numbers, "numbers"),
        (p.upper, "uppercase"),
        (p.lower, "lowercase"),
    ] {
        if !on {
            weak.push(format!("{what} not required"));
        }
    }
    if weak.is_empty() {
        Finding::pass(
            id,
            "password policy: 14+ characters, 24 passwords remembered, all character classes",
        )
    } else {
        Finding::fail(id, format!("password policy is weak: {}", weak.join(", ")))
    }
}

/// Allow statements of a document with their actions and resources.
fn allows(doc: &Value) -> impl Iterator<Item = (Vec<&str>, Vec<&str>, bool)> {
    statements(doc)
        .into_iter()
        .filter(|s| is_allow(s))
        .map(|s| {
            (
                strings(s.get("Action")),
                strings(s.get("Resource")),
                s.get("Condition").is_some(),
            )
        })
}

fn is_star_admin(doc: &Value) -> bool {
    allows(doc).any(|(a, r, _)| a.iter().any(|a| *a == "*" || *a == "*:*") && r.contains(&"*"))
}

fn service_wildcards(doc: &Value) -> Vec<String> {
    allows(doc)
        .flat_map(|(a, _, _)| a.into_iter())
        .filter(|a| a.ends_with(":*") && *a != "*:*")
        .map(str::to_string)
        .collect()
}

fn decrypt_everywhere(doc: &Value) -> bool {
    allows(doc).any(|(a, r, _)| {
        let decrypts = a
            .iter()
            .any(|p| glob(p, "kms:Decrypt") || glob(p, "kms:ReEncryptFrom"));
        let all_keys = r.iter().any(|r| *r == "*" || r.ends_with("key/*"));
        decrypts && all_keys
    })
}

/// Every customer-authored document: (label, document).
fn customer_docs(a: &AuthDetails) -> Vec<(String, &Value)> {
    let mut out: Vec<(String, &Value)> = a
        .local_policies
        .iter()
        .map(|(arn, d)| (arn.clone(), d))
        .collect();
    for p in &a.principals {
        for (name, d) in &p.inline {
            out.push((format!("{} (inline {name})", p.arn), d));
        }
    }
    out
}

fn policy_checks(d: &IamData, account: &str) -> Vec<Finding> {
    let ids = [
        "iam.no_admin_star_policies",
        "iam.no_service_wildcards",
        "iam.users_no_direct_policies",
        "iam.admins_have_mfa",
        "iam.kms_decrypt_scoped",
        "iam.third_party_roles_external_id",
        "ir.preprovisioned_roles",
    ];
    let a = match &d.auth {
        Err(u) => return ids.iter().map(|&id| u.finding(id)).collect(),
        Ok(a) => a,
    };
    let docs = customer_docs(a);
    let flagged = |id: &'static str, hits: Vec<String>, pass: &str, fail: &str| {
        if hits.is_empty() {
            Finding::pass(
                id,
                format!("{pass} ({} customer policies checked)", docs.len()),
            )
        } else {
            Finding::fail(id, format!("{} {fail}: {}", hits.len(), sample(&hits, 5)))
                .with_resources(hits)
        }
    };
    let admin_docs: Vec<String> = docs
        .iter()
        .filter(|(_, d)| is_star_admin(d))
        .map(|(l, _)| l.clone())
        .collect();
    let wildcards: Vec<String> = docs
        .iter()
        .filter_map(|(l, d)| {
            let w = service_wildcards(d);
            (!w.is_empty()).then(|| format!("{l} [{}]", w.join(" ")))
        })
        .collect();
    let decrypt: Vec<String> = docs
        .iter()
        .filter(|(_, d)| decrypt_everywhere(d))
        .map(|(l, _)| l.clone())
        .collect();

    let users: Vec<&Principal> = a
        .principals
        .iter()
        .filter(|p| p.kind == Kind::User)
        .collect();
    let direct: Vec<String> = users
        .iter()
        .filter(|u| !u.inline.is_empty() || !u.attached.is_empty())
        .map(|u| u.name.clone())
        .collect();

    let mut out = vec![
        flagged(
            ids[0],
            admin_docs,
            "no customer policy allows * on *",
            "customer policies allow * on *",
        ),
        flagged(
            ids[1],
            wildcards,
            "no customer policy allows service:* actions",
            "customer policies allow service-wide wildcards",
        ),
        if direct.is_empty() {
            Finding::pass(
                ids[2],
                format!(
                    "no IAM user has policies of its own ({} users)",
                    users.len()
                ),
            )
        } else {
            Finding::fail(
                ids[2],
                format!(
                    "{} of {} IAM users have policies attached directly: {}",
                    direct.len(),
                    users.len(),
                    sample(&direct, 5)
                ),
            )
            .with_resources(direct)
        },
    ];
    out.push(admins_mfa(a, &d.report));
    out.push(flagged(
        ids[4],
        decrypt,
        "no IAM policy allows kms:Decrypt on all keys",
        "policies allow kms:Decrypt or ReEncryptFrom on all keys",
    ));
    out.push(external_id_check(a, account));
    let responders: Vec<String> = a
        .principals
        .iter()
        .filter(|p| {
            p.kind == Kind::Role
                && p.attached
                    .iter()
                    .any(|x| AUDIT_POLICIES.contains(&x.as_str()))
        })
        .map(|p| p.name.clone())
        .collect();
    out.push(if responders.is_empty() {
        Finding::fail(
            ids[6],
            "no role has SecurityAudit or ReadOnlyAccess attached for investigations",
        )
    } else {
        Finding::pass(
            ids[6],
            format!("roles ready for investigation: {}", sample(&responders, 5)),
        )
        .with_resources(responders)
    });
    out
}

/// Users who are administrators (AdministratorAccess or a */* policy,
/// directly or through a group) without MFA.
fn admins_mfa(a: &AuthDetails, report: &Result<Vec<CredRow>, Unknown>) -> Finding {
    let id = "iam.admins_have_mfa";
    let rows = match report {
        Err(u) => return u.finding(id),
        Ok(r) => r,
    };
    let admin_policy =
        |arn: &String| arn == ADMIN_POLICY || a.local_policies.get(arn).is_some_and(is_star_admin);
    let grants_admin = |p: &Principal| {
        p.attached.iter().any(admin_policy) || p.inline.iter().any(|(_, d)| is_star_admin(d))
    };
    let admin_groups: BTreeSet<&str> = a
        .principals
        .iter()
        .filter(|p| p.kind == Kind::Group && grants_admin(p))
        .map(|p| p.name.as_str())
        .collect();
    let admins: Vec<&Principal> = a
        .principals
        .iter()
        .filter(|p| {
            p.kind == Kind::User
                && (grants_admin(p) || p.groups.iter().any(|g| admin_groups.contains(g.as_str())))
        })
        .collect();
    let no_mfa: Vec<String> = admins
        .iter()
        .filter(|u| !rows.iter().any(|r| r.user == u.name && r.mfa_active))
        .map(|u| u.name.clone())
        .collect();
    if admins.is_empty() {
        Finding::pass(id, "no IAM user holds administrator permissions")
    } else if no_mfa.is_empty() {
        Finding::pass(
            id,
            format!("all {} administrator users have MFA", admins.len()),
        )
    } else {
        Finding::fail(
            id,
            format!(
                "{} of {} administrator users have no MFA: {}",
                no_mfa.len(),
                admins.len(),
                sample(&no_mfa, 5)
            ),
        )
        .with_resources(no_mfa)
    }
}

/// Roles trusting another account (or anyone) without an sts:ExternalId
/// condition. Organization membership is not checked: any other account
/// counts as a third party here.
fn external_id_check(a: &AuthDetails, account: &str) -> Finding {
    let id = "iam.third_party_roles_external_id";
    let mut bad = Vec::new();
    let mut cross = 0;
    for r in a.principals.iter().filter(|p| p.kind == Kind::Role) {
        let Some(trust) = &r.trust else { continue };
        for s in statements(trust).into_iter().filter(|s| is_allow(s)) {
            let aws = s.get("Principal").and_then(|p| match p {
                Value::String(s) => Some(vec![s.as_str()]),
                Value::Object(o) => Some(strings(o.get("AWS"))),
                _ => None,
            });
            let foreign = aws
                .unwrap_or_default()
                .into_iter()
                .any(|p| p == "*" || !p.contains(account));
            if !foreign {
                continue;
            }
            cross += 1;
            let has_external_id = s.get("Condition").is_some_and(|c| {
                c.to_string()
                    .to_ascii_lowercase()
                    .contains("sts:externalid")
            });
            if !has_external_id {
                bad.push(r.name.clone());
            }
        }
    }
    if bad.is_empty() {
        Finding::pass(
            id,
            format!("{cross} cross-account trust statements, all require an external id"),
        )
    } else {
        Finding::fail(
            id,
            format!(
                "{} roles trust other accounts without an external id: {}",
                bad.len(),
                sample(&bad, 5)
            ),
        )
        .with_resources(bad)
    }
}

fn federation_check(d: &IamData) -> Finding {
    let id = "idp.centralized_identity";
    let providers = match &d.federation {
        Err(u) => return u.finding(id),
        Ok(n) => *n,
    };
    // IAM Identity Center creates AWSReservedSSO_* roles in member accounts.
    let sso_roles = d
        .auth
        .as_ref()
        .map(|a| {
            a.principals
                .iter()
                .filter(|p| p.kind == Kind::Role && p.name.starts_with("AWSReservedSSO_"))
                .count()
        })
        .unwrap_or(0);
    let console_users = d
        .report
        .as_ref()
        .map(|r| {
            r.iter()
                .filter(|r| !r.is_root() && r.password_enabled)
                .count()
        })
        .unwrap_or(0);
    if providers > 0 || sso_roles > 0 {
        let mut s = format!(
            "federation in use: {providers} SAML/OIDC providers, {sso_roles} IAM Identity Center roles"
        );
        if console_users > 0 {
            s.push_str(&format!(
                "; {console_users} IAM users still have console passwords"
            ));
        }
        Finding::pass(id, s)
    } else if console_users > 0 {
        Finding::fail(
            id,
            format!(
                "no identity provider or IAM Identity Center roles; {console_users} IAM users sign in with passwords"
            ),
        )
    } else {
        Finding::new(
            id,
            EvidenceStatus::Unknown,
            "cannot tell: no identity provider, IAM Identity Center role or console user found",
        )
    }
}

fn server_cert_check(
    c: &Result<Vec<(String, OffsetDateTime)>, Unknown>,
    now: OffsetDateTime,
) -> Finding {
    let id = "iam.no_expired_server_certs";
    match c {
        Err(u) => u.finding(id),
        Ok(list) => {
            let expired: Vec<String> = list
                .iter()
                .filter(|(_, t)| *t < now)
                .map(|(n, _)| n.clone())
                .collect();
            if expired.is_empty() {
                Finding::pass(
                    id,
                    format!("no expired server certificates ({} stored)", list.len()),
                )
            } else {
                Finding::fail(
                    id,
                    format!(
                        "expired server certificates in IAM: {}",
                        sample(&expired, 5)
                    ),
                )
                .with_resources(expired)
            }
        }
    }
}

#[cfg(test)]
mod tests;
